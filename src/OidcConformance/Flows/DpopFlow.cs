using System.Net.Http.Headers;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// The confidential client's login with a DPoP proof of key A at the code exchange, and what the suite then does with the
/// bound access token: introspection, and UserInfo with a valid proof (the control) and with the proof changed one way each.
/// </summary>
public sealed record DpopBoundScenario(CodeFlowResult Flow, string KeyThumbprint)
{
    /// <summary>The code exchange with its nonce retry, if the provider asked for one.</summary>
    public required DpopExchange TokenExchange { get; init; }
    public required string AccessToken { get; init; }
    /// <summary>The access token introspected by its client; null when the provider offers no introspection.</summary>
    public IntrospectionResponse? Introspection { get; init; }
    /// <summary>The UserInfo requests; null when the provider offers no UserInfo.</summary>
    public DpopUserInfo? UserInfo { get; init; }
}

public sealed record DpopUserInfo(DpopExchange Control, DpopExchange DpopSchemeWithoutProof, DpopExchange BearerScheme,
    DpopExchange OtherKey, DpopExchange WrongAth)
{
    public required IReadOnlyDictionary<string, string> MutatedSteps { get; init; }
}

/// <summary>Token requests (client credentials grant) with a valid proof and with a proof changed one way each.</summary>
public sealed record DpopProofScenario(DpopExchange Control, DpopExchange Replayed, DpopExchange WrongHtm, DpopExchange WrongHtu, DpopExchange StaleIat)
{
    public required IReadOnlyDictionary<string, string> MutatedSteps { get; init; }
}

/// <summary>The public client's DPoP-bound refresh token, refreshed with another key, without a proof, then with its own key.</summary>
public sealed record DpopRefreshScenario(DpopExchange OtherKey, DpopExchange WithoutProof, DpopExchange Control)
{
    public required IReadOnlyDictionary<string, string> MutatedSteps { get; init; }
}

public static class DpopFlow
{
    public const string Owner = "dpop";

    /// <summary>The algorithm of the suite's proofs.</summary>
    public const string Algorithm = "ES256";

    private static async Task RequireFeatureAsync(ConformanceRun run)
    {
        if (!run.Profile.Features.Dpop)
            throw new PrerequisiteException("the provider does not offer DPoP (profile features.dpop)");
        var algs = (await run.DiscoveryAsync()).StringArray(Checks.DpopChecks.AlgsMember);
        if (algs is not null && !algs.Contains(Algorithm))
            throw new PrerequisiteException($"the suite signs DPoP proofs with {Algorithm}, which the provider does not list ({Checks.DpopChecks.AlgsMember}: {string.Join(", ", algs)})");
    }

    /// <summary>
    /// Sends the request <paramref name="build"/> makes (its argument: the server's nonce, or null); when the answer is a
    /// use_dpop_nonce challenge with a DPoP-Nonce header and <paramref name="retry"/> holds, sends it once more with a new
    /// proof carrying that nonce (RFC 9449 §8, §9). Every request starts without a nonce: no test depends on another's.
    /// </summary>
    public static async Task<DpopExchange> SendAsync(ConformanceRun run, Func<string?, HttpRequestMessage> build, string purpose, bool retry = true)
    {
        var first = await run.Http.SendAsync(build(null), purpose);
        if (!retry || !DpopNonces.IsChallenge(first) || DpopNonces.NonceOf(first) is not { } nonce) return new DpopExchange(first, null);
        return new DpopExchange(first, await run.Http.SendAsync(build(nonce), purpose + " (retried with the DPoP nonce)"));
    }

    /// <summary>A token request with the proof <paramref name="proof"/> builds (none when it builds none) in a DPoP header.</summary>
    public static HttpRequestMessage TokenMessage(TokenRequest request, DpopProofPipeline? proof, string? nonce)
    {
        var message = request.Build();
        if (proof?.Build(nonce) is { } p) message.Headers.Add("DPoP", p);
        return message;
    }

    /// <summary>A UserInfo GET presenting <paramref name="accessToken"/> with <paramref name="scheme"/>, and the proof (none when null).</summary>
    public static HttpRequestMessage UserInfoMessage(string endpoint, string scheme, string accessToken, DpopProofPipeline? proof, string? nonce)
    {
        var message = new HttpRequestMessage(HttpMethod.Get, endpoint);
        message.Headers.Authorization = new AuthenticationHeaderValue(scheme, accessToken);
        if (proof?.Build(nonce) is { } p) message.Headers.Add("DPoP", p);
        return message;
    }

