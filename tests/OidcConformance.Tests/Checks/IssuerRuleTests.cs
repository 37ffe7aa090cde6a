using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// One rule, one place (issue #16): "a discovery document's issuer is its URL base and the iss of its tokens" is judged
/// by four checks; on the same documents they must never disagree — one Passed where another finds the same rule violated.
/// Each case is a document that made two of them disagree before IssuerRule.
/// </summary>
public sealed class IssuerRuleTests
{
    private const string Global = "http://localhost:8000";
    private static string Real => Recorded.DiscoveryJson;

    private static AppDiscoveryArtifacts App(string url, string? issuer, string? tokenIss = Global)
    {
        var doc = Make.Discovery(Make.Edit(Real, o => { if (issuer is null) o.Remove("issuer"); else o["issuer"] = issuer; }), url);
        return new(new ApplicationDiscovery("app", url, "confidential"), doc)
        {
            IdToken = tokenIss is null ? null : DecodedJwt.Decode(Make.Jwt(Make.Header(), Make.IdTokenClaims().With("iss", tokenIss))),
        };
    }

    [TestCase("http://localhost:8000/.well-known/openid-configuration", "http://localhost:8000", ExpectedResult = "http://localhost:8000")]
    [TestCase("https://op.example/tenant-1/.well-known/openid-configuration", null, ExpectedResult = "https://op.example/tenant-1")]
    [TestCase("http://localhost:8000/.well-known/app-conformance/openid-configuration", null, ExpectedResult = null)]
    public string? Url_base_is_the_url_without_the_well_known_suffix_or_none(string url, string? _) => IssuerRule.UrlBase(url);

    [Test]
    public void A_document_at_a_4_1_url_naming_the_global_issuer_is_a_violation_for_both_url_checks()
    {
        var app = App("http://localhost:8000/apps/a/.well-known/openid-configuration", Global);
        var strict = DiscoveryChecks.EvaluateIssuerMatchesUrl(app.Document);
        var relaxed = DiscoveryExtraChecks.EvaluateAppIssuer([app], Global);
        strict.Verdict.Should().Be(Verdict.Failed, strict.Reason);
        relaxed.IsViolation.Should().BeTrue("before IssuerRule the relaxation passed what §4.3 fails: {0}", relaxed.Reason);
    }

    [Test]
    public void A_document_outside_4_1_naming_the_global_issuer_is_not_judged_by_the_url_rule_and_passes_the_relaxation()
    {
        var app = App("http://localhost:8000/.well-known/app-conformance/openid-configuration", Global);
        DiscoveryChecks.EvaluateIssuerMatchesUrl(app.Document).Verdict.Should().Be(Verdict.Inconclusive);
        DiscoveryExtraChecks.EvaluateAppIssuer([app], Global).Verdict.Should().Be(Verdict.Passed);
    }

    [TestCase(null, Description = "document without an issuer: before, discovery.app-id-token-iss was Inconclusive while the Casdoor check failed")]
    [TestCase("http://localhost:8000/.well-known/app-conformance", Description = "issuer differs from the token's iss (Casdoor #5582)")]
    public void The_two_token_checks_agree(string? issuer)
    {
        var app = App("http://localhost:8000/.well-known/app-conformance/openid-configuration", issuer);
        var generic = DiscoveryExtraChecks.EvaluateAppIdTokenIss([app]);
        var casdoor = CasdoorChecks.EvaluateAppDiscoveryIssuer("app", app.Document, app.IdToken!);
        generic.Verdict.Should().Be(Verdict.Failed, generic.Reason);
        casdoor.Verdict.Should().Be(Verdict.Failed, casdoor.Reason);
    }

    [Test]
    public void The_two_token_checks_agree_on_a_consistent_document()
    {
        var app = App("http://localhost:8000/.well-known/app-conformance/openid-configuration", Global);
        DiscoveryExtraChecks.EvaluateAppIdTokenIss([app]).Verdict.Should().Be(Verdict.Passed);
        CasdoorChecks.EvaluateAppDiscoveryIssuer("app", app.Document, app.IdToken!).Verdict.Should().Be(Verdict.Passed);
    }
}
