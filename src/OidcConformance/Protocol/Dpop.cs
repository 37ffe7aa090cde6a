using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;
using OidcConformance.Http;

namespace OidcConformance.Protocol;

/// <summary>
/// A DPoP key pair of the suite (RFC 9449 §4): an ES256 (P-256) key generated for one scenario, never persisted. Its
/// private part never leaves the process; its scalar is registered with the <see cref="Redactor"/> all the same, so a
/// stray dump of it could not reach a report.
/// </summary>
public sealed class DpopKey : IDisposable
{
    private readonly Tokens.ClientSigningKey key = Tokens.ClientSigningKey.NewEc();

    /// <summary>A label for reports ("A", "B"): which of a scenario's keys signed a proof.</summary>
    public string Label { get; }

    public DpopKey(string label)
    {
        Label = label;
        Redactor.Register(key.PrivateMaterial(), "DPoP private key");
        var jwk = key.PublicJwk()!;
        PublicJwk = new JsonObject { ["kty"] = "EC", ["crv"] = jwk["crv"]!.DeepClone(), ["x"] = jwk["x"]!.DeepClone(), ["y"] = jwk["y"]!.DeepClone() };
        Thumbprint = key.Kid!; // RFC 7638 over kty, crv, x, y: the members above
    }

    /// <summary>The public key as the proof's <c>jwk</c> header carries it (no private member, §4.2).</summary>
    public JsonObject PublicJwk { get; }

    /// <summary>RFC 7638 SHA-256 thumbprint of <see cref="PublicJwk"/>, base64url: the value of <c>cnf.jkt</c> (RFC 9449 §6.1).</summary>
    public string Thumbprint { get; }

    /// <summary>The compact JWS of a proof: header typ dpop+jwt, alg ES256 and the public jwk (§4.2), signed with this key.</summary>
    public string Sign(JsonObject payload) =>
        key.SignWithHeader(new JsonObject { ["typ"] = "dpop+jwt", ["alg"] = "ES256", ["jwk"] = PublicJwk.DeepClone() }, payload);

    /// <summary>Whether <paramref name="proof"/> verifies with this key (for the unit tests of the proof builder).</summary>
    public bool Verifies(string proof)
    {
        var handler = new JsonWebTokenHandler();
        var result = handler.ValidateTokenAsync(proof, new TokenValidationParameters
        {
            IssuerSigningKey = new JsonWebKey(PublicJwk.ToJsonString()), ValidateIssuer = false, ValidateAudience = false, ValidateLifetime = false,
            RequireExpirationTime = false, ValidTypes = ["dpop+jwt"],
        }).GetAwaiter().GetResult();
        return result.IsValid;
    }

    public void Dispose() { }

    /// <summary>ath (§4.2): base64url of the SHA-256 of the access token's ASCII octets.</summary>
    public static string AccessTokenHash(string accessToken) => Base64UrlEncoder.Encode(SHA256.HashData(Encoding.ASCII.GetBytes(accessToken)));
}

/// <summary>The claims of one DPoP proof as its pipeline builds them (RFC 9449 §4.2), and the key that signs it.</summary>
public sealed class DpopProofClaims
{
    public DpopKey? Key { get; set; }
    public string? Htm { get; set; }
    public string? Htu { get; set; }
    public long? Iat { get; set; }
    public string? Jti { get; set; }
    public string? Nonce { get; set; }
    public string? Ath { get; set; }

    public JsonObject Payload()
    {
        var p = new JsonObject();
        if (Jti is not null) p["jti"] = Jti;
        if (Htm is not null) p["htm"] = Htm;
        if (Htu is not null) p["htu"] = Htu;
        if (Iat is not null) p["iat"] = Iat;
        if (Nonce is not null) p["nonce"] = Nonce;
        if (Ath is not null) p["ath"] = Ath;
        return p;
    }

    /// <summary>The signed proof, or null when the pipeline left the key (and with it the proof) out.</summary>
    public string? Sign() => Key?.Sign(Payload());
}

/// <summary>
/// The steps of a DPoP proof (RFC 9449 §4.2): the signing key, then htm, htu, iat, jti, the server's nonce and, for a
/// protected resource, ath. The normal proof is built fresh for each request; a negative case replaces one step
/// (another key, another method, another URI, an old iat) and the proof's <see cref="RequestPipeline{TRequest,TSelf}.MutatedStep"/> names it.
/// </summary>
public sealed class DpopProofPipeline : RequestPipeline<DpopProofClaims, DpopProofPipeline>
{
    public override string RequestName => "DPoP proof";

    /// <param name="accessToken">the access token the request presents (then ath is set, §4.2), or null at the token endpoint.</param>
    public static DpopProofPipeline For(DpopKey key, string method, string uri, string? accessToken = null) =>
        new DpopProofPipeline().Add(new DpopKeyStep(key)).Add(new DpopHtmStep(method)).Add(new DpopHtuStep(uri))
            .Add(new DpopIatStep(null)).Add(new DpopJtiStep()).Add(new DpopNonceStep()).Add(new DpopAthStep(accessToken));

