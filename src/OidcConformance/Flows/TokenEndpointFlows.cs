using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>A code obtained in the browser but not redeemed yet (negative token endpoint tests redeem it wrongly).</summary>
public sealed record UnredeemedCode(ClientProfile Client, AuthorizationRequest Request, AuthorizationOutcome Outcome)
{
    public string Code => Outcome.Response?.Code ?? throw new PrerequisiteException($"no authorization code: the authorization {Outcome.Describe()}");
}

/// <summary>A code redeemed twice, and what the first redemption issued.</summary>
public sealed record CodeReuse(CodeFlowResult Flow, TokenResponse First, TokenResponse Second);

/// <summary>
/// Requests that the token endpoint must refuse, and the grants it must honour, each sent once per run and shared by
/// every check that reads it (the specific error code check and the generic error format check read the same exchange).
/// Destructive flows (code reuse revokes a grant at some providers) run in their own browser session, never in the
/// reference session other suites rely on.
/// </summary>
public static class TokenEndpointFlows
{
    public const string Purpose = "token-endpoint: ";

    public const string WrongSecretBasic = "wrong secret (client_secret_basic)";
    public const string WrongSecretPost = "wrong secret (client_secret_post)";
    public const string UnknownClientBasic = "unknown client (client_secret_basic)";
    public const string UnknownClientPost = "unknown client (client_secret_post)";
    public const string NoClientAuthentication = "no client authentication";
    public const string UnknownCode = "code never issued";
    public const string UnknownGrantType = "unknown grant_type";
    public const string UnregisteredGrantType = "grant_type not registered for the client";
    public const string NoGrantType = "grant_type missing";
    public const string CodeRedeemedTwice = "code redeemed twice";
    public const string OtherClientsCode = "another client's code";
    public const string RedirectUriDiffers = "redirect_uri differs";
    public const string RedirectUriOmitted = "redirect_uri omitted";
    public const string WrongPassword = "password grant, wrong password";

    /// <summary>Every refused request; the error format check runs once per entry.</summary>
    public static readonly IReadOnlyList<string> RefusedRequests =
    [
        WrongSecretBasic, WrongSecretPost, UnknownClientBasic, UnknownClientPost, NoClientAuthentication, UnknownCode,
        UnknownGrantType, UnregisteredGrantType, NoGrantType, CodeRedeemedTwice, OtherClientsCode, RedirectUriDiffers,
        RedirectUriOmitted, WrongPassword,
    ];

    /// <summary>
    /// The step of the normal token request each refused request changes ("token request / client authentication"), shown as
    /// the case's "mutates" evidence. The pipeline mutations below (<see cref="Mutations"/>) name the same steps; a unit test
    /// holds the two together. A code redeemed twice changes no step: the very same request is sent again.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, string> MutatedSteps = new Dictionary<string, string>
    {
        [WrongSecretBasic] = "token request / client authentication: a wrong secret (client_secret_basic)",
        [WrongSecretPost] = "token request / client authentication: a wrong secret (client_secret_post)",
        [UnknownClientBasic] = "token request / client authentication: an unknown client_id (client_secret_basic)",
        [UnknownClientPost] = "token request / client authentication: an unknown client_id (client_secret_post)",
        [NoClientAuthentication] = "token request / client authentication: client_id only, no secret",
        [UnknownCode] = "token request / authorization code: a code the provider never issued",
        [UnknownGrantType] = "token request / grant_type: a grant type no specification defines",
        [UnregisteredGrantType] = "token request / client authentication: a client not registered for client_credentials",
        [NoGrantType] = "token request / grant_type: left out",
        [CodeRedeemedTwice] = "token request / authorization code: sent again after a successful redemption",
        [OtherClientsCode] = "token request / client authentication: another client than the one the code was issued to",
        [RedirectUriDiffers] = "token request / redirect_uri: another URI than the authorization request's",
        [RedirectUriOmitted] = "token request / redirect_uri: left out",
        [WrongPassword] = "token request / resource owner credentials: a wrong password",
    };

    /// <summary>The pure step changes of the refused requests (each applied to its normal token request by the flows below).</summary>
    public static class Mutations
    {
        public const string UnknownGrantTypeValue = "urn:oidc-conformance:params:grant-type:unknown";

        public static void WrongCredentials(TokenPipeline p, ClientProfile client, ClientAuthentication method, bool unknownClient)
        {
            var presented = unknownClient ? client with { ClientId = "oidc-conformance-unknown-" + Protocol.Random.Token(6) } : client;
            p.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(presented, method, "wrong-" + Protocol.Random.Token(12)),
                (unknownClient ? "an unknown client_id" : "a wrong secret") + $" ({method.Name()})");
        }

