using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// discovery.advertised-* probes pass only on a working grant (tokens came back) or endpoint (its kind of answer to a
/// real request). The probe answers recorded from the real Casdoor 3.158.0 run (Recorded/casdoor-3.158.0/exchanges.json,
/// purposes "probe: …") are what made the old probes pass vacuously; replayed now, they decide nothing.
/// </summary>
public sealed class DiscoveryProbeTests
{
    private static readonly FeatureSet AllOn = new()
    {
        AuthorizationCode = true, Implicit = true, RefreshToken = true, ClientCredentials = true, Password = true, Userinfo = true,
        Introspection = true, Revocation = true, RpInitiatedLogout = true,
    };

    private static DiscoveryDocument Casdoor => CasdoorRecording.Discovery;

    [Test]
    public void Casdoor_userinfo_without_a_token_no_longer_passes_on_the_profiles_word()
    {
        // Recorded: GET /api/userinfo without a token → 200 {"status":"error","msg":"Please login first",…}.
        var probe = DiscoveryExtraFlow.JudgeEndpoint(CasdoorRecording.Exchange("probe: userinfo (no token)"), "userinfo");
        probe.Works.Should().BeNull();
        var result = DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(Casdoor, AllOn, "userinfo", probe);
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("no real request showed whether it works");
    }

    [Test]
    public void Casdoor_userinfo_with_the_reference_token_passes_on_its_claims()
    {
        var result = DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(Casdoor, AllOn, "userinfo", DiscoveryExtraFlow.JudgeUserInfo(CasdoorRecording.Exchange("userinfo GET")));
        result.Verdict.Should().Be(Verdict.Passed);
        result.Reason.Should().Contain("claims with a sub");
    }

    [Test]
    public void Casdoor_implicit_http_200_page_is_no_working_grant()
    {
        // Recorded: GET /login/oauth/authorize?response_type=id_token → 200 text/html (the web app's index page).
        var probe = DiscoveryExtraFlow.JudgeImplicit(CasdoorRecording.Exchange("probe: implicit (response_type=id_token)"), "http://rp.oidc-conformance.test:47800/callback");
        probe.Works.Should().BeNull();
        DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Casdoor, AllOn, "implicit", probe).Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void Redirect_to_the_providers_login_is_no_working_grant()
    {
        var login = Make.Exchange(302, "", "text/html", headers: ("Location", "http://op.test/login?uid=1"));
        DiscoveryExtraFlow.JudgeImplicit(login, "http://rp.test/callback").Works.Should().BeNull();
        var interaction = Make.Exchange(302, "", "text/html", headers: ("Location", "http://rp.test/callback#error=login_required&state=s"));
        DiscoveryExtraFlow.JudgeImplicit(interaction, "http://rp.test/callback").Works.Should().BeNull();
    }

