using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tests.Proofs;

namespace OidcConformance.Tests.Checks;

public sealed class ScopeHandlingControlTests
{
    [Test]
    public void An_invalid_scope_refusal_is_no_pass_when_the_control_flow_failed_too()
    {
        var r = ScopeHandlingProofs.RefusalWithoutControl();
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("control flow");
    }

    [Test]
    public void A_token_response_without_scope_is_no_evidence_either_way()
    {
        var r = ScopeHandlingProofs.GrantedScopeAbsent();
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("no scope parameter");
    }
}
