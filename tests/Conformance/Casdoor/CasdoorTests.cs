using System.Net.Http.Headers;
using System.Text.Json;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Suites.Casdoor;

/// <summary>
/// Casdoor's own surface (docs/casdoor.md §(e)), switched on by the profile feature <c>casdoorApi</c>
/// (<see cref="CasdoorChecks.IsCasdoor"/>): for any other profile the whole fixture is left out of the run in its one-time
/// set-up (NUnit reports its tests as skipped; report.json has no Casdoor rows). Each test still asks
/// <see cref="CasdoorChecks.NotCasdoor"/> first, so a check evaluated without the feature is Inconclusive before a request is sent. The flows here are this fixture's own (never the
/// shared reference flow), because a Casdoor refresh deletes the old token row and would break other suites' tokens.
/// </summary>
[TestFixture, Category("Casdoor"), Parallelizable(ParallelScope.Self)]
public sealed class CasdoorTests : ConformanceTest
{
    /// <summary>Client roles of the profile whose application has its own discovery document (profile applicationDiscovery).</summary>
    public static readonly string[] ApplicationClients = ["confidential", "secondConfidential", "public"];
    public static readonly string[] UserinfoCases = [CasdoorChecks.BearerHeaderCase, CasdoorChecks.AccessTokenQueryCase];
    public static readonly string[] IntrospectionCases = ["access_token", "refresh_token"];
    public static readonly string[] RefreshCases = [CasdoorChecks.TokenEndpointCase, CasdoorChecks.RefreshEndpointCase];

    /// <summary>The narrowed scope of the confidential client's flow here: UserInfo must then leave out email, address and phone.</summary>
    public const string NarrowScope = "openid profile";

    /// <summary>Leaves the fixture out of the run for a profile without the feature: no Inconclusive rows in every report.</summary>
    [OneTimeSetUp]
    public void OnlyWithCasdoorApi()
    {
        if (RunSetup.Current is { } run && !CasdoorChecks.IsCasdoor(run.Profile))
            Assert.Ignore($"provider-specific: profile '{run.Profile.Name}' has no feature {CasdoorChecks.Feature}; left out of the run");
    }

    private static void Gate(CheckDefinition check, ConformanceRun r)
    {
        if (CasdoorChecks.NotCasdoor(check, r.Profile) is { } skip) throw new PrerequisiteException(skip.Reason);
    }

    private static string Origin(ConformanceRun r) => new Uri(r.Issuer).GetLeftPart(UriPartial.Authority);

    /// <summary>One browser login per application client; the confidential one asks only for <see cref="NarrowScope"/>.</summary>
    private static Task<CodeFlowResult> Flow(ConformanceRun r, string role) => r.SharedAsync($"casdoor/flow/{role}", () =>
    {
        var client = r.Profile.Clients.GetValueOrDefault(role) ?? throw new PrerequisiteException($"the profile has no {role} client");
        if (!client.GrantTypes.Contains("authorization_code")) throw new PrerequisiteException($"the {role} client has no authorization_code grant");
        return CodeFlow.RunAsync(r, client, r.Profile.PrimaryUser, pkce: client.IsPublic,
            customize: role == "confidential" ? req => req.Set("scope", NarrowScope) : null);
    });

    private static async Task<(CodeFlowResult Flow, TokenResponse Token, DecodedJwt IdToken)> Tokens(ConformanceRun r, string role)
    {
        var flow = await Flow(r, role);
        var token = flow.RequireSuccessfulToken();
        var id = DecodedJwt.Decode(token.IdToken ?? throw new PrerequisiteException("the token response has no id_token"));
        return (flow, token, id);
    }

    private static ApplicationDiscovery App(ConformanceRun r, string role) =>
        r.Profile.ApplicationDiscovery.FirstOrDefault(a => a.Client == role)
        ?? throw new PrerequisiteException($"the profile lists no per-application discovery document for the {role} client (applicationDiscovery)");

    private static Task<DiscoveryDocument> AppDiscovery(ConformanceRun r, ApplicationDiscovery app) => r.SharedAsync($"casdoor/discovery/{app.Name}", async () =>
    {
        var exchange = await r.Http.GetAsync(app.Url, $"discovery ({app.Name})");
        return new DiscoveryDocument(app.Url, exchange, JsonBody.From(exchange));
    });

    private static Task<JwksDocument> AppJwks(ConformanceRun r, ApplicationDiscovery app, DiscoveryDocument document) =>
        r.SharedAsync($"casdoor/jwks/{app.Name}", async () =>
        {
            var url = document.JwksUri ?? throw new PrerequisiteException($"the discovery document of {app.Name} has no jwks_uri");
            var exchange = await r.Http.GetAsync(url, $"jwks ({app.Name})");
            return new JwksDocument(url, exchange, JsonBody.From(exchange));
        });

    // ---- per-application discovery ----------------------------------------------------------------------------------

