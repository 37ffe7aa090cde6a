using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Support;

/// <summary>
/// The back-channel exchanges of the real Casdoor 3.158.0 run (Recorded/casdoor-3.158.0/exchanges.json, recorded with
/// OIDC_RECORD_DIR): the artifacts that fooled checks on a real provider, replayed through the fixed checks. An exchange
/// is named by its recorded purpose and, where the purpose repeats, by the time in its Date header (which also ties it to
/// the failure bundle under Recorded/casdoor-3.158.0/failures/ that shows its request).
/// </summary>
public static class CasdoorRecording
{
    private static readonly Lazy<List<JsonElement>> exchanges = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Recorded", "casdoor-3.158.0", "exchanges.json");
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    });

    /// <param name="purpose">The recorded purpose, exactly.</param>
    /// <param name="time">HH:mm:ss of the Date header, when the purpose is recorded more than once.</param>
    public static HttpExchange Exchange(string purpose, string? time = null)
    {
        var matches = exchanges.Value.Where(x => x.GetProperty("purpose").GetString() == purpose)
            .Where(x => time is null || x.GetProperty("headers").GetProperty("Date").GetString()!.Contains($" {time} ", StringComparison.Ordinal)).ToList();
        if (matches.Count == 0) throw new InvalidOperationException($"no recorded Casdoor exchange '{purpose}'{(time is null ? "" : $" at {time}")}");
        var e = matches[0];
        return Make.Exchange(e.GetProperty("status").GetInt32(), e.GetProperty("body").GetString()!,
            e.GetProperty("headers").TryGetProperty("Content-Type", out var ct) ? ct.GetString()! : "",
            e.GetProperty("url").GetString()!, e.GetProperty("method").GetString()!,
            e.GetProperty("headers").EnumerateObject().Where(h => h.Name != "Content-Type").Select(h => (h.Name, h.Value.GetString()!)).ToArray());
    }

    public static TokenResponse Token(string purpose, string? time = null)
    {
        var e = Exchange(purpose, time);
        return new TokenResponse(e, JsonBody.From(e));
    }

    public static DiscoveryDocument Discovery
    {
        get
        {
            var e = Exchange("discovery");
            return new DiscoveryDocument(e.Url.ToString(), e, JsonBody.From(e));
        }
    }
}
