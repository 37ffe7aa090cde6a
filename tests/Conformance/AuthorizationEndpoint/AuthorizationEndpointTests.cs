using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;
using static OidcConformance.Checks.AuthorizationEndpointChecks;

namespace OidcConformance.Suites.AuthorizationEndpoint;

/// <summary>
/// Negative and security cases of the authorization endpoint with the confidential client. Negative requests run in the
/// reference flow's logged-in session, so a lenient provider would answer at once; credentials are still offered, so a provider
/// that shows its login page first is followed up to its redirect.
/// </summary>
[TestFixture, Category("AuthorizationEndpoint"), Parallelizable(ParallelScope.Self)]
public sealed class AuthorizationEndpointTests : ConformanceTest
{
    private static readonly string[] ResponseTypeErrors = ["invalid_request", "unsupported_response_type"];
    private static readonly string[] PromptNoneErrors = ["login_required", "interaction_required", "consent_required", "account_selection_required"];
    private static readonly string[] InvalidRequest = ["invalid_request"];

    private static Task<AuthorizationAttempt> Shared(ConformanceRun r, string key, Func<Task<AuthorizationAttempt>> attempt) =>
        r.SharedAsync("authz-endpoint/" + key, attempt);

    private static Task<AuthorizationAttempt> MissingResponseType(ConformanceRun r) =>
        Shared(r, "response-type-missing", () => AuthorizationEndpointFlow.AttemptAsync(r, q => q.Remove("response_type")));

