using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;
using static OidcConformance.Checks.AdvertisedValueJudgements;

namespace OidcConformance.Flows;

/// <summary>
/// Obtains the evidence of <see cref="AdvertisedValueChecks"/>: for one advertised value, the metadata list, a control
/// request of the same client in a logged-in session (response_type=code, its code redeemed) and the request that uses
/// the value. Reuses <see cref="AuthorizationEndpointFlow"/> for the browser and <see cref="TokenRequest"/> for the token
/// endpoint. A profile's "not offered" (features.*) never skips an advertised value: the value is exercised and the
/// contradiction is reported with the verdict (docs/profile-format.md, "Features and discovery").
/// </summary>
public static class AdvertisedValueFlows
{
    public const string ResponseTypesField = "response_types_supported";
    public const string ResponseModesField = "response_modes_supported";
    public const string GrantTypesField = "grant_types_supported";
    public const string CodeChallengeMethodsField = "code_challenge_methods_supported";
    public const string TokenAuthMethodsField = "token_endpoint_auth_methods_supported";
    public const string ScopesField = "scopes_supported";

    public static readonly IReadOnlyList<string> KnownResponseTypes = ["code", "token", "id_token", "id_token token", "code id_token", "code token", "code id_token token", "none"];
    public static readonly IReadOnlyList<string> KnownResponseModes = ["query", "fragment", "form_post"];
    public const string DeviceCode = "urn:ietf:params:oauth:grant-type:device_code";
    public const string TokenExchange = "urn:ietf:params:oauth:grant-type:token-exchange";
    public const string JwtBearer = "urn:ietf:params:oauth:grant-type:jwt-bearer";
    public const string Saml2Bearer = "urn:ietf:params:oauth:grant-type:saml2-bearer";
    public const string Ciba = "urn:openid:params:grant-type:ciba";
    public static readonly IReadOnlyList<string> KnownGrantTypes =
        ["authorization_code", "implicit", "refresh_token", "password", "client_credentials", DeviceCode, TokenExchange, JwtBearer, Saml2Bearer, Ciba];
    public static readonly IReadOnlyList<string> KnownCodeChallengeMethods = ["S256", "plain"];
    public static readonly IReadOnlyList<string> KnownTokenAuthMethods =
        ["client_secret_basic", "client_secret_post", "client_secret_jwt", "private_key_jwt", "none", "tls_client_auth", "self_signed_tls_client_auth"];
    public static readonly IReadOnlyList<string> KnownScopes = ["openid", "profile", "email", "address", "phone", "offline_access"];

    /// <summary>
    /// A metadata list as discovery gives it, or the default the spec gives an omitted field (Discovery 1.0 §3:
    /// response_modes ["query", "fragment"], grant_types ["authorization_code", "implicit"], token_endpoint_auth_methods
    /// client_secret_basic); null when the field is absent and has no default.
    /// </summary>
    public static IReadOnlyList<string>? Listed(DiscoveryDocument d, string field) => d.StringArray(field) ?? (d.Body.Get(field) is not null ? null : field switch
    {
        ResponseModesField => ["query", "fragment"],
        GrantTypesField => ["authorization_code", "implicit"],
        TokenAuthMethodsField => ["client_secret_basic"],
        _ => null,
    });

    private static async Task<AdvertisedProbe> ProbeFor(ConformanceRun run, string field, string value, Func<string, string, bool>? same = null)
    {
        var listed = Listed(await run.DiscoveryAsync(), field);
        same ??= string.Equals;
        var omitted = (await run.DiscoveryAsync()).Body.Get(field) is null && listed is not null;
        return new AdvertisedProbe(field, value)
        {
            Listed = listed,
            Advertised = listed?.Any(v => same(v, value)) == true,
            Notes = omitted ? [$"{field} is omitted; the spec's default {string.Join(", ", listed!)} applies"] : [],
        };
    }

    /// <summary>
    /// The control of every case: <paramref name="client"/>'s response_type=code request in a logged-in session, its code
    /// redeemed with the client's preferred authentication; made once per run and client. Worked only when all of it did.
    /// </summary>
    public static Task<AuthorizationAttempt> ControlAttemptAsync(ConformanceRun run, ClientProfile client) =>
        run.SharedAsync(SharedArtifacts.AdvertisedControl(client.Role), () => AuthorizationEndpointFlow.AttemptAsync(run, exchangeCode: true, client: client));

