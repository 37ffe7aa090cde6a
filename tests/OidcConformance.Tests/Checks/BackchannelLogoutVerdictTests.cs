using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Checks;

/// <summary>Absence is not acceptance: no logout token is judged when the logout did not complete, and a missing token is no verdict on its content.</summary>
public sealed class BackchannelLogoutVerdictTests
{
    [Test]
    public void No_token_is_due_when_the_logout_did_not_complete()
    {
        var d = new BackchannelDelivery(false, "the provider showed an error page", null, null, 0.1);
        BackchannelLogoutChecks.EvaluateDelivered(d).Verdict.Should().Be(Verdict.Inconclusive);
        BackchannelLogoutChecks.EvaluateNoNonce(d).Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void A_missing_token_leaves_the_content_checks_inconclusive()
    {
        var d = new BackchannelDelivery(true, "redirected", null, null, 10);
        BackchannelLogoutChecks.EvaluateDelivered(d).Verdict.Should().Be(Verdict.Failed);
        foreach (var r in new[]
                 {
                     BackchannelLogoutChecks.EvaluateEvents(d), BackchannelLogoutChecks.EvaluateSubOrSid(d), BackchannelLogoutChecks.EvaluateNoNonce(d),
                     BackchannelLogoutChecks.EvaluateClaims(d, "http://op.test", "c"), BackchannelLogoutChecks.EvaluateSidMatches(d, DecodedJwt.Decode(null), true),
                 })
            r.Verdict.Should().Be(Verdict.Inconclusive, r.Check.Id);
    }

    [Test]
    public void A_token_that_is_no_JWT_is_a_violation_not_a_crash()
    {
        var d = new BackchannelDelivery(true, "redirected", "POST", "not-a-jwt", 0.2);
        BackchannelLogoutChecks.EvaluateEvents(d).Verdict.Should().Be(Verdict.Failed);
        BackchannelLogoutChecks.EvaluateEvents(d).Reason.Should().Contain("not a JWT");
    }
}
