using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.BackchannelLogout;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0: an RP-initiated logout of <c>clients.backchannel</c> (its own login and session)
/// and the logout token the provider POSTs to the suite's receiver on the callback listener.
/// </summary>
[TestFixture, Category("BackchannelLogout"), Parallelizable(ParallelScope.Self)]
public sealed class BackchannelLogoutTests : ConformanceTest
{
    private static CheckResult WithToken(CheckResult result, BackchannelDelivery d) =>
        result.Verdict == Verdict.Passed || d.LogoutToken is null ? result : result.WithEvidence(new Evidence("logout token", d.Token.DescribeForEvidence()));

    [Test] public Task Discovery_advertises_support() => Verify(BackchannelLogoutChecks.DiscoveryAdvertised, async r =>
        BackchannelLogoutChecks.EvaluateDiscoveryAdvertised(await r.DiscoveryAsync(), r.Profile.Features));

    [Test] public Task Logout_token_is_delivered() => Verify(BackchannelLogoutChecks.Delivered, async r =>
        BackchannelLogoutChecks.EvaluateDelivered((await BackchannelLogoutFlow.LogoutAsync(r)).Delivery));

    [Test] public Task Logout_token_is_signed() => Verify(BackchannelLogoutChecks.Signature, async r =>
    {
        var d = (await BackchannelLogoutFlow.LogoutAsync(r)).Delivery;
        return WithToken(BackchannelLogoutChecks.EvaluateSignature(d, await r.JwksAsync()), d);
    });

    [Test] public Task Logout_token_has_the_required_claims() => Verify(BackchannelLogoutChecks.Claims, async r =>
    {
        var s = await BackchannelLogoutFlow.LogoutAsync(r);
        return WithToken(BackchannelLogoutChecks.EvaluateClaims(s.Delivery, r.Issuer, s.Login.Client.ClientId), s.Delivery);
    });

    [Test] public Task Logout_token_declares_the_event() => Verify(BackchannelLogoutChecks.Events, async r =>
    {
        var d = (await BackchannelLogoutFlow.LogoutAsync(r)).Delivery;
        return WithToken(BackchannelLogoutChecks.EvaluateEvents(d), d);
    });

    [Test] public Task Logout_token_names_sub_or_sid() => Verify(BackchannelLogoutChecks.SubOrSid, async r =>
    {
        var d = (await BackchannelLogoutFlow.LogoutAsync(r)).Delivery;
        return WithToken(BackchannelLogoutChecks.EvaluateSubOrSid(d), d);
    });

    [Test] public Task Logout_token_has_no_nonce() => Verify(BackchannelLogoutChecks.NoNonce, async r =>
    {
        var d = (await BackchannelLogoutFlow.LogoutAsync(r)).Delivery;
        return WithToken(BackchannelLogoutChecks.EvaluateNoNonce(d), d);
    });

    [Test] public Task Logout_token_sid_is_the_sessions() => Verify(BackchannelLogoutChecks.SidMatchesIdToken, async r =>
    {
        var s = await BackchannelLogoutFlow.LogoutAsync(r);
        return WithToken(BackchannelLogoutChecks.EvaluateSidMatches(s.Delivery, s.Login.IdToken, s.Login.Client.BackchannelLogoutSessionRequired), s.Delivery);
    });
}
