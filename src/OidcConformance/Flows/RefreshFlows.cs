using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// One refresh-token life for one client, run in a fixed order because the last step may revoke the whole grant
/// (RFC 9700 §4.14.2 reuse detection): login (own browser session, so its own grant) → refresh → UserInfo with the new
/// access token → narrowed refresh → widened refresh → without / with a wrong client secret → the token presented by another
/// client → reuse of the rotated-away token → the active token after that reuse. Every step keeps its request and response.
/// </summary>
public sealed record RefreshScenario(ClientProfile Client, CodeFlowResult Initial, string GrantedScope, string NarrowScope, string AddedScope)
{
    public string? InitialRefreshToken => Initial.Token?.RefreshToken;
    public TokenResponse? First { get; set; }
    public HttpExchange? FirstUserInfo { get; set; }
    public TokenResponse? Narrow { get; set; }
    public TokenResponse? Widen { get; set; }
    /// <summary>
    /// The granted scope learnt without the token response's own word: set only when a narrowed/widened refresh succeeded
    /// and omitted scope (RFC 6749 §5.1 then says "as requested", which the checks do not take on trust).
    /// </summary>
    public IndependentScope? NarrowIndependent { get; set; }
    public IndependentScope? WidenIndependent { get; set; }
    public ClientProfile? OtherClient { get; set; }
    public TokenResponse? ByOtherClient { get; set; }
    public TokenResponse? WithoutClientAuthentication { get; set; }
    public TokenResponse? WithWrongSecret { get; set; }
    public bool WrongSecretSentWithBasic { get; set; }
    public TokenResponse? Reuse { get; set; }
    public TokenResponse? ActiveAfterReuse { get; set; }
    /// <summary>Set when an earlier wrong success may have invalidated the token the later steps present.</summary>
    public string? LatestUnreliable { get; set; }
    public bool Rotated => First?.RefreshToken is { Length: > 0 } next && InitialRefreshToken is { } first && next != first;

    /// <summary>The first refresh, or a prerequisite failure saying why there is none.</summary>
    public TokenResponse RequireFirst() => First ?? throw new PrerequisiteException(
        InitialRefreshToken is null ? $"the code exchange issued no refresh token ({Initial.Token?.Describe() ?? Initial.Outcome.Describe()})" : "no refresh was made");
}

public static class RefreshFlows
{
    private static readonly string[] WidenCandidates = ["email", "phone", "address", "profile"];

    // The negative refresh cases (each a change of the normal refresh request, TokenPipeline.Refresh).
    public const string WithoutClientAuthentication = "without client authentication";
    public const string WrongClientSecret = "wrong client secret";
    public const string PresentedByOtherClient = "presented by another client";
    public const string WidenedScope = "widened scope";
    public const string ReuseOfRotatedToken = "reuse of the rotated token";
    public const string InvalidToken = "invalid token";

    /// <summary>
    /// The step of the normal refresh request each negative case changes, shown as the case's "mutates" evidence; the
    /// pipeline mutations below (<see cref="Mutations"/>) name the same steps, and a unit test holds the two together.
    /// Reuse of a rotated token changes no step: the first refresh's very request is sent again.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MutatedSteps = new Dictionary<string, string>
    {
        [WithoutClientAuthentication] = "token request / client authentication: client_id only, no secret",
        [WrongClientSecret] = "token request / client authentication: a wrong secret (the client's own method)",
        [PresentedByOtherClient] = "token request / client authentication: another client than the one the token was issued to",
        [WidenedScope] = "token request / scope: the granted scope and one more",
        [ReuseOfRotatedToken] = "token request / refresh_token: sent again after a refresh rotated it away",
        [InvalidToken] = "token request / refresh_token: a refresh token the provider never issued",
    };

