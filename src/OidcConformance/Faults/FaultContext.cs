using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OidcConformance.Http;

namespace OidcConformance.Faults;

/// <summary>Which provider endpoint a request is for (learned from the provider's discovery document).</summary>
public enum Endpoint { Other, Discovery, Jwks, Authorization, Token, UserInfo, Introspection, Revocation, EndSession, Registration,
    // device
    DeviceAuthorization }

/// <summary>
/// What faults work with: the endpoints, the proxy's signing keys, a table of rewritten tokens (so that a token the
/// proxy re-signed is given back to the provider in its original form, e.g. as id_token_hint), and per-fault state.
/// </summary>
public sealed partial class FaultContext(string upstreamOrigin, HttpClient client)
{
    private readonly SemaphoreSlim endpointsGate = new(1, 1);
    private Dictionary<string, Endpoint>? endpoints;
    private readonly ConcurrentDictionary<string, string> originals = new();

    public string UpstreamOrigin { get; } = upstreamOrigin;
    public string Origin { get; internal set; } = "";
    /// <summary>The proxy's published signing key: tokens it re-signs with it verify against the JWK Set it serves.</summary>
    public ProxyKey Key { get; } = ProxyKey.Create("proxy");
    /// <summary>A key that is never published.</summary>
    public ProxyKey RogueKey { get; } = ProxyKey.Create("rogue");
    /// <summary>Free-form state of stateful faults (cached responses, remembered redirect URIs).</summary>
    public ConcurrentDictionary<string, object> State { get; } = new();
    /// <summary>The redirect URI registered for the clients (the suite's callback).</summary>
    public string? RegisteredRedirectUri { get; set; }
    /// <summary>The post_logout_redirect_uri registered for the clients (the suite's logout callback).</summary>
    public string? RegisteredPostLogoutRedirectUri { get; set; }
    /// <summary>Client ids of public clients (PKCE is mandatory for them).</summary>
    public HashSet<string> PublicClients { get; } = [];
    /// <summary>The secrets of the profile's confidential clients, by client id: a fault that models a provider which does not check
    /// which client redeems a code presents the request to the provider as the code's own client (KeyAndTokenFaults).</summary>
    public Dictionary<string, string> ClientSecrets { get; } = [];
    /// <summary>The private keys of the profile's private_key_jwt clients, by client id, in memory only: a fault that models a
    /// provider which does not validate some member of a client assertion re-signs the assertion as the client (ClientAuthFaults).</summary>
    public Dictionary<string, Tokens.ClientSigningKey> ClientKeys { get; } = [];

    /// <summary>
    /// The path of the provider's discovery document: its issuer's path + /.well-known/openid-configuration (OIDC Discovery
    /// §4.1). node-oidc-provider's issuer is the bare origin; OpenIddict's host puts its issuer under /oidc. The run sets it
    /// from the issuer the provider announced (ConformanceRun).
    /// </summary>
    public string DiscoveryPath { get; set; } = "/.well-known/openid-configuration";

    public Endpoint Classify(ProxyRequest r)
    {
        if (r.Path == DiscoveryPath) return Endpoint.Discovery;
        return endpoints is not null && endpoints.TryGetValue(r.Path, out var e) ? e : Endpoint.Other;
    }

    public bool Is(ProxyRequest r, Endpoint e) => Classify(r) == e;

    /// <summary>The endpoint itself or a page below it (node-oidc-provider's logout confirmation posts to /session/end/confirm).</summary>
    public bool IsUnder(ProxyRequest r, Endpoint e) =>
        Is(r, e) || endpoints?.Any(p => p.Value == e && r.Path.StartsWith(p.Key.TrimEnd('/') + "/", StringComparison.Ordinal)) == true;

    internal async Task EnsureEndpointsAsync(string host)
    {
        if (endpoints is not null) return;
        await endpointsGate.WaitAsync();
        try
        {
            if (endpoints is not null) return;
            var discovery = new ProxyRequest("GET", DiscoveryPath, "", []) { Host = host };
            var response = await SendUpstreamAsync(discovery);
            var json = response.Json ?? throw new InvalidOperationException($"upstream discovery answered {response.Status} without JSON");
            var map = new Dictionary<string, Endpoint>();
            void Add(string field, Endpoint e)
            {
                if (json[field]?.GetValue<string>() is { } url && Uri.TryCreate(url, UriKind.Absolute, out var u)) map[u.AbsolutePath] = e;
            }
            Add("jwks_uri", Endpoint.Jwks); Add("authorization_endpoint", Endpoint.Authorization); Add("token_endpoint", Endpoint.Token);
            Add("userinfo_endpoint", Endpoint.UserInfo); Add("introspection_endpoint", Endpoint.Introspection);
            Add("revocation_endpoint", Endpoint.Revocation); Add("end_session_endpoint", Endpoint.EndSession);
            Add("registration_endpoint", Endpoint.Registration); // its client configuration URIs lie below it (IsUnder)
            Add("device_authorization_endpoint", Endpoint.DeviceAuthorization); // device
            endpoints = map;
        }
        finally { endpointsGate.Release(); }
    }

