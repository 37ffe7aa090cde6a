using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tests.Proofs;

namespace OidcConformance.Tests.Checks;

public sealed class LoopbackRedirectControlTests
{
    [Test]
    public void A_refusal_is_no_pass_when_the_registered_redirect_uri_got_no_code_either()
    {
        var r = LoopbackRedirectProofs.RefusalWithFailedControl();
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("control attempt");
        r.Case.Should().Be("localhost");
    }
}
