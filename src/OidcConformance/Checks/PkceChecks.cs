using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// Proof Key for Code Exchange (RFC 7636) and the PKCE rules of the OAuth 2.0 Security BCP (RFC 9700 §2.1.1, §4.8).
/// Every evaluation reads one attempt: what the authorization endpoint answered and, where it issued a code, what the
/// token endpoint answered to the (possibly mutated) code exchange.
/// </summary>
public static class PkceChecks
{
    private const string Area = "PKCE";

    public static readonly CheckDefinition S256Accepted = new("pkce.s256-accepted",
        "A code requested with an S256 code_challenge is redeemed with the matching code_verifier", Area,
        [
            new(SpecDocument.Rfc7636, "4.2", "S256 is mandatory to implement"),
            new(SpecDocument.Rfc7636, "4.3"),
            new(SpecDocument.Rfc7636, "4.5"),
            new(SpecDocument.Rfc7636, "4.6"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-ensure-request-with-valid-pkce-succeeds"] };

    public static readonly CheckDefinition InvalidVerifierRejected = new("pkce.invalid-verifier-rejected",
        "A code bound to a code_challenge is not redeemed with a wrong or a missing code_verifier", Area,
        [new(SpecDocument.Rfc7636, "4.6", "mismatch: invalid_grant"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition DowngradeRejected = new("pkce.downgrade-rejected",
        "A code_verifier is refused for a code whose authorization request carried no code_challenge (PKCE downgrade)", Area,
        [new(SpecDocument.Rfc9700, "2.1.1"), new(SpecDocument.Rfc9700, "4.8.2")], RequirementLevel.Must);

    public static readonly CheckDefinition VerifierFormatEnforced = new("pkce.verifier-format-enforced",
        "A code_verifier outside the RFC 7636 ABNF (43–128 unreserved characters) is refused, even when its S256 hash matches", Area,
        [
            new(SpecDocument.Rfc7636, "4.1", "the ABNF binds the client; the RFC states no server MUST to enforce it, hence SHOULD"),
            new(SpecDocument.Rfc7636, "4.6"),
            new(SpecDocument.Rfc6749, "5.2"),
        ],
        RequirementLevel.Should);

    public static readonly CheckDefinition UnsupportedMethodRejected = new("pkce.unsupported-method-rejected",
        "A code_challenge_method the provider does not support is answered with invalid_request at the authorization endpoint", Area,
        [
            new(SpecDocument.Rfc7636, "4.4.1"),
            new(SpecDocument.Rfc7636, "4.2"),
            new(SpecDocument.Rfc6749, "4.1.2.1", "the authorization error response"),
            new(SpecDocument.Rfc8414, "2", "code_challenge_methods_supported"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition PlainAcceptedWhenAdvertised = new("pkce.plain-accepted-when-advertised",
        "Where code_challenge_methods_supported lists plain, a plain challenge is redeemed with its verifier", Area,
        [new(SpecDocument.Rfc7636, "4.2"), new(SpecDocument.Rfc7636, "4.6"), new(SpecDocument.Rfc8414, "2")], RequirementLevel.Must);

    public static readonly CheckDefinition RequiredForPublicClient = new("pkce.required-without-challenge-rejected",
        "Where PKCE is required for the client, an authorization request without code_challenge is answered with invalid_request", Area,
        [
            new(SpecDocument.Rfc7636, "4.4.1"),
            new(SpecDocument.Rfc6749, "4.1.2.1", "the authorization error response"),
            new(SpecDocument.Rfc9700, "2.1.1"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition MethodsAdvertised = new("pkce.methods-advertised",
        "A provider offering PKCE lists code_challenge_methods_supported in its metadata, including S256", Area,
        [
            new(SpecDocument.Rfc8414, "2", "omitted means no PKCE support"),
            new(SpecDocument.Rfc7636, "4.2", "S256 mandatory to implement"),
        ], RequirementLevel.Should);

    /// <summary>Error codes a token endpoint may use for a refused PKCE proof: mismatch is invalid_grant (§4.6); a missing or malformed parameter is also invalid_request (RFC 6749 §5.2).</summary>
    public static readonly string[] MismatchErrors = ["invalid_grant"];
    public static readonly string[] MissingOrMalformedErrors = ["invalid_grant", "invalid_request"];

    public static CheckResult EvaluateS256Accepted(AuthorizationOutcome outcome, TokenResponse? token)
    {
        var result = JudgeS256Accepted(outcome, token).Observed("authorization outcome", "redirect with code", AuthorizationEndpointChecks.OutcomeValue(outcome));
        return token is null ? result : result.ObservedAnswer(token, "200", "(none: tokens issued)");
    }

    private static CheckResult JudgeS256Accepted(AuthorizationOutcome outcome, TokenResponse? token)
    {
        if (outcome.End != AuthorizationEnd.Redirected)
            return outcome.End == AuthorizationEnd.ProviderError
                ? S256Accepted.Violation($"the authorization request with an S256 challenge was refused: {outcome.Describe()}")
                : S256Accepted.NotApplicable($"the authorization did not complete: {outcome.Describe()}");
        if (outcome.Response!.Error is { } error)
            return S256Accepted.Violation($"the authorization request with an S256 challenge was answered with error '{error}'" +
                                          (outcome.Response.Get("error_description") is { } d ? $" ({d})" : ""));
        if (token is null) return S256Accepted.NotApplicable("no code exchange was made");
        if (token.Exchange.TransportError is not null) return S256Accepted.NotApplicable($"no response from the token endpoint: {token.Exchange.TransportError}");
        return S256Accepted.Require(token.IsSuccess, $"the code exchange with the matching code_verifier failed: {token.Describe()}",
            "code redeemed with the matching S256 verifier");
    }

    /// <summary>
    /// A wrong (§4.6: invalid_grant) or missing (invalid_grant or invalid_request) verifier: the token endpoint must refuse.
    /// <paramref name="control"/>: the same client's S256 attempt with the matching verifier, in the same session.
    /// </summary>
    public static CheckResult EvaluateInvalidVerifierRejected(AuthorizationOutcome outcome, TokenResponse? token, bool verifierMissing, PkceControl control) =>
        TokenRefused(InvalidVerifierRejected, outcome, token, verifierMissing ? MissingOrMalformedErrors : MismatchErrors, authorizationControl: null, control,
            verifierMissing ? "code exchange without code_verifier for a code bound to a PKCE code_challenge"
                : "code exchange with a code_verifier that does not match the code's PKCE code_challenge");

    /// <summary>
    /// Challenge stripped, verifier sent. A provider that requires PKCE for the client refuses at the authorization
    /// endpoint already; that also prevents the downgrade (how that refusal reaches the client is graded by
    /// pkce.required-without-challenge-rejected), but only when <paramref name="withChallenge"/> (the same request with an S256
    /// challenge) was issued a code. A refusal at the token endpoint counts only when <paramref name="withoutVerifier"/> (the same
    /// challenge-less code redeemed without any verifier) succeeded: otherwise the token endpoint refuses this client's
    /// challenge-less codes whatever the verifier, and the refusal says nothing about downgrade protection.
    /// </summary>
    public static CheckResult EvaluateDowngradeRejected(AuthorizationOutcome outcome, TokenResponse? token, PkceControl withChallenge, PkceControl withoutVerifier) =>
        TokenRefused(DowngradeRejected, outcome, token, MissingOrMalformedErrors, withChallenge, withoutVerifier,
            "PKCE downgrade: code exchange with a code_verifier for a code requested without code_challenge");

    /// <summary>
    /// Malformed verifier whose S256 hash was sent as the challenge: refusal at either endpoint is conformant, when the
    /// same client's well-formed S256 attempt (<paramref name="control"/>) was issued a code and redeemed it.
    /// </summary>
    public static CheckResult EvaluateVerifierFormatEnforced(AuthorizationOutcome outcome, TokenResponse? token, PkceControl control) =>
        TokenRefused(VerifierFormatEnforced, outcome, token, MissingOrMalformedErrors, control, control,
            "code exchange with a code_verifier outside the RFC 7636 ABNF");

    /// <summary>
    /// An unadvertised code_challenge_method must be refused with the authorization error response invalid_request
    /// (RFC 7636 §4.4.1). How the spec grades a refusal shown to the user on the provider's own page instead of sent to
    /// the client: RFC 6749 §4.1.2.1 allows keeping an error from the client only when the client_id or the redirect_uri
    /// is missing or invalid; for every other failed request the server informs the client at its redirect_uri, and
    /// §4.4.1 makes that response a MUST. The control (<paramref name="control"/>: the same client and redirect_uri with an
    /// S256 challenge, same session) shows both were valid, so an error page is a violation of the MUST: the unsupported
    /// method was not used (no code), but the client is left without an answer. Where the control failed too, the refusal
    /// proves nothing and the verdict is Inconclusive. No other check grades this delivery for this request: the
    /// authorization-endpoint suite (authz.*) judges its own malformed requests (missing or unknown response_type,
    /// invalid client_id or redirect_uri, duplicated parameters), never the PKCE ones, so this check is where a PKCE
    /// refusal kept from the client shows.
    /// </summary>
    /// <param name="method">The code_challenge_method sent.</param>
    /// <param name="advertised">code_challenge_methods_supported, or null when the metadata omits it.</param>
    public static CheckResult EvaluateUnsupportedMethodRejected(string method, IReadOnlyList<string>? advertised, AuthorizationOutcome outcome, TokenResponse? token,
        PkceControl? control)
    {
        if (advertised is null)
            return UnsupportedMethodRejected.NotApplicable("code_challenge_methods_supported is not advertised, so the supported methods are unknown");
        if (advertised.Contains(method))
            return UnsupportedMethodRejected.NotApplicable($"{method} is advertised in code_challenge_methods_supported");
        var list = string.Join(", ", advertised);
        return InvalidRequestAtAuthorization(UnsupportedMethodRejected, outcome, token, control,
            $"code_challenge_method={method} (advertised: [{list}])",
            token is null ? "" : token.IsSuccess ? "; the code was then redeemed: the unadvertised method works" : $"; the token endpoint then answered {token.Describe()}");
    }

    public static CheckResult EvaluatePlainAcceptedWhenAdvertised(IReadOnlyList<string>? advertised, AuthorizationOutcome outcome, TokenResponse? token)
    {
        var result = JudgePlainAcceptedWhenAdvertised(advertised, outcome, token);
        if (advertised is null || !advertised.Contains("plain")) return result;
        result = result.Observed("authorization outcome", "redirect with code", AuthorizationEndpointChecks.OutcomeValue(outcome));
        return token is null ? result : result.ObservedAnswer(token, "200", "(none: tokens issued)");
    }

    private static CheckResult JudgePlainAcceptedWhenAdvertised(IReadOnlyList<string>? advertised, AuthorizationOutcome outcome, TokenResponse? token)
    {
        if (advertised is null || !advertised.Contains("plain"))
            return PlainAcceptedWhenAdvertised.NotApplicable($"plain is not advertised (code_challenge_methods_supported: {(advertised is null ? "absent" : "[" + string.Join(", ", advertised) + "]")})");
        if (outcome.End == AuthorizationEnd.ProviderError)
            return PlainAcceptedWhenAdvertised.Violation($"plain is advertised but the authorization request was refused: {outcome.Describe()}");
        if (outcome.End != AuthorizationEnd.Redirected)
            return PlainAcceptedWhenAdvertised.NotApplicable($"the authorization did not complete: {outcome.Describe()}");
        if (outcome.Response!.Error is { } error)
            return PlainAcceptedWhenAdvertised.Violation($"plain is advertised but the authorization request was answered with error '{error}'");
        if (token is null) return PlainAcceptedWhenAdvertised.NotApplicable("no code exchange was made");
        return PlainAcceptedWhenAdvertised.Require(token.IsSuccess, $"plain is advertised but the code exchange failed: {token.Describe()}",
            "code redeemed with the plain verifier");
    }

    /// <summary>
    /// Where PKCE is required for the client, a request without code_challenge must get the authorization error response
    /// invalid_request (RFC 7636 §4.4.1). Graded like <see cref="EvaluateUnsupportedMethodRejected"/>: a refusal counts only
    /// when <paramref name="control"/> (the same request with an S256 challenge, same session) was issued a code, and a
    /// refusal shown on the provider's own page instead of sent to the client does not meet the MUST.
    /// </summary>
    /// <param name="required">Whether the profile says PKCE is required for the client.</param>
    public static CheckResult EvaluateRequiredWithoutChallengeRejected(bool required, AuthorizationOutcome outcome, TokenResponse? token, PkceControl? control)
    {
        if (!required) return RequiredForPublicClient.NotApplicable("the profile does not mark the client pkceRequired");
        return InvalidRequestAtAuthorization(RequiredForPublicClient, outcome, token, control,
            "a request without code_challenge from a client that requires PKCE",
            token is null ? "" : token.IsSuccess ? "; the code was then redeemed without any verifier" : $"; the token endpoint then answered {token.Describe()}");
    }

    /// <summary>
    /// The request (<paramref name="what"/>) must end in the authorization error response invalid_request, redirected to
    /// the client (RFC 7636 §4.4.1, RFC 6749 §4.1.2.1). A code is a violation whatever the control says; a refusal counts
    /// only when <paramref name="control"/> was issued a code.
    /// </summary>
    private static CheckResult InvalidRequestAtAuthorization(CheckDefinition check, AuthorizationOutcome outcome, TokenResponse? token, PkceControl? control,
        string what, string afterCode) =>
        JudgeInvalidRequestAtAuthorization(check, outcome, token, control, what, afterCode)
            .Observed("authorization outcome", "redirect with error invalid_request", AuthorizationEndpointChecks.OutcomeValue(outcome))
            .Observed(ControlObservation(control, redeemed: false));

    /// <summary>The control attempt as an observation: whether the same request without the mutation got its code (or its tokens).</summary>
    private static Observation ControlObservation(PkceControl? control, bool redeemed) =>
        new($"control: {control?.What ?? "(none)"}", redeemed ? "code issued and redeemed" : "code issued",
            control is null ? null : control.Redeemed ? "code issued and redeemed" : control.CodeIssued ? "code issued" : AuthorizationEndpointChecks.OutcomeValue(control.Outcome));

    private static CheckResult JudgeInvalidRequestAtAuthorization(CheckDefinition check, AuthorizationOutcome outcome, TokenResponse? token, PkceControl? control,
        string what, string afterCode)
    {
        switch (outcome.End)
        {
            case AuthorizationEnd.ProviderError:
                if (ControlFailed(control) is { } whyNot)
                    return check.NotApplicable($"{what} was refused on the provider's page ({outcome.Detail}), but {whyNot}: the refusal is not shown to be about the PKCE parameters");
                return check.Violation($"{what} was refused on the provider's own page ({outcome.Detail}; consent/continue step shown: {YesNo(outcome.ConsentShown)}, " +
                                       $"credentials submitted: {YesNo(outcome.CredentialsSubmitted)}) and no code was issued, but the client was never told: " +
                                       "RFC 7636 §4.4.1 requires the authorization error response with error=invalid_request, which RFC 6749 §4.1.2.1 sends to the " +
                                       $"client's redirect_uri whenever client_id and redirect_uri are valid, as {control!.What} showed they are (it was issued a code in the same session)");
            case AuthorizationEnd.Redirected:
                break;
            default:
                return check.NotApplicable($"the authorization did not complete: {outcome.Describe()}");
        }
        var response = outcome.Response!;
        if (response.Error is { } error)
        {
            if (ControlFailed(control) is { } whyNot)
                return check.NotApplicable($"{what} was answered with error '{error}', but {whyNot}: the refusal is not shown to be about the PKCE parameters");
            return check.Require(error == "invalid_request",
                $"{what} was refused with error '{error}', but RFC 7636 §4.4.1 requires invalid_request",
                $"invalid_request redirected to the client for {what}; {control!.What} was issued a code in the same session");
        }
        if (string.IsNullOrEmpty(response.Code))
            return check.NotApplicable($"{what}: redirected without a code and without an error ({response.Describe()})");
        return check.Violation($"{what} was accepted at the authorization endpoint and a code was issued{afterCode}");
    }

    /// <summary>Why <paramref name="control"/> cannot vouch for a refusal at the authorization endpoint, or null when it can.</summary>
    private static string? ControlFailed(PkceControl? control) => control switch
    {
        null => "no control attempt was made",
        { CodeIssued: false } => $"the control failed too ({control.Describe()})",
        _ => null,
    };

    private static string YesNo(bool value) => value ? "yes" : "no";

    /// <param name="pkceOffered">The profile's features.pkce.</param>
    public static CheckResult EvaluateMethodsAdvertised(DiscoveryDocument discovery, bool pkceOffered)
    {
        if (!pkceOffered) return MethodsAdvertised.NotApplicable("the profile does not offer PKCE (features.pkce)");
        if (!discovery.Body.IsObject) return MethodsAdvertised.NotApplicable($"no discovery document: {discovery.Body.Problem}");
        if (!discovery.Body.Has("code_challenge_methods_supported"))
            return MethodsAdvertised.Violation("code_challenge_methods_supported is missing, which RFC 8414 §2 defines as \"no PKCE support\"");
        if (discovery.StringArray("code_challenge_methods_supported") is not { } methods)
            return MethodsAdvertised.Violation("code_challenge_methods_supported is not a JSON array of strings");
        return MethodsAdvertised.Require(methods.Contains("S256"),
            $"code_challenge_methods_supported is [{string.Join(", ", methods)}] without S256",
            $"advertised: [{string.Join(", ", methods)}]").Observed("code_challenge_methods_supported", "contains S256", string.Join(", ", methods));
    }

    /// <summary>
    /// The token endpoint refused the code exchange with one of <paramref name="accepted"/> and HTTP 400 (RFC 6749 §5.2).
    /// When <paramref name="authorizationControl"/> is given, a refusal at the authorization endpoint (error redirect or
    /// error page) is a pass as well (no code, no tokens), provided that control was issued a code. A refusal at the token
    /// endpoint counts only when <paramref name="tokenControl"/> (the same request without the mutation, same session) was
    /// redeemed; tokens issued to the mutated request are a violation whatever the controls say. <paramref name="what"/>
    /// names the request that had to be refused (the property under test), and leads every violation reason.
    /// </summary>
    internal static CheckResult TokenRefused(CheckDefinition check, AuthorizationOutcome outcome, TokenResponse? token, string[] accepted,
        PkceControl? authorizationControl, PkceControl tokenControl, string what)
    {
        var result = JudgeTokenRefused(check, outcome, token, accepted, authorizationControl, tokenControl, what);
        var codeIssued = outcome.End == AuthorizationEnd.Redirected && outcome.Response!.Error is null;
        if (!codeIssued)
            return result.Observed("authorization outcome", authorizationControl is null ? "redirect with code" : null, AuthorizationEndpointChecks.OutcomeValue(outcome))
                .Observed(ControlObservation(authorizationControl, redeemed: false));
        return result.Observed(ControlObservation(tokenControl, redeemed: true));
    }

    private static CheckResult JudgeTokenRefused(CheckDefinition check, AuthorizationOutcome outcome, TokenResponse? token, string[] accepted,
        PkceControl? authorizationControl, PkceControl tokenControl, string what)
    {
        string? authzError = null;
        switch (outcome.End)
        {
            case AuthorizationEnd.ProviderError when authorizationControl is not null:
                authzError = outcome.Describe();
                break;
            case AuthorizationEnd.Redirected:
                if (outcome.Response!.Error is { } e) authzError = $"error '{e}'";
                break;
            default:
                return check.NotApplicable($"no code was obtained: {outcome.Describe()}");
        }
        if (authzError is not null)
        {
            if (authorizationControl is null) return check.NotApplicable($"no code was obtained: the authorization endpoint answered {authzError}");
            return ControlFailed(authorizationControl) is { } whyNot
                ? check.NotApplicable($"{what}: refused at the authorization endpoint ({authzError}), but {whyNot}: the refusal is not shown to be caused by the mutation")
                : check.Pass($"refused at the authorization endpoint: {authzError}; {authorizationControl.What} was issued a code in the same session");
        }
        if (token is null) return check.NotApplicable("no code exchange was made");
        if (token.Exchange.TransportError is not null) return check.NotApplicable($"no response from the token endpoint: {token.Exchange.TransportError}");
        var refused = token.AccessToken is null && !token.Exchange.IsSuccess;
        if (refused && !tokenControl.Redeemed)
            return check.NotApplicable($"{what}: refused with {token.Describe()}, but the control failed too ({tokenControl.Describe()}): " +
                                       "the refusal is not shown to be caused by the mutation");
        var result = EvaluateTokenRefusal(check, token, accepted, what);
        return result.Verdict == Verdict.Passed ? check.Pass($"{result.Reason}; {tokenControl.What} was redeemed in the same session") : result;
    }

    /// <summary>
    /// A token request that must be refused: no tokens, HTTP 400, a JSON error from <paramref name="accepted"/>.
    /// <paramref name="what"/> names the request (e.g. "reuse of a rotated refresh token"), so that every violation says which property broke.
    /// </summary>
    internal static CheckResult EvaluateTokenRefusal(CheckDefinition check, TokenResponse token, string[] accepted, string what) =>
        JudgeTokenRefusal(check, token, accepted, what).ObservedAnswer(token, "400", string.Join(" or ", accepted));

    private static CheckResult JudgeTokenRefusal(CheckDefinition check, TokenResponse token, string[] accepted, string what)
    {
        var want = string.Join(" or ", accepted);
        if (token.Exchange.TransportError is not null) return check.NotApplicable($"no response from the token endpoint: {token.Exchange.TransportError}");
        if (token.AccessToken is not null || token.Exchange.IsSuccess)
            return check.Violation($"{what}: the token endpoint answered HTTP {token.Exchange.StatusCode}" +
                                   (token.AccessToken is not null ? " and issued an access token" : "") + $"; expected {want}");
        if (token.Error is not { } error)
            return check.Violation($"{what}: refused with HTTP {token.Exchange.StatusCode} but without an RFC 6749 §5.2 error body ({token.Body.Problem ?? "no error member"}); expected {want}");
        if (!accepted.Contains(error)) return check.Violation($"{what}: refused, but with {token.Describe()}; expected {want}");
        if (token.Exchange.StatusCode != 400) return check.Violation($"{what}: error '{error}' came with HTTP {token.Exchange.StatusCode}; RFC 6749 §5.2 requires 400");
        return check.Pass($"refused: {token.Describe()}");
    }
}
