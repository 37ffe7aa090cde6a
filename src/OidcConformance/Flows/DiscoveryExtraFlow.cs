using System.Net.Http.Headers;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// Real requests that tell whether an advertised grant type or endpoint exists, without completing a flow: a grant
/// with a bogus code/token is "recognized" when the provider answers invalid_grant, and "not supported" when it
/// answers unsupported_grant_type; an endpoint is missing when it answers 404.
/// </summary>
public static class DiscoveryExtraFlow
{
    private static ClientProfile ClientFor(ConformanceRun run, string grant) =>
        run.Profile.Clients.Values.FirstOrDefault(c => c.GrantTypes.Contains(grant) && !c.IsPublic)
        ?? run.Profile.Clients.Values.FirstOrDefault(c => c.GrantTypes.Contains(grant))
        ?? run.Profile.Confidential;

    public static Task<FeatureProbe> GrantProbeAsync(ConformanceRun run, string grant) => run.SharedAsync($"discovery-extra/probe/grant/{grant}", async () =>
    {
        if (grant == "implicit") return await ImplicitProbeAsync(run);
        var tokenEndpoint = (await run.DiscoveryAsync()).TokenEndpoint ?? throw new PrerequisiteException("the discovery document has no token_endpoint to probe");
        var client = ClientFor(run, grant);
        var request = grant switch
        {
            "authorization_code" => TokenRequest.AuthorizationCode(tokenEndpoint, client, "bogus-" + Protocol.Random.Token(16), run.RedirectUri(client), null),
            "refresh_token" => TokenRequest.Refresh(tokenEndpoint, client, "bogus-" + Protocol.Random.Token(16)),
            "client_credentials" => TokenRequest.ClientCredentials(tokenEndpoint, client),
            "password" => TokenRequest.Password(tokenEndpoint, client, run.Profile.PrimaryUser, "openid"),
            _ => throw new ArgumentOutOfRangeException(nameof(grant), grant, "unknown grant"),
        };
        var response = await run.TokenAsync(request, $"probe: grant_type={grant}");
        return JudgeGrant(response, grant, client.ClientId);
    });

    /// <summary>Interprets a token endpoint answer to a probe (pure; the unit proofs use it too).</summary>
    public static FeatureProbe JudgeGrant(TokenResponse response, string grant, string clientId)
    {
        var said = $"grant_type={grant} as {clientId} → {response.Describe()}";
        if (response.Exchange.TransportError is not null) return FeatureProbe.Unclear(said);
        if (response.Exchange.StatusCode == 404) return FeatureProbe.No(said);
        if (response.IsSuccess) return FeatureProbe.Yes(said);
        return response.Error switch
        {
            "unsupported_grant_type" => FeatureProbe.No(said),
            "invalid_grant" or "invalid_scope" => FeatureProbe.Yes(said + " (the grant was processed)"),
            _ => FeatureProbe.Unclear(said),
        };
    }

