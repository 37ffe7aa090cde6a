using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// PKCE refusals judged against their control attempt (the same request without the mutation, same session), on the
/// artifacts of the real Casdoor 3.158.0 run (Recorded/casdoor-3.158.0) and on constructed outcomes.
/// </summary>
public sealed class PkceControlTests
{
    private static AuthorizationOutcome Code => new(AuthorizationEnd.Redirected, "/callback")
    {
        Response = new AuthorizationResponse(ResponseLocation.Query, [new("code", "c-1"), new("state", "s")], new Uri("http://rp.test/callback")),
    };

    private static AuthorizationOutcome ErrorRedirect(string error) => new(AuthorizationEnd.Redirected, "/callback")
    {
        Response = new AuthorizationResponse(ResponseLocation.Query, [new("error", error), new("state", "s")], new Uri("http://rp.test/callback")),
    };

    /// <summary>
    /// What the browser driver returns for Casdoor's refusal of code_challenge_method=plain / S512 (pages/05): the toast
    /// on its own login page after the "Continue with" tile, nothing sent to the client.
    /// </summary>
    private static AuthorizationOutcome CasdoorToast => new(AuthorizationEnd.ProviderError, "Failed to sign in: Challenge method should be S256")
    {
        ConsentShown = true, CredentialsSubmitted = false, FinalUrl = "http://localhost:8000/login/oauth/authorize?...",
    };

    private static AuthorizationOutcome Stalled => new(AuthorizationEnd.Stalled, "no redirect before the deadline");

    // Casdoor 3.158.0, public client, recorded: the challenge-less code redeemed without a verifier (the control,
    // failures/pkce.required-without-challenge-rejected__public, 21:57:08) and with one (the downgrade,
    // failures/pkce.downgrade-rejected__public, 21:58:35): both HTTP 401 invalid_client "token.CodeChallenge: empty".
    private static TokenResponse CasdoorNoChallengeExchange => CasdoorRecording.Token("token: authorization_code (none)", "21:57:08");
    private static TokenResponse CasdoorDowngradeExchange => CasdoorRecording.Token("token: authorization_code (none)", "21:58:35");
    // Casdoor 3.158.0: a public-client exchange that was redeemed (the first recorded; pkce.s256-accepted [public] Passed).
    private static PkceControl CasdoorS256Control => new("the control (S256)", Code, CasdoorRecording.Token("token: authorization_code (none)"));

    [Test]
    public void Recorded_casdoor_artifacts_are_the_ones_the_run_judged()
    {
        CasdoorNoChallengeExchange.Error.Should().Be("invalid_client");
        CasdoorNoChallengeExchange.Exchange.ResponseBody.Should().Contain("token.CodeChallenge: empty");
        CasdoorDowngradeExchange.Error.Should().Be("invalid_client");
        CasdoorDowngradeExchange.Exchange.StatusCode.Should().Be(401);
        CasdoorS256Control.Token!.IsSuccess.Should().BeTrue();
    }

    [Test]
    public void Casdoor_public_downgrade_is_inconclusive_because_the_control_is_refused_identically()
    {
        var control = new PkceControl("the control (no challenge, no verifier)", Code, CasdoorNoChallengeExchange);
        var result = PkceChecks.EvaluateDowngradeRejected(Code, CasdoorDowngradeExchange, CasdoorS256Control, control);
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("the control failed too").And.Contain("invalid_client").And.Contain("token.CodeChallenge: empty");
    }

    [Test]
    public void Downgrade_refused_while_the_control_was_redeemed_passes_and_names_the_control()
    {
        var control = new PkceControl("the control (no challenge, no verifier)", Code, CasdoorS256Control.Token);
        var result = PkceChecks.EvaluateDowngradeRejected(Code, RecordedPkceRefresh.Token("pkce: refused code exchange (invalid_grant)"), CasdoorS256Control, control);
        result.Verdict.Should().Be(Verdict.Passed);
        result.Reason.Should().Contain("was redeemed in the same session");
    }

    [Test]
    public void Downgrade_redeemed_fails_whatever_the_control_says()
    {
        // Casdoor confidential client (failures/pkce.downgrade-rejected__confidential): HTTP 200 with tokens.
        var downgrade = CasdoorRecording.Token("token: authorization_code (client_secret_basic)");
        var failedControl = new PkceControl("the control", Code, CasdoorNoChallengeExchange);
        PkceChecks.EvaluateDowngradeRejected(Code, downgrade, CasdoorS256Control, failedControl).Verdict.Should().Be(Verdict.Failed);
    }

