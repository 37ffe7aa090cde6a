using System.Net.Http.Headers;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// Real requests that tell whether an advertised grant type or endpoint works. A probe says "works" only on evidence
/// of the feature working: tokens came back for a grant (the reference login's code exchange, a real refresh, a
/// client_credentials or password request, an implicit flow that returned a token), or an endpoint gave its own kind of
/// answer to a real request (UserInfo claims for a valid access token, an RFC 7662 introspection response, a revoked
/// token that stopped working, an RP-initiated logout that redirected to the post_logout_redirect_uri). Where that
/// evidence cannot be gathered (the profile does not offer the feature, no client is registered for it), a cheap HTTP
/// request can still refute the advertisement (404, unsupported_grant_type, unsupported_response_type) but never
/// confirm it: an HTTP 200 proves nothing (Casdoor's web app answers 200 to every URL), and a recognized-but-refused
/// bogus code is no working grant. Anything else is undetermined, with its cause.
/// </summary>
public static class DiscoveryExtraFlow
{
    private static ClientProfile ClientFor(ConformanceRun run, string grant) =>
        run.Profile.Clients.Values.FirstOrDefault(c => c.GrantTypes.Contains(grant) && !c.IsPublic)
        ?? run.Profile.Clients.Values.FirstOrDefault(c => c.GrantTypes.Contains(grant))
        ?? run.Profile.Confidential;

    public static Task<FeatureProbe> GrantProbeAsync(ConformanceRun run, string grant) => run.SharedAsync(SharedArtifacts.GrantProbe(grant), async () =>
    {
        switch (grant)
        {
            case "implicit": return await ImplicitProbeAsync(run);
            case "authorization_code": return await CodeProbeAsync(run);
            case "refresh_token": return await RefreshProbeAsync(run);
        }
        var tokenEndpoint = (await run.DiscoveryAsync()).TokenEndpoint ?? throw new PrerequisiteException("the discovery document has no token_endpoint to probe");
        var client = ClientFor(run, grant);
        var request = grant switch
        {
            "client_credentials" => TokenRequest.ClientCredentials(tokenEndpoint, client),
            "password" => TokenRequest.Password(tokenEndpoint, client, run.Profile.PrimaryUser, "openid"),
            _ => throw new ArgumentOutOfRangeException(nameof(grant), grant, "unknown grant"),
        };
        var response = await run.TokenAsync(request, $"probe: grant_type={grant}");
        return JudgeGrant(response, grant, client.ClientId);
    });

    /// <summary>The reference login's code exchange: tokens for a code are the authorization_code grant working.</summary>
    private static async Task<FeatureProbe> CodeProbeAsync(ConformanceRun run)
    {
        var flow = await CodeFlow.ReferenceAsync(run);
        return flow.Token is { } token
            ? JudgeGrant(token, "authorization_code", flow.Client.ClientId, "the reference login's code exchange")
            : FeatureProbe.Unclear($"the reference login obtained no code to exchange: {flow.Outcome.Describe()}");
    }

    /// <summary>
    /// A real refresh: the refresh suite's first refresh of a freshly issued refresh token (shared, made once per run).
    /// Where that scenario cannot run, a bogus refresh token can only refute the grant (unsupported_grant_type).
    /// </summary>
    private static async Task<FeatureProbe> RefreshProbeAsync(ConformanceRun run)
    {
        var client = ClientFor(run, "refresh_token");
        try
        {
            var scenario = await RefreshFlows.ScenarioAsync(run, client.Role);
            return scenario.First is { } first
                ? JudgeGrant(first, "refresh_token", client.ClientId, "a refresh of a freshly issued refresh token")
                : FeatureProbe.Unclear($"no refresh could be made: {(scenario.InitialRefreshToken is null ? "the code exchange issued no refresh token" : "no refresh was made")}");
        }
        catch (PrerequisiteException e)
        {
            var tokenEndpoint = (await run.DiscoveryAsync()).TokenEndpoint ?? throw new PrerequisiteException("the discovery document has no token_endpoint to probe");
            var response = await run.TokenAsync(TokenRequest.Refresh(tokenEndpoint, client, "bogus-" + Protocol.Random.Token(16)), "probe: grant_type=refresh_token (bogus token)");
            return Refuting(JudgeGrant(response, "refresh_token", client.ClientId, "a bogus refresh token"), $"no real refresh token to use ({e.Message})");
        }
    }

