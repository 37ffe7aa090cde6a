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
    /// A POST with <c>token</c> (and <c>token_type_hint</c>) authenticated as <paramref name="client"/> (null: no
    /// credentials at all). <paramref name="secretOverride"/> sends a wrong secret; <paramref name="clientIdOnly"/>
    /// sends client_id without any secret.
    /// </summary>
    public static Task<HttpExchange> PostAsync(ConformanceRun run, string endpoint, string purpose, string token, string? hint,
        ClientProfile? client, ClientAuthentication? method = null, string? secretOverride = null, bool clientIdOnly = false)
    {
        var request = new TokenRequest { Endpoint = endpoint };
        if (client is not null)
        {
            if (clientIdOnly) request.AuthenticateAs(client, ClientAuthentication.None);
            else request.AuthenticateAs(client, method ?? ClientAuthenticationNames.Preferred(client), secretOverride);
        }
        else request.Authentication = ClientAuthentication.None;
        request.Set("token", token);
        if (hint is not null) request.Set("token_type_hint", hint);
        var who = client is null ? "no credentials" : clientIdOnly ? $"{client.ClientId}, no secret" : $"{client.ClientId}{(secretOverride is null ? "" : ", wrong secret")}";
        return run.Http.SendAsync(request.Build(), $"{purpose} ({who}, hint {hint ?? "none"})");
    }

    public static async Task<IntrospectionResponse> IntrospectAsync(ConformanceRun run, string token, string? hint, ClientProfile? client,
        ClientAuthentication? method = null, string? secretOverride = null)
    {
        var endpoint = await run.EndpointAsync("introspection_endpoint");
        return IntrospectionResponse.From(await PostAsync(run, endpoint, "introspection", token, hint, client, method, secretOverride));
    }

    public static async Task<HttpExchange> RevokeAsync(ConformanceRun run, string token, string? hint, ClientProfile? client,
        ClientAuthentication? method = null, string? secretOverride = null, bool clientIdOnly = false)
    {
        var endpoint = await run.EndpointAsync("revocation_endpoint");
        return await PostAsync(run, endpoint, "revocation", token, hint, client, method, secretOverride, clientIdOnly);
    }

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
