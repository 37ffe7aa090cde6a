using OidcConformance.Browser;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>An RP-initiated logout after a login, and the silent re-authentication attempted after it.</summary>
public sealed record LogoutFlowResult(CodeFlowResult Login, string State, string PostLogoutRedirectUri, AuthorizationOutcome Logout,
    AuthorizationOutcome? PromptNoneAfter)
{
    /// <summary>UserInfo called with the login's access token before logging out (the relying party's journey).</summary>
    public HttpExchange? UserInfoBeforeLogout { get; init; }
}

public static class LogoutFlow
{
    /// <summary>Logs in (own session), logs out with id_token_hint + post_logout_redirect_uri + state, then tries prompt=none.</summary>
    public static Task<LogoutFlowResult> StandardAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.StandardLogout, async () =>
    {
        if (!run.Profile.Features.RpInitiatedLogout)
            throw new PrerequisiteException("the provider does not offer RP-initiated logout (profile features.rpInitiatedLogout)");
        var endpoint = await run.EndpointAsync("end_session_endpoint");
        var client = run.Profile.Confidential;
        var login = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser);
        var idToken = login.RequireSuccessfulToken().IdToken ?? throw new PrerequisiteException("the login issued no id_token to use as id_token_hint");
        HttpExchange? userinfo = null;
        if (run.Profile.Features.Userinfo && login.Token?.AccessToken is { } accessToken)
            userinfo = await run.UserInfoGetAsync(await run.EndpointAsync("userinfo_endpoint"), accessToken);
        var postLogout = run.PostLogoutRedirectUri(client);
        // The normal logout request: id_token_hint, post_logout_redirect_uri, a fresh state, client_id (EndSessionPipeline).
        var request = EndSessionPipeline.Standard(idToken, postLogout, client.ClientId).Build(endpoint);
        var state = request.State!;
        var logout = await run.Authorizer.LogoutAsync(login.UserAgent, request.ToUri());
        AuthorizationOutcome? after = null;
        if (logout.End == AuthorizationEnd.Redirected)
        {
            var silent = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser, userAgent: login.UserAgent,
                authorizationSteps: p => p.Add(new PromptStep("none")), allowLogin: false);
            after = silent.Outcome;
        }
        return new LogoutFlowResult(login, state, postLogout, logout, after) { UserInfoBeforeLogout = userinfo };
    });

    /// <summary>A fresh login of the confidential client whose ID token a logout case sends as id_token_hint.</summary>
    public sealed record LoggedIn(string EndSessionEndpoint, Profiles.ClientProfile Client, CodeFlowResult Login, string IdToken);

    /// <summary>
    /// Logs the primary user in with the confidential client in a user agent of its own (the caller disposes
    /// <c>Login.UserAgent</c>), after checking that the provider offers RP-initiated logout.
    /// </summary>
    public static async Task<LoggedIn> FreshLoginAsync(ConformanceRun run)
    {
        if (!run.Profile.Features.RpInitiatedLogout)
            throw new PrerequisiteException("the provider does not offer RP-initiated logout (profile features.rpInitiatedLogout)");
        var endpoint = await run.EndpointAsync("end_session_endpoint");
        var client = run.Profile.Confidential;
        var login = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser);
        try
        {
            var idToken = login.RequireSuccessfulToken().IdToken ?? throw new PrerequisiteException("the login issued no id_token to use as id_token_hint");
            return new LoggedIn(endpoint, client, login, idToken);
        }
        catch
        {
            await login.UserAgent.DisposeAsync();
            throw;
        }
    }
}