        // The client identifies itself like a public client would (client_id in the body) but proves nothing.
        public static void NoClientAuthentication(TokenPipeline p, ClientProfile client) =>
            p.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, ClientAuthentication.None, sendSecret: false), "client_id only, no secret");

        public static void UnknownCode(TokenPipeline p) =>
            p.Replace<AuthorizationCodeStep>(new AuthorizationCodeStep(Protocol.Random.Token(32)), "a code the provider never issued");

        // Set over the built request (grant_type goes last), as before the pipeline.
        public static void UnknownGrantType(TokenPipeline p) =>
            p.Then<GrantTypeStep>(new GrantTypeStep(UnknownGrantTypeValue), "a grant type no specification defines");

        public static void UnregisteredGrantType(TokenPipeline p, ClientProfile client) =>
            p.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, ClientAuthenticationNames.Preferred(client)),
                "a client not registered for client_credentials");

        public static void NoGrantType(TokenPipeline p) => p.Without<GrantTypeStep>();

        public static void OtherClient(TokenPipeline p, ClientProfile thief) =>
            p.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(thief, ClientAuthenticationNames.Preferred(thief)),
                "another client than the one the code was issued to");

        public static void RedirectUri(TokenPipeline p, string issuedTo, bool omit)
        {
            if (omit) p.Without<TokenRedirectUriStep>();
            else p.Replace<TokenRedirectUriStep>(new TokenRedirectUriStep(OtherRedirectUri(issuedTo)), "another URI than the authorization request's");
        }

        public static void WrongPassword(TokenPipeline p, TestUser user) =>
            p.Replace<ResourceOwnerCredentialsStep>(new ResourceOwnerCredentialsStep(user.Username, "wrong-" + Protocol.Random.Token(9)), "a wrong password");
    }

    public static Task<TokenResponse> RefusedAsync(ConformanceRun r, string name) => r.SharedAsync(SharedArtifacts.RefusedTokenRequest(name), () => name switch
    {
        WrongSecretBasic => WrongCredentials(r, name, ClientAuthentication.ClientSecretBasic, unknownClient: false),
        WrongSecretPost => WrongCredentials(r, name, ClientAuthentication.ClientSecretPost, unknownClient: false),
        UnknownClientBasic => WrongCredentials(r, name, ClientAuthentication.ClientSecretBasic, unknownClient: true),
        UnknownClientPost => WrongCredentials(r, name, ClientAuthentication.ClientSecretPost, unknownClient: true),
        NoClientAuthentication => NoClientAuth(r),
        UnknownCode => UnknownCodeAsync(r),
        UnknownGrantType => Target(r, name, t => Mutations.UnknownGrantType(t.Pipeline)),
        UnregisteredGrantType => UnregisteredGrant(r),
        NoGrantType => Target(r, name, t => Mutations.NoGrantType(t.Pipeline)),
        CodeRedeemedTwice => SecondRedemptionAsync(r),
        OtherClientsCode => OtherClientsCodeAsync(r),
        RedirectUriDiffers => RedirectUriAsync(r, omit: false),
        RedirectUriOmitted => RedirectUriAsync(r, omit: true),
        WrongPassword => PasswordAsync(r, wrongPassword: true),
        _ => throw new ArgumentException($"unknown refused request '{name}'"),
    });

    // ---- clients -------------------------------------------------------------------------------------------

    /// <summary>The client for the client credentials grant, or null when the provider does not offer it.</summary>
    public static ClientProfile? ClientCredentialsClient(ConformanceRun r) =>
        !r.Profile.Features.ClientCredentials ? null
        : r.Profile.ClientCredentials ?? r.Profile.Clients.Values.FirstOrDefault(c => !c.IsPublic && c.GrantTypes.Contains("client_credentials"));

    public static ClientProfile RequireClientCredentialsClient(ConformanceRun r) =>
        !r.Profile.Features.ClientCredentials
            ? throw new PrerequisiteException("the provider does not offer the client credentials grant (profile features.clientCredentials)")
            : ClientCredentialsClient(r) ?? throw new PrerequisiteException("the profile has no client for the client credentials grant (clients.clientCredentials)");

    /// <summary>
    /// A request that succeeds with correct client authentication, so that only the part a test changes can make it
    /// fail: the client credentials grant where offered, else the authorization code grant with a code never issued
    /// (every provider authenticates the client before it looks at the code).
    /// </summary>
    private sealed record AuthTarget(ClientProfile Client, TokenPipeline Pipeline);

    /// <summary>The normal pipeline of the target request (<see cref="AuthTarget"/>) for <paramref name="r"/>'s profile.</summary>
    private static AuthTarget NewTarget(ConformanceRun r)
    {
        if (ClientCredentialsClient(r) is { } cc)
            return new(cc, TokenPipeline.ClientCredentials(cc, string.IsNullOrWhiteSpace(cc.Scope) ? null : cc.Scope));
        var conf = r.Profile.Confidential;
        return new(conf, TokenPipeline.AuthorizationCode(conf, Protocol.Random.Token(32), r.RedirectUri(conf), conf.PkceRequired ? Pkce.NewVerifier() : null));
    }

    private static async Task<TokenResponse> Target(ConformanceRun r, string name, Action<AuthTarget> change)
    {
        var target = NewTarget(r);
        change(target);
        return await r.TokenAsync(target.Pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + name);
    }

    private static Task<TokenResponse> WrongCredentials(ConformanceRun r, string name, ClientAuthentication method, bool unknownClient) =>
        Target(r, name, t => Mutations.WrongCredentials(t.Pipeline, t.Client, method, unknownClient));

    private static Task<TokenResponse> NoClientAuth(ConformanceRun r) =>
        Target(r, NoClientAuthentication, t => Mutations.NoClientAuthentication(t.Pipeline, t.Client));

    private static async Task<TokenResponse> UnknownCodeAsync(ConformanceRun r)
    {
        if (!r.Profile.Features.AuthorizationCode) throw new PrerequisiteException("the provider does not offer the authorization code grant (profile features.authorizationCode)");
        var client = r.Profile.Confidential;
        // The normal exchange of a code ("" until the mutation puts in one the provider never issued).
        var pipeline = TokenPipeline.AuthorizationCode(client, "", r.RedirectUri(client), client.PkceRequired ? Pkce.NewVerifier() : null);
        Mutations.UnknownCode(pipeline);
        return await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + UnknownCode);
    }

    /// <summary>A client without the client credentials grant asks for it (the provider supports it: features.clientCredentials).</summary>
    public static ClientProfile? ClientWithoutClientCredentials(ConformanceRun r) =>
        new[] { r.Profile.SecondConfidential, r.Profile.Confidential }.Concat(r.Profile.Clients.Values)
            .FirstOrDefault(c => c is { IsPublic: false } && !c.GrantTypes.Contains("client_credentials"));

    private static async Task<TokenResponse> UnregisteredGrant(ConformanceRun r)
    {
        if (!r.Profile.Features.ClientCredentials)
            throw new PrerequisiteException("needs a grant the provider supports without browser (client credentials, profile features.clientCredentials)");
        var client = ClientWithoutClientCredentials(r)
                     ?? throw new PrerequisiteException("every confidential client in the profile is registered for client_credentials");
        // The normal client credentials request (without scope) of the client credentials client, sent as a client without the grant.
        var pipeline = TokenPipeline.For(ClientCredentialsClient(r) ?? client).Add(new GrantTypeStep("client_credentials"));
        Mutations.UnregisteredGrantType(pipeline, client);
        return await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + UnregisteredGrantType);
    }

    // ---- authorization codes -------------------------------------------------------------------------------

    private static void RequireCodeFlow(ConformanceRun r)
    {
        if (!r.Profile.Features.AuthorizationCode)
            throw new PrerequisiteException("the provider does not offer the authorization code grant (profile features.authorizationCode)");
    }

    /// <summary>This area's own browser session (the primary user), so that revoked grants never touch the reference session.</summary>
    public static Task<UserAgent> UserAgentAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.TokenEndpointUserAgent, r.NewUserAgentAsync);

    /// <summary>Authorizes <paramref name="client"/> in this area's session and returns the code without redeeming it.</summary>
    public static async Task<UnredeemedCode> AuthorizeAsync(ConformanceRun r, ClientProfile client)
    {
        RequireCodeFlow(r);
        var request = AuthorizationRequest.Create(await r.EndpointAsync("authorization_endpoint"), client, r.RedirectUri(client));
        if (client.PkceRequired) request.WithPkce();
        var ua = await UserAgentAsync(r);
        var user = r.Profile.PrimaryUser;
        await ua.Lock.WaitAsync();
        try
        {
            var outcome = await r.Authorizer.AuthorizeAsync(ua, request, (user.Username, user.Password));
            return new UnredeemedCode(client, request, outcome);
        }
        finally { ua.Lock.Release(); }
    }

    private static async Task<TokenResponse> SecondRedemptionAsync(ConformanceRun r) => (await CodeReuseAsync(r)).Second;

    public static Task<CodeReuse> CodeReuseAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.CodeReuse, async () =>
    {
        RequireCodeFlow(r);
        var flow = await CodeFlow.RunAsync(r, r.Profile.Confidential, r.Profile.PrimaryUser, userAgent: await UserAgentAsync(r));
        var first = flow.RequireToken();
        var second = await r.TokenAsync(flow.TokenRequest!, Purpose + CodeRedeemedTwice);
        return new CodeReuse(flow, first, second);
    });

    private static async Task<TokenResponse> OtherClientsCodeAsync(ConformanceRun r)
    {
        RequireCodeFlow(r);
        var owner = r.Profile.SecondConfidential ?? throw new PrerequisiteException("the profile has no second confidential client (clients.secondConfidential)");
        var thief = r.Profile.Confidential;
        var issued = await AuthorizeAsync(r, owner);
        var pipeline = TokenPipeline.AuthorizationCode(owner, issued.Code, issued.Request.RedirectUri!, issued.Request.CodeVerifier);
        Mutations.OtherClient(pipeline, thief);
        return await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + OtherClientsCode);
    }

    /// <summary>A redirect URI that differs from <paramref name="uri"/> only by one extra path segment.</summary>
    public static string OtherRedirectUri(string uri)
    {
        var u = new UriBuilder(uri);
        u.Path = u.Path.TrimEnd('/') + "/other";
        return u.Uri.ToString();
    }

    private static async Task<TokenResponse> RedirectUriAsync(ConformanceRun r, bool omit)
    {
        var client = r.Profile.Confidential;
        var issued = await AuthorizeAsync(r, client);
        var pipeline = TokenPipeline.AuthorizationCode(client, issued.Code, issued.Request.RedirectUri!, issued.Request.CodeVerifier);
        Mutations.RedirectUri(pipeline, issued.Request.RedirectUri!, omit);
        return await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + (omit ? RedirectUriOmitted : RedirectUriDiffers));
    }

    /// <summary>
    /// Tries the access or refresh token the first redemption issued, polling (short deadline) while it still looks
    /// active, since a provider may revoke asynchronously. Introspection where offered, else UserInfo / the refresh grant.
    /// </summary>
    public static Task<TokenProbe> ReuseProbeAsync(ConformanceRun r, string which) => r.SharedAsync(SharedArtifacts.CodeReuseProbe(which), async () =>
    {
        var reuse = await CodeReuseAsync(r);
        if (reuse.Second.IsSuccess) throw new PrerequisiteException("the second redemption was not refused; see token.code-single-use");
        var refresh = which == "refresh token";
        var token = (refresh ? reuse.First.RefreshToken : reuse.First.AccessToken)
                    ?? throw new PrerequisiteException($"the first redemption issued no {which}");
        var client = r.Profile.Confidential;
        var discovery = await r.DiscoveryAsync();
        Func<Task<TokenProbe>> probe;
        if (r.Profile.Features.Introspection && discovery.IntrospectionEndpoint is { } introspection)
            probe = async () => new TokenProbe(which, TokenProbeMethod.Introspection, await r.Http.SendAsync(
                TokenRequest.For(introspection, client).Set("token", token).Set("token_type_hint", refresh ? "refresh_token" : "access_token").Build(),
                Purpose + $"introspect the first {which} after code reuse"));
        else if (!refresh && r.Profile.Features.Userinfo && discovery.UserinfoEndpoint is { } userinfo)
            probe = async () => new TokenProbe(which, TokenProbeMethod.UserInfo,
                await r.Http.GetAsync(userinfo, Purpose + "userinfo with the first access token after code reuse",
                    new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", token)));
        else if (refresh && r.Profile.Features.RefreshToken)
            // A refresh that works is the answer already; no polling (it would rotate tokens).
            return new TokenProbe(which, TokenProbeMethod.Refresh, (await r.TokenAsync(
                TokenRequest.Refresh(await r.EndpointAsync("token_endpoint"), client, token), Purpose + "refresh with the first refresh token after code reuse")).Exchange);
        else throw new PrerequisiteException($"no way to test the {which}: the provider offers neither introspection nor " + (refresh ? "the refresh grant" : "UserInfo"));

        var deadline = DateTime.UtcNow.AddSeconds(3);
        while (true)
        {
            var result = await probe();
            if (!result.LooksActive || DateTime.UtcNow >= deadline) return result;
            await Task.Delay(250);
        }
    });

    // ---- other grants --------------------------------------------------------------------------------------

    public static Task<TokenResponse> ClientCredentialsAsync(ConformanceRun r, ClientAuthentication method) =>
        r.SharedAsync(SharedArtifacts.ClientCredentials(method.Name()), async () =>
        {
            var client = RequireClientCredentialsClient(r);
            var request = TokenPipeline.ClientCredentials(client, string.IsNullOrWhiteSpace(client.Scope) ? null : client.Scope, method)
                .Build(await r.EndpointAsync("token_endpoint"));
            return await r.TokenAsync(request, Purpose + $"client_credentials ({method.Name()})");
        });

    /// <summary>The client credentials response with the client's preferred authentication method.</summary>
    public static Task<TokenResponse> ClientCredentialsAsync(ConformanceRun r) =>
        ClientCredentialsAsync(r, ClientAuthenticationNames.Preferred(RequireClientCredentialsClient(r)));

    /// <summary>The scope introspection reports for the client credentials token, or null when it cannot tell.</summary>
    public static async Task<string?> ClientCredentialsIntrospectedScopeAsync(ConformanceRun r) => (await r.SharedAsync(SharedArtifacts.ClientCredentialsIntrospectedScope,
        async () =>
        {
            var token = await ClientCredentialsAsync(r);
            var discovery = await r.DiscoveryAsync();
            if (!token.IsSuccess || !r.Profile.Features.Introspection || discovery.IntrospectionEndpoint is not { } endpoint) return new Boxed<string?>(null);
            var exchange = await r.Http.SendAsync(TokenRequest.For(endpoint, RequireClientCredentialsClient(r)).Set("token", token.AccessToken)
                .Set("token_type_hint", "access_token").Build(), Purpose + "introspect the client_credentials token");
            var body = JsonBody.From(exchange);
            return new Boxed<string?>(body.Get("active") is { ValueKind: System.Text.Json.JsonValueKind.True } ? body.String("scope") : null);
        })).Value;


    /// <summary>
    /// A GET to the token endpoint: the client credentials request (scope only when the client has one) with HTTP Basic
    /// authentication, its parameters moved from the body into the URL.
    /// </summary>
    public static TokenPipeline GetRequest(ClientProfile client) =>
        TokenPipeline.ClientCredentials(client, string.IsNullOrWhiteSpace(client.Scope) ? null : client.Scope, ClientAuthentication.ClientSecretBasic)
            .Replace<HttpMethodStep>(new HttpMethodStep(HttpMethod.Get), "GET with the parameters in the URL");

    /// <summary>What <see cref="GetRequest"/> changes, shown as the case's "mutates" evidence (a unit test holds it to the pipeline).</summary>
    public const string GetRequestMutatedStep = "token request / HTTP method: GET with the parameters in the URL";

    public static Task<TokenResponse> GetRequestAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.TokenRequestWithGet, async () =>
    {
        var client = ClientCredentialsClient(r) ?? throw new PrerequisiteException(
            "needs a grant that can succeed without a browser: the provider offers no client credentials grant (features.clientCredentials / clients.clientCredentials)");
        return await r.TokenAsync(GetRequest(client).Build(await r.EndpointAsync("token_endpoint")), Purpose + "GET with the request in the URL");
    });

    /// <summary>The client for the password grant: one registered for it, else the confidential client.</summary>
    public static ClientProfile PasswordClient(ConformanceRun r) =>
        r.Profile.Clients.Values.FirstOrDefault(c => c.GrantTypes.Contains("password")) ?? r.Profile.Confidential;

    public static Task<TokenResponse> PasswordAsync(ConformanceRun r, bool wrongPassword) =>
        r.SharedAsync(SharedArtifacts.PasswordGrant(wrongPassword), async () =>
        {
            if (!r.Profile.Features.Password)
                throw new PrerequisiteException("the provider does not offer the resource owner password credentials grant (profile features.password)");
            var user = r.Profile.PrimaryUser;
            var client = PasswordClient(r);
            var pipeline = TokenPipeline.Password(client, user, client.Scope);
            if (wrongPassword) Mutations.WrongPassword(pipeline, user);
            return await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + (wrongPassword ? WrongPassword : "password grant"));
        });
}
