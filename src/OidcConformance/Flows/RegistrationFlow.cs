using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>One registration request: the metadata sent (as JSON) and the answer.</summary>
public sealed record RegistrationAttempt(JsonElement Sent, RegistrationResponse Response);

/// <summary>
/// Dynamic client registration (RFC 7591 §3): registers fresh clients with the suite's own callback as redirect URI, so the
/// registered client can run a real browser code flow. Each test registers its own clients (registration is cheap and
/// leaves nothing shared behind; each registration with a registration_client_uri is deleted at the end of the run); the
/// negative cases change one metadata member of the normal request and name it.
/// </summary>
public static class RegistrationFlow
{
    /// <summary>The normal metadata: the suite's callback, the code grant, client_secret_basic and a name to find it by.</summary>
    public static JsonObject NormalMetadata(ConformanceRun run) => new()
    {
        ["redirect_uris"] = new JsonArray(run.Callback.RedirectUri),
        ["client_name"] = "OidcConformance registration " + Protocol.Random.Token(6),
        ["grant_types"] = new JsonArray("authorization_code"),
        ["response_types"] = new JsonArray("code"),
        ["token_endpoint_auth_method"] = "client_secret_basic",
    };

    /// <summary>What the invalid-redirect-URI case changes: the registered URI with a fragment (RFC 6749 §3.1.2 forbids one).</summary>
    public const string FragmentChange = "registration request / redirect_uris: a redirect URI with a fragment";

    /// <summary>The member and value of the invalid-metadata case: an authentication method no registry defines.</summary>
    public const string InvalidMember = "token_endpoint_auth_method";
    public const string InvalidValue = "no_such_auth_method";
    public const string InvalidMetadataChange = "registration request / " + InvalidMember + ": '" + InvalidValue + "', a method no registry defines";

    private static async Task<string> EndpointAsync(ConformanceRun run)
    {
        if (!run.Profile.Features.Registration)
            throw new PrerequisiteException("the provider does not offer dynamic registration to the suite (profile features.registration)");
        return await run.EndpointAsync("registration_endpoint");
    }

    /// <summary>Registers <paramref name="metadata"/> (the normal metadata unless given) and remembers the issued secrets for redaction.</summary>
    public static async Task<RegistrationAttempt> RegisterAsync(ConformanceRun run, string purpose, JsonObject? metadata = null)
    {
        var endpoint = await EndpointAsync(run);
        metadata ??= NormalMetadata(run);
        var json = metadata.ToJsonString();
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        var response = RegistrationResponse.From(await run.Http.SendAsync(request, $"registration ({purpose})"));
        Redactor.Register(response.ClientSecret, "registered client secret");
        Redactor.Register(response.RegistrationAccessToken, "registration access token");
        if (response.RegistrationClientUri is { } uri && response.RegistrationAccessToken is { } token)
            run.AtEnd("delete a registered client", () => DeleteAsync(run, uri, token));
        using var doc = JsonDocument.Parse(json);
        return new RegistrationAttempt(doc.RootElement.Clone(), response);
    }

    /// <summary>The normal registration (the control), then the one whose redirect URI carries a fragment.</summary>
    public static async Task<(RegistrationAttempt Control, RegistrationAttempt Changed)> FragmentRedirectAsync(ConformanceRun run)
    {
        var control = await RegisterAsync(run, "normal");
        var changed = NormalMetadata(run);
        changed["redirect_uris"] = new JsonArray(run.Callback.RedirectUri + "#fragment");
        return (control, await RegisterAsync(run, "redirect URI with a fragment", changed));
    }

    public static async Task<(RegistrationAttempt Control, RegistrationAttempt Changed)> InvalidMetadataAsync(ConformanceRun run)
    {
        var control = await RegisterAsync(run, "normal");
        var changed = NormalMetadata(run);
        changed[InvalidMember] = InvalidValue;
        return (control, await RegisterAsync(run, $"{InvalidMember} {InvalidValue}", changed));
    }

    /// <summary>The registered client as a profile client, for the code flow.</summary>
    public static ClientProfile AsClient(RegistrationResponse r) => new()
    {
        Role = "registered",
        ClientId = r.ClientId!,
        ClientSecret = r.ClientSecret,
        TokenEndpointAuthMethods = [r.Body.String("token_endpoint_auth_method") ?? "client_secret_basic"],
        Scope = "openid",
        GrantTypes = ["authorization_code"],
        ResponseTypes = ["code"],
    };

    /// <summary>A fresh registration and its real browser code flow in a new user-agent session.</summary>
    public static async Task<(RegistrationAttempt Registration, CodeFlowResult? Flow)> LoginAsync(ConformanceRun run)
    {
        var registration = await RegisterAsync(run, "for a browser login");
        if (!registration.Response.IsRegistered) return (registration, null);
        var flow = await CodeFlow.RunAsync(run, AsClient(registration.Response), run.Profile.PrimaryUser, userAgent: await run.NewUserAgentAsync());
        return (registration, flow);
    }

    /// <summary>Reads the registration with its token; null when the provider gave no registration_client_uri and token.</summary>
    public static async Task<HttpExchange?> ReadAsync(ConformanceRun run, RegistrationResponse r, string? tokenOverride = null, string purpose = "client read")
    {
        if (r.RegistrationClientUri is not { } uri || r.RegistrationAccessToken is not { } token) return null;
        return await run.Http.GetAsync(uri, purpose, new AuthenticationHeaderValue("Bearer", tokenOverride ?? token));
    }

    /// <summary>Deletes a registration (RFC 7592 §2.3) at the end of the run: the suite's registrations do not pile up at the provider.</summary>
    private static Task<HttpExchange> DeleteAsync(ConformanceRun run, string uri, string token)
    {
        var request = new HttpRequestMessage(HttpMethod.Delete, uri);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return run.Http.SendAsync(request, "client delete (clean-up at the end of the run, RFC 7592 §2.3)");
    }

    /// <summary>The read with the right token (control), then with a wrong one.</summary>
    public const string WrongTokenChange = "client read request / Authorization: a registration access token the provider never issued";

    /// <summary>A new client_name for the update case, and the PUT of the full metadata with it (RFC 7592 §2.2).</summary>
    public static async Task<(string NewName, HttpExchange? Update)> UpdateAsync(ConformanceRun run, RegistrationAttempt registration)
    {
        var r = registration.Response;
        if (r.RegistrationClientUri is not { } uri || r.RegistrationAccessToken is not { } token) return ("", null);
        var metadata = JsonNode.Parse(registration.Sent.GetRawText())!.AsObject();
        var newName = "OidcConformance updated " + Protocol.Random.Token(6);
        metadata["client_name"] = newName;
        metadata["client_id"] = r.ClientId;
        if (r.ClientSecret is not null) metadata["client_secret"] = r.ClientSecret; // RFC 7592 §2.2: if included, it MUST match
        var request = new HttpRequestMessage(HttpMethod.Put, uri) { Content = new StringContent(metadata.ToJsonString(), Encoding.UTF8, "application/json") };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return (newName, await run.Http.SendAsync(request, "client update"));
    }
}
