using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Suites.Casdoor;

/// <summary>
/// Casdoor's own surface (docs/casdoor.md §(e)), switched on by the profile feature <c>casdoorApi</c>
/// (<see cref="CasdoorChecks.IsCasdoor"/>): for any other profile the whole fixture is left out of the run in its one-time
/// set-up (NUnit reports its tests as skipped; report.json has no Casdoor rows). Each test still asks
/// <see cref="CasdoorChecks.NotCasdoor"/> first, so a check evaluated without the feature is Inconclusive before a request is sent. The flows are <see cref="CasdoorFlows"/> (never the
/// shared reference flow, because a Casdoor refresh deletes the old token row and would break other suites' tokens); this
/// fixture only wires them to the checks.
/// </summary>
[TestFixture, Category("Casdoor"), Parallelizable(ParallelScope.Self)]
public sealed class CasdoorTests : ConformanceTest
{
    /// <summary>Client roles of the profile whose application has its own discovery document (profile applicationDiscovery).</summary>
    public static readonly string[] ApplicationClients = ["confidential", "secondConfidential", "public"];
    public static readonly string[] UserinfoCases = [CasdoorChecks.BearerHeaderCase, CasdoorChecks.AccessTokenQueryCase];
    public static readonly string[] IntrospectionCases = ["access_token", "refresh_token"];
    public static readonly string[] RefreshCases = [CasdoorChecks.TokenEndpointCase, CasdoorChecks.RefreshEndpointCase];

    /// <summary>Leaves the fixture out of the run for a profile without the feature: no Inconclusive rows in every report.</summary>
    [OneTimeSetUp]
    public void OnlyWithCasdoorApi()
    {
        if (RunSetup.Current is { } run && !CasdoorChecks.IsCasdoor(run.Profile))
            Assert.Ignore($"provider-specific: profile '{run.Profile.Name}' has no feature {CasdoorChecks.Feature}; left out of the run");
    }

    private static void Gate(CheckDefinition check, ConformanceRun r)
    {
        if (CasdoorChecks.NotCasdoor(check, r.Profile) is { } skip) throw new PrerequisiteException(skip.Reason);
    }

    // ---- per-application discovery ----------------------------------------------------------------------------------

    [TestCaseSource(nameof(ApplicationClients))]
    public Task Per_application_issuer_matches_the_url(string role) => Verify(DiscoveryChecks.IssuerMatchesDiscoveryUrl, async r =>
    {
        Gate(DiscoveryChecks.IssuerMatchesDiscoveryUrl, r);
        var app = CasdoorFlows.Application(r, role);
        return DiscoveryChecks.EvaluateIssuerMatchesUrl(await CasdoorFlows.ApplicationDiscoveryAsync(r, app)).WithCase(app.Name);
    });

    [TestCaseSource(nameof(ApplicationClients))]
    public Task Per_application_issuer_matches_the_tokens(string role) => Verify(CasdoorChecks.AppDiscoveryIssuer, async r =>
    {
        Gate(CasdoorChecks.AppDiscoveryIssuer, r);
        var app = CasdoorFlows.Application(r, role);
        var document = await CasdoorFlows.ApplicationDiscoveryAsync(r, app);
        var (_, _, idToken) = await CasdoorFlows.TokensAsync(r, role);
        return CasdoorChecks.EvaluateAppDiscoveryIssuer(app.Name, document, idToken);
    });

    [TestCaseSource(nameof(ApplicationClients))]
    public Task Per_application_jwks_verifies_the_tokens(string role) => Verify(CasdoorChecks.AppJwks, async r =>
    {
        Gate(CasdoorChecks.AppJwks, r);
        var app = CasdoorFlows.Application(r, role);
        var document = await CasdoorFlows.ApplicationDiscoveryAsync(r, app);
        var jwks = document.JwksUri is null ? null : await CasdoorFlows.ApplicationJwksAsync(r, app, document);
        var (_, _, idToken) = await CasdoorFlows.TokensAsync(r, role);
        return CasdoorChecks.EvaluateAppJwks(app.Name, document, jwks, idToken);
    });

