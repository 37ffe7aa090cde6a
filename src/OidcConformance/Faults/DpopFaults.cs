using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Protocol;
using OidcConformance.Tokens;
using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of DPoP (RFC 9449). The proxy cannot sign with the suite's proof keys, so a provider that does not check a proof
/// is modelled by its observable answer: the proxy forwards the request, and when the provider refuses a proof the modelled
/// bug would not have noticed (judged by the proxy from the proof itself: its htm, htu, iat, jti or key), it answers as the
/// buggy provider would, with tokens (token endpoint) or with the token's UserInfo (the answer the same token got with a
/// valid proof). The other faults rewrite what the provider says (token_type, cnf, DPoP-Nonce, metadata).
/// </summary>
public static class DpopFaults
{
    // ------------------------------------------------------------------ helpers

    private static DecodedJwt? ProofOf(ProxyRequest q) => q.Header("DPoP") is { Length: > 0 } p && DecodedJwt.Decode(p) is { IsValid: true } jwt ? jwt : null;

    /// <summary>RFC 7638 thumbprint of the proof's jwk header (EC keys, as the suite sends), or null.</summary>
    private static string? ThumbprintOf(DecodedJwt proof)
    {
        if (proof.Header.ValueKind != JsonValueKind.Object || !proof.Header.TryGetProperty("jwk", out var jwk) || jwk.ValueKind != JsonValueKind.Object) return null;
        string? S(string n) => jwk.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
        return S("kty") == "EC" && S("crv") is { } crv && S("x") is { } x && S("y") is { } y ? OidcConformance.Tokens.JwkThumbprint.Ec(crv, x, y) : null;
    }

    private static bool Refused(ProxyResponse r) => r.Status is >= 400 and < 500;

    /// <summary>A token response as a provider that took the request for valid sends it (a fresh opaque token, DPoP-bound).</summary>
    private static ProxyResponse Tokens(ProxyRequest q, bool withRefreshToken = false)
    {
        var body = new JsonObject
        {
            ["access_token"] = "fault-" + Protocol.Random.Token(24), ["expires_in"] = 300, ["token_type"] = "DPoP",
        };
        if (q.Param("scope") is { } scope) body["scope"] = scope;
        if (withRefreshToken) body["refresh_token"] = "fault-" + Protocol.Random.Token(24);
        var r = ProxyResponse.JsonResponse(200, body);
        r.SetHeader("Cache-Control", "no-store");
        return r;
    }

    /// <summary>
    /// A token request whose proof <paramref name="defective"/> finds wrong in the way the modelled provider does not check,
    /// and which the real provider refused, is answered with tokens.
    /// </summary>
    private static Func<FaultContext, ProxyRequest, Func<ProxyRequest, Task<ProxyResponse>>, Task<ProxyResponse>> TokenProofUnchecked(
        Func<FaultContext, ProxyRequest, DecodedJwt, bool> defective) => async (c, q, next) =>
    {
        var r = await next(q);
        if (c.Is(q, Endpoint.Token) && Refused(r) && ProofOf(q) is { } proof && defective(c, q, proof)) return Tokens(q);
        return r;
    };

    private static string? Claim(DecodedJwt jwt, string name) => jwt.ClaimString(name);

    /// <summary>The URI the proof is for, as the provider must compare it: the request's URL at the public origin, without query.</summary>
    private static string RequestUri(FaultContext c, ProxyRequest q) => c.Origin.TrimEnd('/') + q.Path;

    private static ConcurrentDictionary<string, T> Map<T>(FaultContext c, string key) =>
        (ConcurrentDictionary<string, T>)c.State.GetOrAdd("dpop:" + key, _ => new ConcurrentDictionary<string, T>());

    /// <summary>The access token a request presents in its Authorization header (any scheme), or null.</summary>
    private static string? PresentedToken(ProxyRequest q) =>
        q.Header("Authorization") is { } a && a.IndexOf(' ') is var i and > 0 ? a[(i + 1)..].Trim() : null;

