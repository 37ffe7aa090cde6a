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
        run.Http.PostFormAsync(endpoint, [], "userinfo POST (bearer header)", new AuthenticationHeaderValue("Bearer", accessToken));

    public static Task<HttpExchange> PostBodyAsync(ConformanceRun run, string endpoint, string accessToken) =>
        run.Http.PostFormAsync(endpoint, [new("access_token", accessToken)], "userinfo POST (form body)");

    public static Task<HttpExchange> NoTokenAsync(ConformanceRun run, string endpoint) =>
        run.Http.GetAsync(endpoint, "userinfo GET (no token)");

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

    public static Task<HttpExchange> InvalidTokenAsync(ConformanceRun run, string endpoint, string token, string @case) =>
        run.Http.GetAsync(endpoint, $"userinfo GET (invalid token: {@case})", new AuthenticationHeaderValue("Bearer", token));

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
