using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>A fresh login's tokens introspected every way the suite judges; every request is made before any check reads it.</summary>
public sealed record IntrospectionScenario(CodeFlowResult Flow)
{
    public required IntrospectionResponse AccessHinted { get; init; }
    public required IntrospectionResponse AccessNoHint { get; init; }
    public required IntrospectionResponse AccessWrongHint { get; init; }
    public IntrospectionResponse? RefreshHinted { get; init; }
    public IntrospectionResponse? RefreshWrongHint { get; init; }
    public required IntrospectionResponse NoCredentials { get; init; }
    public IntrospectionResponse? WrongSecretBasic { get; init; }
    public IntrospectionResponse? WrongSecretPost { get; init; }
    public required IntrospectionResponse Garbage { get; init; }
    public DateTimeOffset At { get; init; }
}

/// <summary>Another client's token, introspected by the reference confidential client.</summary>
public sealed record ForeignIntrospection(string TokenClientId, string CallerClientId, IntrospectionResponse Response);

/// <summary>A token introspected before and after something made it inactive (revocation, expiry).</summary>
public sealed record InactiveIntrospection(IntrospectionResponse Before, IntrospectionResponse After);

public static class IntrospectionFlow
{
    public const string Owner = "introspection";

    private static void RequireFeature(ConformanceRun run)
    {
        if (!run.Profile.Features.Introspection)
            throw new PrerequisiteException("the provider does not offer introspection (profile features.introspection)");
    }