    /// <summary>
    /// UserInfo requests: a successful answer is remembered per access token; a refusal of a request that
    /// <paramref name="unchecked"/> selects is replaced by the answer the same token got before.
    /// </summary>
    private static Func<FaultContext, ProxyRequest, Func<ProxyRequest, Task<ProxyResponse>>, Task<ProxyResponse>> UserInfoUnchecked(
        Func<ProxyRequest, bool> @unchecked) => async (c, q, next) =>
    {
        var r = await next(q);
        if (!c.Is(q, Endpoint.UserInfo) || PresentedToken(q) is not { } token) return r;
        var answers = Map<ProxyResponse>(c, "userinfo-answers");
        if (r.Status == 200) answers[token] = r;
        else if (Refused(r) && @unchecked(q) && answers.TryGetValue(token, out var earlier))
        {
            var replay = new ProxyResponse(200, earlier.Body);
            foreach (var h in earlier.Headers.Where(h => !h.Key.Equals("DPoP-Nonce", StringComparison.OrdinalIgnoreCase))) replay.Headers.Add(h);
            return replay;
        }
        return r;
    };

    private static Action<FaultContext, ProxyRequest, ProxyResponse> Discovery(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.EditJson(edit);
    };

    // ------------------------------------------------------------------ the faults

    private static readonly string[] Dpop = ["Dpop"];

    /// <summary>The checks that need an accepted DPoP request (a control or a bound token): without the nonce they have none.</summary>
    private static readonly string[] NeedAcceptedRequests =
    [
        "dpop.token-type", "dpop.cnf-jkt", "dpop.userinfo-requires-proof", "dpop.other-key-refused", "dpop.wrong-ath-refused",
        "dpop.wrong-htm-refused", "dpop.wrong-htu-refused", "dpop.stale-iat-refused", "dpop.replayed-jti-refused", "dpop.refresh-bound-public-client",
    ];

