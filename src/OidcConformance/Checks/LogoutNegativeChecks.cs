using OidcConformance.Protocol;
using OidcConformance.Callback;

namespace OidcConformance.Checks;

/// <summary>
/// RP-Initiated Logout 1.0 negative cases (OIDF oidcc-rp-initiated-logout-*): requests the OP must not answer with a
/// post-logout redirection, and the no-state redirect. Each case runs in its own logged-in user agent.
/// </summary>
public static class LogoutNegativeChecks
{
    private const string Area = "Logout";

    public static readonly CheckDefinition UnregisteredUri = new("logout.unregistered-post-logout-uri-no-redirect",
        "An unregistered post_logout_redirect_uri (with a valid id_token_hint) is never redirected to, even after the user confirms", Area,
        [
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3", "\"The OP also MUST NOT perform post-logout redirection if the post_logout_redirect_uri value supplied does not exactly match one of the previously registered post_logout_redirect_uris values\""),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2"),
        ],
        RequirementLevel.Must) { OidfModules = ["oidcc-rp-initiated-logout-bad-post-logout-redirect-uri"] };

    public static readonly CheckDefinition QueryModifiedUri = new("logout.query-modified-post-logout-uri-no-redirect",
        "The registered post_logout_redirect_uri with an added query parameter is not an exact match: no redirect, even after confirmation", Area,
        [new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3", "exact match, MUST NOT redirect")],
        RequirementLevel.Must) { OidfModules = ["oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri"] };

    public static readonly CheckDefinition TamperedIdTokenHint = new("logout.tampered-id-token-hint-no-redirect",
        "A tampered id_token_hint (broken signature, alg none, signed by another key) leads to no redirect to the RP, even after confirmation", Area,
        [
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "4", "\"the OP MUST validate that it was the issuer of the ID Token\"; errors → \"MUST NOT perform post-logout redirection\""),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3"),
        ],
        RequirementLevel.Must) {
            OidfModules = ["oidcc-rp-initiated-logout-modified-id-token-hint", "oidcc-rp-initiated-logout-bad-id-token-hint"],
        };

    public static readonly CheckDefinition NoIdTokenHint = new("logout.no-id-token-hint-no-silent-redirect",
        "post_logout_redirect_uri without id_token_hint and without client_id is not redirected to silently (a confirmation page or an error is fine)", Area,
        [
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3", "\"if it is not supplied with post_logout_redirect_uri, the OP MUST NOT perform post-logout redirection unless the OP has other means of confirming the legitimacy of the post-logout redirection target\""),
        ],
        RequirementLevel.Must) { OidfModules = ["oidcc-rp-initiated-logout-no-id-token-hint"] };

    public static readonly CheckDefinition ClientIdWithoutHint = new("logout.client-id-without-hint-no-silent-redirect",
        "post_logout_redirect_uri with client_id but no id_token_hint is not redirected to without asking the user (logout CSRF)", Area,
        [
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3"),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "6", "client_id plus a registered URI may count as the \"other means\" §3 allows, so SHOULD, not MUST"),
        ],
        RequirementLevel.Should) { OidfModules = ["oidcc-rp-initiated-logout-no-id-token-hint"] };

    public static readonly CheckDefinition RedirectWithoutState = new("logout.redirect-without-state",
        "Logout with a valid id_token_hint and the registered post_logout_redirect_uri but no state still redirects there", Area,
        [
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2", "state is OPTIONAL"),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-rp-initiated-logout-no-state"] };

    /// <summary>What each negative request got wrong: the property a redirect after it disregards.</summary>
    private static readonly Dictionary<string, string> Request = new()
    {
        [UnregisteredUri.Id] = "a post_logout_redirect_uri that is not registered",
        [QueryModifiedUri.Id] = "a post_logout_redirect_uri that is the registered one with an added query (not an exact match)",
        [TamperedIdTokenHint.Id] = "an id_token_hint whose signature is not the issuer's",
        [NoIdTokenHint.Id] = "a post_logout_redirect_uri sent without id_token_hint or client_id",
        [ClientIdWithoutHint.Id] = "a post_logout_redirect_uri sent with client_id but without id_token_hint",
    };

    /// <summary>The tampered id_token_hint variants.</summary>
    public static readonly string[] TamperCases = ["signature-broken", "alg-none", "foreign-key"];

    /// <summary>
    /// Verdict for a logout request the OP must not honor with a redirect to the RP.
    /// </summary>
    /// <param name="outcome">Where the logout ended in the browser (after confirming where asked, if the case confirms).</param>
    /// <param name="tagged">Callback requests that carried this case's unique state: a redirect the browser may not have ended on.</param>
    /// <param name="confirmed">Whether the test confirmed a logout prompt (so a redirect after confirmation is also judged).</param>
    public static CheckResult EvaluateNoRedirect(CheckDefinition check, AuthorizationOutcome outcome, IReadOnlyList<CallbackHit> tagged,
        bool confirmed, string? @case = null)
    {
        var hit = outcome.End == AuthorizationEnd.Redirected ? outcome.Hit : tagged.FirstOrDefault();
        if (hit is not null)
            return check.Violation($"the OP redirected the browser to the RP at {hit.Path}{(hit.Query.Count > 0 ? "?" + string.Join("&", hit.Query.Select(q => q.Key)) : "")}" +
                                   (outcome.End == AuthorizationEnd.Redirected ? "" : " (seen by the callback listener)") +
                                   (Request.TryGetValue(check.Id, out var request) ? $" for {request}" : "") +
                                   (confirmed ? " (after the user was asked to confirm, or without asking)" : ", without asking the user")).WithCase(@case);
        // A stall is no evidence of a refusal: a page that failed to load or never settled says nothing about what the OP would
        // have done with the request (the confirmation prompt is the one stall that is the OP's own answer).
        if (outcome.End is AuthorizationEnd.Stalled or AuthorizationEnd.BlankPage && !outcome.Detail.Contains("confirmation", StringComparison.Ordinal))
            return check.NotApplicable($"no evidence either way: the logout attempt ended without a redirect or a page of the OP ({outcome.Describe()})").WithCase(@case);
        var what = outcome.End switch
        {
            AuthorizationEnd.ProviderError => $"no redirect; the OP showed: {outcome.Detail}",
            AuthorizationEnd.Stalled => "no redirect; the OP asked the user to confirm",
            AuthorizationEnd.LoginRequired => "no redirect; the OP showed its login page",
            _ => $"no redirect ({outcome.Describe()})",
        };
        return check.Pass(what).WithCase(@case);
    }

    /// <summary>The no-state case: a redirect to the registered post_logout_redirect_uri is required; state must not be invented.</summary>
    public static CheckResult EvaluateRedirectWithoutState(AuthorizationOutcome outcome, string postLogoutRedirectUri)
    {
        // A stall or a blank page is no answer of the OP (issue #11 class 1): under load the browser can reach the RP's page and
        // not see it settle in time, and a page that failed to load says nothing about the redirect the OP would have sent.
        if (outcome.End is AuthorizationEnd.Stalled or AuthorizationEnd.BlankPage && !outcome.Detail.Contains("confirmation", StringComparison.Ordinal))
            return RedirectWithoutState.NotApplicable($"no evidence either way: the logout attempt ended without a redirect or a page of the OP ({outcome.Describe()})");
        if (outcome.End != AuthorizationEnd.Redirected)
            return RedirectWithoutState.Violation($"no redirect to the RP for a logout without state (valid id_token_hint, registered post_logout_redirect_uri): {outcome.Describe()}");
        var hit = outcome.Hit!;
        var target = new Uri(postLogoutRedirectUri);
        if (hit.Path != target.AbsolutePath)
            return RedirectWithoutState.Violation($"redirected to {hit.Path}, not to the post_logout_redirect_uri {target.AbsolutePath}");
        var state = hit.Query.Where(p => p.Key == "state").Select(p => p.Value).ToList();
        return RedirectWithoutState.Pass(state.Count == 0
            ? "redirected to the post_logout_redirect_uri without state"
            : $"redirected to the post_logout_redirect_uri (with a state '{string.Join(",", state)}' the RP did not send; harmless, it is ignored)");
    }
}
