using System.Net.Http.Headers;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>The refresh token redeemed at both of Casdoor's endpoints, one after the other (<see cref="CasdoorFlows.RefreshChainAsync"/>).</summary>
public sealed record CasdoorRefreshChain(string? Sub, string? FirstRefreshToken, TokenResponse? AtTokenEndpoint, string? SecondRefreshToken,
    TokenResponse? AtRefreshEndpoint);

/// <summary>
/// The artifacts of Casdoor's own surface (docs/casdoor.md §(e), fixture CasdoorTests). The logins here are their own (never
/// the shared reference flow), because a Casdoor refresh deletes the old token row and would break other suites' tokens.
/// </summary>
public static class CasdoorFlows
{
    /// <summary>The narrowed scope of the confidential client's login here: UserInfo must then leave out email, address and phone.</summary>
    public const string NarrowScope = "openid profile";

    /// <summary>Casdoor's own API lives at the issuer's origin (/api/...).</summary>
    public static string Origin(ConformanceRun r) => new Uri(r.Issuer).GetLeftPart(UriPartial.Authority);

    /// <summary>One browser login per application client; the confidential one asks only for <see cref="NarrowScope"/>.</summary>
    public static Task<CodeFlowResult> LoginAsync(ConformanceRun r, string role) => r.SharedAsync(SharedArtifacts.CasdoorLogin(role), () =>
    {
        var client = r.Profile.Clients.GetValueOrDefault(role) ?? throw new PrerequisiteException($"the profile has no {role} client");
        if (!client.GrantTypes.Contains("authorization_code")) throw new PrerequisiteException($"the {role} client has no authorization_code grant");
        return CodeFlow.RunAsync(r, client, r.Profile.PrimaryUser, pkce: client.IsPublic,
            customize: role == "confidential" ? req => req.Set("scope", NarrowScope) : null);
    });

    /// <summary>The login's successful token response and its decoded ID token (a prerequisite failure otherwise).</summary>
    public static async Task<(CodeFlowResult Flow, TokenResponse Token, DecodedJwt IdToken)> TokensAsync(ConformanceRun r, string role)
    {
        var flow = await LoginAsync(r, role);
        var token = flow.RequireSuccessfulToken();
        var id = DecodedJwt.Decode(token.IdToken ?? throw new PrerequisiteException("the token response has no id_token"));
        return (flow, token, id);
    }

    /// <summary>The per-application discovery document the profile lists for <paramref name="role"/>'s client (applicationDiscovery).</summary>
    public static ApplicationDiscovery Application(ConformanceRun r, string role) =>
        r.Profile.ApplicationDiscovery.FirstOrDefault(a => a.Client == role)
        ?? throw new PrerequisiteException($"the profile lists no per-application discovery document for the {role} client (applicationDiscovery)");

    public static Task<DiscoveryDocument> ApplicationDiscoveryAsync(ConformanceRun r, ApplicationDiscovery app) =>
        r.SharedAsync(SharedArtifacts.CasdoorApplicationDiscovery(app.Name), async () =>
        {
            var exchange = await r.Http.GetAsync(app.Url, $"discovery ({app.Name})");
            return new DiscoveryDocument(app.Url, exchange, JsonBody.From(exchange));
        });

    public static Task<JwksDocument> ApplicationJwksAsync(ConformanceRun r, ApplicationDiscovery app, DiscoveryDocument document) =>
        r.SharedAsync(SharedArtifacts.CasdoorApplicationJwks(app.Name), async () =>
        {
            var url = document.JwksUri ?? throw new PrerequisiteException($"the discovery document of {app.Name} has no jwks_uri");
            var exchange = await r.Http.GetAsync(url, $"jwks ({app.Name})");
            return new JwksDocument(url, exchange, JsonBody.From(exchange));
        });

    /// <summary>UserInfo GET with the confidential login's access token in the Authorization header.</summary>
    public static Task<HttpExchange> UserinfoBearerAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.CasdoorUserinfoBearer, async () =>
    {
        if (!r.Profile.Features.Userinfo) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)");
        var (_, token, _) = await TokensAsync(r, "confidential");
        return await r.UserInfoGetAsync(await r.EndpointAsync("userinfo_endpoint"), token.AccessToken!);
    });

    /// <summary>UserInfo GET with the access token in Casdoor's own query parameter <c>accessToken</c>.</summary>
    public static Task<HttpExchange> UserinfoQueryAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.CasdoorUserinfoQuery, async () =>
    {
        var (_, token, _) = await TokensAsync(r, "confidential");
        var endpoint = await r.EndpointAsync("userinfo_endpoint");
        var url = endpoint + (endpoint.Contains('?') ? "&" : "?") + "accessToken=" + Uri.EscapeDataString(token.AccessToken!);
        return await r.Http.GetAsync(url, "userinfo GET ?accessToken=");
    });

    /// <summary>/api/get-account with the confidential login's access token; the secrets in its user record are registered with the redactor.</summary>
    public static Task<HttpExchange> GetAccountAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.CasdoorGetAccount, async () =>
    {
        var (_, token, _) = await TokensAsync(r, "confidential");
        var exchange = await r.Http.GetAsync(Origin(r) + "/api/get-account", "casdoor get-account",
            new AuthenticationHeaderValue("Bearer", token.AccessToken!));
        AccountRecordSecrets.Register(JsonBody.From(exchange).Get("data"));
        return exchange;
    });

    /// <summary>
    /// Introspection of <paramref name="value"/> with HTTP Basic client authentication. Casdoor reads Basic only when the form
    /// has neither client_id nor client_secret: the form carries the token and its hint alone.
    /// </summary>
    public static Task<HttpExchange> IntrospectWithBasicAsync(ConformanceRun r, string endpoint, ClientProfile client, string value, string tokenType) =>
        r.Http.SendAsync(BasicIntrospectionRequest(endpoint, client, value, tokenType), $"introspection ({tokenType}, client_secret_basic)");

    /// <summary>The request of <see cref="IntrospectWithBasicAsync"/>: form <c>token</c>, <c>token_type_hint</c>; client in the Basic header only.</summary>
    public static HttpRequestMessage BasicIntrospectionRequest(string endpoint, ClientProfile client, string value, string tokenType) =>
        TokenRequest.For(endpoint, client, ClientAuthentication.ClientSecretBasic).Set("token", value).Set("token_type_hint", tokenType).Build();

    /// <summary>
    /// Its own login (a Casdoor refresh deletes the old token row, A-39): refresh at the token endpoint, then redeem
    /// the refresh token it returned (or, if it failed, the unspent original) at /api/login/oauth/refresh_token.
    /// </summary>
    public static Task<CasdoorRefreshChain> RefreshChainAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.CasdoorRefreshChain, async () =>
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
        return new CasdoorRefreshChain(sub, token.RefreshToken, first, next, second);
    });
}
