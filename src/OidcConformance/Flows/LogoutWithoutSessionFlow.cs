using OidcConformance.Browser;
using OidcConformance.Run;
using OidcConformance.Protocol;

namespace OidcConformance.Flows;

/// <summary>The control logout with a session, then the same logout in the same browser (session ended) and in a browser without cookies.</summary>
public sealed record LogoutWithoutSessionResult(AuthorizationOutcome Control, string ControlState, AuthorizationOutcome AfterLogout, string AfterLogoutState,
    AuthorizationOutcome NoCookie, string NoCookieState, string PostLogoutPath);

public static class LogoutWithoutSessionFlow
{
    /// <summary>One login, one control logout, and both cases; shared by the cases' executions.</summary>
    public static Task<LogoutWithoutSessionResult> RunAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.LogoutWithoutSession, async () =>
    {
        var (endpoint, client, login, idToken) = await LogoutFlow.FreshLoginAsync(run);
        await using var ua = login.UserAgent;
        var postLogout = run.PostLogoutRedirectUri(client);
        // The standard logout request (EndSessionPipeline.Standard, with client_id) each time, with the state given.
        Uri Url(string state) => EndSessionPipeline.Standard(idToken, postLogout, client.ClientId, state).Build(endpoint).ToUri();

        var controlState = Protocol.Random.Token(12);
        var control = await run.Authorizer.LogoutAsync(ua, Url(controlState));
        var afterState = Protocol.Random.Token(12);
        var after = await run.Authorizer.LogoutAsync(ua, Url(afterState));
        await using var fresh = await run.NewUserAgentAsync();
        var freshState = Protocol.Random.Token(12);
        var noCookie = await run.Authorizer.LogoutAsync(fresh, Url(freshState));
        return new LogoutWithoutSessionResult(control, controlState, after, afterState, noCookie, freshState, new Uri(postLogout).AbsolutePath);
    });
}
