using System.Collections.Concurrent;
using System.Text.RegularExpressions;

namespace OidcConformance.Http;

/// <summary>
/// Removes secrets from anything the harness prints or writes: values it was told about (client secrets, passwords,
/// every token and code a provider issued) and anything that looks like a credential (JWTs, bearer and basic
/// credentials, secret-bearing form and JSON fields). Redaction is applied at output time; checks see raw values.
/// </summary>
public static partial class Redactor
{
    private static readonly ConcurrentDictionary<string, string> known = new();

    /// <summary>Fields whose values are credentials wherever they appear (query, form, JSON, fragment).</summary>
    public static readonly IReadOnlyList<string> SecretFields =
    [
        "access_token", "refresh_token", "id_token", "code", "client_secret", "password", "code_verifier",
        "client_assertion", "token", "id_token_hint", "logout_token", "device_code", "assertion", "subject_token",
    ];

    /// <summary>Registers a value that must never appear in output. Short values are ignored (too many false hits).</summary>
    public static void Register(string? secret, string kind = "secret")
    {
        if (string.IsNullOrEmpty(secret) || secret.Length < 6) return;
        known.TryAdd(secret, kind);
    }

    public static string Redact(string? text)
    {
        if (string.IsNullOrEmpty(text)) return text ?? "";
        var result = text;
        foreach (var (secret, kind) in known.ToArray().OrderByDescending(k => k.Key.Length)) // ToArray: an atomic snapshot while other threads register secrets
        {
            if (result.Contains(secret, StringComparison.Ordinal))
                result = result.Replace(secret, $"[redacted {kind}]", StringComparison.Ordinal);
            var encoded = Uri.EscapeDataString(secret);
            if (encoded != secret && result.Contains(encoded, StringComparison.Ordinal))
                result = result.Replace(encoded, $"[redacted {kind}]", StringComparison.Ordinal);
        }
        result = JwtPattern().Replace(result, m => $"[redacted jwt {m.Value[..Math.Min(8, m.Value.Length)]}…]");
        result = AuthHeaderPattern().Replace(result, m => $"{m.Groups["scheme"].Value} [redacted]");
        result = FormFieldPattern().Replace(result, m => $"{m.Groups["name"].Value}=[redacted]");
        result = JsonFieldPattern().Replace(result, m => $"\"{m.Groups["name"].Value}\":{m.Groups["ws"].Value}\"[redacted]\"");
        return result;
    }

    // Three base64url segments starting with a JSON header ("eyJ"): signed or unsigned JWTs, JWEs start the same way.
    [GeneratedRegex(@"eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*(\.[A-Za-z0-9_-]*\.[A-Za-z0-9_-]*)?")]
    private static partial Regex JwtPattern();

    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|DPoP))\s+(?!\[redacted)[A-Za-z0-9._~+/=-]+", RegexOptions.IgnoreCase)]
    private static partial Regex AuthHeaderPattern();

    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<name>access_token|refresh_token|id_token|code|client_secret|password|code_verifier|client_assertion|token|id_token_hint|logout_token|device_code|assertion|subject_token|accessToken)=(?!\[redacted)[^&\s""'#<]+")]
    private static partial Regex FormFieldPattern();

    [GeneratedRegex(@"""(?<name>access_token|refresh_token|id_token|code|client_secret|password|code_verifier|client_assertion|token|id_token_hint|logout_token|device_code|accessToken|refreshToken)""\s*:(?<ws>\s*)""(?!\[redacted)[^""]*""")]
    private static partial Regex JsonFieldPattern();
}
