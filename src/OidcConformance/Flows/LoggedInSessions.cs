using OidcConformance.Browser;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// Logged-in browser sessions (the confidential client, the primary user) for checks that need the OP to have a session
/// but do not care which one: the authorization-endpoint negatives, prompt and max_age. The first is the run's reference
/// login; more are logged in only while every existing one is busy (<see cref="SessionPool{T}"/>). What an attempt does
/// to its session (a new login for prompt=login or max_age=0) leaves it logged in, so any session fits any attempt.
/// </summary>
public static class LoggedInSessions
{
    /// <summary>At most three: each costs a browser login, and three keep the three authorization-endpoint fixtures busy.</summary>
    public const int MaxSessions = 3;

    /// <summary>One logged-in session and the code flow that logged it in (its ID token has the auth_time).</summary>
    public sealed record Session(UserAgent UserAgent, CodeFlowResult Login);

    public static async Task<SessionPool<Session>.Lease> AcquireAsync(ConformanceRun run) =>
        await (await SessionPool<Session>.Of(run, "logged-in", MaxSessions, async index =>
        {
            var login = index == 0
                ? await CodeFlow.ReferenceAsync(run)
                : await CodeFlow.RunAsync(run, run.Profile.Confidential, run.Profile.PrimaryUser);
            if (login.Outcome.Response?.Code is null)
                throw new PrerequisiteException($"the login of a browser session for this check did not return a code ({login.Outcome.Describe()}), so a logged-in session is missing");
            return new Session(login.UserAgent, login);
        })).AcquireAsync();
}
