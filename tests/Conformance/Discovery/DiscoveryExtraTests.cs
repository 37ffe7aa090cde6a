using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Run;

namespace OidcConformance.Suites.Discovery;

/// <summary>JWK members of the published key set (RFC 7517 §4, OIDC Discovery 1.0 §3 jwks_uri).</summary>
[TestFixture, Category("JWKS"), Category("DiscoveryExtra"), Parallelizable(ParallelScope.Self)]
public sealed class JwksMemberTests : ConformanceTest
{
    [Test] public Task Kty_is_present() => Verify(DiscoveryExtraChecks.KtyPresent, async r => DiscoveryExtraChecks.EvaluateKtyPresent(await r.JwksAsync()));
    [Test] public Task Kty_is_registered() => Verify(DiscoveryExtraChecks.KtyRegistered, async r => DiscoveryExtraChecks.EvaluateKtyRegistered(await r.JwksAsync()));
    [Test] public Task Use_is_required_when_keys_are_mixed() => Verify(DiscoveryExtraChecks.UseWhenMixed, async r => DiscoveryExtraChecks.EvaluateUseWhenMixed(await r.JwksAsync()));
    [Test] public Task Alg_is_consistent_with_kty() => Verify(DiscoveryExtraChecks.AlgConsistent, async r => DiscoveryExtraChecks.EvaluateAlgConsistent(await r.JwksAsync()));

    [Test] public Task Id_token_signing_key_is_for_signatures() => Verify(DiscoveryExtraChecks.IdTokenKeyUse, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        flow.RequireSuccessfulToken();
        return DiscoveryExtraChecks.EvaluateIdTokenKeyUse(await r.JwksAsync(), flow.IdToken);
    });
}

/// <summary>What the discovery document advertises against what the provider offers (profile) and does (real requests).</summary>
[TestFixture, Category("Discovery"), Category("DiscoveryExtra"), Parallelizable(ParallelScope.Self)]
public sealed class DiscoveryAdvertisedTests : ConformanceTest
{
    public static IEnumerable<string> GrantTypes() => DiscoveryExtraChecks.GrantTypes;
    public static IEnumerable<string> Endpoints() => DiscoveryExtraChecks.Endpoints;
    public static IEnumerable<string> ClientRoles() => DiscoveryExtraChecks.ClientRoles;

    [TestCaseSource(nameof(GrantTypes))]
    public Task Advertised_grant_type_works(string grant) => Verify(DiscoveryExtraChecks.AdvertisedGrantWorks, async r =>
    {
        var d = await r.DiscoveryAsync();
        var probe = DiscoveryExtraChecks.GrantAdvertised(d, grant) ? await DiscoveryExtraFlow.GrantProbeAsync(r, grant) : null;
        return DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(d, r.Profile.Features, grant, probe);
    });

    [TestCaseSource(nameof(GrantTypes))]
    public Task Offered_grant_type_is_advertised(string grant) => Verify(DiscoveryExtraChecks.OfferedGrantAdvertised, async r =>
        DiscoveryExtraChecks.EvaluateOfferedGrantAdvertised(await r.DiscoveryAsync(), r.Profile.Features, grant));

    [TestCaseSource(nameof(Endpoints))]
    public Task Advertised_endpoint_works(string endpoint) => Verify(DiscoveryExtraChecks.AdvertisedEndpointWorks, async r =>
    {
        var d = await r.DiscoveryAsync();
        var probe = DiscoveryExtraChecks.EndpointAdvertised(d, endpoint) ? await DiscoveryExtraFlow.EndpointProbeAsync(r, endpoint) : null;
        return DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(d, r.Profile.Features, endpoint, probe);
    });

    [TestCaseSource(nameof(Endpoints))]
    public Task Offered_endpoint_is_advertised(string endpoint) => Verify(DiscoveryExtraChecks.OfferedEndpointAdvertised, async r =>
        DiscoveryExtraChecks.EvaluateOfferedEndpointAdvertised(await r.DiscoveryAsync(), r.Profile.Features, endpoint));

    [TestCaseSource(nameof(ClientRoles))]
    public Task Token_auth_methods_cover_the_clients(string role) => Verify(DiscoveryExtraChecks.AuthMethodsCoverClients, async r =>
        DiscoveryExtraChecks.EvaluateAuthMethodsCoverClients(await r.DiscoveryAsync(), role, r.Profile.Clients.GetValueOrDefault(role)));

    [Test] public Task Response_modes_are_known() => Verify(DiscoveryExtraChecks.ResponseModesKnown, async r =>
        DiscoveryExtraChecks.EvaluateResponseModesKnown(await r.DiscoveryAsync()));

    [Test] public Task Claims_supported_contains_sub() => Verify(DiscoveryExtraChecks.ClaimsSupportedSub, async r =>
        DiscoveryExtraChecks.EvaluateClaimsSupportedSub(await r.DiscoveryAsync()));
}

/// <summary>Per-application discovery documents (profile applicationDiscovery, e.g. Casdoor's /.well-known/&lt;app&gt;/openid-configuration).</summary>
[TestFixture, Category("Discovery"), Category("DiscoveryExtra"), Parallelizable(ParallelScope.Self)]
public sealed class ApplicationDiscoveryTests : ConformanceTest
{
    [Test] public Task Application_documents_are_json() => Verify(DiscoveryExtraChecks.AppDocumentJson, async r =>
        DiscoveryExtraChecks.EvaluateAppDocumentJson(await DiscoveryExtraFlow.AppsAsync(r, withLogin: false)));

    [Test] public Task Application_issuers_are_consistent() => Verify(DiscoveryExtraChecks.AppIssuer, async r =>
        DiscoveryExtraChecks.EvaluateAppIssuer(await DiscoveryExtraFlow.AppsAsync(r, withLogin: false), r.Issuer));

    [Test] public Task Application_jwks_are_fetchable() => Verify(DiscoveryExtraChecks.AppJwks, async r =>
        DiscoveryExtraChecks.EvaluateAppJwks(await DiscoveryExtraFlow.AppsAsync(r, withLogin: false)));

    [Test] public Task Application_id_token_iss_matches_its_document() => Verify(DiscoveryExtraChecks.AppIdTokenIss, async r =>
        DiscoveryExtraChecks.EvaluateAppIdTokenIss(await DiscoveryExtraFlow.AppsAsync(r, withLogin: true)));
}