    /// <summary>GET the authorization endpoint with response_type=id_token, redirects not followed.</summary>
    private static async Task<FeatureProbe> ImplicitProbeAsync(ConformanceRun run)
    {
        var endpoint = (await run.DiscoveryAsync()).AuthorizationEndpoint ?? throw new PrerequisiteException("the discovery document has no authorization_endpoint to probe");
        var client = ClientFor(run, "implicit");
        var request = AuthorizationRequest.Create(endpoint, client, run.RedirectUri(client), "id_token", "openid");
        var exchange = await run.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, request.ToUri()) { Headers = { Accept = { MediaTypeWithQualityHeaderValue.Parse("text/html") } } },
            "probe: implicit (response_type=id_token)");
        return JudgeImplicit(exchange, run.RedirectUri(client));
    }

    public static FeatureProbe JudgeImplicit(HttpExchange exchange, string redirectUri)
    {
        var said = $"GET authorization endpoint with response_type=id_token → {exchange.Summary}";
        if (exchange.TransportError is not null) return FeatureProbe.Unclear(said);
        var location = exchange.Header("Location");
        if (exchange.StatusCode is >= 300 and < 400 && location is not null)
        {
            if (location.StartsWith(redirectUri, StringComparison.Ordinal))
            {
                var uri = new Uri(location);
                var parameters = FormCodec.Parse(uri.Query.TrimStart('?')).Concat(FormCodec.Parse(uri.Fragment.TrimStart('#'))).ToList();
                var error = parameters.Where(p => p.Key == "error").Select(p => p.Value).FirstOrDefault();
                return error switch
                {
                    "unsupported_response_type" => FeatureProbe.No(said + ", error=unsupported_response_type"),
                    null => FeatureProbe.Yes(said + ", answered without an error"),
                    "login_required" or "interaction_required" or "consent_required" => FeatureProbe.Yes(said + $", error={error} (the request was accepted)"),
                    _ => FeatureProbe.Unclear(said + $", error={error}"),
                };
            }
            return FeatureProbe.Yes(said + ", redirected to the provider's login/interaction");
        }
        if (exchange.StatusCode == 200) return FeatureProbe.Yes(said + ", a page (login) was shown");
        if (exchange.ResponseBody.Contains("unsupported_response_type", StringComparison.Ordinal)) return FeatureProbe.No(said + ", unsupported_response_type");
        return FeatureProbe.Unclear(said);
    }

    public static Task<FeatureProbe> EndpointProbeAsync(ConformanceRun run, string endpoint) => run.SharedAsync($"discovery-extra/probe/endpoint/{endpoint}", async () =>
    {
        var url = (await run.DiscoveryAsync()).String(endpoint + "_endpoint") ?? throw new PrerequisiteException($"{endpoint}_endpoint is not advertised");
        var client = run.Profile.Confidential;
        HttpExchange exchange;
        switch (endpoint)
        {
            case "userinfo":
                exchange = await run.Http.GetAsync(url, "probe: userinfo (no token)");
                break;
            case "introspection":
            case "revocation":
                exchange = await run.Http.PostFormAsync(url, [new("token", "bogus-" + Protocol.Random.Token(16))], $"probe: {endpoint} (bogus token)",
                    new Duende.IdentityModel.Client.BasicAuthenticationOAuthHeaderValue(client.ClientId, client.ClientSecret ?? ""));
                break;
            case "end_session":
            {
                var request = new HttpRequestMessage(HttpMethod.Get, url);
                request.Headers.Accept.ParseAdd("text/html");
                exchange = await run.Http.SendAsync(request, "probe: end_session (no parameters)");
                break;
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "unknown endpoint");
        }
        return JudgeEndpoint(exchange, endpoint);
    });

    public static FeatureProbe JudgeEndpoint(HttpExchange exchange, string endpoint)
    {
        var said = $"{endpoint}: {exchange.Summary}";
        if (exchange.TransportError is not null) return FeatureProbe.Unclear(said);
        var body = JsonBody.From(exchange);
        return (endpoint, exchange.StatusCode) switch
        {
            (_, 404 or 501) => FeatureProbe.No(said),
            ("userinfo", 401 or 400) when exchange.Header("WWW-Authenticate") is not null || body.String("error") is not null => FeatureProbe.Yes(said + ", a token error"),
            ("introspection", 200) when body.Get("active") is not null => FeatureProbe.Yes(said + ", an introspection response"),
            ("introspection", 400 or 401) when body.String("error") is not null => FeatureProbe.Yes(said + $", error '{body.String("error")}'"),
            ("revocation", 200) => FeatureProbe.Yes(said),
            ("revocation", 400 or 401) when body.String("error") is not null => FeatureProbe.Yes(said + $", error '{body.String("error")}'"),
            ("end_session", >= 200 and < 400) => FeatureProbe.Yes(said),
            ("end_session", 400) => FeatureProbe.Yes(said + " (a logout error page)"),
            _ => FeatureProbe.Unclear(said),
        };
    }

    /// <summary>Fetches each per-application document, its JWK Set, and logs in with its client for an ID token.</summary>
    public static Task<IReadOnlyList<AppDiscoveryArtifacts>> AppsAsync(ConformanceRun run, bool withLogin) =>
        run.SharedAsync($"discovery-extra/apps/{withLogin}", async () =>
        {
            var result = new List<AppDiscoveryArtifacts>();
            foreach (var app in run.Profile.ApplicationDiscovery)
            {
                var url = ConformanceRun.ExpandPlaceholders(app.Url, run.Callback, run.Issuer);
                var exchange = await run.Http.GetAsync(url, $"discovery (application {app.Name})");
                var doc = new DiscoveryDocument(url, exchange, JsonBody.From(exchange));
                JwksDocument? jwks = null;
                if (doc.JwksUri is { } jwksUrl)
                {
                    var j = await run.Http.GetAsync(jwksUrl, $"jwks (application {app.Name})");
                    jwks = new JwksDocument(jwksUrl, j, JsonBody.From(j));
                }
                var artifacts = new AppDiscoveryArtifacts(app, doc) { Jwks = jwks };
                if (withLogin)
                {
                    if (!run.Profile.Clients.TryGetValue(app.Client, out var client))
                        artifacts = artifacts with { IdTokenProblem = $"the profile has no client '{app.Client}'" };
                    else
                    {
                        var flow = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser);
                        await using var ua = flow.UserAgent;
                        artifacts = flow.Token is { IsSuccess: true, IdToken: not null }
                            ? artifacts with { IdToken = flow.IdToken }
                            : artifacts with { IdTokenProblem = flow.Token is null ? $"login with {client.ClientId}: {flow.Outcome.Describe()}" : $"login with {client.ClientId}: {flow.Token.Describe()}" };
                    }
                }
                result.Add(artifacts);
            }
            return (IReadOnlyList<AppDiscoveryArtifacts>)result;
        });
}
