using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Support;

/// <summary>
/// Introspection, revocation and token-use responses recorded from the Introspection and Revocation suites against the
/// embedded node-oidc-provider (OIDC_RECORD_DIR, then filtered: no response here carries a token).
/// </summary>
public static class RecordedTokenManagement
{
    private static readonly Lazy<List<JsonElement>> exchanges = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Recorded", "node-oidc-provider", "token-management.json");
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    });

    /// <summary>The first recorded exchange whose purpose starts with <paramref name="purposePrefix"/>, with that status and a body containing <paramref name="bodyContains"/>.</summary>
    public static HttpExchange Exchange(string purposePrefix, int status, string bodyContains = "", string? bodyLacks = null)
    {
        var e = exchanges.Value.First(x => x.GetProperty("purpose").GetString()!.StartsWith(purposePrefix, StringComparison.Ordinal)
                                           && x.GetProperty("status").GetInt32() == status
                                           && x.GetProperty("body").GetString()!.Contains(bodyContains, StringComparison.Ordinal)
                                           && (bodyLacks is null || !x.GetProperty("body").GetString()!.Contains(bodyLacks, StringComparison.Ordinal)));
        var headers = e.GetProperty("headers");
        return Make.Exchange(status, e.GetProperty("body").GetString()!,
            headers.TryGetProperty("Content-Type", out var ct) ? ct.GetString()! : "",
            e.GetProperty("url").GetString()!, method: e.GetProperty("method").GetString()!,
            headers: headers.EnumerateObject().Where(h => h.Name != "Content-Type").Select(h => (h.Name, h.Value.GetString()!)).ToArray());
    }

    public static IntrospectionResponse Introspection(string purposePrefix, int status, string bodyContains = "", string? bodyLacks = null) =>
        IntrospectionResponse.From(Exchange(purposePrefix, status, bodyContains, bodyLacks));

    /// <summary>The confidential client's own access token, active (hint access_token).</summary>
    public static IntrospectionResponse ActiveAccessToken => Introspection("introspection (conf-client, hint access_token)", 200, "\"client_id\":\"conf-client\",");
    public static IntrospectionResponse Inactive => Introspection("introspection (conf-client, hint none)", 200, "\"active\":false");
    public static IntrospectionResponse SecondClientsToken => Introspection("introspection (conf-client, hint access_token)", 200, "\"client_id\":\"conf-client-2\"");
    public static IntrospectionResponse ActiveRefreshToken => Introspection("introspection (conf-client, hint refresh_token)", 200, "\"active\":true", "token_type");
    public static IntrospectionResponse NoCredentials => Introspection("introspection (no credentials", 400);
    public static IntrospectionResponse WrongSecret => Introspection("introspection (conf-client, wrong secret", 401);

    public static HttpExchange Revoked => Exchange("revocation (conf-client, hint refresh_token)", 200);
    public static HttpExchange RevocationWrongSecret => Exchange("revocation (conf-client, wrong secret", 401);
    public static HttpExchange RevocationNoCredentials => Exchange("revocation (no credentials", 400);
    public static HttpExchange RevocationByOtherClient => Exchange("revocation (conf-client-2", 400);
    public static TokenResponse RefreshAfterRevocation
    {
        get
        {
            var e = Exchange("token: refresh_token (after revocation)", 400);
            return new TokenResponse(e, JsonBody.From(e));
        }
    }
    public static AccessTokenProbe UserInfoWorks => new(AccessTokenProbe.UserInfo, Exchange("userinfo GET (token still valid?)", 200));
    public static AccessTokenProbe UserInfoRefused => new(AccessTokenProbe.UserInfo, Exchange("userinfo GET (token still valid?)", 401));

    /// <summary>iat of the recorded active access token: "now" when that response was made.</summary>
    public static DateTimeOffset RecordedAt =>
        DateTimeOffset.FromUnixTimeSeconds(ActiveAccessToken.Body.Get("iat")!.Value.GetInt64());
}
