using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Tokens;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

public sealed class IdTokenProofs : IFailureProofs, IPassProofs
{
    private static readonly long Now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
    private static IdTokenExpectations Expect => new("http://op.test", "client-1", "n-0S6_WzA2Mj", DateTimeOffset.FromUnixTimeSeconds(Now)) { ExpectedSubject = "alice" };
    private static Protocol.JwksDocument Jwks => Make.Jwks(Make.JwksFor(Make.TestKey));

    private static DecodedJwt Token(Func<JsonObject, JsonObject>? claims = null, JsonObject? header = null, System.Security.Cryptography.RSA? key = null) =>
        DecodedJwt.Decode(Make.Jwt(header ?? Make.Header(), (claims ?? (c => c))(Make.IdTokenClaims(Now)), key));

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(IdTokenChecks.WellFormed, "truncated token", () => IdTokenChecks.EvaluateWellFormed(DecodedJwt.Decode(Token().Raw[..30])), "not a JWT");
        yield return new(IdTokenChecks.WellFormed, "garbage", () => IdTokenChecks.EvaluateWellFormed(DecodedJwt.Decode("abc.def.ghi")), "not valid");
        yield return new(IdTokenChecks.WellFormed, "opaque token", () => IdTokenChecks.EvaluateWellFormed(DecodedJwt.Decode("2YotnFZFEjr1zCsicMWpAA")), "1 dot-separated");
        yield return new(IdTokenChecks.Signature, "signed with a key not in the JWKS (same kid)", () =>
            IdTokenChecks.EvaluateSignature(Token(key: Make.OtherKey), Jwks), "does not verify");
        yield return new(IdTokenChecks.Signature, "alg none", () =>
            IdTokenChecks.EvaluateSignature(Token(header: Make.Header(alg: "none")), Jwks), "unsigned");
        yield return new(IdTokenChecks.Signature, "kid unknown", () =>
            IdTokenChecks.EvaluateSignature(Token(header: Make.Header(kid: "rotated-away")), Jwks), "not in the JWK Set");
        yield return new(IdTokenChecks.Signature, "claims changed after signing", () =>
        {
            var good = Token().Raw.Split('.');
            var tampered = Make.B64(Make.IdTokenClaims(Now).With("sub", "mallory").ToJsonString());
            return IdTokenChecks.EvaluateSignature(DecodedJwt.Decode($"{good[0]}.{tampered}.{good[2]}"), Jwks);
        }, "does not verify");
        yield return new(IdTokenChecks.AlgAdvertised, "HS256 not advertised", () =>
            IdTokenChecks.EvaluateAlgAdvertised(Token(header: Make.Header(alg: "HS256")), Recorded.Discovery), "not advertised");
        yield return new(IdTokenChecks.Issuer, "wrong iss", () => IdTokenChecks.EvaluateIssuer(Token(c => c.With("iss", "http://op.test/")), Expect), "expected exactly");
        yield return new(IdTokenChecks.Issuer, "iss missing", () => IdTokenChecks.EvaluateIssuer(Token(c => c.Without("iss")), Expect), "missing");
        yield return new(IdTokenChecks.Audience, "wrong aud", () => IdTokenChecks.EvaluateAudience(Token(c => c.With("aud", "other-client")), Expect), "does not contain");
        yield return new(IdTokenChecks.Audience, "aud missing", () => IdTokenChecks.EvaluateAudience(Token(c => c.Without("aud")), Expect), "missing");
        yield return new(IdTokenChecks.Azp, "azp of another client", () => IdTokenChecks.EvaluateAzp(Token(c => c.With("azp", "other")), Expect), "expected");
        yield return new(IdTokenChecks.AzpMultipleAudiences, "two audiences, no azp", () =>
            IdTokenChecks.EvaluateAzpMultipleAudiences(Token(c => c.With("aud", new JsonArray("client-1", "api")))), "no azp");
        yield return new(IdTokenChecks.Expiry, "exp in the past", () => IdTokenChecks.EvaluateExpiry(Token(c => c.With("exp", Now - 3600)), Expect), "in the past");
        yield return new(IdTokenChecks.Expiry, "exp as string", () => IdTokenChecks.EvaluateExpiry(Token(c => c.With("exp", (Now + 60).ToString())), Expect), "not a NumericDate");
        yield return new(IdTokenChecks.Expiry, "exp before iat", () =>
            IdTokenChecks.EvaluateExpiry(Token(c => c.With("iat", Now + 50).With("exp", Now + 40)), Expect), "not after iat");
        yield return new(IdTokenChecks.IssuedAt, "iat an hour ahead", () => IdTokenChecks.EvaluateIssuedAt(Token(c => c.With("iat", Now + 3600)), Expect), "in the future");
        yield return new(IdTokenChecks.IssuedAt, "iat missing", () => IdTokenChecks.EvaluateIssuedAt(Token(c => c.Without("iat")), Expect), "missing");
        yield return new(IdTokenChecks.Subject, "sub missing", () => IdTokenChecks.EvaluateSubject(Token(c => c.Without("sub")), Expect), "missing");
        yield return new(IdTokenChecks.Subject, "sub is a number", () => IdTokenChecks.EvaluateSubject(Token(c => c.With("sub", 42)), Expect), "not a string");
        yield return new(IdTokenChecks.Subject, "other user", () => IdTokenChecks.EvaluateSubject(Token(c => c.With("sub", "bob")), Expect), "expects");
        yield return new(IdTokenChecks.Nonce, "nonce dropped (Casdoor #1469)", () => IdTokenChecks.EvaluateNonce(Token(c => c.Without("nonce")), Expect), "missing");
        yield return new(IdTokenChecks.Nonce, "empty nonce (lobehub #9032)", () => IdTokenChecks.EvaluateNonce(Token(c => c.With("nonce", "")), Expect), "request sent");
        yield return new(IdTokenChecks.LibraryValidation, "audience wrong for the library", () =>
            IdTokenChecks.EvaluateLibraryValidation(Token(c => c.With("aud", "other")), Jwks, Expect), "refuses");
        yield return new(IdTokenChecks.LibraryValidation, "expired for the library", () =>
            IdTokenChecks.EvaluateLibraryValidation(Token(c => c.With("iat", Now - 7200).With("exp", Now - 3600)), Jwks, Expect), "refuses");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        var real = DecodedJwt.Decode(Recorded.Token.IdToken);
        var iat = real.NumericDate("iat")!.Value;
        var expect = new IdTokenExpectations(Recorded.Issuer, "conf-client", real.ClaimString("nonce"), DateTimeOffset.FromUnixTimeSeconds(iat + 1)) { ExpectedSubject = "alice" };
        yield return new(IdTokenChecks.WellFormed, "recorded", () => IdTokenChecks.EvaluateWellFormed(real));
        yield return new(IdTokenChecks.Signature, "recorded, with the recorded JWKS", () => IdTokenChecks.EvaluateSignature(real, Recorded.Jwks));
        yield return new(IdTokenChecks.AlgAdvertised, "recorded", () => IdTokenChecks.EvaluateAlgAdvertised(real, Recorded.Discovery));
        yield return new(IdTokenChecks.Issuer, "recorded", () => IdTokenChecks.EvaluateIssuer(real, expect));
        yield return new(IdTokenChecks.Audience, "recorded", () => IdTokenChecks.EvaluateAudience(real, expect));
        yield return new(IdTokenChecks.Expiry, "recorded", () => IdTokenChecks.EvaluateExpiry(real, expect));
        yield return new(IdTokenChecks.IssuedAt, "recorded", () => IdTokenChecks.EvaluateIssuedAt(real, expect));
        yield return new(IdTokenChecks.Subject, "recorded", () => IdTokenChecks.EvaluateSubject(real, expect));
        yield return new(IdTokenChecks.Nonce, "recorded", () => IdTokenChecks.EvaluateNonce(real, expect));
        yield return new(IdTokenChecks.Signature, "made", () => IdTokenChecks.EvaluateSignature(Token(), Jwks));
        yield return new(IdTokenChecks.LibraryValidation, "made", () => IdTokenChecks.EvaluateLibraryValidation(Token(), Jwks, Expect));
        yield return new(IdTokenChecks.Azp, "azp = client", () => IdTokenChecks.EvaluateAzp(Token(c => c.With("azp", "client-1")), Expect));
    }
}