    public static Task<IntrospectionScenario> ActiveAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.ActiveIntrospection, async () =>
    {
        RequireFeature(run);
        await run.EndpointAsync("introspection_endpoint");
        var client = run.Profile.Confidential;
        var flow = await TokenManagementCalls.FreshLoginAsync(run, Owner, client);
        var token = flow.RequireSuccessfulToken();
        var at = token.AccessToken!;
        var rt = token.RefreshToken;
        var wrong = client.ClientSecret + "-wrong";
        // The normal request: the client introspects its access token with the right hint; the negatives change one step of it.
        TokenManagementPipeline Access() => TokenManagementPipeline.Introspection(client, at, "access_token");
        return new IntrospectionScenario(flow)
        {
            At = DateTimeOffset.UtcNow,
            AccessHinted = await TokenManagementCalls.IntrospectAsync(run, Access()),
            AccessNoHint = await TokenManagementCalls.IntrospectAsync(run, at, null, client),
            AccessWrongHint = await TokenManagementCalls.IntrospectAsync(run, Access().WrongHint("refresh_token")),
            RefreshHinted = rt is null ? null : await TokenManagementCalls.IntrospectAsync(run, rt, "refresh_token", client),
            RefreshWrongHint = rt is null ? null
                : await TokenManagementCalls.IntrospectAsync(run, TokenManagementPipeline.Introspection(client, rt, "refresh_token").WrongHint("access_token")),
            NoCredentials = await TokenManagementCalls.IntrospectAsync(run, Access().WithoutCredentials()),
            WrongSecretBasic = client.Supports("client_secret_basic")
                ? await TokenManagementCalls.IntrospectAsync(run, Access().WrongSecret(client, ClientAuthentication.ClientSecretBasic, wrong)) : null,
            WrongSecretPost = client.Supports("client_secret_post")
                ? await TokenManagementCalls.IntrospectAsync(run, Access().WrongSecret(client, ClientAuthentication.ClientSecretPost, wrong)) : null,
            // The access token without hint (AccessNoHint's request) with a token the provider never issued.
            Garbage = await TokenManagementCalls.IntrospectAsync(run,
                TokenManagementPipeline.Introspection(client, at, null).GarbageToken(TokenManagementCalls.GarbageToken())),
        };
    });

    /// <summary>The second confidential client's access token (from a login), introspected by the confidential client.</summary>
    public static Task<ForeignIntrospection> SecondClientTokenAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.SecondClientTokenIntrospection, async () =>
    {
        RequireFeature(run);
        var second = run.Profile.SecondConfidential ?? throw new PrerequisiteException("the profile has no secondConfidential client");
        var caller = run.Profile.Confidential;
        var flow = await TokenManagementCalls.FreshLoginAsync(run, Owner, second);
        // The second client's own introspection of its token, sent by the confidential client instead.
        var response = await TokenManagementCalls.IntrospectAsync(run,
            TokenManagementPipeline.Introspection(second, flow.RequireSuccessfulToken().AccessToken!, "access_token").AsOtherClient(caller));
        return new ForeignIntrospection(second.ClientId, caller.ClientId, response);
    });

    /// <summary>The client-credentials client's token, introspected by the confidential client.</summary>
    public static Task<ForeignIntrospection> ClientCredentialsTokenAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.ClientCredentialsTokenIntrospection, async () =>
    {
        RequireFeature(run);
        var (cc, token) = await ClientCredentialsTokenOf(run);
        var caller = run.Profile.Confidential;
        return new ForeignIntrospection(cc.ClientId, caller.ClientId,
            await TokenManagementCalls.IntrospectAsync(run, TokenManagementPipeline.Introspection(cc, token, "access_token").AsOtherClient(caller)));
    });

    /// <summary>The client-credentials client's token, introspected by that client itself.</summary>
    public static Task<IntrospectionResponse> ClientCredentialsOwnAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.ClientCredentialsOwnIntrospection, async () =>
    {
        RequireFeature(run);
        var (cc, token) = await ClientCredentialsTokenOf(run);
        return await TokenManagementCalls.IntrospectAsync(run, token, "access_token", cc);
    });

    public sealed record ClientCredentialsToken(Profiles.ClientProfile Client, string Token);

    private static Task<ClientCredentialsToken> ClientCredentialsTokenOf(ConformanceRun run) =>
        run.SharedAsync(SharedArtifacts.IntrospectionClientCredentialsToken, async () =>
        {
            var cc = run.Profile.ClientCredentials;
            if (!run.Profile.Features.ClientCredentials || cc is null)
                throw new PrerequisiteException("the provider does not offer the client credentials grant (profile features.clientCredentials / clients.clientCredentials)");
            var response = await run.TokenAsync(TokenRequest.ClientCredentials(await run.EndpointAsync("token_endpoint"), cc), "token: client_credentials");
            if (!response.IsSuccess) throw new PrerequisiteException($"the client credentials grant failed: {response.Describe()}");
            return new ClientCredentialsToken(cc, response.AccessToken!);
        });

    /// <summary>A fresh token introspected, revoked at the revocation endpoint, and introspected again.</summary>
    /// <param name="kind">access_token or refresh_token.</param>
    public static Task<InactiveIntrospection> RevokedAsync(ConformanceRun run, string kind) => run.SharedAsync(SharedArtifacts.RevokedIntrospection(kind), async () =>
    {
        RequireFeature(run);
        if (!run.Profile.Features.Revocation)
            throw new PrerequisiteException("the provider does not offer revocation (profile features.revocation), so no token can be revoked");
        await run.EndpointAsync("revocation_endpoint");
        var client = run.Profile.Confidential;
        var flow = await TokenManagementCalls.FreshLoginAsync(run, Owner, client);
        var token = flow.RequireSuccessfulToken();
        var value = (kind == "refresh_token" ? token.RefreshToken : token.AccessToken)
                    ?? throw new PrerequisiteException($"the flow issued no {kind}");
        var before = await TokenManagementCalls.IntrospectAsync(run, value, kind, client);
        var revoke = await TokenManagementCalls.RevokeAsync(run, value, kind, client);
        if (revoke.StatusCode != 200)
            throw new PrerequisiteException($"the {kind} could not be revoked (revocation answered HTTP {revoke.StatusCode}; see the Revocation suite)");
        var after = await TokenManagementCalls.IntrospectAsync(run, value, kind, client);
        return new InactiveIntrospection(before, after);
    });

    /// <summary>Longest access-token lifetime the suite waits out to see a token expire.</summary>
    public const int MaxExpiryWaitSeconds = 20;

    /// <summary>
    /// A fresh access token introspected until it expires, when its lifetime is short: the profile's
    /// <c>clients.shortLived</c> client with its own <c>accessTokenSeconds</c> (a provider with per-client lifetimes,
    /// e.g. Casdoor's per-application <c>expireInHours</c>), else the confidential client with
    /// <c>lifetimes.accessTokenSeconds</c>; otherwise a prerequisite failure (no long waits).
    /// </summary>
    public static Task<InactiveIntrospection> ExpiredAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.ExpiredIntrospection, async () =>
    {
        RequireFeature(run);
        var client = run.Profile.ShortLived ?? run.Profile.Confidential;
        var lifetime = client.AccessTokenSeconds ?? run.Profile.Lifetimes.AccessTokenSeconds;
        if (lifetime is null || lifetime > MaxExpiryWaitSeconds)
            throw new PrerequisiteException(
                $"the {client.Role} client's access token lifetime is {(lifetime is null ? "not stated" : $"{lifetime} s")}; the suite waits for expiry only up to {MaxExpiryWaitSeconds} s (set lifetimes.accessTokenSeconds lower, or add a clients.shortLived client with accessTokenSeconds, to run this case)");
        var flow = await TokenManagementCalls.FreshLoginAsync(run, Owner, client);
        var at = flow.RequireSuccessfulToken().AccessToken!;
        var before = await TokenManagementCalls.IntrospectAsync(run, at, "access_token", client);
        // Poll until the provider reports the token inactive or the lifetime (plus a margin for clock granularity) has passed.
        // No request before the stated lifetime can end; after that, a short poll interval (no fixed one-second sleeps).
        var expires = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(lifetime.Value);
        var deadline = expires + TimeSpan.FromSeconds(5);
        var after = before;
        while (DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(250));
            if (DateTimeOffset.UtcNow < expires) continue;
            after = await TokenManagementCalls.IntrospectAsync(run, at, "access_token", client);
            if (after.Active == false) break;
        }
        return new InactiveIntrospection(before, after);
    });
}
