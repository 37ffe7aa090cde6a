using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;

namespace OidcConformance.Tokens;

/// <summary>
/// A signing key the suite holds as a client (RFC 7523 client assertions and JWT bearer grants): an RSA or EC private key
/// from a PEM file, or a shared secret for HMAC. The kid is the RFC 7638 thumbprint of the public key, so the provider can
/// find it in the client's registered JWK Set.
/// </summary>
public sealed class ClientSigningKey
{
    private RSA? rsa;
    private ECDsa? ec;
    private byte[]? secret;

    /// <summary>The JWS alg the key signs with: RS256, ES256/ES384/ES512, or HS256.</summary>
    public required string Algorithm { get; init; }
    public string? Kid { get; private init; }

    /// <summary>Reads a PEM private key (PKCS#8, PKCS#1 RSA or SEC1 EC); throws <see cref="FormatException"/> naming the file otherwise.</summary>
    public static ClientSigningKey FromPemFile(string path, string? algorithm = null)
    {
        string text;
        try { text = File.ReadAllText(path); }
        catch (IOException e) { throw new FormatException($"{path}: cannot be read ({e.Message})"); }
        return FromPem(text, path, algorithm);
    }

    public static ClientSigningKey FromPem(string pem, string where, string? algorithm = null)
    {
        if (!pem.Contains("PRIVATE KEY-----", StringComparison.Ordinal))
            throw new FormatException($"{where}: not a PEM private key (expected a '-----BEGIN PRIVATE KEY-----' block)");
        var r = RSA.Create();
        try
        {
            r.ImportFromPem(pem);
            if (r.KeySize < 2048) throw new FormatException($"{where}: an RSA key of {r.KeySize} bits; RFC 7518 §3.3 requires 2048 or more");
            return new ClientSigningKey { rsa = r, Algorithm = algorithm ?? "RS256", Kid = RsaThumbprint(r) };
        }
        catch (CryptographicException) { r.Dispose(); }
        catch (ArgumentException) { r.Dispose(); }
        var e = ECDsa.Create();
        try
        {
            e.ImportFromPem(pem);
            var size = e.KeySize;
            return new ClientSigningKey { ec = e, Algorithm = algorithm ?? (size switch { 384 => "ES384", 521 => "ES512", _ => "ES256" }), Kid = EcThumbprint(e) };
        }
        catch (Exception ex) when (ex is CryptographicException or ArgumentException)
        {
            e.Dispose();
            throw new FormatException($"{where}: the PEM block is neither an RSA nor an EC private key ({ex.Message})");
        }
    }

    /// <summary>A fresh RSA key nobody registered (the wrong-key cases).</summary>
    public static ClientSigningKey NewRsa()
    {
        var r = RSA.Create(2048);
        return new ClientSigningKey { rsa = r, Algorithm = "RS256", Kid = RsaThumbprint(r) };
    }

    /// <summary>A fresh P-256 key signing ES256 (a DPoP key, RFC 9449 §4), never persisted.</summary>
    public static ClientSigningKey NewEc()
    {
        var e = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        return new ClientSigningKey { ec = e, Algorithm = "ES256", Kid = EcThumbprint(e) };
    }

    /// <summary>The private part as base64url (RSA d, EC d), for the <c>Redactor</c>: a stray dump of it could not reach a report.</summary>
    public string? PrivateMaterial() =>
        rsa is not null ? B64(rsa.ExportParameters(true).D!) : ec is not null ? B64(ec.ExportParameters(true).D!) : null;

    /// <summary>An HMAC key: the client secret as UTF-8 octets (RFC 7518 §3.2, OIDC Core §9 client_secret_jwt).</summary>
    public static ClientSigningKey FromSecret(string clientSecret) =>
        new() { secret = Encoding.UTF8.GetBytes(clientSecret), Algorithm = "HS256" };

    public bool IsSymmetric => secret is not null;

    /// <summary>The public JWK (RSA or EC), as a provider registers it for the client; null for a shared secret.</summary>
    public JsonObject? PublicJwk()
    {
        if (rsa is not null)
        {
            var p = rsa.ExportParameters(false);
            return new JsonObject { ["kty"] = "RSA", ["use"] = "sig", ["alg"] = Algorithm, ["kid"] = Kid, ["e"] = B64(p.Exponent!), ["n"] = B64(p.Modulus!) };
        }
        if (ec is not null)
        {
            var p = ec.ExportParameters(false);
            return new JsonObject { ["kty"] = "EC", ["use"] = "sig", ["alg"] = Algorithm, ["kid"] = Kid, ["crv"] = Curve(p), ["x"] = B64(p.Q.X!), ["y"] = B64(p.Q.Y!) };
        }
        return null;
    }

    /// <summary>
    /// A compact JWS of <paramref name="payload"/>. Built by hand rather than by a library because the negative cases need
    /// raw control of the header (<c>alg: none</c>, another kid) that JWT libraries refuse to produce.
    /// </summary>
    public string Sign(JsonObject payload, string? algOverride = null, IReadOnlyDictionary<string, string>? extraHeader = null)
    {
        var alg = algOverride ?? Algorithm;
        var header = new JsonObject { ["alg"] = alg, ["typ"] = "JWT" };
        if (Kid is not null && alg != "none") header["kid"] = Kid;
        foreach (var (k, v) in extraHeader ?? new Dictionary<string, string>()) header[k] = v;
        return SignWithHeader(header, payload);
    }

    /// <summary>A compact JWS with exactly <paramref name="header"/> (its <c>alg</c> says how to sign), e.g. a DPoP proof's typ and jwk.</summary>
    public string SignWithHeader(JsonObject header, JsonObject payload)
    {
        var alg = header["alg"]?.GetValue<string>() ?? Algorithm;
        var input = B64(Encoding.UTF8.GetBytes(header.ToJsonString())) + "." + B64(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        if (alg == "none") return input + ".";
        var data = Encoding.ASCII.GetBytes(input);
        var signature = alg switch
        {
            "HS256" when secret is not null => HMACSHA256.HashData(secret, data),
            "RS256" when rsa is not null => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1),
            "PS256" when rsa is not null => rsa.SignData(data, HashAlgorithmName.SHA256, RSASignaturePadding.Pss),
            // JWS (RFC 7518 §3.4) wants R || S, which is .NET's default IEEE P1363 format.
            "ES256" when ec is not null => ec.SignData(data, HashAlgorithmName.SHA256),
            "ES384" when ec is not null => ec.SignData(data, HashAlgorithmName.SHA384),
            "ES512" when ec is not null => ec.SignData(data, HashAlgorithmName.SHA512),
            _ => throw new InvalidOperationException($"this key cannot sign with alg {alg}"),
        };
        return input + "." + B64(signature);
    }

    private static string B64(byte[] bytes) => Base64Url.EncodeToString(bytes);

    private static string RsaThumbprint(RSA r)
    {
        var p = r.ExportParameters(false);
        return JwkThumbprint.Rsa(B64(p.Exponent!), B64(p.Modulus!));
    }

    private static string EcThumbprint(ECDsa e)
    {
        var p = e.ExportParameters(false);
        return JwkThumbprint.Ec(Curve(p), B64(p.Q.X!), B64(p.Q.Y!));
    }

    private static string Curve(ECParameters p) => p.Curve.Oid.FriendlyName switch
    {
        "nistP256" or "ECDSA_P256" => "P-256",
        "nistP384" or "ECDSA_P384" => "P-384",
        "nistP521" or "ECDSA_P521" => "P-521",
        var other => other ?? "P-256",
    };
}