    public static async Task<(string Label, ProbeOutcome Outcome)> ControlAsync(ConformanceRun run, ClientProfile client)
    {
        var outcome = Authorization(await ControlAttemptAsync(run, client), "code", null);
        if (outcome is { End: ProbeEnd.Worked, Problems.Count: > 0 }) outcome = ProbeOutcome.NoEvidence(outcome.Description + ": " + string.Join("; ", outcome.Problems));
        return ($"the control (the {client.Role} client's response_type=code request in a logged-in session, its code redeemed)", outcome);
    }

    // ---------------------------------------------------------------- response_types_supported

    public static async Task<AdvertisedProbe> ResponseTypeAsync(ConformanceRun run, string responseType, string? responseMode = null)
    {
        var probe = await ProbeFor(run, ResponseTypesField, responseType, ResponseTypes.SameSet);
        var notes = probe.Notes.ToList();
        var f = run.Profile.Features;
        var code = ResponseTypes.HasCode(responseType);
        if (responseType != "none" && !code && !f.Implicit) notes.Add($"the profile says features.implicit = false while discovery advertises '{responseType}'");
        if (code && responseType != "code" && !f.Hybrid) notes.Add($"the profile says features.hybrid = false while discovery advertises '{responseType}'");
        if (responseMode is not null)
        {
            var modes = Listed(await run.DiscoveryAsync(), ResponseModesField)!;
            if (!modes.Contains(responseMode))
                return probe with { Notes = notes, NotExercised = $"response_mode '{responseMode}' is not in {ResponseModesField} [{string.Join(", ", modes)}]" };
            if (responseMode == "form_post" && !f.FormPost) notes.Add("the profile says features.formPost = false while discovery advertises form_post");
        }
        if (!probe.Advertised) return probe with { Notes = notes };
        var registered = run.Profile.Clients.Values.Where(c => c.ResponseTypes.Any(t => ResponseTypes.SameSet(t, responseType))).ToList();
        var client = registered.Contains(run.Profile.Confidential) ? run.Profile.Confidential : registered.FirstOrDefault() ?? run.Profile.Confidential;
        var (label, control) = await ControlAsync(run, client);
        var attempt = await run.SharedAsync(SharedArtifacts.AdvertisedResponseType(responseType, responseMode), () =>
            AuthorizationEndpointFlow.AttemptAsync(run, q =>
            {
                q.Set("response_type", responseType);
                if (responseMode is not null) q.Set("response_mode", responseMode);
            }, exchangeCode: code, client: client));
        return probe with
        {
            Notes = notes,
            ControlLabel = label,
            Control = control,
            Attempt = Authorization(attempt, responseType, responseMode),
            RegistrationCaveat = registered.Count > 0 ? null : $"the profile registers no client for response_type '{responseType}' (the {client.Role} client was used)",
        };
    }

    // ---------------------------------------------------------------- response_modes_supported

    public static async Task<AdvertisedProbe> ResponseModeAsync(ConformanceRun run, string responseMode)
    {
        var probe = await ProbeFor(run, ResponseModesField, responseMode);
        var notes = probe.Notes.ToList();
        if (responseMode == "form_post" && !run.Profile.Features.FormPost) notes.Add("the profile says features.formPost = false while discovery advertises form_post");
        if (!probe.Advertised) return probe with { Notes = notes };
        var client = run.Profile.Confidential;
        var (label, control) = await ControlAsync(run, client);
        var attempt = await run.SharedAsync(SharedArtifacts.AdvertisedResponseMode(responseMode), () =>
            AuthorizationEndpointFlow.AttemptAsync(run, q => q.Set("response_mode", responseMode), exchangeCode: true, client: client));
        return probe with { Notes = notes, ControlLabel = label, Control = control, Attempt = Authorization(attempt, "code", responseMode) };
    }

    // ---------------------------------------------------------------- grant_types_supported

