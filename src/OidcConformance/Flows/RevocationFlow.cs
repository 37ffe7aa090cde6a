using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>A fresh refresh token: used, revoked, used again; and the grant's access token before and after.</summary>
public sealed record RefreshRevocation(TokenResponse ControlRefresh, AccessTokenProbe AccessBefore, HttpExchange Revoke,
    TokenResponse AfterRefresh, AccessTokenProbe AccessAfter, HttpExchange RevokeAgain)
{
    /// <summary>The step the revocation request changed (the wrong hint), or null for the normal request.</summary>
    public string? RevokeMutatedStep { get; init; }
}

/// <summary>A fresh access token: used, revoked, used again.</summary>
public sealed record AccessRevocation(AccessTokenProbe Before, HttpExchange Revoke, AccessTokenProbe After);

/// <summary>
/// One revocation attempt without valid credentials, the step of the normal request it changed ("revocation request /
/// client authentication: no credentials"), and whether the refresh token still worked right before and after.
/// </summary>
public sealed record UnauthenticatedAttempt(string Case, HttpExchange Attempt, bool ControlWorked, TokenResponse AfterRefresh, string MutatedStep);

/// <summary>Another client's attempt to revoke the confidential client's tokens (each attempt changes the same step: the client authentication).</summary>
public sealed record OtherClientAttempt(string Attacker, IReadOnlyList<HttpExchange> Attempts, bool RefreshControlWorked, bool AccessControlWorked,
    TokenResponse? AfterRefresh, AccessTokenProbe? AfterAccess, string MutatedStep);

public static class RevocationFlow
{
    public const string Owner = "revocation";

    /// <summary>Cases of the revocation-without-credentials test.</summary>
    public static readonly string[] UnauthenticatedCases = ["no credentials", "client_id without secret", "wrong secret (basic)", "wrong secret (post)"];

    /// <summary>
    /// The normal revocation of <paramref name="token"/> (a refresh token) with the client authentication of one
    /// <see cref="UnauthenticatedCases"/> case; null when the client is not registered for the case's method.
    /// </summary>
    public static TokenManagementPipeline? UnauthenticatedRequest(string @case, ClientProfile client, string token, string wrongSecret)
    {
        var normal = TokenManagementPipeline.Revocation(client, token, "refresh_token");
        return @case switch
        {
            "no credentials" => normal.WithoutCredentials(),
            "client_id without secret" => normal.ClientIdOnly(client),
            "wrong secret (basic)" when client.Supports("client_secret_basic") => normal.WrongSecret(client, ClientAuthentication.ClientSecretBasic, wrongSecret),
            "wrong secret (post)" when client.Supports("client_secret_post") => normal.WrongSecret(client, ClientAuthentication.ClientSecretPost, wrongSecret),
            _ => null,
        };
    }

    /// <summary>
    /// The revocation of a refresh token with <paramref name="hint"/>: the normal request for refresh_token or no hint,
    /// the normal request (hint refresh_token) with a wrong hint for access_token.
    /// </summary>
    public static TokenManagementPipeline RefreshTokenRequest(ClientProfile client, string refreshToken, string? hint) =>
        hint == "access_token"
            ? TokenManagementPipeline.Revocation(client, refreshToken, "refresh_token").WrongHint(hint)
            : TokenManagementPipeline.Revocation(client, refreshToken, hint);

    /// <summary>
    /// A token the server never issued, revoked by <paramref name="client"/> with <paramref name="hint"/>: the normal
    /// request ("" as the token, which the mutation replaces) with a garbage token.
    /// </summary>
    public static TokenManagementPipeline GarbageRequest(ClientProfile client, string? hint, string garbage) =>
        TokenManagementPipeline.Revocation(client, "", hint).GarbageToken(garbage);

    /// <summary>What <see cref="GarbageRequest"/> changes, shown as "mutates" evidence (a unit test holds it to the pipeline).</summary>
    public const string GarbageMutatedStep = TokenManagementPipeline.RevocationRequest + " / token: " + TokenManagementPipeline.GarbageTokenChange;

