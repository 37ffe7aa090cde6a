using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// What the provider does with a scope value it never defined (issue #19, blind spot 6). RFC 6749 §3.3 lets it ignore the
/// value or refuse the request with invalid_scope (§4.1.2.1); the reason says which. Granting it is the defect: the granted
/// scope then names a permission the provider never defined, which resource servers and clients read as granted
/// (Casdoor 3.158.0 grants any scope of an application without a scope list: docs/casdoor.md A-13).
/// </summary>
public static class ScopeHandlingChecks
{
    /// <summary>A scope value no provider defines; it contains no standard scope value as a substring.</summary>
    public const string UndefinedScope = "oidc-conformance-undefined-x7";

    public static readonly CheckDefinition UndefinedScopeNotGranted = new("authz.undefined-scope-not-granted",
        "A scope value the provider never defined is ignored or refused with invalid_scope, never granted (the reason reports which)",
        "Authorization endpoint",
        [
            new(SpecDocument.Rfc6749, "3.3", "scope strings are defined by the authorization server; it MAY fully or partially ignore the requested scope and MUST then return the granted scope"),
            new(SpecDocument.Rfc6749, "4.1.2.1", "invalid_scope: the requested scope is invalid, unknown, or malformed"),
            new(SpecDocument.Rfc6749, "5.1"),
        ],
        RequirementLevel.Should) {
            Note = "SHOULD: no MUST forbids echoing an unknown value, but a granted scope that names a permission nobody defined is read as a grant by clients and resource servers",
        };

    /// <param name="control">The same flow with scope openid only, made right before (it must have issued tokens).</param>
    /// <param name="attempt">The flow with <see cref="UndefinedScope"/> added, its code exchanged.</param>
    public static CheckResult Evaluate(AuthorizationAttempt control, AuthorizationAttempt attempt)
    {
        var result = Judge(control, attempt);
        if (control.Token is not { IsSuccess: true }) return result;
        result = result.Observed("outcome", null, AuthorizationEndpointChecks.OutcomeValue(attempt));
        return attempt.Token is { IsSuccess: true } token ? result.Observed("granted scope", $"without {UndefinedScope}", token.Scope) : result;
    }

    private static CheckResult Judge(AuthorizationAttempt control, AuthorizationAttempt attempt)
    {
        var def = UndefinedScopeNotGranted;
        if (control.Token is not { IsSuccess: true })
            return def.NotApplicable($"the control flow (scope openid) issued no tokens ({control.Outcome.Describe()}{(control.Token is null ? "" : $"; token endpoint: {control.Token.Exchange.Summary}")}), so the answer to the undefined scope proves nothing");
        var o = attempt.Outcome;
        if (o.End == AuthorizationEnd.Redirected && o.Response?.Error is { } error)
            return error == "invalid_scope"
                ? def.Pass("refused: the provider redirected error invalid_scope (RFC 6749 §4.1.2.1), while the control with scope openid issued tokens")
                : def.Pass($"not granted: the provider redirected error '{error}' (RFC 6749 §4.1.2.1 names invalid_scope for this), while the control issued tokens");
        if (o.End == AuthorizationEnd.ProviderError)
            return def.Pass($"not granted: the provider showed an error page ({o.Detail}) instead of redirecting invalid_scope, while the control issued tokens");
        if (o.End != AuthorizationEnd.Redirected || string.IsNullOrEmpty(o.Response?.Code))
            return def.NotApplicable($"no evidence of what the provider did with the undefined scope: {o.Describe()}");
        if (attempt.Token is not { } token || !token.IsSuccess)
            return def.NotApplicable($"a code was issued but the exchange failed ({attempt.Token?.Exchange.Summary ?? "no exchange"}): the granted scope is unknown");
        if (token.Scope is not { } granted)
            return def.NotApplicable("a code was issued and exchanged, but the token response has no scope parameter: RFC 6749 §5.1 reads that as the requested scope, " +
                                     "yet an absent value is no evidence of what was granted (the provider's introspection or UserInfo would tell)");
        var values = granted.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return def.Require(!values.Contains(UndefinedScope, StringComparer.Ordinal),
            $"granted: the token response's scope '{granted}' contains '{UndefinedScope}', a value the provider never defined",
            $"ignored: a code was issued and the granted scope '{granted}' leaves out '{UndefinedScope}'");
    }
}
