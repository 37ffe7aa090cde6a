using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// The left-half hash that binds a front-channel ID token to the access token or code issued with it
/// (OIDC Core 1.0 §3.1.3.6 at_hash, §3.3.2.11 c_hash): hash the ASCII octets of the value with the hash of the
/// ID token's JWS alg, keep the left-most half of the octets, base64url-encode them.
/// </summary>
public static class TokenHash
{
    /// <summary>The hash function belonging to a JWS alg (RFC 7518 §3.1), or null when the alg names none (none, unknown).</summary>
    /// <remarks>EdDSA: OIDC Core errata set 2 (§3.1.3.6) names SHA-512 for Ed25519; Ed448 (SHAKE256) is not supported.</remarks>
    public static Func<byte[], byte[]>? HashFor(string? alg, string? crv = null) => alg switch
    {
        "RS256" or "PS256" or "ES256" or "HS256" or "ES256K" => SHA256.HashData,
        "RS384" or "PS384" or "ES384" or "HS384" => SHA384.HashData,
        "RS512" or "PS512" or "ES512" or "HS512" => SHA512.HashData,
        "EdDSA" or "Ed25519" when crv is null or "Ed25519" => SHA512.HashData,
        _ => null,
    };

    /// <summary>at_hash / c_hash of <paramref name="value"/> for an ID token signed with <paramref name="alg"/>; null for an alg without hash.</summary>
    public static string? Compute(string value, string? alg, string? crv = null)
    {
        if (HashFor(alg, crv) is not { } hash) return null;
        var digest = hash(Encoding.ASCII.GetBytes(value));
        return DecodedJwt.Base64UrlEncode(digest[..(digest.Length / 2)]);
    }
}

/// <summary>at_hash and c_hash in ID tokens (OIDC Core 1.0 §3.1.3.6, §3.2.2.10, §3.3.2.11).</summary>
public static class IdTokenHashChecks
{
    private const string Area = "ID token";

    public static readonly CheckDefinition AtHash = new("idtoken.at-hash",
        "at_hash is present where required (ID token issued with an access token from the authorization endpoint) and, where present, " +
        "is the left half of the alg's hash of the access token", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "3.1.3.6"),
            new(SpecDocument.OpenIdConnectCore, "3.2.2.10"),
            new(SpecDocument.OpenIdConnectCore, "3.2.2.9"),
            new(SpecDocument.OpenIdConnectCore, "3.3.2.11"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition CHash = new("idtoken.c-hash",
        "c_hash is present where required (ID token issued with a code from the authorization endpoint) and, where present, " +
        "is the left half of the alg's hash of the code", Area,
        [new(SpecDocument.OpenIdConnectCore, "3.3.2.11"), new(SpecDocument.OpenIdConnectCore, "3.3.2.10")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    /// <param name="accessToken">The access token issued together with this ID token (null: none was).</param>
    /// <param name="required">Whether the flow requires at_hash (response types id_token token and code id_token token).</param>
    public static CheckResult EvaluateAtHash(DecodedJwt idToken, string? accessToken, bool required) =>
        Evaluate(AtHash, "at_hash", "access token", idToken, accessToken, required);

    /// <param name="code">The authorization code issued together with this ID token (null: none was).</param>
    /// <param name="required">Whether the flow requires c_hash (response types code id_token and code id_token token).</param>
    public static CheckResult EvaluateCHash(DecodedJwt idToken, string? code, bool required) =>
        Evaluate(CHash, "c_hash", "code", idToken, code, required);

    private static CheckResult Evaluate(CheckDefinition check, string claim, string what, DecodedJwt idToken, string? value, bool required)
    {
        if (!idToken.IsValid) return check.NotApplicable($"undecodable ID token: {idToken.Problem}");
        var present = idToken.Claim(claim);
        if (value is null)
            return check.NotApplicable($"no {what} was issued with this ID token" + (present is null ? "" : $" (yet it carries {claim})"));
        if (present is null && required)
            return check.Violation($"{claim} is missing although the ID token was issued with the {what} from the authorization endpoint")
                .Observed(claim, "matches", null);
        if (present is null)
            return required
                ? check.Violation($"{claim} is missing although the ID token was issued with the {what} from the authorization endpoint")
                : check.NotApplicable($"{claim} is absent, which is allowed here (OPTIONAL)");
        if (present.Value.ValueKind != JsonValueKind.String) return check.Violation($"{claim} is a JSON {present.Value.ValueKind}, not a string");
        var alg = idToken.Alg;
        var expected = TokenHash.Compute(value, alg);
        if (expected is null) return check.NotApplicable($"the ID token's alg '{alg}' names no hash function for {claim}");
        var got = present.Value.GetString();
        // The hash is derived from a credential: recorded as matches/differs, never as its value.
        return check.Require(got == expected,
            $"{claim} is '{got}', but the left half of the {alg} hash of the {what} is '{expected}'",
            $"{claim} matches the {what} ({alg})").Observed(claim, "matches", Observe.MatchesOrDiffers(got == expected));
    }
}
