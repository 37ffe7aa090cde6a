using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>OpenID Connect RP-Initiated Logout 1.0.</summary>
public static class LogoutChecks
{
    private const string Area = "Logout";

    public static readonly CheckDefinition EndpointAdvertised = new("logout.end-session-endpoint",
        "end_session_endpoint is advertised as an absolute URL", Area, [new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2.1")], RequirementLevel.Must) { OidfModules = ["oidcc-rp-initiated-logout-discovery-endpoint-verification"] };

    public static readonly CheckDefinition RedirectWithState = new("logout.redirect-with-state",
        "Logout with id_token_hint, registered post_logout_redirect_uri and state redirects there with state", Area,
        [new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2"), new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3")], RequirementLevel.Must) { OidfModules = ["oidcc-rp-initiated-logout"] };

    public static readonly CheckDefinition SessionEnded = new("logout.session-ended",
        "After logout, prompt=none no longer authenticates silently (login_required or similar)", Area,
        [new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2"), new(SpecDocument.OpenIdConnectCore, "3.1.2.6")], RequirementLevel.Must) { OidfModules = ["oidcc-rp-initiated-logout"] };

    public static CheckResult EvaluateEndpointAdvertised(DiscoveryDocument d, FeatureSet features)
    {
        var value = d.EndSessionEndpoint;
        if (value is null)
            return features.RpInitiatedLogout
                ? EndpointAdvertised.Violation("the profile says the provider offers RP-initiated logout, but end_session_endpoint is not advertised")
                : EndpointAdvertised.NotApplicable("the provider does not offer RP-initiated logout (profile features.rpInitiatedLogout)");
        return EndpointAdvertised.Require(Urls.TryAbsolute(value, out _), $"end_session_endpoint '{value}' is not an absolute URL");
    }

    public static CheckResult EvaluateRedirectWithState(AuthorizationOutcome outcome, string postLogoutRedirectUri, string state)
    {
        if (outcome.End != AuthorizationEnd.Redirected) return RedirectWithState.Violation(outcome.Describe());
        var hit = outcome.Hit!;
        var target = new Uri(postLogoutRedirectUri);
        if (hit.Path != target.AbsolutePath) return RedirectWithState.Violation($"redirected to {hit.Path}, not to the post_logout_redirect_uri {target.AbsolutePath}");
        var states = hit.Query.Where(p => p.Key == "state").Select(p => p.Value).ToList();
        if (states.Count == 0) return RedirectWithState.Violation("redirected without state").Observed("state", state, null);
        return RedirectWithState.Require(states.Count == 1 && states[0] == state, $"state came back as '{string.Join(",", states)}' instead of '{state}'")
            .Observed("state", state, string.Join(",", states));
    }

    /// <param name="afterLogout">A prompt=none authorization attempted in the same user-agent after logout.</param>
    public static CheckResult EvaluateSessionEnded(AuthorizationOutcome afterLogout) =>
        JudgeSessionEnded(afterLogout).Observed("prompt=none after logout", "redirect with error login_required or interaction_required",
            AuthorizationEndpointChecks.OutcomeValue(afterLogout));

    private static CheckResult JudgeSessionEnded(AuthorizationOutcome afterLogout)
    {
        switch (afterLogout.End)
        {
            case AuthorizationEnd.Redirected when afterLogout.Response!.Error is "login_required" or "interaction_required":
                return SessionEnded.Pass($"prompt=none answered '{afterLogout.Response.Error}'");
            case AuthorizationEnd.Redirected when afterLogout.Response!.Error is "consent_required" or "account_selection_required":
                return SessionEnded.Violation($"prompt=none answered '{afterLogout.Response.Error}': the provider still knows the user, the session survived");
            case AuthorizationEnd.Redirected when afterLogout.Response!.Error is { } other:
                return SessionEnded.NotApplicable($"prompt=none answered '{other}', which says nothing about the session");
            case AuthorizationEnd.Redirected when afterLogout.Response!.Code is not null || afterLogout.Response.IdToken is not null:
                return SessionEnded.Violation("prompt=none still issued a code/token after logout: the session survived");
            case AuthorizationEnd.LoginRequired:
                return SessionEnded.Pass("the provider asked for a login");
            default:
                return SessionEnded.NotApplicable($"prompt=none after logout ended unclearly: {afterLogout.Describe()}");
        }
    }
}
