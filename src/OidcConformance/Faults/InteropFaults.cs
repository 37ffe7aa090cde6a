using System.Text.Json.Nodes;
using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults that break a step a relying-party library takes in its normal login (issue #11, the interop cells): the hybrid
/// response, the refresh's ID token, the introspection and the revocation answers. Each kills its conformance check in
/// FaultTests like any fault, and breaks the matching interop cells with the library's own message
/// (tests/OidcConformance.Tests/Interop/InteropFaultTests.cs).
/// </summary>
public static class InteropFaults
{
    /// <summary>The authorization response parameter names wherever they travel (redirect query/fragment, form_post inputs).</summary>
    private static List<string> FrontChannelNames(FaultContext c, ProxyResponse r)
    {
        var names = new List<string>();
        c.EditFrontChannel(r, (name, value) => { names.Add(name); return value; });
        return names;
    }

    public static readonly IReadOnlyList<Fault> All =
    [
        new("id-token-sub-empty", "the ID token's sub is the empty string", ["IdToken"],
            [K("idtoken.sub", "sub is empty"), K("idtoken.standard-claim-types", "sub is empty")])
        {
            Source = "models providers that fill sub from a user id that was never set (an imported or synced account)",
            OnResponse = (c, _, r) => c.EditIdTokens(r, (_, p) => p["sub"] = ""),
        },
        new("hybrid-id-token-dropped", "a hybrid authorization response (response_type code id_token) carries the code but no id_token",
            ["Hybrid"], [K("frontchannel.response-parameters", "id_token")])
        {
            Source = "models providers that answer a hybrid response type as the code flow (only its code part honoured)",
            // with no front-channel ID token there is nothing to validate in the front channel (claims, c_hash, at_hash) and no front
            // ID token to compare with the token endpoint's
            MayTurnInconclusive = ["idtoken.c-hash", "idtoken.at-hash", "hybrid.iss-sub-identical", "frontchannel.sub-stable",
                "idtoken.jws-compact", "idtoken.signature-jwks", "idtoken.iss", "idtoken.aud", "idtoken.exp", "idtoken.iat", "idtoken.sub", "idtoken.nonce"],
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Token)) return;
                var names = FrontChannelNames(c, r);
                if (names.Contains("code") && names.Contains("id_token")) c.EditFrontChannel(r, (name, value) => name == "id_token" ? null : value);
            },
        },
        new("refresh-id-token-iss-differs", "the ID token of a refresh carries another issuer (the provider's internal origin) than the original one",
            ["Refresh"], [K("refresh.id-token-consistent", "iss changed")])
        {
            Source = "Casdoor object/token_jwt.go generateJwtToken: iss is getOriginFromHost(host), the host of the token request, so a refresh sent to another host name (an internal back-channel address) gets another iss",
            OnResponse = (c, q, r) =>
            {
                if (!c.Is(q, Endpoint.Token) || r.Status != 200 || q.Param("grant_type") != "refresh_token") return;
                if (r.Json?["id_token"]?.GetValue<string>() is { } token)
                    r.EditJson(j => j["id_token"] = c.RewriteJwt(token, (_, p) => p["iss"] = c.UpstreamOrigin));
            },
        },
        new("introspection-active-string", "introspection answers carry active as the JSON string \"true\" or \"false\", not a boolean",
            ["Introspection"],
            [K("introspection.active-token", "not a boolean"), K("introspection.inactive-token", "not a boolean"),
             K("introspection.foreign-token", "without a boolean active"), K("introspection.refresh-token-active", "active \"true\"")])
        {
            // with no boolean active, no answer counts as an active (or active false) one: the checks that start from one have nothing to judge
            MayTurnInconclusive = ["introspection.active-members", "introspection.client-id-of-token", "introspection.exp-future",
                "introspection.inactive-no-details", "introspection.inactive-token", "introspection.scope-granted", "introspection.sub-of-token",
                "introspection.wrong-hint"],
            Source = "models providers that serialize the introspection record through a string map (RFC 7662 §2.2: active is a boolean)",
            OnResponse = (c, q, r) =>
            {
                if (!c.Is(q, Endpoint.Introspection) || r.Status != 200) return;
                r.EditJson(j => { if (j["active"] is JsonValue v && v.TryGetValue<bool>(out var b)) j["active"] = b ? "true" : "false"; });
            },
        },
        new("revocation-answers-204", "a successful revocation is answered 204 No Content instead of 200", ["Revocation"],
            [K("revocation.refresh-token", "expected 200"), K("revocation.access-token", "expected 200")])
        {
            // the refresh token's revocation no longer counts as done, so whether it revoked the access token too is not judged
            MayTurnInconclusive = ["revocation.refresh-revokes-access"],
            Source = "models providers that answer revocation like a DELETE (RFC 7009 §2.2: the server responds with HTTP 200)",
            OnResponse = (c, q, r) =>
            {
                if (!c.Is(q, Endpoint.Revocation) || r.Status != 200) return;
                r.Status = 204;
                r.Body = [];
                r.SetHeader("Content-Type", null);
            },
        },
    ];
}
