using System.Text.Json;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// OAuth 2.0 Token Exchange (RFC 8693) at the token endpoint: a client registered for the grant exchanges an access token
/// it holds (the subject token) for a new one. The negative cases are judged only against a control: the same client's
/// normal exchange of the same subject token succeeded in the same run (<see cref="TokenExchangeControl"/>), so a refusal
/// says something about the change and not about the provider's set-up. Inconclusive where the provider does not offer
/// the grant (profile features.tokenExchange).
/// </summary>
public static class TokenExchangeChecks
{
    private const string Area = "Token exchange";

    public const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";

    public static readonly CheckDefinition AccessTokenExchanged = new("tokenexchange.access-token-exchanged",
        "A token exchange of a valid access token (subject_token_type access_token) issues an access token", Area,
        [new(SpecDocument.Rfc8693, "2.1"), new(SpecDocument.Rfc8693, "2.2.1", "access_token REQUIRED")], RequirementLevel.Must);

    public static readonly CheckDefinition IssuedTokenType = new("tokenexchange.issued-token-type",
        "The token exchange response states issued_token_type, a token type identifier URI", Area,
        [new(SpecDocument.Rfc8693, "2.2.1", "issued_token_type REQUIRED"), new(SpecDocument.Rfc8693, "3")], RequirementLevel.Must);

    public static readonly CheckDefinition TokenType = new("tokenexchange.token-type",
        "The token exchange response states token_type (Bearer for an access token usable as a bearer token, else N_A)", Area,
        [new(SpecDocument.Rfc8693, "2.2.1", "token_type REQUIRED"), new(SpecDocument.Rfc6749, "7.1")], RequirementLevel.Must);

