using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>The client credentials grant with the normal assertion (the control) and with one assertion member changed.</summary>
public sealed record JwtAuthAttempt(TokenResponse Control, TokenResponse Mutated, string MutatedStep);

/// <summary>
/// Client authentication with JWTs (OIDC Core 1.0 §9): the profile's <c>clients.privateKeyJwt</c> and
/// <c>clients.clientSecretJwt</c> run the client credentials grant, which needs no End-User, so every attempt is a pair
/// of back-channel requests: the normal assertion, then the same request with one assertion member changed. The audience
/// of every assertion is the token endpoint (OIDC Core §9: the audience SHOULD be the token endpoint URL), at the
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

    /// <summary>The assertion of the normal request: aud = the token endpoint.</summary>
    public static ClientAssertionOptions NormalAssertion(string tokenEndpoint) => new() { Audience = tokenEndpoint };

    /// <summary>The assertion changed as <paramref name="case"/> says (one of <see cref="RefusalCases"/>).</summary>
    public static ClientAssertionOptions Changed(string @case, string tokenEndpoint, ClientProfile client, string method) => @case switch
    {
        "aud of another server" => NormalAssertion(tokenEndpoint) with { Audience = "https://other-server.invalid/token" },
        "expired" => NormalAssertion(tokenEndpoint) with { ExpiresInSeconds = -600, IssuedAtOffsetSeconds = -900 },
        "alg none, no signature" => NormalAssertion(tokenEndpoint) with { Unsigned = true },
        "wrong key or secret" => NormalAssertion(tokenEndpoint) with
        {
            KeyOverride = method == "private_key_jwt" ? ClientSigningKey.NewRsa() : ClientSigningKey.FromSecret(WrongSecret(client)),
        },
        "iss not the client_id" => NormalAssertion(tokenEndpoint) with { Issuer = client.ClientId + "-other" },
        _ => throw new ArgumentException($"unknown case '{@case}'"),
    };

    /// <summary>A secret of the same length that differs from the client's in every position.</summary>
    private static string WrongSecret(ClientProfile client) =>
        new((client.ClientSecret ?? "secret").Select(c => c == 'x' ? 'y' : 'x').ToArray());

    /// <summary>The normal client credentials request of <paramref name="client"/> with <paramref name="method"/>.</summary>
    public static TokenPipeline Normal(ClientProfile client, string method, string tokenEndpoint) =>
        TokenPipeline.ClientCredentials(client, client.Scope, Authentication(method), NormalAssertion(tokenEndpoint));

    public static Task<TokenResponse> SendAsync(ConformanceRun run, TokenPipeline pipeline, string tokenEndpoint, string purpose) =>
        run.TokenAsync(pipeline.Build(tokenEndpoint), purpose);

    /// <summary>The control, then the request whose assertion is changed as <paramref name="case"/> says.</summary>
    public static async Task<JwtAuthAttempt> RefusalAsync(ConformanceRun run, string method, string @case)
    {
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var control = await SendAsync(run, Normal(client, method, tokenEndpoint), tokenEndpoint, $"token: client_credentials ({method}, normal assertion)");
        var mutated = Normal(client, method, tokenEndpoint)
            .Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, Authentication(method), assertion: Changed(@case, tokenEndpoint, client, method)),
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
        var assertion = NormalAssertion(tokenEndpoint).Create(client.ClientId, key, tokenEndpoint);
        var once = TokenPipeline.ClientCredentials(client, client.Scope, Authentication(method), NormalAssertion(tokenEndpoint) with { Fixed = assertion });
        var control = await SendAsync(run, once, tokenEndpoint, $"token: client_credentials ({method}, assertion used once)");
        var again = Normal(client, method, tokenEndpoint)
            .Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, Authentication(method), assertion: NormalAssertion(tokenEndpoint) with { Fixed = assertion }),
                "client assertion: the same assertion (same jti) sent again");
        var replay = await SendAsync(run, again, tokenEndpoint, $"token: client_credentials ({method}, the same assertion again)");
        return new JwtAuthAttempt(control, replay, again.MutatedStep!);
    }

    /// <summary>The normal request, or null when the profile has no client for the method.</summary>
    public static async Task<TokenResponse?> NormalAsync(ConformanceRun run, string method)
    {
        if (ClientFor(run.Profile, method) is null) return null;
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        return await SendAsync(run, Normal(client, method, tokenEndpoint), tokenEndpoint, $"token: client_credentials ({method})");
    }

    /// <summary>A fresh token of the client (the control), then its introspection authenticated with the method.</summary>
    public static async Task<(TokenResponse Control, HttpExchange Introspection)> IntrospectionAsync(ConformanceRun run, string method)
    {
        if (!run.Profile.Features.Introspection) throw new PrerequisiteException("the provider does not offer introspection (profile features.introspection)");
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var control = await SendAsync(run, Normal(client, method, tokenEndpoint), tokenEndpoint, $"token: client_credentials ({method})");
        if (!control.IsSuccess) return (control, control.Exchange);
        var pipeline = TokenManagementPipeline.Introspection(client, control.AccessToken!, "access_token", Authentication(method), NormalAssertion(tokenEndpoint));
        var answer = await TokenManagementCalls.PostAsync(run, await run.EndpointAsync("introspection_endpoint"), $"introspection ({method})", pipeline);
        return (control, answer);
    }

    public static async Task<(TokenResponse Control, HttpExchange Revocation)> RevocationAsync(ConformanceRun run, string method)
    {
        if (!run.Profile.Features.Revocation) throw new PrerequisiteException("the provider does not offer revocation (profile features.revocation)");
        var client = RequireClient(run.Profile, method);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var control = await SendAsync(run, Normal(client, method, tokenEndpoint), tokenEndpoint, $"token: client_credentials ({method})");
        if (!control.IsSuccess) return (control, control.Exchange);
        var pipeline = TokenManagementPipeline.Revocation(client, control.AccessToken!, "access_token", Authentication(method), NormalAssertion(tokenEndpoint));
        var answer = await TokenManagementCalls.PostAsync(run, await run.EndpointAsync("revocation_endpoint"), $"revocation ({method})", pipeline);
        return (control, answer);
    }
}
