using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tests.Proofs;

namespace OidcConformance.Tests.Checks;

public sealed class LogoutWithoutSessionControlTests
{
    [Test]
    public void No_verdict_when_the_control_logout_with_a_session_did_not_redirect()
    {
        var r = LogoutWithoutSessionProofs.WithoutControl();
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("control logout");
    }

    [Test]
    public void A_stall_is_never_a_verdict()
    {
        LogoutWithoutSessionProofs.Stalled().Verdict.Should().Be(Verdict.Inconclusive);
    }
}