    internal async Task<ProxyResponse> SendUpstreamAsync(ProxyRequest r)
    {
        using var message = new HttpRequestMessage(new HttpMethod(r.Method), UpstreamOrigin + r.Path + r.Query);
        if (r.Body.Length > 0 || r.Method is "POST" or "PUT" or "PATCH") message.Content = new ByteArrayContent(r.Body);
        foreach (var (k, v) in r.Headers)
        {
            if (k.StartsWith("Content-", StringComparison.OrdinalIgnoreCase))
            {
                message.Content ??= new ByteArrayContent([]);
                message.Content.Headers.TryAddWithoutValidation(k, v);
            }
            else message.Headers.TryAddWithoutValidation(k, v);
        }
        message.Headers.Host = r.Host;
        using var upstreamResponse = await client.SendAsync(message, HttpCompletionOption.ResponseContentRead);
        var body = await upstreamResponse.Content.ReadAsByteArrayAsync();
        var response = new ProxyResponse((int)upstreamResponse.StatusCode, body);
        foreach (var h in upstreamResponse.Headers) foreach (var v in h.Value) response.Headers.Add(new(h.Key, v));
        foreach (var h in upstreamResponse.Content.Headers)
            if (!h.Key.Equals("Content-Length", StringComparison.OrdinalIgnoreCase)) foreach (var v in h.Value) response.Headers.Add(new(h.Key, v));
        return response;
    }

    /// <summary>Every JWK Set passing through carries the proxy's public key too (in every mode, faults or not).</summary>
    internal void AddProxyKey(ProxyRequest request, ProxyResponse response)
    {
        if (Classify(request) != Endpoint.Jwks || response.Status != 200) return;
        response.EditJson(j => (j["keys"] as JsonArray)?.Add(Key.PublicJwk()));
    }

    // ---------------------------------------------------------------- tokens the proxy rewrote

    /// <summary>Remembers that <paramref name="rewritten"/> stands for <paramref name="original"/>.</summary>
    public string Remember(string original, string rewritten)
    {
        if (original != rewritten) originals[rewritten] = original;
        return rewritten;
    }

    /// <summary>Gives the provider back its own tokens wherever the client presents a rewritten one.</summary>
    internal void RestoreOriginals(ProxyRequest r)
    {
        if (originals.IsEmpty) return;
        string Fix(string s)
        {
            foreach (var (rewritten, original) in originals)
                if (s.Contains(rewritten, StringComparison.Ordinal)) s = s.Replace(rewritten, original, StringComparison.Ordinal);
            return s;
        }
        r.Query = Fix(r.Query);
        if (r.Body.Length > 0) r.BodyText = Fix(r.BodyText);
        if (r.Header("Authorization") is { } a) r.SetHeader("Authorization", Fix(a));
    }

    // ---------------------------------------------------------------- JWTs

    public enum Signing { ProxyKey, RogueKey, None, KeepSignature }

