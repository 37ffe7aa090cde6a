using System.Text.Json;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// Resource indicators (RFC 8707) at the token endpoint: the access token issued for a resource names it as its audience
/// (in the JWT's aud, else in the introspection response's aud) and only it; a malformed resource is refused with
/// invalid_target while the same request with the profile's resource succeeds (the control).
/// </summary>
public static class ResourceChecks
{
    private const string Area = "Resource indicators";

    public static readonly CheckDefinition AudienceReflected = new("resource.audience-reflected",
        "An access token requested for a resource names that resource in its audience (JWT aud or introspection aud)", Area,
        [new(SpecDocument.Rfc8707, "2", "the authorization server SHOULD audience-restrict issued access tokens to the resource(s) indicated"),
         new(SpecDocument.Rfc9068, "3", "aud"), new(SpecDocument.Rfc7662, "2.2", "aud")],
        RequirementLevel.Should);

    public static readonly CheckDefinition AudienceRestricted = new("resource.audience-restricted",
        "An access token requested for one resource names no other audience", Area,
        [new(SpecDocument.Rfc8707, "2", "audience-restrict issued access tokens to the resource(s) indicated"), new(SpecDocument.Rfc8707, "1", "a token usable at one resource cannot be replayed at another")],
        RequirementLevel.Should);

    public static readonly CheckDefinition InvalidTarget = new("resource.invalid-target",
        "A malformed resource (relative, or with a fragment) is refused with invalid_target", Area,
        [new(SpecDocument.Rfc8707, "2", "its value MUST be an absolute URI; MUST NOT include a fragment component; invalid_target: the requested resource is invalid, missing, unknown, or malformed")],
        RequirementLevel.Should)
    {
        Note = "the MUSTs bind the client; the error code for the server is specified without a MUST: graded SHOULD",
    };

    /// <summary>The audiences the token names: the JWT's aud when the access token is a JWT, else introspection's aud.</summary>
    public static (IReadOnlyList<string>? Audiences, string Source) Audiences(TokenResponse token, JsonBody? introspection)
    {
        if (token.AccessToken is { } at && at.Count(ch => ch == '.') == 2 && DecodedJwt.Decode(at) is { IsValid: true } jwt)
            return (jwt.Audiences, "the access token's aud (JWT)");
        if (introspection is { IsObject: true } body && body.Get("active") is { ValueKind: JsonValueKind.True })
        {
            return body.Get("aud") switch
            {
                { ValueKind: JsonValueKind.String } s => ([s.GetString()!], "introspection aud"),
                { ValueKind: JsonValueKind.Array } a => (a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(), "introspection aud"),
                _ => ([], "introspection (no aud)"),
            };
        }
        return (null, "an opaque access token that introspection did not describe");
    }

    public static CheckResult EvaluateAudienceReflected(TokenResponse token, JsonBody? introspection, string resource)
    {
        if (!token.IsSuccess) return AudienceReflected.NotApplicable($"no access token was issued for resource {resource} ({token.Describe()})");
        var (audiences, source) = Audiences(token, introspection);
        if (audiences is null) return AudienceReflected.NotApplicable($"the audience cannot be read: {source}");
        return AudienceReflected.Require(audiences.Contains(resource),
                $"{source} [{string.Join(", ", audiences)}] does not contain the requested resource {resource}",
                $"{source} contains {resource}")
            .Observed("aud", resource, string.Join(", ", audiences));
    }

    public static CheckResult EvaluateAudienceRestricted(TokenResponse token, JsonBody? introspection, string resource)
    {
        if (!token.IsSuccess) return AudienceRestricted.NotApplicable($"no access token was issued for resource {resource} ({token.Describe()})");
        var (audiences, source) = Audiences(token, introspection);
        if (audiences is null) return AudienceRestricted.NotApplicable($"the audience cannot be read: {source}");
        if (audiences.Count == 0) return AudienceRestricted.Violation($"{source} names no audience at all: the token is not restricted to {resource}");
        var others = audiences.Where(a => a != resource).ToList();
        return AudienceRestricted.Require(others.Count == 0,
                $"{source} also names [{string.Join(", ", others)}] besides the requested resource {resource}: the token is not restricted to it",
                $"{source} is only {resource}")
            .Observed("aud", resource, string.Join(", ", audiences));
    }

    /// <param name="control">the same request with the profile's resource (it must have succeeded)</param>
    /// <param name="malformed">the request with the malformed resource</param>
    public static CheckResult EvaluateInvalidTarget(TokenResponse control, TokenResponse malformed, string value)
    {
        if (!control.IsSuccess) return InvalidTarget.NotApplicable($"the control request with the profile's resource did not succeed ({control.Describe()})");
        if (malformed.Exchange.TransportError is not null) return InvalidTarget.NotApplicable(malformed.Describe());
        var result = malformed.AccessToken is not null
            ? InvalidTarget.Violation($"the malformed resource '{value}' was accepted: an access token was issued")
            : InvalidTarget.Require(malformed.Error == "invalid_target" && malformed.Exchange.StatusCode == 400,
                $"the malformed resource '{value}' got {malformed.Describe()}, expected 400 invalid_target",
                $"refused with {malformed.Describe()}");
        return result.Observed("error", "invalid_target", malformed.Error ?? (malformed.AccessToken is null ? null : "tokens"));
    }
}
