using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Run;

namespace OidcConformance.Suites.Logout;

/// <summary>OpenID Connect RP-Initiated Logout 1.0 with the confidential client.</summary>
[TestFixture, Category("Logout"), Parallelizable(ParallelScope.Self)]
public sealed class LogoutTests : ConformanceTest
{
    [Test] public Task End_session_endpoint_is_advertised() => Verify(LogoutChecks.EndpointAdvertised, async r =>
        LogoutChecks.EvaluateEndpointAdvertised(await r.DiscoveryAsync(), r.Profile.Features));

    [Test] public Task Logout_redirects_with_state() => Verify(LogoutChecks.RedirectWithState, async r =>
    {
        var flow = await LogoutFlow.StandardAsync(r);
        return LogoutChecks.EvaluateRedirectWithState(flow.Logout, flow.PostLogoutRedirectUri, flow.State);
    });

    [Test] public Task Session_ends_after_logout() => Verify(LogoutChecks.SessionEnded, async r =>
    {
        var flow = await LogoutFlow.StandardAsync(r);
        return LogoutChecks.EvaluateSessionEnded(flow.PromptNoneAfter ?? throw new PrerequisiteException($"the logout did not complete: {flow.Logout.Describe()}"));
    });
}
