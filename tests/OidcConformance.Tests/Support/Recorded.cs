using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Support;

/// <summary>
/// Real responses recorded from a run against the embedded node-oidc-provider (OIDC_RECORD_DIR): the conformant
/// baseline every unit test starts from before it breaks one property.
/// </summary>
public static class Recorded
{
    private static readonly Lazy<List<JsonElement>> exchanges = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Recorded", "node-oidc-provider", "exchanges.json");
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    });

    public static HttpExchange Exchange(string purposePrefix)
    {
        var e = exchanges.Value.First(x => x.GetProperty("purpose").GetString()!.StartsWith(purposePrefix, StringComparison.Ordinal));
        return Make.Exchange(e.GetProperty("status").GetInt32(), e.GetProperty("body").GetString()!,
            e.GetProperty("headers").TryGetProperty("Content-Type", out var ct) ? ct.GetString()! : "",
            e.GetProperty("url").GetString()!, headers: e.GetProperty("headers").EnumerateObject()
                .Where(h => h.Name != "Content-Type").Select(h => (h.Name, h.Value.GetString()!)).ToArray());
    }

    public static string DiscoveryJson => Exchange("discovery").ResponseBody;
    public static string Issuer => JsonDocument.Parse(DiscoveryJson).RootElement.GetProperty("issuer").GetString()!;
    public static DiscoveryDocument Discovery => Make.Discovery(DiscoveryJson, Issuer + "/.well-known/openid-configuration");
    public static JwksDocument Jwks => Make.Jwks(Exchange("jwks").ResponseBody, url: Issuer + "/jwks");
    public static TokenResponse Token
    {
        get
        {
            var e = Exchange("token: authorization_code");
            return new TokenResponse(e, JsonBody.From(e));
        }
    }
    public static HttpExchange UserInfo => Exchange("userinfo GET");
}
