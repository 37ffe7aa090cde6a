using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using OidcConformance.Http;

using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of the front channel (issue #11, fault kill coverage): the authorization endpoint's answers to malformed or unusual
/// requests, the PKCE parameters, and the implicit and hybrid responses. Each is one provider bug, injected by rewriting the
/// authorization request before the provider sees it, the authorization response (redirect or form_post page) after, or the
/// code exchange that follows. Several faults need to tie a code to its request: the request's state is remembered when the
/// request passes, and the code that comes back with that state (in the redirect or form_post page after the login) is
/// tied to it (<see cref="TieCodeToState"/>).
/// </summary>
public static partial class FrontChannelFaults
{
    // ------------------------------------------------------------------ helpers

    /// <summary>The parameters that mark an authorization response (redirect or form_post page) to the client.</summary>
    private static readonly string[] ResponseMarkers = ["code", "state", "id_token", "access_token", "error"];

    /// <summary>
    /// Reads the authorization response parameters of <paramref name="r"/> without changing it: the query or fragment of a
    /// redirect to the client, or the hidden inputs of a form_post page (the places <see cref="FaultContext.EditFrontChannel"/> edits).
    /// </summary>
    private static List<KeyValuePair<string, string>> ReadFront(FaultContext c, ProxyResponse r)
    {
        if (r.Header("Location") is { } location && !location.StartsWith(c.Origin, StringComparison.Ordinal) && !location.StartsWith('/'))
        {
            var hashAt = location.IndexOf('#');
            var at = hashAt >= 0 ? hashAt : location.IndexOf('?');
            if (at >= 0)
            {
                var pairs = FormCodec.Parse(location[(at + 1)..]);
                if (pairs.Any(p => ResponseMarkers.Contains(p.Key))) return pairs;
            }
        }
        if (r.Header("Content-Type")?.Contains("html") == true && r.BodyText.Contains("<form", StringComparison.OrdinalIgnoreCase))
        {
            var pairs = HiddenInput().Matches(r.BodyText)
                .Select(m => new KeyValuePair<string, string>(System.Net.WebUtility.HtmlDecode(m.Groups["name"].Value), System.Net.WebUtility.HtmlDecode(m.Groups["value"].Value)))
                .ToList();
            if (pairs.Any(p => ResponseMarkers.Contains(p.Key))) return pairs;
        }
        return [];
    }

    [GeneratedRegex("<input[^>]*?name=\"(?<name>[^\"]*)\"[^>]*?value=\"(?<value>[^\"]*)\"[^>]*>", RegexOptions.IgnoreCase)]
    private static partial Regex HiddenInput();

    private static bool Has(List<KeyValuePair<string, string>> ps, string name) => ps.Any(p => p.Key == name && p.Value.Length > 0);
    private static string? Get(List<KeyValuePair<string, string>> ps, string name) => ps.FirstOrDefault(p => p.Key == name).Value;

    /// <summary>Edits the front-channel response only when its parameters satisfy <paramref name="when"/>.</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> FrontWhen(Func<List<KeyValuePair<string, string>>, bool> when,
        Func<string, string, string?> edit, Func<List<KeyValuePair<string, string>>, IEnumerable<KeyValuePair<string, string>>>? add = null) => (c, _, r) =>
    {
        var ps = ReadFront(c, r);
        if (ps.Count == 0 || !when(ps)) return;
        c.EditFrontChannel(r, edit, add?.Invoke(ps));
    };

    /// <summary>An access token travels in the front channel (implicit id_token token, hybrid code token / code id_token token).</summary>
    private static bool WithAccessToken(List<KeyValuePair<string, string>> ps) => Has(ps, "access_token") && !Has(ps, "error");

    /// <summary>The authorization request (the endpoint itself, not the login and consent pages below it).</summary>
    private static bool IsAuthorizationRequest(FaultContext c, ProxyRequest q) => c.Is(q, Endpoint.Authorization) && q.Method == "GET";

    /// <summary>
    /// The error redirect a provider sends for a request it refuses (RFC 6749 §4.1.2.1, §4.2.2.1): error, error_description,
    /// the request's state and iss (the embedded provider advertises authorization_response_iss_parameter_supported), in the
    /// query for response_type=code and in the fragment for the types that return tokens.
    /// </summary>
    private static ProxyResponse ErrorRedirect(FaultContext c, ProxyRequest q, string redirectUri, string error, string description)
    {
        var ps = new List<KeyValuePair<string, string>> { new("error", error), new("error_description", description) };
        if (q.Param("state") is { } state) ps.Add(new("state", state));
        ps.Add(new("iss", c.Origin));
        var rt = q.Param("response_type") ?? "code";
        var fragment = q.Param("response_mode") == "fragment" || rt.Split(' ').Any(p => p is "token" or "id_token");
        var r = new ProxyResponse(302, []);
        r.SetHeader("Location", redirectUri + (fragment ? "#" : redirectUri.Contains('?') ? "&" : "?") + FormCodec.Encode(ps));
        return r;
    }

    /// <summary>Refuses authorization requests that <paramref name="refuse"/> picks with an error redirect (<see cref="ErrorRedirect"/>).</summary>
    private static Func<FaultContext, ProxyRequest, Func<ProxyRequest, Task<ProxyResponse>>, Task<ProxyResponse>> RefuseWith(
        Func<ProxyRequest, bool> refuse, string error, string description) => async (c, q, next) =>
    {
        if (!IsAuthorizationRequest(c, q) || q.Param("redirect_uri") is not { } redirect || !refuse(q)) return await next(q);
        return ErrorRedirect(c, q, redirect, error, description);
    };

    /// <summary>Replaces (or with null removes, or adds) a parameter of the authorization request's query.</summary>
    private static void SetQuery(ProxyRequest q, string name, string? value)
    {
        var ps = q.QueryParams.Where(p => p.Key != name).ToList();
        if (value is not null)
        {
            var at = q.QueryParams.FindIndex(p => p.Key == name);
            ps.Insert(at < 0 ? ps.Count : Math.Min(at, ps.Count), new(name, value));
        }
        q.QueryParams = ps;
    }

    private static string S256(string verifier) =>
        System.Buffers.Text.Base64Url.EncodeToString(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    /// <summary>A well-formed RFC 7636 code_verifier (43 unreserved characters).</summary>
    private static string NewVerifier() => System.Buffers.Text.Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(32));

    /// <summary>
    /// Ties the code of an authorization response to what <paramref name="prefix"/> remembered for the request's state
    /// (state:{state} → code:{code}), so that the code exchange later finds it.
    /// </summary>
    private static void TieCodeToState(FaultContext c, ProxyResponse r, string prefix)
    {
        var ps = ReadFront(c, r);
        if (Get(ps, "code") is { Length: > 0 } code && Get(ps, "state") is { } state && c.State.TryGetValue($"{prefix}:state:{state}", out var remembered))
            c.State[$"{prefix}:code:{code}"] = remembered;
    }

    private static bool IsCodeExchange(FaultContext c, ProxyRequest q) =>
        c.Is(q, Endpoint.Token) && q.IsForm && q.Param("grant_type") == "authorization_code";

    /// <summary>ID tokens of the code exchange (the token endpoint's, not the front channel's).</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> CodeExchangeIdToken(Action<ProxyRequest, JsonObject> edit) => (c, q, r) =>
    {
        if (!IsCodeExchange(c, q) || r.Status != 200 || r.Json?["id_token"]?.GetValue<string>() is not { } token) return;
        r.EditJson(j => j["id_token"] = c.RewriteJwt(token, (_, p) => edit(q, p)));
    };

    /// <summary>Moves the response parameters of a redirect from its query to its fragment, or back.</summary>
    private static void MoveResponse(ProxyResponse r, bool toFragment)
    {
        if (r.Header("Location") is not { } location) return;
        if (toFragment)
        {
            var at = location.IndexOf('?');
            if (at < 0 || location.Contains('#')) return;
            var all = FormCodec.Parse(location[(at + 1)..]);
            var moved = all.Where(p => p.Key is "code" or "state" or "iss" or "session_state").ToList();
            var kept = all.Except(moved).ToList();
            r.SetHeader("Location", location[..at] + (kept.Count > 0 ? "?" + FormCodec.Encode(kept) : "") + "#" + FormCodec.Encode(moved));
        }
        else
        {
            var at = location.IndexOf('#');
            if (at < 0) return;
            var baseUri = location[..at];
            r.SetHeader("Location", baseUri + (baseUri.Contains('?') ? "&" : "?") + location[(at + 1)..]);
        }
    }

    /// <summary>The standard authorization request parameters (IANA "OAuth Parameters", authorization request; OIDC Core §3.1.2.1, §6).</summary>
    private static readonly HashSet<string> KnownAuthorizationParameters =
    [
        "response_type", "client_id", "redirect_uri", "scope", "state", "code_challenge", "code_challenge_method", "nonce", "display", "prompt",
        "max_age", "ui_locales", "claims_locales", "id_token_hint", "login_hint", "acr_values", "claims", "registration", "request", "request_uri",
        "response_mode", "resource", "audience", "dpop_jkt", "authorization_details",
    ];

    // ------------------------------------------------------------------ the faults

    public static readonly IReadOnlyList<Fault> All =
    [
        // ---------------- a request the provider cannot tie to a client is redirected anyway
        new("authz-missing-client-id-redirects-error", "a request without client_id is answered with an error redirect to the redirect_uri it names",
            ["AuthorizationEndpoint"], [K("authz.client-id-missing-no-redirect", "redirected the browser to .*MUST NOT redirect")])
        {
            Source = "RFC 6749 §4.1.2.1 (\"MUST NOT automatically redirect\" when the client identifier is missing); models providers that build " +
                     "the error redirect before they look the client up",
            Around = async (c, q, next) =>
            {
                var r = await next(q);
                if (!IsAuthorizationRequest(c, q) || r.Status < 400 || q.Param("client_id") is not null || q.Param("redirect_uri") is not { } redirect) return r;
                return ErrorRedirect(c, q, redirect, "invalid_request", "missing required parameter 'client_id'");
            },
        },
        new("authz-unknown-client-redirects-error", "a request with an unknown client_id is answered with an error redirect to the redirect_uri it names",
            ["AuthorizationEndpoint"], [K("authz.client-id-unknown-no-redirect", "redirected the browser to .*MUST NOT redirect")])
        {
            Source = "RFC 6749 §4.1.2.1 (\"MUST NOT automatically redirect\" when the client identifier is invalid): an open redirector through " +
                     "any unregistered client_id; models providers that send every error to the given redirect_uri",
            // the embedded provider's error page for an unknown client names invalid_client (oidc-provider renderError)
            Around = async (c, q, next) =>
            {
                var r = await next(q);
                if (!IsAuthorizationRequest(c, q) || r.Status < 400 || q.Param("client_id") is null || q.Param("redirect_uri") is not { } redirect
                    || !r.BodyText.Contains("invalid_client", StringComparison.Ordinal)) return r;
                return ErrorRedirect(c, q, redirect, "invalid_client", "client is invalid");
            },
        },

        // ---------------- malformed requests that get a code
        new("authz-response-type-defaults-to-code", "a request without response_type is treated as response_type=code and gets a code",
            ["AuthorizationEndpoint"], [K("authz.response-type-missing-rejected", "issued code")])
        {
            Source = "models providers that default a missing response_type to code (RFC 6749 §3.1.1: response_type is REQUIRED)",
            // no error is redirected any more for the missing response_type, so its state-echo case has nothing to judge
            MayTurnInconclusive = ["authz.error-response-state-echoed"],
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("client_id") is not null && q.Param("response_type") is null) SetQuery(q, "response_type", "code");
            },
        },
        new("authz-unknown-response-type-as-code", "an unknown response_type is treated as response_type=code and gets a code",
            ["AuthorizationEndpoint"], [K("authz.response-type-unknown-rejected", "issued code")])
        {
            Source = "models providers whose response_type switch falls through to the code flow (RFC 6749 §3.1.1: unsupported_response_type)",
            MayTurnInconclusive = ["authz.error-response-state-echoed"],
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("response_type") is { } rt
                    && rt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Any(p => p is not ("code" or "id_token" or "token" or "none")))
                    SetQuery(q, "response_type", "code");
            },
        },
        new("authz-duplicate-parameters-accepted", "a repeated authorization request parameter is read once (the first occurrence) and the flow succeeds",
            ["AuthorizationEndpoint"], [K("authz.duplicate-parameters-rejected", "issued code")])
        {
            Source = "Casdoor 3.158.0 web/src/auth/Util.js getOAuthGetParameters (URLSearchParams.get reads the first occurrence; docs/casdoor.md " +
                     "authz-duplicate-parameters-accepted)",
            OnRequest = (c, q) =>
            {
                if (!IsAuthorizationRequest(c, q)) return;
                var ps = q.QueryParams;
                var firsts = ps.GroupBy(p => p.Key).Select(g => g.First()).ToList();
                if (firsts.Count != ps.Count) q.QueryParams = firsts;
            },
        },

        // ---------------- requests that must work but are refused
        new("authz-unknown-parameter-rejected", "an authorization request with a parameter outside the registered ones is refused with invalid_request",
            ["AuthorizationEndpoint"], [K("authz.unknown-parameters-ignored", "answered error 'invalid_request'")])
        {
            Source = "models providers with a strict parameter allow-list (RFC 6749 §3.1: the server MUST ignore unrecognized request parameters)",
            Around = RefuseWith(q => q.QueryParams.Any(p => !KnownAuthorizationParameters.Contains(p.Key)), "invalid_request", "unrecognized request parameter"),
        },
        new("authz-login-hint-refused", "a request with login_hint is refused: the hint is looked up as an e-mail address and no user is found",
            ["AuthorizationEndpoint"], [K("authz.login-hint-accepted", "answered error 'invalid_request'")])
        {
            Source = "models providers that resolve login_hint only as an e-mail address and fail the request otherwise (OIDC Core §3.1.2.1: a hint, " +
                     "OPTIONAL to honour)",
            Around = RefuseWith(q => q.Param("login_hint") is not null, "invalid_request", "login_hint: no user with this e-mail address"),
        },
        new("authz-claim-scope-without-profile-refused", "a claim scope (email, address, phone) requested without profile is refused with invalid_scope",
            ["Advertised"], [K("discovery.advertised-scopes-work", "but refused")])
        {
            Source = "models providers whose scope handling assumes profile comes with every other claim scope (OIDC Core §5.4: each scope value " +
                     "can be requested on its own; scopes_supported advertises them one by one)",
            Around = RefuseWith(q => q.Param("scope")?.Split(' ') is { } v && !v.Contains("profile") && v.Any(x => x is "email" or "address" or "phone"),
                "invalid_scope", "this scope requires profile"),
        },
        new("authz-nonce-required-for-code", "a response_type=code request without nonce is refused with invalid_request",
            ["AuthorizationEndpoint"], [K("authz.nonce-optional-code-flow", "answered error 'invalid_request'")])
        {
            Source = "models providers that require nonce for every OpenID request (OIDC Core §3.1.2.1: nonce is OPTIONAL for the code flow; " +
                     "OIDF oidcc-ensure-request-without-nonce-succeeds-for-code-flow)",
            Around = RefuseWith(q => q.Param("response_type") == "code" && q.Param("nonce") is null, "invalid_request", "missing required parameter 'nonce'"),
        },
        new("authz-prompt-none-shows-login", "prompt=none is ignored: a request without a session shows the login page",
            ["AuthorizationEndpoint"], [K("authz.prompt-none-login-required", "login page")])
        {
            Source = "Casdoor 3.158.0 (docs/casdoor.md authz-prompt-none-ignored, A-19: prompt is read nowhere)",
            // with no login_required redirect, its state-echo case has no error to judge
            MayTurnInconclusive = ["authz.error-response-state-echoed"],
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("prompt") == "none") SetQuery(q, "prompt", null);
            },
        },
        new("authz-error-state-dropped", "error responses redirected to the client omit the request's state (successful ones keep it)",
            ["AuthorizationEndpoint"], [K("authz.error-response-state-echoed", "without state")])
        {
            Source = "models providers whose error redirect is built from the error alone (RFC 6749 §4.1.2.1: state REQUIRED if sent)",
            OnResponse = FrontWhen(ps => Has(ps, "error"), (n, v) => n == "state" ? null : v),
        },

        // ---------------- response modes and where the code travels
        new("authz-form-post-ignored", "response_mode=form_post is ignored: the response is redirected in the query (code) or the fragment (implicit, hybrid)",
            ["AuthorizationEndpoint", "Implicit", "Hybrid"],
            [K("authz.response-mode-honoured", "not in the form_post body"), K("frontchannel.form-post", "instead of an HTTP POST")])
        {
            Source = "Casdoor 3.158.0 web/src/auth/LoginPage.js postCodeLoginAction (docs/casdoor.md form-post-ignored-for-code, A-16: response_mode " +
                     "is ignored for code); the fault ignores it for the implicit and hybrid types too, where Casdoor does auto-POST (A-18)",
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("response_mode") == "form_post") SetQuery(q, "response_mode", null);
            },
        },
        new("authz-fragment-mode-ignored", "response_mode=fragment is ignored for response_type=code: the code is redirected in the query",
            ["AuthorizationEndpoint"], [K("authz.response-mode-honoured", "not in the fragment")])
        {
            Source = "Casdoor 3.158.0 (docs/casdoor.md discovery-unsupported-response-modes, A-16: fragment advertised, the code always in the query)",
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("response_mode") == "fragment" && q.Param("response_type") == "code")
                    SetQuery(q, "response_mode", null);
            },
        },
        new("authz-code-in-fragment", "the response to response_type=code (without response_mode) is redirected in the fragment, not the query",
            ["AuthorizationCode"], [K("authz.code-response-in-query", "arrived in the fragment")])
        {
            Source = "models providers that encode every authorization response in the fragment (OAuth 2.0 Multiple Response Types §2.1: the " +
                     "default mode of code is query)",
            OnResponse = (c, _, r) =>
            {
                var ps = ReadFront(c, r);
                if (Has(ps, "code") && !Has(ps, "id_token") && !Has(ps, "access_token") && r.Header("Location") is not null) MoveResponse(r, toFragment: true);
            },
        },
        new("authz-code-step-broken", "the authorization endpoint answers every completed code login with error=server_error instead of the code",
            ["AuthorizationCode"], [K("authz.code-returned", "answered error 'server_error'")])
        {
            Source = "models a provider release whose code issuance fails after the login (the code cannot be stored): every code flow ends in an error redirect",
            // without a code there is nothing to locate nor exchange: the reference flow's token checks have no token response
            MayTurnInconclusive = ["authz.code-response-in-query", "token.success-json", "token.access-token", "token.token-type-bearer",
                "token.expires-in-present", "token.expires-in-numeric", "token.cache-control-no-store", "token.pragma-no-cache", "token.id-token-issued"],
            OnResponse = FrontWhen(ps => Has(ps, "code") && !Has(ps, "id_token") && !Has(ps, "access_token") && !Has(ps, "error"),
                (n, v) => n == "code" ? null : v,
                _ => [new("error", "server_error"), new("error_description", "authorization code could not be issued")]),
        },

        // ---------------- scope
        new("authz-undefined-scope-granted", "a scope value the provider never defined is granted: the token response's scope echoes the requested scope",
            ["Scope"], [K("authz.undefined-scope-not-granted", "granted: the token response's scope")])
        {
            Source = "Casdoor 3.158.0 object/token_oauth_util.go IsScopeValidAndExpand (docs/casdoor.md A-13: with an empty application scope " +
                     "list any scope string is accepted and echoed as the granted scope)",
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("state") is { } state && q.Param("scope") is { } scope) c.State[$"scope-echo:state:{state}"] = scope;
            },
            OnResponse = (c, q, r) =>
            {
                TieCodeToState(c, r, "scope-echo");
                if (!IsCodeExchange(c, q) || r.Status != 200 || q.Param("code") is not { } code
                    || !c.State.TryGetValue($"scope-echo:code:{code}", out var o) || o is not string requested) return;
                r.EditJson(j =>
                {
                    var granted = (j["scope"]?.GetValue<string>() ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
                    var added = requested.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => !granted.Contains(s)).ToList();
                    if (added.Count > 0) j["scope"] = string.Join(' ', granted.Concat(added));
                });
            },
        },

        // ---------------- PKCE
        new("pkce-plain-verified-as-s256", "discovery lists the PKCE method plain, but a plain challenge is stored and verified as S256",
            ["Pkce"], [K("pkce.plain-accepted-when-advertised", "plain is advertised but the code exchange failed")])
        {
            Source = "models a provider that lists plain but verifies every challenge as S256 (Casdoor 3.158.0 lists only S256, A-4, and verifies a " +
                     "challenge sent without a method as S256: docs/casdoor.md pkce-missing-method-treated-as-s256, A-15)",
            // plain is now advertised, so the unsupported-method check has no unadvertised plain to send
            MayTurnInconclusive = ["pkce.unsupported-method-rejected"],
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Discovery) && r.Status == 200)
                    r.EditJson(d => { if (d["code_challenge_methods_supported"] is JsonArray m && !m.Any(x => x?.GetValue<string>() == "plain")) m.Add("plain"); });
            },
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("code_challenge_method") == "plain") SetQuery(q, "code_challenge_method", "S256");
            },
        },
        new("pkce-any-method-accepted", "an unadvertised code_challenge_method (plain, S512) is accepted and the challenge stored as S256",
            ["Pkce"], [K("pkce.unsupported-method-rejected", "accepted at the authorization endpoint and a code was issued")])
        {
            Source = "models providers that verify every challenge as S256 whatever code_challenge_method names (Casdoor 3.158.0 does so for a " +
                     "challenge without a method: docs/casdoor.md pkce-missing-method-treated-as-s256, A-15); RFC 7636 §4.4.1 requires invalid_request " +
                     "for an unsupported method",
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("code_challenge_method") is { } m && m != "S256") SetQuery(q, "code_challenge_method", "S256");
            },
        },
        new("pkce-not-required-for-public-client", "a public client's request without code_challenge gets a code, and the code is redeemed without a verifier",
            ["Pkce"], [K("pkce.required-without-challenge-rejected", "accepted at the authorization endpoint and a code was issued")])
        {
            Source = "Casdoor 3.158.0 (docs/casdoor.md pkce-public-client-not-enforced: PKCE cannot be required per application)",
            // The provider requires PKCE for public clients, so the proxy adds a challenge of its own to the request and its
            // verifier to the code exchange that follows: the client neither sent nor proved any.
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("client_id") is { } id && c.PublicClients.Contains(id) && q.Param("code_challenge") is null
                    && q.Param("state") is { } state)
                {
                    var verifier = NewVerifier();
                    c.State[$"pkce-added:state:{state}"] = verifier;
                    SetQuery(q, "code_challenge", S256(verifier));
                    SetQuery(q, "code_challenge_method", "S256");
                }
                if (IsCodeExchange(c, q) && q.Param("code_verifier") is null && q.Param("code") is { } code
                    && c.State.TryGetValue($"pkce-added:code:{code}", out var v))
                    SetForm(q, "code_verifier", (string)v);
            },
            OnResponse = (c, _, r) => TieCodeToState(c, r, "pkce-added"),
        },
        new("pkce-s256-challenge-lowercased", "the S256 code_challenge is stored lower-cased, so no verifier matches it and every PKCE code exchange fails",
            ["Pkce"], [K("pkce.s256-accepted", "code exchange with the matching code_verifier failed")])
        {
            Source = "models providers that store the challenge in a case-insensitive (case-folded) column; base64url is case-sensitive (RFC 7636 §4.2)",
            // the controls (an S256 attempt with its verifier) fail too, so the refusals of wrong or malformed verifiers prove nothing
            MayTurnInconclusive = ["pkce.invalid-verifier-rejected", "pkce.verifier-format-enforced"],
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("code_challenge_method") == "S256" && q.Param("code_challenge") is { } challenge)
                    SetQuery(q, "code_challenge", challenge.ToLowerInvariant());
            },
        },
        new("pkce-verifier-format-unchecked", "the code_verifier's form is not checked: any string whose S256 hash matches the challenge is accepted",
            ["Pkce"], [K("pkce.verifier-format-enforced", "outside the RFC 7636 ABNF: the token endpoint answered HTTP 200")])
        {
            Source = "Casdoor 3.158.0 (docs/casdoor.md pkce-verifier-format-not-validated, A-15: only the hash is compared)",
            // The proxy stands in for the provider's comparison: every S256 challenge reaches the provider as the challenge of a
            // well-formed verifier of the proxy's, and a code exchange whose verifier (well-formed or not) hashes to the original
            // challenge reaches it with that verifier. A verifier that does not match is passed on unchanged (and refused).
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("code_challenge_method") == "S256" && q.Param("code_challenge") is { } challenge
                    && q.Param("state") is { } state)
                {
                    var verifier = NewVerifier();
                    c.State[$"pkce-shadow:state:{state}"] = new KeyValuePair<string, string>(challenge, verifier);
                    SetQuery(q, "code_challenge", S256(verifier));
                }
                if (IsCodeExchange(c, q) && q.Param("code_verifier") is { } given && q.Param("code") is { } code
                    && c.State.TryGetValue($"pkce-shadow:code:{code}", out var o) && o is KeyValuePair<string, string> shadow && S256(given) == shadow.Key)
                    SetForm(q, "code_verifier", shadow.Value);
            },
            OnResponse = (c, _, r) => TieCodeToState(c, r, "pkce-shadow"),
        },

        // ---------------- implicit and hybrid responses
        new("frontchannel-expires-in-dropped", "implicit and hybrid responses with an access token carry no expires_in",
            ["Implicit", "Hybrid"], [K("frontchannel.expires-in", "expires_in is missing")])
        {
            Source = "Casdoor 3.158.0 controllers/auth.go HandleLoggedIn (docs/casdoor.md implicit-no-expires-in, A-17)",
            OnResponse = FrontWhen(WithAccessToken, (n, v) => n == "expires_in" ? null : v),
        },
        new("frontchannel-token-type-dropped", "implicit and hybrid responses with an access token carry no token_type",
            ["Implicit", "Hybrid"],
            [K("frontchannel.token-type", "token_type is missing"), K("frontchannel.response-parameters", "token_type missing")])
        {
            Source = "models providers that return the access token alone in the fragment (RFC 6749 §4.2.2: token_type REQUIRED)",
            OnResponse = FrontWhen(WithAccessToken, (n, v) => n == "token_type" ? null : v),
        },
        new("frontchannel-form-post-token-field", "form_post responses post the access token as the field token instead of access_token",
            ["Implicit", "Hybrid"], [K("frontchannel.response-parameters", "access_token missing from the form_post body")])
        {
            Source = "Casdoor 3.158.0 web/src/auth/LoginPage.js login, web/src/Setting.js createFormAndSubmit (docs/casdoor.md implicit-form-post-token-field, A-18)",
            OnResponse = (c, _, r) =>
            {
                if (r.Header("Location") is not null) return;
                var ps = ReadFront(c, r);
                if (!WithAccessToken(ps)) return;
                c.EditFrontChannel(r, (n, v) => n == "access_token" ? null : v, [new("token", Get(ps, "access_token")!)]);
            },
        },
        new("frontchannel-refresh-token-leaked", "implicit and hybrid responses with an access token also carry a refresh_token",
            ["Implicit", "Hybrid"], [K("frontchannel.no-refresh-token", "refresh_token")])
        {
            Source = "models providers that reuse the token endpoint's response for the front channel (RFC 6749 §4.2.2: MUST NOT issue a refresh token)",
            OnResponse = FrontWhen(WithAccessToken, (_, v) => v, _ => [new("refresh_token", NewVerifier())]),
        },
        new("frontchannel-query-encoding", "implicit and hybrid responses are redirected in the query instead of the fragment",
            ["Implicit", "Hybrid"], [K("frontchannel.fragment-encoding", "arrived in the query, not in the fragment")])
        {
            Source = "models providers that always build the redirect with '?' (OAuth 2.0 Multiple Response Types §5: the query encoding MUST NOT be used)",
            OnResponse = (c, _, r) => { if (ReadFront(c, r).Count > 0) MoveResponse(r, toFragment: false); },
        },
        new("frontchannel-nonce-not-required", "an implicit or hybrid request that returns an ID token from the authorization endpoint succeeds without nonce",
            ["Implicit", "Hybrid"], [K("frontchannel.nonce-required", "without nonce succeeded")])
        {
            Source = "Casdoor 3.158.0 (docs/casdoor.md implicit-nonce-not-required, A-17)",
            // the proxy supplies the nonce the provider would demand, so the provider answers as if none were required
            OnRequest = (c, q) =>
            {
                if (IsAuthorizationRequest(c, q) && q.Param("nonce") is null && q.Param("response_type") is { } rt
                    && rt.Split(' ').Contains("id_token")) SetQuery(q, "nonce", NewVerifier());
            },
        },
        new("implicit-id-token-with-token-type", "response_type=id_token responses also carry token_type=bearer",
            ["Implicit"], [K("implicit.id-token-only", "also returned token_type")])
        {
            Source = "Casdoor 3.158.0 controllers/auth.go HandleLoggedIn (docs/casdoor.md implicit-id-token-with-token-type, A-17: #id_token=…&state=…&token_type=bearer)",
            OnResponse = FrontWhen(ps => Has(ps, "id_token") && !Has(ps, "access_token") && !Has(ps, "code") && !Has(ps, "token_type"),
                (_, v) => v, _ => [new("token_type", "bearer")]),
        },
        new("implicit-id-token-claims-retyped", "the ID token of response_type=id_token carries email_verified as the string \"true\"",
            ["Implicit"], [K("implicit.id-token-scope-claims", "email_verified")])
        {
            Source = "Casdoor #4796 (email_verified), in the ID token that stands in for UserInfo when no access token is issued (OIDC Core §5.4)",
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token)) return;
                var ps = ReadFront(c, r);
                if (!Has(ps, "id_token") || Has(ps, "access_token")) return;
                c.EditIdTokens(r, (_, p) => { if (p["email_verified"] is JsonValue v && v.GetValueKind() != System.Text.Json.JsonValueKind.String) p["email_verified"] = v.ToJsonString(); });
            },
        },
        new("id-token-sub-per-login", "the token endpoint's ID token has a sub derived from the login (a new sub at every login)",
            ["Implicit", "Hybrid"], [K("frontchannel.sub-stable", "the same user got sub"), K("hybrid.iss-sub-identical", "sub is")])
        {
            Source = "models providers that put a session or grant identifier into sub (OIDC Core §2: sub is never reassigned)",
            OnResponse = CodeExchangeIdToken((q, p) =>
            {
                if (p["sub"]?.GetValue<string>() is { } sub && q.Param("code") is { } code)
                    p["sub"] = sub + "." + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(code)))[..8].ToLowerInvariant();
            }),
        },
        new("hybrid-token-endpoint-iss-differs", "the token endpoint's ID token has another iss (a trailing slash) than the authorization endpoint's",
            ["Hybrid"], [K("hybrid.iss-sub-identical", "iss is")])
        {
            Source = "the class of Casdoor #5582 (an issuer spelled differently in different places: there discovery and the tokens); OIDC Core §3.3.3.6",
            OnResponse = CodeExchangeIdToken((_, p) => { if (p["iss"]?.GetValue<string>() is { } iss) p["iss"] = iss.TrimEnd('/') + "/"; }),
        },
    ];
}
