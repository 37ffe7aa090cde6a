using System.Net.Http.Headers;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>What a browser app's fetch() calls would send to one endpoint, and what came back.</summary>
/// <param name="Preflight">The OPTIONS request a browser sends first (null where a browser sends none, see <see cref="CorsFlow"/>).</param>
/// <param name="NoPreflightReason">Why no preflight was sent.</param>
public sealed record CorsProbe(string Endpoint, string Origin, string Method, IReadOnlyList<string> RequestHeaders,
    HttpExchange? Preflight, string? NoPreflightReason, HttpExchange Response)
{
    public IReadOnlyList<HttpExchange> Exchanges => Preflight is null ? [Response] : [Preflight, Response];
}

/// <summary>
/// The CORS requests of a single-page relying party (issue #19, blind spot 5), HTTP-level, from the profile's declared web
/// origin. What a browser sends follows the Fetch Standard and what oidc-client-ts (the common SPA library) does:
/// discovery and the JWK Set are plain GETs (no preflight: no non-safelisted header); the token request is a form POST
/// (Content-Type application/x-www-form-urlencoded is safelisted, so no preflight) unless the provider advertises DPoP,
/// whose DPoP header needs one; UserInfo is a GET with Authorization: Bearer, which always needs a preflight.
/// The token request redeems an invalid code on purpose: the error response must reach the app too (its JSON says why),
/// and a valid code would need a browser login for nothing the CORS answer depends on.
/// </summary>
public static class CorsFlow
{
    public static readonly string[] Endpoints = ["discovery", "jwks", "token", "userinfo"];

    /// <summary>The client whose web origin the checks use (the public client's first), or null when the profile declares none.</summary>
    public static ClientProfile? WebClient(ProviderProfile profile) =>
        profile.Public is { WebOrigin: not null } p ? p : profile.Clients.Values.FirstOrDefault(c => c.WebOrigin is not null);

    public static Task<CorsProbe> ProbeAsync(ConformanceRun run, string endpoint) => run.SharedAsync(SharedArtifacts.Cors(endpoint), async () =>
    {
        var client = WebClient(run.Profile) ?? throw new PrerequisiteException(
            "the profile declares no client webOrigin: the provider is not set up for a browser-based relying party, so no CORS answer is owed", endpoint);
        var origin = ConformanceRun.ExpandPlaceholders(client.WebOrigin!, run.Callback, run.Issuer).TrimEnd('/');
        var discovery = await run.DiscoveryAsync();
        var dpop = discovery.Body.Get("dpop_signing_alg_values_supported") is { ValueKind: System.Text.Json.JsonValueKind.Array } a && a.GetArrayLength() > 0;
        switch (endpoint)
        {
            case "discovery":
                return new CorsProbe(endpoint, origin, "GET", [], null, "a plain GET: browsers send no preflight",
                    await Send(run, HttpMethod.Get, run.DiscoveryUrl, origin, "cors: discovery GET"));
            case "jwks":
            {
                var url = await run.EndpointAsync("jwks_uri");
                return new CorsProbe(endpoint, origin, "GET", [], null, "a plain GET: browsers send no preflight",
                    await Send(run, HttpMethod.Get, url, origin, "cors: jwks GET"));
            }
            case "token":
            {
                var url = await run.EndpointAsync("token_endpoint");
                string[] headers = dpop ? ["dpop"] : [];
                var preflight = dpop ? await Preflight(run, url, origin, "POST", headers, "cors: token preflight") : null;
                var post = new HttpRequestMessage(HttpMethod.Post, url)
                {
                    Content = new FormUrlEncodedContent([
                        new("grant_type", "authorization_code"), new("code", "cors-probe-invalid-code-" + Protocol.Random.Token(8)),
                        new("redirect_uri", run.RedirectUri(client)), new("client_id", client.ClientId),
                        new("code_verifier", Protocol.Random.Token(32))]),
                };
                return new CorsProbe(endpoint, origin, "POST", headers, preflight,
                    dpop ? null : "a form POST without a non-safelisted header (the provider advertises no DPoP): browsers send no preflight",
                    await Send(run, post, origin, "cors: token POST (invalid code)"));
            }
            case "userinfo":
            {
                if (!run.Profile.Features.Userinfo) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)", endpoint);
                var url = await run.EndpointAsync("userinfo_endpoint");
                string[] headers = ["authorization"];
                var preflight = await Preflight(run, url, origin, "GET", headers, "cors: userinfo preflight");
                var flow = await CodeFlow.ReferenceWithLiveAccessTokenAsync(run);
                var token = flow.RequireSuccessfulToken().AccessToken ?? throw new PrerequisiteException("the reference login issued no access token", endpoint);
                var get = new HttpRequestMessage(HttpMethod.Get, url);
                get.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
                return new CorsProbe(endpoint, origin, "GET", headers, preflight, null, await Send(run, get, origin, "cors: userinfo GET"));
            }
            default: throw new ArgumentException($"unknown CORS endpoint {endpoint}", nameof(endpoint));
        }
    });

    private static Task<HttpExchange> Preflight(ConformanceRun run, string url, string origin, string method, IReadOnlyList<string> headers, string purpose)
    {
        var request = new HttpRequestMessage(HttpMethod.Options, url);
        request.Headers.TryAddWithoutValidation("Access-Control-Request-Method", method);
        if (headers.Count > 0) request.Headers.TryAddWithoutValidation("Access-Control-Request-Headers", string.Join(",", headers));
        request.Headers.Accept.ParseAdd("*/*");
        return Send(run, request, origin, purpose);
    }

    private static Task<HttpExchange> Send(ConformanceRun run, HttpMethod method, string url, string origin, string purpose) =>
        Send(run, new HttpRequestMessage(method, url), origin, purpose);

    private static Task<HttpExchange> Send(ConformanceRun run, HttpRequestMessage request, string origin, string purpose)
    {
        request.Headers.TryAddWithoutValidation("Origin", origin);
        return run.Http.SendAsync(request, purpose);
    }
}
