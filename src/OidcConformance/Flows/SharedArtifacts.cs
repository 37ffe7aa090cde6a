using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Interop;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// Every artifact a run obtains once and shares (<see cref="ConformanceRun.SharedAsync{T}"/>), one member each: its name
/// (the memo key) and its type. Parameterised artifacts are methods. A <see cref="SpendingScenario{T}"/> is the record of a
/// flow that spends what it obtained (its tokens, code or session are gone afterwards); its flow logs in afresh and no other
/// artifact may build on what it spent. Everything else is read-only for the checks that use it.
/// The flow that obtains an artifact stays in its own file; this class only names it.
/// </summary>
public static class SharedArtifacts
{
    // ---- the run's reference artifacts (ConformanceRun, CodeFlow) -------------------------------------------------------
    public static readonly SharedArtifact<DiscoveryDocument> Discovery = new("discovery");
    public static readonly SharedArtifact<JwksDocument> Jwks = new("jwks");
    /// <summary>The reference login (confidential client, primary user); its session serves SSO logins of other checks.</summary>
    public static readonly SharedArtifact<CodeFlowResult> ReferenceCodeFlow = new("code-flow/reference");
    /// <summary>A new login in the reference session once the reference access token is about to expire (generation 1, 2, …).</summary>
    public static SharedArtifact<CodeFlowResult> RenewedReferenceCodeFlow(int generation) => new($"code-flow/reference/renewed-{generation}");
    /// <summary>An SSO code flow in the reference session with one client authentication method.</summary>
    /// <summary>Which form of client assertion the provider accepts for one JWT method (ClientAuthJwtFlow.ProbeAsync).</summary>
    public static SharedArtifact<AssertionProbe> ClientAssertionForm(string method) => new($"client-assertion-form/{method}");
    public static SharedArtifact<CodeFlowResult> CodeFlowWithAuthentication(string method) => new($"code-flow/{method}");
    /// <summary>A second, separate login of the primary user at the confidential client (a new provider session).</summary>
    public static readonly SharedArtifact<CodeFlowResult> SecondLogin = new("frontchannel/second-login");
    /// <summary>A user agent of one owner (a flow family that keeps its logins apart from the reference session).</summary>
    public static SharedArtifact<Browser.UserAgent> IsolatedUserAgent(string owner) => new($"{owner}/user-agent");
    public static SharedArtifact<SessionPool<T>> SessionPool<T>(string key) where T : class => new("session-pool/" + key);

    // ---- authorization endpoint ---------------------------------------------------------------------------------------
    /// <summary>One attempt at the authorization endpoint with a named change to the request.</summary>
    public static SharedArtifact<AuthorizationAttempt> AuthorizationAttempt(string key) => new("authz-endpoint/" + key);
    public static SharedArtifact<FrontChannelResult> FrontChannel(string responseType, string? responseMode) =>
        new($"frontchannel/{responseType}/{responseMode ?? "default"}");
    public static SharedArtifact<FrontChannelResult> FrontChannelWithoutNonce(string responseType) => new($"frontchannel/{responseType}/without-nonce");
    /// <summary>UserInfo GET with the access token of a front-channel response.</summary>
    public static SharedArtifact<HttpExchange> FrontChannelUserInfo(string responseType) => new($"frontchannel/{responseType}/userinfo");
    public static readonly SharedArtifact<Browser.UserAgent> PkceUserAgent = new("pkce/user-agent");
    public static SharedArtifact<CodeFlowResult> PkceAttempt(string role, PkceMutation mutation) => new($"pkce/{role}/{mutation}");

    // ---- discovery: advertised values and feature probes ----------------------------------------------------------------
    public static SharedArtifact<AuthorizationAttempt> AdvertisedControl(string role) => new($"advertised/control/{role}");
    public static SharedArtifact<AuthorizationAttempt> AdvertisedResponseType(string responseType, string? responseMode) =>
        new($"advertised/response-type/{responseType}/{responseMode ?? "default"}");
    public static SharedArtifact<AuthorizationAttempt> AdvertisedResponseMode(string responseMode) => new($"advertised/response-mode/{responseMode}");
    public static SharedArtifact<Boxed<ProbeOutcome>> AdvertisedGrant(string grant) => new($"advertised/grant/{grant}");
    public static SharedArtifact<AuthorizationAttempt> AdvertisedPkce(string method) => new($"advertised/pkce/{method}");
    public static SharedArtifact<Boxed<ProbeOutcome>> AdvertisedAuthentication(string method) => new($"advertised/auth/{method}");
    public static SharedArtifact<AuthorizationAttempt> AdvertisedScope(string requested) => new($"advertised/scope/{requested}");
    public static SharedArtifact<FeatureProbe> GrantProbe(string grant) => new($"discovery-extra/probe/grant/{grant}");
    public static SharedArtifact<FeatureProbe> EndpointProbe(string endpoint) => new($"discovery-extra/probe/endpoint/{endpoint}");
    public static SharedArtifact<IReadOnlyList<AppDiscoveryArtifacts>> ApplicationDiscoveries(bool withLogin) => new($"discovery-extra/apps/{withLogin}");
    public static SharedArtifact<CorsProbe> Cors(string endpoint) => new($"cors/{endpoint}");

