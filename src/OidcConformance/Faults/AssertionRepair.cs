using System.Text.Json.Nodes;
using OidcConformance.Tokens;

namespace OidcConformance.Faults;

/// <summary>
/// How a fault models a provider that does not validate one member of a JWT the client signed (a client assertion,
/// OIDC Core 1.0 §9; a JWT bearer grant's assertion, RFC 7523 §2.1): the proxy repairs exactly that member before the
/// provider sees the JWT and signs it again as the client. It knows the profile's client keys and secrets, in memory only
/// (<see cref="FaultContext.ClientKeys"/>, <see cref="FaultContext.ClientSecrets"/>). Every other member reaches the
/// provider as the suite sent it, so the provider still judges those.
/// </summary>
internal static class AssertionRepair
{
    /// <param name="parameter">The form parameter that carries the JWT.</param>
    /// <param name="carries">Whether the request is one whose JWT the fault repairs.</param>
    /// <param name="signer">The client_id whose key signs the repaired JWT, from its payload and the request.</param>
    /// <param name="repair">Edits the payload; false leaves the JWT alone.</param>
    public static Action<FaultContext, ProxyRequest> Resign(string parameter, Func<FaultContext, ProxyRequest, bool> carries,
        Func<JsonObject, ProxyRequest, string?> signer, Func<FaultContext, ProxyRequest, JsonObject, bool> repair) => (c, q) =>
    {
        if (!carries(c, q)) return;
        var decoded = DecodedJwt.Decode(q.Param(parameter));
        if (!decoded.IsValid || JsonNode.Parse(decoded.Payload.GetRawText()) is not JsonObject payload) return;
        var client = signer(payload, q);
        if (client is null || !repair(c, q, payload)) return;
        var alg = decoded.Header.TryGetProperty("alg", out var a) ? a.GetString() : null;
        ClientSigningKey? key = c.ClientKeys.GetValueOrDefault(client);
        if ((alg is "HS256" || key is null) && c.ClientSecrets.TryGetValue(client, out var secret)) key = ClientSigningKey.FromSecret(secret);
        if (key is null) return;
        FaultCatalog.SetForm(q, parameter, key.Sign(payload));
    };
}
