using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;
using static OidcConformance.Checks.AuthorizationEndpointChecks;

using static OidcConformance.Suites.AuthorizationEndpoint.ExpectedErrors;

namespace OidcConformance.Suites.AuthorizationEndpoint;

/// <summary>
/// Authorization request parameters a conformant provider must handle: state values that need encoding, unknown
/// parameters, login_hint, POST, code flow without nonce, response modes, and duplicated parameters (rejected).
/// Attempts in the logged-in state lease one of the run's few logged-in sessions (<see cref="LoggedInSessions"/>), so the
/// three authorization-endpoint fixtures run in parallel without ever sharing a session during an attempt.
/// </summary>
[TestFixture, Category("AuthorizationEndpoint"), Parallelizable(ParallelScope.Self)]
public sealed class AuthorizationParameterTests : ConformanceTest
{
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
        EvaluateCodeReturned(NonceOptionalForCode, await AuthorizationEndpointFlow.AttemptAsync(r, steps: NonceLeftOut.Apply)).WithEvidence(NonceLeftOut.Evidence));

    private static readonly AuthorizationChange NonceLeftOut = AuthorizationChanges.Without<NonceStep>();

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
        var change = AuthorizationChanges.Repeated(name);
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, steps: change.Apply);
        return EvaluateErrorNoCode(DuplicateParameters, attempt, InvalidRequest).WithCase(name).WithEvidence(change.Evidence);
    });
}
