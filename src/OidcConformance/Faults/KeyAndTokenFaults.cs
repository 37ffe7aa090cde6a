using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;
using OidcConformance.Http;

using static OidcConformance.Faults.BackChannelFaults;
using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of the JWK Set, the discovery metadata, the code exchange, refresh and the ID token's audience claims (issue #11,
/// fault kill coverage). Each is one provider bug, injected by rewriting an answer or a request in the proxy. The stateful
/// ones remember, per authorization request (by state), which client and redirect URI the code was issued for, and, per
/// refresh token, what the provider really issued.
/// </summary>
public static class KeyAndTokenFaults
{
    // ------------------------------------------------------------------ helpers

    private static Action<FaultContext, ProxyRequest, ProxyResponse> Jwks(Action<FaultContext, JsonArray> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Jwks) && r.Status == 200) r.EditJson(j => edit(c, (JsonArray)j["keys"]!));
    };

    private static Action<FaultContext, ProxyRequest, ProxyResponse> Discovery(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.EditJson(edit);
    };

    /// <summary>The keys the provider itself publishes (the proxy's own key, added to every JWK Set, is left alone).</summary>
    private static IEnumerable<JsonObject> ProviderKeys(FaultContext c, JsonArray keys) =>
        keys.OfType<JsonObject>().Where(k => k["kid"]?.GetValue<string>() != c.Key.Kid).ToList();

    /// <summary>A copy of an unpublished RSA public key under another kid, with <paramref name="edit"/> applied.</summary>
    private static JsonObject ExtraKey(FaultContext c, string kid, Action<JsonObject> edit)
    {
        var k = c.RogueKey.PublicJwk();
        k["kid"] = kid;
        edit(k);
        return k;
    }

    /// <summary>ID tokens of the token endpoint's successful answers, re-signed with the proxy's key after <paramref name="edit"/>.</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> TokenEndpointIdToken(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Token) && r.Status == 200 && r.Json?["id_token"]?.GetValue<string>() is { } token)
            r.EditJson(j => j["id_token"] = c.RewriteJwt(token, (_, p) => edit(p)));
    };

    private static bool IsGrant(FaultContext c, ProxyRequest q, string grant) => c.Is(q, Endpoint.Token) && q.IsForm && q.Param("grant_type") == grant;

    /// <summary>The client and redirect URI of each authorization request (by state), then of each code its redirect delivered.</summary>
    private sealed record Issuance(string ClientId, string? RedirectUri);

    private static ConcurrentDictionary<string, Issuance> Issuances(FaultContext c) =>
        (ConcurrentDictionary<string, Issuance>)c.State.GetOrAdd("key-token:issuances", _ => new ConcurrentDictionary<string, Issuance>());

    /// <summary>Remembers the authorization request's client and redirect URI by its state.</summary>
    private static void RememberAuthorization(FaultContext c, ProxyRequest q)
    {
        if (c.Is(q, Endpoint.Authorization) && q.Param("state") is { } state && q.Param("client_id") is { } client)
            Issuances(c)[$"state:{state}"] = new Issuance(client, q.Param("redirect_uri"));
    }

    /// <summary>Remembers, for a redirect that delivers a code, the client and redirect URI of the request it answers.</summary>
    private static void RememberCode(FaultContext c, ProxyResponse r)
    {
        var ps = FormCodec.ParseRedirect(r.Header("Location"));
        var code = ps.FirstOrDefault(p => p.Key == "code").Value;
        var state = ps.FirstOrDefault(p => p.Key == "state").Value;
        if (code is not null && state is not null && Issuances(c).TryGetValue($"state:{state}", out var issued)) Issuances(c)[$"code:{code}"] = issued;
    }

    /// <summary>HTTP Basic credentials of a confidential client of the profile (RFC 6749 §2.3.1: form-encoded id and secret).</summary>
    private static Credentials? BasicOf(FaultContext c, string clientId) =>
        c.ClientSecrets.TryGetValue(clientId, out var secret)
            ? new Credentials("Basic " + Convert.ToBase64String(Encoding.UTF8.GetBytes($"{Uri.EscapeDataString(clientId)}:{Uri.EscapeDataString(secret)}")), null, null)
            : null;

    private static bool IsPublicRequest(FaultContext c, ProxyRequest q) =>
        q.Header("Authorization") is null && q.Param("client_secret") is null && q.Param("client_id") is { } id && c.PublicClients.Contains(id);

    private static ConcurrentDictionary<string, string> Tokens(FaultContext c, string name) =>
        (ConcurrentDictionary<string, string>)c.State.GetOrAdd("key-token:" + name, _ => new ConcurrentDictionary<string, string>());

    private static ProxyResponse InvalidToken()
    {
        var r = ProxyResponse.JsonResponse(401, new JsonObject { ["error"] = "invalid_token", ["error_description"] = "access token not found" });
        r.SetHeader("WWW-Authenticate", "Bearer error=\"invalid_token\", error_description=\"access token not found\"");
        return r;
    }

    private static readonly string[] AllJwksChecks =
    [
        "jwks.fetch", "jwks.usable-signing-key", "jwks.unique-kid", "jwks.no-private-key-material", "jwks.rsa-key-size", "jwks.id-token-key-use-sig",
        "jwks.kty-present", "jwks.kty-registered", "jwks.use-required-when-mixed", "jwks.alg-consistent-with-kty",
    ];

    /// <summary>The refresh checks that need a first refresh that worked (RefreshTests.Refreshed).</summary>
    private static readonly string[] AfterFirstRefresh =
    [
        "refresh.access-token-works", "refresh.id-token-consistent", "refresh.public-client-rotation", "refresh.rotated-token-reuse-rejected",
        "refresh.reuse-revokes-active-token", "refresh.bound-to-client", "refresh.confidential-client-authentication", "refresh.scope-narrowing",
        "refresh.scope-not-widened", "token.scope-reported",
    ];

    /// <summary>The IdToken category's checks of the reference ID token: with no compact token to decode they have nothing to judge.</summary>
    private static readonly string[] IdTokenChecksOfTheReferenceToken =
    [
        "idtoken.signature-jwks", "idtoken.alg-advertised", "idtoken.iss", "idtoken.aud", "idtoken.azp", "idtoken.azp-multiple-audiences", "idtoken.exp",
        "idtoken.iat", "idtoken.sub", "idtoken.nonce", "idtoken.standard-claim-types", "idtoken.no-credential-material",
        "idtoken.microsoft-identitymodel-validation", "jwks.id-token-key-use-sig",
    ];

    // ------------------------------------------------------------------ the faults

    public static readonly IReadOnlyList<Fault> All =
    [
        // ---------------- JWK Set
        new("jwks-kty-lowercase", "the JWK Set holds a key whose kty is written 'rsa' (kty values are case-sensitive)", ["JWKS"],
            [K("jwks.kty-registered", "kty 'rsa'")])
        {
            Source = "models a JWK serializer that lower-cases the key type (RFC 7517 §4.1: kty is case-sensitive, so relying parties ignore the key)",
            OnResponse = Jwks((c, keys) => keys.Add(ExtraKey(c, "lowercase-kty", k => { k["kty"] = "rsa"; k.Remove("alg"); }))),
        },
        new("jwks-enc-key-without-use", "the JWK Set adds an encryption key (alg RSA-OAEP) without use to its signing keys", ["JWKS"],
            [K("jwks.use-required-when-mixed", "has no use")])
        {
            Source = "OIDC Discovery 1.0 §3 jwks_uri: use is REQUIRED for all keys once signing and encryption keys are both published",
            OnResponse = Jwks((c, keys) => keys.Add(ExtraKey(c, "enc-1", k => { k.Remove("use"); k["alg"] = "RSA-OAEP"; }))),
        },
        new("jwks-signing-key-use-enc", "the provider's ID token signing key is published with use enc", ["JWKS"],
            [K("jwks.id-token-key-use-sig", "use 'enc'")])
        {
            Source = "models a key store that tags every key pair it generates for encryption",
            OnResponse = Jwks((c, keys) => { foreach (var k in ProviderKeys(c, keys)) { k["use"] = "enc"; k.Remove("alg"); } }),
        },
        new("jwks-all-keys-enc", "every key of the JWK Set is published with use enc: none can verify a signature", ["JWKS"],
            [K("jwks.usable-signing-key", "usable public signing key"), K("jwks.id-token-key-use-sig", "use 'enc'")])
        {
            Source = "models a key store that tags every key pair it generates for encryption",
            OnResponse = Jwks((_, keys) => { foreach (var k in keys.OfType<JsonObject>()) { k["use"] = "enc"; k.Remove("alg"); } }),
        },
        new("jwks-uri-500", "the jwks_uri answers 500", ["JWKS"], [K("jwks.fetch", "500")])
        {
            Source = "models a key endpoint that fails while the rest of the provider works (Casdoor #2515: tokens not verifiable with the published keys)",
            MayTurnInconclusive = AllJwksChecks.Where(x => x != "jwks.fetch").ToArray(),
            OnResponse = (c, q, r) =>
            {
                if (!c.Is(q, Endpoint.Jwks)) return;
                r.Status = 500; r.BodyText = "{\"error\":\"server_error\"}"; r.SetHeader("Content-Type", "application/json");
            },
        },
        new("jwks-uri-html", "the jwks_uri answers 200 with an HTML page (a single-page app's catch-all route)", ["JWKS"], [K("jwks.fetch", "HTML")])
        {
            Source = "models a web front end that answers every unknown path with its index page",
            MayTurnInconclusive = AllJwksChecks.Where(x => x != "jwks.fetch").ToArray(),
            OnResponse = (c, q, r) =>
            {
                if (!c.Is(q, Endpoint.Jwks)) return;
                r.Status = 200; r.BodyText = "<!DOCTYPE html><html><head><title>Sign in</title></head><body><div id=\"root\"></div></body></html>";
                r.SetHeader("Content-Type", "text/html; charset=utf-8");
            },
        },

        // ---------------- discovery
        new("discovery-text-plain", "the discovery document is served as text/plain", ["Discovery"], [K("discovery.json-object", "Content-Type")])
        {
            Source = "models a handler that writes the JSON by hand and keeps the framework's default content type",
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.SetHeader("Content-Type", "text/plain; charset=utf-8"); },
        },
        new("discovery-claims-supported-missing", "the discovery document has no claims_supported", ["Discovery"],
            [K("discovery.recommended-metadata", "claims_supported")])
        {
            MayTurnInconclusive = ["discovery.claims-supported-sub"],
            OnResponse = Discovery(d => d.Remove("claims_supported")),
        },
        new("discovery-response-types-without-code", "response_types_supported lists the hybrid and implicit types but not code", ["Discovery"],
            [K("discovery.response-types-code", "without code")])
        {
            Source = "Casdoor #514 (metadata out of line with behaviour)",
            OnResponse = Unlisted("response_types_supported", t => t == "code"),
        },
        new("discovery-auth-methods-basic-only", "token_endpoint_auth_methods_supported lists only client_secret_basic although clients use others",
            ["Discovery"], [K("discovery.token-auth-methods-cover-clients", "does not list")])
        {
            OnResponse = Discovery(d => d["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_basic")),
        },
        new("discovery-password-grant-advertised", "grant_types_supported lists password, which the token endpoint does not support", ["Discovery"],
            [K("discovery.advertised-grant-type-works", "password is advertised")])
        {
            Source = "Casdoor #514 (metadata out of line with behaviour)",
            OnResponse = Discovery(d =>
            {
                if (d["grant_types_supported"] is JsonArray grants && !grants.Any(g => g?.GetValue<string>() == "password")) grants.Add("password");
            }),
        },
        new("discovery-introspection-not-routed", "introspection_endpoint is advertised, but the path answers 404", ["Discovery"],
            [K("discovery.advertised-endpoint-works", "introspection_endpoint is advertised")])
        {
            Source = "models metadata that names an endpoint the deployment does not route",
            Around = async (c, q, next) => c.Is(q, Endpoint.Introspection)
                ? Error(404, "not_found", "no route") : await next(q),
        },
        new("discovery-introspection-endpoint-missing", "the discovery document omits introspection_endpoint although introspection works", ["Introspection"],
            [K("introspection.endpoint-advertised", "not advertised")])
        {
            MayTurnInconclusive =
            [
                "introspection.active-members", "introspection.active-token", "introspection.auth-required", "introspection.client-id-of-token",
                "introspection.exp-future", "introspection.foreign-token", "introspection.inactive-no-details", "introspection.inactive-token",
                "introspection.invalid-client", "introspection.refresh-token-active", "introspection.response-json", "introspection.scope-granted",
                "introspection.sub-of-token", "introspection.wrong-hint",
            ],
            OnResponse = Discovery(d => d.Remove("introspection_endpoint")),
        },
        new("discovery-revocation-endpoint-missing", "the discovery document omits revocation_endpoint although revocation works", ["Revocation"],
            [K("revocation.endpoint-advertised", "not advertised")])
        {
            MayTurnInconclusive =
            [
                "revocation.access-token", "revocation.client-auth-required", "revocation.invalid-client", "revocation.other-client",
                "revocation.refresh-revokes-access", "revocation.refresh-token", "revocation.invalid-token-200",
            ],
            OnResponse = Discovery(d => d.Remove("revocation_endpoint")),
        },

        // ---------------- the code exchange
        new("token-code-any-client-accepted", "a code is redeemed by any authenticated client, not only the one it was issued to", ["TokenEndpoint"],
            [K("token.code-bound-to-client", "another client's code .* was accepted")])
        {
            Source = "models providers that look the code up without comparing its client with the authenticated one (RFC 6749 §4.1.3)",
            MayTurnInconclusive = ["token.error-response-format"],
            OnRequest = (c, q) =>
            {
                RememberAuthorization(c, q);
                if (!IsGrant(c, q, "authorization_code") || q.Param("code") is not { } code || !Issuances(c).TryGetValue($"code:{code}", out var issued)) return;
                var presented = Credentials.Of(q);
                if (presented.Client is { } caller && caller != issued.ClientId && presented.Authenticates && BasicOf(c, issued.ClientId) is { } owner)
                    owner.ApplyTo(q);
            },
            OnResponse = (c, _, r) => RememberCode(c, r),
        },
        new("token-redirect-uri-unchecked", "the code exchange does not compare redirect_uri with the authorization request's", ["TokenEndpoint"],
            [K("token.code-bound-to-redirect-uri", "redirect_uri different .* was accepted")])
        {
            Source = "models providers that ignore redirect_uri at the token endpoint (RFC 6749 §4.1.3 requires it to match)",
            MayTurnInconclusive = ["token.error-response-format"],
            OnRequest = (c, q) =>
            {
                RememberAuthorization(c, q);
                if (!IsGrant(c, q, "authorization_code") || q.Param("code") is not { } code || !Issuances(c).TryGetValue($"code:{code}", out var issued)) return;
                if (issued.RedirectUri is { } registered && q.Param("redirect_uri") is { } given && given != registered) SetForm(q, "redirect_uri", registered);
            },
            OnResponse = (c, _, r) => RememberCode(c, r),
        },
        new("token-code-reuse-keeps-tokens", "a reused code is refused, but the tokens of its first redemption keep working", ["TokenEndpoint"],
            [K("token.code-reuse-revokes-tokens", "still active")])
        {
            Source = "models providers that delete a redeemed code without tracking the grant it produced (RFC 6749 §4.1.2 SHOULD revoke)",
            // the second redemption reaches the provider as a code it does not know: refused, but nothing is revoked
            Around = async (c, q, next) =>
            {
                if (!IsGrant(c, q, "authorization_code") || q.Param("code") is not { } code) return await next(q);
                if (Tokens(c, "redeemed-codes").ContainsKey(code)) SetForm(q, "code", "spent-" + code[..Math.Min(8, code.Length)]);
                var r = await next(q);
                if (r.Status == 200) Tokens(c, "redeemed-codes")[code] = code;
                return r;
            },
        },
        new("token-client-secret-post-refused", "client_secret_post is refused with invalid_client although the client is registered for it",
            ["TokenEndpoint", "Advertised"],
            [K("token.client-auth-method", "did not accept client_secret_post"), K("discovery.advertised-token-auth-methods-work", "client_secret_post")])
        {
            Source = "models providers that read client credentials only from the Authorization header (RFC 6749 §2.3.1 allows the body too)",
            Around = async (c, q, next) =>
            {
                var post = c.Is(q, Endpoint.Token) && q.IsForm && q.Param("client_secret") is not null && q.Header("Authorization") is null;
                var r = await next(q);
                return post && r.Status == 200 ? Error(401, "invalid_client", "client authentication failed") : r;
            },
        },
        new("cc-access-token-empty", "the client credentials grant answers with an empty access_token", ["TokenEndpoint"],
            [K("token.access-token", "empty|not a non-empty string|missing")])
        {
            Source = "models providers that fill the token field from a user session, which the client credentials grant has none of",
            OnResponse = (c, q, r) => { if (IsGrant(c, q, "client_credentials") && r.Status == 200) r.EditJson(j => j["access_token"] = ""); },
        },

        // ---------------- refresh
        new("refresh-token-not-issued", "the code exchange issues no refresh token to clients registered for the refresh_token grant", ["Refresh"],
            [K("refresh.token-issued", "no refresh_token")])
        {
            Source = "models providers that issue refresh tokens only when an extra setting outside the client registration is on",
            MayTurnInconclusive = ["refresh.grant-succeeds", .. AfterFirstRefresh],
            OnResponse = (c, q, r) => { if (IsGrant(c, q, "authorization_code") && r.Status == 200) r.EditJson(j => j.Remove("refresh_token")); },
        },
        new("refresh-grant-refused", "every refresh token the provider issued is refused with invalid_grant", ["Refresh"],
            [K("refresh.grant-succeeds", "refused")])
        {
            Source = "models a refresh handler that looks the token up under another key than it stored it (the token is never found)",
            MayTurnInconclusive = AfterFirstRefresh,
            Around = async (c, q, next) =>
            {
                if (IsGrant(c, q, "refresh_token") && q.Param("refresh_token") is { } rt && RefreshTokens(c).ContainsKey(rt))
                    return Error(400, "invalid_grant", "grant request is invalid");
                var r = await next(q);
                RememberIssued(c, q, r);
                return r;
            },
        },
        new("refresh-access-token-rejected", "the access token a refresh issues is refused at UserInfo", ["Refresh"],
            [K("refresh.access-token-works", "refused the refreshed access token")])
        {
            Source = "models providers that store refreshed access tokens where the resource endpoints do not look",
            Around = async (c, q, next) =>
            {
                if (c.Is(q, Endpoint.UserInfo) && q.Header("Authorization") is { } a && a.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase)
                    && Tokens(c, "refreshed-access").ContainsKey(a[7..].Trim()))
                    return InvalidToken();
                var r = await next(q);
                if (IsGrant(c, q, "refresh_token") && r.Status == 200 && r.Json?["access_token"]?.GetValue<string>() is { } at) Tokens(c, "refreshed-access")[at] = at;
                return r;
            },
        },
        new("refresh-public-not-rotated", "a public client's refresh returns the same refresh token (no rotation, no sender constraint)", ["Refresh"],
            [K("refresh.public-client-rotation", "same refresh token")])
        {
            Source = "models providers that rotate refresh tokens for no client (RFC 9700 §4.14.2 requires rotation or sender-constraining for public clients)",
            // the client keeps seeing its first refresh token; the proxy presents the provider's current one in its place
            MayTurnInconclusive = ["refresh.rotated-token-reuse-rejected", "refresh.reuse-revokes-active-token"],
            Around = async (c, q, next) =>
            {
                if (!IsGrant(c, q, "refresh_token") || q.Param("refresh_token") is not { } presented) return await next(q);
                var aliases = Tokens(c, "refresh-aliases");
                if (aliases.TryGetValue(presented, out var current)) SetForm(q, "refresh_token", current);
                var isPublic = IsPublicRequest(c, q);
                var r = await next(q);
                if (isPublic && r.Status == 200 && r.Json?["refresh_token"]?.GetValue<string>() is { } issued && issued != presented)
                {
                    aliases[presented] = issued;
                    r.EditJson(j => j["refresh_token"] = presented);
                }
                return r;
            },
        },
        new("refresh-reuse-keeps-grant", "the replay of a rotated-away refresh token is refused, but the grant's active refresh token keeps working",
            ["Refresh"], [K("refresh.reuse-revokes-active-token", "still works")])
        {
            Source = "models providers that delete a rotated refresh token without remembering its family (RFC 9700 §4.14.2 reuse detection)",
            // the replay reaches the provider as a token it does not know: refused, but its reuse detection never sees it
            Around = async (c, q, next) =>
            {
                if (!IsGrant(c, q, "refresh_token") || q.Param("refresh_token") is not { } presented) return await next(q);
                var used = Tokens(c, "rotated-away");
                if (used.ContainsKey(presented)) SetForm(q, "refresh_token", "rotated-" + presented[..Math.Min(8, presented.Length)]);
                var r = await next(q);
                if (r.Status == 200 && r.Json?["refresh_token"]?.GetValue<string>() is { } issued && issued != presented) used[presented] = presented;
                return r;
            },
        },
        new("refresh-scope-parameter-refused", "a refresh request with a scope parameter is refused with invalid_scope, a narrower scope too",
            ["Refresh"], [K("refresh.scope-narrowing", "was refused")])
        {
            Source = "models providers that accept no scope on refresh (RFC 6749 §6 allows a scope equal to or narrower than the grant)",
            MayTurnInconclusive = ["token.scope-reported"],
            Around = async (c, q, next) => IsGrant(c, q, "refresh_token") && q.Param("scope") is not null
                ? Error(400, "invalid_scope", "scope is not allowed on refresh")
                : await next(q),
        },
        new("refresh-widened-scope-invalid-grant", "a refresh asking for a scope beyond the grant is refused with invalid_grant instead of invalid_scope",
            ["Refresh"], [K("refresh.scope-not-widened", "expected invalid_scope")])
        {
            Source = "models providers that report every refresh they refuse as invalid_grant (RFC 6749 §5.2 reserves invalid_scope for it)",
            OnResponse = (c, q, r) =>
            {
                if (IsGrant(c, q, "refresh_token") && q.Param("scope") is not null && r.Status == 400 && r.Json?["error"]?.GetValue<string>() == "invalid_scope")
                    r.EditJson(j => j["error"] = "invalid_grant");
            },
        },

        // ---------------- ID token audience
        new("id-token-azp-other-client", "the ID token's azp names another client", ["IdToken"], [K("idtoken.azp", "azp")])
        {
            Source = "models providers that put the application's parent or default client into azp",
            OnResponse = TokenEndpointIdToken(p => p["azp"] = "another-client"),
        },
        new("id-token-audiences-without-azp", "the ID token has two audiences and no azp", ["IdToken"], [K("idtoken.azp-multiple-audiences", "no azp")])
        {
            Source = "models providers that add an API audience to the ID token (OIDC Core 1.0 §3.1.3.7 step 4: azp SHOULD be present then)",
            OnResponse = TokenEndpointIdToken(p =>
            {
                var client = p["aud"] is JsonArray a ? a[0]!.GetValue<string>() : p["aud"]!.GetValue<string>();
                p["aud"] = new JsonArray(client, "https://api.example.com");
                p.Remove("azp");
            }),
        },

        // ---------------- ID token and access token form
        new("id-token-json-serialization", "the code exchange returns the ID token as a JWS in JSON serialization, not compact", ["IdToken"],
            [K("idtoken.jws-compact", "dot-separated parts"), K("idtoken.microsoft-identitymodel-validation", "IDX14100|not well formed")])
        {
            Source = "models a JOSE library called with its JSON serializer (RFC 7515 §7.2) where OIDC Core 1.0 §2 requires the compact form",
            MayTurnInconclusive = IdTokenChecksOfTheReferenceToken,
            OnResponse = (c, q, r) =>
            {
                if (!IsGrant(c, q, "authorization_code") || r.Status != 200 || r.Json?["id_token"]?.GetValue<string>() is not { } token) return;
                var parts = token.Split('.');
                if (parts.Length != 3) return;
                var json = new JsonObject { ["payload"] = parts[1], ["protected"] = parts[0], ["signature"] = parts[2] }.ToJsonString();
                r.EditJson(j => j["id_token"] = c.Remember(token, json));
            },
        },
        new("access-token-jwt-credential-leak", "the access token is a JWT that embeds the user record with its password salt and TOTP secret", ["IdToken"],
            [K("token.jwt-access-token-no-credential-material", "passwordSalt|totpSecret")])
        {
            Source = "Casdoor 3.158.0, recorded: the access token is a JWT with the user record, passwordSalt included (Recorded/casdoor-3.158.0/exchanges.json; object/token_jwt.go)",
            OnResponse = (c, q, r) =>
            {
                if (!IsGrant(c, q, "authorization_code") || r.Status != 200 || r.Json?["access_token"]?.GetValue<string>() is not { } token) return;
                var sub = r.Json?["id_token"]?.GetValue<string>() is { } id ? System.Text.Json.JsonDocument.Parse(System.Buffers.Text.Base64Url.DecodeFromChars(id.Split('.')[1]))
                    .RootElement.GetProperty("sub").GetString() : "user";
                var blank = "eyJhbGciOiJub25lIn0." + System.Buffers.Text.Base64Url.EncodeToString("{}"u8) + ".";
                var jwt = c.RewriteJwt(blank, (h, p) =>
                {
                    h["typ"] = "at+jwt"; h["kid"] = c.Key.Kid;
                    p["iss"] = c.Origin; p["sub"] = sub; p["iat"] = FaultContext.Now; p["exp"] = FaultContext.Now + 3600;
                    p["passwordSalt"] = "be6b18e3795db770c616"; p["totpSecret"] = "JBSWY3DPEHPK3PXP";
                });
                r.EditJson(j => j["access_token"] = c.Remember(token, jwt));
            },
        },
        new("code-exchange-id-token-dropped", "the code exchange of an openid request returns no id_token", ["AuthorizationCode"],
            [K("token.id-token-issued", "id_token")])
        {
            Source = "models an OAuth 2.0 server whose OpenID Connect layer is off for the token endpoint (OIDC Core 1.0 §3.1.3.3 requires the ID token)",
            OnResponse = (c, q, r) => { if (IsGrant(c, q, "authorization_code") && r.Status == 200) r.EditJson(j => j.Remove("id_token")); },
        },

        // ---------------- UserInfo, introspection, advertised values
        new("userinfo-get-text-html", "UserInfo answers GET with the JSON claims served as text/html", ["UserInfo"],
            [K("userinfo.get-bearer", "Content-Type")])
        {
            Source = "models a framework default content type on a hand-written handler",
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.UserInfo) && q.Method == "GET" && r.Status == 200) r.SetHeader("Content-Type", "text/html; charset=utf-8"); },
        },
    ];

}
