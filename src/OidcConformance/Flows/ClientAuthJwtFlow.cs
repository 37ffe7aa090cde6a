using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>The client credentials grant with the normal assertion (the control) and with one assertion member changed.</summary>
public sealed record JwtAuthAttempt(TokenResponse Control, TokenResponse Mutated, string MutatedStep);

/// <summary>
/// The shape of a normal client assertion. RFC 7523 §3 and OIDC Core 1.0 §9 (aud SHOULD be the token endpoint, no typ) are
/// what most providers accept; draft-ietf-oauth-rfc7523bis (in the RFC Editor's queue since 2026) makes the issuer the
/// audience and types the assertion client-authentication+jwt, and a provider that follows it (OpenIddict 7.9) refuses
/// the older shape. Both are standard: the suite uses whichever the provider accepts.
/// </summary>
public sealed record AssertionForm(string Name, string? Type, bool AudienceIsIssuer)
{
    public static readonly AssertionForm Rfc7523 = new("RFC 7523 / OIDC Core 1.0 §9 (typ JWT, aud = the token endpoint)", null, false);
    public static readonly AssertionForm Rfc7523bis = new("draft-ietf-oauth-rfc7523bis (typ client-authentication+jwt, aud = the issuer)", "client-authentication+jwt", true);
}

/// <summary>
/// The form the provider accepts, found once per method: the RFC 7523 form first, then, only if it was refused, the
/// rfc7523bis form. <see cref="Response"/> is the accepted answer (or the RFC 7523 refusal when both were refused);
/// <see cref="Rfc7523Refusal"/> is the RFC 7523 answer when the provider took only the rfc7523bis form; <see cref="Normal"/> is
/// the normal assertion in <see cref="Form"/>, which every case then starts from.
/// </summary>
public sealed record AssertionProbe(AssertionForm Form, ClientAssertionOptions Normal, TokenResponse Response, TokenResponse? Rfc7523Refusal);

/// <summary>
/// Client authentication with JWTs (OIDC Core 1.0 §9): the profile's <c>clients.privateKeyJwt</c> and
/// <c>clients.clientSecretJwt</c> run the client credentials grant, which needs no End-User, so every attempt is a pair
/// of back-channel requests: the normal assertion, then the same request with one assertion member changed. The normal
/// assertion has the form the provider accepts (<see cref="AssertionForm"/>, <see cref="ProbeAsync"/>), at the
/// introspection and revocation endpoints too.
/// </summary>
public static class ClientAuthJwtFlow
{
    /// <summary>The refusal cases: their name (the pipeline change shown as "mutates") and how the assertion is changed.</summary>
    public static readonly IReadOnlyList<string> RefusalCases =
        ["aud of another server", "expired", "alg none, no signature", "wrong key or secret", "iss not the client_id"];

    /// <summary>A refusal case in the words of a verdict: "an expired assertion".</summary>
    public static string Describe(string @case) => @case switch
    {
        "aud of another server" => "an assertion whose aud names another server",
        "expired" => "an expired assertion",
        "alg none, no signature" => "an unsigned assertion (alg none)",
        "wrong key or secret" => "an assertion signed with a wrong key or secret",
        "iss not the client_id" => "an assertion whose iss is not the client_id",
        _ => @case,
    };

    public static ClientProfile? ClientFor(ProviderProfile profile, string method) =>
        method == "private_key_jwt" ? profile.PrivateKeyJwt : profile.ClientSecretJwt;

    public static ClientAuthentication Authentication(string method) => ClientAuthenticationNames.Parse(method);

    /// <summary>The client for <paramref name="method"/>, or a prerequisite failure naming the profile member.</summary>
    public static ClientProfile RequireClient(ProviderProfile profile, string method)
    {
        var client = ClientFor(profile, method)
            ?? throw new PrerequisiteException($"the profile registers no client for {method} (clients.{(method == "private_key_jwt" ? "privateKeyJwt" : "clientSecretJwt")})");
        if (!client.GrantTypes.Contains("client_credentials"))
            throw new PrerequisiteException($"client {client.ClientId} ({method}) is not registered for the client credentials grant, which these checks use");
        return client;
    }

    /// <summary>The normal assertion in <paramref name="form"/>.</summary>
    private static async Task<ClientAssertionOptions> AssertionAsync(ConformanceRun run, AssertionForm form, string tokenEndpoint) =>
        new() { Audience = form.AudienceIsIssuer ? (await run.DiscoveryAsync()).String("issuer") ?? run.Issuer : tokenEndpoint, Type = form.Type };

    /// <summary>Which form of the normal assertion the provider accepts (see <see cref="AssertionProbe"/>); once per method and run.</summary>
    public static Task<AssertionProbe> ProbeAsync(ConformanceRun run, string method) => run.SharedAsync(SharedArtifacts.ClientAssertionForm(method), async () =>
    {
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var classic = await AssertionAsync(run, AssertionForm.Rfc7523, tokenEndpoint);
        var first = await SendAsync(run, Normal(client, method, classic), tokenEndpoint, $"token: client_credentials ({method}, {AssertionForm.Rfc7523.Name})");
        if (first.IsSuccess || first.Exchange.TransportError is not null) return new AssertionProbe(AssertionForm.Rfc7523, classic, first, null);
        var bis = await AssertionAsync(run, AssertionForm.Rfc7523bis, tokenEndpoint);
        var second = await SendAsync(run, Normal(client, method, bis), tokenEndpoint, $"token: client_credentials ({method}, {AssertionForm.Rfc7523bis.Name})");
        return second.IsSuccess
            ? new AssertionProbe(AssertionForm.Rfc7523bis, bis, second, first)
            : new AssertionProbe(AssertionForm.Rfc7523, classic, first, null);
    });

