using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.JwtBearerGrant;

/// <summary>
/// The JWT bearer authorization grant (RFC 7523 §2.1, §3) of the profile's jwtBearer client. Without one, every check is
/// Inconclusive naming clients.jwtBearer. Of the providers here, Authlib (fixtures/providers/authlib, runsettings/authlib.runsettings)
/// implements the grant; node-oidc-provider, glewlwyd and OpenIddict do not (docs/profile-format.md).
/// </summary>
[TestFixture, Category("JwtBearer"), Parallelizable(ParallelScope.Self)]
public sealed class JwtBearerGrantTests : ConformanceTest
{
    [Test] public Task Valid_assertion_yields_a_token() => Verify(JwtBearerChecks.AssertionGrant, async r =>
    {
        var response = await JwtBearerFlow.NormalAsync(r);
        return JwtBearerChecks.EvaluateGrant(response).Because(("token request", response?.Exchange));
    });

    private static CheckDefinition CheckOf(string @case) => @case switch
    {
        "aud of another server" => JwtBearerChecks.WrongAudience,
        "expired" => JwtBearerChecks.Expired,
        "not yet valid" => JwtBearerChecks.NotYetValid,
        _ => JwtBearerChecks.BadSignature,
    };

    [TestCaseSource(typeof(JwtBearerFlow), nameof(JwtBearerFlow.RefusalCases))]
    public Task Invalid_assertion_is_invalid_grant(string @case) => Verify(CheckOf(@case), async r =>
    {
        var a = await JwtBearerFlow.RefusalAsync(r, @case);
        return JwtBearerChecks.EvaluateRefused(CheckOf(@case), JwtBearerFlow.Describe(@case), a.Control, a.Mutated)
            .Because(("control: normal assertion", a.Control.Exchange), ("changed assertion", a.Mutated.Exchange)).Mutates(a.MutatedStep).WithCase(@case);
    });

    [Test] public Task Replayed_assertion_is_refused() => Verify(JwtBearerChecks.Replayed, async r =>
    {
        var a = await JwtBearerFlow.ReplayAsync(r);
        return JwtBearerChecks.EvaluateRefused(JwtBearerChecks.Replayed, "an assertion already exchanged (same jti)", a.Control, a.Mutated)
            .Because(("first use", a.Control.Exchange), ("second use", a.Mutated.Exchange)).Mutates(a.MutatedStep);
    });

    [Test] public Task Working_grant_is_advertised() => Verify(JwtBearerChecks.GrantAdvertised, async r =>
    {
        var response = await JwtBearerFlow.NormalAsync(r);
        return JwtBearerChecks.EvaluateAdvertised(await r.DiscoveryAsync(), response?.IsSuccess);
    });
}
