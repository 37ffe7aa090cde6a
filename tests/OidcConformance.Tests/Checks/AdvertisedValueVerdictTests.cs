using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Proofs;
using OidcConformance.Tests.Support;
using static OidcConformance.Checks.AdvertisedValueChecks;
using static OidcConformance.Checks.AdvertisedValueJudgements;
using static OidcConformance.Tests.Proofs.AdvertisedValueProofs;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// The non-verdicts of the advertised-value checks: what is no evidence stays Inconclusive (never Passed or Failed), and a
/// refusal counts only after a working control and when it cannot be the client's registration.
/// </summary>
public sealed class AdvertisedValueVerdictTests
{
    private static ProbeOutcome Refused => Authorization(Redirect("token", ResponseLocation.Fragment, ("error", "unauthorized_client"), ("state", "st-1")), "token", null);

    [Test]
    public void A_navigation_error_is_inconclusive()
    {
        var r = Evaluate(ResponseTypesWork, Probe("response_types_supported", "token", Authorization(Stalled("token"), "token", null)));
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("no evidence").And.Contain("ERR_CONNECTION_RESET");
    }

    [Test]
    public void A_redirect_the_browser_could_not_load_is_inconclusive()
    {
        var attempt = Redirect("token", ResponseLocation.Fragment, ("access_token", "at"), ("token_type", "Bearer"), ("state", "st-1"));
        attempt = attempt with { Outcome = attempt.Outcome with { TargetUnreachable = "net::ERR_CONNECTION_REFUSED" } };
        Evaluate(ResponseTypesWork, Probe("response_types_supported", "token", Authorization(attempt, "token", null))).Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void A_refusal_without_a_working_control_is_inconclusive()
    {
        var control = Authorization(Stalled("code"), "code", null);
        var r = Evaluate(ResponseTypesWork, Probe("response_types_supported", "token", Refused, control));
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("proves nothing");
    }

    [Test]
    public void A_refusal_that_may_be_the_registration_is_inconclusive_naming_it()
    {
        var r = Evaluate(ResponseTypesWork, Probe("response_types_supported", "token", Refused) with { RegistrationCaveat = "the profile registers no client for response_type 'token'" });
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("registers no client").And.Contain("unauthorized_client");
    }

    [Test]
    public void An_explicit_unsupported_error_fails_whatever_the_registration()
    {
        var attempt = Authorization(Redirect("token", ResponseLocation.Fragment, ("error", "unsupported_response_type"), ("state", "st-1")), "token", null);
        var r = Evaluate(ResponseTypesWork, Probe("response_types_supported", "token", attempt) with { RegistrationCaveat = "no client registered" });
        r.Verdict.Should().Be(Verdict.Failed);
    }

    [Test]
    public void A_value_not_advertised_is_inconclusive_and_names_the_list()
    {
        var r = Evaluate(ResponseTypesWork, new AdvertisedProbe("response_types_supported", "token") { Listed = ["code"], Advertised = false });
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("not advertised").And.Contain("[code]");
    }

    [Test]
    public void A_value_that_cannot_be_exercised_is_inconclusive_with_why()
    {
        var r = Evaluate(GrantTypesWork, new AdvertisedProbe("grant_types_supported", "urn:ietf:params:oauth:grant-type:device_code")
            { Listed = ["urn:ietf:params:oauth:grant-type:device_code"], Advertised = true, NotExercised = "needs a user at the verification URI" });
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("not exercised").And.Contain("verification URI");
    }

    [Test]
    public void Unknown_advertised_values_are_named_not_exercised()
    {
        var r = EvaluateOthers(ResponseModesWork, "response_modes_supported", ["query", "fragment", "query.jwt"], ["query", "fragment", "form_post"]);
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("unknown value").And.Contain("'query.jwt'");
        EvaluateOthers(ResponseTypesWork, "response_types_supported", ["id_token code"], ["code id_token"], ResponseTypes.SameSet).Verdict.Should().Be(Verdict.Passed);
    }

    [Test]
    public void Casdoor_lists_and_the_discovery_defaults()
    {
        var casdoor = CasdoorRecording.Discovery;
        Flows.AdvertisedValueFlows.Listed(casdoor, "response_types_supported").Should().Contain(["code id_token", "code token", "code token id_token", "none"]);
        // Casdoor 3.158.0 omits token_endpoint_auth_methods_supported: Discovery 1.0 §3's default client_secret_basic applies.
        Flows.AdvertisedValueFlows.Listed(casdoor, "token_endpoint_auth_methods_supported").Should().Equal("client_secret_basic");
        Flows.AdvertisedValueFlows.Listed(casdoor, "code_challenge_methods_supported").Should().Equal("S256");
    }

    [Test]
    public void A_plain_token_response_without_expires_in_passes_and_says_so()
    {
        var r = Evaluate(ResponseTypesWork, Probe("response_types_supported", "token",
            Authorization(Redirect("token", ResponseLocation.Fragment, ("access_token", "at"), ("token_type", "Bearer"), ("state", "st-1")), "token", null)));
        r.Verdict.Should().Be(Verdict.Passed);
        r.Reason.Should().Contain("no expires_in");
    }
}
