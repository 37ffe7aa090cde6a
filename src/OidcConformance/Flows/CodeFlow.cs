using OidcConformance.Browser;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>An authorization code flow as it happened: request, browser outcome, token exchange.</summary>
public sealed record CodeFlowResult(ClientProfile Client, TestUser User, AuthorizationRequest Request, AuthorizationOutcome Outcome,
    TokenRequest? TokenRequest, TokenResponse? Token, UserAgent UserAgent)
{
    public AuthorizationResponse? Response => Outcome.Response;
    public DecodedJwt IdToken => DecodedJwt.Decode(Token?.IdToken);
    public string GrantedScope => Token?.Scope ?? Request.Get("scope") ?? "";

    /// <summary>The token response, or a prerequisite failure explaining why there is none.</summary>
    /// <summary>When the flow's outcome was complete (the token response's arrival, else the construction of this result).</summary>
    public DateTimeOffset CompletedAt { get; init; } = DateTimeOffset.UtcNow;

    /// <summary>The time the ID token's exp and iat are judged against: when it arrived, not when a check got round to it.</summary>
    public DateTimeOffset IdTokenReceivedAt => Token?.ReceivedAt ?? CompletedAt;

    /// <summary>The steps a negative case changed in the normal request pipelines ("token request / PKCE verifier: left out"), or null.</summary>
    public string? MutatedStep { get; init; }

    public TokenResponse RequireToken() => Token ?? throw new PrerequisiteException($"no token response: the authorization {Outcome.Describe()}");

    public TokenResponse RequireSuccessfulToken()
    {
        var token = RequireToken();
        return token.IsSuccess ? token : throw new PrerequisiteException($"the code exchange failed: {token.Describe()}");
    }
}

public static class CodeFlow
{
    /// <summary>
    /// Logs <paramref name="user"/> in through the browser with <paramref name="client"/>, then redeems the code.
    /// Negative cases change a named step of the normal pipelines: <paramref name="authorizationSteps"/> of the authorization
    /// request, <paramref name="tokenSteps"/> of the code exchange (the result's <see cref="CodeFlowResult.MutatedStep"/> says which).
    /// <paramref name="customize"/> adjusts the built authorization request of a positive flow (a narrower scope, prompt=none).
    /// </summary>
    public static async Task<CodeFlowResult> RunAsync(ConformanceRun run, ClientProfile client, TestUser user,
        ClientAuthentication? authentication = null, UserAgent? userAgent = null, Action<AuthorizationRequest>? customize = null,
        bool pkce = false, bool allowLogin = true, string responseType = "code",
        Action<AuthorizationPipeline>? authorizationSteps = null, Action<TokenPipeline>? tokenSteps = null,
        Func<TokenRequest, string, Task<TokenResponse>>? sendToken = null)
    {
        var endpoint = await run.EndpointAsync("authorization_endpoint");
        var pipeline = AuthorizationSteps(client, run.RedirectUri(client), responseType, pkce, authorizationSteps);
        var request = pipeline.Build(endpoint);
        customize?.Invoke(request);
        userAgent ??= await run.NewUserAgentAsync();
        AuthorizationOutcome outcome;
        await userAgent.Lock.WaitAsync();
        try
        {
            outcome = await run.Authorizer.AuthorizeAsync(userAgent, request, allowLogin ? (user.Username, user.Password) : null);
        }
        finally { userAgent.Lock.Release(); }

        // The exchange's pipeline is built also when no code came back, so that the result names a token-side mutation either way.
        var code = outcome.Response?.Code;
        var exchange = ExchangeSteps(client, code ?? "", request, authentication, tokenSteps);
        TokenRequest? tokenRequest = null;
        TokenResponse? token = null;
        if (code is not null)
        {
            var tokenEndpoint = await run.EndpointAsync("token_endpoint");
            tokenRequest = exchange.Build(tokenEndpoint);
            // sendToken: a client that adds to the exchange what the pipeline does not build (a DPoP proof, RFC 9449 §5).
            token = await (sendToken ?? run.TokenAsync)(tokenRequest, $"token: authorization_code ({tokenRequest.Authentication.Name()})");
        }
        var mutated = string.Join("; ", new[] { pipeline.MutatedStep, exchange.MutatedStep }.OfType<string>());
        return new CodeFlowResult(client, user, request, outcome, tokenRequest, token, userAgent) { MutatedStep = mutated.Length == 0 ? null : mutated };
    }

    /// <summary>The authorization request's pipeline: the standard steps, PKCE when asked or the client requires it, then the case's changes.</summary>
    public static AuthorizationPipeline AuthorizationSteps(ClientProfile client, string redirectUri, string responseType, bool pkce,
        Action<AuthorizationPipeline>? change)
    {
        var pipeline = AuthorizationPipeline.Standard(client, redirectUri, responseType);
        if (pkce || client.PkceRequired) pipeline.WithPkce();
        change?.Invoke(pipeline);
        return pipeline;
    }

    /// <summary>The code exchange's pipeline for <paramref name="request"/> (its redirect_uri and PKCE verifier), then the case's changes.</summary>
    public static TokenPipeline ExchangeSteps(ClientProfile client, string code, AuthorizationRequest request, ClientAuthentication? authentication,
        Action<TokenPipeline>? change)
    {
        var pipeline = TokenPipeline.AuthorizationCode(client, code, request.RedirectUri!, request.CodeVerifier, authentication);
        change?.Invoke(pipeline);
        return pipeline;
    }

    /// <summary>The run's reference login: confidential client, primary user, client_secret_basic where registered.</summary>
    public static Task<CodeFlowResult> ReferenceAsync(ConformanceRun run) =>
        run.SharedAsync(SharedArtifacts.ReferenceCodeFlow, () => RunAsync(run, run.Profile.Confidential, run.Profile.PrimaryUser));

    /// <summary>
    /// The reference login whose access token is still live for a check that spends it now: the shared reference flow while
    /// its access token has more than <see cref="LiveMargin"/> left by its own expires_in (counted from its arrival),
    /// else a new login of the same client and user in the same user agent (SSO), shared in turn. On a loaded machine a
    /// run can outlast a short access-token lifetime (the embedded provider's is 300 s); a 401 for a token the harness let
    /// expire would be a false verdict about the provider. Without expires_in nothing is known and the reference flow is used.
    /// </summary>
    public static async Task<CodeFlowResult> ReferenceWithLiveAccessTokenAsync(ConformanceRun run)
    {
        var flow = await ReferenceAsync(run);
        for (var generation = 1; generation <= MaxRenewals && IsStale(flow); generation++)
        {
            var previous = flow;
            flow = await run.SharedAsync(SharedArtifacts.RenewedReferenceCodeFlow(generation),
                () => RunAsync(run, previous.Client, previous.User, userAgent: previous.UserAgent));
        }
        return flow;
    }

    /// <summary>Time an access token must have left to be spent by a check (requests under load take seconds).</summary>
    public static readonly TimeSpan LiveMargin = TimeSpan.FromSeconds(60);
    private const int MaxRenewals = 20;

    private static bool IsStale(CodeFlowResult flow)
    {
        if (flow.Token is not { IsSuccess: true } token || token.ExpiresIn is not { } lifetime) return false;
        // A lifetime shorter than the margin itself (a provider configured for expiry tests) gets a fifth of it.
        var margin = lifetime > 2 * LiveMargin.TotalSeconds ? LiveMargin : TimeSpan.FromSeconds(lifetime / 5.0);
        return token.AccessTokenExpiresWithin(margin, DateTimeOffset.UtcNow);
    }
}
