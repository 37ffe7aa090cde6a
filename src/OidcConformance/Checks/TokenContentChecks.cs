using System.Text.Json;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// What the ID token, a JWT access token and the UserInfo response carry, judged from the specifications alone:
/// standard claims have their OIDC Core §5.1 types, no credential material is released, and the ID token releases
/// no claims of scopes that were not granted. None of these reads the profile's claim table.
/// </summary>
public static class TokenContentChecks
{
    // ---- standard claim types (OIDC Core §5.1) ---------------------------------------------------------------------

    public static readonly CheckDefinition UserInfoStandardTypes = new("userinfo.standard-claim-types",
        "Every standard claim the UserInfo response carries has its OIDC Core §5.1 JSON type (address an object of strings, *_verified booleans, updated_at a number, sub a string of at most 255 ASCII characters)",
        "UserInfo", [
            new(SpecDocument.OpenIdConnectCore, "5.1", "Type column: strings, email_verified/phone_number_verified booleans, updated_at a number"),
            new(SpecDocument.OpenIdConnectCore, "5.1.1", "address is a JSON object whose members are strings"),
            new(SpecDocument.OpenIdConnectCore, "2", "sub MUST NOT exceed 255 ASCII characters"),
        ], RequirementLevel.Must) {
            Note = "MUST: a value of another type is not the standard claim, and RPs parse each claim by its defined type (the OIDF suite's ValidateUserInfoStandardClaims fails such a response)",
        };

    public static readonly CheckDefinition IdTokenStandardTypes = new("idtoken.standard-claim-types",
        "Every standard claim the ID token carries has its OIDC Core §5.1 JSON type (address an object of strings, *_verified booleans, updated_at a number, sub a string of at most 255 ASCII characters)",
        "ID token", [
            new(SpecDocument.OpenIdConnectCore, "5.1", "Type column: strings, email_verified/phone_number_verified booleans, updated_at a number"),
            new(SpecDocument.OpenIdConnectCore, "5.1.1", "address is a JSON object whose members are strings"),
            new(SpecDocument.OpenIdConnectCore, "2", "sub MUST NOT exceed 255 ASCII characters"),
        ],
        RequirementLevel.Must) {
            Note = "MUST: a value of another type is not the standard claim, and RPs parse each claim by its defined type (the OIDF suite's ValidateUserInfoStandardClaims fails such a response); §2, §5.1: the standard claims may be returned in the ID token, with the same definitions",
        };

    public static CheckResult EvaluateUserInfoStandardTypes(JsonBody userinfo)
    {
        if (!userinfo.IsObject) return UserInfoStandardTypes.NotApplicable($"no UserInfo JSON ({userinfo.Problem})");
        return Types(UserInfoStandardTypes, userinfo.Object!.Value, "UserInfo");
    }

    public static CheckResult EvaluateIdTokenStandardTypes(DecodedJwt idToken)
    {
        if (!idToken.IsValid) return IdTokenStandardTypes.NotApplicable($"no decodable ID token: {idToken.Problem}");
        return Types(IdTokenStandardTypes, idToken.Payload, "the ID token");
    }

    private static CheckResult Types(CheckDefinition def, JsonElement claims, string where)
    {
        var problems = StandardClaims.TypeProblems(claims);
        var present = StandardClaims.Present(claims);
        return def.Require(problems.Count == 0, $"{where}: " + string.Join("; ", problems),
            $"{where}: {present.Count} standard claim(s) with their §5.1 types ({string.Join(", ", present)})");
    }

    // ---- credential material ---------------------------------------------------------------------------------------