    private static Task<AuthorizationAttempt> UnknownResponseType(ConformanceRun r) =>
        Shared(r, "response-type-unknown", () => AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("response_type", "oidc_conformance_unknown")));

    private static Task<AuthorizationAttempt> PromptNone(ConformanceRun r) =>
        Shared(r, "prompt-none", () => AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("prompt", "none"), Session.Fresh, allowLogin: false));

    // ---- response_type -------------------------------------------------------------------------------------

    [Test] public Task Missing_response_type_is_rejected() => Verify(ResponseTypeMissing, async r =>
        EvaluateErrorNoCode(ResponseTypeMissing, await MissingResponseType(r), ResponseTypeErrors));

    [Test] public Task Unknown_response_type_is_rejected() => Verify(ResponseTypeUnknown, async r =>
        EvaluateErrorNoCode(ResponseTypeUnknown, await UnknownResponseType(r), ResponseTypeErrors));

    // ---- redirect_uri and client_id ------------------------------------------------------------------------

    [Test] public Task Unregistered_redirect_uri_is_not_redirected_to() => Verify(RedirectUriUnregistered, async r =>
    {
        var registered = r.RedirectUri(r.Profile.Confidential);
        const string unregistered = "https://unregistered.oidc-conformance.test/callback";
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("redirect_uri", unregistered));
        return EvaluateNoRedirect(RedirectUriUnregistered, attempt, unregistered, registered);
    });

    public static IEnumerable<TestCaseData> NearMisses() =>
        RedirectUriCorpus.Names.Select(n => new TestCaseData(n).SetArgDisplayNames(n));

    [TestCaseSource(nameof(NearMisses))]
    public Task Near_miss_redirect_uri_is_rejected(string variant) => Verify(RedirectUriNearMiss, async r =>
    {
        var registered = r.RedirectUri(r.Profile.Confidential);
        var v = RedirectUriCorpus.Build(variant, registered, anyLoopbackPort: r.Profile.Callback.Port == 0);
        if (v.Uri is null) return RedirectUriNearMiss.NotApplicable(v.Decision).WithCase(variant);
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("redirect_uri", v.Uri));
        var result = EvaluateNoRedirect(RedirectUriNearMiss, attempt, v.Uri, registered);
        return (result with { Reason = $"{v.Decision}: {result.Reason}" }).WithCase(variant);
    });

    [Test] public Task Missing_client_id_is_not_redirected() => Verify(ClientIdMissing, async r =>
    {
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Remove("client_id"));
        return EvaluateNoRedirect(ClientIdMissing, attempt, r.RedirectUri(r.Profile.Confidential), registeredUri: null);
    });

    [Test] public Task Unknown_client_id_is_not_redirected() => Verify(ClientIdUnknown, async r =>
    {
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("client_id", "oidc-conformance-unknown-client"));
        return EvaluateNoRedirect(ClientIdUnknown, attempt, r.RedirectUri(r.Profile.Confidential), registeredUri: null);
    });

    // ---- parameters that must work -------------------------------------------------------------------------

    /// <summary>state values from the VSCHAR alphabet (RFC 6749 Appendix A.5) that a sloppy encoder would alter.</summary>
    [TestCase("punctuation", "a!\"#$%&'()*+,-./:;<=>?@[\\]^_`{|}~z")]
    [TestCase("spaces-and-plus", "a b+c  d")]
    [TestCase("percent-sequences", "%20%2B%25%3D&x=y")]
    public Task State_with_special_characters_is_echoed(string label, string state) => Verify(AuthorizationResponseChecks.StateEchoed, async r =>
    {
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("state", state));
        return AuthorizationResponseChecks.EvaluateStateEchoed(attempt.Request, attempt.Outcome.Response).WithCase(label);
    });

    [Test] public Task Unknown_parameters_are_ignored() => Verify(UnknownParametersIgnored, async r =>
        EvaluateCodeReturned(UnknownParametersIgnored, await AuthorizationEndpointFlow.AttemptAsync(r,
            q => q.Set("oidc_conformance_unknown", "ignored value").Set("x-extension", "1"))));

    [Test] public Task Login_hint_is_accepted() => Verify(LoginHintAccepted, async r =>
        EvaluateCodeReturned(LoginHintAccepted, await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("login_hint", r.Profile.PrimaryUser.Username))));

    [Test] public Task Authorization_request_by_post() => Verify(PostRequest, async r =>
    {
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, method: RequestMethod.Post);
        return EvaluateCodeReturned(PostRequest, attempt).WithEvidence(Navigation(attempt));
    });

    /// <summary>The requests the browser made during an attempt (URLs without their query, which may carry codes).</summary>
    private static Evidence Navigation(AuthorizationAttempt a) =>
        new("browser requests during the attempt", string.Join("\n", a.Observed.Select(o => $"{o.Source}: {o.Url.Split('?')[0]}")) +
                                                   $"\nfinal URL: {a.Outcome.FinalUrl?.Split('?')[0]}" + (a.PageText is { } t ? $"\npage text: {t}" : ""));

    [Test] public Task Code_flow_without_nonce_succeeds() => Verify(NonceOptionalForCode, async r =>
        EvaluateCodeReturned(NonceOptionalForCode, await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Remove("nonce"))));

    [TestCase("query", ResponseLocation.Query)]
    [TestCase("fragment", ResponseLocation.Fragment)]
    [TestCase("form_post", ResponseLocation.FormPost)]
    public Task Response_mode_is_honoured(string mode, ResponseLocation location) => Verify(ResponseMode, async r =>
    {
        if (mode == "form_post" && !r.Profile.Features.FormPost)
            return ResponseMode.NotApplicable("the profile says the provider does not offer form_post (features.formPost)").WithCase(mode);
        var discovery = await r.DiscoveryAsync();
        // OpenID Connect Discovery §3: without response_modes_supported the default is ["query", "fragment"].
        var supported = discovery.StringArray("response_modes_supported") ?? ["query", "fragment"];
        if (!supported.Contains(mode))
            return ResponseMode.NotApplicable($"response_modes_supported does not list {mode}").WithCase(mode);
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("response_mode", mode));
        return EvaluateCodeReturned(ResponseMode, attempt, location).WithCase(mode);
    });

    // ---- duplicated parameters -----------------------------------------------------------------------------

    [TestCase("response_type")]
    [TestCase("client_id")]
    [TestCase("redirect_uri")]
    [TestCase("state")]
    public Task Duplicate_parameter_is_rejected(string name) => Verify(DuplicateParameters, async r =>
    {
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Append(name, q.Get(name)!));
        return EvaluateErrorNoCode(DuplicateParameters, attempt, InvalidRequest).WithCase(name);
    });

    // ---- prompt and max_age --------------------------------------------------------------------------------

    [Test] public Task Prompt_none_without_session_returns_login_required() => Verify(PromptNoneWithoutSession, async r =>
        EvaluateErrorNoCode(PromptNoneWithoutSession, await PromptNone(r), PromptNoneErrors, errorPageAllowed: false));

    [Test] public Task Prompt_login_forces_a_new_login() => Verify(PromptLogin, async r =>
    {
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("prompt", "login"), exchangeCode: true);
        return EvaluateReauthentication(PromptLogin, attempt, attempt.IdToken.NumericDate("auth_time"));
    });

    private static Task<AuthorizationAttempt> MaxAgeZero(ConformanceRun r) => Shared(r, "max-age-0", () =>
        AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("max_age", "0"), exchangeCode: true,
            beforeRequest: AuthorizationEndpointFlow.SecondPassedSinceAsync));

    [Test] public Task Max_age_zero_reauthenticates() => Verify(MaxAgeReauthenticates, async r =>
    {
        var attempt = await MaxAgeZero(r);
        return EvaluateReauthentication(MaxAgeReauthenticates, attempt, attempt.IdToken.NumericDate("auth_time"));
    });

    [Test] public Task Max_age_id_token_has_auth_time() => Verify(MaxAgeAuthTime, async r => EvaluateAuthTime(MaxAgeAuthTime, await MaxAgeZero(r)));

    // ---- error responses carry state -----------------------------------------------------------------------

    [TestCase("prompt-none")]
    [TestCase("response-type-unknown")]
    [TestCase("response-type-missing")]
    public Task Error_response_echoes_state(string scenario) => Verify(ErrorStateEchoed, async r =>
    {
        var attempt = scenario switch
        {
            "prompt-none" => await PromptNone(r),
            "response-type-unknown" => await UnknownResponseType(r),
            _ => await MissingResponseType(r),
        };
        return EvaluateErrorStateEchoed(attempt).WithCase(scenario);
    });
}
