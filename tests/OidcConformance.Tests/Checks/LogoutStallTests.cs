using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// A negative logout check passes only on the OP's own answer (an error page, a logout page, a confirmation prompt):
/// a page that failed to load, a timeout or an empty stall is no evidence that the OP refused the request.
/// </summary>
public sealed class LogoutStallTests
{
    [TestCase("net::ERR_CONNECTION_RESET at http://op.example/logout")]
    [TestCase("timed out waiting for the provider")]
    [TestCase("no redirect before the deadline")]
    public void A_stalled_logout_is_never_a_pass(string detail)
    {
        var stalled = new AuthorizationOutcome(AuthorizationEnd.Stalled, detail) { FinalUrl = "http://op.example/session/end" };
        foreach (var check in new[] { LogoutNegativeChecks.UnregisteredUri, LogoutNegativeChecks.QueryModifiedUri, LogoutNegativeChecks.NoIdTokenHint })
        {
            var result = LogoutNegativeChecks.EvaluateNoRedirect(check, stalled, [], confirmed: false);
            result.Verdict.Should().Be(Verdict.Inconclusive, $"{check.Id} on a stall ({detail})");
            result.Reason.Should().Contain("no evidence");
        }
    }

    [Test]
    public void The_confirmation_prompt_is_the_OPs_own_answer()
    {
        var prompt = new AuthorizationOutcome(AuthorizationEnd.Stalled, "logout confirmation shown");
        LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.NoIdTokenHint, prompt, [], confirmed: false)
            .Verdict.Should().Be(Verdict.Passed);
    }
}
