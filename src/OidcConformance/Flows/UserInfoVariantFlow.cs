using System.Net.Http.Headers;
using OidcConformance.Browser;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>One authorization with a scope subset, and the UserInfo answer for its access token.</summary>
public sealed record ScopeSubsetResult(string Label, string RequestedScope, CodeFlowResult Flow, HttpExchange UserInfo)
{
    /// <summary>The granted scope: the token response's scope, else the requested one (RFC 6749 §5.1: omitted when identical).</summary>
    public string GrantedScope => Flow.Token?.Scope ?? RequestedScope;
    public JsonBody Body => JsonBody.From(UserInfo);
}

/// <summary>Requests for the UserInfo variants: POST (header / body), no token, invalid tokens, scope subsets.</summary>
public static class UserInfoVariantFlow
{
    public static async Task<string> EndpointAsync(ConformanceRun run)
    {
        if (!run.Profile.Features.Userinfo) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)");
        return await run.EndpointAsync("userinfo_endpoint");
    }

    /// <summary>The reference flow's access token, still live, and its ID token's sub (the login shared with the other suites).</summary>
    public static async Task<(string AccessToken, string? Sub)> ReferenceTokenAsync(ConformanceRun run)
    {
        var flow = await CodeFlow.ReferenceWithLiveAccessTokenAsync(run);
        var token = flow.RequireSuccessfulToken();
        return (token.AccessToken!, flow.IdToken.ClaimString("sub"));
    }

    public static Task<HttpExchange> PostHeaderAsync(ConformanceRun run, string endpoint, string accessToken) =>
        run.Http.SendAsync(UserInfoPipeline.Post(accessToken, BearerLocation.Header).Build(endpoint), "userinfo POST (bearer header)");

    public static Task<HttpExchange> PostBodyAsync(ConformanceRun run, string endpoint, string accessToken) =>
        run.Http.SendAsync(UserInfoPipeline.Post(accessToken, BearerLocation.FormBody).Build(endpoint), "userinfo POST (form body)");

    /// <summary>The normal GET without its access token (the token it would carry does not matter: it is left out).</summary>
    public static UserInfoPipeline NoToken() => UserInfoPipeline.Get("").Without<BearerTokenStep>();

    public static Task<HttpExchange> NoTokenAsync(ConformanceRun run, string endpoint) =>
        run.Http.SendAsync(NoToken().Build(endpoint), "userinfo GET (no token)");

    /// <summary>Invalid token variants: a random string, and the real token with one character changed.</summary>
    public static readonly string[] InvalidTokenCases = ["random-string", "modified-valid-token"];

    public static string InvalidToken(string @case, string validToken) => @case switch
    {
        "random-string" => "garbage-" + Protocol.Random.Token(24),
        "modified-valid-token" => ChangeOneChar(validToken),
        _ => throw new ArgumentOutOfRangeException(nameof(@case)),
    };

    /// <summary>Changes a character in the middle (not the last one: base64url tail bits may be ignored by decoders).</summary>
    public static string ChangeOneChar(string token)
    {
        var i = token.Length / 2;
        var c = token[i] == 'A' ? 'B' : 'A';
        return token[..i] + c + token[(i + 1)..];
    }

    /// <summary>The normal GET with its access token replaced by <paramref name="invalid"/> (one of <see cref="InvalidTokenCases"/>).</summary>
    public static UserInfoPipeline WithInvalidToken(string validToken, string invalid, string @case) =>
        UserInfoPipeline.Get(validToken).Replace<BearerTokenStep>(new BearerTokenStep(invalid), @case switch
        {
            "random-string" => "a random string",
            "modified-valid-token" => "the valid token with one character changed",
            _ => @case,
        });

    public static Task<HttpExchange> InvalidTokenAsync(ConformanceRun run, string endpoint, UserInfoPipeline pipeline, string @case) =>
        run.Http.SendAsync(pipeline.Build(endpoint), $"userinfo GET (invalid token: {@case})");

    /// <summary>The normal GET with the ID token in place of the access token (RFC 6750 §2.1 carries access tokens only).</summary>
    public static UserInfoPipeline WithIdToken(string accessToken, string idToken) =>
        UserInfoPipeline.Get(accessToken).Replace<BearerTokenStep>(new BearerTokenStep(idToken), "the ID token instead of the access token");

    public static Task<HttpExchange> IdTokenAsBearerAsync(ConformanceRun run, string endpoint, UserInfoPipeline pipeline) =>
        run.Http.SendAsync(pipeline.Build(endpoint), "userinfo GET (the ID token as bearer token)");

    /// <summary>
    /// One code flow per scope subset in a user agent dedicated to the matrix: the first subset logs in, the others are
    /// SSO authorizations (consent is given where the provider asks). Each subset gets its own code and access token.
    /// </summary>
    public static Task<ScopeSubsetResult> SubsetAsync(ConformanceRun run, string label, string scope) =>
        run.SharedAsync(SharedArtifacts.UserInfoScopeSubset(label), async () =>
        {
            var endpoint = await EndpointAsync(run);
            var ua = await run.SharedAsync(SharedArtifacts.UserInfoMatrixUserAgent, run.NewUserAgentAsync);
            var flow = await CodeFlow.RunAsync(run, run.Profile.Confidential, run.Profile.PrimaryUser, userAgent: ua,
                customize: r => r.Set("scope", scope));
            var token = flow.RequireSuccessfulToken();
            var userinfo = await run.UserInfoGetAsync(endpoint, token.AccessToken!);
            return new ScopeSubsetResult(label, scope, flow, userinfo);
        });
}