    [TestCaseSource(nameof(ApplicationClients))]
    public Task Per_application_issuer_matches_the_url(string role) => Verify(DiscoveryChecks.IssuerMatchesDiscoveryUrl, async r =>
    {
        Gate(DiscoveryChecks.IssuerMatchesDiscoveryUrl, r);
        var app = App(r, role);
        return DiscoveryChecks.EvaluateIssuerMatchesUrl(await AppDiscovery(r, app)).WithCase(app.Name);
    });

    [TestCaseSource(nameof(ApplicationClients))]
    public Task Per_application_issuer_matches_the_tokens(string role) => Verify(CasdoorChecks.AppDiscoveryIssuer, async r =>
    {
        Gate(CasdoorChecks.AppDiscoveryIssuer, r);
        var app = App(r, role);
        var document = await AppDiscovery(r, app);
        var (_, _, idToken) = await Tokens(r, role);
        return CasdoorChecks.EvaluateAppDiscoveryIssuer(app.Name, document, idToken);
    });

    [TestCaseSource(nameof(ApplicationClients))]
    public Task Per_application_jwks_verifies_the_tokens(string role) => Verify(CasdoorChecks.AppJwks, async r =>
    {
        Gate(CasdoorChecks.AppJwks, r);
        var app = App(r, role);
        var document = await AppDiscovery(r, app);
        var jwks = document.JwksUri is null ? null : await AppJwks(r, app, document);
        var (_, _, idToken) = await Tokens(r, role);
        return CasdoorChecks.EvaluateAppJwks(app.Name, document, jwks, idToken);
    });

    // ---- userinfo and get-account -----------------------------------------------------------------------------------

