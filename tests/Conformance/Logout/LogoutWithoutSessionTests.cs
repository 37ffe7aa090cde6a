using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.Logout;

/// <summary>
/// Issue #19, blind spot 4: RP-initiated logout when the provider's session already ended (logged out already, or a browser
/// without the session cookie), after a control logout with the session in the same flow.
/// </summary>
[TestFixture, Category("LogoutWithoutSession"), Parallelizable(ParallelScope.Self)]
public sealed class LogoutWithoutSessionTests : ConformanceTest
{
    public static IEnumerable<TestCaseData> Cases() =>
        LogoutWithoutSessionChecks.Cases.Select(c => new TestCaseData(c).SetArgDisplayNames(c));

    [TestCaseSource(nameof(Cases))]
    public Task Logout_without_session_redirects_with_state(string @case) => Verify(LogoutWithoutSessionChecks.RedirectsWithoutSession, async r =>
    {
        var f = await LogoutWithoutSessionFlow.RunAsync(r);
        var (outcome, state) = @case == "after logout" ? (f.AfterLogout, f.AfterLogoutState) : (f.NoCookie, f.NoCookieState);
        return LogoutWithoutSessionChecks.Evaluate(@case, f.Control, f.ControlState, outcome, state, f.PostLogoutPath);
    });
}