    public static async Task<AdvertisedProbe> GrantTypeAsync(ConformanceRun run, string grant)
    {
        var probe = await ProbeFor(run, GrantTypesField, grant);
        if (!probe.Advertised) return probe;
        var p = run.Profile;
        var notes = probe.Notes.ToList();
        switch (grant)
        {
            case DeviceCode:
                return probe with { NotExercised = "the device flow (RFC 8628) needs a user to enter the user code at the verification URI; the suite does not drive it" };
            case JwtBearer:
            case Saml2Bearer:
                return probe with { NotExercised = "needs an assertion signed by an issuer the provider trusts (RFC 7523 / RFC 7522); the profile names no such issuer or key" };
            case Ciba:
                return probe with { NotExercised = "needs a backchannel authentication request approved on the user's device (CIBA 1.0); the suite has no authentication device" };
            case "implicit":
            {
                var discovery = await run.DiscoveryAsync();
                var types = Listed(discovery, ResponseTypesField) ?? [];
                var rt = new[] { "token", "id_token token", "id_token" }.FirstOrDefault(t => types.Any(s => ResponseTypes.SameSet(s, t)));
                if (rt is null) return probe with { NotExercised = $"no implicit response type (token, id_token token, id_token) is in {ResponseTypesField} [{string.Join(", ", types)}] to exercise it with" };
                var byType = await ResponseTypeAsync(run, rt);
                return byType with
                {
                    Field = GrantTypesField, Value = grant, Listed = probe.Listed, Advertised = true,
                    Notes = [.. notes, .. byType.Notes, $"exercised as response_type={rt}"],
                };
            }
            case "authorization_code":
            {
                var client = p.Confidential;
                var attempt = await ControlAttemptAsync(run, client);
                var authorized = attempt.Outcome.Response is { Error: null, Code: not null }
                    ? ProbeOutcome.Worked("a code was issued")
                    : ProbeOutcome.NoEvidence(attempt.Outcome.Describe());
                return probe with
                {
                    ControlLabel = $"the authorization step (the {client.Role} client's response_type=code request)",
                    Control = authorized,
                    Attempt = authorized.End == ProbeEnd.Worked ? Token(attempt.Token, "the code exchange") : ProbeOutcome.NoEvidence($"no code to redeem: {attempt.Outcome.Describe()}"),
                };
            }
        }

        var endpoint = await run.EndpointAsync("token_endpoint");
        ClientProfile grantClient;
        Func<Task<ProbeOutcome>> attemptFactory;
        string? caveat = null;
        switch (grant)
        {
            case "password":
                grantClient = TokenEndpointFlows.PasswordClient(run);
                if (!p.Features.Password) notes.Add("the profile says features.password = false while discovery advertises password");
                attemptFactory = async () => Token(await run.TokenAsync(TokenRequest.Password(endpoint, grantClient, p.PrimaryUser), "token: password grant (advertised grant types)"), "the password grant");
                break;
            case "client_credentials":
                grantClient = p.ClientCredentials ?? p.Clients.Values.FirstOrDefault(c => !c.IsPublic && c.GrantTypes.Contains("client_credentials")) ?? p.Confidential;
                if (!p.Features.ClientCredentials) notes.Add("the profile says features.clientCredentials = false while discovery advertises client_credentials");
                attemptFactory = async () => Token(await run.TokenAsync(TokenRequest.ClientCredentials(endpoint, grantClient), "token: client_credentials (advertised grant types)"), "the client_credentials grant");
                break;
            case "refresh_token":
                grantClient = p.Confidential;
                if (!p.Features.RefreshToken) notes.Add("the profile says features.refreshToken = false while discovery advertises refresh_token");
                attemptFactory = async () =>
                {
                    var control = await ControlAttemptAsync(run, grantClient);
                    if (control.Token?.RefreshToken is not { } refresh)
                        return ProbeOutcome.NoEvidence($"the control's code exchange (scope '{control.Request.Get("scope")}') issued no refresh token, so there is nothing to refresh");
                    return Token(await run.TokenAsync(TokenRequest.Refresh(endpoint, grantClient, refresh), "token: refresh_token (advertised grant types)"), "the refresh_token grant");
                };
                break;
            case TokenExchange:
                grantClient = p.Confidential;
                caveat = "RFC 8693 leaves who may exchange which token to the provider's policy, and the profile names no client allowed to";
                attemptFactory = async () =>
                {
                    var control = await ControlAttemptAsync(run, grantClient);
                    if (control.Token?.AccessToken is not { } subject) return ProbeOutcome.NoEvidence("the control issued no access token to exchange");
                    var request = TokenRequest.For(endpoint, grantClient).Set("grant_type", TokenExchange).Set("subject_token", subject)
                        .Set("subject_token_type", "urn:ietf:params:oauth:token-type:access_token");
                    return Token(await run.TokenAsync(request, "token: token exchange (advertised grant types)"), "the token-exchange grant");
                };
                break;
            default:
                return probe with { NotExercised = "unknown value, not exercised (the suite has no request for this grant type)" };
        }
        if (caveat is null && !grantClient.GrantTypes.Contains(grant))
            caveat = $"the profile registers no client for the {grant} grant (the {grantClient.Role} client was used)";
        var (label, controlOutcome) = await ControlAsync(run, p.Confidential);
        var outcome = await run.SharedAsync(SharedArtifacts.AdvertisedGrant(grant), async () => new Boxed<ProbeOutcome>(await attemptFactory()));
        return probe with { Notes = notes, ControlLabel = label, Control = controlOutcome, Attempt = outcome.Value, RegistrationCaveat = caveat };
    }


