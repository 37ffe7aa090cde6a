using NUnit.Framework;
using OidcConformance.Checks;
using F = OidcConformance.Flows.DeviceFlow;

namespace OidcConformance.Suites.Device;

/// <summary>
/// The device authorization grant (RFC 8628) with the profile's device client (<c>clients.device</c>); Inconclusive where the
/// provider does not offer it (features.deviceAuthorization). Every scenario gets its own device code; the user's part runs
/// in a browser session of its own.
/// </summary>
[TestFixture, Category("Device"), Parallelizable(ParallelScope.Self)]
public sealed class DeviceTests : ConformanceTest
{
    [Test] public Task Authorization_response_has_the_required_members() => Verify(DeviceChecks.AuthorizationResponse, async r =>
    {
        var a = await F.AuthorizeAsync(r, F.RequireClient(r), "authorization response");
        return DeviceChecks.EvaluateAuthorizationResponse(a).Because(("device authorization response", a.Exchange));
    });

    [Test] public Task Device_endpoint_is_advertised() => Verify(DeviceChecks.DiscoveryAdvertised, async r =>
    {
        var discovery = await r.DiscoveryAsync();
        return DeviceChecks.EvaluateDiscoveryAdvertised(discovery, r.Profile.Features.DeviceAuthorization).Because(("discovery", discovery.Exchange));
    });

    [Test] public Task Pending_before_the_user_acts() => Verify(DeviceChecks.PendingBeforeApproval, async r =>
    {
        var s = await F.PendingAsync(r);
        return DeviceChecks.EvaluatePendingBeforeApproval(s.Poll).Because(("poll before the user acted", s.Poll.Exchange));
    });

    [Test] public Task Polling_too_fast_is_slowed_down() => Verify(DeviceChecks.SlowDown, async r =>
    {
        var s = await F.SlowDownAsync(r);
        return DeviceChecks.EvaluateSlowDown(s.Control, s.Fast, s.Gap, s.Interval)
            .Because(("control poll", s.Control.Exchange), ("poll sooner than the interval", s.Fast.Exchange));
    });

    [Test] public Task Approval_yields_tokens() => Verify(DeviceChecks.ApprovedYieldsTokens, async r =>
    {
        var s = await F.ApprovedAsync(r);
        var client = F.RequireClient(r);
        return DeviceChecks.EvaluateApprovedYieldsTokens(s.First, s.OpenId, s.IdToken, await r.JwksAsync(), r.Issuer, client.ClientId,
                r.Profile.PrimaryUser.Subject)
            .Because(("poll before the user acted", s.Control.Exchange), ("poll after approval", s.First.Exchange));
    });

    [Test] public Task Device_code_is_single_use() => Verify(DeviceChecks.CodeSingleUse, async r =>
    {
        var s = await F.ApprovedAsync(r);
        return DeviceChecks.EvaluateCodeSingleUse(s.First, s.Second)
            .Because(("first redemption", s.First.Exchange), ("second redemption", s.Second.Exchange));
    });

    [Test] public Task Device_code_is_bound_to_its_client() => Verify(DeviceChecks.CodeBoundToClient, async r =>
    {
        var s = await F.BoundToClientAsync(r);
        return DeviceChecks.EvaluateCodeBoundToClient(s.OtherClient, s.Owner)
            .Because(("another client's poll", s.OtherClient.Exchange), ("the owner's poll", s.Owner.Exchange)).Mutates(s.MutatedStep);
    });

    [Test] public Task Denial_yields_access_denied() => Verify(DeviceChecks.DeniedAccessDenied, async r =>
    {
        var s = await F.DeniedAsync(r);
        return DeviceChecks.EvaluateDeniedAccessDenied(s.Control, s.AfterDenial)
            .Because(("poll before the user acted", s.Control.Exchange), ("poll after denial", s.AfterDenial.Exchange));
    });

    [Test] public Task Expired_code_is_refused() => Verify(DeviceChecks.ExpiredRefused, async r =>
    {
        var s = await ExpiredAsync(r);
        return DeviceChecks.EvaluateExpiredRefused(s.Control, s.AfterExpiry, s.PastExpiry)
            .Because(("poll before expiry", s.Control.Exchange), ("poll after expiry", s.AfterExpiry.Exchange));
    });

    [Test] public Task Expired_code_is_answered_expired_token() => Verify(DeviceChecks.ExpiredToken, async r =>
    {
        var s = await ExpiredAsync(r);
        return DeviceChecks.EvaluateExpiredToken(s.Control, s.AfterExpiry, s.PastExpiry)
            .Because(("poll before expiry", s.Control.Exchange), ("poll after expiry", s.AfterExpiry.Exchange));
    });

    /// <summary>Both expiry checks judge one wait (the device code's lifetime); the scenario spends nothing another check uses.</summary>
    private static Task<F.ExpiredScenario> ExpiredAsync(OidcConformance.Run.ConformanceRun r) => r.SharedAsync(Flows.SharedArtifacts.DeviceExpired, () => F.ExpiredAsync(r));
}
