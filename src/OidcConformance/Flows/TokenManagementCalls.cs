using System.Net.Http.Headers;
using OidcConformance.Browser;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// Requests to the introspection (RFC 7662) and revocation (RFC 7009) endpoints, and the fresh, isolated logins the
/// destructive tests revoke.
/// </summary>
public static class TokenManagementCalls
{
    /// <summary>
    /// Sends the request <paramref name="pipeline"/> builds (a POST with <c>token</c> and <c>token_type_hint</c>) to
    /// <paramref name="endpoint"/>. The purpose names the caller and the hint, as it did before the pipeline (the
    /// Casdoor recordings and baselines key on it): "revocation (client-1, wrong secret, hint refresh_token)".
    /// </summary>
    public static Task<HttpExchange> PostAsync(ConformanceRun run, string endpoint, string purpose, TokenManagementPipeline pipeline) =>
        run.Http.SendAsync(pipeline.Build(endpoint).Build(), $"{purpose} ({pipeline.Caller}, hint {pipeline.Hint ?? "none"})");

    /// <summary>The introspection <paramref name="pipeline"/> builds; the answer carries the step a negative case changed.</summary>
    public static async Task<IntrospectionResponse> IntrospectAsync(ConformanceRun run, TokenManagementPipeline pipeline)
    {
        var endpoint = await run.EndpointAsync("introspection_endpoint");
        return IntrospectionResponse.From(await PostAsync(run, endpoint, "introspection", pipeline)) with { MutatedStep = pipeline.MutatedStep };
    }

    /// <summary>The normal introspection: <paramref name="client"/> introspects <paramref name="token"/> with <paramref name="hint"/> (none when null).</summary>
    public static Task<IntrospectionResponse> IntrospectAsync(ConformanceRun run, string token, string? hint, ClientProfile client) =>
        IntrospectAsync(run, TokenManagementPipeline.Introspection(client, token, hint));

    public static async Task<HttpExchange> RevokeAsync(ConformanceRun run, TokenManagementPipeline pipeline)
    {
        var endpoint = await run.EndpointAsync("revocation_endpoint");
        return await PostAsync(run, endpoint, "revocation", pipeline);
    }

    /// <summary>The normal revocation: <paramref name="client"/> revokes <paramref name="token"/> with <paramref name="hint"/> (none when null).</summary>
    public static Task<HttpExchange> RevokeAsync(ConformanceRun run, string token, string? hint, ClientProfile client) =>
        RevokeAsync(run, TokenManagementPipeline.Revocation(client, token, hint));

    /// <summary>
    /// Uses an access token the way a resource server would: UserInfo where the provider offers it, otherwise an
    /// introspection by the token's own client.
    /// </summary>
    public static async Task<AccessTokenProbe> ProbeAccessTokenAsync(ConformanceRun run, string accessToken, ClientProfile owner)
    {
        if (run.Profile.Features.Userinfo)
        {
            var endpoint = await run.EndpointAsync("userinfo_endpoint");
            return new AccessTokenProbe(AccessTokenProbe.UserInfo,
                await run.Http.GetAsync(endpoint, "userinfo GET (token still valid?)", new AuthenticationHeaderValue("Bearer", accessToken)));
        }
        if (run.Profile.Features.Introspection)
            return new AccessTokenProbe(AccessTokenProbe.Introspection, (await IntrospectAsync(run, accessToken, "access_token", owner)).Exchange);
        throw new PrerequisiteException("the provider offers neither UserInfo nor introspection, so an access token's validity cannot be observed");
    }

    public static Task<TokenResponse> RefreshAsync(ConformanceRun run, string tokenEndpoint, ClientProfile client, string refreshToken, string purpose) =>
        run.TokenAsync(TokenRequest.Refresh(tokenEndpoint, client, refreshToken), $"token: refresh_token ({purpose})");

    /// <summary>
    /// A browser session of its own for one suite. Revoking a token can revoke its whole grant (node-oidc-provider
    /// does), and SSO logins of one session share that grant: the destructive suites must never revoke the grant of
    /// the shared reference login, so they log in once in a session nobody else uses.
    /// </summary>
    public static Task<UserAgent> IsolatedUserAgentAsync(ConformanceRun run, string owner) =>
        run.SharedAsync(SharedArtifacts.IsolatedUserAgent(owner), () => run.NewUserAgentAsync());

    /// <summary>A fresh code flow in the suite's own session; its tokens are the caller's to revoke.</summary>
    public static async Task<CodeFlowResult> FreshLoginAsync(ConformanceRun run, string owner, ClientProfile client)
    {
        if (!client.GrantTypes.Contains("authorization_code"))
            throw new PrerequisiteException($"client {client.ClientId} is not registered for the authorization code grant");
        var flow = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser, userAgent: await IsolatedUserAgentAsync(run, owner));
        flow.RequireSuccessfulToken();
        return flow;
    }

    public static string GarbageToken() => "garbage-" + Protocol.Random.Token(24);
}