    private static Task<HttpExchange> UserinfoBearer(ConformanceRun r) => r.SharedAsync("casdoor/userinfo/bearer", async () =>
    {
        if (!r.Profile.Features.Userinfo) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)");
        var (_, token, _) = await Tokens(r, "confidential");
        return await r.UserInfoGetAsync(await r.EndpointAsync("userinfo_endpoint"), token.AccessToken!);
    });

    private static Task<HttpExchange> UserinfoQuery(ConformanceRun r) => r.SharedAsync("casdoor/userinfo/query", async () =>
    {
        var (_, token, _) = await Tokens(r, "confidential");
        var endpoint = await r.EndpointAsync("userinfo_endpoint");
        var url = endpoint + (endpoint.Contains('?') ? "&" : "?") + "accessToken=" + Uri.EscapeDataString(token.AccessToken!);
        return await r.Http.GetAsync(url, "userinfo GET ?accessToken=");
    });

    private static Task<HttpExchange> GetAccount(ConformanceRun r) => r.SharedAsync("casdoor/get-account", async () =>
    {
        var (_, token, _) = await Tokens(r, "confidential");
        var exchange = await r.Http.GetAsync(Origin(r) + "/api/get-account", "casdoor get-account",
            new AuthenticationHeaderValue("Bearer", token.AccessToken!));
        RegisterNestedSecrets(JsonBody.From(exchange).Get("data"));
        return exchange;
    });

    /// <summary>get-account's user record may carry tokens and hashes (data.accessToken, A-44): never print them.</summary>
    private static void RegisterNestedSecrets(JsonElement? element)
    {
        if (element is not { ValueKind: JsonValueKind.Object } o) return;
        foreach (var p in o.EnumerateObject())
        {
            var name = p.Name.ToLowerInvariant();
            if (p.Value.ValueKind == JsonValueKind.String && p.Value.GetString() is { Length: >= 8 } v &&
                (name.Contains("token") || name.Contains("password") || name.Contains("secret") || name.Contains("salt") || name.Contains("recovery")))
                Redactor.Register(v, p.Name);
        }
    }

    [TestCaseSource(nameof(UserinfoCases))]
    public Task Userinfo_accepts_the_token_in_each_location(string location) => Verify(CasdoorChecks.UserinfoTokenLocation, async r =>
    {
        Gate(CasdoorChecks.UserinfoTokenLocation, r);
        var (_, _, idToken) = await Tokens(r, "confidential");
        var bearer = await UserinfoBearer(r);
        var sub = idToken.ClaimString("sub");
        if (location == CasdoorChecks.BearerHeaderCase) return CasdoorChecks.EvaluateUserinfoTokenLocation(location, bearer, sub);
        var reference = JsonBody.From(bearer);
        return CasdoorChecks.EvaluateUserinfoTokenLocation(location, await UserinfoQuery(r), sub,
            reference.IsObject && !CasdoorChecks.IsEnvelopeError(reference) ? reference : null);
    });

    [Test]
    public Task Get_account_returns_the_full_user() => Verify(CasdoorChecks.GetAccountFullUser, async r =>
    {
        Gate(CasdoorChecks.GetAccountFullUser, r);
        var (flow, _, idToken) = await Tokens(r, "confidential");
        return CasdoorChecks.EvaluateGetAccount(await GetAccount(r), idToken.ClaimString("sub"), flow.User.Username);
    });

    [Test]
    public Task Userinfo_returns_only_granted_scope_claims() => Verify(CasdoorChecks.UserinfoGrantedScopesOnly, async r =>
    {
        Gate(CasdoorChecks.UserinfoGrantedScopesOnly, r);
        var (flow, _, _) = await Tokens(r, "confidential");
        var account = JsonBody.From(await GetAccount(r));
        return CasdoorChecks.EvaluateUserinfoGrantedScopesOnly(JsonBody.From(await UserinfoBearer(r)),
            account.String("status") == "ok" ? account : null, flow.GrantedScope);
    });

    // ---- introspection with HTTP Basic ------------------------------------------------------------------------------

    [TestCaseSource(nameof(IntrospectionCases))]
    public Task Introspection_with_http_basic(string tokenType) => Verify(CasdoorChecks.IntrospectionBasic, async r =>
    {
        Gate(CasdoorChecks.IntrospectionBasic, r);
        if (!r.Profile.Features.Introspection) throw new PrerequisiteException("the provider does not offer introspection (profile features.introspection)");
        var endpoint = await r.EndpointAsync("introspection_endpoint");
        var (flow, token, idToken) = await Tokens(r, "confidential");
        var value = tokenType == "access_token" ? token.AccessToken : token.RefreshToken;
        if (string.IsNullOrEmpty(value)) throw new PrerequisiteException($"the code exchange returned no {tokenType}");
        var client = flow.Client;
        // Casdoor reads Basic only when the form has neither client_id nor client_secret: the form carries the token alone.
        var request = new HttpRequestMessage(HttpMethod.Post, endpoint)
        {
            Content = new FormUrlEncodedContent([new("token", value), new("token_type_hint", tokenType)]),
        };
        request.Headers.Authorization = new Duende.IdentityModel.Client.BasicAuthenticationOAuthHeaderValue(client.ClientId, client.ClientSecret ?? "");
        var exchange = await r.Http.SendAsync(request, $"introspection ({tokenType}, client_secret_basic)");
        return CasdoorChecks.EvaluateIntrospection(tokenType, exchange, client.ClientId, idToken.ClaimString("sub"));
    });

    // ---- refresh at both endpoints ----------------------------------------------------------------------------------

    private sealed record RefreshChain(string? Sub, string? FirstRefreshToken, TokenResponse? AtTokenEndpoint, string? SecondRefreshToken,
        TokenResponse? AtRefreshEndpoint);

    /// <summary>
    /// Its own login (a Casdoor refresh deletes the old token row, A-39): refresh at the token endpoint, then redeem
    /// the refresh token it returned (or, if it failed, the unspent original) at /api/login/oauth/refresh_token.
    /// </summary>
    private static Task<RefreshChain> Refreshes(ConformanceRun r) => r.SharedAsync("casdoor/refresh-chain", async () =>
    {
        if (!r.Profile.Features.RefreshToken) throw new PrerequisiteException("the provider does not offer refresh tokens (profile features.refreshToken)");
        var client = r.Profile.Confidential;
        var flow = await CodeFlow.RunAsync(r, client, r.Profile.PrimaryUser);
        var token = flow.RequireSuccessfulToken();
        var sub = DecodedJwt.Decode(token.IdToken).ClaimString("sub");
        if (string.IsNullOrEmpty(token.RefreshToken)) throw new PrerequisiteException("the code exchange returned no refresh_token");
        var first = await r.TokenAsync(TokenRequest.Refresh(await r.EndpointAsync("token_endpoint"), client, token.RefreshToken),
            "token: refresh_token (token endpoint)");
        var next = first.IsSuccess && !string.IsNullOrEmpty(first.RefreshToken) ? first.RefreshToken : token.RefreshToken;
        var casdoorEndpoint = Origin(r) + "/api/login/oauth/refresh_token";
        var second = await r.TokenAsync(TokenRequest.Refresh(casdoorEndpoint, client, next, method: ClientAuthentication.ClientSecretPost),
            "token: refresh_token (/api/login/oauth/refresh_token)");
        return new RefreshChain(sub, token.RefreshToken, first, next, second);
    });

    [TestCaseSource(nameof(RefreshCases))]
    public Task Refresh_token_is_redeemed(string endpoint) => Verify(CasdoorChecks.RefreshEndpoints, async r =>
    {
        Gate(CasdoorChecks.RefreshEndpoints, r);
        var chain = await Refreshes(r);
        return endpoint == CasdoorChecks.TokenEndpointCase
            ? CasdoorChecks.EvaluateRefresh(endpoint, chain.AtTokenEndpoint, chain.Sub, chain.FirstRefreshToken)
            : CasdoorChecks.EvaluateRefresh(endpoint, chain.AtRefreshEndpoint, chain.Sub, chain.SecondRefreshToken);
    });
}
