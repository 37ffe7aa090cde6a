using System.Text;
using System.Text.Json;
using OidcConformance.Http;

namespace OidcConformance.Tokens;

/// <summary>
/// A JWT split and decoded by hand, so checks can see exactly what the provider sent (header members, claim JSON
/// types, a missing signature) even when a library would refuse the token. <see cref="Problem"/> says why a string
/// is not a JWS compact serialization.
/// </summary>
public sealed class DecodedJwt
{
    public string Raw { get; }
    public JsonElement Header { get; }
    public JsonElement Payload { get; }
    public string SigningInput { get; } = "";
    public byte[] Signature { get; } = [];
    public string? Problem { get; }
    public bool IsValid => Problem is null;

    private DecodedJwt(string raw, string problem) { Raw = raw; Problem = problem; }

    private DecodedJwt(string raw, JsonElement header, JsonElement payload, string signingInput, byte[] signature)
    {
        Raw = raw; Header = header; Payload = payload; SigningInput = signingInput; Signature = signature;
    }

    public static DecodedJwt Decode(string? raw)
    {
        if (string.IsNullOrEmpty(raw)) return new DecodedJwt(raw ?? "", "no token");
        var parts = raw.Split('.');
        if (parts.Length == 5) return new DecodedJwt(raw, "the token is a JWE (5 parts); an unencrypted JWS was expected");
        if (parts.Length != 3) return new DecodedJwt(raw, $"not a JWT: {parts.Length} dot-separated parts instead of 3 (truncated or opaque token?)");
        try
        {
            var header = ParseJson(parts[0], "header");
            var payload = ParseJson(parts[1], "payload");
            if (header.ValueKind != JsonValueKind.Object) return new DecodedJwt(raw, "the JWT header is not a JSON object");
            if (payload.ValueKind != JsonValueKind.Object) return new DecodedJwt(raw, "the JWT payload is not a JSON object");
            var signature = parts[2].Length == 0 ? [] : Base64UrlDecode(parts[2]);
            return new DecodedJwt(raw, header, payload, parts[0] + "." + parts[1], signature);
        }
        catch (FormatException e) { return new DecodedJwt(raw, e.Message); }
    }

    private static JsonElement ParseJson(string segment, string what)
    {
        byte[] bytes;
        try { bytes = Base64UrlDecode(segment); }
        catch (FormatException) { throw new FormatException($"the JWT {what} is not valid base64url"); }
        try
        {
            using var doc = JsonDocument.Parse(bytes);
            return doc.RootElement.Clone();
        }
        catch (JsonException) { throw new FormatException($"the JWT {what} is not valid JSON (truncated token?)"); }
    }

    public static byte[] Base64UrlDecode(string s)
    {
        if (s.Any(c => !(char.IsAsciiLetterOrDigit(c) || c is '-' or '_')))
            throw new FormatException("invalid base64url character");
        var padded = s.Replace('-', '+').Replace('_', '/');
        padded += (padded.Length % 4) switch { 2 => "==", 3 => "=", 0 => "", _ => throw new FormatException("invalid base64url length") };
        return Convert.FromBase64String(padded);
    }

    public static string Base64UrlEncode(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public string? Alg => HeaderString("alg");
    public string? Kid => HeaderString("kid");
    public string? HeaderString(string name) =>
        IsValid && Header.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public JsonElement? Claim(string name) => IsValid && Payload.TryGetProperty(name, out var v) ? v : null;
    public string? ClaimString(string name) => Claim(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    /// <summary>A NumericDate claim (RFC 7519 §2) as seconds since the epoch; null when absent or not a number.</summary>
    public long? NumericDate(string name) =>
        Claim(name) is { ValueKind: JsonValueKind.Number } v ? (long)Math.Floor(v.GetDouble()) : null;

    /// <summary><c>aud</c> as a list, whether the provider sent a string or an array.</summary>
    public IReadOnlyList<string> Audiences => Claim("aud") switch
    {
        { ValueKind: JsonValueKind.String } s => [s.GetString()!],
        { ValueKind: JsonValueKind.Array } a => a.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList(),
        _ => [],
    };

    /// <summary>Header and payload as indented JSON, for evidence. The signature is never printed.</summary>
    public string DescribeForEvidence()
    {
        if (!IsValid) return $"undecodable token: {Problem}";
        var opts = new JsonSerializerOptions { WriteIndented = true };
        return Redactor.Redact("header: " + JsonSerializer.Serialize(Header, opts) + "\npayload: " + JsonSerializer.Serialize(Payload, opts));
    }

    public override string ToString() => IsValid ? $"JWT(alg={Alg}, kid={Kid})" : $"JWT({Problem})";
}