    /// <summary>
    /// The second revocation of an already revoked refresh token changes no step: the very same request is sent again
    /// (like a code redeemed twice at the token endpoint).
    /// </summary>
    public const string RevokedAgainMutatedStep = TokenManagementPipeline.RevocationRequest + " / token: sent again after a successful revocation";

    private static async Task<ClientProfile> PrepareAsync(ConformanceRun run, bool needsRefresh = false)
    {
        if (!run.Profile.Features.Revocation)
            throw new PrerequisiteException("the provider does not offer revocation (profile features.revocation)");
        await run.EndpointAsync("revocation_endpoint");
        var client = run.Profile.Confidential;
        if (needsRefresh && (!run.Profile.Features.RefreshToken || !client.GrantTypes.Contains("refresh_token")))
            throw new PrerequisiteException("the confidential client is not offered refresh tokens (profile features.refreshToken / grantTypes)");
        return client;
    }

    private static string RequireRefreshToken(TokenResponse token) =>
        token.RefreshToken ?? throw new PrerequisiteException("the code exchange issued no refresh token");

    /// <summary>The newest valid refresh token after a successful refresh (rotated or not).</summary>
    private static string Current(string previous, TokenResponse refresh) => refresh.IsSuccess ? refresh.RefreshToken ?? previous : previous;

    /// <param name="hint">The token_type_hint sent with the refresh token: refresh_token, none (null) or the wrong access_token.</param>
    public static Task<RefreshRevocation> RefreshAsync(ConformanceRun run, string? hint) => run.SharedAsync(SharedArtifacts.RevokedRefreshToken(hint), async () =>
    {
        var client = await PrepareAsync(run, needsRefresh: true);
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var token = (await TokenManagementCalls.FreshLoginAsync(run, Owner, client)).RequireSuccessfulToken();
        var rt = RequireRefreshToken(token);
        var control = await TokenManagementCalls.RefreshAsync(run, tokenEndpoint, client, rt, "control before revocation");
        rt = Current(rt, control);
        // The newest access token of the grant (a refresh may retire the earlier one), used before and after.
        var at = (control.IsSuccess ? control.AccessToken : null) ?? token.AccessToken!;
        var accessBefore = await TokenManagementCalls.ProbeAccessTokenAsync(run, at, client);
        var request = RefreshTokenRequest(client, rt, hint);
        var revoke = await TokenManagementCalls.RevokeAsync(run, request);
        var after = await TokenManagementCalls.RefreshAsync(run, tokenEndpoint, client, rt, "after revocation");
        var accessAfter = await TokenManagementCalls.ProbeAccessTokenAsync(run, at, client);
        var again = await TokenManagementCalls.RevokeAsync(run, request);
        return new RefreshRevocation(control, accessBefore, revoke, after, accessAfter, again) { RevokeMutatedStep = request.MutatedStep };
    });

    public static Task<AccessRevocation> AccessAsync(ConformanceRun run, string? hint) => run.SharedAsync(SharedArtifacts.RevokedAccessToken(hint), async () =>
    {
        var client = await PrepareAsync(run);
        var token = (await TokenManagementCalls.FreshLoginAsync(run, Owner, client)).RequireSuccessfulToken();
        var at = token.AccessToken!;
        var before = await TokenManagementCalls.ProbeAccessTokenAsync(run, at, client);
        var revoke = await TokenManagementCalls.RevokeAsync(run, at, hint, client);
        var after = await TokenManagementCalls.ProbeAccessTokenAsync(run, at, client);
        return new AccessRevocation(before, revoke, after);
    });

    /// <summary>Revocation of tokens the server never issued, authenticated as the confidential client.</summary>
    public static Task<HttpExchange> GarbageAsync(ConformanceRun run, string? hint) => run.SharedAsync(SharedArtifacts.RevokedGarbage(hint), async () =>
    {
        var client = await PrepareAsync(run);
        return await TokenManagementCalls.RevokeAsync(run, GarbageRequest(client, hint, TokenManagementCalls.GarbageToken()));
    });