    // ---- token endpoint -----------------------------------------------------------------------------------------------
    /// <summary>A token request the endpoint should refuse (a named wrong client authentication or grant).</summary>
    public static SharedArtifact<TokenResponse> RefusedTokenRequest(string name) => new("token-endpoint/" + name);
    public static readonly SharedArtifact<Browser.UserAgent> TokenEndpointUserAgent = new("token-endpoint/user-agent");
    /// <summary>A code redeemed twice: the code is spent, and the provider may revoke the tokens of its first redemption.</summary>
    public static readonly SpendingScenario<CodeReuse> CodeReuse = new("token-endpoint/code-reuse",
        "the authorization code (redeemed twice) and possibly the tokens of its first redemption");
    /// <summary>A token of the reused code's first redemption, presented after the reuse.</summary>
    public static SharedArtifact<TokenProbe> CodeReuseProbe(string which) => new("token-endpoint/code-reuse/probe/" + which);
    public static SharedArtifact<TokenResponse> ClientCredentials(string method) => new($"token-endpoint/client-credentials/{method}");
    public static readonly SharedArtifact<Boxed<string?>> ClientCredentialsIntrospectedScope = new("token-endpoint/client-credentials/introspection");
    public static readonly SharedArtifact<TokenResponse> TokenRequestWithGet = new("token-endpoint/get");
    public static SharedArtifact<TokenResponse> PasswordGrant(bool wrongPassword) => new($"token-endpoint/password/{(wrongPassword ? "wrong" : "right")}");

    // ---- refresh, revocation, introspection -----------------------------------------------------------------------------
    /// <summary>One refresh-token life of one client: its refresh tokens are rotated, reused and possibly revoked with the grant.</summary>
    public static SpendingScenario<RefreshScenario> RefreshScenario(string role) => new($"refresh/{role}",
        "the refresh tokens of its own login (rotated away, reused, and the grant possibly revoked by reuse detection)");
    public static SharedArtifact<TokenResponse> RefreshWithGarbage(string role) => new($"refresh/{role}/garbage");
    public static SpendingScenario<RefreshRevocation> RevokedRefreshToken(string? hint) => new($"revocation/refresh-{hint ?? "none"}",
        "the refresh token (and possibly the access token) of its own login, revoked");
    public static SpendingScenario<AccessRevocation> RevokedAccessToken(string? hint) => new($"revocation/access-{hint ?? "none"}",
        "the access token of its own login, revoked");
    public static SharedArtifact<HttpExchange> RevokedGarbage(string? hint) => new($"revocation/garbage-{hint ?? "none"}");
    public static readonly SharedArtifact<IReadOnlyList<UnauthenticatedAttempt>> UnauthenticatedRevocations = new("revocation/unauthenticated");
    public static SpendingScenario<OtherClientAttempt> RevocationByOtherClient(string attackerRole) => new($"revocation/other-{attackerRole}",
        "the tokens of its own login, if the other client's revocation wrongly succeeds");
    public static readonly SharedArtifact<IntrospectionScenario> ActiveIntrospection = new("introspection/active");
    public static readonly SharedArtifact<ForeignIntrospection> SecondClientTokenIntrospection = new("introspection/foreign-second");
    public static readonly SharedArtifact<ForeignIntrospection> ClientCredentialsTokenIntrospection = new("introspection/foreign-cc");
    public static readonly SharedArtifact<IntrospectionResponse> ClientCredentialsOwnIntrospection = new("introspection/cc-own");
    public static readonly SharedArtifact<IntrospectionFlow.ClientCredentialsToken> IntrospectionClientCredentialsToken = new("introspection/cc-token");
    public static SpendingScenario<InactiveIntrospection> RevokedIntrospection(string kind) => new($"introspection/revoked-{kind}",
        $"the {kind} of its own login, revoked before it is introspected");
    public static readonly SharedArtifact<InactiveIntrospection> ExpiredIntrospection = new("introspection/expired");