    // ---------------------------------------------------------------- code_challenge_methods_supported

    public static async Task<AdvertisedProbe> CodeChallengeMethodAsync(ConformanceRun run, string method)
    {
        var probe = await ProbeFor(run, CodeChallengeMethodsField, method);
        if (!probe.Advertised) return probe;
        var notes = probe.Notes.ToList();
        if (!run.Profile.Features.Pkce) notes.Add("the profile says features.pkce = false while discovery advertises code challenge methods");
        var client = run.Profile.Confidential;
        var (label, control) = await ControlAsync(run, client);
        var attempt = await run.SharedAsync(SharedArtifacts.AdvertisedPkce(method), () =>
            AuthorizationEndpointFlow.AttemptAsync(run, q => q.WithPkce(method), exchangeCode: true, client: client));
        return probe with { Notes = notes, ControlLabel = label, Control = control, Attempt = Authorization(attempt, "code", null) };
    }

    // ---------------------------------------------------------------- token_endpoint_auth_methods_supported

    public static async Task<AdvertisedProbe> TokenAuthMethodAsync(ConformanceRun run, string method)
    {
        var probe = await ProbeFor(run, TokenAuthMethodsField, method);
        if (!probe.Advertised) return probe;
        var p = run.Profile;
        switch (method)
        {
            case "private_key_jwt" when p.PrivateKeyJwt is null:
                return probe with { NotExercised = "needs a client key pair registered with the provider (OIDC Core §9): the profile has no clients.privateKeyJwt" };
            case "private_key_jwt":
                break;
            case "tls_client_auth":
            case "self_signed_tls_client_auth":
                return probe with { NotExercised = "needs a client certificate registered with the provider (RFC 8705 §2); the profile has none" };
            case "client_secret_basic" or "client_secret_post" or "client_secret_jwt" or "none":
                break;
            default:
                return probe with { NotExercised = "unknown value, not exercised (the suite has no request for this authentication method)" };
        }
        // A JWT method with a client registered for it (clients.privateKeyJwt / clientSecretJwt): that client's client
        // credentials grant, as the clientauth.* checks make it (ClientAuthJwtFlow), needs no login.
        if (ClientAuthJwtChecks.Methods.Contains(method) && ClientAuthJwtFlow.ClientFor(p, method) is { } jwtClient && jwtClient.GrantTypes.Contains("client_credentials"))
        {
            var (jwtLabel, jwtControl) = await ControlAsync(run, p.Confidential);
            var jwtOutcome = await run.SharedAsync(SharedArtifacts.AdvertisedAuthentication(method), async () =>
            {
                var endpoint = await run.EndpointAsync("token_endpoint");
                var normal = (await ClientAuthJwtFlow.ProbeAsync(run, method)).Normal;
                return new Boxed<ProbeOutcome>(Token(await ClientAuthJwtFlow.SendAsync(run, ClientAuthJwtFlow.Normal(jwtClient, method, normal), endpoint,
                    $"token: client_credentials with {method} (advertised auth methods)"), $"the client credentials grant of the {jwtClient.Role} client with {method}"));
            });
            return probe with { ControlLabel = jwtLabel, Control = jwtControl, Attempt = jwtOutcome.Value };
        }
        var client = method == "none"
            ? p.Clients.Values.FirstOrDefault(c => c.IsPublic && c.ResponseTypes.Contains("code"))
            : p.Clients.Values.Where(c => !c.IsPublic && c.ResponseTypes.Contains("code")).OrderBy(c => c.Supports(method) ? 0 : 1).FirstOrDefault();
        if (client is null)
            return probe with { NotExercised = method == "none" ? "the profile has no public client (clients.public) to exercise it with" : "the profile has no confidential client with the code flow" };
        var (label, control) = await ControlAsync(run, p.Confidential);
        var outcome = await run.SharedAsync(SharedArtifacts.AdvertisedAuthentication(method), async () =>
        {
            var attempt = await AuthorizationEndpointFlow.AttemptAsync(run, q => { if (client.IsPublic) q.WithPkce(); }, client: client);
            if (attempt.Outcome.Response is not { Error: null, Code: { } code })
                return new Boxed<ProbeOutcome>(ProbeOutcome.NoEvidence($"the {client.Role} client's authorization issued no code to redeem: {attempt.Outcome.Describe()}"));
            var endpoint = await run.EndpointAsync("token_endpoint");
            var redirect = attempt.Request.RedirectUri!;
            // client_secret_jwt without a client registered for it: the confidential client's secret keys the HS256 assertion (TokenRequest.Build)
            var request = TokenRequest.AuthorizationCode(endpoint, client, code, redirect, attempt.Request.CodeVerifier, ClientAuthenticationNames.Parse(method));
            return new Boxed<ProbeOutcome>(Token(await run.TokenAsync(request, $"token: authorization_code with {method} (advertised auth methods)"), $"the code exchange with {method}"));
        });
        return probe with
        {
            ControlLabel = label, Control = control, Attempt = outcome.Value,
            RegistrationCaveat = client.Supports(method) ? null : $"the profile does not register {method} for the {client.Role} client (tokenEndpointAuthMethods)",
        };
    }

