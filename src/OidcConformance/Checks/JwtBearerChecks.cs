using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// The JWT bearer authorization grant (RFC 7523 §2.1 and §3; RFC 7521 §4.1): a signed assertion about a user is exchanged for
/// an access token. Refusals are judged against the same request with the normal assertion, sent in the same test; RFC 7523
/// §3.1 requires error invalid_grant for an assertion that is not valid.
/// </summary>
public static class JwtBearerChecks
{
    private const string Area = "JWT bearer grant";

    /// <summary>RFC 7523 §2.1 grant_type.</summary>
    public const string GrantType = "urn:ietf:params:oauth:grant-type:jwt-bearer";

    public static readonly CheckDefinition AssertionGrant = new("jwtbearer.assertion-grant",
        "A valid signed assertion about a user is exchanged for an access token", Area,
        [
            new(SpecDocument.Rfc7523, "2.1", "grant_type urn:ietf:params:oauth:grant-type:jwt-bearer with the assertion"),
            new(SpecDocument.Rfc7521, "4.1"),
            new(SpecDocument.Rfc7523, "3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition WrongAudience = new("jwtbearer.wrong-audience-refused",
        "An assertion whose aud names another server is refused with invalid_grant", Area,
        [new(SpecDocument.Rfc7523, "3", "item 3: MUST reject any JWT that does not contain its own identity as the intended audience"), new(SpecDocument.Rfc7523, "3.1")],
        RequirementLevel.Must);

    public static readonly CheckDefinition Expired = new("jwtbearer.expired-refused",
        "An assertion whose exp has passed is refused with invalid_grant", Area,
        [new(SpecDocument.Rfc7523, "3", "item 4: MUST reject any JWT with an expiration time that has passed"), new(SpecDocument.Rfc7523, "3.1")],
        RequirementLevel.Must);

    public static readonly CheckDefinition NotYetValid = new("jwtbearer.not-yet-valid-refused",
        "An assertion whose nbf lies in the future is refused with invalid_grant", Area,
        [new(SpecDocument.Rfc7523, "3", "item 5: nbf identifies the time before which the token MUST NOT be accepted"), new(SpecDocument.Rfc7523, "3.1")],
        RequirementLevel.Must);

    public static readonly CheckDefinition BadSignature = new("jwtbearer.bad-signature-refused",
        "An assertion signed with a key the provider does not trust for its issuer is refused with invalid_grant", Area,
        [new(SpecDocument.Rfc7523, "3", "item 9: MUST reject JWTs with an invalid signature or MAC"), new(SpecDocument.Rfc7523, "3.1")],
        RequirementLevel.Must);

    public static readonly CheckDefinition Replayed = new("jwtbearer.replayed-refused",
        "An assertion that was already exchanged is refused when sent again (same jti)", Area,
        [new(SpecDocument.Rfc7523, "3", "item 7: the authorization server MAY ensure that JWTs are not replayed; graded SHOULD"), new(SpecDocument.Rfc7523, "3.1")],
        RequirementLevel.Should);

    public static readonly CheckDefinition GrantAdvertised = new("jwtbearer.grant-advertised",
        "A JWT bearer grant that works is listed in grant_types_supported", Area,
        [new(SpecDocument.Rfc8414, "2", "grant_types_supported"), new(SpecDocument.OpenIdConnectDiscovery, "3", "OPTIONAL; graded SHOULD: clients find the grant there")],
        RequirementLevel.Should);

    /// <param name="response">The grant with the normal assertion, or null when the profile has no jwtBearer client.</param>
    public static CheckResult EvaluateGrant(TokenResponse? response)
    {
        if (response is null) return AssertionGrant.NotApplicable("the profile has no client for the JWT bearer grant (clients.jwtBearer)");
        if (response.Exchange.TransportError is not null) return AssertionGrant.Violation($"token endpoint: no response ({response.Exchange.TransportError})");
        return AssertionGrant.Require(response.IsSuccess, $"a valid assertion was refused ({response.Describe()})", "an access token was issued for the assertion")
            .ObservedAnswer(response, "200", null);
    }

    /// <summary>A refusal check: the same grant with the normal assertion (<paramref name="control"/>) must have worked.</summary>
    public static CheckResult EvaluateRefused(CheckDefinition check, string change, TokenResponse control, TokenResponse mutated)
    {
        if (!control.IsSuccess)
            return check.NotApplicable($"the normal assertion was refused too ({control.Describe()}), so a refusal of {change} shows nothing");
        if (mutated.Exchange.TransportError is not null) return check.Violation($"token endpoint: no response to {change} ({mutated.Exchange.TransportError})");
        CheckResult result;
        if (mutated.IsSuccess) result = check.Violation($"an access token was issued for {change}; the normal assertion also works, so the server did not validate what changed");
        else if (mutated.Error == "invalid_grant") result = check.Pass($"{change} refused with invalid_grant (HTTP {mutated.Exchange.StatusCode})");
        else result = check.Violation($"{change} was refused with {mutated.Describe()}; RFC 7523 §3.1 requires error invalid_grant");
        return result.ObservedAnswer(mutated, "400", "invalid_grant");
    }

    public static CheckResult EvaluateAdvertised(DiscoveryDocument discovery, bool? worked)
    {
        if (worked is null) return GrantAdvertised.NotApplicable("the profile has no client for the JWT bearer grant (clients.jwtBearer)");
        if (worked == false) return GrantAdvertised.NotApplicable("the JWT bearer grant did not work here (jwtbearer.assertion-grant says why)");
        var listed = discovery.StringArray("grant_types_supported");
        return GrantAdvertised.Require(listed?.Contains(GrantType) == true,
                listed is null ? "the JWT bearer grant works, but grant_types_supported is absent (which means authorization_code and implicit)"
                    : $"the JWT bearer grant works, but grant_types_supported [{string.Join(", ", listed)}] does not list it",
                "the grant works and is advertised")
            .Observed("grant_types_supported", $"contains {GrantType}", listed is null ? null : string.Join(" ", listed));
    }
}
