using System.Net.Http.Headers;

namespace OidcConformance.Protocol;

/// <summary>Where a request carries its bearer token (RFC 6750 §2.1 header, §2.2 form body).</summary>
public enum BearerLocation { Header, FormBody }

/// <summary>A request to the UserInfo endpoint (OIDC Core 1.0 §5.3.1): a method and an access token in one of RFC 6750's places.</summary>
public sealed class UserInfoRequest
{
    public required string Endpoint { get; init; }
    public HttpMethod Method { get; set; } = HttpMethod.Get;
    public string? BearerHeader { get; set; }
    /// <summary>The form body of a POST (empty, or with access_token); null for a GET.</summary>
    public List<KeyValuePair<string, string>>? Form { get; set; }

    public HttpRequestMessage Build()
    {
        var request = new HttpRequestMessage(Method, Endpoint);
        if (Form is not null) request.Content = new FormUrlEncodedContent(Form);
        if (BearerHeader is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", BearerHeader);
        return request;
    }
}

/// <summary>
/// The steps of a UserInfo request: the method (GET unless changed), then the access token. The negatives change the
/// token step: left out, replaced by an invalid token, or by another kind of token (the ID token).
/// </summary>
public sealed class UserInfoPipeline : RequestPipeline<UserInfoRequest, UserInfoPipeline>
{
    public override string RequestName => "userinfo request";

    /// <summary>A GET with the access token in the Authorization header (the request every flow sends).</summary>
    public static UserInfoPipeline Get(string accessToken) =>
        new UserInfoPipeline().Add(new UserInfoMethodStep(HttpMethod.Get)).Add(new BearerTokenStep(accessToken, BearerLocation.Header));

    /// <summary>A POST with the token in the header (and an empty form body) or in the form body (OIDC Core 1.0 §5.3.1).</summary>
    public static UserInfoPipeline Post(string accessToken, BearerLocation location) =>
        new UserInfoPipeline().Add(new UserInfoMethodStep(HttpMethod.Post)).Add(new BearerTokenStep(accessToken, location));

    public HttpRequestMessage Build(string endpoint) => Run(new UserInfoRequest { Endpoint = endpoint }).Build();
}

/// <summary>The HTTP method; a POST sends a form body (empty unless the token goes into it).</summary>
public sealed class UserInfoMethodStep(HttpMethod method) : RequestStep<UserInfoRequest>
{
    public override string Part => "HTTP method";

    public override void Apply(UserInfoRequest request)
    {
        request.Method = method;
        request.Form = method == HttpMethod.Post ? [] : null;
    }
}

/// <summary>The access token presented as a bearer token (RFC 6750 §2.1 / §2.2).</summary>
public sealed class BearerTokenStep(string token, BearerLocation location = BearerLocation.Header) : RequestStep<UserInfoRequest>
{
    public override string Part => "access token";

    public override void Apply(UserInfoRequest request)
    {
        if (location == BearerLocation.Header) request.BearerHeader = token;
        else (request.Form ??= []).Add(new("access_token", token));
    }
}