    // ---------------------------------------------------------------- scopes_supported

    /// <summary>One advertised scope requested with openid, or (for <see cref="AdvertisedValueChecks.OtherValues"/>) every advertised scope the suite has no case for, together.</summary>
    public static async Task<AdvertisedProbe> ScopeAsync(ConformanceRun run, string scope)
    {
        var probe = await ProbeFor(run, ScopesField, scope);
        IReadOnlyList<string> values = [scope];
        if (scope == AdvertisedValueChecks.OtherValues)
        {
            values = probe.Listed?.Where(s => !KnownScopes.Contains(s)).ToList() ?? [];
            probe = probe with { Value = string.Join(" ", values), Advertised = values.Count > 0 };
        }
        if (!probe.Advertised) return probe;
        var client = run.Profile.Confidential;
        var requested = string.Join(" ", new[] { "openid" }.Concat(values.Where(v => v != "openid")));
        var (label, control) = await ControlAsync(run, client);
        var attempt = await run.SharedAsync(SharedArtifacts.AdvertisedScope(requested), () =>
            AuthorizationEndpointFlow.AttemptAsync(run, q => q.Set("scope", requested), exchangeCode: true, client: client));
        var outcome = Authorization(attempt, "code", null);
        if (outcome.End == ProbeEnd.Worked && attempt.Token?.Scope is { } granted)
        {
            var left = values.Where(v => !granted.Split(' ').Contains(v)).ToList();
            outcome = outcome with { Description = outcome.Description + $"; granted scope '{granted}'" + (left.Count == 0 ? "" : $" leaves out {string.Join(", ", left)} (RFC 6749 §3.3 lets the server ignore a scope)") };
        }
        var unregistered = values.Where(v => !client.Scope.Split(' ').Contains(v)).ToList();
        return probe with
        {
            ControlLabel = label, Control = control, Attempt = outcome,
            RegistrationCaveat = unregistered.Count == 0 ? null : $"the profile's {client.Role} client does not list {string.Join(", ", unregistered)} in its scope",
        };
    }
}
