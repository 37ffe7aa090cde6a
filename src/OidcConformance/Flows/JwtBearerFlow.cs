using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>The assertion a JWT bearer grant presents (RFC 7523 §2.1 "assertion").</summary>
public sealed class JwtBearerAssertionStep(string assertion) : RequestStep<TokenRequest>
{
    public override string Part => "assertion";
    public override void Apply(TokenRequest request) => request.Set("assertion", assertion);
}

/// <summary>
/// The JWT bearer grant (RFC 7523 §2.1) of the profile's <c>clients.jwtBearer</c>: the client signs, with its own key
/// (privateKeyFile), an assertion whose iss is its client_id, whose sub is users[0]'s username and whose aud is the token
/// endpoint; it authenticates as it is registered. Every refusal case sends the normal grant first (the control).
/// </summary>
public static class JwtBearerFlow
{
    public static readonly IReadOnlyList<string> RefusalCases = ["aud of another server", "expired", "not yet valid", "signed with an untrusted key"];

    public static string Describe(string @case) => @case switch
    {
        "aud of another server" => "an assertion whose aud names another server",
        "expired" => "an expired assertion",
        "not yet valid" => "an assertion whose nbf lies ten minutes ahead",
        "signed with an untrusted key" => "an assertion signed with a key the provider does not trust",
        _ => @case,
    };

    private static ClientProfile RequireClient(ProviderProfile p) =>
        p.JwtBearer ?? throw new PrerequisiteException("the profile has no client for the JWT bearer grant (clients.jwtBearer)");

    private static ClientAssertionOptions Normal(ConformanceRun run, string tokenEndpoint) =>
        new() { Audience = tokenEndpoint, Subject = run.Profile.PrimaryUser.Username };

    private static ClientAssertionOptions Changed(ClientAssertionOptions normal, string @case) => @case switch
    {
        "aud of another server" => normal with { Audience = "https://other-server.invalid/token" },
        "expired" => normal with { ExpiresInSeconds = -600, IssuedAtOffsetSeconds = -900 },
        "not yet valid" => normal with { NotBeforeOffsetSeconds = 600, ExpiresInSeconds = 900 },
        "signed with an untrusted key" => normal with { KeyOverride = ClientSigningKey.NewRsa() },
        _ => throw new ArgumentException($"unknown case '{@case}'"),
    };

    public static TokenPipeline Grant(ClientProfile client, string assertion) =>
        TokenPipeline.For(client).Add(new GrantTypeStep(JwtBearerChecks.GrantType)).Add(new JwtBearerAssertionStep(assertion)).Add(new TokenScopeStep(client.Scope));

    private static Task<TokenResponse> SendAsync(ConformanceRun run, TokenPipeline pipeline, string endpoint, string purpose) =>
        run.TokenAsync(pipeline.Build(endpoint), $"token: jwt-bearer ({purpose})");

    /// <summary>The normal grant, or null when the profile has no jwtBearer client.</summary>
    public static async Task<TokenResponse?> NormalAsync(ConformanceRun run)
    {
        if (run.Profile.JwtBearer is not { } client) return null;
        var endpoint = await run.EndpointAsync("token_endpoint");
        return await SendAsync(run, Grant(client, Normal(run, endpoint).Create(client.ClientId, client.AssertionKey!, endpoint)), endpoint, "normal assertion");
    }

    /// <summary>The control, then the grant whose assertion is changed as <paramref name="case"/> says.</summary>
    public static async Task<JwtAuthAttempt> RefusalAsync(ConformanceRun run, string @case)
    {
        var client = RequireClient(run.Profile);
        var endpoint = await run.EndpointAsync("token_endpoint");
        var normal = Normal(run, endpoint);
        var control = await SendAsync(run, Grant(client, normal.Create(client.ClientId, client.AssertionKey!, endpoint)), endpoint, "normal assertion");
        var mutated = Grant(client, normal.Create(client.ClientId, client.AssertionKey!, endpoint))
            .Replace<JwtBearerAssertionStep>(new JwtBearerAssertionStep(Changed(normal, @case).Create(client.ClientId, client.AssertionKey!, endpoint)), Describe(@case));
        return new JwtAuthAttempt(control, await SendAsync(run, mutated, endpoint, @case), mutated.MutatedStep!);
    }

    /// <summary>One assertion exchanged twice.</summary>
    public static async Task<JwtAuthAttempt> ReplayAsync(ConformanceRun run)
    {
        var client = RequireClient(run.Profile);
        var endpoint = await run.EndpointAsync("token_endpoint");
        var assertion = Normal(run, endpoint).Create(client.ClientId, client.AssertionKey!, endpoint);
        var control = await SendAsync(run, Grant(client, assertion), endpoint, "assertion used once");
        var again = Grant(client, assertion).Replace<JwtBearerAssertionStep>(new JwtBearerAssertionStep(assertion), "the same assertion (same jti) sent again");
        return new JwtAuthAttempt(control, await SendAsync(run, again, endpoint, "the same assertion again"), again.MutatedStep!);
    }
}
