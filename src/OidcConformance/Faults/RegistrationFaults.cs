using System.Collections.Concurrent;
using System.Text.Json.Nodes;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of dynamic client registration (RFC 7591, RFC 7592; issue #12): the registration endpoint and the client
/// configuration URIs below it. Each models one provider bug by rewriting the request (so the provider registers
/// something else than was asked) or the answer.
/// </summary>
public static class RegistrationFaults
{
    private static readonly string[] Categories = ["Registration"];

    private static bool IsRegistration(FaultContext c, ProxyRequest q) => c.Is(q, Endpoint.Registration) && q.Method == "POST";
    private static bool IsClientUri(FaultContext c, ProxyRequest q) => c.IsUnder(q, Endpoint.Registration) && !c.Is(q, Endpoint.Registration);

    /// <summary>Edits the JSON body of a registration request before the provider sees it.</summary>
    private static void EditRequest(ProxyRequest q, Action<JsonObject> edit)
    {
        if (JsonNode.Parse(q.BodyText) is not JsonObject json) return;
        edit(json);
        q.BodyText = json.ToJsonString();
    }

    /// <summary>The registration access tokens issued, by client configuration path (the stateful read faults).</summary>
    private static ConcurrentDictionary<string, string> Tokens(FaultContext c) =>
        (ConcurrentDictionary<string, string>)c.State.GetOrAdd("registration:tokens", _ => new ConcurrentDictionary<string, string>());

    private static void RememberToken(FaultContext c, ProxyRequest q, ProxyResponse r)
    {
        if (!IsRegistration(c, q) || r.Status != 201 || r.Json is not { } json) return;
        if (json["registration_client_uri"]?.GetValue<string>() is { } uri && Uri.TryCreate(uri, UriKind.Absolute, out var u)
            && json["registration_access_token"]?.GetValue<string>() is { } token)
            Tokens(c)[u.AbsolutePath] = token;
    }

    private static readonly string[] AllButAdvertised =
    [
        "registration.client-registered", "registration.metadata-echoed", "registration.registered-client-login", "registration.invalid-redirect-uri",
        "registration.invalid-client-metadata", "registration.read-with-token", "registration.read-needs-token", "registration.update-with-token",
    ];

    public static readonly IReadOnlyList<Fault> All =
    [
        new("registration-unadvertised", "Discovery does not advertise registration_endpoint although registration is offered", Categories,
            [new("registration.endpoint-advertised", "not advertised")])
        {
            Source = "OIDC Discovery 1.0 §3 (registration_endpoint RECOMMENDED)",
            OnResponse = (c, q, r) => { if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.EditJson(j => j.Remove("registration_endpoint")); },
            MayTurnInconclusive = AllButAdvertised,
        },
        new("registration-answered-200", "A successful registration is answered 200 OK instead of 201 Created", Categories,
            [new("registration.client-registered", "requires 201 Created")])
        {
            Source = "RFC 7591 §3.2.1; Casdoor's envelope-style answers (docs/casdoor.md §11)",
            OnResponse = (c, q, r) => { if (IsRegistration(c, q) && r.Status == 201) r.Status = 200; },
            // only client-registered judges the 201; the others use the client a 200 with client_id registered too (IsRegistered)
            MayTurnInconclusive = AllButAdvertised,
        },
        new("registration-metadata-dropped", "The registration response leaves out registered metadata (client_name, grant_types)", Categories,
            [new("registration.metadata-echoed", "leaves out registered metadata")])
        {
            Source = "RFC 7591 §3.2.1 (MUST return all registered metadata)",
            OnResponse = (c, q, r) => { if (IsRegistration(c, q) && r.Status == 201) r.EditJson(j => { j.Remove("client_name"); j.Remove("grant_types"); }); },
        },
        new("registration-fragment-accepted", "A redirect URI with a fragment is registered (the fragment silently dropped)", Categories,
            [new("registration.invalid-redirect-uri", "was registered")])
        {
            Source = "RFC 6749 §3.1.2, RFC 7591 §3.2.2",
            OnRequest = (c, q) =>
            {
                if (IsRegistration(c, q)) EditRequest(q, j =>
                {
                    if (j["redirect_uris"] is JsonArray uris)
                        j["redirect_uris"] = new JsonArray(uris.Select(u => (JsonNode?)JsonValue.Create(u?.GetValue<string>().Split('#')[0])).ToArray());
                });
            },
        },
        new("registration-invalid-metadata-kept", "An unknown token_endpoint_auth_method is registered as given", Categories,
            [new("registration.invalid-client-metadata", "was registered")])
        {
            Source = "RFC 7591 §3.2.2 (invalid_client_metadata)",
            Around = async (c, q, next) =>
            {
                string? invalid = null;
                if (IsRegistration(c, q)) EditRequest(q, j =>
                {
                    if (j["token_endpoint_auth_method"]?.GetValue<string>() is { } m && m.StartsWith("no_such", StringComparison.Ordinal))
                    {
                        invalid = m;
                        j["token_endpoint_auth_method"] = "client_secret_basic";
                    }
                });
                var r = await next(q);
                if (invalid is not null && r.Status == 201) r.EditJson(j => j["token_endpoint_auth_method"] = invalid);
                return r;
            },
        },
        new("registration-client-secret-garbled", "The registration response carries a client_secret that the token endpoint does not accept", Categories,
            [new("registration.registered-client-login", "code exchange failed")])
        {
            Source = "a provider that hashes the secret before returning it",
            OnResponse = (c, q, r) =>
            {
                if (IsRegistration(c, q) && r.Status == 201)
                    r.EditJson(j => { if (j["client_secret"]?.GetValue<string>() is { } s) j["client_secret"] = "x" + s[1..]; });
            },
        },
        new("registration-read-any-token", "The client configuration endpoint accepts any bearer token", Categories,
            [new("registration.read-needs-token", "reads the client's registration")])
        {
            Source = "OIDC Dynamic Client Registration 1.0 §4.3 (401 for an invalid registration access token)",
            Around = (c, q, next) =>
            {
                if (IsClientUri(c, q) && Tokens(c).TryGetValue(q.Path, out var token)) q.SetHeader("Authorization", "Bearer " + token);
                return NextRemembering(c, q, next);
            },
        },
        new("registration-read-refused", "The client configuration endpoint refuses the registration access token it issued", Categories,
            [new("registration.read-with-token", "answered HTTP 401")])
        {
            Source = "a provider that issues registration access tokens it does not store",
            Around = (c, q, next) => IsClientUri(c, q) && q.Method == "GET"
                ? Task.FromResult(BackChannelFaults.Error(401, "invalid_token", "invalid registration access token"))
                : next(q),
            MayTurnInconclusive = ["registration.read-needs-token"],
        },
        new("registration-update-ignored", "An update with the registration access token is answered 200 with the unchanged registration", Categories,
            [new("registration.update-with-token", "not the new value")])
        {
            Source = "RFC 7592 §2.2",
            Around = (c, q, next) =>
            {
                if (IsClientUri(c, q) && q.Method == "PUT")
                {
                    q.Method = "GET";
                    q.Body = [];
                    q.SetHeader("Content-Type", null);
                }
                return next(q);
            },
        },
    ];

    /// <summary>Forwards, and remembers the registration access token of a registration answer on its way back.</summary>
    private static async Task<ProxyResponse> NextRemembering(FaultContext c, ProxyRequest q, Func<ProxyRequest, Task<ProxyResponse>> next)
    {
        var r = await next(q);
        RememberToken(c, q, r);
        return r;
    }
}
