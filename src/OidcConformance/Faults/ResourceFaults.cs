using System.Text.Json.Nodes;

using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of resource indicators (RFC 8707) at the token endpoint: the audience of the JWT access token issued for a
/// resource (rewritten and signed again with the proxy's key), and a provider that ignores a malformed resource.
/// </summary>
public static class ResourceFaults
{
    private const string Category = "Resource";

    /// <summary>The JWT access token of a token response to a request with a resource parameter, edited by <paramref name="edit"/>.</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> ResourceToken(Action<JsonObject> edit) => (c, q, r) =>
    {
        if (!c.Is(q, Endpoint.Token) || !q.IsForm || q.Param("resource") is null || r.Status != 200) return;
        if (r.Json?["access_token"] is JsonValue v && v.TryGetValue<string>(out var token) && token.Count(ch => ch == '.') == 2)
            r.EditJson(j => j["access_token"] = c.RewriteJwt(token, (_, payload) => edit(payload)));
    };

    /// <summary>Not an absolute URI (no scheme: on Unix .NET would take "/api" for a file URI) or with a fragment.</summary>
    private static bool Malformed(string resource) =>
        !System.Text.RegularExpressions.Regex.IsMatch(resource, "^[A-Za-z][A-Za-z0-9+.-]*:") || resource.Contains('#');

    public static readonly IReadOnlyList<Fault> All =
    [
        new("resource-audience-ignored", "the access token issued for a resource names the client as its audience, not the resource", [Category],
            [K("resource.audience-reflected", "does not contain the requested resource"), K("resource.audience-restricted", "also names")])
        {
            Source = "models a provider that accepts the resource parameter but keeps its default audience (the client id)",
            OnResponse = ResourceToken(p => p["aud"] = p["client_id"]?.GetValue<string>() ?? "client"),
        },
        new("resource-audience-widened", "the access token issued for one resource also names another resource server", [Category],
            [K("resource.audience-restricted", "also names")])
        {
            Source = "models a provider that audience-restricts to every resource the client may use instead of the requested one",
            OnResponse = ResourceToken(p =>
            {
                var requested = p["aud"]?.DeepClone();
                p["aud"] = new JsonArray(requested, "https://other-resource.example.test/");
            }),
        },
        new("resource-malformed-ignored", "a malformed resource (relative, with a fragment) is dropped and a token issued without it", [Category],
            [K("resource.invalid-target", "was accepted")])
        {
            Source = "models a provider that silently ignores resource values it cannot parse (RFC 8707 §2 invalid_target)",
            OnRequest = (c, q) =>
            {
                if (c.Is(q, Endpoint.Token) && q.IsForm && q.Param("resource") is { } resource && Malformed(resource)) SetForm(q, "resource", null);
            },
        },
    ];
}