    // ---- userinfo and get-account -----------------------------------------------------------------------------------

    [TestCaseSource(nameof(UserinfoCases))]
    public Task Userinfo_accepts_the_token_in_each_location(string location) => Verify(CasdoorChecks.UserinfoTokenLocation, async r =>
    {
        Gate(CasdoorChecks.UserinfoTokenLocation, r);
        var (_, _, idToken) = await CasdoorFlows.TokensAsync(r, "confidential");
        var bearer = await CasdoorFlows.UserinfoBearerAsync(r);
        var sub = idToken.ClaimString("sub");
        if (location == CasdoorChecks.BearerHeaderCase) return CasdoorChecks.EvaluateUserinfoTokenLocation(location, bearer, sub);
        var reference = JsonBody.From(bearer);
        return CasdoorChecks.EvaluateUserinfoTokenLocation(location, await CasdoorFlows.UserinfoQueryAsync(r), sub,
            reference.IsObject && !CasdoorChecks.IsEnvelopeError(reference) ? reference : null);
    });

    [Test]
    public Task Get_account_returns_the_full_user() => Verify(CasdoorChecks.GetAccountFullUser, async r =>
    {
        Gate(CasdoorChecks.GetAccountFullUser, r);
        var (flow, _, idToken) = await CasdoorFlows.TokensAsync(r, "confidential");
        return CasdoorChecks.EvaluateGetAccount(await CasdoorFlows.GetAccountAsync(r), idToken.ClaimString("sub"), flow.User.Username);
    });

    [Test]
    public Task Userinfo_returns_only_granted_scope_claims() => Verify(CasdoorChecks.UserinfoGrantedScopesOnly, async r =>
    {
        Gate(CasdoorChecks.UserinfoGrantedScopesOnly, r);
        var (flow, _, _) = await CasdoorFlows.TokensAsync(r, "confidential");
        var account = JsonBody.From(await CasdoorFlows.GetAccountAsync(r));
        return CasdoorChecks.EvaluateUserinfoGrantedScopesOnly(JsonBody.From(await CasdoorFlows.UserinfoBearerAsync(r)),
            account.String("status") == "ok" ? account : null, flow.GrantedScope);
    });

    // ---- introspection with HTTP Basic ------------------------------------------------------------------------------

    [TestCaseSource(nameof(IntrospectionCases))]
    public Task Introspection_with_http_basic(string tokenType) => Verify(CasdoorChecks.IntrospectionBasic, async r =>
    {
        Gate(CasdoorChecks.IntrospectionBasic, r);
        if (!r.Profile.Features.Introspection) throw new PrerequisiteException("the provider does not offer introspection (profile features.introspection)");
        var endpoint = await r.EndpointAsync("introspection_endpoint");
        var (flow, token, idToken) = await CasdoorFlows.TokensAsync(r, "confidential");
        var value = tokenType == "access_token" ? token.AccessToken : token.RefreshToken;
        if (string.IsNullOrEmpty(value)) throw new PrerequisiteException($"the code exchange returned no {tokenType}");
        var client = flow.Client;
        var exchange = await CasdoorFlows.IntrospectWithBasicAsync(r, endpoint, client, value, tokenType);
        return CasdoorChecks.EvaluateIntrospection(tokenType, exchange, client.ClientId, idToken.ClaimString("sub"));
    });

    // ---- refresh at both endpoints ----------------------------------------------------------------------------------

    [TestCaseSource(nameof(RefreshCases))]
    public Task Refresh_token_is_redeemed(string endpoint) => Verify(CasdoorChecks.RefreshEndpoints, async r =>
    {
        Gate(CasdoorChecks.RefreshEndpoints, r);
        var chain = await CasdoorFlows.RefreshChainAsync(r);
        return endpoint == CasdoorChecks.TokenEndpointCase
            ? CasdoorChecks.EvaluateRefresh(endpoint, chain.AtTokenEndpoint, chain.Sub, chain.FirstRefreshToken)
            : CasdoorChecks.EvaluateRefresh(endpoint, chain.AtRefreshEndpoint, chain.Sub, chain.SecondRefreshToken);
    });
}
