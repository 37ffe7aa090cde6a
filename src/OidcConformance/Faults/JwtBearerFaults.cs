using System.Text.Json.Nodes;

using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of the JWT bearer authorization grant (RFC 7523 §2.1, §3). Neither node-oidc-provider nor OpenIddict offers the
/// grant, so these faults run against Authlib (<see cref="Fault.Provider"/>: fixtures/providers/authlib). A provider that
/// does not validate one member of the assertion is modelled by the proxy repairing exactly that member and signing the
/// assertion again as its issuer (<see cref="AssertionRepair"/>); the others model a grant that is refused, unlisted or
/// answered with the wrong error.
/// </summary>
public static class JwtBearerFaults
{
    public const string Provider = "fixtures/providers/authlib/profile.json";
    private static readonly string[] Category = ["JwtBearer"];

    private static bool IsGrant(FaultContext c, ProxyRequest q) =>
        q.IsForm && c.Is(q, Endpoint.Token) && q.Param("grant_type") == Checks.JwtBearerChecks.GrantType && q.Param("assertion") is not null;

    /// <summary>Re-signs the grant's assertion as its iss after <paramref name="repair"/> edited the payload.</summary>
    private static Action<FaultContext, ProxyRequest> Repair(Func<FaultContext, ProxyRequest, JsonObject, bool> repair) =>
        AssertionRepair.Resign("assertion", IsGrant, (p, _) => p["iss"]?.GetValue<string>(), repair);

    private static long Now => DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    private static readonly string[] AllButTheGrant =
    [
        "jwtbearer.wrong-audience-refused", "jwtbearer.expired-refused", "jwtbearer.not-yet-valid-refused", "jwtbearer.bad-signature-refused",
        "jwtbearer.replayed-refused", "jwtbearer.grant-advertised",
    ];

    public static readonly IReadOnlyList<Fault> All =
    [
        new("jwtbearer-audience-unchecked", "The JWT bearer grant accepts an assertion whatever its aud names", Category,
            [K("jwtbearer.wrong-audience-refused", "an access token was issued")])
        {
            Provider = Provider,
            Source = "RFC 7523 §3 item 3; Authlib's own default claims options require an aud but not its value",
            OnRequest = Repair((c, q, p) =>
            {
                var endpoint = c.Origin + q.Path;
                if (p["aud"]?.ToJsonString().Contains(endpoint, StringComparison.Ordinal) == true) return false;
                p["aud"] = endpoint;
                return true;
            }),
        },
        new("jwtbearer-expiry-unchecked", "The JWT bearer grant accepts an expired assertion", Category,
            [K("jwtbearer.expired-refused", "an access token was issued")])
        {
            Provider = Provider,
            Source = "RFC 7523 §3 item 4",
            OnRequest = Repair((_, _, p) =>
            {
                if (p["exp"]?.GetValue<long>() is { } exp && exp > Now) return false;
                p["exp"] = Now + 60;
                p["iat"] = Now;
                return true;
            }),
        },
        new("jwtbearer-not-before-unchecked", "The JWT bearer grant accepts an assertion before its nbf", Category,
            [K("jwtbearer.not-yet-valid-refused", "an access token was issued")])
        {
            Provider = Provider,
            Source = "RFC 7523 §3 item 5",
            OnRequest = Repair((_, _, p) => p.Remove("nbf")),
        },
        new("jwtbearer-signature-unchecked", "The JWT bearer grant does not verify the assertion's signature against the issuer's registered key", Category,
            [K("jwtbearer.bad-signature-refused", "an access token was issued")])
        {
            Provider = Provider,
            Source = "RFC 7523 §3 item 9",
            // the claims go through unchanged: only the signature becomes the registered key's
            OnRequest = Repair((_, _, _) => true),
        },
        new("jwtbearer-replay-unchecked", "The JWT bearer grant keeps no record of jti, so one assertion is exchanged many times", Category,
            [K("jwtbearer.replayed-refused", "an access token was issued")])
        {
            Provider = Provider,
            Source = "RFC 7523 §3 item 7",
            // the provider's replay record never sees the same jti twice
            OnRequest = Repair((_, _, p) => { p["jti"] = Protocol.Random.Token(16); return true; }),
        },
        new("jwtbearer-refusal-invalid-request", "The JWT bearer grant refuses bad assertions with invalid_request instead of invalid_grant", Category,
        [
            K("jwtbearer.wrong-audience-refused", "invalid_request"), K("jwtbearer.expired-refused", "invalid_request"),
            K("jwtbearer.not-yet-valid-refused", "invalid_request"), K("jwtbearer.bad-signature-refused", "invalid_request"),
            K("jwtbearer.replayed-refused", "invalid_request"),
        ])
        {
            Provider = Provider,
            Source = "RFC 7523 §3.1 (invalid_grant); a server answering with RFC 6749 §5.2's generic code",
            OnResponse = (c, q, r) =>
            {
                if (IsGrant(c, q) && r.Status == 400) r.EditJson(j => { if (j["error"]?.GetValue<string>() == "invalid_grant") j["error"] = "invalid_request"; });
            },
        },
        new("jwtbearer-grant-unsupported", "The token endpoint refuses the JWT bearer grant with unsupported_grant_type", Category,
            [K("jwtbearer.assertion-grant", "was refused")])
        {
            Provider = Provider,
            Source = "a provider that registers the client for the grant but has no handler for it",
            Around = (c, q, next) => IsGrant(c, q)
                ? Task.FromResult(BackChannelFaults.Error(400, "unsupported_grant_type", "grant type not supported"))
                : next(q),
            MayTurnInconclusive = AllButTheGrant,
        },
        new("jwtbearer-grant-unadvertised", "Discovery does not list the JWT bearer grant, which works", Category,
            [K("jwtbearer.grant-advertised", "does not list it")])
        {
            Provider = Provider,
            Source = "RFC 8414 §2 grant_types_supported; Casdoor 3.158 serves the grant without listing it (docs/casdoor.md)",
            OnResponse = Unlisted("grant_types_supported", g => g == Checks.JwtBearerChecks.GrantType),
        },
    ];
}