    /// <summary>The proof for this request, with <paramref name="nonce"/> when the server gave one (§8, §9).</summary>
    public string? Build(string? nonce)
    {
        var claims = new DpopProofClaims { Nonce = nonce };
        return Run(claims).Sign();
    }
}

/// <summary>The key that signs the proof and whose public part is its jwk header.</summary>
public sealed class DpopKeyStep(DpopKey key) : RequestStep<DpopProofClaims>
{
    public override string Part => "signing key";
    public override void Apply(DpopProofClaims request) => request.Key = key;
}

public sealed class DpopHtmStep(string method) : RequestStep<DpopProofClaims>
{
    public override string Part => "htm";
    public override void Apply(DpopProofClaims request) => request.Htm = method;
}

public sealed class DpopHtuStep(string uri) : RequestStep<DpopProofClaims>
{
    public override string Part => "htu";
    public override void Apply(DpopProofClaims request) => request.Htu = uri;
}

/// <summary>iat: now when the proof is built, or the given time (a stale proof).</summary>
public sealed class DpopIatStep(DateTimeOffset? at) : RequestStep<DpopProofClaims>
{
    public override string Part => "iat";
    public override void Apply(DpopProofClaims request) => request.Iat = (at ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds();
}

/// <summary>jti: a fresh random identifier for every proof built.</summary>
public sealed class DpopJtiStep : RequestStep<DpopProofClaims>
{
    public override string Part => "jti";
    public override void Apply(DpopProofClaims request) => request.Jti = Random.Token(18);
}

/// <summary>nonce: the server's (already on the claims when it gave one); <see cref="Withheld"/> leaves it out.</summary>
public sealed class DpopNonceStep(bool withhold = false) : RequestStep<DpopProofClaims>
{
    public static DpopNonceStep Withheld => new(true);
    public override string Part => "nonce";

    public override void Apply(DpopProofClaims request)
    {
        if (withhold) request.Nonce = null;
    }
}

/// <summary>ath: the hash of the presented access token; nothing at the token endpoint.</summary>
public sealed class DpopAthStep(string? accessToken, string? hashOverride = null) : RequestStep<DpopProofClaims>
{
    public override string Part => "ath";

    public override void Apply(DpopProofClaims request)
    {
        if (hashOverride is not null) request.Ath = hashOverride;
        else if (accessToken is not null) request.Ath = DpopKey.AccessTokenHash(accessToken);
    }
}

/// <summary>What the server said about DPoP nonces in one answer (RFC 9449 §8 authorization server, §9 resource server).</summary>
public static class DpopNonces
{
    /// <summary>The answer asks for a nonce: 400 with error use_dpop_nonce (§8), or 401 with a DPoP challenge whose error is use_dpop_nonce (§9).</summary>
    public static bool IsChallenge(HttpExchange e)
    {
        if (e.StatusCode == 400 && JsonBody.From(e).String("error") == "use_dpop_nonce") return true;
        return e.StatusCode == 401 && e.Header("WWW-Authenticate") is { } challenge
               && challenge.Contains("use_dpop_nonce", StringComparison.Ordinal);
    }

    public static string? NonceOf(HttpExchange e) => e.Header("DPoP-Nonce") is { Length: > 0 } n ? n : null;
}

/// <summary>
/// One request sent with DPoP: the first answer, and when the server asked for a nonce (and gave one), the answer to the
/// same request retried once with a new proof carrying that nonce.
/// </summary>
public sealed record DpopExchange(HttpExchange First, HttpExchange? Retried)
{
    public HttpExchange Final => Retried ?? First;
    public bool Challenged => DpopNonces.IsChallenge(First);
    public JsonBody Body => JsonBody.From(Final);
    /// <summary>A success status without an <c>error</c> member: some providers (Casdoor) refuse inside an HTTP 200 body.</summary>
    public bool Accepted => Final.IsSuccess && Body.String("error") is null;
    /// <summary>A success status whose body is an error object: a refusal the client cannot see from the status.</summary>
    public bool RefusedInSuccessBody => Final.IsSuccess && Body.String("error") is not null;
    public string? Error => Body.String("error") ?? ChallengeError(Final);

    /// <summary>The error of a resource server's <c>WWW-Authenticate</c> challenge (RFC 6750 §3), if any.</summary>
    private static string? ChallengeError(HttpExchange e)
    {
        if (e.Header("WWW-Authenticate") is not { } c) return null;
        var m = System.Text.RegularExpressions.Regex.Match(c, "error=\"([^\"]*)\"");
        return m.Success ? m.Groups[1].Value : null;
    }

    public string Describe()
    {
        var e = Final;
        if (e.TransportError is not null) return $"no response: {e.TransportError}";
        var text = $"HTTP {e.StatusCode}" + (Error is { } err ? $", error '{err}'" : "")
                   + (Body.String("error_description") is { } d ? $" ({Redactor.Redact(d)})" : "");
        return Retried is null ? text : $"{text} (after a use_dpop_nonce challenge)";
    }
}