    /// <summary>Decodes a compact JWS, lets <paramref name="edit"/> change header and payload, and signs it again.</summary>
    public string RewriteJwt(string jwt, Action<JsonObject, JsonObject> edit, Signing signing = Signing.ProxyKey)
    {
        var parts = jwt.Split('.');
        if (parts.Length != 3) return jwt;
        var header = JsonNode.Parse(Base64Url.DecodeFromChars(parts[0]))!.AsObject();
        var payload = JsonNode.Parse(Base64Url.DecodeFromChars(parts[1]))!.AsObject();
        var originalKid = header["kid"]?.ToJsonString();
        edit(header, payload);
        var key = signing == Signing.RogueKey ? RogueKey : Key;
        if (signing is Signing.ProxyKey or Signing.RogueKey)
        {
            header["alg"] = "RS256";
            if (header.ContainsKey("kid") && header["kid"]?.ToJsonString() == originalKid) header["kid"] = key.Kid;
        }
        if (signing == Signing.None) header["alg"] = "none";
        var h = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(header.ToJsonString()));
        var p = Base64Url.EncodeToString(Encoding.UTF8.GetBytes(payload.ToJsonString()));
        var signature = signing switch
        {
            Signing.None => "",
            Signing.KeepSignature => parts[2],
            _ => Base64Url.EncodeToString(key.Rsa.SignData(Encoding.ASCII.GetBytes($"{h}.{p}"), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)),
        };
        return Remember(jwt, $"{h}.{p}.{signature}");
    }

    /// <summary>Applies <paramref name="edit"/> to every ID token in a response: token endpoint JSON, redirects and form_post pages.</summary>
    public void EditIdTokens(ProxyResponse response, Action<JsonObject, JsonObject> edit, Signing signing = Signing.ProxyKey)
    {
        if (response.Json is { } json && json["id_token"]?.GetValue<string>() is { } token)
            response.EditJson(j => j["id_token"] = RewriteJwt(token, edit, signing));
        EditFrontChannel(response, (name, value) => name == "id_token" ? RewriteJwt(value, edit, signing) : value);
    }

    /// <summary>
    /// Rewrites the authorization response parameters wherever they travel: the query or fragment of a redirect to the
    /// client, or the hidden inputs of a form_post page. Returning null drops the parameter.
    /// </summary>
    public void EditFrontChannel(ProxyResponse response, Func<string, string, string?> edit, IEnumerable<KeyValuePair<string, string>>? add = null)
    {
        if (response.Header("Location") is { } location && !location.StartsWith(Origin, StringComparison.Ordinal) && !location.StartsWith('/'))
        {
            var hashAt = location.IndexOf('#');
            var queryAt = location.IndexOf('?');
            int at = hashAt >= 0 ? hashAt : queryAt;
            if (at >= 0)
            {
                var pairs = FormCodec.Parse(location[(at + 1)..]);
                if (pairs.Any(p => p.Key is "code" or "state" or "id_token" or "access_token" or "error"))
                {
                    var edited = pairs.Select(p => new KeyValuePair<string, string?>(p.Key, edit(p.Key, p.Value)))
                        .Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)).Concat(add ?? []).ToList();
                    response.SetHeader("Location", location[..(at + 1)] + FormCodec.Encode(edited));
                }
            }
        }
        if (response.Header("Content-Type")?.Contains("html") == true && response.BodyText.Contains("<form", StringComparison.OrdinalIgnoreCase)
            && Regex.IsMatch(response.BodyText, "name=\"(state|code|id_token|access_token|error)\""))
        {
            var html = HiddenInput().Replace(response.BodyText, m =>
            {
                var name = System.Net.WebUtility.HtmlDecode(m.Groups["name"].Value);
                var value = System.Net.WebUtility.HtmlDecode(m.Groups["value"].Value);
                var v = edit(name, value);
                if (v == value) return m.Value;
                if (v is null) return "";
                var g = m.Groups["value"];
                return m.Value[..(g.Index - m.Index)] + System.Net.WebUtility.HtmlEncode(v) + m.Value[(g.Index - m.Index + g.Length)..];
            });
            if (add is not null && html.Contains("</form>"))
            {
                var extra = string.Concat(add.Select(p => $"<input type=\"hidden\" name=\"{System.Net.WebUtility.HtmlEncode(p.Key)}\" value=\"{System.Net.WebUtility.HtmlEncode(p.Value)}\"/>"));
                var i = html.IndexOf("</form>", StringComparison.Ordinal);
                html = html[..i] + extra + html[i..];
            }
            response.BodyText = html;
        }
    }

    [GeneratedRegex("<input[^>]*?name=\"(?<name>[^\"]*)\"[^>]*?value=\"(?<value>[^\"]*)\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    public static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();
}

/// <summary>An RSA signing key of the proxy, with an RFC 7638 thumbprint as kid (the scheme node-oidc-provider uses).</summary>
public sealed class ProxyKey
{
    public required RSA Rsa { get; init; }
    public required string Kid { get; init; }

    public static ProxyKey Create(string label, int bits = 2048)
    {
        var rsa = RSA.Create(bits);
        var p = rsa.ExportParameters(false);
        return new ProxyKey { Rsa = rsa, Kid = Tokens.JwkThumbprint.Rsa(Base64Url.EncodeToString(p.Exponent!), Base64Url.EncodeToString(p.Modulus!)) };
    }

    public JsonObject PublicJwk()
    {
        var p = Rsa.ExportParameters(false);
        return new JsonObject
        {
            ["kty"] = "RSA", ["use"] = "sig", ["alg"] = "RS256", ["kid"] = Kid,
            ["e"] = Base64Url.EncodeToString(p.Exponent!), ["n"] = Base64Url.EncodeToString(p.Modulus!),
        };
    }
}