    [TestCase("probe: grant_type=authorization_code", "authorization_code")]
    [TestCase("probe: grant_type=refresh_token", "refresh_token")]
    public void Casdoor_invalid_grant_for_a_bogus_token_is_no_working_grant(string purpose, string grant)
    {
        var probe = DiscoveryExtraFlow.JudgeGrant(CasdoorRecording.Token(purpose), grant, "conformance-client");
        probe.Works.Should().BeNull();
        DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Casdoor, AllOn, grant, probe).Verdict.Should().Be(Verdict.Inconclusive);
    }

    [TestCase("probe: grant_type=client_credentials", "client_credentials")]
    [TestCase("probe: grant_type=password", "password")]
    public void Casdoor_grants_that_issued_tokens_pass(string purpose, string grant)
    {
        var result = DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Casdoor, AllOn, grant, DiscoveryExtraFlow.JudgeGrant(CasdoorRecording.Token(purpose), grant, "conformance-client"));
        result.Verdict.Should().Be(Verdict.Passed);
        result.Reason.Should().Contain("tokens came back");
    }

    [TestCase("token: authorization_code (client_secret_basic)", "authorization_code")]
    [TestCase("refresh: first (confidential)", "refresh_token")]
    public void Casdoor_real_code_exchange_and_refresh_are_working_grants(string purpose, string grant)
    {
        var result = DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Casdoor, AllOn, grant, DiscoveryExtraFlow.JudgeGrant(CasdoorRecording.Token(purpose), grant, "conformance-client"));
        result.Verdict.Should().Be(Verdict.Passed);
        result.Reason.Should().Contain("tokens came back");
    }

    [Test]
    public void Casdoor_end_session_json_ok_without_parameters_is_no_logout()
    {
        // Recorded: GET /api/logout without parameters → 200 {"status":"ok",…}.
        DiscoveryExtraFlow.JudgeEndpoint(CasdoorRecording.Exchange("probe: end_session (no parameters)"), "end_session").Works.Should().BeNull();
    }

    [Test]
    public void Logout_passes_only_on_the_redirect_to_the_post_logout_uri()
    {
        DiscoveryExtraFlow.JudgeLogout(new AuthorizationOutcome(AuthorizationEnd.Redirected, "/logout-callback") { FinalUrl = "http://rp.test/logout-callback?state=s" })
            .Works.Should().BeTrue();
        DiscoveryExtraFlow.JudgeLogout(new AuthorizationOutcome(AuthorizationEnd.ProviderError, "{\"status\":\"ok\"}")).Works.Should().BeNull();
        DiscoveryExtraFlow.JudgeLogout(new AuthorizationOutcome(AuthorizationEnd.Stalled, "timed out")).Works.Should().BeNull();
    }

    private static AccessTokenProbe UserInfo(int status) => new(AccessTokenProbe.UserInfo, Make.Exchange(status, status == 200 ? "{\"sub\":\"u\"}" : "{\"error\":\"invalid_token\"}"));

    [Test]
    public void Revocation_passes_only_when_the_revoked_token_stopped_working()
    {
        DiscoveryExtraFlow.JudgeRevocation(new AccessRevocation(UserInfo(200), Make.Exchange(200, ""), UserInfo(401))).Works.Should().BeTrue();
        // Any web app answers 200: a token that still works shows nothing.
        DiscoveryExtraFlow.JudgeRevocation(new AccessRevocation(UserInfo(200), Make.Exchange(200, "<html></html>", "text/html"), UserInfo(200))).Works.Should().BeNull();
        DiscoveryExtraFlow.JudgeRevocation(new AccessRevocation(UserInfo(200), Make.Exchange(404, "not found", "text/plain"), UserInfo(200))).Works.Should().BeFalse();
        DiscoveryExtraFlow.JudgeRevocation(new AccessRevocation(UserInfo(200), Make.Exchange(400, "{\"error\":\"unsupported_token_type\"}"), UserInfo(200))).Works.Should().BeTrue();
    }

    [Test]
    public void A_bare_http_200_never_confirms_an_endpoint()
    {
        foreach (var endpoint in DiscoveryExtraChecks.Endpoints)
            DiscoveryExtraFlow.JudgeEndpoint(Make.Exchange(200, "<!doctype html><html></html>", "text/html"), endpoint).Works.Should().BeNull(endpoint);
        DiscoveryExtraFlow.JudgeEndpoint(CasdoorRecording.Exchange("probe: introspection (bogus token)"), "introspection").Works.Should().BeTrue();
    }

    [Test]
    public void Working_feature_the_profile_calls_off_passes_on_the_evidence_and_names_the_contradiction()
    {
        var result = DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Casdoor, AllOn with { Password = false }, "password",
            DiscoveryExtraFlow.JudgeGrant(CasdoorRecording.Token("probe: grant_type=password"), "password", "conformance-client"));
        result.Verdict.Should().Be(Verdict.Passed);
        result.Reason.Should().Contain("fix the profile");
    }
}
