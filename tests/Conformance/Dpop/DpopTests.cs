using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;

namespace OidcConformance.Suites.Dpop;

/// <summary>
/// OAuth 2.0 DPoP (RFC 9449) with the suite's own ES256 keys: a login of the confidential client bound to key A (UserInfo
/// with valid and changed proofs), token requests of the client-credentials client with valid and changed proofs, and the
/// public client's bound refresh token. Every refusal is judged against the valid request of the same scenario.
/// </summary>
[TestFixture, Category("Dpop"), Parallelizable(ParallelScope.Self)]
public sealed class DpopTests : ConformanceTest
{
    private static CheckResult Evidence(CheckResult result, params (string Label, DpopExchange? Exchange)[] exchanges) =>
        result.Because([.. exchanges.Where(e => e.Exchange is not null).SelectMany(e => e.Exchange!.Retried is null
            ? new[] { (e.Label, (Http.HttpExchange?)e.Exchange.First) }
            : [(e.Label + " (first answer)", e.Exchange.First), (e.Label + " (retried with the nonce)", e.Exchange.Retried)])]);

    [Test] public Task Discovery_advertises_proof_algorithms() => Verify(DpopChecks.DiscoveryAdvertised, async r =>
        DpopChecks.EvaluateDiscoveryAdvertised(await r.DiscoveryAsync(), r.Profile.Features));

    // What discovery advertises is judged whatever the profile says (docs/profile-format.md, "not offered" never silences an
    // advertised value): a MAC algorithm listed here is a defect even where the suite does not exercise DPoP.
    [Test] public Task Advertised_algorithms_are_asymmetric() => Verify(DpopChecks.DiscoveryAlgsAsymmetric, async r =>
        DpopChecks.EvaluateDiscoveryAlgs(await r.DiscoveryAsync()));

    [TestCase("authorization_code")]
    [TestCase("client_credentials")]
    [TestCase("refresh_token (public client)")]
    public Task Token_type_is_DPoP(string grant) => Verify(DpopChecks.TokenType, async r =>
    {
        var exchange = grant switch
        {
            "authorization_code" => (await DpopFlow.BoundAsync(r)).TokenExchange,
            "client_credentials" => (await DpopFlow.TokenProofsAsync(r)).Control,
            _ => (await DpopFlow.PublicRefreshAsync(r)).Control,
        };
        return Evidence(DpopChecks.EvaluateTokenType(exchange), ("token request", exchange)).WithCase(grant);
    });

    [Test] public Task Access_token_is_bound_to_the_proof_key() => Verify(DpopChecks.CnfJkt, async r =>
    {
        var s = await DpopFlow.BoundAsync(r);
        return DpopChecks.EvaluateCnfJkt(s.Introspection, s.AccessToken, s.KeyThumbprint).Because(("introspection", s.Introspection?.Exchange));
    });

    private static async Task<DpopUserInfo> UserInfo(Run.ConformanceRun r) =>
        (await DpopFlow.BoundAsync(r)).UserInfo ?? throw new Run.PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)");

    [TestCase("DPoP scheme without proof")]
    [TestCase("Bearer scheme without proof")]
    public Task UserInfo_refuses_the_bound_token_without_proof(string @case) => Verify(DpopChecks.UserInfoRequiresProof, async r =>
    {
        var u = await UserInfo(r);
        var mutated = @case.StartsWith("DPoP", StringComparison.Ordinal) ? u.DpopSchemeWithoutProof : u.BearerScheme;
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.UserInfoRequiresProof, u.Control, mutated, "the bound access token without a proof"),
            ("with a valid proof", u.Control), (@case, mutated)).Mutates(u.MutatedSteps[@case]).WithCase(@case);
    });

    [Test] public Task UserInfo_refuses_a_proof_of_another_key() => Verify(DpopChecks.OtherKeyRefused, async r =>
    {
        var u = await UserInfo(r);
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.OtherKeyRefused, u.Control, u.OtherKey, "a proof signed by another key than the token's"),
            ("with a valid proof", u.Control), ("proof of another key", u.OtherKey)).Mutates(u.MutatedSteps["other key"]);
    });

    [Test] public Task UserInfo_refuses_a_wrong_ath() => Verify(DpopChecks.WrongAthRefused, async r =>
    {
        var u = await UserInfo(r);
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.WrongAthRefused, u.Control, u.WrongAth, "a proof whose ath is another token's hash"),
            ("with a valid proof", u.Control), ("wrong ath", u.WrongAth)).Mutates(u.MutatedSteps["wrong ath"]);
    });

    [Test] public Task Token_endpoint_refuses_a_wrong_htm() => Verify(DpopChecks.WrongHtmRefused, async r =>
    {
        var s = await DpopFlow.TokenProofsAsync(r);
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.WrongHtmRefused, s.Control, s.WrongHtm, "a proof for another HTTP method"),
            ("with a valid proof", s.Control), ("wrong htm", s.WrongHtm)).Mutates(s.MutatedSteps["htm"]);
    });

    [Test] public Task Token_endpoint_refuses_a_wrong_htu() => Verify(DpopChecks.WrongHtuRefused, async r =>
    {
        var s = await DpopFlow.TokenProofsAsync(r);
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.WrongHtuRefused, s.Control, s.WrongHtu, "a proof for another URI"),
            ("with a valid proof", s.Control), ("wrong htu", s.WrongHtu)).Mutates(s.MutatedSteps["htu"]);
    });

    [Test] public Task Token_endpoint_refuses_a_stale_proof() => Verify(DpopChecks.StaleIatRefused, async r =>
    {
        var s = await DpopFlow.TokenProofsAsync(r);
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.StaleIatRefused, s.Control, s.StaleIat, "a proof created an hour ago"),
            ("with a valid proof", s.Control), ("stale iat", s.StaleIat)).Mutates(s.MutatedSteps["iat"]);
    });

    [Test] public Task Token_endpoint_refuses_a_replayed_proof() => Verify(DpopChecks.ReplayedJtiRefused, async r =>
    {
        var s = await DpopFlow.TokenProofsAsync(r);
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.ReplayedJtiRefused, s.Control, s.Replayed, "the same proof sent a second time"),
            ("first use", s.Control), ("second use", s.Replayed)).Mutates(s.MutatedSteps["replayed"]);
    });

    [TestCase("token endpoint")]
    [TestCase("UserInfo")]
    public Task Nonce_challenge_is_answerable(string where) => Verify(DpopChecks.NonceChallenge, async r =>
    {
        var exchange = where == "UserInfo" ? (await UserInfo(r)).Control : (await DpopFlow.TokenProofsAsync(r)).Control;
        return Evidence(DpopChecks.EvaluateNonceChallenge(exchange, where), (where, exchange)).WithCase(where);
    });

    [TestCase("other key")]
    [TestCase("no proof")]
    public Task Public_clients_refresh_token_is_bound(string @case) => Verify(DpopChecks.RefreshBoundPublicClient, async r =>
    {
        var s = await DpopFlow.PublicRefreshAsync(r);
        var mutated = @case == "other key" ? s.OtherKey : s.WithoutProof;
        return Evidence(DpopChecks.EvaluateRefused(DpopChecks.RefreshBoundPublicClient, s.Control, mutated,
                @case == "other key" ? "a refresh with a proof of another key" : "a refresh without a proof"),
            (@case, mutated), ("with the original key", s.Control)).Mutates(s.MutatedSteps[@case]).WithCase(@case);
    });
}
