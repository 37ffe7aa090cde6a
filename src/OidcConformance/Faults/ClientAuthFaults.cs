using System.Text.Json.Nodes;

using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of client authentication with JWTs (OIDC Core 1.0 §9, RFC 7523 §3; issue #12). A provider that does not validate
/// one member of a client assertion is modelled by the proxy repairing exactly that member (<see cref="AssertionRepair"/>).
/// </summary>
public static class ClientAuthFaults
{
    private static readonly string[] Categories = ["ClientAuthJwt"];

    private static bool CarriesAssertion(FaultContext c, ProxyRequest q) =>
        q.IsForm && (c.Is(q, Endpoint.Token) || c.Is(q, Endpoint.Introspection) || c.Is(q, Endpoint.Revocation))
        && q.Param("client_assertion") is not null;

    /// <summary>Re-signs the request's client assertion as its client (sub, else client_id) after <paramref name="repair"/> edited it.</summary>
    private static Action<FaultContext, ProxyRequest> Repair(Func<FaultContext, JsonObject, bool> repair) =>
        AssertionRepair.Resign("client_assertion", CarriesAssertion, (p, q) => p["sub"]?.GetValue<string>() ?? q.Param("client_id"), (c, _, p) => repair(c, p));

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    public static readonly IReadOnlyList<Fault> All =
    [
        new("clientauth-audience-unchecked", "The provider accepts a client assertion whatever its aud names", Categories,
            [new("clientauth.wrong-audience-refused", "tokens were issued")])
        {
            Source = "RFC 7523 §3 item 3; the audience confusion of client assertions that OIDF's 2025 notice on private_key_jwt describes",
            OnRequest = Repair((c, p) =>
            {
                var aud = p["aud"]?.ToJsonString() ?? "";
                if (aud.Contains(c.Origin, StringComparison.Ordinal)) return false;
                p["aud"] = c.Origin; // the issuer identifier, which the provider accepts as the audience
                return true;
            }),
        },
        new("clientauth-expiry-unchecked", "The provider accepts an expired client assertion", Categories,
            [new("clientauth.expired-assertion-refused", "tokens were issued")])
        {
            Source = "RFC 7523 §3 item 4",
            OnRequest = Repair((_, p) =>
            {
                if (p["exp"]?.GetValue<long>() is { } exp && exp > Now) return false;
                p["exp"] = Now + 60;
                p["iat"] = Now;
                return true;
            }),
        },
        new("clientauth-signature-unchecked", "The provider does not verify the signature or MAC of a client assertion (alg none, any key)", Categories,
            [new("clientauth.unsigned-assertion-refused", "tokens were issued"), new("clientauth.wrong-key-refused", "tokens were issued")])
        {
            Source = "RFC 7523 §3 item 9; RFC 8725 §2.1 (alg none accepted)",
            // the claims go through unchanged: only the signature becomes the client's
            OnRequest = Repair((_, _) => true),
        },
        new("clientauth-issuer-unchecked", "The provider identifies the client by sub alone and ignores the assertion's iss", Categories,
            [new("clientauth.issuer-not-client-refused", "tokens were issued")])
        {
            Source = "OIDC Core 1.0 §9 (iss MUST be the client_id)",
            OnRequest = Repair((_, p) =>
            {
                if (p["iss"]?.GetValue<string>() == p["sub"]?.GetValue<string>()) return false;
                p["iss"] = p["sub"]?.GetValue<string>();
                return true;
            }),
        },
        new("clientauth-replay-unchecked", "The provider keeps no record of the jti of client assertions, so one assertion authenticates many times", Categories,
            [new("clientauth.replayed-assertion-refused", "tokens were issued")])
        {
            Source = "OIDC Core 1.0 §9 (jti: these tokens MUST only be used once)",
            // the provider's replay cache never sees the same jti twice
            OnRequest = Repair((_, p) => { p["jti"] = Protocol.Random.Token(16); return true; }),
        },
        new("clientauth-jwt-refused-beyond-token-endpoint", "The introspection and revocation endpoints refuse JWT client authentication that the token endpoint accepts", Categories,
            [new("clientauth.jwt-at-introspection", "answered HTTP 401"), new("clientauth.jwt-at-revocation", "answered HTTP 401")])
        {
            Source = "a provider whose introspection and revocation endpoints only know client secrets",
            Around = (c, q, next) => (c.Is(q, Endpoint.Introspection) || c.Is(q, Endpoint.Revocation)) && CarriesAssertion(c, q)
                ? Task.FromResult(BackChannelFaults.Error(401, "invalid_client", "client authentication failed"))
                : next(q),
        },
        new("clientauth-jwt-refused", "The token endpoint refuses every client assertion although the clients are registered for them", Categories,
            [new("clientauth.private-key-jwt", "was refused"), new("clientauth.client-secret-jwt", "was refused")])
        {
            Source = "a provider that advertises JWT client authentication it does not implement",
            Around = (c, q, next) => c.Is(q, Endpoint.Token) && CarriesAssertion(c, q)
                ? Task.FromResult(BackChannelFaults.Error(401, "invalid_client", "client authentication failed"))
                : next(q),
            MayTurnInconclusive =
            [
                "clientauth.jwt-at-introspection", "clientauth.jwt-at-revocation", "clientauth.wrong-audience-refused", "clientauth.expired-assertion-refused",
                "clientauth.unsigned-assertion-refused", "clientauth.wrong-key-refused", "clientauth.issuer-not-client-refused",
                "clientauth.replayed-assertion-refused", "clientauth.method-advertised",
            ],
        },
        new("clientauth-signing-algs-unadvertised", "Discovery lists JWT client authentication but not token_endpoint_auth_signing_alg_values_supported", Categories,
            [new("clientauth.signing-algs-advertised", "is absent")])
        {
            Source = "RFC 8414 §2 (the member MUST be present with these methods)",
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.EditJson(j => j.AsObject().Remove("token_endpoint_auth_signing_alg_values_supported")); },
        },
        new("clientauth-jwt-methods-unadvertised", "Discovery does not list private_key_jwt and client_secret_jwt, which work", Categories,
            [new("clientauth.method-advertised", "does not list it")])
        {
            Source = "RFC 8414 §2 token_endpoint_auth_methods_supported",
            OnResponse = Unlisted("token_endpoint_auth_methods_supported", m => m is "private_key_jwt" or "client_secret_jwt"),
            MayTurnInconclusive = ["clientauth.signing-algs-advertised"],
        },
    ];
}