    /// <summary>
    /// Interprets a token endpoint answer (pure; the unit proofs use it too): tokens are a working grant;
    /// unsupported_grant_type or 404 is a refusal of the grant type; anything else, invalid_grant for a bogus code
    /// included (the grant type was recognized, but no tokens came back), is undetermined.
    /// </summary>
    public static FeatureProbe JudgeGrant(TokenResponse response, string grant, string clientId, string? request = null)
    {
        var said = $"grant_type={grant} as {clientId}{(request is null ? "" : $" ({request})")} → {response.Describe()}";
        if (response.Exchange.TransportError is not null) return FeatureProbe.Unclear(said);
        if (response.Exchange.StatusCode == 404) return FeatureProbe.No(said);
        if (response.IsSuccess) return FeatureProbe.Yes(said + ": tokens came back");
        return response.Error switch
        {
            "unsupported_grant_type" => FeatureProbe.No(said),
            _ => FeatureProbe.Unclear(said + ": no tokens came back"),
        };
    }

    /// <summary>A probe that may only refute: its "works" is downgraded to undetermined, with why no real evidence was gathered.</summary>
    private static FeatureProbe Refuting(FeatureProbe probe, string why) => probe.Works == false
        ? probe
        : FeatureProbe.Unclear($"{probe.Evidence}; {why}, and such a request cannot show the feature working");

    /// <summary>
    /// A real implicit flow in the browser (the implicit suite's shared attempt, response_type id_token, else
    /// "id_token token"): tokens in the fragment are the grant working. Where no such flow can run, a back-channel GET of
    /// the authorization endpoint (redirects not followed) can only refute it (unsupported_response_type).
    /// </summary>
    private static async Task<FeatureProbe> ImplicitProbeAsync(ConformanceRun run)
    {
        var skipped = new List<string>();
        foreach (var responseType in ResponseTypes.Implicit)
        {
            try
            {
                var flow = await FrontChannelFlow.SharedAsync(run, responseType);
                return JudgeImplicitFlow(flow.Outcome, responseType);
            }
            catch (PrerequisiteException e) { skipped.Add($"{responseType}: {e.Message}"); }
        }
        var endpoint = (await run.DiscoveryAsync()).AuthorizationEndpoint ?? throw new PrerequisiteException("the discovery document has no authorization_endpoint to probe");
        var client = ClientFor(run, "implicit");
        var request = AuthorizationRequest.Create(endpoint, client, run.RedirectUri(client), "id_token", "openid");
        var exchange = await run.Http.SendAsync(new HttpRequestMessage(HttpMethod.Get, request.ToUri()) { Headers = { Accept = { MediaTypeWithQualityHeaderValue.Parse("text/html") } } },
            "probe: implicit (response_type=id_token)");
        return Refuting(JudgeImplicit(exchange, run.RedirectUri(client)), $"no implicit flow could run in the browser ({string.Join("; ", skipped)})");
    }

    /// <summary>An implicit flow's outcome: a token in the authorization response is the grant working.</summary>
    public static FeatureProbe JudgeImplicitFlow(AuthorizationOutcome outcome, string responseType)
    {
        var said = $"browser flow with response_type={responseType}";
        if (outcome.End != AuthorizationEnd.Redirected) return FeatureProbe.Unclear($"{said}: {outcome.Describe()}");
        var response = outcome.Response!;
        if (response.Error is { } error)
            return error == "unsupported_response_type"
                ? FeatureProbe.No($"{said}: error=unsupported_response_type")
                : FeatureProbe.Unclear($"{said}: error={error}");
        var tokens = new[] { "id_token", "access_token" }.Where(t => !string.IsNullOrEmpty(response.Get(t))).ToList();
        return tokens.Count > 0
            ? FeatureProbe.Yes($"{said}: {string.Join(" and ", tokens)} came back in the {response.Location.ToString().ToLowerInvariant()}")
            : FeatureProbe.Unclear($"{said}: redirected without a token ({response.Describe()})");
    }

