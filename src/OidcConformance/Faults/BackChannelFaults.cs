using System.Collections.Concurrent;
using System.Text;
using System.Text.Json.Nodes;

using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of the back channel (issue #11, fault kill coverage): the token endpoint's refusals, refresh, introspection and
/// revocation. Each is one provider bug, injected by rewriting the answer (or the credentials) in the proxy. Several need to
/// know who owns a token: <see cref="Owners"/> remembers, for every token the token endpoint issued, the client credentials
/// of the request that got it, so that a fault can present a request to the provider as if the owner had sent it (the bug
/// "the provider does not check which client is asking").
/// </summary>
public static class BackChannelFaults
{

    // ------------------------------------------------------------------ helpers

    /// <summary>How a request authenticated its client: the Authorization header and/or client_id and client_secret in the form.</summary>
    internal sealed record Credentials(string? Authorization, string? ClientId, string? ClientSecret)
    {
        /// <summary>The client named by the request (HTTP Basic user, or client_id in the form), authenticated or not.</summary>
        public string? Client
        {
            get
            {
                if (Authorization is { } a && a.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase))
                {
                    try { return Uri.UnescapeDataString(Encoding.UTF8.GetString(Convert.FromBase64String(a[6..].Trim())).Split(':')[0].Replace('+', ' ')); }
                    catch (FormatException) { return null; }
                }
                return ClientId;
            }
        }

        /// <summary>A credential is presented at all (a secret in a header or in the form).</summary>
        public bool Authenticates => Authorization?.StartsWith("Basic ", StringComparison.OrdinalIgnoreCase) == true || ClientSecret is not null;

        public static Credentials Of(ProxyRequest q) => new(q.Header("Authorization"), q.Form.FirstOrDefault(p => p.Key == "client_id").Value,
            q.Form.FirstOrDefault(p => p.Key == "client_secret").Value);

        /// <summary>Replaces the request's client authentication with this one.</summary>
        public void ApplyTo(ProxyRequest q)
        {
            q.SetHeader("Authorization", Authorization);
            var form = q.Form.Where(p => p.Key is not ("client_id" or "client_secret")).ToList();
            if (ClientId is not null) form.Add(new("client_id", ClientId));
            if (ClientSecret is not null) form.Add(new("client_secret", ClientSecret));
            q.Form = form;
        }
    }

    internal static ConcurrentDictionary<string, Credentials> Owners(FaultContext c) =>
        (ConcurrentDictionary<string, Credentials>)c.State.GetOrAdd("back-channel:owners", _ => new ConcurrentDictionary<string, Credentials>());

    internal static ConcurrentDictionary<string, bool> RefreshTokens(FaultContext c) =>
        (ConcurrentDictionary<string, bool>)c.State.GetOrAdd("back-channel:refresh-tokens", _ => new ConcurrentDictionary<string, bool>());

    internal static ConcurrentDictionary<string, bool> Codes(FaultContext c) =>
        (ConcurrentDictionary<string, bool>)c.State.GetOrAdd("back-channel:codes", _ => new ConcurrentDictionary<string, bool>());

    /// <summary>Remembers the tokens a successful token response issued, with the credentials of the request that got them.</summary>
    internal static void RememberIssued(FaultContext c, ProxyRequest q, ProxyResponse r)
    {
        if (!c.Is(q, Endpoint.Token) || r.Status != 200 || r.Json is not { } json || !q.IsForm) return;
        var credentials = Credentials.Of(q);
        foreach (var field in new[] { "access_token", "refresh_token" })
            if (json[field] is JsonValue v && v.TryGetValue<string>(out var token))
            {
                Owners(c)[token] = credentials;
                if (field == "refresh_token") RefreshTokens(c)[token] = true;
            }
    }

    /// <summary>Remembers the authorization codes the front channel delivered (redirects and form_post pages).</summary>
    internal static void RememberCodes(FaultContext c, ProxyResponse r) =>
        c.EditFrontChannel(r, (name, value) => { if (name == "code") Codes(c)[value] = true; return value; });

    internal static ProxyResponse Error(int status, string error, string description)
    {
        var r = ProxyResponse.JsonResponse(status, new JsonObject { ["error"] = error, ["error_description"] = description });
        r.SetHeader("Cache-Control", "no-store");
        return r;
    }

    /// <summary>Edits the JSON of successful introspection answers whose active member is <paramref name="active"/>.</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> Introspection(bool active, Action<JsonObject> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Introspection) && r.Status == 200 && r.Json?["active"] is JsonValue v && v.TryGetValue<bool>(out var a) && a == active)
            r.EditJson(edit);
    };

    /// <summary>Rewrites the error code of the token endpoint's refusals of <paramref name="grant"/> requests that <paramref name="when"/> selects.</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> TokenError(string from, string to, Func<FaultContext, ProxyRequest, bool> when) =>
        (c, q, r) =>
        {
            if (!c.Is(q, Endpoint.Token) || r.Status < 400 || r.Json?["error"]?.GetValue<string>() != from || !when(c, q)) return;
            r.EditJson(j => j["error"] = to);
        };

    /// <summary>The grant types RFC 6749 and its extensions define: anything else is an unknown grant type.</summary>
    private static readonly string[] KnownGrants =
    [
        "authorization_code", "refresh_token", "client_credentials", "password", "implicit",
        "urn:ietf:params:oauth:grant-type:device_code", "urn:ietf:params:oauth:grant-type:jwt-bearer",
        "urn:ietf:params:oauth:grant-type:saml2-bearer", "urn:ietf:params:oauth:grant-type:token-exchange", "urn:openid:params:grant-type:ciba",
    ];

    /// <summary>
    /// A token sent to <paramref name="endpoint"/> (form member <paramref name="field"/>) by a request whose credentials
    /// <paramref name="swap"/> selects reaches the provider with the owner's credentials instead: the provider does not check
    /// who asks.
    /// </summary>
    private static Action<FaultContext, ProxyRequest> AsOwner(Endpoint endpoint, string field, Func<Credentials, Credentials, bool> swap) => (c, q) =>
    {
        if (!c.Is(q, endpoint) || !q.IsForm || q.Param(field) is not { } token || !Owners(c).TryGetValue(token, out var owner)) return;
        if (endpoint == Endpoint.Token && q.Param("grant_type") != "refresh_token") return;
        var presented = Credentials.Of(q);
        if (presented == owner || !swap(presented, owner)) return;
        owner.ApplyTo(q);
    };

    private static bool OtherClient(Credentials presented, Credentials owner) =>
        presented.Client is { } caller && owner.Client is { } o && caller != o && presented.Authenticates && owner.Authenticates;

    private static bool SameClientWithoutCredentials(Credentials presented, Credentials owner) =>
        owner.Authenticates && !presented.Authenticates && (presented.Client is null || presented.Client == owner.Client);

    private static bool SameClientWrongCredentials(Credentials presented, Credentials owner) =>
        owner.Authenticates && presented.Client == owner.Client && presented.Authenticates;

    // ------------------------------------------------------------------ the faults

    public static readonly IReadOnlyList<Fault> All =
    [
        // ---------------- token endpoint: the error codes of RFC 6749 §5.2
        new("token-unknown-grant-invalid-request", "an unknown grant_type is refused with invalid_request instead of unsupported_grant_type",
            ["TokenEndpoint"], [K("token.unsupported-grant-type", "unsupported_grant_type")])
        {
            Source = "models providers whose grant dispatch falls through to a generic parameter error (the grant type is not a missing parameter)",
            OnResponse = TokenError("unsupported_grant_type", "invalid_request",
                (_, q) => q.Param("grant_type") is { } g && !KnownGrants.Contains(g)),
        },
        new("token-missing-grant-unsupported", "a token request without grant_type is refused with unsupported_grant_type instead of invalid_request",
            ["TokenEndpoint"], [K("token.missing-grant-type", "invalid_request")])
        {
            Source = "models a grant switch whose default branch answers every unmatched grant_type (the empty one too) with unsupported_grant_type",
            OnResponse = TokenError("invalid_request", "unsupported_grant_type", (_, q) => q.Param("grant_type") is null),
        },
        new("token-unknown-code-invalid-request", "a code the provider never issued is refused with invalid_request instead of invalid_grant",
            ["TokenEndpoint"], [K("token.invalid-code", "invalid_grant")])
        {
            Source = "models providers that report a failed code lookup as a malformed request",
            OnResponse = (c, q, r) =>
            {
                RememberCodes(c, r);
                if (c.Is(q, Endpoint.Token) && q.Param("grant_type") == "authorization_code" && q.Param("code") is { } code && !Codes(c).ContainsKey(code))
                    TokenError("invalid_grant", "invalid_request", (_, _) => true)(c, q, r);
            },
        },
        new("token-expires-in-dropped", "token responses carry no expires_in", ["TokenEndpoint"],
            [K("token.expires-in-present", "expires_in")])
        {
            Source = "models providers that leave the token lifetime out (expires_in is RECOMMENDED by RFC 6749 §5.1)",
            MayTurnInconclusive = ["token.expires-in-numeric"],
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Token) && r.Status == 200) r.EditJson(j => j.Remove("expires_in")); },
        },

        // ---------------- refresh
        new("refresh-unknown-token-invalid-request", "a refresh token the provider never issued is refused with invalid_request instead of invalid_grant",
            ["Refresh"], [K("refresh.invalid-token-rejected", "invalid_grant")])
        {
            Source = "models providers that report a failed refresh-token lookup as a malformed request",
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token) && q.Param("grant_type") == "refresh_token" && q.Param("refresh_token") is { } rt && !RefreshTokens(c).ContainsKey(rt))
                    TokenError("invalid_grant", "invalid_request", (_, _) => true)(c, q, r);
                RememberIssued(c, q, r);
            },
        },
        new("refresh-any-client-accepted", "a refresh token is accepted from any authenticated client, not only the one it was issued to",
            ["Refresh"], [K("refresh.bound-to-client", "not issued to")])
        {
            Source = "models providers that look the refresh token up without comparing its client with the authenticated one (RFC 6749 §6, §10.4)",
            OnRequest = AsOwner(Endpoint.Token, "refresh_token", OtherClient),
            OnResponse = RememberIssued,
        },
        new("refresh-client-auth-skipped", "a confidential client's refresh is accepted without (or with wrong) client credentials",
            ["Refresh"], [K("refresh.confidential-client-authentication", "without valid client authentication")])
        {
            Source = "models providers that authenticate the client only for the code exchange; RFC 6749 §6 requires it for refresh too",
            OnRequest = AsOwner(Endpoint.Token, "refresh_token", (p, o) => SameClientWithoutCredentials(p, o) || SameClientWrongCredentials(p, o)),
            OnResponse = RememberIssued,
        },

        // ---------------- introspection (RFC 7662)
        new("introspection-exp-past", "introspection reports an active token with an exp an hour in the past", ["Introspection"],
            [K("introspection.exp-future", "past")])
        {
            Source = "Casdoor #3711 (introspection out of line with the token's expiry)",
            OnResponse = Introspection(true, j => j["exp"] = FaultContext.Now - 3600),
        },
        new("introspection-sub-wrong", "introspection reports a sub that is not the token's subject (the internal user id)", ["Introspection"],
            [K("introspection.sub-of-token", "sub")])
        {
            Source = "models providers that put their database id in introspection's sub but a public id in the ID token",
            OnResponse = Introspection(true, j => { if (j["sub"] is { } s) j["sub"] = "internal-" + s.GetValue<string>(); }),
        },
        new("introspection-scope-widened", "introspection reports scopes the token was not granted (the client's registered scopes)", ["Introspection"],
            [K("introspection.scope-granted", "not granted")])
        {
            Source = "models providers that report the client's allowed scopes instead of the token's granted ones",
            OnResponse = Introspection(true, j => { if (j["scope"] is { } s) j["scope"] = s.GetValue<string>() + " admin"; }),
        },
        new("introspection-members-dropped", "introspection of an active token omits token_type", ["Introspection"],
            [K("introspection.active-members", "token_type")])
        {
            OnResponse = Introspection(true, j => j.Remove("token_type")),
        },
        new("introspection-inactive-details", "introspection of an inactive token still discloses its client and subject", ["Introspection"],
            [K("introspection.inactive-no-details", "discloses")])
        {
            Source = "models providers that serialize the whole token record and only set active false",
            OnResponse = Introspection(false, j => { j["client_id"] = "conf-client"; j["token_type"] = "access_token"; }),
        },
        new("introspection-text-plain", "introspection answers are served as text/plain", ["Introspection"],
            [K("introspection.response-json", "Content-Type")])
        {
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Introspection) && r.Status == 200) r.SetHeader("Content-Type", "text/plain; charset=utf-8"); },
        },
        new("introspection-hint-not-extended", "introspection looks a token up only among the type token_type_hint names", ["Introspection"],
            [K("introspection.wrong-hint", "extend")])
        {
            Source = "models providers that treat token_type_hint as a filter, which RFC 7662 §2.1 forbids",
            OnResponse = (c, q, r) =>
            {
                RememberIssued(c, q, r);
                if (!c.Is(q, Endpoint.Introspection) || r.Status != 200 || q.Param("token") is not { } token || q.Param("token_type_hint") is not { } hint) return;
                var isRefresh = RefreshTokens(c).ContainsKey(token);
                if ((hint == "refresh_token" && !isRefresh) || (hint == "access_token" && isRefresh))
                    r.Body = ProxyResponse.JsonResponse(200, new JsonObject { ["active"] = false }).Body;
            },
        },
        new("introspection-refresh-token-unknown", "introspection knows only access tokens: a valid refresh token is reported active false", ["Introspection"],
            [K("introspection.refresh-token-active", "refresh token is reported")])
        {
            Source = "models providers that introspect only their access token table",
            // with the refresh token never active, the wrong-hint case for it and its revoked-token case have no active token to start from
            MayTurnInconclusive = ["introspection.wrong-hint", "introspection.inactive-token"],
            OnResponse = (c, q, r) =>
            {
                RememberIssued(c, q, r);
                if (c.Is(q, Endpoint.Introspection) && r.Status == 200 && q.Param("token") is { } token && RefreshTokens(c).ContainsKey(token))
                    r.Body = ProxyResponse.JsonResponse(200, new JsonObject { ["active"] = false }).Body;
            },
        },
        new("introspection-invalid-client-basic-400", "introspection answers a wrong secret in the Authorization header with 400, not 401", ["Introspection"],
            [K("introspection.invalid-client", "401")])
        {
            Source = "Casdoor #3162 (invalid_client with HTTP 400), at the introspection endpoint",
            OnResponse = FaultCatalog.InvalidClientAs400(Endpoint.Introspection),
        },
        new("introspection-foreign-token-error", "introspection of another client's token is answered 403 instead of active false", ["Introspection"],
            [K("introspection.foreign-token", "not an error")])
        {
            Source = "models providers that treat a token of another client as an authorization failure (RFC 7662 §2.2 wants active false)",
            MayTurnInconclusive = ["introspection.client-id-of-token"],
            Around = async (c, q, next) =>
            {
                if (c.Is(q, Endpoint.Introspection) && q.IsForm && q.Param("token") is { } token && Owners(c).TryGetValue(token, out var owner)
                    && OtherClient(Credentials.Of(q), owner))
                    return Error(403, "access_denied", "the token was not issued to this client");
                var r = await next(q);
                RememberIssued(c, q, r);
                return r;
            },
        },

        // ---------------- revocation (RFC 7009)
        new("revocation-unknown-token-400", "revocation of a token the provider never issued is answered 400 invalid_token", ["Revocation"],
            [K("revocation.invalid-token-200", "200")])
        {
            Source = "models providers that report an unknown token as an error; RFC 7009 §2.2 requires 200",
            Around = async (c, q, next) =>
            {
                if (c.Is(q, Endpoint.Revocation) && q.IsForm && q.Param("token") is { } token && !Owners(c).ContainsKey(token))
                {
                    var answer = await next(q);
                    return answer.Status == 200 ? Error(400, "invalid_token", "token not found") : answer;
                }
                var r = await next(q);
                RememberIssued(c, q, r);
                return r;
            },
        },
        new("revocation-invalid-client-basic-400", "revocation answers a wrong secret in the Authorization header with 400, not 401", ["Revocation"],
            [K("revocation.invalid-client", "401")])
        {
            Source = "Casdoor #3162 (invalid_client with HTTP 400), at the revocation endpoint",
            OnResponse = FaultCatalog.InvalidClientAs400(Endpoint.Revocation),
        },
        new("revocation-without-auth-accepted", "revocation without client credentials is accepted and revokes the token", ["Revocation"],
            [K("revocation.client-auth-required", "accepted|revoked")])
        {
            Source = "models providers that revoke whatever token they are shown (RFC 7009 §2.1 requires client authentication)",
            // the attempts share one grant (RevocationFlow.UnauthenticatedAsync): once the first revoked it, the later cases have no
            // working refresh token to start from
            MayTurnInconclusive = ["revocation.client-auth-required"],
            OnRequest = AsOwner(Endpoint.Revocation, "token", SameClientWithoutCredentials),
            OnResponse = RememberIssued,
        },
        new("revocation-other-client-accepted", "revocation by another client is accepted and revokes the owner's token", ["Revocation"],
            [K("revocation.other-client", "another client revoked")])
        {
            Source = "models providers that do not check that the token was issued to the requesting client (RFC 7009 §2.1)",
            OnRequest = AsOwner(Endpoint.Revocation, "token", OtherClient),
            OnResponse = RememberIssued,
        },
    ];
}
