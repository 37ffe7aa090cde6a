using OidcConformance.Browser;
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
        "RFC 7636 §4.2 (S256 is mandatory to implement), §4.3, §4.5, §4.6", RequirementLevel.Must);

    public static readonly CheckDefinition InvalidVerifierRejected = new("pkce.invalid-verifier-rejected",
        "A code bound to a code_challenge is not redeemed with a wrong or a missing code_verifier", Area,
        "RFC 7636 §4.6 (mismatch: invalid_grant); RFC 6749 §5.2", RequirementLevel.Must);

    public static readonly CheckDefinition DowngradeRejected = new("pkce.downgrade-rejected",
        "A code_verifier is refused for a code whose authorization request carried no code_challenge (PKCE downgrade)", Area,
        "RFC 9700 §2.1.1, §4.8.2", RequirementLevel.Must);

    public static readonly CheckDefinition VerifierFormatEnforced = new("pkce.verifier-format-enforced",
        "A code_verifier outside the RFC 7636 ABNF (43–128 unreserved characters) is refused, even when its S256 hash matches", Area,
        "RFC 7636 §4.1 (the ABNF binds the client; the RFC states no server MUST to enforce it, hence SHOULD), §4.6; RFC 6749 §5.2",
        RequirementLevel.Should);

    public static readonly CheckDefinition UnsupportedMethodRejected = new("pkce.unsupported-method-rejected",
        "A code_challenge_method the provider does not support is answered with invalid_request at the authorization endpoint", Area,
        "RFC 7636 §4.4.1, §4.2; RFC 8414 §2 (code_challenge_methods_supported)", RequirementLevel.Must);

    public static readonly CheckDefinition PlainAcceptedWhenAdvertised = new("pkce.plain-accepted-when-advertised",
        "Where code_challenge_methods_supported lists plain, a plain challenge is redeemed with its verifier", Area,
        "RFC 7636 §4.2, §4.6; RFC 8414 §2", RequirementLevel.Must);

    public static readonly CheckDefinition RequiredForPublicClient = new("pkce.required-without-challenge-rejected",
        "Where PKCE is required for the client, an authorization request without code_challenge is answered with invalid_request", Area,
        "RFC 7636 §4.4.1; RFC 9700 §2.1.1", RequirementLevel.Must);

    public static readonly CheckDefinition MethodsAdvertised = new("pkce.methods-advertised",
        "A provider offering PKCE lists code_challenge_methods_supported in its metadata, including S256", Area,
        "RFC 8414 §2 (omitted means no PKCE support); RFC 7636 §4.2 (S256 mandatory to implement)", RequirementLevel.Should);

    /// <summary>Error codes a token endpoint may use for a refused PKCE proof: mismatch is invalid_grant (§4.6); a missing or malformed parameter is also invalid_request (RFC 6749 §5.2).</summary>
    public static readonly string[] MismatchErrors = ["invalid_grant"];
    public static readonly string[] MissingOrMalformedErrors = ["invalid_grant", "invalid_request"];

    public static CheckResult EvaluateS256Accepted(AuthorizationOutcome outcome, TokenResponse? token)
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

    /// <summary>A wrong (§4.6: invalid_grant) or missing (invalid_grant or invalid_request) verifier: the token endpoint must refuse.</summary>
    public static CheckResult EvaluateInvalidVerifierRejected(AuthorizationOutcome outcome, TokenResponse? token, bool verifierMissing) =>
        TokenRefused(InvalidVerifierRejected, outcome, token, verifierMissing ? MissingOrMalformedErrors : MismatchErrors, rejectionAtAuthorizationCounts: false,
            verifierMissing ? "code exchange without code_verifier for a code bound to a PKCE code_challenge"
                : "code exchange with a code_verifier that does not match the code's PKCE code_challenge");

    /// <summary>
    /// Challenge stripped, verifier sent. A provider that requires PKCE for the client refuses at the authorization
    /// endpoint already; that also prevents the downgrade.
    /// </summary>
    public static CheckResult EvaluateDowngradeRejected(AuthorizationOutcome outcome, TokenResponse? token) =>
        TokenRefused(DowngradeRejected, outcome, token, MissingOrMalformedErrors, rejectionAtAuthorizationCounts: true,
            "PKCE downgrade: code exchange with a code_verifier for a code requested without code_challenge");

    /// <summary>Malformed verifier whose S256 hash was sent as the challenge: refusal at either endpoint is conformant.</summary>
    public static CheckResult EvaluateVerifierFormatEnforced(AuthorizationOutcome outcome, TokenResponse? token) =>
        TokenRefused(VerifierFormatEnforced, outcome, token, MissingOrMalformedErrors, rejectionAtAuthorizationCounts: true,
            "code exchange with a code_verifier outside the RFC 7636 ABNF");

    /// <param name="method">The code_challenge_method sent.</param>
    /// <param name="advertised">code_challenge_methods_supported, or null when the metadata omits it.</param>
    public static CheckResult EvaluateUnsupportedMethodRejected(string method, IReadOnlyList<string>? advertised, AuthorizationOutcome outcome, TokenResponse? token)
    {
        if (advertised is null)
            return UnsupportedMethodRejected.NotApplicable("code_challenge_methods_supported is not advertised, so the supported methods are unknown");
        if (advertised.Contains(method))
            return UnsupportedMethodRejected.NotApplicable($"{method} is advertised in code_challenge_methods_supported");
        var list = string.Join(", ", advertised);
        switch (outcome.End)
        {
            case AuthorizationEnd.ProviderError:
                return UnsupportedMethodRejected.Pass($"refused on the provider's error page ({outcome.Detail}); only [{list}] is advertised");
            case AuthorizationEnd.Redirected:
                break;
            default:
                return UnsupportedMethodRejected.NotApplicable($"the authorization did not complete: {outcome.Describe()}");
        }
        var response = outcome.Response!;
        if (response.Error is { } error)
            return UnsupportedMethodRejected.Require(error == "invalid_request",
                $"refused with error '{error}', but RFC 7636 §4.4.1 requires invalid_request",
                $"invalid_request at the authorization endpoint; only [{list}] is advertised");
        var after = token is null ? "" : token.IsSuccess ? "; the code was then redeemed: the unadvertised method works"
            : $"; the token endpoint then answered {token.Describe()}";
        return UnsupportedMethodRejected.Violation(
            $"code_challenge_method={method} (advertised: [{list}]) was accepted at the authorization endpoint and a code was issued{after}");
    }

    public static CheckResult EvaluatePlainAcceptedWhenAdvertised(IReadOnlyList<string>? advertised, AuthorizationOutcome outcome, TokenResponse? token)
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

    /// <param name="required">Whether the profile says PKCE is required for the client.</param>
    public static CheckResult EvaluateRequiredWithoutChallengeRejected(bool required, AuthorizationOutcome outcome, TokenResponse? token)
    {
        if (!required) return RequiredForPublicClient.NotApplicable("the profile does not mark the client pkceRequired");
        switch (outcome.End)
        {
            case AuthorizationEnd.ProviderError:
                return RequiredForPublicClient.Pass($"refused on the provider's error page ({outcome.Detail})");
            case AuthorizationEnd.Redirected:
                break;
            default:
                return RequiredForPublicClient.NotApplicable($"the authorization did not complete: {outcome.Describe()}");
        }
        if (outcome.Response!.Error is { } error)
            return RequiredForPublicClient.Require(error == "invalid_request",
                $"refused with error '{error}', but RFC 7636 §4.4.1 requires invalid_request", "invalid_request at the authorization endpoint");
        var after = token is null ? "" : token.IsSuccess ? "; the code was then redeemed without any verifier"
            : $"; the token endpoint then answered {token.Describe()}";
        return RequiredForPublicClient.Violation($"a code was issued to a client that requires PKCE, for a request without code_challenge{after}");
    }

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
            $"advertised: [{string.Join(", ", methods)}]");
    }

    /// <summary>
    /// The token endpoint refused the code exchange with one of <paramref name="accepted"/> and HTTP 400 (RFC 6749 §5.2).
    /// When <paramref name="rejectionAtAuthorizationCounts"/>, a refusal at the authorization endpoint (error redirect or
    /// error page) is a pass as well: no code, no tokens. <paramref name="what"/> names the request that had to be refused
    /// (the property under test), and leads every violation reason.
    /// </summary>
    internal static CheckResult TokenRefused(CheckDefinition check, AuthorizationOutcome outcome, TokenResponse? token, string[] accepted,
        bool rejectionAtAuthorizationCounts, string what)
    {
        switch (outcome.End)
        {
            case AuthorizationEnd.ProviderError when rejectionAtAuthorizationCounts:
                return check.Pass($"refused at the authorization endpoint: {outcome.Describe()}");
            case AuthorizationEnd.Redirected:
                break;
            default:
                return check.NotApplicable($"no code was obtained: {outcome.Describe()}");
        }
        if (outcome.Response!.Error is { } authzError)
            return rejectionAtAuthorizationCounts
                ? check.Pass($"refused at the authorization endpoint with error '{authzError}'")
                : check.NotApplicable($"no code was obtained: the authorization endpoint answered error '{authzError}'");
        if (token is null) return check.NotApplicable("no code exchange was made");
        return EvaluateTokenRefusal(check, token, accepted, what);
    }

    /// <summary>
    /// A token request that must be refused: no tokens, HTTP 400, a JSON error from <paramref name="accepted"/>.
    /// <paramref name="what"/> names the request (e.g. "reuse of a rotated refresh token"), so that every violation says which property broke.
    /// </summary>
    internal static CheckResult EvaluateTokenRefusal(CheckDefinition check, TokenResponse token, string[] accepted, string what)
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