    /// <summary>A token client that signs every token request with <paramref name="key"/>; <paramref name="sent"/> receives the exchange.</summary>
    private static Func<TokenRequest, string, Task<TokenResponse>> TokenSender(ConformanceRun run, DpopKey key, Action<DpopExchange> sent) =>
        async (request, purpose) =>
        {
            var exchange = await SendAsync(run, n => TokenMessage(request, DpopProofPipeline.For(key, "POST", request.Endpoint), n), purpose + " with DPoP proof");
            sent(exchange);
            return new TokenResponse(exchange.Final, exchange.Body);
        };

    private static string Mutation(string request, string step, string change) => new StepMutation(request, step, change).ToString();

    public static Task<DpopBoundScenario> BoundAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.DpopBound, async () =>
    {
        await RequireFeatureAsync(run);
        var client = run.Profile.Confidential;
        var keyA = new DpopKey("A");
        var keyB = new DpopKey("B");
        DpopExchange? tokenExchange = null;
        var flow = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser,
            userAgent: await TokenManagementCalls.IsolatedUserAgentAsync(run, Owner), sendToken: TokenSender(run, keyA, e => tokenExchange = e));
        if (tokenExchange is null) throw new PrerequisiteException($"no code to exchange: the authorization {flow.Outcome.Describe()}");
        var token = flow.Token!;
        if (!token.IsSuccess) throw new PrerequisiteException($"the code exchange with a DPoP proof failed: {tokenExchange.Describe()}");
        var at = token.AccessToken!;
        IntrospectionResponse? introspection = null;
        if (run.Profile.Features.Introspection)
        {
            await run.EndpointAsync("introspection_endpoint");
            introspection = await TokenManagementCalls.IntrospectAsync(run, at, "access_token", client);
        }
        DpopUserInfo? userInfo = null;
        if (run.Profile.Features.Userinfo)
        {
            var endpoint = await run.EndpointAsync("userinfo_endpoint");
            DpopProofPipeline Proof(DpopKey key) => DpopProofPipeline.For(key, "GET", endpoint, at);
            // The control first: the normal request, key A's proof with ath, scheme DPoP.
            var control = await SendAsync(run, n => UserInfoMessage(endpoint, "DPoP", at, Proof(keyA), n), "userinfo GET (DPoP, proof of key A)");
            var noProof = await SendAsync(run, n => UserInfoMessage(endpoint, "DPoP", at, null, n), "userinfo GET (DPoP scheme, no proof)", retry: false);
            var bearer = await SendAsync(run, n => UserInfoMessage(endpoint, "Bearer", at, null, n), "userinfo GET (bound token as Bearer, no proof)", retry: false);
            var otherKey = Proof(keyA).Replace<DpopKeyStep>(new DpopKeyStep(keyB), "key B instead of the key the token is bound to (A)");
            var other = await SendAsync(run, n => UserInfoMessage(endpoint, "DPoP", at, otherKey, n), "userinfo GET (DPoP, proof of key B)");
            var wrongAth = Proof(keyA).Replace<DpopAthStep>(new DpopAthStep(null, DpopKey.AccessTokenHash(at + "-other")), "the hash of another token");
            var ath = await SendAsync(run, n => UserInfoMessage(endpoint, "DPoP", at, wrongAth, n), "userinfo GET (DPoP, proof with a wrong ath)");
            userInfo = new DpopUserInfo(control, noProof, bearer, other, ath)
            {
                MutatedSteps = new Dictionary<string, string>
                {
                    ["DPoP scheme without proof"] = Mutation("userinfo request", "DPoP proof", "left out (scheme DPoP)"),
                    ["Bearer scheme without proof"] = Mutation("userinfo request", "DPoP proof", "left out, token presented as Bearer"),
                    ["other key"] = otherKey.MutatedStep!,
                    ["wrong ath"] = wrongAth.MutatedStep!,
                },
            };
        }
        return new DpopBoundScenario(flow, keyA.Thumbprint) { TokenExchange = tokenExchange, AccessToken = at, Introspection = introspection, UserInfo = userInfo };
    });

    public static Task<DpopProofScenario> TokenProofsAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.DpopTokenProofs, async () =>
    {
        await RequireFeatureAsync(run);
        var cc = run.Profile.ClientCredentials;
        if (!run.Profile.Features.ClientCredentials || cc is null)
            throw new PrerequisiteException("the proof checks at the token endpoint use the client credentials grant, which the provider does not offer (profile features.clientCredentials / clients.clientCredentials)");
        var endpoint = await run.EndpointAsync("token_endpoint");
        var discovery = await run.DiscoveryAsync();
        var key = new DpopKey("C");
        DpopProofPipeline Proof() => DpopProofPipeline.For(key, "POST", endpoint);
        TokenRequest Request() => TokenRequest.ClientCredentials(endpoint, cc);

        string? lastProof = null;
        var control = await SendAsync(run, n =>
        {
            var message = TokenMessage(Request(), null, n);
            lastProof = Proof().Build(n);
            message.Headers.Add("DPoP", lastProof);
            return message;
        }, "token: client_credentials with DPoP proof");
        // The same proof (same jti) once more, right away: within any acceptance window; no retry (a new proof is no replay).
        var replayedProof = lastProof!;
        var replayed = await SendAsync(run, _ =>
        {
            var message = TokenMessage(Request(), null, null);
            message.Headers.Add("DPoP", replayedProof);
            return message;
        }, "token: client_credentials, the same DPoP proof again", retry: false);

        var wrongHtm = Proof().Replace<DpopHtmStep>(new DpopHtmStep("GET"), "GET instead of POST");
        var htm = await SendAsync(run, n => TokenMessage(Request(), wrongHtm, n), "token: client_credentials, proof for GET");
        var (otherName, other) = discovery.UserinfoEndpoint is { } ui ? ("userinfo_endpoint", ui)
            : discovery.JwksUri is { } jwks ? ("jwks_uri", jwks) : ("the issuer", run.Issuer);
        var wrongHtu = Proof().Replace<DpopHtuStep>(new DpopHtuStep(other), $"the provider's {otherName} instead of the token endpoint");
        var htu = await SendAsync(run, n => TokenMessage(Request(), wrongHtu, n), $"token: client_credentials, proof for {otherName}");
        // No nonce and no retry: a server nonce is the other way to show freshness (§4.3 step 11), and with it an old iat is allowed.
        var staleIat = Proof().Replace<DpopIatStep>(new DpopIatStep(DateTimeOffset.UtcNow.AddHours(-1)), "an hour ago")
            .Replace<DpopNonceStep>(DpopNonceStep.Withheld, "none (not retried with one)");
        var stale = await SendAsync(run, n => TokenMessage(Request(), staleIat, n), "token: client_credentials, proof created an hour ago", retry: false);
        return new DpopProofScenario(control, replayed, htm, htu, stale)
        {
            MutatedSteps = new Dictionary<string, string>
            {
                ["replayed"] = Mutation("DPoP proof", "jti", "the proof of the accepted request sent again unchanged"),
                ["htm"] = wrongHtm.MutatedStep!,
                ["htu"] = wrongHtu.MutatedStep!,
                ["iat"] = staleIat.MutatedStep!,
            },
        };
    });

    public static Task<DpopRefreshScenario> PublicRefreshAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.DpopPublicRefresh, async () =>
    {
        await RequireFeatureAsync(run);
        var client = run.Profile.Public ?? throw new PrerequisiteException("the profile has no public client (clients.public)");
        if (!client.GrantTypes.Contains("refresh_token") || !run.Profile.Features.RefreshToken)
            throw new PrerequisiteException($"the public client {client.ClientId} is not registered for the refresh token grant");
        var keyA = new DpopKey("A");
        var keyB = new DpopKey("B");
        DpopExchange? tokenExchange = null;
        var flow = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser,
            userAgent: await TokenManagementCalls.IsolatedUserAgentAsync(run, Owner), sendToken: TokenSender(run, keyA, e => tokenExchange = e));
        if (tokenExchange is null) throw new PrerequisiteException($"no code to exchange: the authorization {flow.Outcome.Describe()}");
        if (!flow.Token!.IsSuccess) throw new PrerequisiteException($"the public client's code exchange with a DPoP proof failed: {tokenExchange.Describe()}");
        var rt = flow.Token.RefreshToken ?? throw new PrerequisiteException($"no refresh token was issued to the public client {client.ClientId}");
        var endpoint = await run.EndpointAsync("token_endpoint");
        TokenRequest Request() => TokenRequest.Refresh(endpoint, client, rt);
        var otherKey = DpopProofPipeline.For(keyA, "POST", endpoint).Replace<DpopKeyStep>(new DpopKeyStep(keyB), "key B instead of the key the refresh token is bound to (A)");
        // The changed requests first: a refresh that works may rotate the refresh token (and a reused one revoke the grant).
        var other = await SendAsync(run, n => TokenMessage(Request(), otherKey, n), "token: refresh_token (public client), proof of key B");
        var none = await SendAsync(run, n => TokenMessage(Request(), null, n), "token: refresh_token (public client), no proof", retry: false);
        var control = await SendAsync(run, n => TokenMessage(Request(), DpopProofPipeline.For(keyA, "POST", endpoint), n), "token: refresh_token (public client), proof of key A");
        return new DpopRefreshScenario(other, none, control)
        {
            MutatedSteps = new Dictionary<string, string>
            {
                ["other key"] = otherKey.MutatedStep!,
                ["no proof"] = Mutation("token request", "DPoP proof", "left out"),
            },
        };
    });
}