    [Test]
    public void Refusal_at_the_authorization_endpoint_counts_only_when_the_challenged_request_got_a_code()
    {
        var noCode = new PkceControl("the control (S256)", ErrorRedirect("unauthorized_client"), null);
        var tokenControl = new PkceControl("the control", Code, CasdoorS256Control.Token);
        PkceChecks.EvaluateDowngradeRejected(ErrorRedirect("invalid_request"), null, noCode, tokenControl).Verdict.Should().Be(Verdict.Inconclusive);
        PkceChecks.EvaluateDowngradeRejected(ErrorRedirect("invalid_request"), null, CasdoorS256Control, tokenControl).Verdict.Should().Be(Verdict.Passed);
        PkceChecks.EvaluateVerifierFormatEnforced(new AuthorizationOutcome(AuthorizationEnd.ProviderError, "error page"), null, noCode)
            .Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void Wrong_verifier_refusal_needs_a_redeemed_control()
    {
        var invalidGrant = RecordedPkceRefresh.Token("pkce: refused code exchange (invalid_grant)");
        var refused = new PkceControl("the control", Code, CasdoorNoChallengeExchange);
        PkceChecks.EvaluateInvalidVerifierRejected(Code, invalidGrant, false, refused).Verdict.Should().Be(Verdict.Inconclusive);
        PkceChecks.EvaluateInvalidVerifierRejected(Code, invalidGrant, false, CasdoorS256Control).Verdict.Should().Be(Verdict.Passed);
        var stalledControl = new PkceControl("the control", Stalled, null);
        PkceChecks.EvaluateInvalidVerifierRejected(Code, invalidGrant, false, stalledControl).Reason.Should().Contain("no redirect");
    }

    [Test]
    public void Casdoor_unsupported_method_toast_fails_the_must_because_the_client_is_never_told()
    {
        var result = PkceChecks.EvaluateUnsupportedMethodRejected("plain", CasdoorRecording.Discovery.StringArray("code_challenge_methods_supported"),
            CasdoorToast, null, CasdoorS256Control);
        result.Verdict.Should().Be(Verdict.Failed);
        result.Reason.Should().Contain("Challenge method should be S256").And.Contain("no code was issued").And.Contain("RFC 6749 §4.1.2.1")
            .And.Contain("consent/continue step shown: yes").And.Contain("credentials submitted: no");
    }

    [Test]
    public void Unsupported_method_refusal_on_a_page_is_inconclusive_when_the_s256_control_failed_too()
    {
        var failed = new PkceControl("the control (S256)", new AuthorizationOutcome(AuthorizationEnd.ProviderError, "There was a problem signing you in"), null);
        var result = PkceChecks.EvaluateUnsupportedMethodRejected("S512", ["S256"], CasdoorToast, null, failed);
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("There was a problem signing you in");
    }

    [Test]
    public void Unsupported_method_invalid_request_redirect_passes_only_with_the_control()
    {
        PkceChecks.EvaluateUnsupportedMethodRejected("plain", ["S256"], ErrorRedirect("invalid_request"), null, CasdoorS256Control)
            .Verdict.Should().Be(Verdict.Passed);
        PkceChecks.EvaluateUnsupportedMethodRejected("plain", ["S256"], ErrorRedirect("invalid_request"), null,
            new PkceControl("the control", ErrorRedirect("invalid_request"), null)).Verdict.Should().Be(Verdict.Inconclusive);
        PkceChecks.EvaluateUnsupportedMethodRejected("plain", ["S256"], ErrorRedirect("invalid_request"), null, null)
            .Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void Unsupported_method_stall_is_never_passed()
    {
        PkceChecks.EvaluateUnsupportedMethodRejected("plain", ["S256"], Stalled, null, CasdoorS256Control).Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void Required_challenge_code_issued_stays_failed_on_the_recorded_casdoor_exchange()
    {
        // failures/pkce.required-without-challenge-rejected__public: a code was issued, then 401 invalid_client.
        var result = PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, Code, CasdoorNoChallengeExchange, CasdoorS256Control);
        result.Verdict.Should().Be(Verdict.Failed);
        result.Reason.Should().Contain("a code was issued").And.Contain("invalid_client");
    }

    [Test]
    public void Required_challenge_refusal_on_a_page_fails_and_needs_the_control()
    {
        var page = new AuthorizationOutcome(AuthorizationEnd.ProviderError, "PKCE is required");
        PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, page, null, CasdoorS256Control).Verdict.Should().Be(Verdict.Failed);
        PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, page, null, new PkceControl("the control", Stalled, null))
            .Verdict.Should().Be(Verdict.Inconclusive);
        PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, ErrorRedirect("invalid_request"), null, CasdoorS256Control)
            .Verdict.Should().Be(Verdict.Passed);
    }
}