    public static readonly CheckDefinition IdTokenNoCredentials = new("idtoken.no-credential-material",
        "The ID token carries no credential material: no password (in clear or hashed), password hash or salt, TOTP/MFA secret or recovery codes, by claim name or by value",
        "ID token", [
            new(SpecDocument.Rfc7519, "12", "privacy-sensitive information in a JWT: \"measures MUST be taken to prevent disclosure of this information to unintended parties\"; the client and resource servers are not parties to the user's credentials"),
            new(SpecDocument.NistSp800_63B, "5.1.1.2", "the salted password hash and its salt are the verifier's stored secret"),
            new(SpecDocument.NistSp800_63B, "5.1.4.2", "OTP secrets \"SHALL be strongly protected against compromise\""),
            new(SpecDocument.OpenIdConnectCore, "5.4", "no scope requests credential data"),
            new(SpecDocument.OpenIdConnectCore, "2", "the ID token is readable by the client"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition AccessTokenNoCredentials = new("token.jwt-access-token-no-credential-material",
        "A JWT access token carries no credential material: no password (in clear or hashed), password hash or salt, TOTP/MFA secret or recovery codes, by claim name or by value",
        "Token endpoint", [
            new(SpecDocument.Rfc7519, "12", "privacy-sensitive information in a JWT: \"measures MUST be taken to prevent disclosure of this information to unintended parties\"; the client and resource servers are not parties to the user's credentials"),
            new(SpecDocument.NistSp800_63B, "5.1.1.2", "the salted password hash and its salt are the verifier's stored secret"),
            new(SpecDocument.NistSp800_63B, "5.1.4.2", "OTP secrets \"SHALL be strongly protected against compromise\""),
            new(SpecDocument.OpenIdConnectCore, "5.4", "no scope requests credential data"),
            new(SpecDocument.Rfc9068, "6", "a JWT access token's content is visible to the client and every resource server; the AS must take explicit steps to prevent privacy issues"),
            new(SpecDocument.Rfc6749, "10.3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition UserInfoNoCredentials = new("userinfo.no-credential-material",
        "The UserInfo response carries no credential material: no password (in clear or hashed), password hash or salt, TOTP/MFA secret or recovery codes, by claim name or by value",
        "UserInfo", [
            new(SpecDocument.OpenIdConnectCore, "5.3.2"),
            new(SpecDocument.OpenIdConnectCore, "5.4", "UserInfo returns claims about the user that scopes request; none requests credentials"),
            new(SpecDocument.OpenIdConnectCore, "17.1"),
            new(SpecDocument.NistSp800_63B, "5.1.1.2"),
            new(SpecDocument.NistSp800_63B, "5.1.4.2", "verifier secrets SHALL be protected against compromise"),
        ], RequirementLevel.Must);

    public static CheckResult EvaluateIdTokenNoCredentials(DecodedJwt idToken, string? password)
    {
        if (!idToken.IsValid) return IdTokenNoCredentials.NotApplicable($"no decodable ID token: {idToken.Problem}");
        return Credentials(IdTokenNoCredentials, idToken.Payload, password, "the ID token");
    }

    /// <param name="accessToken">The access token as issued (JWT or opaque).</param>
    public static CheckResult EvaluateAccessTokenNoCredentials(string? accessToken, string? password)
    {
        if (string.IsNullOrEmpty(accessToken)) return AccessTokenNoCredentials.NotApplicable("no access token was issued");
        var jwt = DecodedJwt.Decode(accessToken);
        if (!jwt.IsValid)
            return CredentialMaterial.RawContainsPassword(accessToken, password)
                ? AccessTokenNoCredentials.Violation("the opaque access token contains the user's password (in clear or as an unsalted hash)")
                : AccessTokenNoCredentials.NotApplicable($"the access token is opaque to the client ({jwt.Problem}): no claims to inspect, and the password does not appear in it");
        return Credentials(AccessTokenNoCredentials, jwt.Payload, password, "the JWT access token");
    }

    public static CheckResult EvaluateUserInfoNoCredentials(JsonBody userinfo, string? password)
    {
        if (!userinfo.IsObject) return UserInfoNoCredentials.NotApplicable($"no UserInfo JSON ({userinfo.Problem})");
        return Credentials(UserInfoNoCredentials, userinfo.Object!.Value, password, "UserInfo");
    }

    private static CheckResult Credentials(CheckDefinition def, JsonElement claims, string? password, string where)
    {
        var empty = new List<string>();
        var findings = CredentialMaterial.Find(claims, password, empty);
        var count = claims.ValueKind == JsonValueKind.Object ? claims.EnumerateObject().Count() : 0;
        var emptyNote = empty.Count > 0 ? $"; credential-named claims present without data: {string.Join(", ", empty)}" : "";
        return def.Require(findings.Count == 0, $"{where} releases credential material: {CredentialMaterial.Summarize(findings)}{emptyNote}",
            $"{where}: none of its {count} claim(s) is credential material by name, and the user's password does not appear in it by value" +
            (password is null ? " (no password known)" : "") + emptyNote);
    }

    // ---- ID token: only claims of granted scopes -------------------------------------------------------------------

    public static readonly CheckDefinition IdTokenOnlyGrantedScopeClaims = new("idtoken.only-granted-scope-claims",
        "The ID token releases no claims of standard scopes that were not granted (e.g. no email with scope=openid)", "ID token",
        [
            new(SpecDocument.OpenIdConnectCore, "5.4", "scope values request claim sets"),
            new(SpecDocument.OpenIdConnectCore, "5.5", "individual claims are requested with the claims parameter"),
            new(SpecDocument.OpenIdConnectCore, "17.1", "release of PII needs the user's consent for that purpose"),
            new(SpecDocument.Rfc7519, "12", "\"Omitting privacy-sensitive information from a JWT is the simplest way of minimizing privacy issues\""),
        ],
        RequirementLevel.Should) {
            Note = "No MUST forbids extra claims, so SHOULD (as userinfo.scope-matrix-no-ungranted-claims)",
        };

    /// <param name="subset">Case label (the requested scope subset).</param>
    /// <param name="grantedScope">The scope granted in the flow that issued the ID token.</param>
    public static CheckResult EvaluateIdTokenOnlyGrantedScopeClaims(string subset, DecodedJwt idToken, string grantedScope)
    {
        if (!idToken.IsValid) return IdTokenOnlyGrantedScopeClaims.NotApplicable($"no decodable ID token: {idToken.Problem}").WithCase(subset);
        var granted = StandardClaims.StandardScopesIn(grantedScope).ToHashSet();
        var allowed = granted.SelectMany(s => StandardClaims.ByScope[s]).ToHashSet();
        var extra = StandardClaims.ByScope.Where(kv => !granted.Contains(kv.Key))
            .SelectMany(kv => kv.Value.Where(c => !allowed.Contains(c) && idToken.Claim(c) is { } v && StandardClaims.Carries(v)).Select(c => $"{c} (scope {kv.Key})"))
            .ToList();
        return IdTokenOnlyGrantedScopeClaims.Require(extra.Count == 0,
            $"granted '{grantedScope}', but the ID token also releases claims of scopes not granted: {string.Join(", ", extra)}",
            $"granted '{grantedScope}': the ID token carries no claims of other standard scopes").WithCase(subset);
    }
}
