using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>An implicit or hybrid flow as it happened: request, browser outcome and (hybrid) the code exchange.</summary>
public sealed record FrontChannelResult(string ResponseType, string? ResponseMode, ClientProfile Client, TestUser User,
    AuthorizationRequest Request, AuthorizationOutcome Outcome, TokenRequest? TokenRequest, TokenResponse? Token)
{
    /// <summary>The step of the normal request the attempt changed ("authorization request / nonce: left out"), or null.</summary>
    public string? MutatedStep { get; init; }

    public AuthorizationResponse? Response => Outcome.Response;

    /// <summary>The ID token from the authorization endpoint (undecodable "no token" when none came).</summary>
    public DecodedJwt FrontIdToken => DecodedJwt.Decode(Response?.Error is null ? Response?.IdToken : null);

    /// <summary>The ID token from the token endpoint (hybrid code exchange).</summary>
    public DecodedJwt BackIdToken => DecodedJwt.Decode(Token?.IdToken);

    /// <summary>Label for data-driven executions: the response type, plus the response mode when one was requested.</summary>
    public string Case => ResponseMode is null ? ResponseType : $"{ResponseType}, {ResponseMode}";

    /// <summary>The successful authorization response, or a prerequisite failure naming what happened instead.</summary>
    public AuthorizationResponse RequireSuccess()
    {
        if (Outcome.End != AuthorizationEnd.Redirected) throw new PrerequisiteException($"the {Case} authorization {Outcome.Describe()}");
        if (Response!.Error is { } e) throw new PrerequisiteException($"the {Case} authorization was answered with error '{e}' (see frontchannel.response-parameters)");
        return Response;
    }

    public DecodedJwt RequireFrontIdToken()
    {
        var response = RequireSuccess();
        if (!ResponseTypes.HasIdToken(ResponseType)) throw new PrerequisiteException($"response_type {ResponseType} returns no ID token from the authorization endpoint");
        if (response.IdToken is null) throw new PrerequisiteException($"the {Case} response has no id_token (see frontchannel.response-parameters)");
        return FrontIdToken;
    }

    public TokenResponse RequireToken()
    {
        RequireSuccess();
        return Token ?? throw new PrerequisiteException($"no code exchange happened for {Case} (the response carried no code)");
    }

    /// <summary>When the flow was complete (its tokens had arrived): the time their exp and iat are judged against.</summary>
    public DateTimeOffset CompletedAt { get; init; } = DateTimeOffset.UtcNow;

    public IdTokenExpectations Expectations(string issuer) =>
        new(issuer, Client.ClientId, Request.Nonce, CompletedAt) { ExpectedSubject = User.Subject };
}

/// <summary>
/// Implicit and hybrid flows (OIDC Core 1.0 §3.2, §3.3) in one logged-in user-agent session of their own: the first
/// flow logs the primary user in, every later one reuses the session (SSO). Each distinct request is run once per
/// run and shared by the checks that read it.
/// </summary>
public static class FrontChannelFlow
{
    /// <summary>The client used for <paramref name="responseType"/>, after checking the provider offers it; otherwise a prerequisite failure.</summary>
    public static async Task<ClientProfile> ClientForAsync(ConformanceRun run, string responseType, string? responseMode = null)
    {
        var features = run.Profile.Features;
        if (ResponseTypes.IsImplicit(responseType) && !features.Implicit)
            throw new PrerequisiteException("the profile says the provider does not offer the implicit flow (features.implicit = false); discovery.advertised-response-types-work still exercises every advertised implicit type");
        if (!ResponseTypes.IsImplicit(responseType) && !features.Hybrid)
            throw new PrerequisiteException("the profile says the provider does not offer the hybrid flow (features.hybrid = false); discovery.advertised-response-types-work still exercises every advertised hybrid type");
        var discovery = await run.DiscoveryAsync();
        if (discovery.StringArray("response_types_supported") is not { } supported)
            throw new PrerequisiteException("the discovery document has no response_types_supported array");
        if (!supported.Any(s => ResponseTypes.SameSet(s, responseType)))
            throw new PrerequisiteException($"response_type '{responseType}' is not in response_types_supported ({string.Join(", ", supported)})");
        if (responseMode is not null)
        {
            if (responseMode == "form_post" && !features.FormPost)
                throw new PrerequisiteException("the profile says the provider does not offer form_post (features.formPost = false)");
            // OIDC Discovery §3: when omitted, the default is ["query", "fragment"].
            var modes = discovery.StringArray("response_modes_supported") ?? ["query", "fragment"];
            if (!modes.Contains(responseMode))
                throw new PrerequisiteException($"response_mode '{responseMode}' is not in response_modes_supported ({string.Join(", ", modes)})");
        }
        return run.Profile.Clients.Values.FirstOrDefault(c => c.ResponseTypes.Any(t => ResponseTypes.SameSet(t, responseType)))
               ?? throw new PrerequisiteException($"no client in the profile is registered for response_type '{responseType}'");
    }

