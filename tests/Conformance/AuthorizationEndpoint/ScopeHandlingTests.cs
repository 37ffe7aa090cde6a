using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.AuthorizationEndpoint;

/// <summary>
/// A scope value the provider never defined (issue #19, blind spot 6): the control flow with scope openid, then the same flow
/// with the undefined value added, both with their codes exchanged, in this one check.
/// </summary>
[TestFixture, Category("Scope"), Parallelizable(ParallelScope.Self)]
public sealed class ScopeHandlingTests : ConformanceTest
{
    [Test] public Task Undefined_scope_is_not_granted() => Verify(ScopeHandlingChecks.UndefinedScopeNotGranted, async r =>
    {
        var control = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("scope", "openid"), exchangeCode: true);
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("scope", "openid " + ScopeHandlingChecks.UndefinedScope), exchangeCode: true);
        return ScopeHandlingChecks.Evaluate(control, attempt);
    });
}
