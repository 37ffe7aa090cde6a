using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// Token confusion (issue #19, blind spot 3): an ID token is a statement to the client about an authentication (its aud is
/// the client, OIDC Core §2); an access token is a credential for resource servers. A provider that issues one as the other,
/// or whose resource servers accept one for the other, teaches every resource server to accept ID tokens, which clients
/// hand around freely (id_token_hint in logout URLs, front-channel responses). No MUST of OIDC Core forbids an identical
/// string, so these are graded by the RECOMMENDED explicit typing of RFC 8725 §3.11 and the audience restriction of RFC 9700.
/// Tokens never appear in a reason: only their lengths, headers and claim names.
/// </summary>
public static class TokenConfusionChecks
{

    public static readonly CheckDefinition AccessTokenIsNotIdToken = new("token.access-token-not-id-token",
        "The access token is not the ID token: not the same string, and not a JWT with the ID token's claim set",
        "Token confusion", [
            new(SpecDocument.Rfc8725, "2.8", "substitution attacks: a JWT issued for one purpose used for another"),
            new(SpecDocument.Rfc8725, "3.11", "explicit typing is RECOMMENDED so that one kind of JWT cannot be confused with another"),
            new(SpecDocument.Rfc9700, "2.3", "access tokens SHOULD be audience-restricted to resource servers"),
            new(SpecDocument.OpenIdConnectCore, "2", "the ID token's aud is the client"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.3", "access_token and id_token are distinct response values"),
        ], RequirementLevel.Should) {
            Note = "SHOULD: no MUST forbids it, but a resource server that accepts this access token accepts the client's ID token",
        };

    public static readonly CheckDefinition JwtAccessTokenTyp = new("token.jwt-access-token-typ",
        "A JWT access token declares what it is: header typ \"at+jwt\" (or \"application/at+jwt\"), so that it cannot pass for an ID token",
        "Token confusion",
        [
            new(SpecDocument.Rfc9068, "2.1", "JWT access tokens MUST include typ \"at+jwt\"; binding only on providers that issue RFC 9068 access tokens, which the suite cannot tell from the outside"),
            new(SpecDocument.Rfc9068, "4", "resource servers MUST reject a JWT access token whose typ is not at+jwt"),
            new(SpecDocument.Rfc8725, "3.11", "explicit typing RECOMMENDED"),
        ],
        RequirementLevel.Should) {
            Note = "SHOULD: a provider not claiming RFC 9068 is only bound by the RECOMMENDED of RFC 8725; what breaks: an RFC 9068 resource server refuses the token, and no resource server can tell it from an ID token by its header",
        };

    public static readonly CheckDefinition UserInfoRejectsIdToken = new("userinfo.rejects-id-token-as-bearer",
        "UserInfo refuses the ID token presented as a bearer access token (while it accepts the access token of the same flow)",
        "Token confusion",
        [
            new(SpecDocument.OpenIdConnectCore, "5.3.1", "the UserInfo request carries the access token"),
            new(SpecDocument.OpenIdConnectCore, "5.3.3"),
            new(SpecDocument.Rfc6750, "3.1", "invalid_token: the token is invalid for other reasons"),
            new(SpecDocument.Rfc8725, "2.8"),
            new(SpecDocument.Rfc8725, "3.11", "a JWT of one kind must not be accepted as another"),
        ],
        RequirementLevel.Should) {
            Note = "SHOULD: an ID token travels through the browser and logs (id_token_hint, front channel), so a provider that takes it as a credential hands one to anyone who saw it",
        };

    /// <summary>The header typ values RFC 9068 §2.1 registers for JWT access tokens (case-insensitive, RFC 7515 §4.1.9).</summary>
    private static readonly string[] AccessTokenTypes = ["at+jwt", "application/at+jwt"];

    /// <param name="accessToken">access_token of the token response.</param>
    /// <param name="idToken">id_token of the same token response.</param>
    public static CheckResult EvaluateAccessTokenIsNotIdToken(string? accessToken, string? idToken)
    {
        if (string.IsNullOrEmpty(accessToken)) return AccessTokenIsNotIdToken.NotApplicable("the token response has no access_token");
        if (string.IsNullOrEmpty(idToken)) return AccessTokenIsNotIdToken.NotApplicable("the token response has no id_token to compare with");
        if (string.Equals(accessToken, idToken, StringComparison.Ordinal))
            return AccessTokenIsNotIdToken.Violation($"access_token and id_token are the same string ({accessToken.Length} characters): " +
                "every resource server that accepts this access token accepts the client's ID token" + TypeClaimNote(DecodedJwt.Decode(idToken)));
        var at = DecodedJwt.Decode(accessToken);
        if (!at.IsValid)
            return AccessTokenIsNotIdToken.Pass($"the access token is opaque ({at.Problem}) and differs from the ID token");
        var id = DecodedJwt.Decode(idToken);
        if (!id.IsValid) return AccessTokenIsNotIdToken.NotApplicable($"the id_token does not decode ({id.Problem})");
        var same = JsonCompare.Equal(at.Payload, id.Payload);
        return AccessTokenIsNotIdToken.Require(!same,
            $"the JWT access token carries exactly the ID token's claim set ({string.Join(", ", id.Payload.EnumerateObject().Select(p => p.Name))}): " +
            "it is the ID token signed again, and a resource server cannot tell them apart",
            $"the JWT access token differs from the ID token (typ {at.HeaderString("typ") ?? "absent"}; claims {string.Join(", ", at.Payload.EnumerateObject().Select(p => p.Name))})");
    }

    private static string TypeClaimNote(DecodedJwt jwt) =>
        jwt.IsValid && jwt.ClaimString("tokenType") is { } t ? $" (its non-standard claim tokenType is \"{t}\")" : "";

    public static CheckResult EvaluateJwtAccessTokenTyp(string? accessToken)
    {
        if (string.IsNullOrEmpty(accessToken)) return JwtAccessTokenTyp.NotApplicable("the token response has no access_token");
        var at = DecodedJwt.Decode(accessToken);
        if (!at.IsValid) return JwtAccessTokenTyp.NotApplicable($"the access token is opaque to the client ({at.Problem}): RFC 9068 typing applies to JWT access tokens only");
        var typ = at.HeaderString("typ");
        var ok = typ is not null && AccessTokenTypes.Contains(typ, StringComparer.OrdinalIgnoreCase);
        return JwtAccessTokenTyp.Require(ok,
            $"the JWT access token's header typ is {(typ is null ? "absent" : $"\"{typ}\"")}, not \"at+jwt\": RFC 9068 resource servers refuse it, and it is typed like an ID token",
            $"the JWT access token's header typ is \"{typ}\"");
    }

    /// <param name="withAccessToken">UserInfo GET with the flow's access token (the control attempt, in the same check).</param>
    /// <param name="withIdToken">UserInfo GET with the same flow's ID token as the bearer token.</param>
    /// <param name="accessToken">The access token, to tell "the ID token is the access token" apart.</param>
    /// <param name="idToken">The ID token that was presented.</param>
    public static CheckResult EvaluateUserInfoRejectsIdToken(HttpExchange withAccessToken, HttpExchange withIdToken, string accessToken, string idToken)
    {
        if (string.Equals(accessToken, idToken, StringComparison.Ordinal))
            return UserInfoRejectsIdToken.NotApplicable("the ID token is the access token itself (token.access-token-not-id-token reports it): no separate ID token to present");
        var control = JsonBody.From(withAccessToken);
        var controlSub = control.String("sub");
        if (withAccessToken.TransportError is not null || !withAccessToken.IsSuccess || controlSub is null)
            return UserInfoRejectsIdToken.NotApplicable($"the control attempt failed: UserInfo with the flow's access token gave {withAccessToken.Summary}, so a refusal of the ID token would prove nothing");
        if (withIdToken.TransportError is not null || withIdToken.Status is null)
            return UserInfoRejectsIdToken.NotApplicable($"no answer to the request with the ID token ({withIdToken.TransportError ?? "no status"})");
        var code = withIdToken.StatusCode;
        if (code >= 500) return UserInfoRejectsIdToken.NotApplicable($"UserInfo answered the ID token with a server error ({withIdToken.Summary}), neither a refusal nor an acceptance");
        if (!withIdToken.IsSuccess)
            return UserInfoRejectsIdToken.Pass($"UserInfo refused the ID token with HTTP {code} ({withIdToken.Header("WWW-Authenticate") ?? "no WWW-Authenticate"}) and accepted the access token (HTTP {withAccessToken.StatusCode}, sub present)");
        var body = JsonBody.From(withIdToken);
        var sub = body.String("sub");
        return UserInfoRejectsIdToken.Require(sub is null,
            $"UserInfo accepted the ID token as a bearer token: HTTP {code} with the user's claims (sub {(sub == controlSub ? "equal to" : "unlike")} the access token's answer)",
            $"UserInfo answered the ID token with HTTP {code} but no claims ({body.Problem ?? "no sub"}): not accepted");
    }
}
