using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Support;

/// <summary>
/// Real PKCE and refresh-token exchanges recorded from one run against the embedded node-oidc-provider
/// (OIDC_RECORD_DIR, suites Pkce and Refresh), renamed by step. The discovery document and JWKS are the same run's,
/// so the recorded ID tokens verify against them.
/// </summary>
public static class RecordedPkceRefresh
{
    private static readonly Lazy<List<JsonElement>> exchanges = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Recorded", "node-oidc-provider", "pkce-refresh.json");
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    });

    public static HttpExchange Exchange(string purpose)
    {
        var e = exchanges.Value.First(x => x.GetProperty("purpose").GetString() == purpose);
        return Make.Exchange(e.GetProperty("status").GetInt32(), e.GetProperty("body").GetString()!,
            e.GetProperty("headers").TryGetProperty("Content-Type", out var ct) ? ct.GetString()! : "",
            e.GetProperty("url").GetString()!, headers: e.GetProperty("headers").EnumerateObject()
                .Where(h => h.Name != "Content-Type").Select(h => (h.Name, h.Value.GetString()!)).ToArray());
    }

    public static TokenResponse Token(string purpose)
    {
        var e = Exchange(purpose);
        return new TokenResponse(e, JsonBody.From(e));
    }

    public static DiscoveryDocument Discovery
    {
        get
        {
            var body = Exchange("discovery").ResponseBody;
            var issuer = JsonDocument.Parse(body).RootElement.GetProperty("issuer").GetString()!;
            return Make.Discovery(body, issuer + "/.well-known/openid-configuration");
        }
    }

    public static JwksDocument Jwks => Make.Jwks(Exchange("jwks").ResponseBody);

    public static DecodedJwt IdToken(string purpose) => DecodedJwt.Decode(Token(purpose).IdToken);

    /// <summary>The refresh token a recorded token response carries.</summary>
    public static string RefreshToken(string purpose) => Token(purpose).RefreshToken!;
}