    // ---- UserInfo -----------------------------------------------------------------------------------------------------
    public static readonly SharedArtifact<UserInfoAnswer> UserInfoGet = new("userinfo/get");
    public static readonly SharedArtifact<HttpExchange> UserInfoWithoutToken = new("userinfo/no-token");
    public static SharedArtifact<HttpExchange> UserInfoWithInvalidToken(string @case) => new($"userinfo/invalid-token/{@case}");
    public static SharedArtifact<ScopeSubsetResult> UserInfoScopeSubset(string label) => new($"userinfo/matrix/{label}");
    public static readonly SharedArtifact<Browser.UserAgent> UserInfoMatrixUserAgent = new("userinfo/matrix/user-agent");
    /// <summary>The login of the profile's user at <paramref name="position"/> (1-based) and its UserInfo answer.</summary>
    public static SharedArtifact<UserLogin> UserLogin(int position) => new($"claims-per-user/{position}");

    // ---- logout ------------------------------------------------------------------------------------------------------
    /// <summary>RP-initiated logout of its own login: that session is logged out afterwards.</summary>
    public static readonly SpendingScenario<LogoutFlowResult> StandardLogout = new("logout/standard", "the provider session of its own login (logged out)");
    public static readonly SharedArtifact<LogoutWithoutSessionResult> LogoutWithoutSession = new("logout/without-session");

    // ---- interoperability --------------------------------------------------------------------------------------------
    public static SharedArtifact<IReadOnlyList<InteropCell>> Interop(string library) => new("interop:" + library);

    // ---- token exchange (TokenExchangeFlow) ---------------------------------------------------------------------------------
    /// <summary>The access token the exchanging client holds, exchanged by every token exchange request.</summary>
    public static readonly SharedArtifact<Boxed<string>> TokenExchangeSubject = new("token-exchange/subject-token");
    /// <summary>The normal exchange ("control") or one with a named change.</summary>
    public static SharedArtifact<TokenExchangeAttempt> TokenExchange(string name) => new("token-exchange/" + name);

    // ---- Casdoor's own surface (CasdoorFlows) --------------------------------------------------------------------------
    public static SharedArtifact<CodeFlowResult> CasdoorLogin(string role) => new($"casdoor/flow/{role}");
    public static SharedArtifact<DiscoveryDocument> CasdoorApplicationDiscovery(string app) => new($"casdoor/discovery/{app}");
    public static SharedArtifact<JwksDocument> CasdoorApplicationJwks(string app) => new($"casdoor/jwks/{app}");
    public static readonly SharedArtifact<HttpExchange> CasdoorUserinfoBearer = new("casdoor/userinfo/bearer");
    public static readonly SharedArtifact<HttpExchange> CasdoorUserinfoQuery = new("casdoor/userinfo/query");
    public static readonly SharedArtifact<HttpExchange> CasdoorGetAccount = new("casdoor/get-account");
    /// <summary>Refresh at the token endpoint, then at /api/login/oauth/refresh_token: a Casdoor refresh deletes the old token row.</summary>
    public static readonly SpendingScenario<CasdoorRefreshChain> CasdoorRefreshChain = new("casdoor/refresh-chain",
        "the refresh tokens of its own login (Casdoor deletes the old token row on refresh)");

    // ---- device (DeviceFlow) ----------------------------------------------------------------------------------------------
    /// <summary>A device code approved in its own browser session, redeemed once and then again (RFC 8628).</summary>
    public static readonly SpendingScenario<DeviceFlow.ApprovedScenario> DeviceApproved = new("device/approved",
        "its own device code (redeemed twice) and the browser session that approved it");
    /// <summary>A short-lived device code polled before and after its expires_in.</summary>
    public static readonly SharedArtifact<DeviceFlow.ExpiredScenario> DeviceExpired = new("device/expired");

    // ---- resource (ResourceFlow) --------------------------------------------------------------------------------------------
    /// <summary>A client credentials token requested for the profile's resource indicator (RFC 8707), with its introspection when opaque.</summary>
    public static readonly SharedArtifact<ResourceFlow.Issued> ResourceToken = new("resource/token");
    // ---- dpop (DpopFlow) ---------------------------------------------------------------------------------------------
    public static readonly SharedArtifact<DpopBoundScenario> DpopBound = new("dpop/bound");
    public static readonly SharedArtifact<DpopProofScenario> DpopTokenProofs = new("dpop/token-proofs");
    public static readonly SpendingScenario<DpopRefreshScenario> DpopPublicRefresh = new("dpop/public-refresh",
        "the public client's refresh token of its own login (refreshed, possibly rotated)");

    // ---- backchannel (BackchannelLogoutFlow) -------------------------------------------------------------------------
    public static readonly SpendingScenario<BackchannelLogoutResult> BackchannelLogout = new("backchannel/logout",
        "the provider session of its own login (logged out)");
}