    /// <summary>The assertion changed as <paramref name="case"/> says (one of <see cref="RefusalCases"/>), from the accepted form.</summary>
    public static ClientAssertionOptions Changed(string @case, ClientAssertionOptions normal, ClientProfile client, string method) => @case switch
    {
        "aud of another server" => normal with { Audience = "https://other-server.invalid/token" },
        "expired" => normal with { ExpiresInSeconds = -600, IssuedAtOffsetSeconds = -900 },
        "alg none, no signature" => normal with { Unsigned = true },
        "wrong key or secret" => normal with
        {
            KeyOverride = method == "private_key_jwt" ? ClientSigningKey.NewRsa() : ClientSigningKey.FromSecret(WrongSecret(client)),
        },
        "iss not the client_id" => normal with { Issuer = client.ClientId + "-other" },
        _ => throw new ArgumentException($"unknown case '{@case}'"),
    };

    /// <summary>A secret of the same length that differs from the client's in every position.</summary>
    private static string WrongSecret(ClientProfile client) =>
        new((client.ClientSecret ?? "secret").Select(c => c == 'x' ? 'y' : 'x').ToArray());

    /// <summary>The normal client credentials request of <paramref name="client"/> with <paramref name="method"/>.</summary>
    public static TokenPipeline Normal(ClientProfile client, string method, ClientAssertionOptions assertion) =>
        TokenPipeline.ClientCredentials(client, client.Scope, Authentication(method), assertion);

    public static Task<TokenResponse> SendAsync(ConformanceRun run, TokenPipeline pipeline, string tokenEndpoint, string purpose) =>
        run.TokenAsync(pipeline.Build(tokenEndpoint), purpose);

    /// <summary>The control, then the request whose assertion is changed as <paramref name="case"/> says.</summary>
    public static async Task<JwtAuthAttempt> RefusalAsync(ConformanceRun run, string method, string @case)
    {
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var normal = (await ProbeAsync(run, method)).Normal;
        var control = await SendAsync(run, Normal(client, method, normal), tokenEndpoint, $"token: client_credentials ({method}, normal assertion)");
        var mutated = Normal(client, method, normal)
            .Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, Authentication(method), assertion: Changed(@case, normal, client, method)),
                $"client assertion: {@case}");
        var answer = await SendAsync(run, mutated, tokenEndpoint, $"token: client_credentials ({method}, assertion {@case})");
        return new JwtAuthAttempt(control, answer, mutated.MutatedStep!);
    }

    /// <summary>One assertion sent twice: the first request is the control, the second the replay.</summary>
    public static async Task<JwtAuthAttempt> ReplayAsync(ConformanceRun run, string method)
    {
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var key = method == "private_key_jwt" ? client.AssertionKey! : ClientSigningKey.FromSecret(client.ClientSecret!);
        var normal = (await ProbeAsync(run, method)).Normal;
        var assertion = normal.Create(client.ClientId, key, tokenEndpoint);
        var once = TokenPipeline.ClientCredentials(client, client.Scope, Authentication(method), normal with { Fixed = assertion });
        var control = await SendAsync(run, once, tokenEndpoint, $"token: client_credentials ({method}, assertion used once)");
        var again = Normal(client, method, normal)
            .Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, Authentication(method), assertion: normal with { Fixed = assertion }),
                "client assertion: the same assertion (same jti) sent again");
        var replay = await SendAsync(run, again, tokenEndpoint, $"token: client_credentials ({method}, the same assertion again)");
        return new JwtAuthAttempt(control, replay, again.MutatedStep!);
    }

    /// <summary>The normal request in the form the provider accepts, or null when the profile has no client for the method.</summary>
    public static async Task<AssertionProbe?> NormalAsync(ConformanceRun run, string method)
    {
        if (ClientFor(run.Profile, method) is null) return null;
        return await ProbeAsync(run, method);
    }

    /// <summary>A fresh token of the client (the control), then its introspection authenticated with the method.</summary>
    public static async Task<(TokenResponse Control, HttpExchange Introspection)> IntrospectionAsync(ConformanceRun run, string method)
    {
        if (!run.Profile.Features.Introspection) throw new PrerequisiteException("the provider does not offer introspection (profile features.introspection)");
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var normal = (await ProbeAsync(run, method)).Normal;
        var control = await SendAsync(run, Normal(client, method, normal), tokenEndpoint, $"token: client_credentials ({method})");
        if (!control.IsSuccess) return (control, control.Exchange);
        var pipeline = TokenManagementPipeline.Introspection(client, control.AccessToken!, "access_token", Authentication(method), normal);
        var answer = await TokenManagementCalls.PostAsync(run, await run.EndpointAsync("introspection_endpoint"), $"introspection ({method})", pipeline);
        return (control, answer);
    }

    public static async Task<(TokenResponse Control, HttpExchange Revocation)> RevocationAsync(ConformanceRun run, string method)
    {
        if (!run.Profile.Features.Revocation) throw new PrerequisiteException("the provider does not offer revocation (profile features.revocation)");
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var normal = (await ProbeAsync(run, method)).Normal;
        var control = await SendAsync(run, Normal(client, method, normal), tokenEndpoint, $"token: client_credentials ({method})");
        if (!control.IsSuccess) return (control, control.Exchange);
        var pipeline = TokenManagementPipeline.Revocation(client, control.AccessToken!, "access_token", Authentication(method), normal);
        var answer = await TokenManagementCalls.PostAsync(run, await run.EndpointAsync("revocation_endpoint"), $"revocation ({method})", pipeline);
        return (control, answer);
    }
}
