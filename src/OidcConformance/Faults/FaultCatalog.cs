using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using OidcConformance.Http;
using static OidcConformance.Faults.FaultContext;

namespace OidcConformance.Faults;

/// <summary>
/// The named faults: each is a bug a real provider has shipped (Casdoor issue numbers where one is the model) or a
/// classic OpenID Connect implementation mistake. docs/faults.md explains the mechanics.
/// </summary>
public static class FaultCatalog
{
    /// <summary>The proxy without a fault: the baseline every fault is compared with.</summary>
    public static readonly Fault None = new("none", "no fault: the proxy only forwards (and publishes its own key in the JWK Set)", [], []);

    public static Fault? Find(string name) => name == None.Name ? None : All.Concat(OutageFaults.All).FirstOrDefault(f => f.Name == name);

    internal static Kill K(string check, string pattern) => new(check, pattern);

    /// <summary>Casdoor #3162: a failed client authentication at <paramref name="endpoint"/> answered 400 (without its challenge) instead of 401.</summary>
    internal static Action<FaultContext, ProxyRequest, ProxyResponse> InvalidClientAs400(Endpoint endpoint) => (c, q, r) =>
    {
        if (c.Is(q, endpoint) && r.Status == 401) { r.Status = 400; r.SetHeader("WWW-Authenticate", null); }
    };

    // ------------------------------------------------------------------ helpers

    internal static Action<FaultContext, ProxyRequest, ProxyResponse> Discovery(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.EditJson(edit);
    };

    /// <summary>Discovery leaves the values <paramref name="drop"/> picks out of the list <paramref name="member"/> (a provider that works but does not say so).</summary>
    internal static Action<FaultContext, ProxyRequest, ProxyResponse> Unlisted(string member, Func<string?, bool> drop) => Discovery(d =>
    {
        if (d[member] is JsonArray values)
            d[member] = new JsonArray(values.Where(v => !drop(v?.GetValue<string>())).Select(v => v?.DeepClone()).ToArray());
    });

