using System.Text.Json.Nodes;
using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of OpenID Connect Back-Channel Logout 1.0. The provider POSTs the logout token to the suite's receiver directly, not
/// through the proxy (its backchannel_logout_uri is the callback listener's). So the logout-token faults are applied where a
/// proxy on that leg would stand: <see cref="Fault.OnLogoutToken"/> rewrites (or drops) the token the receiver got before any
/// check reads it (BackchannelLogoutFlow does this only in fault runs). A rewritten token is signed again with the proxy's
/// key, which every JWK Set passing through the proxy publishes, so only the broken property differs; the discovery fault
/// is an ordinary response rewrite.
/// </summary>
public static class BackchannelLogoutFaults
{
    private static readonly string[] Backchannel = ["BackchannelLogout"];

    /// <summary>The checks that judge the token's content: without a token they have nothing to judge.</summary>
    private static readonly string[] TokenContent =
    [
        "backchannel.signature", "backchannel.claims", "backchannel.events", "backchannel.sub-or-sid", "backchannel.no-nonce", "backchannel.sid-matches-id-token",
    ];

    private static Func<FaultContext, string, string?> Token(Action<JsonObject> edit, FaultContext.Signing signing = FaultContext.Signing.ProxyKey) =>
        (c, token) => c.RewriteJwt(token, (_, payload) => edit(payload), signing);

    public static readonly IReadOnlyList<Fault> All =
    [
        new("backchannel-unadvertised", "discovery does not advertise backchannel_logout_supported", Backchannel,
            [K("backchannel.discovery-advertised", "not advertised")])
        {
            Source = "models providers that implement back-channel logout without publishing its metadata (OIDC BCL 1.0 §2.1)",
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.EditJson(j => j.Remove("backchannel_logout_supported"));
            },
        },
        new("backchannel-token-lost", "the RP-initiated logout completes but no logout token reaches the client", Backchannel,
            [K("backchannel.logout-token-delivered", "no request reached")])
        {
            Source = "models providers that log the session out locally and never notify the clients registered for back-channel logout (§2.5)",
            MayTurnInconclusive = TokenContent,
            OnLogoutToken = (_, _) => null,
        },
        new("backchannel-token-unsigned", "the logout token is unsigned (alg none)", Backchannel,
            [K("backchannel.signature", "unsigned")])
        {
            Source = "models providers that build the logout token with a JWT library's default of no signature (§2.4: MUST be signed)",
            OnLogoutToken = Token(_ => { }, FaultContext.Signing.None),
        },
        new("backchannel-token-jti-dropped", "the logout token has no jti", Backchannel,
            [K("backchannel.claims", "jti is missing")])
        {
            Source = "models logout tokens built from the ID token template, which has no jti (§2.4 requires it for replay detection)",
            OnLogoutToken = Token(p => p.Remove("jti")),
        },
        new("backchannel-token-events-missing", "the logout token has no events claim", Backchannel,
            [K("backchannel.events", "events is missing")])
        {
            Source = "models providers that send an ID token as the logout token (§2.4: events is what tells the two apart)",
            OnLogoutToken = Token(p => p.Remove("events")),
        },
        new("backchannel-token-nonce", "the logout token carries a nonce", Backchannel,
            [K("backchannel.no-nonce", "nonce claim")])
        {
            Source = "models logout tokens copied from the session's ID token claims, nonce included (§2.4: MUST NOT)",
            OnLogoutToken = Token(p => p["nonce"] = "n-" + Protocol.Random.Token(8)),
        },
        new("backchannel-token-anonymous", "the logout token has neither sub nor sid", Backchannel,
            [K("backchannel.sub-or-sid", "neither sub nor sid"), K("backchannel.sid-matches-id-token", "has no sid")])
        {
            Source = "models providers that drop the subject for privacy and keep no session id (§2.4: sub or sid MUST be present)",
            OnLogoutToken = Token(p => { p.Remove("sub"); p.Remove("sid"); }),
        },
        new("backchannel-token-other-sid", "the logout token names another session (sid)", Backchannel,
            [K("backchannel.sid-matches-id-token", "not the logged-out session")])
        {
            Source = "models providers that put the browser session's id rather than the per-client sid of the ID token into the logout token",
            OnLogoutToken = Token(p => p["sid"] = "other-" + Protocol.Random.Token(8)),
        },
    ];
}
