using OidcConformance.Browser;
using OidcConformance.Callback;
using OidcConformance.Checks;
using static OidcConformance.Checks.LogoutWithoutSessionChecks;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Logout without a session: Casdoor 3.158.0 answers an expired hint with its JSON envelope and no redirect (docs/casdoor.md
/// controllers/account.go Logout), a redirect that loses state, and the conformant redirect.
/// </summary>
public sealed class LogoutWithoutSessionProofs : IFailureProofs, IPassProofs
{
    private const string Path = "/logout-callback";

    private static AuthorizationOutcome Redirect(string? state) => new(AuthorizationEnd.Redirected, Path)
    {
        Hit = new CallbackHit
        {
            Id = "h1", Method = "GET", Path = Path, Host = "127.0.0.1",
            Query = state is null ? [] : [new KeyValuePair<string, string>("state", state)],
        },
    };

    private static readonly AuthorizationOutcome Control = Redirect("s-control");

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(RedirectsWithoutSession, "Casdoor-style JSON envelope, no redirect, after the session ended", () =>
            Evaluate("after logout", Control, "s-control", new AuthorizationOutcome(AuthorizationEnd.BlankPage, "{\"status\":\"error\",\"msg\":\"Token not found, invalid accessToken\"}"), "s-1", Path),
            "no redirect");
        yield return new(RedirectsWithoutSession, "an error page for a browser without the session cookie", () =>
            Evaluate("no session cookie", Control, "s-control", new AuthorizationOutcome(AuthorizationEnd.ProviderError, "session not found"), "s-1", Path), "no redirect");
        yield return new(RedirectsWithoutSession, "redirected without state", () =>
            Evaluate("after logout", Control, "s-control", Redirect(null), "s-1", Path), "without state");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(RedirectsWithoutSession, "redirected with the state sent", () =>
            Evaluate("after logout", Control, "s-control", Redirect("s-1"), "s-1", Path));
    }

    /// <summary>Inconclusive (LogoutWithoutSessionControlTests): the control itself did not redirect, or the attempt stalled.</summary>
    public static CheckResult WithoutControl() =>
        Evaluate("after logout", new AuthorizationOutcome(AuthorizationEnd.ProviderError, "logout disabled"), "s-control", new AuthorizationOutcome(AuthorizationEnd.ProviderError, "x"), "s-1", Path);
    public static CheckResult Stalled() =>
        Evaluate("after logout", Control, "s-control", new AuthorizationOutcome(AuthorizationEnd.Stalled, "timed out"), "s-1", Path);
}