    /// <summary>
    /// The implicit/hybrid flows' user agents: a pool of two (each logs in at its first flow), so the implicit and the
    /// hybrid suites do not queue behind each other for one browser session.
    /// </summary>
    public static async Task<SessionPool<UserAgent>.Lease> UserAgentAsync(ConformanceRun run) =>
        await (await SessionPool<UserAgent>.Of(run, "frontchannel", 2, _ => run.NewUserAgentAsync())).AcquireAsync();

    /// <summary>The standard request for <paramref name="responseType"/> (with state and nonce), run once per run.</summary>
    public static async Task<FrontChannelResult> SharedAsync(ConformanceRun run, string responseType, string? responseMode = null)
    {
        try
        {
            return await run.SharedAsync(SharedArtifacts.FrontChannel(responseType, responseMode),
                () => RunAsync(run, responseType, responseMode, exchangeCode: true));
        }
        catch (PrerequisiteException e) when (e.Case is null)
        {
            throw new PrerequisiteException(e.Message, responseMode is null ? responseType : $"{responseType}, {responseMode}");
        }
    }

    /// <summary>The same request without nonce (the negative test), run once per run; no code is redeemed.</summary>
    public static Task<FrontChannelResult> WithoutNonceAsync(ConformanceRun run, string responseType) =>
        run.SharedAsync(SharedArtifacts.FrontChannelWithoutNonce(responseType),
            () => RunAsync(run, responseType, null, exchangeCode: false, steps: p => p.Without<NonceStep>()));

    public static async Task<FrontChannelResult> RunAsync(ConformanceRun run, string responseType, string? responseMode, bool exchangeCode,
        Action<AuthorizationRequest>? customize = null, UserAgent? userAgent = null, Action<AuthorizationPipeline>? steps = null)
    {
        var client = await ClientForAsync(run, responseType, responseMode);
        var user = run.Profile.PrimaryUser;
        var endpoint = await run.EndpointAsync("authorization_endpoint");
        var pipeline = AuthorizationSteps(client, run.RedirectUri(client), responseType, responseMode, steps);
        var request = pipeline.Build(endpoint);
        customize?.Invoke(request);
        var lease = userAgent is null ? await UserAgentAsync(run) : null;
        userAgent ??= lease!.Session;
        AuthorizationOutcome outcome;
        await userAgent.Lock.WaitAsync();
        try
        {
            outcome = await run.Authorizer.AuthorizeAsync(userAgent, request, (user.Username, user.Password));
        }
        finally
        {
            userAgent.Lock.Release();
            if (lease is not null) await lease.DisposeAsync();
        }

        TokenRequest? tokenRequest = null;
        TokenResponse? token = null;
        if (exchangeCode && outcome.Response is { Error: null, Code: { } code })
        {
            var tokenEndpoint = await run.EndpointAsync("token_endpoint");
            tokenRequest = TokenRequest.AuthorizationCode(tokenEndpoint, client, code, request.RedirectUri!, request.CodeVerifier);
            token = await run.TokenAsync(tokenRequest, $"token: hybrid code exchange after {responseType} ({tokenRequest.Authentication.Name()})");
        }
        return new FrontChannelResult(responseType, responseMode, client, user, request, outcome, tokenRequest, token) { MutatedStep = pipeline.MutatedStep };
    }

    /// <summary>The front-channel request's pipeline: the standard steps, response_mode when given, PKCE where the client requires it for a code, then the case's changes.</summary>
    public static AuthorizationPipeline AuthorizationSteps(ClientProfile client, string redirectUri, string responseType, string? responseMode,
        Action<AuthorizationPipeline>? change)
    {
        var pipeline = AuthorizationPipeline.Standard(client, redirectUri, responseType);
        if (responseMode is not null) pipeline.Add(new ResponseModeStep(responseMode));
        if (client.PkceRequired && ResponseTypes.HasCode(responseType)) pipeline.WithPkce();
        change?.Invoke(pipeline);
        return pipeline;
    }
}