    /// <summary>
    /// A back-channel answer to an implicit request (no session): a redirect to the client carrying a token is the grant
    /// working, unsupported_response_type refutes it. A login page, a redirect to one, or an interaction error shows
    /// nothing about whether tokens would come back.
    /// </summary>
    public static FeatureProbe JudgeImplicit(HttpExchange exchange, string redirectUri)
    {
        var said = $"GET authorization endpoint with response_type=id_token → {exchange.Summary}";
        if (exchange.TransportError is not null) return FeatureProbe.Unclear(said);
        var location = exchange.Header("Location");
        if (exchange.StatusCode is >= 300 and < 400 && location is not null)
        {
            if (!location.StartsWith(redirectUri, StringComparison.Ordinal))
                return FeatureProbe.Unclear(said + ", redirected to the provider's own pages (a login is no token)");
            var parameters = FormCodec.ParseRedirect(location);
            string? Get(string name) => parameters.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
            if (Get("error") is { } error)
                return error == "unsupported_response_type"
                    ? FeatureProbe.No(said + ", error=unsupported_response_type")
                    : FeatureProbe.Unclear(said + $", error={error}");
            return Get("id_token") is { Length: > 0 }
                ? FeatureProbe.Yes(said + ", an id_token came back")
                : FeatureProbe.Unclear(said + ", redirected to the client without a token");
        }
        if (exchange.ResponseBody.Contains("unsupported_response_type", StringComparison.Ordinal)) return FeatureProbe.No(said + ", unsupported_response_type");
        return FeatureProbe.Unclear(said + (exchange.StatusCode == 200 ? ", a page (any URL of a web app answers 200)" : ""));
    }

    public static Task<FeatureProbe> EndpointProbeAsync(ConformanceRun run, string endpoint) => run.SharedAsync(SharedArtifacts.EndpointProbe(endpoint), async () =>
    {
        var url = (await run.DiscoveryAsync()).String(endpoint + "_endpoint") ?? throw new PrerequisiteException($"{endpoint}_endpoint is not advertised");
        switch (endpoint)
        {
            case "userinfo":
            {
                var flow = await CodeFlow.ReferenceWithLiveAccessTokenAsync(run);
                if (flow.Token is { IsSuccess: true, AccessToken: { } accessToken })
                    return JudgeUserInfo(await run.UserInfoGetAsync(url, accessToken));
                return Refuting(JudgeEndpoint(await run.Http.GetAsync(url, "probe: userinfo (no token)"), endpoint),
                    $"the reference login issued no access token ({flow.Token?.Describe() ?? flow.Outcome.Describe()})");
            }
            case "revocation":
                try { return JudgeRevocation(await RevocationFlow.AccessAsync(run, null)); }
                catch (PrerequisiteException e) { return Refuting(await BogusTokenProbeAsync(run, url, endpoint), $"no real token could be revoked ({e.Message})"); }
            case "introspection":
                return await BogusTokenProbeAsync(run, url, endpoint);
            case "end_session":
                try { return JudgeLogout((await LogoutFlow.StandardAsync(run)).Logout); }
                catch (PrerequisiteException e)
                {
                    var request = new HttpRequestMessage(HttpMethod.Get, url);
                    request.Headers.Accept.ParseAdd("text/html");
                    return Refuting(JudgeEndpoint(await run.Http.SendAsync(request, "probe: end_session (no parameters)"), endpoint), $"no real logout could be made ({e.Message})");
                }
            default:
                throw new ArgumentOutOfRangeException(nameof(endpoint), endpoint, "unknown endpoint");
        }
    });

    private static async Task<FeatureProbe> BogusTokenProbeAsync(ConformanceRun run, string url, string endpoint)
    {
        var client = run.Profile.Confidential;
        var exchange = await run.Http.PostFormAsync(url, [new("token", "bogus-" + Protocol.Random.Token(16))], $"probe: {endpoint} (bogus token)",
            new Duende.IdentityModel.Client.BasicAuthenticationOAuthHeaderValue(client.ClientId, client.ClientSecret ?? ""));
        return JudgeEndpoint(exchange, endpoint);
    }