    public static readonly CheckDefinition BadSubjectToken = new("tokenexchange.bad-subject-token",
        "A subject_token the server did not issue (garbage) is refused with invalid_request (or invalid_grant)", Area,
        [new(SpecDocument.Rfc8693, "2.2.2", "subject_token invalid → invalid_request"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition UnknownSubjectTokenType = new("tokenexchange.unknown-subject-token-type",
        "A subject_token_type the server does not know is refused with invalid_request", Area,
        [new(SpecDocument.Rfc8693, "2.1", "subject_token_type REQUIRED"), new(SpecDocument.Rfc8693, "2.2.2", "the request is not valid → invalid_request")],
        RequirementLevel.Must);

    public static readonly CheckDefinition MissingSubjectToken = new("tokenexchange.missing-subject-token",
        "A token exchange request without subject_token is refused with invalid_request", Area,
        [new(SpecDocument.Rfc8693, "2.1", "subject_token REQUIRED"), new(SpecDocument.Rfc8693, "2.2.2"), new(SpecDocument.Rfc6749, "5.2")],
        RequirementLevel.Must);

    public static readonly CheckDefinition ClientNotAllowed = new("tokenexchange.client-not-allowed",
        "An authenticated client not registered for the token exchange grant is refused with unauthorized_client", Area,
        [new(SpecDocument.Rfc6749, "5.2", "unauthorized_client: the client is not authorized to use this grant type"), new(SpecDocument.Rfc8693, "2.2.2")],
        RequirementLevel.Must);

    public static readonly CheckDefinition InvalidTarget = new("tokenexchange.invalid-target",
        "An audience the server does not know is either refused with invalid_target or honoured in the issued token", Area,
        [new(SpecDocument.Rfc8693, "2.2.2", "unwilling or unable to issue a token for the indicated target → invalid_target SHOULD be used"), new(SpecDocument.Rfc8693, "2.1")],
        RequirementLevel.Should);

    public static readonly CheckDefinition DiscoveryAdvertised = new("tokenexchange.discovery-advertised",
        "A provider whose token exchange works lists its grant type in grant_types_supported", Area,
        [new(SpecDocument.Rfc8414, "2", "grant_types_supported: the grant types this server supports"), new(SpecDocument.OpenIdConnectDiscovery, "3")],
        RequirementLevel.Should);

    public static CheckResult EvaluateAccessTokenExchanged(TokenResponse r)
    {
        if (r.Exchange.TransportError is not null) return AccessTokenExchanged.NotApplicable($"no response: {r.Exchange.TransportError}");
        if (!r.IsSuccess || r.Exchange.StatusCode != 200)
            return AccessTokenExchanged.Violation($"the exchange of a valid access token was not answered with a token: {r.Describe()}")
                .Observed("HTTP status", "200", r.Exchange.StatusCode.ToString());
        if (r.Body.Get("access_token") is not { ValueKind: JsonValueKind.String } token || token.GetString() is not { Length: > 0 })
            return AccessTokenExchanged.Violation("HTTP 200 but access_token is missing, empty or not a string")
                .Observed("access_token", "a non-empty string", r.Body.Has("access_token") ? Observation.Redacted : Observation.Absent);
        return AccessTokenExchanged.Pass("HTTP 200 with an access_token").Observed("access_token", null, Observation.Redacted);
    }

    public static CheckResult EvaluateIssuedTokenType(TokenResponse r, string? requestedTokenType)
    {
        if (!r.IsSuccess) return IssuedTokenType.NotApplicable($"no token was issued ({r.Describe()})");
        var value = r.Body.Get("issued_token_type");
        if (value is null) return IssuedTokenType.Violation("the token exchange response has no issued_token_type")
            .Observed("issued_token_type", "a token type URI", Observation.Absent);
        if (value.Value.ValueKind != JsonValueKind.String || value.Value.GetString() is not { Length: > 0 } type)
            return IssuedTokenType.Violation($"issued_token_type is a JSON {value.Value.ValueKind.ToString().ToLowerInvariant()}, not a URI string");
        if (!Uri.TryCreate(type, UriKind.Absolute, out _))
            return IssuedTokenType.Violation($"issued_token_type '{type}' is not a URI (RFC 8693 §3 token type identifiers are URIs)")
                .Observed("issued_token_type", "a token type URI", type);
        // A requested type the server answered with another is allowed (§2.1: requested_token_type is a wish), but said.
        var note = requestedTokenType is null || requestedTokenType == type ? "" : $" (requested '{requestedTokenType}')";
        return IssuedTokenType.Pass($"issued_token_type '{type}'{note}").Observed("issued_token_type", requestedTokenType, type);
    }

    public static CheckResult EvaluateTokenType(TokenResponse r)
    {
        if (!r.IsSuccess) return TokenType.NotApplicable($"no token was issued ({r.Describe()})");
        var value = r.Body.Get("token_type");
        if (value is null) return TokenType.Violation("the token exchange response has no token_type").Observed("token_type", "Bearer or N_A", Observation.Absent);
        if (value.Value.ValueKind != JsonValueKind.String || value.Value.GetString() is not { Length: > 0 } type)
            return TokenType.Violation($"token_type is a JSON {value.Value.ValueKind.ToString().ToLowerInvariant()}, not a string");
        var issued = r.Body.String("issued_token_type");
        // §2.2.1: "N_A" when the issued token is not an access token; an access token's type is its usual one.
        if (issued == AccessTokenType && string.Equals(type, "N_A", StringComparison.Ordinal))
            return TokenType.Violation("token_type is N_A although issued_token_type says an access token was issued (RFC 8693 §2.2.1: N_A only for tokens that are not access tokens)")
                .Observed("token_type", "Bearer (or the access token's type)", type);
        return TokenType.Pass($"token_type '{type}'").Observed("token_type", null, type);
    }

    /// <summary>A refusal judged against the control: a success, or an error other than <paramref name="expected"/>, fails.</summary>
    private static CheckResult EvaluateRefusal(CheckDefinition check, TokenExchangeControl control, TokenResponse r, string what, params string[] expected)
    {
        if (control.Refusal() is { } why) return check.NotApplicable(why);
        if (r.Exchange.TransportError is not null) return check.NotApplicable($"no response to {what}: {r.Exchange.TransportError}");
        var wanted = string.Join(" or ", expected);
        if (r.IsSuccess || r.Body.Has("access_token"))
            return check.Violation($"{what}: the token endpoint answered HTTP {r.Exchange.StatusCode} and issued a token; expected {wanted}")
                .Observed("error", wanted, Observation.Absent);
        var error = r.Body.String("error");
        if (error is null)
            return check.Violation($"{what}: refused with HTTP {r.Exchange.StatusCode} but no error code; expected {wanted}")
                .Observed("error", wanted, Observation.Absent);
        if (!expected.Contains(error, StringComparer.Ordinal))
            return check.Violation($"{what}: refused, but with HTTP {r.Exchange.StatusCode}, error '{error}'; expected {wanted}")
                .Observed("error", wanted, error);
        if (r.Exchange.StatusCode is not (400 or 401))
            return check.Violation($"{what}: error '{error}' with HTTP {r.Exchange.StatusCode} (RFC 6749 §5.2: 400, or 401 for invalid_client)")
                .Observed("HTTP status", "400", r.Exchange.StatusCode.ToString());
        return check.Pass($"{what}: HTTP {r.Exchange.StatusCode}, error '{error}' ({control.Describe()})").Observed("error", wanted, error);
    }

    public static CheckResult EvaluateBadSubjectToken(TokenExchangeControl control, TokenResponse r) =>
        EvaluateRefusal(BadSubjectToken, control, r, "a garbage subject_token", "invalid_request", "invalid_grant");

    public static CheckResult EvaluateUnknownSubjectTokenType(TokenExchangeControl control, TokenResponse r) =>
        EvaluateRefusal(UnknownSubjectTokenType, control, r, "an unknown subject_token_type", "invalid_request");

    public static CheckResult EvaluateMissingSubjectToken(TokenExchangeControl control, TokenResponse r) =>
        EvaluateRefusal(MissingSubjectToken, control, r, "a request without subject_token", "invalid_request");

    public static CheckResult EvaluateClientNotAllowed(TokenExchangeControl control, TokenResponse r, string otherClient) =>
        EvaluateRefusal(ClientNotAllowed, control, r, $"the same exchange by '{otherClient}', not registered for the grant", "unauthorized_client");

    /// <param name="audience">The audience the request named, unknown to the provider.</param>
    /// <param name="issuedAudiences">The aud of the issued access token when it is a JWT, else null.</param>
    public static CheckResult EvaluateInvalidTarget(TokenExchangeControl control, TokenResponse r, string audience, IReadOnlyList<string>? issuedAudiences)
    {
        if (control.Refusal() is { } why) return InvalidTarget.NotApplicable(why);
        if (r.Exchange.TransportError is not null) return InvalidTarget.NotApplicable($"no response: {r.Exchange.TransportError}");
        if (r.IsSuccess)
        {
            if (issuedAudiences is null)
                return InvalidTarget.NotApplicable($"a token was issued for the unknown audience '{audience}', but it is not a JWT: whether it was honoured cannot be seen");
            return InvalidTarget.Require(issuedAudiences.Contains(audience, StringComparer.Ordinal),
                    $"a token was issued for the unknown audience '{audience}', but its aud [{string.Join(", ", issuedAudiences)}] does not name it: the target was silently dropped instead of refused with invalid_target",
                    $"the token was issued for the requested audience '{audience}' (honoured)")
                .Observed("aud", audience, string.Join(" ", issuedAudiences));
        }
        var error = r.Body.String("error");
        return InvalidTarget.Require(error == "invalid_target",
                $"the unknown audience '{audience}' was refused with HTTP {r.Exchange.StatusCode}, error '{error ?? "(none)"}'; expected invalid_target",
                $"the unknown audience '{audience}' was refused with invalid_target ({control.Describe()})")
            .Observed("error", "invalid_target", error ?? Observation.Absent);
    }

    public static CheckResult EvaluateDiscoveryAdvertised(TokenExchangeControl control, DiscoveryDocument d)
    {
        if (control.Refusal() is { } why) return DiscoveryAdvertised.NotApplicable(why);
        var listed = d.StringArray("grant_types_supported");
        if (listed is null)
            return DiscoveryAdvertised.Violation($"the token exchange works ({control.Describe()}) but discovery has no grant_types_supported (or not an array of strings), whose default [authorization_code, implicit] leaves it out")
                .Observed("grant_types_supported", GrantType, Observation.Absent);
        return DiscoveryAdvertised.Require(listed.Contains(GrantType),
                $"the token exchange works ({control.Describe()}) but grant_types_supported [{string.Join(", ", listed)}] does not list {GrantType}",
                $"grant_types_supported lists {GrantType}")
            .Observed("grant_types_supported", GrantType, string.Join(" ", listed));
    }
}

/// <summary>
/// The control of the token exchange checks: the normal exchange (the registered client, a valid access token it holds as
/// subject_token, subject_token_type access_token) and its response.
/// </summary>
public sealed record TokenExchangeControl(string ClientId, TokenResponse Response)
{
    /// <summary>Why the negative cases cannot be judged (the control failed), or null.</summary>
    public string? Refusal() => Response.IsSuccess ? null
        : $"the control, '{ClientId}' exchanging a valid access token, did not succeed ({Response.Describe()}): a refusal of the changed request shows nothing";

    public string Describe() => $"the control, '{ClientId}' exchanging the same valid access token, got a token";
}
