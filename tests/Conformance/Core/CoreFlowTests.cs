using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Suites.Core;

/// <summary>
/// The core flow as one check (core.reference-flow): discovery → JWK Set → the reference login → its code exchange.
/// It reads the same shared artifacts the other suites use, so a break there fails here, named by its step.
/// </summary>
[TestFixture, Category("Core"), Parallelizable(ParallelScope.Self)]
public sealed class CoreFlowTests : ConformanceTest
{
    [Test]
    public Task Discovery_jwks_login_and_code_exchange_work() => Verify(CoreFlowChecks.ReferenceFlow, async r =>
    {
        var discovery = await r.DiscoveryAsync();
        JwksDocument? jwks;
        try { jwks = await r.JwksAsync(); }
        catch (PrerequisiteException e) { return CoreFlowChecks.Evaluate(new CoreFlowEvidence(discovery, null, null, null) { NotReached = e.Message }); }
        if (!r.Profile.Features.AuthorizationCode)
            return CoreFlowChecks.Evaluate(new CoreFlowEvidence(discovery, jwks, null, null) { CodeFlowOffered = false });
        CodeFlowResult login;
        try { login = await CodeFlow.ReferenceAsync(r); }
        catch (PrerequisiteException e) { return CoreFlowChecks.Evaluate(new CoreFlowEvidence(discovery, jwks, null, null) { NotReached = e.Message }); }
        return CoreFlowChecks.Evaluate(new CoreFlowEvidence(discovery, jwks, login.Outcome, login.Token));
    });
}