    /// <summary>The pure step changes of the negative refresh cases, each applied to the normal refresh pipeline.</summary>
    public static class Mutations
    {
        // The client identifies itself like a public client would (client_id in the body) but proves nothing.
        public static TokenPipeline WithoutClientAuthentication(TokenPipeline p, ClientProfile client) =>
            p.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, ClientAuthentication.None, sendSecret: false), "client_id only, no secret");

        public static TokenPipeline WrongClientSecret(TokenPipeline p, ClientProfile client, ClientAuthentication method, string wrongSecret) =>
            p.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, method, wrongSecret), "a wrong secret (the client's own method)");

        public static TokenPipeline PresentedByOtherClient(TokenPipeline p, ClientProfile other) =>
            p.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(other, ClientAuthenticationNames.Preferred(other)),
                "another client than the one the token was issued to");

        public static TokenPipeline WidenedScope(TokenPipeline p, string widened) =>
            p.Replace<TokenScopeStep>(new TokenScopeStep(widened), "the granted scope and one more");

        public static TokenPipeline InvalidToken(TokenPipeline p, string garbage) =>
            p.Replace<RefreshTokenStep>(new RefreshTokenStep(garbage), "a refresh token the provider never issued");
    }

    public static ClientProfile RequireClient(ConformanceRun run, string role)
    {
        if (!run.Profile.Features.RefreshToken) throw new PrerequisiteException("the profile does not offer refresh tokens (features.refreshToken)");
        var client = run.Profile.Clients.GetValueOrDefault(role) ?? throw new PrerequisiteException($"the profile has no {role} client");
        if (!client.GrantTypes.Contains("refresh_token")) throw new PrerequisiteException($"the {role} client is not registered for the refresh_token grant");
        if (!client.GrantTypes.Contains("authorization_code") || !client.ResponseTypes.Contains("code"))
            throw new PrerequisiteException($"the {role} client cannot obtain a refresh token with the authorization code flow");
        return client;
    }

    public static Task<RefreshScenario> ScenarioAsync(ConformanceRun run, string role) => run.SharedAsync(SharedArtifacts.RefreshScenario(role), async () =>
    {
        var client = RequireClient(run, role);
        var clientScopes = client.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToList();
        var added = WidenCandidates.FirstOrDefault(clientScopes.Contains) ?? "email";
        var requested = string.Join(' ', clientScopes.Where(s => s != added));
        // Its own browser session: a fresh login gives a grant of its own, which the reuse step may revoke.
        await using var userAgent = await run.NewUserAgentAsync();
        var initial = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser, userAgent: userAgent, customize: r => r.Set("scope", requested));
        var initialToken = initial.RequireSuccessfulToken();
        var granted = initialToken.Scope ?? requested;
        var narrow = granted.Split(' ').Contains("openid") ? "openid" : granted.Split(' ')[0];
        var scenario = new RefreshScenario(client, initial, granted, narrow, added);
        if (initialToken.RefreshToken is not { Length: > 0 } refreshToken) return scenario;

        var endpoint = await run.EndpointAsync("token_endpoint");
        var latest = refreshToken;
        async Task<TokenResponse> Send(TokenRequest request, string step)
        {
            var response = await run.TokenAsync(request, $"refresh: {step} ({role})");
            if (response.IsSuccess && response.RefreshToken is { Length: > 0 } next) latest = next;
            return response;
        }

        scenario.First = await Send(TokenRequest.Refresh(endpoint, client, refreshToken), "first");
        if (scenario.First.IsSuccess && run.Profile.Features.Userinfo && (await run.DiscoveryAsync()).UserinfoEndpoint is { } userinfo)
            scenario.FirstUserInfo = await run.UserInfoGetAsync(userinfo, scenario.First.AccessToken!);
        scenario.Narrow = await Send(TokenRequest.Refresh(endpoint, client, latest, narrow), "narrowed scope");
        scenario.NarrowIndependent = await IndependentScopeAsync(run, client, scenario.Narrow, added, "narrowed");
        scenario.Widen = await Send(Mutations.WidenedScope(TokenPipeline.Refresh(client, latest), granted + " " + added).Build(endpoint), WidenedScope);
        scenario.WidenIndependent = await IndependentScopeAsync(run, client, scenario.Widen, added, "widened");
        if (!client.IsPublic)
        {
            scenario.WithoutClientAuthentication = await Send(
                Mutations.WithoutClientAuthentication(TokenPipeline.Refresh(client, latest), client).Build(endpoint), WithoutClientAuthentication);
            var method = ClientAuthenticationNames.Preferred(client);
            scenario.WrongSecretSentWithBasic = method == ClientAuthentication.ClientSecretBasic;
            scenario.WithWrongSecret = await Send(Mutations.WrongClientSecret(TokenPipeline.Refresh(client, latest, method: method), client, method,
                "wrong-" + Protocol.Random.Token(12)).Build(endpoint), WrongClientSecret);
        }
        if (run.Profile.SecondConfidential is { } other && other.ClientId != client.ClientId)
        {
            scenario.OtherClient = other;
            scenario.ByOtherClient = await run.TokenAsync(Mutations.PresentedByOtherClient(TokenPipeline.Refresh(client, latest), other).Build(endpoint),
                $"refresh: {PresentedByOtherClient} ({role})");
            // A provider that wrongly served the other client may have rotated the token away: what follows cannot trust 'latest'.
            if (scenario.ByOtherClient.IsSuccess) scenario.LatestUnreliable = "the refresh token was served to another client, which may have rotated it away";
        }
        if (scenario.Rotated)
        {
            var active = latest;
            // The first refresh's request again (no step changed; see MutatedSteps).
            scenario.Reuse = await Send(TokenRequest.Refresh(endpoint, client, refreshToken), ReuseOfRotatedToken);
            if (scenario.LatestUnreliable is null)
                scenario.ActiveAfterReuse = await Send(TokenRequest.Refresh(endpoint, client, active), "active token after the reuse");
        }
        return scenario;
    });

    /// <summary>
    /// For a successful refresh that omitted scope: the issued access token's scope by introspection (RFC 7662 §2.2
    /// "scope"), where the provider offers it to a confidential client, and UserInfo's answer to that token (which tells
    /// whether the claims of <paramref name="added"/> came with it). Nothing is asked when the response stated its scope.
    /// </summary>
    private static async Task<IndependentScope?> IndependentScopeAsync(ConformanceRun run, ClientProfile client, TokenResponse refresh, string added, string step)
    {
        if (!refresh.IsSuccess || refresh.Body.Has("scope") || refresh.AccessToken is not { } accessToken) return null;
        string? introspected = null;
        var caller = client.IsPublic ? run.Profile.Confidential : client;
        if (run.Profile.Features.Introspection && (await run.DiscoveryAsync()).String("introspection_endpoint") is not null)
        {
            var answer = await TokenManagementCalls.IntrospectAsync(run, accessToken, "access_token", caller);
            if (answer.IsActive) introspected = answer.Body.String("scope");
        }
        Http.HttpExchange? userinfo = null;
        if (run.Profile.Features.Userinfo && (await run.DiscoveryAsync()).UserinfoEndpoint is { } endpoint)
            userinfo = await run.UserInfoGetAsync(endpoint, accessToken);
        var userHasAdded = run.Profile.PrimaryUser.Claims.GetValueOrDefault(added) is { Count: > 0 };
        return new IndependentScope(introspected, userinfo is { IsSuccess: true } ? JsonBody.From(userinfo) : null, userHasAdded,
            $"after the {step} refresh: introspection {(introspected is null ? "gave no scope" : $"reports '{introspected}'")}, UserInfo {(userinfo is null ? "not asked" : $"HTTP {userinfo.StatusCode}")}");
    }

    /// <summary>A refresh token the provider never issued, presented by <paramref name="role"/>.</summary>
    public static Task<TokenResponse> GarbageAsync(ConformanceRun run, string role) => run.SharedAsync(SharedArtifacts.RefreshWithGarbage(role), async () =>
    {
        var client = RequireClient(run, role);
        var endpoint = await run.EndpointAsync("token_endpoint");
        // The normal refresh ("" until the mutation puts in a token the provider never issued).
        var request = Mutations.InvalidToken(TokenPipeline.Refresh(client, ""), "not-a-refresh-token-" + Protocol.Random.Token(24)).Build(endpoint);
        return await run.TokenAsync(request, $"refresh: {InvalidToken} ({role})");
    });
}
