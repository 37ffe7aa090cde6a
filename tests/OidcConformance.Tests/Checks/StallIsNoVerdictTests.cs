using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Protocol;
using OidcConformance.Checks;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// Issue #11 class 1: a stall or a blank page is no answer of the provider, so it is Inconclusive with its cause, never
/// Passed or Failed. Each case is an outcome seen in a real run on a loaded machine (load average 70–100) that a check
/// turned into a Failed verdict before.
/// </summary>
public sealed class StallIsNoVerdictTests
{
    private static AuthorizationOutcome Stall(string lastUrl, string detail) =>
        new(AuthorizationEnd.Stalled, detail) { FinalUrl = lastUrl };

    private static AuthorizationOutcome Blank() =>
        new(AuthorizationEnd.BlankPage, "GET /auth 200 text/html") { FinalUrl = "http://127.0.0.1:4000/auth?client_id=c" };

    [Test]
    public void Logout_without_state_that_stalled_at_the_logout_callback_is_inconclusive()
    {
        // logout-refusals-blank run: "no redirect and no recognizable provider page within the navigation timeout (last URL
        // http://127.0.0.1:42989/logout-callback): timed out waiting for the provider" → was Failed
        var r = LogoutNegativeChecks.EvaluateRedirectWithoutState(Stall("http://127.0.0.1:42989/logout-callback", "timed out waiting for the provider"),
            "http://127.0.0.1:42989/logout-callback");
        r.Verdict.Should().Be(Verdict.Inconclusive, r.Reason);
        r.Reason.Should().Contain("no evidence");
    }

    [Test]
    public void Logout_without_state_on_a_blank_page_is_inconclusive() =>
        LogoutNegativeChecks.EvaluateRedirectWithoutState(Blank(), "http://127.0.0.1:42989/logout-callback").Verdict.Should().Be(Verdict.Inconclusive);

    [Test]
    public void Logout_without_state_on_an_error_page_is_still_a_violation() =>
        LogoutNegativeChecks.EvaluateRedirectWithoutState(new AuthorizationOutcome(AuthorizationEnd.ProviderError, "missing required parameter state"),
            "http://127.0.0.1:42989/logout-callback").Verdict.Should().Be(Verdict.Failed);

    [TestCase("code id_token")]
    [TestCase("id_token token")]
    public void Front_channel_response_parameters_after_a_stalled_login_are_inconclusive(string responseType)
    {
        // rooms engineer's regression run: a login stalled at /interaction/… made frontchannel.response-parameters Failed
        var r = ImplicitHybridChecks.EvaluateResponseParameters(responseType,
            Stall("http://127.0.0.1:4000/interaction/abc", "no redirect before the deadline"));
        r.Verdict.Should().Be(Verdict.Inconclusive, r.Reason);
        ImplicitHybridChecks.EvaluateResponseParameters(responseType, Blank()).Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void Front_channel_response_parameters_on_the_providers_error_page_are_still_a_violation() =>
        ImplicitHybridChecks.EvaluateResponseParameters("code id_token", new AuthorizationOutcome(AuthorizationEnd.ProviderError, "unsupported_response_type"))
            .Verdict.Should().Be(Verdict.Failed);

    [Test]
    public void A_no_redirect_check_on_a_blank_page_is_inconclusive()
    {
        // authz-refusals-blank run: the provider's refusal replaced by an app shell that never booted → was Passed ("no redirect")
        var request = new AuthorizationRequest { Endpoint = "http://127.0.0.1:4000/auth" }
            .Set("response_type", "code").Set("client_id", "c").Set("redirect_uri", "http://127.0.0.1:5000/other").Set("state", "st-1");
        var r = AuthorizationEndpointChecks.EvaluateNoRedirect(AuthorizationEndpointChecks.RedirectUriUnregistered,
            new AuthorizationAttempt(request, Blank(), []), "http://127.0.0.1:5000/other", "http://127.0.0.1:5000/callback");
        r.Verdict.Should().Be(Verdict.Inconclusive, r.Reason);
        r.Reason.Should().Contain("no evidence");
    }

    [Test]
    public void A_logout_no_redirect_check_on_a_blank_page_is_inconclusive() =>
        LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.UnregisteredUri, Blank(), [], confirmed: false).Verdict.Should().Be(Verdict.Inconclusive);
}
