using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OidcConformance.Http;
using OidcConformance.Tokens;

namespace OidcConformance.Reporting;

/// <summary>The exchanges one check execution made (attributed through <see cref="CheckScope"/>).</summary>
public sealed record CheckExchanges(string Check, string? Case, IReadOnlyList<HttpExchange> Exchanges);

/// <summary>
/// Behaviour facts of a run, derived from its recorded back-channel exchanges (no suite has to report them): the
/// discovery metadata, the claims (names and JSON types) of ID tokens and userinfo responses per granted scope, the
/// <c>sub</c> format, token formats and lifetimes per grant, and the status and error code of every error response per
/// check execution. Never a credential or a claim value except the few that describe behaviour (alg, typ, expires_in,
/// token_type); the migration diff compares these between two runs.
/// </summary>
public static partial class BehaviourFacts
{
    public static JsonObject Derive(IReadOnlyList<HttpExchange> all, IEnumerable<CheckExchanges> checks, IReadOnlyCollection<string> usernames)
    {
        var facts = new JsonObject();
        var discovery = all.FirstOrDefault(e => e.Purpose == "discovery" && e.IsSuccess);
        string? issuer = null;
        if (discovery is not null && Parse(discovery.ResponseBody) is JsonObject meta)
        {
            issuer = (meta["issuer"] as JsonValue)?.TryGetValue<string>(out var i) == true ? i.TrimEnd('/') : null;
            facts["discovery"] = Normalize(meta, issuer);
        }

        // Token responses: per grant type, what comes back; remember which access token carried which scope.
        var scopeOfAccessToken = new Dictionary<string, string>(StringComparer.Ordinal);
        var grants = new SortedDictionary<string, GrantFacts>(StringComparer.Ordinal);
        var idTokenClaims = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        var idTokenHeader = new SortedDictionary<string, SortedSet<string>>(StringComparer.Ordinal);
        var subs = new List<string>();
        var lifetimes = new SortedSet<long>();
        foreach (var e in all.Where(e => e.IsSuccess && e.Method == "POST" && Parse(e.ResponseBody) is JsonObject o && (o["access_token"] is not null || o["id_token"] is not null)))
        {
            var body = (JsonObject)Parse(e.ResponseBody)!;
            var form = Form(e.RequestBody);
            var grant = form.GetValueOrDefault("grant_type") ?? "(none)";
            var g = grants.TryGetValue(grant, out var existing) ? existing : grants[grant] = new GrantFacts();
            foreach (var (k, _) in body) g.Fields.Add(k);
            if (Str(body["expires_in"]) is { } ei) g.ExpiresIn.Add(ei);
            else if (body["expires_in"] is JsonValue ev && ev.TryGetValue<long>(out var eil)) g.ExpiresIn.Add(eil.ToString());
            if (Str(body["token_type"]) is { } tt) g.TokenTypes.Add(tt);
            var scope = ScopeKey(Str(body["scope"]) ?? form.GetValueOrDefault("scope"));
            if (Str(body["access_token"]) is { } at)
            {
                g.AccessTokenFormats.Add(TokenFormat(at));
                scopeOfAccessToken.TryAdd(at, scope);
            }
            if (Str(body["refresh_token"]) is { } rt) g.RefreshTokenFormats.Add(TokenFormat(rt));
            if (Str(body["id_token"]) is { } idt && DecodedJwt.Decode(idt) is { IsValid: true } jwt)
            {
                var claims = idTokenClaims.TryGetValue(scope, out var c) ? c : idTokenClaims[scope] = new(StringComparer.Ordinal);
                foreach (var p in jwt.Payload.EnumerateObject()) Add(claims, p.Name, JsonType(p.Value));
                foreach (var p in jwt.Header.EnumerateObject())
                    Add(idTokenHeader, p.Name, p.Name is "alg" or "typ" or "cty" && p.Value.ValueKind == JsonValueKind.String ? p.Value.GetString()! : JsonType(p.Value));
                if (jwt.Payload.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String) subs.Add(sub.GetString()!);
                if (jwt.Payload.TryGetProperty("exp", out var exp) && jwt.Payload.TryGetProperty("iat", out var iat)
                    && exp.TryGetInt64(out var expS) && iat.TryGetInt64(out var iatS)) lifetimes.Add(expS - iatS);
            }
        }
        facts["tokenEndpoint"] = new JsonObject(grants.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value.ToJson())));
        facts["idToken"] = new JsonObject
        {
            ["header"] = Object(idTokenHeader),
            ["claimsByScope"] = new JsonObject(idTokenClaims.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Object(kv.Value)))),
            ["lifetimeSeconds"] = new JsonArray(lifetimes.Select(l => (JsonNode)l).ToArray()),
        };

        // Userinfo: claims per scope of the access token used; the response format.
        var userinfoClaims = new SortedDictionary<string, SortedDictionary<string, SortedSet<string>>>(StringComparer.Ordinal);
        var userinfoFormats = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var e in all.Where(e => e.IsSuccess && e.Purpose.StartsWith("userinfo", StringComparison.OrdinalIgnoreCase)))
        {
            var bearer = e.RequestHeaders.Where(h => h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                .Select(h => h.Value).FirstOrDefault(v => v.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))?[7..].Trim()
                ?? Form(e.RequestBody).GetValueOrDefault("access_token");
            var scope = bearer is not null && scopeOfAccessToken.TryGetValue(bearer, out var s) ? s : "(token of unknown scope)";
            var ct = MediaType(e.ContentType);
            userinfoFormats.Add(ct);
            JsonElement payload;
            if (Parse(e.ResponseBody) is JsonObject) payload = JsonDocument.Parse(e.ResponseBody).RootElement.Clone();
            else if (DecodedJwt.Decode(e.ResponseBody.Trim()) is { IsValid: true } signed) payload = signed.Payload;
            else continue;
            var claims = userinfoClaims.TryGetValue(scope, out var c) ? c : userinfoClaims[scope] = new(StringComparer.Ordinal);
            foreach (var p in payload.EnumerateObject()) Add(claims, p.Name, JsonType(p.Value));
            if (payload.TryGetProperty("sub", out var sub) && sub.ValueKind == JsonValueKind.String) subs.Add(sub.GetString()!);
        }
        facts["userinfo"] = new JsonObject
        {
            ["contentTypes"] = new JsonArray(userinfoFormats.Select(f => (JsonNode)f).ToArray()),
            ["claimsByScope"] = new JsonObject(userinfoClaims.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)Object(kv.Value)))),
        };
        facts["sub"] = SubFacts(subs, usernames);

        // Error responses per check execution: what a relying party sees when it does something wrong.
        var errors = new JsonArray();
        foreach (var c in checks)
            foreach (var e in c.Exchanges.Where(e => e.Status is not null && e.StatusCode >= 400))
                errors.Add(new JsonObject
                {
                    ["check"] = c.Check, ["case"] = c.Case, ["purpose"] = Redactor.Redact(e.Purpose),
                    ["request"] = $"{e.Method} {RelativePath(e.Url, issuer)}", ["status"] = e.StatusCode,
                    ["error"] = ErrorCode(e),
                });
        facts["errors"] = errors;
        return facts;
    }

    private sealed class GrantFacts
    {
        public SortedSet<string> Fields { get; } = new(StringComparer.Ordinal);
        public SortedSet<string> ExpiresIn { get; } = new(StringComparer.Ordinal);
        public SortedSet<string> TokenTypes { get; } = new(StringComparer.Ordinal);
        public SortedSet<string> AccessTokenFormats { get; } = new(StringComparer.Ordinal);
        public SortedSet<string> RefreshTokenFormats { get; } = new(StringComparer.Ordinal);

        public JsonObject ToJson() => new()
        {
            ["responseFields"] = Array(Fields), ["expiresIn"] = Array(ExpiresIn), ["tokenType"] = Array(TokenTypes),
            ["accessTokenFormat"] = Array(AccessTokenFormats), ["refreshTokenFormat"] = Array(RefreshTokenFormats),
        };
    }

    private static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode)v).ToArray());

    private static JsonObject Object(SortedDictionary<string, SortedSet<string>> map) =>
        new(map.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)string.Join("|", kv.Value))));

    private static void Add(SortedDictionary<string, SortedSet<string>> map, string key, string value)
    {
        if (!map.TryGetValue(key, out var set)) map[key] = set = new SortedSet<string>(StringComparer.Ordinal);
        set.Add(value);
    }

    private static JsonObject SubFacts(List<string> subs, IReadOnlyCollection<string> usernames)
    {
        var distinct = subs.Distinct(StringComparer.Ordinal).ToList();
        if (distinct.Count == 0) return new JsonObject { ["format"] = "(no sub seen)" };
        var formats = new SortedSet<string>(distinct.Select(s => SubFormat(s, usernames)), StringComparer.Ordinal);
        return new JsonObject
        {
            ["format"] = string.Join("|", formats),
            ["length"] = new JsonArray(distinct.Select(s => s.Length).Distinct().Order().Select(l => (JsonNode)l).ToArray()),
        };
    }

    /// <summary>What kind of identifier a sub is, never its value.</summary>
    public static string SubFormat(string sub, IReadOnlyCollection<string> usernames)
    {
        if (usernames.Any(u => u.Equals(sub, StringComparison.OrdinalIgnoreCase))) return "username";
        if (usernames.Any(u => sub.Contains(u, StringComparison.OrdinalIgnoreCase))) return "contains username";
        if (sub.Contains('@')) return "email-like";
        if (GuidPattern().IsMatch(sub)) return "uuid";
        if (sub.All(char.IsAsciiDigit)) return "numeric";
        if (sub.All(char.IsAsciiHexDigit)) return "hex";
        return "opaque random string";
    }

    public static string TokenFormat(string token)
    {
        var parts = token.Split('.');
        if (parts.Length == 5) return "jwe";
        if (parts.Length == 3 && DecodedJwt.Decode(token) is { IsValid: true } jwt)
            return jwt.Header.TryGetProperty("typ", out var typ) && typ.ValueKind == JsonValueKind.String ? $"jwt ({typ.GetString()})" : "jwt";
        return "opaque";
    }

    private static string ErrorCode(HttpExchange e)
    {
        if (Parse(e.ResponseBody) is JsonObject o && Str(o["error"]) is { } code) return code;
        var www = e.Header("WWW-Authenticate");
        if (www is not null && ErrorParam().Match(www) is { Success: true } m) return m.Groups[1].Value + " (WWW-Authenticate)";
        return e.IsJsonContentType ? "(no error member)" : $"(non-JSON body, {MediaType(e.ContentType)})";
    }

    private static string RelativePath(Uri url, string? issuer)
    {
        if (!url.IsAbsoluteUri) return Redactor.Redact(url.OriginalString);
        var path = url.GetLeftPart(UriPartial.Path);
        if (issuer is not null && path.StartsWith(issuer, StringComparison.Ordinal)) path = "{issuer}" + path[issuer.Length..];
        else if (issuer is not null && Uri.TryCreate(issuer, UriKind.Absolute, out var iu) && url.Authority == iu.Authority) path = url.AbsolutePath;
        return Redactor.Redact(path);
    }

    private static string MediaType(string? contentType) =>
        contentType is null ? "(none)" : MediaTypeHeaderValue.TryParse(contentType, out var m) ? m.MediaType ?? contentType : contentType;

    private static JsonNode Normalize(JsonNode node, string? issuer) => node switch
    {
        JsonObject o => new JsonObject(o.OrderBy(kv => kv.Key, StringComparer.Ordinal).Select(kv => KeyValuePair.Create(kv.Key, kv.Value is null ? null : (JsonNode?)Normalize(kv.Value, issuer)))),
        JsonArray a => new JsonArray(a.Select(x => x is null ? null : Normalize(x, issuer)).ToArray()),
        JsonValue v when issuer is not null && v.TryGetValue<string>(out var s) && s.StartsWith(issuer, StringComparison.Ordinal) => "{issuer}" + s[issuer.Length..],
        _ => node.DeepClone(),
    };

    private static string ScopeKey(string? scope) =>
        string.IsNullOrWhiteSpace(scope) ? "(scope not stated)" : string.Join(' ', scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));

    private static string JsonType(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.String => "string", JsonValueKind.Number => "number", JsonValueKind.True or JsonValueKind.False => "boolean",
        JsonValueKind.Array => "array", JsonValueKind.Object => "object", JsonValueKind.Null => "null", _ => "undefined",
    };

    private static string? Str(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;

    private static JsonNode? Parse(string? body)
    {
        if (string.IsNullOrWhiteSpace(body) || body.TrimStart()[0] is not ('{' or '[')) return null;
        try { return JsonNode.Parse(body); } catch (JsonException) { return null; }
    }

    private static Dictionary<string, string> Form(string? body)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        if (string.IsNullOrEmpty(body) || body.TrimStart().StartsWith('{')) return map;
        foreach (var pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = pair.IndexOf('=');
            var k = Uri.UnescapeDataString((i < 0 ? pair : pair[..i]).Replace('+', ' '));
            var v = i < 0 ? "" : Uri.UnescapeDataString(pair[(i + 1)..].Replace('+', ' '));
            map.TryAdd(k, v);
        }
        return map;
    }

    [GeneratedRegex("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$")]
    private static partial Regex GuidPattern();

    [GeneratedRegex("error=\"?([A-Za-z0-9_.-]+)")]
    private static partial Regex ErrorParam();
}
