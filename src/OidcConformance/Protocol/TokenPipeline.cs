using OidcConformance.Profiles;

namespace OidcConformance.Protocol;

/// <summary>
/// The steps of a token request (RFC 6749 §4.1.3, §4.3.2, §4.4.2, §6; RFC 7636 §4.5): client authentication first (it
/// goes into a header or is appended to the body when the request is built, <see cref="TokenRequest.Build"/>), then the
/// grant's parameters in the order they go on the wire.
/// </summary>
public sealed class TokenPipeline : RequestPipeline<TokenRequest, TokenPipeline>
{
    public override string RequestName => "token request";

    /// <summary>
    /// The HTTP method (POST) and the client authentication (<paramref name="method"/>, else the client's preferred one);
    /// grant steps are added after them.
    /// </summary>
    public static TokenPipeline For(ClientProfile client, ClientAuthentication? method = null, ClientAssertionOptions? assertion = null) =>
        new TokenPipeline().Add(new HttpMethodStep(HttpMethod.Post))
            .Add(new ClientAuthenticationStep(client, method ?? ClientAuthenticationNames.Preferred(client), assertion: assertion));

    /// <summary>The code exchange: grant_type, code, redirect_uri, and code_verifier when the authorization request had a challenge.</summary>
    public static TokenPipeline AuthorizationCode(ClientProfile client, string code, string redirectUri, string? codeVerifier,
        ClientAuthentication? method = null) =>
        For(client, method).Add(new GrantTypeStep("authorization_code")).Add(new AuthorizationCodeStep(code))
            .Add(new TokenRedirectUriStep(redirectUri)).Add(new PkceVerifierStep(codeVerifier));

    public static TokenPipeline Refresh(ClientProfile client, string refreshToken, string? scope = null, ClientAuthentication? method = null) =>
        For(client, method).Add(new GrantTypeStep("refresh_token")).Add(new RefreshTokenStep(refreshToken)).Add(new TokenScopeStep(scope));

    public static TokenPipeline ClientCredentials(ClientProfile client, string? scope, ClientAuthentication? method = null, ClientAssertionOptions? assertion = null) =>
        For(client, method, assertion).Add(new GrantTypeStep("client_credentials")).Add(new TokenScopeStep(scope));

    public static TokenPipeline Password(ClientProfile client, TestUser user, string? scope) =>
        For(client).Add(new GrantTypeStep("password")).Add(new ResourceOwnerCredentialsStep(user.Username, user.Password)).Add(new TokenScopeStep(scope));

    public TokenRequest Build(string endpoint) => Run(new TokenRequest { Endpoint = endpoint });
}

/// <summary>
/// How the client proves who it is (RFC 6749 §2.3.1): as <paramref name="client"/> with <paramref name="method"/>, with
/// <paramref name="secretOverride"/> instead of the registered secret when given; <paramref name="sendSecret"/> false
/// sends no secret at all (the client only identifies itself). A JWT method (private_key_jwt, client_secret_jwt) makes
/// its client assertion as <paramref name="assertion"/> says (the normal one by default).
/// </summary>
public sealed class ClientAuthenticationStep(ClientProfile client, ClientAuthentication method, string? secretOverride = null, bool sendSecret = true,
    ClientAssertionOptions? assertion = null)
    : RequestStep<TokenRequest>
{
    public override string Part => "client authentication";

    /// <summary>Who the request says it is from, as exchange purposes name it: "client-1", "client-1, wrong secret", "client-1, no secret".</summary>
    public string Caller => !sendSecret ? $"{client.ClientId}, no secret"
        : secretOverride is null ? client.ClientId : $"{client.ClientId}, wrong secret";

    public override void Apply(TokenRequest request)
    {
        request.AuthenticateAs(client, method, secretOverride);
        if (!sendSecret) request.ClientSecret = null;
        if (assertion is not null) request.Assertion = assertion;
    }
}

/// <summary>
/// The request's HTTP method: POST with a form body (RFC 6749 §3.2), or GET with the parameters in the URL
/// (<see cref="TokenRequest.Build"/>). Like the client authentication it is a property of the request, so its place in
/// the list does not change the wire order.
/// </summary>
public sealed class HttpMethodStep(HttpMethod method) : RequestStep<TokenRequest>
{
    public override string Part => "HTTP method";
    public override void Apply(TokenRequest request) => request.Method = method;
}

public sealed class GrantTypeStep(string grantType) : RequestStep<TokenRequest>
{
    public override string Part => "grant_type";
    public override void Apply(TokenRequest request) => request.Set("grant_type", grantType);
}

public sealed class AuthorizationCodeStep(string code) : RequestStep<TokenRequest>
{
    public override string Part => "authorization code";
    public override void Apply(TokenRequest request) => request.Set("code", code);
}

/// <summary>The redirect_uri of the authorization request, repeated in the code exchange (RFC 6749 §4.1.3).</summary>
public sealed class TokenRedirectUriStep(string redirectUri) : RequestStep<TokenRequest>
{
    public override string Part => "redirect_uri";
    public override void Apply(TokenRequest request) => request.Set("redirect_uri", redirectUri);
}

/// <summary>code_verifier (RFC 7636 §4.5); nothing when <paramref name="verifier"/> is null (no challenge was sent).</summary>
public sealed class PkceVerifierStep(string? verifier) : RequestStep<TokenRequest>
{
    public override string Part => "PKCE verifier";

    public override void Apply(TokenRequest request)
    {
        if (verifier is not null) request.Set("code_verifier", verifier);
    }
}

public sealed class RefreshTokenStep(string refreshToken) : RequestStep<TokenRequest>
{
    public override string Part => "refresh_token";
    public override void Apply(TokenRequest request) => request.Set("refresh_token", refreshToken);
}

/// <summary>scope; nothing when <paramref name="scope"/> is null.</summary>
public sealed class TokenScopeStep(string? scope) : RequestStep<TokenRequest>
{
    public override string Part => "scope";

    public override void Apply(TokenRequest request)
    {
        if (scope is not null) request.Set("scope", scope);
    }
}

/// <summary>username and password of the resource owner password credentials grant (RFC 6749 §4.3.2).</summary>
public sealed class ResourceOwnerCredentialsStep(string username, string password) : RequestStep<TokenRequest>
{
    public override string Part => "resource owner credentials";
    public override void Apply(TokenRequest request) => request.Set("username", username).Set("password", password);
}