    private static Action<FaultContext, ProxyRequest, ProxyResponse> Jwks(Action<FaultContext, JsonArray> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Jwks) && r.Status == 200) r.EditJson(j => edit(c, (JsonArray)j["keys"]!));
    };

    /// <summary>ID tokens from the token endpoint (code exchange and refresh).</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> TokenEndpointIdToken(Action<JsonObject, JsonObject> edit,
        Signing signing = Signing.ProxyKey, string? grant = null) => (c, q, r) =>
    {
        if (!c.Is(q, Endpoint.Token) || r.Status != 200) return;
        if (grant is not null && q.Param("grant_type") != grant) return;
        if (r.Json?["id_token"]?.GetValue<string>() is { } token) r.EditJson(j => j["id_token"] = c.RewriteJwt(token, edit, signing));
    };

    private static Action<FaultContext, ProxyRequest, ProxyResponse> AnyIdToken(Action<JsonObject, JsonObject> edit, Signing signing = Signing.ProxyKey) =>
        (c, q, r) => c.EditIdTokens(r, edit, signing);

    private static Action<FaultContext, ProxyRequest, ProxyResponse> FrontChannel(Func<string, string, string?> edit) =>
        (c, _, r) => c.EditFrontChannel(r, edit);

    private static Action<FaultContext, ProxyRequest, ProxyResponse> TokenSuccess(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Token) && r.Status == 200) r.EditJson(edit);
    };

    private static Action<FaultContext, ProxyRequest, ProxyResponse> UserInfo(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.UserInfo) && r.Status == 200) r.EditJson(edit);
    };

    private static Action<FaultContext, ProxyRequest> AuthorizationParams(Func<List<KeyValuePair<string, string>>, List<KeyValuePair<string, string>>> edit) => (c, q) =>
    {
        if (!c.Is(q, Endpoint.Authorization)) return;
        if (q.Method == "GET") q.QueryParams = edit(q.QueryParams);
        else if (q.IsForm) q.Form = edit(q.Form);
    };

    /// <summary>Sets a form parameter of a request, at the end (or with null removes it).</summary>
    internal static void SetForm(ProxyRequest q, string name, string? value) =>
        q.Form = value is null ? [.. q.Form.Where(p => p.Key != name)] : [.. q.Form.Where(p => p.Key != name), new(name, value)];

    /// <summary>Replaces a parameter of a request in its query (GET) or form body (POST).</summary>
    private static void SetParam(ProxyRequest q, string name, string value)
    {
        List<KeyValuePair<string, string>> Replace(List<KeyValuePair<string, string>> ps) =>
            ps.Select(p => p.Key == name ? new KeyValuePair<string, string>(name, value) : p).ToList();
        if (q.QueryParams.Any(p => p.Key == name)) q.QueryParams = Replace(q.QueryParams);
        if (q.Form.Any(p => p.Key == name)) q.Form = Replace(q.Form);
    }

    /// <summary>
    /// A post_logout_redirect_uri the provider would refuse is honoured when <paramref name="honoured"/>(given, registered)
    /// says so: the logout goes to the provider with the registered URI (so it is confirmed and ends the session as usual),
    /// remembered by state, and the post-logout redirect that comes back is sent to the given URI instead.
    /// </summary>
    private static Action<FaultContext, ProxyRequest> PostLogoutUriSwap(Func<string, string, bool> honoured) => (c, q) =>
    {
        if (!c.IsUnder(q, Endpoint.EndSession) || c.RegisteredPostLogoutRedirectUri is not { } registered) return;
        if (q.Param("post_logout_redirect_uri") is not { } given || given == registered || !honoured(given, registered)) return;
        if (q.Param("state") is not { } state) return;
        c.State[$"post-logout:{state}"] = given;
        SetParam(q, "post_logout_redirect_uri", registered);
    };

    private static readonly Action<FaultContext, ProxyRequest, ProxyResponse> PostLogoutUriSwapBack = (c, _, r) =>
    {
        if (c.RegisteredPostLogoutRedirectUri is not { } registered || r.Header("Location") is not { } location
            || !location.StartsWith(registered, StringComparison.Ordinal)) return;
        var rest = location[registered.Length..];
        var state = FormCodec.Parse(rest.TrimStart('?')).FirstOrDefault(p => p.Key == "state").Value;
        if (state is null || !c.State.TryGetValue($"post-logout:{state}", out var o) || o is not string given) return;
        r.SetHeader("Location", given + (given.Contains('?') && rest.StartsWith('?') ? "&" + rest[1..] : rest));
    };

    private static string WithoutQuery(string uri) => uri.Split('?', '#')[0];

    private static string RandomHash() => Base64UrlRandom(16);
    private static string Base64UrlRandom(int bytes) => System.Buffers.Text.Base64Url.EncodeToString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(bytes));

    /// <summary>Replays the first successful token response for a repeated grant value (code or refresh token).</summary>
    private static Func<FaultContext, ProxyRequest, Func<ProxyRequest, Task<ProxyResponse>>, Task<ProxyResponse>> ReplayGrant(string grantType, string field) =>
        async (c, q, next) =>
        {
            if (!c.Is(q, Endpoint.Token) || q.Param("grant_type") != grantType || q.Param(field) is not { } value) return await next(q);
            // the same grant presented by the same client for the same scope (other clients, missing authentication and a
            // request for another scope still reach the provider: a provider that accepts a used grant again still answers
            // the request it got, so a narrowed or widened refresh is not answered with an earlier response)
            var key = $"replay:{grantType}:{value}:{q.Header("Authorization")}:{q.Param("client_id")}:{q.Param("client_secret")}:{q.Param("scope")}";
            if (c.State.TryGetValue(key, out var cached)) return ((ProxyResponse)cached).Clone();
            var response = await next(q);
            if (response.Status == 200) c.State[key] = response.Clone();
            return response;
        };

    // ------------------------------------------------------------------ the catalog

    public static readonly IReadOnlyList<Fault> All =
    [
        // ---------------- discovery
        new("discovery-issuer-mismatch", "the discovery document's issuer is not the URL it was fetched from (nor the iss of the tokens)",
            ["Discovery"], [K("discovery.issuer-matches-url", "issuer"), K("discovery.issuer-matches-profile", "issuer")])
        {
            Source = "Casdoor #5582 (per-application discovery issuer differed from the tokens' iss)",
            OnResponse = Discovery(d => d["issuer"] = d["issuer"]!.GetValue<string>() + "/.well-known/app"),
        },
        new("discovery-jwks-uri-missing", "the discovery document has no jwks_uri", ["Discovery", "JWKS"],
            [K("discovery.required-metadata", "jwks_uri")])
        {
            MayTurnInconclusive = ["jwks.fetch", "jwks.usable-signing-key", "jwks.unique-kid", "jwks.no-private-key-material", "jwks.rsa-key-size",
                "jwks.id-token-key-use-sig", "jwks.kty-present", "jwks.kty-registered", "jwks.use-required-when-mixed", "jwks.alg-consistent-with-kty"],
            OnResponse = Discovery(d => d.Remove("jwks_uri")),
        },
        new("discovery-response-types-missing", "response_types_supported is missing from discovery", ["Discovery"],
            [K("discovery.required-metadata", "response_types_supported")])
        {
            // without response_types_supported no implicit response type can be chosen from the metadata, so the implicit probe
            // cannot run a real flow, and a back-channel request can only refute the grant, never show it working
            MayTurnInconclusive = ["discovery.response-types-code", "discovery.advertised-grant-type-works"],
            Source = "Casdoor #514 (metadata out of line with behaviour)",
            OnResponse = Discovery(d => d.Remove("response_types_supported")),
        },
        new("discovery-scopes-without-openid", "scopes_supported does not list openid", ["Discovery"], [K("discovery.scopes-openid", "openid")])
        {
            OnResponse = Discovery(d => d["scopes_supported"] = new JsonArray("profile", "email")),
        },
        new("discovery-relative-endpoint", "the token_endpoint in discovery is a relative URL", ["Discovery"],
            [K("discovery.endpoints-absolute-urls", "token_endpoint")])
        {
            // no request reaches a relative token endpoint, so the probes get no tokens to show a grant (or the endpoints
            // that need a token) working; before, they passed on the profile's word
            MayTurnInconclusive = ["discovery.advertised-grant-type-works", "discovery.advertised-endpoint-works"],
            OnResponse = Discovery(d => d["token_endpoint"] = new Uri(d["token_endpoint"]!.GetValue<string>()).AbsolutePath),
        },
        new("discovery-subject-types-invalid", "subject_types_supported lists an unknown subject type", ["Discovery"],
            [K("discovery.subject-types-valid", "anonymous")])
        {
            OnResponse = Discovery(d => d["subject_types_supported"] = new JsonArray("anonymous")),
        },
        new("discovery-rs256-missing", "id_token_signing_alg_values_supported omits RS256", ["Discovery"],
            [K("discovery.id-token-alg-rs256", "RS256")])
        {
            OnResponse = Discovery(d => d["id_token_signing_alg_values_supported"] = new JsonArray("ES256")),
        },
        new("discovery-claims-without-sub", "claims_supported does not list sub", ["Discovery"], [K("discovery.claims-supported-sub", "sub")])
        {
            OnResponse = Discovery(d => d["claims_supported"] = new JsonArray("name", "email")),
        },
        new("discovery-unknown-response-modes", "response_modes_supported lists non-standard modes", ["Discovery"],
            [K("discovery.response-modes-known", "login|link")])
        {
            Source = "Casdoor #3967 ([\"query\",\"fragment\",\"login\",\"code\",\"link\"])",
            OnResponse = Discovery(d => d["response_modes_supported"] = new JsonArray("query", "fragment", "login", "code", "link")),
        },
        new("discovery-refresh-grant-missing", "grant_types_supported omits refresh_token although refresh works", ["Discovery"],
            [K("discovery.offered-grant-type-advertised", "refresh_token")])
        {
            Source = "Casdoor #4676",
            MayTurnInconclusive = ["discovery.advertised-grant-type-works"],
            OnResponse = Discovery(d => d["grant_types_supported"] = new JsonArray("authorization_code", "implicit", "client_credentials")),
        },
        new("discovery-pkce-methods-missing", "code_challenge_methods_supported is missing although PKCE works", ["Pkce"],
            [K("pkce.methods-advertised", "code_challenge_methods_supported")])
        {
            MayTurnInconclusive = ["pkce.unsupported-method-rejected"],
            OnResponse = Discovery(d => d.Remove("code_challenge_methods_supported")),
        },

        // ---------------- JWKS
        new("jwks-unrelated-key", "the JWK Set serves an unrelated key instead of the signing keys", ["IdToken"],
            [K("idtoken.signature-jwks", "kid|JWK Set"), K("idtoken.microsoft-identitymodel-validation", "IDX10503|IDX10500|signature|kid")])
        {
            Source = "Casdoor #2515, #3598 (tokens not verifiable with the published key)",
            OnResponse = Jwks((c, keys) => { keys.Clear(); keys.Add(c.RogueKey.PublicJwk()); }),
        },
        new("jwks-private-key-leaked", "the JWK Set publishes a private key (d, p, q, …)", ["JWKS"], [K("jwks.no-private-key-material", "private|\\bd\\b")])
        {
            OnResponse = Jwks((c, keys) =>
            {
                var p = c.Key.Rsa.ExportParameters(true);
                var k = keys.OfType<JsonObject>().Single(x => x["kid"]?.GetValue<string>() == c.Key.Kid);
                k["d"] = System.Buffers.Text.Base64Url.EncodeToString(p.D!);
                k["p"] = System.Buffers.Text.Base64Url.EncodeToString(p.P!);
                k["q"] = System.Buffers.Text.Base64Url.EncodeToString(p.Q!);
            }),
        },
        new("jwks-duplicate-kid", "two different keys in the JWK Set share a kid", ["JWKS"], [K("jwks.unique-kid", "kid")])
        {
            OnResponse = Jwks((c, keys) => { var rogue = c.RogueKey.PublicJwk(); rogue["kid"] = c.Key.Kid; keys.Add(rogue); }),
        },
        new("jwks-weak-rsa-key", "the JWK Set holds a 1024-bit RSA signing key", ["JWKS"], [K("jwks.rsa-key-size", "1024")])
        {
            OnResponse = Jwks((_, keys) => keys.Add(ProxyKey.Create("weak", 1024).PublicJwk())),
        },
        new("jwks-kty-missing", "a key in the JWK Set has no kty", ["JWKS"],
            [K("jwks.kty-present", "kty"), K("jwks.alg-consistent-with-kty", "kty")])
        {
            OnResponse = Jwks((c, keys) => keys.OfType<JsonObject>().Single(x => x["kid"]?.GetValue<string>() == c.Key.Kid).Remove("kty")),
        },

        // ---------------- ID token (token endpoint)
        new("id-token-iss-differs", "the ID token's iss differs from the discovery issuer", ["IdToken"],
            [K("idtoken.iss", "iss"), K("idtoken.microsoft-identitymodel-validation", "IDX10205|issuer")])
        {
            Source = "Casdoor #5582 (\"issuer in token does not match issuer in OpenIDConfig discovery\")",
            OnResponse = TokenEndpointIdToken((_, p) => p["iss"] = p["iss"]!.GetValue<string>() + "/tenant"),
        },
        new("id-token-unknown-key", "the ID token is signed with a key that is not in the JWK Set", ["IdToken"],
            [K("idtoken.signature-jwks", "kid"), K("idtoken.microsoft-identitymodel-validation", "IDX10503|IDX10500|kid|signature")])
        {
            Source = "Casdoor #3598 (\"incorrect jwt sign\")",
            OnResponse = TokenEndpointIdToken((_, _) => { }, Signing.RogueKey),
        },
        new("id-token-alg-none", "the ID token is unsigned (alg none)", ["IdToken"],
            [K("idtoken.signature-jwks", "none"), K("idtoken.microsoft-identitymodel-validation", "IDX10504|signature|none"), K("idtoken.alg-advertised", "none")])
        {
            OnResponse = TokenEndpointIdToken((h, _) => h.Remove("kid"), Signing.None),
        },
        new("id-token-signature-tampered", "the ID token's payload was changed after signing", ["IdToken"],
            [K("idtoken.signature-jwks", "signature"), K("idtoken.microsoft-identitymodel-validation", "IDX10511|IDX10504|IDX10503|signature")])
        {
            OnResponse = TokenEndpointIdToken((_, p) => p["acr"] = "urn:tampered", Signing.KeepSignature),
        },
        new("id-token-kid-missing", "the ID token header has no kid although the JWK Set holds several keys", ["IdToken"],
            [K("idtoken.signature-jwks", "kid")])
        {
            OnResponse = TokenEndpointIdToken((h, _) => h.Remove("kid")),
        },
        new("id-token-wrong-aud", "the ID token's aud is another client", ["IdToken"],
            [K("idtoken.aud", "aud"), K("idtoken.microsoft-identitymodel-validation", "IDX10214|audience")])
        {
            OnResponse = TokenEndpointIdToken((_, p) => p["aud"] = "another-client"),
        },
        new("id-token-exp-past", "the ID token's exp lies in the past", ["IdToken"],
            [K("idtoken.exp", "exp"), K("idtoken.microsoft-identitymodel-validation", "IDX10223|expired|lifetime")])
        {
            OnResponse = TokenEndpointIdToken((_, p) => { p["iat"] = Now - 1200; p["exp"] = Now - 600; }),
        },
        new("id-token-credential-leak", "the ID token embeds the user record with its password salt and TOTP secret", ["IdToken"],
            [K("idtoken.no-credential-material", "passwordSalt")])
        {
            Source = "Casdoor 3.158.0, recorded: every ID token carries passwordSalt (Recorded/casdoor-3.158.0/exchanges.json; object/token_jwt.go)",
            OnResponse = TokenEndpointIdToken((_, p) => { p["passwordSalt"] = "be6b18e3795db770c616"; p["totpSecret"] = "JBSWY3DPEHPK3PXP"; }),
        },
        new("id-token-address-array", "the ID token's address is a JSON array of lines, not the §5.1.1 object", ["IdToken"],
            // claims-follow-user: the array also lands in the ID token of user 2, who has no address (profile: null)
            [K("idtoken.standard-claim-types", "address"), K("idtoken.claims-follow-user", "address")])
        {
            Source = "Casdoor 3.158.0, recorded: address [\"1 Main Street\", \"Springfield, IL 62701\"] in the ID token",
            OnResponse = TokenEndpointIdToken((_, p) => p["address"] = new JsonArray("1 Main Street", "Springfield, IL 62701")),
        },
        new("id-token-exp-string", "the ID token's exp is a string, not a NumericDate", ["IdToken"],
            [K("idtoken.exp", "exp")]) // Microsoft.IdentityModel itself accepts a numeric string
        {
            OnResponse = TokenEndpointIdToken((_, p) => p["exp"] = p["exp"]!.ToString()),
        },
        new("id-token-iat-future", "the ID token's iat lies an hour in the future", ["IdToken"], [K("idtoken.iat", "iat")])
        {
            OnResponse = TokenEndpointIdToken((_, p) => { p["iat"] = Now + 3600; p["exp"] = Now + 7200; }),
        },
        new("id-token-nonce-dropped", "the ID token has no nonce although the request sent one", ["IdToken"], [K("idtoken.nonce", "nonce")])
        {
            Source = "Casdoor #1469 (ID token without nonce)",
            OnResponse = TokenEndpointIdToken((_, p) => p.Remove("nonce")),
        },
        new("id-token-nonce-changed", "the ID token's nonce is not the request's", ["IdToken"], [K("idtoken.nonce", "nonce")])
        {
            Source = "lobehub #9032 (\"nonce\": \"\")",
            OnResponse = TokenEndpointIdToken((_, p) => p["nonce"] = ""),
        },
        new("id-token-sub-missing", "the ID token has no sub", ["IdToken"], [K("idtoken.sub", "sub")])
        {
            OnResponse = TokenEndpointIdToken((_, p) => p.Remove("sub")),
        },
        new("id-token-auth-time-dropped", "the ID token has no auth_time although max_age was requested", ["AuthorizationEndpoint"],
            [K("authz.max-age-auth-time", "auth_time")])
        {
            OnResponse = TokenEndpointIdToken((_, p) => p.Remove("auth_time")),
        },
        new("refresh-id-token-sub-changed", "the ID token of a refresh has another sub than the original", ["Refresh"],
            [K("refresh.id-token-consistent", "sub")])
        {
            OnResponse = TokenEndpointIdToken((_, p) => p["sub"] = "someone-else", grant: "refresh_token"),
        },

        // ---------------- front channel: hashes, state, iss, redirect
        new("at-hash-wrong", "the front-channel ID token's at_hash does not match the access token", ["Hybrid", "Implicit"],
            [K("idtoken.at-hash", "at_hash")])
        {
            OnResponse = (c, q, r) => { if (!c.Is(q, Endpoint.Token)) c.EditIdTokens(r, (_, p) => { if (p.ContainsKey("at_hash")) p["at_hash"] = RandomHash(); }); },
        },
        new("c-hash-wrong", "the front-channel ID token's c_hash does not match the code", ["Hybrid"], [K("idtoken.c-hash", "c_hash")])
        {
            OnResponse = (c, q, r) => { if (!c.Is(q, Endpoint.Token)) c.EditIdTokens(r, (_, p) => { if (p.ContainsKey("c_hash")) p["c_hash"] = RandomHash(); }); },
        },
        new("authz-state-dropped", "the authorization response omits state", ["AuthorizationCode"], [K("authz.state-echoed", "state")])
        {
            OnResponse = FrontChannel((n, v) => n == "state" ? null : v),
        },
        new("authz-state-changed", "the authorization response returns another state", ["AuthorizationCode"], [K("authz.state-echoed", "state")])
        {
            OnResponse = FrontChannel((n, v) => n == "state" ? v + "x" : v),
        },
        new("authz-iss-dropped", "the authorization response omits iss although authorization_response_iss_parameter_supported is true", ["AuthorizationCode"],
            [K("authz.iss-parameter", "iss")])
        {
            OnResponse = FrontChannel((n, v) => n == "iss" ? null : v),
        },
        new("authz-near-miss-redirect-accepted", "a redirect_uri that only nearly matches the registered one is accepted and redirected to", ["AuthorizationEndpoint"],
            [K("authz.redirect-uri-near-miss-rejected", "sent it to"), K("authz.redirect-uri-unregistered-no-redirect", "sent it to|redirected the browser to"),
             K("authz.redirect-uri-unregistered-loopback-rejected", "sent it to")])
        {
            Source = "Casdoor #4010 (sub-domain redirect URIs accepted), GHSA-mj24-pqx2-6788; Casdoor 3.158.0 accepts every http://localhost… and http://127.0.0.1… URI (util/validation.go IsValidOrigin)",
            OnRequest = (c, q) =>
            {
                if (!c.Is(q, Endpoint.Authorization) || c.RegisteredRedirectUri is not { } registered) return;
                var ps = q.QueryParams;
                var given = ps.FirstOrDefault(p => p.Key == "redirect_uri").Value;
                if (given is null || given == registered || ps.FirstOrDefault(p => p.Key == "state").Value is not { } state) return;
                c.State[$"nearmiss:{state}"] = given;
                q.QueryParams = ps.Select(p => p.Key == "redirect_uri" ? new KeyValuePair<string, string>(p.Key, registered) : p).ToList();
            },
            OnResponse = (c, _, r) =>
            {
                if (c.RegisteredRedirectUri is not { } registered || r.Header("Location") is not { } location || !location.StartsWith(registered, StringComparison.Ordinal)) return;
                var rest = location[registered.Length..];
                var state = FormCodec.Parse(rest.TrimStart('?', '#')).FirstOrDefault(p => p.Key == "state").Value;
                if (state is not null && c.State.TryGetValue($"nearmiss:{state}", out var original))
                    r.SetHeader("Location", (string)original + (((string)original).Contains('?') && rest.StartsWith('?') ? "&" + rest[1..] : rest));
            },
        },
        new("authz-max-age-ignored", "max_age is ignored: an old session is reused without re-authentication", ["AuthorizationEndpoint"],
            [K("authz.max-age-reauthenticates", "max_age|login"), K("authz.max-age-auth-time", "auth_time")])
        {
            OnRequest = AuthorizationParams(ps => ps.Where(p => p.Key != "max_age").ToList()),
        },
        new("authz-prompt-login-ignored", "prompt=login is ignored: the logged-in user is not asked to log in again", ["AuthorizationEndpoint"],
            [K("authz.prompt-login-reauthenticates", "prompt|login")])
        {
            OnRequest = AuthorizationParams(ps => ps.Where(p => !(p.Key == "prompt" && p.Value == "login")).ToList()),
        },

        // ---------------- token endpoint
        new("token-errors-http-200", "token endpoint errors are returned with HTTP 200", ["TokenEndpoint"],
            [K("token.error-response-format", "200"), K("token.invalid-client", "200|invalid_client"), K("token.invalid-client-basic-401", "200")])
        {
            Source = "Casdoor #2964, #3162, #3805",
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Token) && r.Status >= 400 && r.Json?["error"] is not null) r.Status = 200; },
        },
        new("token-cache-control-missing", "successful token responses lack Cache-Control: no-store", ["TokenEndpoint"],
            [K("token.cache-control-no-store", "Cache-Control|no-store")])
        {
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Token) && r.Status == 200) { r.SetHeader("Cache-Control", null); r.SetHeader("Pragma", null); } },
        },
        new("token-type-not-bearer", "token_type is not Bearer", ["TokenEndpoint"], [K("token.token-type-bearer", "token_type")])
        {
            OnResponse = TokenSuccess(j => { if (j.ContainsKey("token_type")) j["token_type"] = "mac"; }),
        },
        new("token-expires-in-string", "expires_in is a string", ["TokenEndpoint"], [K("token.expires-in-numeric", "expires_in")])
        {
            OnResponse = TokenSuccess(j => { if (j["expires_in"] is { } e) j["expires_in"] = e.ToString(); }),
        },
        new("token-not-json", "successful token responses are served as text/plain", ["TokenEndpoint"], [K("token.success-json", "content type|Content-Type|json")])
        {
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Token) && r.Status == 200) r.SetHeader("Content-Type", "text/plain; charset=utf-8"); },
        },
        new("token-code-reuse-accepted", "an authorization code is accepted twice (the first token response is issued again)", ["TokenEndpoint"],
            [K("token.code-single-use", "redemption of a code")])
        {
            // the suite judges revocation-on-reuse and the error format only once a reuse was refused
            MayTurnInconclusive = ["token.code-reuse-revokes-tokens", "token.error-response-format"],
            Source = "Casdoor #451 (codes replayable)",
            Around = ReplayGrant("authorization_code", "code"),
        },
        new("token-invalid-client-basic-400", "invalid_client with HTTP Basic authentication is answered 400, not 401", ["TokenEndpoint"],
            [K("token.invalid-client-basic-401", "401|400")])
        {
            Source = "Casdoor #3162",
            OnResponse = InvalidClientAs400(Endpoint.Token),
        },
        new("token-get-accepted", "the token endpoint accepts GET with the parameters in the query", ["TokenEndpoint"], [K("token.post-only", "GET")])
        {
            OnRequest = (c, q) =>
            {
                if (!c.Is(q, Endpoint.Token) || q.Method != "GET" || q.Query.Length <= 1) return;
                q.Method = "POST"; q.BodyText = q.Query.TrimStart('?'); q.Query = "";
                q.SetHeader("Content-Type", "application/x-www-form-urlencoded");
            },
        },
        new("cc-refresh-token-issued", "the client credentials grant issues a refresh token", ["TokenEndpoint"], [K("token.cc-no-refresh-token", "refresh_token")])
        {
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Token) && r.Status == 200 && q.Param("grant_type") == "client_credentials") r.EditJson(j => j["refresh_token"] = Base64UrlRandom(32)); },
        },
        new("cc-id-token-issued", "the client credentials grant issues an ID token", ["TokenEndpoint"], [K("token.cc-no-id-token", "id_token")])
        {
            OnResponse = (c, q, r) =>
            {
                if (!c.Is(q, Endpoint.Token) || r.Status != 200 || q.Param("grant_type") != "client_credentials") return;
                var h = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"alg\":\"RS256\",\"kid\":\"{c.Key.Kid}\"}}"));
                var p = System.Buffers.Text.Base64Url.EncodeToString(Encoding.UTF8.GetBytes($"{{\"iss\":\"{c.Origin}\",\"sub\":\"client\",\"aud\":\"client\",\"iat\":{Now},\"exp\":{Now + 300}}}"));
                var s = System.Buffers.Text.Base64Url.EncodeToString(c.Key.Rsa.SignData(Encoding.ASCII.GetBytes($"{h}.{p}"),
                    System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1));
                r.EditJson(j => j["id_token"] = $"{h}.{p}.{s}");
            },
        },

        // ---------------- the core flow
        new("code-exchange-broken", "the token endpoint answers every authorization_code exchange with HTTP 500 server_error", ["Core"],
            [K("core.reference-flow", "core flow broken at code exchange.*server_error")])
        {
            Source = "models a provider release whose token endpoint is down: hundreds of checks turn Inconclusive, one must fail loudly",
            Around = async (c, q, next) =>
            {
                if (!c.Is(q, Endpoint.Token) || q.Param("grant_type") != "authorization_code") return await next(q);
                var r = new ProxyResponse(500, Encoding.UTF8.GetBytes("""{"error":"server_error","error_description":"injected by the fault proxy"}"""));
                r.SetHeader("Content-Type", "application/json");
                return r;
            },
        },

        // ---------------- refresh, PKCE
        new("refresh-scope-unstated", "a refresh ignores the requested scope (RFC 6749 §3.3 allows it) and omits scope from its response, " +
            "which then claims the requested scope by RFC 6749 §5.1", ["Refresh"],
            [K("token.scope-reported", "omits scope.*introspection reports")])
        {
            Source = "models providers that leave scope out of every refresh response whatever they granted",
            OnRequest = (c, q) =>
            {
                if (!c.Is(q, Endpoint.Token) || q.Param("grant_type") != "refresh_token" || !q.IsForm) return;
                q.Form = q.Form.Where(p => p.Key != "scope").ToList();
            },
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token) && r.Status == 200 && q.Param("grant_type") == "refresh_token") r.EditJson(j => j.Remove("scope"));
            },
        },
        new("refresh-rotated-token-reuse-accepted", "a rotated (already used) refresh token is accepted again", ["Refresh"],
            [K("refresh.rotated-token-reuse-rejected", "rotated-away refresh token")])
        {
            Source = "Casdoor #613 (old refresh token kept working)",
            MayTurnInconclusive = ["refresh.reuse-revokes-active-token"],
            Around = ReplayGrant("refresh_token", "refresh_token"),
        },
        new("pkce-verifier-ignored", "the code_verifier is not checked: PKCE is silently dropped for confidential clients", ["Pkce"],
            [K("pkce.invalid-verifier-rejected", "code_verifier"), K("pkce.downgrade-rejected", "PKCE downgrade.*code_verifier")])
        {
            Source = "Casdoor object/token_oauth.go (verifier only checked when the code had a challenge); OAuch IsPkceDowngradeDetectedTest",
            OnRequest = (c, q) =>
            {
                if (c.Is(q, Endpoint.Authorization) && q.Method == "GET" && q.QueryParams.FirstOrDefault(p => p.Key == "client_id").Value is { } id && !c.PublicClients.Contains(id))
                    q.QueryParams = q.QueryParams.Where(p => p.Key is not ("code_challenge" or "code_challenge_method")).ToList();
                if (c.Is(q, Endpoint.Token) && q.IsForm && q.Param("grant_type") == "authorization_code" && q.Param("client_id") is var cid && (cid is null || !c.PublicClients.Contains(cid)))
                    q.Form = q.Form.Where(p => p.Key != "code_verifier").ToList();
            },
        },

        // ---------------- RP-initiated logout (the browser reaches end_session through the proxy: it is the issuer's origin)
        new("logout-end-session-endpoint-missing", "end_session_endpoint is missing from discovery although the provider offers RP-initiated logout",
            ["Discovery", "Logout"],
            [K("logout.end-session-endpoint", "end_session_endpoint"), K("discovery.offered-endpoint-advertised", "end_session")])
        {
            // without the endpoint the logout flows have nothing to call, and the endpoint probe nothing to probe
            MayTurnInconclusive = ["logout.redirect-with-state", "logout.session-ended", "logout.unregistered-post-logout-uri-no-redirect",
                "logout.query-modified-post-logout-uri-no-redirect", "logout.tampered-id-token-hint-no-redirect", "logout.no-id-token-hint-no-silent-redirect",
                "logout.client-id-without-hint-no-silent-redirect", "logout.redirect-without-state", "discovery.advertised-endpoint-works"],
            OnResponse = Discovery(d => d.Remove("end_session_endpoint")),
        },
        new("logout-post-logout-uri-unvalidated", "any post_logout_redirect_uri is redirected to after logout: it is not compared with the registered ones", ["Logout"],
            [K("logout.unregistered-post-logout-uri-no-redirect", "post_logout_redirect_uri that is not registered"),
             K("logout.query-modified-post-logout-uri-no-redirect", "post_logout_redirect_uri .*added query")])
        {
            Source = "OIDF oidcc-rp-initiated-logout-bad-post-logout-redirect-uri (open redirect after logout)",
            OnRequest = PostLogoutUriSwap((_, _) => true),
            OnResponse = PostLogoutUriSwapBack,
        },
        new("logout-post-logout-uri-query-ignored", "post_logout_redirect_uri is compared without its query: the registered URI with an added query is redirected to",
            ["Logout"], [K("logout.query-modified-post-logout-uri-no-redirect", "post_logout_redirect_uri .*added query")])
        {
            Source = "OIDF oidcc-rp-initiated-logout-query-added-to-post-logout-redirect-uri (prefix or path-only matching)",
            OnRequest = PostLogoutUriSwap((given, registered) => WithoutQuery(given) == WithoutQuery(registered)),
            OnResponse = PostLogoutUriSwapBack,
        },
        new("logout-state-dropped", "the post-logout redirect omits the state the RP sent", ["Logout", "EndToEnd"],
            [K("logout.redirect-with-state", "state"), K("e2e.relying-party-login-logout", "step 'logout' failed.*state")])
        {
            OnResponse = (c, q, r) =>
            {
                if (!c.IsUnder(q, Endpoint.EndSession) || c.RegisteredPostLogoutRedirectUri is not { } registered
                    || r.Header("Location") is not { } location || !location.StartsWith(registered, StringComparison.Ordinal)) return;
                var at = location.IndexOf('?');
                if (at < 0) return;
                var kept = FormCodec.Parse(location[(at + 1)..]).Where(p => p.Key != "state").ToList();
                r.SetHeader("Location", location[..at] + (kept.Count > 0 ? "?" + FormCodec.Encode(kept) : ""));
            },
        },
        new("logout-redirect-needs-state", "post_logout_redirect_uri is ignored when the logout request carries no state: the user ends on the OP's logged-out page",
            ["Logout"], [K("logout.redirect-without-state", "without state")])
        {
            Source = "OIDF oidcc-rp-initiated-logout-no-state (state is OPTIONAL)",
            OnRequest = (c, q) =>
            {
                if (c.Is(q, Endpoint.EndSession) && q.Param("state") is null && q.Param("post_logout_redirect_uri") is not null)
                {
                    q.QueryParams = q.QueryParams.Where(p => p.Key != "post_logout_redirect_uri").ToList();
                    if (q.IsForm) q.Form = q.Form.Where(p => p.Key != "post_logout_redirect_uri").ToList();
                }
            },
        },
        new("logout-session-kept", "logout redirects to the post_logout_redirect_uri but the OP session survives (prompt=none still signs the user in)",
            ["Logout"], [K("logout.session-ended", "session")])
        {
            // The provider sees the logout (and its confirmation) in a shadow session the proxy keeps per browser, not in the
            // browser's own: it validates id_token_hint and the URI as usual and redirects, while the user's session survives.
            Around = async (c, q, next) =>
            {
                if (!c.IsUnder(q, Endpoint.EndSession)) return await next(q);
                var key = "shadow-session:" + (q.Header("Cookie") ?? "");
                var starts = c.Is(q, Endpoint.EndSession) && q.Param("id_token_hint") is not null;
                if (!starts && !c.State.ContainsKey(key)) return await next(q);
                var jar = (ConcurrentDictionary<string, string>)c.State.GetOrAdd(key, _ => new ConcurrentDictionary<string, string>());
                if (starts) jar.Clear();
                q.SetHeader("Cookie", jar.IsEmpty ? null : string.Join("; ", jar.Select(p => $"{p.Key}={p.Value}")));
                var r = await next(q);
                foreach (var set in r.Headers.Where(h => h.Key.Equals("Set-Cookie", StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).ToList())
                {
                    var pair = set.Split(';')[0];
                    var eq = pair.IndexOf('=');
                    if (eq <= 0) continue;
                    if (eq == pair.Length - 1) jar.TryRemove(pair[..eq], out _); else jar[pair[..eq]] = pair[(eq + 1)..];
                }
                r.SetHeader("Set-Cookie", null);
                return r;
            },
        },
        new("logout-without-session-error", "a logout request whose id_token_hint was already used, or that carries no session cookie, gets an error page instead of the post-logout redirect",
            ["LogoutWithoutSession"], [K("logout.without-session-redirects-with-state", "no redirect")])
        {
            Source = "Casdoor 3.158.0 answers a logout it cannot tie to a session with its JSON envelope and no redirect (docs/casdoor.md logout-no-redirect-without-session, A-58/A-59); RP-Initiated Logout 1.0 §4",
            // The first logout with a hint in a browser holding the provider's session cookie (_session, oidc-provider's name) passes;
            // the same hint again, or a logout without that cookie, is answered with an error page of the proxy's own.
            Around = async (c, q, next) =>
            {
                if (!c.Is(q, Endpoint.EndSession) || q.Param("id_token_hint") is not { } hint) return await next(q);
                var used = !c.State.TryAdd($"logout-hint:{hint}", true);
                var hasSession = q.Header("Cookie")?.Contains("_session=", StringComparison.Ordinal) == true;
                if (!used && hasSession) return await next(q);
                var r = new ProxyResponse(400, Encoding.UTF8.GetBytes("<html><body><h1>oops! something went wrong</h1><p>session not found</p></body></html>"));
                r.SetHeader("Content-Type", "text/html; charset=utf-8");
                return r;
            },
        },
        new("logout-id-token-hint-unverified", "the id_token_hint's signature is not verified: only its claims are read", ["Logout"],
            [K("logout.tampered-id-token-hint-no-redirect", "id_token_hint")])
        {
            Source = "OIDF oidcc-rp-initiated-logout-modified-id-token-hint / -bad-id-token-hint",
            // a hint whose claims are those of an ID token the provider issued reaches the provider as that ID token
            OnRequest = (c, q) =>
            {
                if (!c.IsUnder(q, Endpoint.EndSession) || q.Param("id_token_hint") is not { } hint) return;
                var parts = hint.Split('.');
                if (parts.Length == 3 && c.State.TryGetValue($"id-token:{parts[1]}", out var o) && o is string issued && issued != hint)
                    SetParam(q, "id_token_hint", issued);
            },
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token) && r.Status == 200 && r.Json?["id_token"]?.GetValue<string>() is { } token && token.Split('.') is { Length: 3 } parts)
                    c.State[$"id-token:{parts[1]}"] = token;
            },
        },
        new("logout-redirect-without-hint", "a registered post_logout_redirect_uri is redirected to without id_token_hint and without asking the user (logout CSRF)",
            ["Logout"],
            [K("logout.no-id-token-hint-no-silent-redirect", "without id_token_hint"), K("logout.client-id-without-hint-no-silent-redirect", "without id_token_hint")])
        {
            Around = async (c, q, next) =>
            {
                if (!c.Is(q, Endpoint.EndSession) || q.Param("id_token_hint") is not null || c.RegisteredPostLogoutRedirectUri is not { } registered
                    || q.Param("post_logout_redirect_uri") != registered) return await next(q);
                var r = new ProxyResponse(302, []);
                r.SetHeader("Location", registered + (q.Param("state") is { } state ? (registered.Contains('?') ? "&" : "?") + FormCodec.Encode([new("state", state)]) : ""));
                return r;
            },
        },

        // ---------------- userinfo
        new("userinfo-sub-differs", "the userinfo sub is not the ID token's sub", ["UserInfo"],
            [K("userinfo.sub-matches-id-token", "sub"), K("userinfo.scope-matrix-sub-stable", "sub"),
             K("userinfo.post-bearer-header", "sub"), K("userinfo.post-form-body", "sub")])
        {
            OnResponse = UserInfo(j => j["sub"] = "someone-else"),
        },
        new("userinfo-claim-renamed", "userinfo returns email as mail", ["UserInfo"],
            [K("userinfo.scope-claims", "email"), K("userinfo.scope-matrix-granted-claims", "email"), K("userinfo.claim-mapping-as-documented", "email")])
        {
            Source = "Casdoor #443, #4526 (non-standard userinfo claim names)",
            OnResponse = UserInfo(j => { if (j["email"] is { } e) { j.Remove("email"); j["mail"] = e.DeepClone(); } }),
        },
        new("userinfo-claim-retyped", "userinfo returns email_verified as the string \"true\"", ["UserInfo"],
            [K("userinfo.scope-claims", "email_verified"), K("userinfo.scope-matrix-granted-claims", "email_verified"),
             K("userinfo.claim-mapping-as-documented", "email_verified"), K("userinfo.standard-claim-types", "email_verified")])
        {
            Source = "Casdoor #4796 (email_verified)",
            OnResponse = UserInfo(j => { if (j["email_verified"] is { } e) j["email_verified"] = e.ToJsonString(); }),
        },
        new("userinfo-address-string", "userinfo returns address as a display string, not the §5.1.1 object", ["UserInfo"],
            [K("userinfo.standard-claim-types", "address"), K("userinfo.scope-claims", "address"), K("userinfo.scope-matrix-granted-claims", "address"),
             K("userinfo.claim-mapping-as-documented", "address")])
        {
            Source = "Casdoor 3.158.0, recorded: \"address\": \"Springfield, IL\" (object/user.go GetUserInfo)",
            OnResponse = UserInfo(j => { if (j["address"] is not null) j["address"] = "Springfield, IL"; }),
        },
        // ---------------- claims that follow the user (issue #19, blind spot 1): only a second user with other data shows these
        new("userinfo-email-verified-always-true", "userinfo says email_verified true for every user, verified or not", ["UserInfo"],
            [K("userinfo.claims-follow-user", "email_verified")])
        {
            Source = "Casdoor 3.158.0 object/user.go GetUserInfo (docs/casdoor.md A-50: email_verified hard-coded true)",
            OnResponse = UserInfo(j => { if (j["email"] is not null) j["email_verified"] = true; }),
        },
        new("userinfo-name-from-username", "userinfo fills name (the full name) from the login name", ["UserInfo"],
            [K("userinfo.claims-follow-user", "name"), K("userinfo.claim-mapping-as-documented", "name")])
        {
            Source = "Casdoor 3.158.0 object/token_jwt.go getClaimsWithoutThirdIdp (docs/casdoor.md A-44: the ID token's name is the login name)",
            OnResponse = UserInfo(j => { if (j["preferred_username"] is { } u && j["name"] is not null) j["name"] = u.DeepClone(); }),
        },
        // ---------------- CORS for browser-based relying parties (issue #19, blind spot 5)
        new("cors-headers-stripped", "no response carries CORS headers (a reverse proxy drops them, or CORS is off)", ["Cors"],
            [K("cors.response-allows-origin", "no Access-Control-Allow-Origin"), K("cors.preflight-allows-request", "Access-Control-Allow-Origin|not allowed")])
        {
            // with no Access-Control-Allow-Origin anywhere there is nothing to judge for the wildcard check
            MayTurnInconclusive = ["cors.no-wildcard-with-credentials"],
            OnResponse = (_, _, r) => { foreach (var h in r.Headers.Where(h => h.Key.StartsWith("Access-Control-", StringComparison.OrdinalIgnoreCase)).ToList()) r.Headers.Remove(h); },
        },
        new("cors-wildcard-with-credentials", "every answer to a request with Origin allows * with credentials", ["Cors"],
            [K("cors.no-wildcard-with-credentials", "Access-Control-Allow-Credentials: true")])
        {
            Source = "a common misconfiguration (CORS middleware with allow-all origins and credentials on)",
            OnResponse = (_, q, r) =>
            {
                if (q.Header("Origin") is null) return;
                r.SetHeader("Access-Control-Allow-Origin", "*");
                r.SetHeader("Access-Control-Allow-Credentials", "true");
            },
        },
        new("userinfo-credential-leak", "userinfo returns the password salt and recovery codes", ["UserInfo"],
            [K("userinfo.no-credential-material", "passwordSalt|recoveryCodes")])
        {
            OnResponse = UserInfo(j => { j["passwordSalt"] = "be6b18e3795db770c616"; j["recoveryCodes"] = new JsonArray("a1b2-c3d4", "e5f6-a7b8"); }),
        },
        new("id-token-ungranted-claims", "every ID token carries the email claims whatever the scope", ["UserInfo"],
            [K("idtoken.only-granted-scope-claims", "email")])
        {
            Source = "Casdoor 3.158.0, recorded: the ID token of scope=openid carries email, address, name (exchanges 146-155)",
            OnResponse = TokenEndpointIdToken((_, p) => { p["email"] ??= "alice@example.com"; p["email_verified"] ??= true; }),
        },
        new("userinfo-ungranted-claims", "userinfo returns phone claims that were not granted", ["UserInfo"],
            [K("userinfo.scope-matrix-no-ungranted-claims", "phone"),
             // user 2 of the embedded providers has no phone (profile null): the added phone_number is data he does not have
             K("userinfo.claims-follow-user", "phone_number")])
        {
            OnResponse = UserInfo(j => j["phone_number"] ??= "+1 555 0100"),
        },
        new("userinfo-no-www-authenticate", "userinfo 401 responses lack WWW-Authenticate", ["UserInfo"],
            [K("userinfo.invalid-token-challenge", "WWW-Authenticate"), K("userinfo.no-token-challenge", "WWW-Authenticate"),
             K("userinfo.invalid-token-error-code", "WWW-Authenticate")])
        {
            MayTurnInconclusive = ["userinfo.no-token-no-error-code"],
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.UserInfo) && r.Status == 401) r.SetHeader("WWW-Authenticate", null); },
        },
        new("userinfo-post-rejected", "userinfo answers POST with 405 (GET only)", ["UserInfo"],
            [K("userinfo.post-bearer-header", "405|POST"), K("userinfo.post-form-body", "405|POST")])
        {
            Source = "Casdoor routers/router.go (/api/userinfo GET only)",
            Around = async (c, q, next) =>
            {
                if (!c.Is(q, Endpoint.UserInfo) || q.Method != "POST") return await next(q);
                var r = ProxyResponse.JsonResponse(405, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "method not allowed" });
                r.SetHeader("Allow", "GET");
                return r;
            },
        },

        // ---------------- introspection, revocation
        new("introspection-garbage-active", "introspection says active:true for a garbage token", ["Introspection"],
            [K("introspection.inactive-token", "active")])
        {
            MayTurnInconclusive = ["introspection.inactive-no-details"],
            Source = "Casdoor #3711 (expired tokens introspected active)",
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Introspection) && r.Status == 200 && r.Json?["active"]?.GetValue<bool>() == false)
                    r.EditJson(j => { j["active"] = true; j["client_id"] = "conf-client"; j["token_type"] = "access_token"; });
            },
        },
        new("introspection-caller-client-id", "introspection reports the caller's client_id instead of the token's", ["Introspection"],
            [K("introspection.client-id-of-token", "client_id")])
        {
            Source = "Casdoor #3935, #5571",
            OnResponse = (c, q, r) =>
            {
                if (!c.Is(q, Endpoint.Introspection) || r.Status != 200 || r.Json?["active"]?.GetValue<bool>() != true) return;
                var caller = CallerClientId(q);
                if (caller is not null) r.EditJson(j => j["client_id"] = caller);
            },
        },
        new("introspection-no-auth-accepted", "introspection without client authentication is answered 200", ["Introspection"],
            [K("introspection.auth-required", "200|auth")])
        {
            Around = async (c, q, next) =>
            {
                if (!c.Is(q, Endpoint.Introspection) || CallerClientId(q) is not null) return await next(q);
                return ProxyResponse.JsonResponse(200, new JsonObject { ["active"] = false });
            },
        },
        // ---------------- token confusion (issue #19, blind spot 3)
        new("access-token-is-id-token", "the code exchange returns the ID token as the access token", ["TokenConfusion"],
            [K("token.access-token-not-id-token", "same string"), K("token.jwt-access-token-typ", "typ")])
        {
            Source = "Casdoor 3.158.0, recorded: access_token == id_token in every token response (Recorded/casdoor-3.158.0/exchanges.json; object/token_oauth.go GetOAuthToken)",
            MayTurnInconclusive = ["userinfo.rejects-id-token-as-bearer"],
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token) && r.Status == 200 && q.Param("grant_type") == "authorization_code" && r.Json?["id_token"] is { } id)
                    r.EditJson(j => j["access_token"] = id.DeepClone());
            },
        },
        new("userinfo-accepts-id-token", "UserInfo answers a request that presents the ID token as the bearer token", ["TokenConfusion"],
            [K("userinfo.rejects-id-token-as-bearer", "accepted the ID token")])
        {
            Source = "Casdoor 3.158.0: the ID token is the access token and works at /api/userinfo (docs/casdoor.md id-token-is-access-token)",
            // remembers which access token each ID token came with, and swaps the ID token for it on the way to UserInfo
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token) && r.Status == 200 && r.Json?["id_token"]?.GetValue<string>() is { } id && r.Json?["access_token"]?.GetValue<string>() is { } at)
                    c.State[$"id-token-as-bearer:{id}"] = at;
            },
            OnRequest = (c, q) =>
            {
                if (!c.Is(q, Endpoint.UserInfo) || q.Header("Authorization") is not { } a || !a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)) return;
                if (c.State.TryGetValue($"id-token-as-bearer:{a[7..].Trim()}", out var at)) q.SetHeader("Authorization", $"Bearer {at}");
            },
        },
        // ---------------- advertised but not working (issue #19, blind spot 2)
        new("advertised-token-refused", "discovery lists response_type=token, but the authorization endpoint answers it with unsupported_response_type",
            ["Advertised"],
            [K("discovery.advertised-response-types-work", "'token' is advertised .* refused: error 'unsupported_response_type'"),
             K("discovery.advertised-grant-types-work", "'implicit' is advertised .* refused: error 'unsupported_response_type'")])
        {
            Source = "issue #19 blind spot 2; Casdoor 3.158.0 lists hybrid response types and none in response_types_supported while " +
                     "object/check.go CheckOAuthLogin accepts only code, token and id_token",
            // The implicit grant is exercised with the first implicit response type discovery lists, which is now token.
            OnResponse = Discovery(d =>
            {
                if (d["response_types_supported"] is JsonArray types && !types.Any(t => t?.GetValue<string>() == "token")) types.Add("token");
            }),
            Around = async (c, q, next) =>
            {
                if (!c.Is(q, Endpoint.Authorization) || q.Param("response_type") != "token" || q.Param("redirect_uri") is not { } redirect) return await next(q);
                var error = new List<KeyValuePair<string, string>> { new("error", "unsupported_response_type") };
                if (q.Param("state") is { } state) error.Add(new("state", state));
                var r = new ProxyResponse(302, []);
                r.SetHeader("Location", redirect + "#" + FormCodec.Encode(error));
                return r;
            },
        },
        new("advertised-plain-unsupported", "discovery lists the PKCE method plain, which the provider does not accept",
            ["Advertised"],
            [K("discovery.advertised-code-challenge-methods-work", "plain")])
        {
            Source = "issue #19 blind spot 2: a code_challenge_methods_supported entry the authorization endpoint refuses " +
                     "(node-oidc-provider accepts only S256)",
            OnResponse = Discovery(d =>
            {
                if (d["code_challenge_methods_supported"] is JsonArray methods && !methods.Any(m => m?.GetValue<string>() == "plain")) methods.Add("plain");
            }),
        },
        new("advertised-form-post-refused", "discovery lists response_mode form_post, but the authorization endpoint refuses it",
            ["Advertised"],
            [K("discovery.advertised-response-modes-work", "form_post")])
        {
            Source = "issue #19 blind spot 2: a response_modes_supported entry the authorization endpoint refuses",
            Around = async (c, q, next) =>
            {
                if (!c.Is(q, Endpoint.Authorization) || q.Param("response_mode") != "form_post" || q.Param("redirect_uri") is not { } redirect) return await next(q);
                var error = new List<KeyValuePair<string, string>> { new("error", "invalid_request"), new("error_description", "response_mode not supported") };
                if (q.Param("state") is { } state) error.Add(new("state", state));
                var r = new ProxyResponse(302, []);
                r.SetHeader("Location", redirect + (redirect.Contains('?') ? "&" : "?") + FormCodec.Encode(error));
                return r;
            },
        },
        new("revocation-ignored", "the revocation endpoint answers 200 but revokes nothing", ["Revocation"],
            [K("revocation.access-token", "still works"), K("revocation.refresh-token", "still works"), K("revocation.refresh-revokes-access", "access token still works")])
        {
            Source = "Casdoor #1574 (tokens \"usually cannot be revoked\")",
            // the provider still authenticates the client, but is shown a token it never issued, so nothing is revoked
            OnRequest = (c, q) =>
            {
                if (c.Is(q, Endpoint.Revocation) && q.IsForm)
                    q.Form = q.Form.Select(p => p.Key == "token" ? new KeyValuePair<string, string>(p.Key, "unknown-" + p.Value[..Math.Min(8, p.Value.Length)]) : p).ToList();
            },
        },
        .. EvidenceLossFaults.All,
        .. BackChannelFaults.All,
        .. FrontChannelFaults.All,
        .. KeyAndTokenFaults.All,
        .. InteropFaults.All,
        .. ClientAuthFaults.All,
        .. RegistrationFaults.All,
        // device
        .. DeviceFaults.All,
        // resource
        .. ResourceFaults.All,
        // dpop
        .. DpopFaults.All,
        // backchannel
        .. BackchannelLogoutFaults.All,
        .. TokenExchangeFaults.All,
        .. JwtBearerFaults.All,
        // device, on OpenIddict
        .. OpenIddictDeviceFaults.All,
    ];

    /// <summary>The client that authenticates the request (HTTP Basic or client_id in the form), or null.</summary>
    private static string? CallerClientId(ProxyRequest q)
    {
        if (q.Header("Authorization") is { } a && a.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
        {
            try
            {
                var decoded = Encoding.UTF8.GetString(Convert.FromBase64String(a[6..].Trim()));
                return Uri.UnescapeDataString(decoded.Split(':')[0].Replace('+', ' '));
            }
            catch (FormatException) { return null; }
        }
        return q.Param("client_secret") is not null ? q.Param("client_id") : null;
    }
}