    /// <summary>UserInfo called with a valid access token: claims with a sub (JSON) or a signed response (application/jwt) are its kind of answer.</summary>
    public static FeatureProbe JudgeUserInfo(HttpExchange exchange)
    {
        var said = $"userinfo with the reference login's access token: {exchange.Summary}";
        if (exchange.TransportError is not null) return FeatureProbe.Unclear(said);
        if (exchange.StatusCode is 404 or 501) return FeatureProbe.No(said);
        if (exchange.StatusCode == 200 && (exchange.ContentType ?? "").StartsWith("application/jwt", StringComparison.OrdinalIgnoreCase))
            return FeatureProbe.Yes(said + ", a signed UserInfo response");
        if (exchange.StatusCode == 200 && JsonBody.From(exchange).String("sub") is { Length: > 0 })
            return FeatureProbe.Yes(said + ", claims with a sub");
        return FeatureProbe.Unclear(said + ", no UserInfo claims (OIDC Core §5.3.2: a JSON object with sub)");
    }

    /// <summary>A fresh access token revoked: it worked, the revocation answered 200, and it stopped working.</summary>
    public static FeatureProbe JudgeRevocation(AccessRevocation r)
    {
        var said = $"revocation of a fresh access token: {r.Revoke.Summary}; before: {r.Before.Describe()}; after: {r.After.Describe()}";
        if (r.Revoke.TransportError is not null) return FeatureProbe.Unclear(said);
        if (r.Revoke.StatusCode is 404 or 501) return FeatureProbe.No(said);
        if (r.Revoke.StatusCode == 400 && JsonBody.From(r.Revoke).String("error") == "unsupported_token_type")
            return FeatureProbe.Yes(said + ", unsupported_token_type (RFC 7009 §2.2.1: the endpoint answered as a revocation endpoint)");
        if (r.Revoke.StatusCode == 200 && r.Before.Works == true && r.After.Works == false)
            return FeatureProbe.Yes(said + ": the revoked token stopped working");
        return FeatureProbe.Unclear(said + ": the token was not shown to stop working");
    }

    /// <summary>An RP-initiated logout with id_token_hint and post_logout_redirect_uri: the redirect to that URI is the endpoint working.</summary>
    public static FeatureProbe JudgeLogout(AuthorizationOutcome logout) => logout.End == AuthorizationEnd.Redirected
        ? FeatureProbe.Yes($"an RP-initiated logout with id_token_hint redirected to the post_logout_redirect_uri ({Http.Redactor.Redact(logout.FinalUrl)})")
        : FeatureProbe.Unclear($"an RP-initiated logout with id_token_hint and post_logout_redirect_uri did not redirect: {logout.Describe()}");

    /// <summary>
    /// A back-channel answer without real credentials or tokens (pure): 404/501 refutes the endpoint; an RFC 7662
    /// response (a boolean active) is the introspection endpoint's kind of answer; anything else, an HTTP 200 included,
    /// is undetermined.
    /// </summary>
    public static FeatureProbe JudgeEndpoint(HttpExchange exchange, string endpoint)
    {
        var said = $"{endpoint}: {exchange.Summary}";
        if (exchange.TransportError is not null) return FeatureProbe.Unclear(said);
        if (exchange.StatusCode is 404 or 501) return FeatureProbe.No(said);
        var body = JsonBody.From(exchange);
        if (endpoint == "introspection" && exchange.StatusCode == 200 && body.Get("active") is { ValueKind: System.Text.Json.JsonValueKind.True or System.Text.Json.JsonValueKind.False })
            return FeatureProbe.Yes(said + ", an introspection response (RFC 7662 §2.2)");
        return FeatureProbe.Unclear(said + (body.String("error") is { } e ? $", error '{e}'" : "") + ": not that endpoint's kind of answer");
    }

    /// <summary>Fetches each per-application document, its JWK Set, and logs in with its client for an ID token.</summary>
    public static Task<IReadOnlyList<AppDiscoveryArtifacts>> AppsAsync(ConformanceRun run, bool withLogin) =>
        run.SharedAsync(SharedArtifacts.ApplicationDiscoveries(withLogin), async () =>
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
