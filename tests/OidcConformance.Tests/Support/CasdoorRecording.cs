using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Support;

/// <summary>
/// The back-channel exchanges of the real Casdoor 3.158.0 run (Recorded/casdoor-3.158.0/exchanges.json, recorded with
/// OIDC_RECORD_DIR): the artifacts that fooled checks on a real provider, replayed through the fixed checks. An exchange
/// is named by its recorded purpose and, where the purpose repeats, by the time in its Date header (which also ties it to
/// the failure bundle under Recorded/casdoor-3.158.0/failures/ that shows its request). Also the artifacts that fooled the
/// profile-driven claim checks, and what Casdoor's tokens really carry.
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

    // What the claim checks were judged on: the reference flow, the scope matrix, the committed profile.

    private static string Purpose(JsonElement e) => e.GetProperty("purpose").GetString()!;
    private static string Body(JsonElement e) => e.GetProperty("body").GetString()!;

    /// <summary>The code-flow token responses (client_secret_basic, 200), in recording order.</summary>
    private static IEnumerable<(int Index, JsonElement Json)> CodeTokens() =>
        exchanges.Value.Select((e, i) => (e, i))
            .Where(x => Purpose(x.e) == "token: authorization_code (client_secret_basic)" && x.e.GetProperty("status").GetInt32() == 200)
            .Select(x => (x.i, JsonDocument.Parse(Body(x.e)).RootElement.Clone()));

    /// <summary>The reference code flow: the run's first token response, granting every scope of the confidential client (exchange 1).</summary>
    public static JsonElement ReferenceToken => CodeTokens().First(t => t.Json.GetProperty("scope").GetString() == "openid profile email address phone offline_access").Json;

    public static DecodedJwt ReferenceIdToken => DecodedJwt.Decode(ReferenceToken.GetProperty("id_token").GetString());
    public static string ReferenceAccessToken => ReferenceToken.GetProperty("access_token").GetString()!;

    /// <summary>
    /// The UserInfo suite's GET with the reference flow's access token (exchange 49): the first "userinfo GET" that carries
    /// claims of every scope; the recorded userinfo.scope-claims verdicts ("3/2/1/1 claim(s) as mapped") were judged on it.
    /// </summary>
    public static JsonBody ReferenceUserInfo => JsonBody.Parse(Body(exchanges.Value.First(e => Purpose(e) == "userinfo GET" && Body(e).Contains("\"email_verified\""))));

    /// <summary>The scope-matrix flow that was granted exactly <paramref name="scope"/> (exchanges 146–157): its token response and UserInfo.</summary>
    public static (JsonElement Token, DecodedJwt IdToken, JsonBody UserInfo) Subset(string scope)
    {
        var (index, json) = CodeTokens().Last(t => t.Json.GetProperty("scope").GetString() == scope);
        return (json, DecodedJwt.Decode(json.GetProperty("id_token").GetString()), UserInfoAfter(index));
    }

    private static JsonBody UserInfoAfter(int tokenIndex)
    {
        var e = exchanges.Value[tokenIndex + 1];
        if (Purpose(e) != "userinfo GET") throw new InvalidOperationException($"exchange {tokenIndex + 1} is '{Purpose(e)}', not the UserInfo GET of the flow");
        return JsonBody.Parse(Body(e));
    }

    /// <summary>The Casdoor profile as committed (the claim table that listed the non-standard shapes; alice's password).</summary>
    public static TestUser Alice =>
        ProfileLoader.Load(Path.Combine(Run.RunSettings.FindRepositoryRoot(AppContext.BaseDirectory), "fixtures/providers/casdoor/profile.json")).PrimaryUser;
}
