using NUnit.Framework;
using OidcConformance.Checks;

namespace OidcConformance.Suites.Discovery;

/// <summary>The global discovery document and its JWK Set (OIDC Discovery 1.0, RFC 7517).</summary>
[TestFixture, Category("Discovery"), Parallelizable(ParallelScope.Self)]
public sealed class DiscoveryTests : ConformanceTest
{
    [Test] public Task Document_is_json() => Verify(DiscoveryChecks.Json, async r => DiscoveryChecks.EvaluateJson(await r.DiscoveryAsync()));
    [Test] public Task Required_metadata() => Verify(DiscoveryChecks.RequiredMetadata, async r => DiscoveryChecks.EvaluateRequiredMetadata(await r.DiscoveryAsync()));
    [Test] public Task Recommended_metadata() => Verify(DiscoveryChecks.RecommendedMetadata, async r => DiscoveryChecks.EvaluateRecommendedMetadata(await r.DiscoveryAsync()));
    [Test] public Task Issuer_matches_discovery_url() => Verify(DiscoveryChecks.IssuerMatchesDiscoveryUrl, async r => DiscoveryChecks.EvaluateIssuerMatchesUrl(await r.DiscoveryAsync()));
    [Test] public Task Issuer_matches_profile() => Verify(DiscoveryChecks.IssuerMatchesProfile, async r => DiscoveryChecks.EvaluateIssuerMatchesProfile(await r.DiscoveryAsync(), r.Issuer));
    [Test] public Task Issuer_is_https_without_query() => Verify(DiscoveryChecks.IssuerUrlForm, async r => DiscoveryChecks.EvaluateIssuerForm(await r.DiscoveryAsync()));
    [Test] public Task Endpoints_are_absolute_urls() => Verify(DiscoveryChecks.EndpointsAbsolute, async r => DiscoveryChecks.EvaluateEndpointsAbsolute(await r.DiscoveryAsync()));
    [Test] public Task Response_types_include_code() => Verify(DiscoveryChecks.ResponseTypeCode, async r => DiscoveryChecks.EvaluateResponseTypeCode(await r.DiscoveryAsync()));
    [Test] public Task Id_token_algs_include_rs256() => Verify(DiscoveryChecks.Rs256, async r => DiscoveryChecks.EvaluateRs256(await r.DiscoveryAsync()));
    [Test] public Task Scopes_include_openid() => Verify(DiscoveryChecks.ScopesOpenid, async r => DiscoveryChecks.EvaluateScopesOpenid(await r.DiscoveryAsync()));
    [Test] public Task Subject_types_are_valid() => Verify(DiscoveryChecks.SubjectTypes, async r => DiscoveryChecks.EvaluateSubjectTypes(await r.DiscoveryAsync()));
}

[TestFixture, Category("JWKS"), Parallelizable(ParallelScope.Self)]
public sealed class JwksTests : ConformanceTest
{
    [Test] public Task Jwks_is_fetched() => Verify(DiscoveryChecks.JwksFetched, async r => DiscoveryChecks.EvaluateJwksFetched(await r.JwksAsync()));
    [Test] public Task Jwks_has_a_usable_signing_key() => Verify(DiscoveryChecks.JwksUsableKey, async r => DiscoveryChecks.EvaluateUsableKey(await r.JwksAsync()));
    [Test] public Task Kids_are_unique() => Verify(DiscoveryChecks.JwksUniqueKid, async r => DiscoveryChecks.EvaluateUniqueKid(await r.JwksAsync()));
    [Test] public Task Rsa_keys_are_2048_bits_or_more() => Verify(DiscoveryChecks.JwksRsaSize, async r => DiscoveryChecks.EvaluateRsaSize(await r.JwksAsync()));
    [Test] public Task No_private_key_material() => Verify(DiscoveryChecks.JwksNoPrivateMaterial, async r => DiscoveryChecks.EvaluateNoPrivateMaterial(await r.JwksAsync()));
}
