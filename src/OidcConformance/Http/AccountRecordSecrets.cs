using System.Text.Json;

namespace OidcConformance.Http;

/// <summary>
/// Redaction policy for a user record a provider returns whole (Casdoor's /api/get-account: its <c>data</c> may carry tokens
/// and hashes, data.accessToken, A-44): every string member of 8 characters or more whose name says token, password,
/// secret, salt or recovery is registered with the <see cref="Redactor"/>, so that no report prints it.
/// </summary>
public static class AccountRecordSecrets
{
    public static void Register(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } o) return;
        foreach (var p in o.EnumerateObject())
        {
            var name = p.Name.ToLowerInvariant();
            if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: >= 8 } v &&
                (name.Contains("token") || name.Contains("password") || name.Contains("secret") || name.Contains("salt") || name.Contains("recovery")))
                Redactor.Register(v, p.Name);
        }
    }
}
