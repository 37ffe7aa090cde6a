using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>A registration answer: the exchange and its JSON (RFC 7591 §3.2).</summary>
public sealed record RegistrationResponse(HttpExchange Exchange, JsonBody Body)
{
    public static RegistrationResponse From(HttpExchange exchange) => new(exchange, JsonBody.From(exchange));

    public string? ClientId => Body.String("client_id");
    public string? ClientSecret => Body.String("client_secret");
    public string? RegistrationAccessToken => Body.String("registration_access_token");
    public string? RegistrationClientUri => Body.String("registration_client_uri");
    public string? Error => Body.String("error");
    /// <summary>
    /// A client exists: 201, or 200 with a JSON client_id (e.g. glewlwyd 2.7.5). Only <c>registration.client-registered</c> judges the
    /// status; the checks that use the new client (metadata, login, refusal controls, read, update) need the client, not the 201.
    /// </summary>
    public bool IsRegistered => Exchange.TransportError is null && Exchange.StatusCode is 200 or 201 && Body.IsObject && ClientId is not null;
    /// <summary>Registered with RFC 7591 §3.2.1's 201 Created.</summary>
    public bool IsCreated => IsRegistered && Exchange.StatusCode == 201;

    public string Describe() =>
        Exchange.TransportError is not null ? $"no response ({Exchange.TransportError})"
        : Error is { } e ? $"HTTP {Exchange.StatusCode}, error '{e}'"
        : !Body.IsObject ? $"HTTP {Exchange.StatusCode}, not a JSON object ({Body.Problem})"
        : $"HTTP {Exchange.StatusCode}";
}

/// <summary>
/// Dynamic client registration (RFC 7591 §3; OpenID Connect Dynamic Client Registration 1.0 §3 and §4; client read and
/// update of RFC 7592 §2). Every refusal is judged against a normal registration sent in the same test.
/// </summary>
public static class RegistrationChecks
{
    private const string Area = "Dynamic client registration";

