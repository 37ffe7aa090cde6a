using System.Text.Json.Nodes;

using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of OAuth 2.0 Token Exchange (RFC 8693). node-oidc-provider offers no token exchange, so these faults run against
/// OpenIddict 7.9 (<see cref="Fault.Provider"/>: fixtures/providers/openiddict), whose exchanges the proxy rewrites. Each
/// models one bug of a token exchange implementation.
/// </summary>
public static class TokenExchangeFaults
{
    public const string Provider = "fixtures/providers/openiddict/profile.json";
    private const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";
    private const string AccessTokenType = "urn:ietf:params:oauth:token-type:access_token";
    private static readonly string[] Category = ["TokenExchange"];

    /// <summary>The token type identifiers of RFC 8693 §3.</summary>
    private static readonly HashSet<string> KnownTypes =
    [
        AccessTokenType, "urn:ietf:params:oauth:token-type:refresh_token", "urn:ietf:params:oauth:token-type:id_token",
        "urn:ietf:params:oauth:token-type:saml1", "urn:ietf:params:oauth:token-type:saml2", "urn:ietf:params:oauth:token-type:jwt",
    ];

    private static bool IsExchange(FaultContext c, ProxyRequest q) => c.Is(q, Endpoint.Token) && q.Param("grant_type") == GrantType;

    private static ProxyResponse Error(string code, int status = 400) =>
        ProxyResponse.JsonResponse(status, new JsonObject { ["error"] = code, ["error_description"] = "injected by the fault proxy" });

    /// <summary>A successful exchange's response, rewritten.</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> Issued(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (IsExchange(c, q) && r.Status == 200) r.EditJson(edit);
    };

    /// <summary>An exchange's error answer with <paramref name="error"/>, replaced.</summary>
    private static Func<FaultContext, ProxyRequest, Func<ProxyRequest, Task<ProxyResponse>>, Task<ProxyResponse>> Refusal(
        Func<FaultContext, ProxyRequest, ProxyResponse, bool> when, Func<ProxyResponse> replacement) => async (c, q, next) =>
    {
        var response = await next(q);
        return IsExchange(c, q) && response.Status >= 400 && when(c, q, response) ? replacement() : response;
    };

    public static readonly IReadOnlyList<Fault> All =
    [
        new("tokenexchange-any-subject-token", "a subject_token the server never issued is exchanged for a token",
            Category, [K("tokenexchange.bad-subject-token", "issued a token")])
        {
            Provider = Provider,
            Source = "models a token exchange that does not validate the subject token (RFC 8693 §2.2.2)",
            Around = Refusal((_, q, _) => q.Param("subject_token") is { } t && t.Count(ch => ch == '.') != 2,
                () => ProxyResponse.JsonResponse(200, new JsonObject
                {
                    ["access_token"] = "forged-by-the-fault-proxy", ["token_type"] = "Bearer", ["issued_token_type"] = AccessTokenType, ["expires_in"] = 300,
                })),
        },
        new("tokenexchange-no-issued-token-type", "the token exchange response leaves out issued_token_type",
            Category, [K("tokenexchange.issued-token-type", "no issued_token_type")])
        {
            Provider = Provider,
            Source = "models a grant handler that reuses the plain token response of RFC 6749 §5.1",
            OnResponse = Issued(j => j.Remove("issued_token_type")),
        },
        new("tokenexchange-token-type-na", "an exchanged access token is announced with token_type N_A",
            Category, [K("tokenexchange.token-type", "N_A")])
        {
            Provider = Provider,
            Source = "models a server that always answers N_A (RFC 8693 §2.2.1 reserves it for tokens that are not access tokens)",
            OnResponse = Issued(j => j["token_type"] = "N_A"),
        },
        new("tokenexchange-unknown-type-unsupported-token-type", "an unknown subject_token_type is refused with unsupported_token_type (RFC 7009's code)",
            Category, [K("tokenexchange.unknown-subject-token-type", "unsupported_token_type")])
        {
            Provider = Provider,
            Source = "models a server borrowing the revocation endpoint's error code (RFC 7009 §2.2.1) instead of invalid_request (RFC 8693 §2.2.2)",
            Around = Refusal((_, q, _) => q.Param("subject_token_type") is { } t && !KnownTypes.Contains(t), () => Error("unsupported_token_type")),
        },
        new("tokenexchange-missing-subject-token-500", "a token exchange request without subject_token crashes the server (500)",
            Category, [K("tokenexchange.missing-subject-token", "server_error")])
        {
            Provider = Provider,
            Source = "models an unchecked required parameter (RFC 8693 §2.1: subject_token REQUIRED)",
            Around = Refusal((_, q, _) => q.Param("subject_token") is null, () => Error("server_error", 500)),
        },
        new("tokenexchange-grant-refused-as-invalid-request", "a client not registered for token exchange is refused with invalid_request, not unauthorized_client",
            Category, [K("tokenexchange.client-not-allowed", "expected unauthorized_client")])
        {
            Provider = Provider,
            Source = "node-oidc-provider answers an unregistered grant type with invalid_request (profile deviation token.unauthorized-client-grant)",
            Around = Refusal((_, _, r) => r.Json?["error"]?.GetValue<string>() == "unauthorized_client", () => Error("invalid_request")),
        },
        new("tokenexchange-invalid-target-as-invalid-request", "an unknown audience is refused with invalid_request instead of invalid_target",
            Category, [K("tokenexchange.invalid-target", "expected invalid_target")])
        {
            Provider = Provider,
            Source = "models a server that predates RFC 8693's invalid_target error code",
            Around = Refusal((_, _, r) => r.Json?["error"]?.GetValue<string>() == "invalid_target", () => Error("invalid_request")),
        },
        new("tokenexchange-not-advertised", "grant_types_supported leaves out the token exchange grant although it works",
            Category, [K("tokenexchange.discovery-advertised", "does not list")])
        {
            Provider = Provider,
            Source = "models a discovery document built from a fixed list of grant types (glewlwyd's deviation discovery.offered-grant-type-advertised)",
            OnResponse = Unlisted("grant_types_supported", g => g == GrantType),
        },
        new("tokenexchange-refused", "every token exchange is refused (invalid_grant), valid subject tokens included",
            Category, [K("tokenexchange.access-token-exchanged", "was not answered with a token")])
        {
            Provider = Provider,
            Source = "models a grant registered in discovery whose handler rejects every request",
            MayTurnInconclusive =
            [
                "tokenexchange.issued-token-type", "tokenexchange.token-type", "tokenexchange.bad-subject-token", "tokenexchange.unknown-subject-token-type",
                "tokenexchange.missing-subject-token", "tokenexchange.client-not-allowed", "tokenexchange.invalid-target", "tokenexchange.discovery-advertised",
            ],
            OnResponse = (c, q, r) =>
            {
                if (!IsExchange(c, q) || r.Status != 200) return;
                r.Status = 400;
                r.BodyText = new JsonObject { ["error"] = "invalid_grant", ["error_description"] = "injected by the fault proxy" }.ToJsonString();
            },
        },
    ];
}
