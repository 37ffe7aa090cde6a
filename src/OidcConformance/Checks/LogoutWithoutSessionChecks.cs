using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// Logout when the provider has no session for the browser any more (issue #19, blind spot 4): the relying party's logout
/// button is pressed after the session expired or ended elsewhere, and the user must still land back on the relying party
/// with its state. Judged only after the same request succeeded while the session existed (the control, same check).
/// </summary>
public static class LogoutWithoutSessionChecks
{
    public static readonly CheckDefinition RedirectsWithoutSession = new("logout.without-session-redirects-with-state",
        "A logout request with a valid id_token_hint and registered post_logout_redirect_uri still redirects there with state when the provider's session already ended (logged out already, or no session cookie)",
        "Logout",
        [
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2", "the OP SHOULD redirect to post_logout_redirect_uri after logout, with state when given"),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3", "redirection after logout"),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "4", "validation concerns the request: the id_token_hint's issuer and client, the URI's registration; an OP MAY treat an expired ID token as a valid hint, and a missing session is not among the errors"),
        ],
        RequirementLevel.Should) {
            Note = "SHOULD: otherwise the user stays on the provider's page and the relying party never gets its state back",
        };

    public static readonly string[] Cases = ["after logout", "no session cookie"];

    /// <param name="control">The same logout while the session existed.</param>
    /// <param name="attempt">The logout without a session.</param>
    /// <param name="postLogoutPath">Path of the registered post_logout_redirect_uri.</param>
    /// <param name="controlState">state sent with the control.</param>
    /// <param name="state">state sent with the attempt.</param>
    public static CheckResult Evaluate(string @case, AuthorizationOutcome control, string controlState, AuthorizationOutcome attempt, string state, string postLogoutPath)
    {
        var def = RedirectsWithoutSession;
        if (!RedirectedWithState(control, controlState, postLogoutPath))
            return def.NotApplicable($"the control logout (with a session) did not redirect to the post_logout_redirect_uri with its state ({control.Describe()}), so the answer without a session proves nothing").WithCase(@case);
        switch (attempt.End)
        {
            case AuthorizationEnd.Redirected when attempt.Hit is { } hit && hit.Path == postLogoutPath:
                var states = hit.Query.Where(p => p.Key == "state").Select(p => p.Value).ToList();
                return def.Require(states.Count == 1 && states[0] == state,
                    states.Count == 0 ? "redirected to the post_logout_redirect_uri without state" : $"redirected with state '{string.Join(",", states)}' instead of the one sent",
                    "redirected to the post_logout_redirect_uri with the state sent, as the control with a session").WithCase(@case);
            case AuthorizationEnd.Redirected:
                return def.Violation($"redirected elsewhere than the post_logout_redirect_uri: {attempt.Describe()}").WithCase(@case);
            case AuthorizationEnd.Stalled:
                return def.NotApplicable($"no evidence: {attempt.Describe()}").WithCase(@case);
            default:
                return def.Violation($"no redirect to the post_logout_redirect_uri although the same request redirected while the session existed: {attempt.Describe()}").WithCase(@case);
        }
    }

    private static bool RedirectedWithState(AuthorizationOutcome o, string state, string path) =>
        o.End == AuthorizationEnd.Redirected && o.Hit is { } h && h.Path == path && h.Query.Any(p => p.Key == "state" && p.Value == state);
}