    public static readonly CheckDefinition EndpointAdvertised = new("registration.endpoint-advertised",
        "registration_endpoint is advertised as an absolute URL where the provider offers dynamic registration", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "registration_endpoint RECOMMENDED"),
            new(SpecDocument.Rfc8414, "2"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition ClientRegistered = new("registration.client-registered",
        "A registration request with valid metadata is answered 201 Created with a JSON client_id (and a client_secret for a secret-based method)", Area,
        [
            new(SpecDocument.Rfc7591, "3.2.1", "HTTP 201 Created; client_id REQUIRED"),
            new(SpecDocument.OpenIdConnectDynamicRegistration, "3.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition MetadataEchoed = new("registration.metadata-echoed",
        "The registration response returns every metadata member the client registered (values may be substituted)", Area,
        [
            new(SpecDocument.Rfc7591, "3.2.1", "the authorization server MUST return all registered metadata about the client"),
            new(SpecDocument.OpenIdConnectDynamicRegistration, "3.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition RegisteredClientLogsIn = new("registration.registered-client-login",
        "The registered client completes a real browser authorization code flow with the credentials it was given", Area,
        [
            new(SpecDocument.Rfc7591, "3", "the client uses the issued client_id and credentials at the authorization server"),
            new(SpecDocument.OpenIdConnectDynamicRegistration, "3.2"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "the ID token's aud is the registered client_id"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidRedirectUri = new("registration.invalid-redirect-uri",
        "A redirect URI with a fragment is refused with HTTP 400 and error invalid_redirect_uri", Area,
        [
            new(SpecDocument.Rfc7591, "3.2.2", "invalid_redirect_uri: the value of one or more redirection URIs is invalid"),
            new(SpecDocument.Rfc6749, "3.1.2", "the endpoint URI MUST NOT include a fragment component"),
            new(SpecDocument.OpenIdConnectDynamicRegistration, "3.3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidMetadata = new("registration.invalid-client-metadata",
        "An invalid metadata value is refused with HTTP 400 and error invalid_client_metadata, or replaced by a valid value", Area,
        [
            new(SpecDocument.Rfc7591, "3.2.2", "invalid_client_metadata; the server MAY substitute a valid value"),
            new(SpecDocument.OpenIdConnectDynamicRegistration, "3.3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition ReadWithToken = new("registration.read-with-token",
        "The registration access token reads the client's registration at registration_client_uri", Area,
        [
            new(SpecDocument.OpenIdConnectDynamicRegistration, "4.2", "the Authorization Server returns the current metadata"),
            new(SpecDocument.Rfc7592, "2.1"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition ReadNeedsToken = new("registration.read-needs-token",
        "A read of the client's registration with a wrong registration access token is refused with HTTP 401", Area,
        [
            new(SpecDocument.OpenIdConnectDynamicRegistration, "4.3", "the server MUST respond with HTTP 401 Unauthorized"),
            new(SpecDocument.Rfc7592, "2.1", "401 for an invalid registration access token"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition Update = new("registration.update-with-token",
        "An update of the client's metadata with the registration access token is answered 200 with the new value", Area,
        [new(SpecDocument.Rfc7592, "2.2", "an experimental RFC: graded SHOULD where the server offers the management endpoint")],
        RequirementLevel.Should);

    public static CheckResult EvaluateEndpointAdvertised(DiscoveryDocument d, FeatureSet features)
    {
        var value = d.String("registration_endpoint");
        if (value is null)
            return features.Registration
                ? EndpointAdvertised.Violation("the profile says the provider offers dynamic registration, but registration_endpoint is not advertised")
                : EndpointAdvertised.NotApplicable("the provider does not offer dynamic registration to the suite (profile features.registration)");
        return EndpointAdvertised.Require(Urls.TryAbsolute(value, out _), $"registration_endpoint '{value}' is not an absolute URL", "registration_endpoint is advertised");
    }

    /// <param name="authMethod">The token_endpoint_auth_method the request registered.</param>
    public static CheckResult EvaluateRegistered(RegistrationResponse r, string authMethod)
    {
        var result = JudgeRegistered(r, authMethod);
        return result.Observed("HTTP status", "201", Observe.StatusOf(r.Exchange)).Observed("client_id", "present", r.ClientId is null ? null : "present");
    }

    private static CheckResult JudgeRegistered(RegistrationResponse r, string authMethod)
    {
        if (r.Exchange.TransportError is not null) return ClientRegistered.Violation($"registration: no response ({r.Exchange.TransportError})");
        if (r.Exchange.StatusCode != 201)
            return ClientRegistered.Violation(r.Exchange.StatusCode == 200 && r.ClientId is not null
                ? "the client was registered, but the answer is HTTP 200; RFC 7591 §3.2.1 requires 201 Created"
                : $"a registration with valid metadata was answered {r.Describe()}");
        if (!r.Body.IsObject) return ClientRegistered.Violation($"the 201 answer is not a JSON object ({r.Body.Problem})");
        if (r.ClientId is null) return ClientRegistered.Violation("the 201 answer has no client_id");
        if (authMethod is "client_secret_basic" or "client_secret_post" && r.ClientSecret is null)
            return ClientRegistered.Violation($"the client registered for {authMethod} but got no client_secret");
        return ClientRegistered.Pass("201 Created with client_id" + (r.ClientSecret is null ? "" : " and client_secret"));
    }

    /// <param name="sent">The metadata the request registered (a JSON object).</param>
    public static CheckResult EvaluateMetadataEchoed(RegistrationResponse r, JsonElement sent)
    {
        if (!r.IsRegistered) return MetadataEchoed.NotApplicable($"no client was registered ({r.Describe()})");
        var missing = sent.EnumerateObject().Select(p => p.Name).Where(n => !r.Body.Has(n)).ToList();
        return MetadataEchoed.Require(missing.Count == 0, $"the registration response leaves out registered metadata: {string.Join(", ", missing)}",
                $"all {sent.EnumerateObject().Count()} registered members returned")
            .Observed("registered members missing from the response", "none", missing.Count == 0 ? "none" : string.Join(" ", missing));
    }

    /// <param name="flow">The code flow of the registered client: its authorization outcome and token response.</param>
    public static CheckResult EvaluateRegisteredClientLogsIn(RegistrationResponse r, AuthorizationOutcome? outcome, TokenResponse? token, Tokens.DecodedJwt? idToken)
    {
        if (!r.IsRegistered) return RegisteredClientLogsIn.NotApplicable($"no client was registered ({r.Describe()})");
        if (outcome is null) return RegisteredClientLogsIn.Violation("no authorization attempt was made");
        if (outcome.Response is not { Code: not null })
            return RegisteredClientLogsIn.Violation($"the registered client's authorization request did not yield a code: the authorization {outcome.Describe()}");
        if (token is null || !token.IsSuccess)
            return RegisteredClientLogsIn.Violation($"the registered client's code exchange failed ({token?.Describe() ?? "not sent"})");
        var aud = idToken is { IsValid: true } jwt && jwt.Payload.TryGetProperty("aud", out var a) ? a : (JsonElement?)null;
        var audContains = aud switch
        {
            { ValueKind: JsonValueKind.String } s => s.GetString() == r.ClientId,
            { ValueKind: JsonValueKind.Array } arr => arr.EnumerateArray().Any(e => e.ValueKind == JsonValueKind.String && e.GetString() == r.ClientId),
            _ => false,
        };
        if (token.IdToken is not null && !audContains)
            return RegisteredClientLogsIn.Violation($"the registered client got an ID token whose aud ({Observe.Json(aud)}) does not name its client_id");
        return RegisteredClientLogsIn.Pass("code issued and exchanged with the registered credentials" + (token.IdToken is null ? "" : "; the ID token's aud is the new client_id"));
    }

    /// <summary>A refusal: <paramref name="control"/> is the normal registration of the same test, <paramref name="refused"/> the changed one.</summary>
    private static CheckResult JudgeRefusal(CheckDefinition check, string error, string change, RegistrationResponse control, RegistrationResponse refused,
        Func<RegistrationResponse, string?>? substituted = null)
    {
        if (!control.IsRegistered) return check.NotApplicable($"the normal registration failed too ({control.Describe()}), so a refusal of {change} shows nothing");
        if (refused.Exchange.TransportError is not null) return check.Violation($"registration of {change}: no response ({refused.Exchange.TransportError})");
        CheckResult result;
        if (refused.IsCreated || refused.Exchange.StatusCode is 200 or 201)
            result = substituted?.Invoke(refused) is { } why
                ? check.Pass($"{change} was replaced by a valid value ({why}), which RFC 7591 §3.2.2 allows")
                : check.Violation($"{change} was registered ({refused.Describe()})");
        else if (refused.Exchange.StatusCode == 400 && refused.Error == error)
            result = check.Pass($"{change} refused: HTTP 400, error {error}");
        else
            result = check.Violation($"{change} was answered {refused.Describe()}; RFC 7591 §3.2.2 requires HTTP 400 with error {error}");
        return result.Observed("HTTP status", "400", Observe.StatusOf(refused.Exchange)).Observed("error", error, refused.Error);
    }

    public static CheckResult EvaluateInvalidRedirectUri(RegistrationResponse control, RegistrationResponse refused) =>
        JudgeRefusal(InvalidRedirectUri, "invalid_redirect_uri", "a redirect URI with a fragment", control, refused);

    /// <param name="member">The metadata member given an invalid value, and <paramref name="invalidValue"/> that value.</param>
    public static CheckResult EvaluateInvalidMetadata(RegistrationResponse control, RegistrationResponse refused, string member, string invalidValue) =>
        JudgeRefusal(InvalidMetadata, "invalid_client_metadata", $"{member} '{invalidValue}'", control, refused,
            r => r.Body.String(member) is { } v && v != invalidValue ? $"{member} registered as '{v}'" : null);

    /// <param name="read">The GET of registration_client_uri with the registration access token.</param>
    public static CheckResult EvaluateRead(RegistrationResponse registered, HttpExchange? read)
    {
        if (!registered.IsRegistered) return ReadWithToken.NotApplicable($"no client was registered ({registered.Describe()})");
        if (read is null)
            return ReadWithToken.NotApplicable("the registration response carries no registration_client_uri and registration_access_token: the provider does not offer client read");
        if (read.TransportError is not null) return ReadWithToken.Violation($"client read: no response ({read.TransportError})");
        var body = JsonBody.From(read);
        var result = read.StatusCode != 200
            ? ReadWithToken.Violation($"reading the registration with its registration access token was answered HTTP {read.StatusCode}{(body.String("error") is { } e ? $", error '{e}'" : "")}")
            : ReadWithToken.Require(body.String("client_id") == registered.ClientId, $"the read answer's client_id '{body.String("client_id")}' is not the registered client's",
                "the registration is read back with its client_id");
        return result.Observed("HTTP status", "200", Observe.StatusOf(read)).Observed("client_id", "the registered one", Observe.MatchesOrDiffers(body.String("client_id") == registered.ClientId));
    }

    /// <param name="control">The read with the right token (it must have worked), <paramref name="wrongToken"/> the read with a wrong one.</param>
    public static CheckResult EvaluateReadNeedsToken(HttpExchange? control, HttpExchange? wrongToken)
    {
        if (control is null || wrongToken is null) return ReadNeedsToken.NotApplicable("the provider does not offer client read (no registration_client_uri and registration_access_token)");
        if (control.TransportError is not null || control.StatusCode != 200)
            return ReadNeedsToken.NotApplicable($"the read with the right registration access token did not work either (HTTP {Observe.StatusOf(control)})");
        if (wrongToken.TransportError is not null) return ReadNeedsToken.Violation($"read with a wrong token: no response ({wrongToken.TransportError})");
        return ReadNeedsToken.Require(wrongToken.StatusCode == 401,
                wrongToken.StatusCode == 200 ? "a wrong registration access token reads the client's registration"
                    : $"a wrong registration access token was answered HTTP {wrongToken.StatusCode}; OIDC Dynamic Client Registration §4.3 requires 401",
                "a wrong registration access token is refused with 401")
            .Observed("HTTP status", "401", Observe.StatusOf(wrongToken));
    }

    /// <param name="update">The PUT of the changed metadata, or null when not offered; <paramref name="newName"/> the client_name it sets.</param>
    public static CheckResult EvaluateUpdate(RegistrationResponse registered, HttpExchange? update, string newName)
    {
        if (!registered.IsRegistered) return Update.NotApplicable($"no client was registered ({registered.Describe()})");
        if (update is null) return Update.NotApplicable("the provider does not offer client management (no registration_client_uri and registration_access_token)");
        if (update.TransportError is not null) return Update.Violation($"client update: no response ({update.TransportError})");
        if (update.StatusCode is 404 or 405)
            return Update.NotApplicable($"registration_client_uri does not accept PUT (HTTP {update.StatusCode}): the provider offers read only");
        var body = JsonBody.From(update);
        var result = update.StatusCode != 200
            ? Update.Violation($"updating the client with its registration access token was answered HTTP {update.StatusCode}{(body.String("error") is { } e ? $", error '{e}'" : "")}")
            : Update.Require(body.String("client_name") == newName, $"the update was answered 200 but client_name is '{body.String("client_name")}', not the new value",
                "client_name updated");
        return result.Observed("HTTP status", "200", Observe.StatusOf(update)).Observed("client_name", newName, body.String("client_name"));
    }
}
