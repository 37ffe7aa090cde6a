using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>What a relying party knows when it validates an ID token (OIDC Core 1.0 §3.1.3.7).</summary>
public sealed record IdTokenExpectations(string Issuer, string ClientId, string? Nonce, DateTimeOffset Now)
{
    public string? ExpectedSubject { get; init; }
    /// <summary>Clock skew tolerated for iat/exp: provider and harness clocks differ slightly.</summary>
    public TimeSpan Skew { get; init; } = TimeSpan.FromSeconds(60);
}

/// <summary>ID token checks over the decoded token (OIDC Core 1.0 §2, §3.1.3.7).</summary>
public static class IdTokenChecks
{
    private const string Area = "ID token";

    public static readonly CheckDefinition WellFormed = new("idtoken.jws-compact",
        "The ID token is a JWS in compact serialization with JSON header and claims", Area, [new(SpecDocument.OpenIdConnectCore, "2"), new(SpecDocument.Rfc7515, "7.1")], RequirementLevel.Must) { OidfModules = ["oidcc-idtoken-signature"] };

    public static readonly CheckDefinition Signature = new("idtoken.signature-jwks",
        "The signature verifies with a key from jwks_uri (kid present there), alg is not none", Area, [
            new(SpecDocument.OpenIdConnectCore, "2"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "6"),
            new(SpecDocument.OpenIdConnectCore, "10.1"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-idtoken-signature"] };

    public static readonly CheckDefinition AlgAdvertised = new("idtoken.alg-advertised",
        "The signing alg is one of id_token_signing_alg_values_supported", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3"), new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "7")], RequirementLevel.Must);

    public static readonly CheckDefinition Issuer = new("idtoken.iss",
        "iss equals the issuer exactly", Area, [new(SpecDocument.OpenIdConnectCore, "2"), new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "2")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition Audience = new("idtoken.aud",
        "aud contains the client_id", Area, [new(SpecDocument.OpenIdConnectCore, "2"), new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "3")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition Azp = new("idtoken.azp",
        "azp, where present, is the client_id", Area, [new(SpecDocument.OpenIdConnectCore, "2", "azp"), new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "5")], RequirementLevel.Must);

    public static readonly CheckDefinition AzpMultipleAudiences = new("idtoken.azp-multiple-audiences",
        "With several audiences, azp is present", Area, [new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "4")], RequirementLevel.Should);

    public static readonly CheckDefinition Expiry = new("idtoken.exp",
        "exp is a NumericDate in the future and after iat", Area, [
            new(SpecDocument.OpenIdConnectCore, "2", "exp"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "9"),
            new(SpecDocument.Rfc7519, "4.1.4"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition IssuedAt = new("idtoken.iat",
        "iat is a NumericDate that is not in the future", Area, [new(SpecDocument.OpenIdConnectCore, "2", "iat"), new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "10")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition Subject = new("idtoken.sub",
        "sub is a non-empty string of at most 255 ASCII characters (and the expected one)", Area, [new(SpecDocument.OpenIdConnectCore, "2", "sub")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition Nonce = new("idtoken.nonce",
        "nonce equals the nonce of the authentication request", Area, [
            new(SpecDocument.OpenIdConnectCore, "2", "nonce"),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "11"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition LibraryValidation = new("idtoken.microsoft-identitymodel-validation",
        "Microsoft.IdentityModel's standard validation (what .NET relying parties run) accepts the ID token", Area,
        [new(SpecDocument.OpenIdConnectCore, "3.1.3.7")], RequirementLevel.Must);

    public static CheckResult EvaluateWellFormed(DecodedJwt jwt) =>
        WellFormed.Require(jwt.IsValid, jwt.Problem ?? "");

    public static CheckResult EvaluateSignature(DecodedJwt jwt, JwksDocument jwks)
    {
        var result = JudgeSignature(jwt, jwks);
        if (!jwt.IsValid) return result;
        result = result.Observed("alg", "a JWS alg other than none", jwt.Alg);
        return jwt.Kid is { } kid ? result.Observed("kid", "a kid of the JWK Set", kid) : result;
    }

    /// <summary>The signature of <paramref name="jwt"/> against the JWK Set, judged as <paramref name="check"/> (default: the ID token's).</summary>
    internal static CheckResult JudgeSignature(DecodedJwt jwt, JwksDocument jwks, CheckDefinition? check = null)
    {
        var Signature = check ?? IdTokenChecks.Signature;
        if (!jwt.IsValid) return Signature.NotApplicable($"undecodable token: {jwt.Problem}");
        var alg = jwt.Alg;
        if (alg is null) return Signature.Violation("the JWS header has no alg");
        if (alg.Equals("none", StringComparison.OrdinalIgnoreCase)) return Signature.Violation($"alg is 'none': the {(check is null ? "ID token" : "token")} is unsigned");
        if (jwt.Signature.Length == 0) return Signature.Violation("the signature part is empty");
        if (alg.StartsWith("HS", StringComparison.Ordinal))
            return Signature.NotApplicable($"alg {alg} is a MAC with the client secret; JWKS verification does not apply");
        var set = jwks.KeySet;
        if (set is null) return Signature.Violation($"the JWK Set cannot be read, so the signature cannot be verified ({jwks.Body.Problem ?? "no usable keys"})");
        var keys = set.GetSigningKeys();
        var kid = jwt.Kid;
        if (kid is not null)
        {
            keys = keys.Where(k => k.KeyId == kid).ToList();
            if (keys.Count == 0) return Signature.Violation($"kid '{kid}' is not in the JWK Set ({string.Join(", ", set.Keys.Select(k => k.Kid ?? "(no kid)"))})");
        }
        else if (keys.Count > 1)
        {
            // Without a kid the RP must try keys; OIDC Core §10.1 requires kid when several keys are published.
            var anyKey = TryValidate(jwt.Raw, keys);
            return anyKey is null
                ? Signature.Violation($"no kid in the header although the JWK Set holds {keys.Count} keys (OIDC Core §10.1)")
                : Signature.Violation($"the signature verifies, but the header has no kid while the JWK Set holds {keys.Count} keys (OIDC Core §10.1 requires kid then)");
        }
        var error = TryValidate(jwt.Raw, keys);
        return Signature.Require(error is null, $"the signature does not verify with the published key: {error}",
            $"verified with {alg} key {kid ?? "(only key)"}");
    }

    /// <summary>Signature-only validation; returns null when valid, else why not.</summary>
    private static string? TryValidate(string raw, IEnumerable<SecurityKey> keys)
    {
        var handler = new JsonWebTokenHandler();
        var result = handler.ValidateTokenAsync(raw, new TokenValidationParameters
        {
            IssuerSigningKeys = keys, ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false,
            ValidateIssuerSigningKey = false, RequireSignedTokens = true, TryAllIssuerSigningKeys = true,
        }).GetAwaiter().GetResult();
        return result.IsValid ? null : Short(result.Exception);
    }

    public static CheckResult EvaluateAlgAdvertised(DecodedJwt jwt, DiscoveryDocument discovery)
    {
        if (!jwt.IsValid || jwt.Alg is null) return AlgAdvertised.NotApplicable("no alg to compare");
        if (discovery.StringArray("id_token_signing_alg_values_supported") is not { } algs)
            return AlgAdvertised.NotApplicable("id_token_signing_alg_values_supported is missing");
        return AlgAdvertised.Require(algs.Contains(jwt.Alg), $"alg {jwt.Alg} is not advertised (advertised: {string.Join(", ", algs)})")
            .Observed("alg", $"one of {string.Join(", ", algs)}", jwt.Alg);
    }

    public static CheckResult EvaluateIssuer(DecodedJwt jwt, IdTokenExpectations e)
    {
        if (!jwt.IsValid) return Issuer.NotApplicable($"undecodable token: {jwt.Problem}");
        return (jwt.Claim("iss") switch
        {
            null => Issuer.Violation("iss is missing"),
            { ValueKind: JsonValueKind.String } s => Issuer.Require(s.GetString() == e.Issuer, $"iss is '{s.GetString()}', expected exactly '{e.Issuer}'"),
            var v => Issuer.Violation($"iss is a JSON {v.Value.ValueKind}, not a string"),
        }).Observed("iss", e.Issuer, Observe.Json(jwt.Claim("iss")));
    }

    public static CheckResult EvaluateAudience(DecodedJwt jwt, IdTokenExpectations e)
    {
        if (!jwt.IsValid) return Audience.NotApplicable($"undecodable token: {jwt.Problem}");
        var observed = new Observation("aud", $"contains {e.ClientId}", Observe.Json(jwt.Claim("aud")));
        if (jwt.Claim("aud") is not { } aud) return Audience.Violation("aud is missing").Observed(observed);
        if (aud.ValueKind is not (JsonValueKind.String or JsonValueKind.Array)) return Audience.Violation($"aud is a JSON {aud.ValueKind}").Observed(observed);
        return Audience.Require(jwt.Audiences.Contains(e.ClientId), $"aud [{string.Join(", ", jwt.Audiences)}] does not contain '{e.ClientId}'").Observed(observed);
    }

    public static CheckResult EvaluateAzp(DecodedJwt jwt, IdTokenExpectations e)
    {
        if (!jwt.IsValid) return Azp.NotApplicable($"undecodable token: {jwt.Problem}");
        if (jwt.Claim("azp") is not { } azp) return Azp.NotApplicable("no azp claim");
        return Azp.Require(azp.ValueKind == JsonValueKind.String && azp.GetString() == e.ClientId, $"azp is {azp.GetRawText()}, expected \"{e.ClientId}\"")
            .Observed("azp", e.ClientId, Observe.Json(azp));
    }

    public static CheckResult EvaluateAzpMultipleAudiences(DecodedJwt jwt)
    {
        if (!jwt.IsValid) return AzpMultipleAudiences.NotApplicable($"undecodable token: {jwt.Problem}");
        if (jwt.Audiences.Count < 2) return AzpMultipleAudiences.NotApplicable($"a single audience ({jwt.Audiences.FirstOrDefault()})");
        return AzpMultipleAudiences.Require(jwt.Claim("azp") is not null, $"aud has {jwt.Audiences.Count} entries but no azp")
            .Observed("azp", "present", Observe.Json(jwt.Claim("azp")));
    }

    /// <summary>
    /// Times are recorded relative to iat and to the token's arrival, not as timestamps: two runs then compare equal
    /// unless the provider's behaviour (its lifetime, its clock) differs.
    /// </summary>
    public static CheckResult EvaluateExpiry(DecodedJwt jwt, IdTokenExpectations e)
    {
        var result = JudgeExpiry(jwt, e);
        if (!jwt.IsValid || jwt.Claim("exp") is not { ValueKind: JsonValueKind.Number }) return result;
        var exp = jwt.NumericDate("exp")!.Value;
        if (jwt.NumericDate("iat") is { } iat) result = result.Observed("exp − iat", "> 0 s", $"{exp - iat} s");
        return result.IsViolation ? result.Observed("exp − arrival", $"> −{(long)e.Skew.TotalSeconds} s", $"{exp - e.Now.ToUnixTimeSeconds()} s") : result;
    }

    private static CheckResult JudgeExpiry(DecodedJwt jwt, IdTokenExpectations e)
    {
        if (!jwt.IsValid) return Expiry.NotApplicable($"undecodable token: {jwt.Problem}");
        if (jwt.Claim("exp") is not { } expEl) return Expiry.Violation("exp is missing");
        if (expEl.ValueKind != JsonValueKind.Number) return Expiry.Violation($"exp is a JSON {expEl.ValueKind.ToString().ToLowerInvariant()}, not a NumericDate");
        var exp = jwt.NumericDate("exp")!.Value;
        var now = e.Now.ToUnixTimeSeconds();
        if (exp <= now - (long)e.Skew.TotalSeconds) return Expiry.Violation($"exp {exp} is {now - exp} s in the past: the token was expired when issued");
        if (jwt.NumericDate("iat") is { } iat && exp <= iat) return Expiry.Violation($"exp {exp} is not after iat {iat}");
        return Expiry.Pass($"valid for {exp - now} s more");
    }

    public static CheckResult EvaluateIssuedAt(DecodedJwt jwt, IdTokenExpectations e)
    {
        var result = JudgeIssuedAt(jwt, e);
        if (!result.IsViolation || jwt.NumericDate("iat") is not { } iat) return result;
        return result.Observed("iat − arrival", $"≤ {(long)e.Skew.TotalSeconds} s", $"{iat - e.Now.ToUnixTimeSeconds()} s");
    }

    private static CheckResult JudgeIssuedAt(DecodedJwt jwt, IdTokenExpectations e)
    {
        if (!jwt.IsValid) return IssuedAt.NotApplicable($"undecodable token: {jwt.Problem}");
        if (jwt.Claim("iat") is not { } iatEl) return IssuedAt.Violation("iat is missing");
        if (iatEl.ValueKind != JsonValueKind.Number) return IssuedAt.Violation($"iat is a JSON {iatEl.ValueKind.ToString().ToLowerInvariant()}, not a NumericDate");
        var iat = jwt.NumericDate("iat")!.Value;
        var now = e.Now.ToUnixTimeSeconds();
        return IssuedAt.Require(iat <= now + (long)e.Skew.TotalSeconds, $"iat {iat} is {iat - now} s in the future");
    }

    public static CheckResult EvaluateSubject(DecodedJwt jwt, IdTokenExpectations e)
    {
        var result = JudgeSubject(jwt, e);
        if (!jwt.IsValid) return result;
        // The subject's value is recorded only against the profile's expected one: otherwise its shape, not the identifier.
        var sub = jwt.Claim("sub");
        return e.ExpectedSubject is { } expected
            ? result.Observed("sub", expected, Observe.Json(sub))
            : result.Observed("sub", "a non-empty string of at most 255 ASCII characters", sub switch
            {
                null => null,
                { ValueKind: JsonValueKind.String } s => $"a string of {s.GetString()!.Length} characters{(s.GetString()!.Any(c => c > 127) ? " (not all ASCII)" : "")}",
                { } v => $"a JSON {v.ValueKind.ToString().ToLowerInvariant()}",
            });
    }

    private static CheckResult JudgeSubject(DecodedJwt jwt, IdTokenExpectations e)
    {
        if (!jwt.IsValid) return Subject.NotApplicable($"undecodable token: {jwt.Problem}");
        if (jwt.Claim("sub") is not { } subEl) return Subject.Violation("sub is missing");
        if (subEl.ValueKind != JsonValueKind.String) return Subject.Violation($"sub is a JSON {subEl.ValueKind.ToString().ToLowerInvariant()}, not a string");
        var sub = subEl.GetString()!;
        if (sub.Length == 0) return Subject.Violation("sub is empty");
        if (sub.Length > 255 || sub.Any(c => c > 127)) return Subject.Violation($"sub is not at most 255 ASCII characters ({sub.Length} characters)");
        if (e.ExpectedSubject is { } expected && sub != expected) return Subject.Violation($"sub is '{sub}', the profile expects '{expected}'");
        return Subject.Pass();
    }

    public static CheckResult EvaluateNonce(DecodedJwt jwt, IdTokenExpectations e)
    {
        if (!jwt.IsValid) return Nonce.NotApplicable($"undecodable token: {jwt.Problem}");
        if (e.Nonce is null) return Nonce.NotApplicable("the request carried no nonce");
        return (jwt.Claim("nonce") switch
        {
            null => Nonce.Violation("nonce is missing although the request sent one"),
            { ValueKind: JsonValueKind.String } s => Nonce.Require(s.GetString() == e.Nonce, $"nonce is '{s.GetString()}', the request sent '{e.Nonce}'"),
            var v => Nonce.Violation($"nonce is a JSON {v.Value.ValueKind}, not a string"),
        }).Observed("nonce", e.Nonce, Observe.Json(jwt.Claim("nonce")));
    }

    public static CheckResult EvaluateLibraryValidation(DecodedJwt jwt, JwksDocument jwks, IdTokenExpectations e)
    {
        if (string.IsNullOrEmpty(jwt.Raw)) return LibraryValidation.NotApplicable("no token");
        var set = jwks.KeySet;
        if (set is null) return LibraryValidation.Violation("the JWK Set cannot be read by Microsoft.IdentityModel");
        var handler = new JsonWebTokenHandler();
        var result = handler.ValidateTokenAsync(jwt.Raw, new TokenValidationParameters
        {
            ValidIssuer = e.Issuer, ValidAudience = e.ClientId, IssuerSigningKeys = set.GetSigningKeys(),
            ValidateIssuer = true, ValidateAudience = true, ValidateLifetime = true, RequireExpirationTime = true,
            RequireSignedTokens = true, ClockSkew = e.Skew,
            // Lifetime is judged against the time the token arrived (e.Now), not the time this check runs: on a loaded machine
            // a short-lived ID token can expire between its arrival and this check (found by the order-independence test: the
            // verdict flipped with the order, IDX10223). The library's own rule (exp required, exp + skew ≥ now ≥ nbf − skew)
            // with its own error codes; this version of Microsoft.IdentityModel offers no public clock to pass instead.
            LifetimeValidator = (notBefore, expires, _, _) => ValidLifetimeAt(e.Now.UtcDateTime, e.Skew, notBefore, expires),
        }).GetAwaiter().GetResult();
        return LibraryValidation.Require(result.IsValid, $"JsonWebTokenHandler refuses it: {Short(result.Exception)}");
    }

    private static bool ValidLifetimeAt(DateTime arrived, TimeSpan skew, DateTime? notBefore, DateTime? expires)
    {
        // The skew moves the instant, never the token's dates: the library passes DateTime.MinValue/MaxValue for absent
        // claims, which cannot be shifted.
        if (expires is not { } exp)
            throw new SecurityTokenNoExpirationException("IDX10225: Lifetime validation failed. The token is missing an Expiration Time.");
        if (exp < arrived - skew)
            throw new SecurityTokenExpiredException($"IDX10223: Lifetime validation failed. The token is expired. ValidTo (UTC): '{exp:O}', arrived (UTC): '{arrived:O}'.") { Expires = exp };
        if (notBefore is { } nbf && nbf > arrived + skew)
            throw new SecurityTokenNotYetValidException($"IDX10222: Lifetime validation failed. The token is not yet valid. ValidFrom (UTC): '{nbf:O}', arrived (UTC): '{arrived:O}'.") { NotBefore = nbf };
        return true;
    }

    private static string Short(Exception? e) =>
        e is null ? "unknown reason" : Http.Redactor.Redact(e.Message.Split('\n')[0]);
}
