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
    private static volatile KnownSecrets? snapshot;

    /// <summary>
    /// The registered secrets as one redaction pass needs them: longest first (a secret containing another is replaced
    /// whole), with their URL-encoded forms, and a multi-string search that tells in one scan whether any occurs at all —
    /// most texts hold none, and scanning once per secret made every report rewrite slow.
    /// </summary>
    private sealed record KnownSecrets(int Count, (string Secret, string? Encoded, string Kind)[] Ordered, System.Buffers.SearchValues<string> Any);

    private static KnownSecrets? Snapshot()
    {
        var current = snapshot;
        if (current is not null && current.Count == known.Count) return current;
        var all = known.ToArray();
        if (all.Length == 0) return null;
        var ordered = all.OrderByDescending(k => k.Key.Length)
            .Select(k => (k.Key, Uri.EscapeDataString(k.Key) is var e && e != k.Key ? e : null, k.Value)).ToArray();
        var needles = ordered.SelectMany(o => o.Item2 is null ? new[] { o.Key } : [o.Key, o.Item2]).Distinct().ToArray();
        current = new KnownSecrets(all.Length, ordered, System.Buffers.SearchValues.Create(needles, StringComparison.Ordinal));
        snapshot = current;
        return current;
    }

    /// <summary>Fields whose values are credentials wherever they appear (query, form, JSON, fragment).</summary>
    public static readonly IReadOnlyList<string> SecretFields =
    [
        "access_token", "refresh_token", "id_token", "code", "client_secret", "password", "code_verifier",
        "client_assertion", "token", "id_token_hint", "logout_token", "device_code", "assertion", "subject_token",
        "registration_access_token",
        // device: the user code approves a device at verification_uri while it lives (RFC 8628 §5.1)
        "user_code",
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
        // Registered secrets are only ever added, so a snapshot with as many entries as the dictionary is current.
        if (Snapshot() is { } secrets && result.AsSpan().IndexOfAny(secrets.Any) >= 0)
        {
            foreach (var (secret, encoded, kind) in secrets.Ordered)
            {
                if (result.Contains(secret, StringComparison.Ordinal))
                    result = result.Replace(secret, $"[redacted {kind}]", StringComparison.Ordinal);
                if (encoded is not null && result.Contains(encoded, StringComparison.Ordinal))
                    result = result.Replace(encoded, $"[redacted {kind}]", StringComparison.Ordinal);
            }
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

    // A credential after an authentication scheme (RFC 9110 §11.4: token68). Left alone, because they carry no credential: an
    // auth-param of a challenge (`Bearer realm="…"`, `error=invalid_token`: a name, "=" and a value) and a plain lower-case word
    // (prose such as "HTTP Basic authentication"; tokens and base64 credentials are not spelled that way).
    [GeneratedRegex(@"(?<scheme>\b(?:Bearer|Basic|DPoP))\s+(?!\[redacted)(?![A-Za-z0-9_-]+=[^=\s,])(?!(?-i:[a-z]+)(?![A-Za-z0-9._~+/=-]))[A-Za-z0-9._~+/=-]+", RegexOptions.IgnoreCase)]
    private static partial Regex AuthHeaderPattern();

    // A credential in a form or query; the booleans true and false are values of settings (features.password=false), never credentials.
    [GeneratedRegex(@"(?<![A-Za-z0-9_])(?<name>access_token|refresh_token|id_token|code|client_secret|password|code_verifier|client_assertion|token|id_token_hint|logout_token|device_code|assertion|subject_token|registration_access_token|accessToken|user_code)=(?!\[redacted)(?!(?:true|false)(?![^&\s""'#<]))[^&\s""'#<]+")]
    private static partial Regex FormFieldPattern();

    [GeneratedRegex(@"""(?<name>access_token|refresh_token|id_token|code|client_secret|password|code_verifier|client_assertion|token|id_token_hint|logout_token|device_code|assertion|subject_token|registration_access_token|accessToken|refreshToken|user_code)""\s*:(?<ws>\s*)""(?!\[redacted)[^""]*""")]
    private static partial Regex JsonFieldPattern();
}