    /// <summary>
    /// One login; its refresh token is attacked without valid credentials in every <see cref="UnauthenticatedCases"/>
    /// case in turn, each followed by a refresh that shows whether it survived.
    /// </summary>
    public static Task<IReadOnlyList<UnauthenticatedAttempt>> UnauthenticatedAsync(ConformanceRun run) =>
        run.SharedAsync<IReadOnlyList<UnauthenticatedAttempt>>(SharedArtifacts.UnauthenticatedRevocations, async () =>
        {
            var client = await PrepareAsync(run, needsRefresh: true);
            var tokenEndpoint = await run.EndpointAsync("token_endpoint");
            var token = (await TokenManagementCalls.FreshLoginAsync(run, Owner, client)).RequireSuccessfulToken();
            var rt = RequireRefreshToken(token);
            var control = await TokenManagementCalls.RefreshAsync(run, tokenEndpoint, client, rt, "control before the attempts");
            var worked = control.IsSuccess;
            rt = Current(rt, control);
            var wrong = (client.ClientSecret ?? "") + "-wrong";
            var results = new List<UnauthenticatedAttempt>();
            foreach (var c in UnauthenticatedCases)
            {
                if (UnauthenticatedRequest(c, client, rt, wrong) is not { } request) continue;
                var attempt = await TokenManagementCalls.RevokeAsync(run, request);
                var after = await TokenManagementCalls.RefreshAsync(run, tokenEndpoint, client, rt, $"after revocation attempt: {c}");
                results.Add(new UnauthenticatedAttempt(c, attempt, worked, after, request.MutatedStep!));
                worked = after.IsSuccess;
                rt = Current(rt, after);
            }
            return results;
        });

    /// <summary>The other client that attacks: the second confidential client, or the client-credentials client.</summary>
    public static ClientProfile? Attacker(ProviderProfile profile, string role) =>
        role == "secondConfidential" ? profile.SecondConfidential : profile.ClientCredentials;

    /// <summary>A fresh login of the confidential client; <paramref name="attackerRole"/>'s client tries to revoke its refresh and access tokens.</summary>
    public static Task<OtherClientAttempt> OtherClientAsync(ConformanceRun run, string attackerRole) =>
        run.SharedAsync(SharedArtifacts.RevocationByOtherClient(attackerRole), async () =>
        {
            var client = await PrepareAsync(run);
            var attacker = Attacker(run.Profile, attackerRole) ?? throw new PrerequisiteException($"the profile has no {attackerRole} client");
            if (attacker.IsPublic) throw new PrerequisiteException($"the {attackerRole} client is public");
            var tokenEndpoint = await run.EndpointAsync("token_endpoint");
            var token = (await TokenManagementCalls.FreshLoginAsync(run, Owner, client)).RequireSuccessfulToken();
            var rt = token.RefreshToken;
            TokenResponse? refreshControl = rt is null ? null : await TokenManagementCalls.RefreshAsync(run, tokenEndpoint, client, rt, "control before the other client's attempt");
            if (rt is not null && refreshControl is not null) rt = Current(rt, refreshControl);
            var at = (refreshControl is { IsSuccess: true } ? refreshControl.AccessToken : null) ?? token.AccessToken!;
            var accessControl = await TokenManagementCalls.ProbeAccessTokenAsync(run, at, client);
            // The owner's normal revocations, sent by the attacker.
            var attempts = new List<HttpExchange>();
            if (rt is not null)
                attempts.Add(await TokenManagementCalls.RevokeAsync(run, TokenManagementPipeline.Revocation(client, rt, "refresh_token").AsOtherClient(attacker)));
            var accessAttempt = TokenManagementPipeline.Revocation(client, at, "access_token").AsOtherClient(attacker);
            attempts.Add(await TokenManagementCalls.RevokeAsync(run, accessAttempt));
            var afterAccess = await TokenManagementCalls.ProbeAccessTokenAsync(run, at, client);
            var afterRefresh = rt is null ? null : await TokenManagementCalls.RefreshAsync(run, tokenEndpoint, client, rt, "after the other client's attempt");
            return new OtherClientAttempt(attacker.ClientId, attempts, refreshControl?.IsSuccess == true, accessControl.Works == true,
                afterRefresh, afterAccess, accessAttempt.MutatedStep!);
        });
}