    public static readonly IReadOnlyList<Fault> All =
    [
        new("dpop-token-type-bearer", "a token request with a valid DPoP proof is answered with token_type Bearer", Dpop,
            [K("dpop.token-type", "not DPoP")])
        {
            Source = "models providers that bind the token but keep the token_type of their bearer code path (RFC 9449 §5)",
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token) && r.Status == 200 && q.Header("DPoP") is not null) r.EditJson(j => j["token_type"] = "Bearer");
            },
        },
        new("dpop-cnf-dropped", "the introspection response of a DPoP-bound token has no cnf member", Dpop,
            [K("dpop.cnf-jkt", "no cnf member")])
        {
            Source = "models introspection endpoints that predate DPoP and serialise only the RFC 7662 members (RFC 9449 §6.2)",
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Introspection) && r.Status == 200 && r.Json?["cnf"] is not null) r.EditJson(j => j.Remove("cnf"));
            },
        },
        new("dpop-htm-unchecked", "the token endpoint accepts a proof made for another HTTP method", Dpop,
            [K("dpop.wrong-htm-refused", "is accepted")])
        {
            Source = "models proof validation that checks the signature but not htm (RFC 9449 §4.3 step 8)",
            Around = TokenProofUnchecked((_, q, p) => Claim(p, "htm") != q.Method),
        },
        new("dpop-htu-unchecked", "the token endpoint accepts a proof made for another URI of the provider", Dpop,
            [K("dpop.wrong-htu-refused", "is accepted")])
        {
            Source = "models proof validation that checks the signature but not htu (RFC 9449 §4.3 step 9)",
            Around = TokenProofUnchecked((c, q, p) => Claim(p, "htu") is { } htu && htu.Split('?', '#')[0] != RequestUri(c, q)),
        },
        new("dpop-iat-unchecked", "the token endpoint accepts a proof created an hour ago", Dpop,
            [K("dpop.stale-iat-refused", "is accepted")])
        {
            Source = "models proof validation without a freshness window (RFC 9449 §4.3 step 11, §11.1)",
            Around = TokenProofUnchecked((_, _, p) => p.NumericDate("iat") is { } iat && iat < FaultContext.Now - 300),
        },
        new("dpop-replay-undetected", "the token endpoint accepts the same proof (same jti) twice", Dpop,
            [K("dpop.replayed-jti-refused", "is accepted")])
        {
            Source = "models providers without a jti replay cache (RFC 9449 §11.1)",
            Around = async (c, q, next) =>
            {
                var r = await next(q);
                if (!c.Is(q, Endpoint.Token) || ProofOf(q) is not { } proof || Claim(proof, "jti") is not { } jti) return r;
                var seen = Map<bool>(c, "accepted-jti");
                if (r.Status == 200) seen[jti] = true;
                else if (Refused(r) && seen.ContainsKey(jti)) return Tokens(q);
                return r;
            },
        },
        new("dpop-userinfo-proof-optional", "UserInfo accepts a DPoP-bound access token without a proof (DPoP or Bearer scheme)", Dpop,
            [K("dpop.userinfo-requires-proof", "is accepted")])
        {
            Source = "models resource servers that accept a bound token like a bearer token when no proof comes with it (RFC 9449 §7.1, §7.2)",
            Around = UserInfoUnchecked(q => q.Header("DPoP") is null),
        },
        new("dpop-userinfo-proof-unchecked", "UserInfo accepts a DPoP-bound access token with any proof (key and ath not compared)", Dpop,
            [K("dpop.other-key-refused", "is accepted"), K("dpop.wrong-ath-refused", "is accepted")])
        {
            Source = "models resource servers that verify the proof's signature but not its binding to the token (RFC 9449 §4.3 step 12)",
            Around = UserInfoUnchecked(q => q.Header("DPoP") is not null),
        },
        new("dpop-refresh-token-unbound", "a public client's refresh token works with a proof of another key or without a proof", Dpop,
            [K("dpop.refresh-bound-public-client", "is accepted")])
        {
            Source = "models providers that bind access tokens but store refresh tokens without the key's thumbprint (RFC 9449 §5)",
            Around = async (c, q, next) =>
            {
                var r = await next(q);
                if (!c.Is(q, Endpoint.Token) || !q.IsForm) return r;
                var bound = Map<string>(c, "refresh-token-keys");
                if (r.Status == 200 && ProofOf(q) is { } issuedWith && ThumbprintOf(issuedWith) is { } jkt && r.Json?["refresh_token"] is JsonValue v
                    && v.TryGetValue<string>(out var issued))
                    bound[issued] = jkt;
                if (Refused(r) && q.Param("grant_type") == "refresh_token" && q.Param("refresh_token") is { } rt && bound.TryGetValue(rt, out var expected)
                    && (ProofOf(q) is not { } proof || ThumbprintOf(proof) != expected))
                    return Tokens(q, withRefreshToken: true);
                return r;
            },
        },
        new("dpop-nonce-header-missing", "use_dpop_nonce challenges come without the DPoP-Nonce header", Dpop,
            [K("dpop.nonce-challenge", "without a DPoP-Nonce header")])
        {
            Source = "models providers that require a nonce but send it in the error description or not at all (RFC 9449 §8, §9)",
            // the UserInfo case of dpop.nonce-challenge needs a bound token, which the token endpoint's challenge now withholds
            MayTurnInconclusive = [.. NeedAcceptedRequests, "dpop.nonce-challenge"],
            OnResponse = (_, _, r) =>
            {
                var error = r.Status == 400 && r.IsJson ? r.Json?["error"]?.GetValue<string>() : null;
                if (error == "use_dpop_nonce" || (r.Status == 401 && r.Header("WWW-Authenticate")?.Contains("use_dpop_nonce", StringComparison.Ordinal) == true))
                    r.SetHeader("DPoP-Nonce", null);
            },
        },
        new("dpop-algs-unadvertised", "discovery does not advertise dpop_signing_alg_values_supported", Dpop,
            [K("dpop.discovery-advertised", "not advertised")])
        {
            Source = "models providers that implement DPoP without publishing its metadata (RFC 9449 §5.1)",
            MayTurnInconclusive = ["dpop.discovery-algs-asymmetric"],
            OnResponse = Discovery(j => j.Remove("dpop_signing_alg_values_supported")),
        },
        new("dpop-algs-symmetric", "dpop_signing_alg_values_supported lists HS256", Dpop,
            [K("dpop.discovery-algs-asymmetric", "HS256")])
        {
            Source = "models metadata copied from the provider's ID token algorithms, MAC included (RFC 9449 §4.2 forbids symmetric proof algorithms)",
            OnResponse = Discovery(j =>
            {
                if (j["dpop_signing_alg_values_supported"] is JsonArray algs) algs.Add("HS256");
            }),
        },
    ];
}
