using OidcConformance.Http;

namespace OidcConformance.Checks;

/// <summary>
/// CORS for browser-based relying parties (issue #19, blind spot 5): a single-page app calls discovery, the JWK Set, the
/// token endpoint and UserInfo with fetch() from its own origin, and the browser only hands it the answer when the CORS
/// headers allow that origin (Fetch Standard §3.2 "CORS protocol", §4.9 "CORS check", §4.8 "CORS-preflight fetch").
///
/// Grade: neither OpenID Connect nor OAuth 2.0 mandates CORS, so every check here is SHOULD (a Warning, never Failed).
/// They run only when the profile declares a client's registered web origin (<c>clients.*.webOrigin</c>: the provider is
/// set up to serve that browser app); without one they are Inconclusive, since a provider that serves no browser app
/// owes no CORS answer. A declared origin that is not allowed is a Warning: every SPA of that provider breaks (the
/// browser reports a network error, the library an opaque "Failed to fetch"). What a browser accepts is judged by the
/// Fetch Standard itself: Access-Control-Allow-Origin must be the origin or <c>*</c> (for requests without credentials),
/// a preflight needs an ok status (2xx), and each non-safelisted request header must be listed in
/// Access-Control-Allow-Headers (<c>*</c> covers them only without credentials, and never covers Authorization).
/// </summary>
public static class CorsChecks
{
    private const string Area = "CORS";
    private const string Grade = "SHOULD: OIDC and OAuth 2.0 do not mandate CORS; a provider set up for a browser app (profile webOrigin) that " +
                                 "does not allow its origin breaks every single-page relying party";

    /// <summary>OAuth 2.0 for Browser-Based Applications: the token endpoint must support CORS for browser apps.</summary>
    private static readonly SpecReference BrowserApps = new(SpecDocument.OAuthBrowserBasedApps, "6.3.2", "the token endpoint must support CORS for browser apps");

    public static readonly CheckDefinition Preflight = new("cors.preflight-allows-request",
        "A CORS preflight (OPTIONS with Origin, Access-Control-Request-Method and the -Headers a client library sends) gets an ok status that allows the registered web origin, the method and every requested header",
        Area, [
            new(SpecDocument.FetchStandard, "4.8", "CORS-preflight fetch: ok status, Access-Control-Allow-Methods / -Headers, Authorization never covered by *"),
            new(SpecDocument.FetchStandard, "4.9", "CORS check"),
            BrowserApps,
        ],
        RequirementLevel.Should) {
            Note = Grade,
        };

    public static readonly CheckDefinition ResponseAllowsOrigin = new("cors.response-allows-origin",
        "A request with the registered web origin's Origin header is answered with Access-Control-Allow-Origin equal to that origin (or *), so the browser app can read the response (errors included)",
        Area, [
            new(SpecDocument.FetchStandard, "3.2.3", "Access-Control-Allow-Origin"),
            new(SpecDocument.FetchStandard, "4.9", "CORS check"),
            BrowserApps,
        ], RequirementLevel.Should) {
            Note = Grade,
        };

    public static readonly CheckDefinition NoWildcardWithCredentials = new("cors.no-wildcard-with-credentials",
        "No response answers Access-Control-Allow-Origin: * together with Access-Control-Allow-Credentials: true",
        Area, [
            new(SpecDocument.FetchStandard, "4.9", "CORS check: a request with credentials fails on *"),
            new(SpecDocument.FetchStandard, "3.2.3"),
        ],
        RequirementLevel.Should) {
            Note = "the combination allows no credentialed request at all and shows a CORS set-up that echoes no origin. SHOULD: requests without credentials (the default of fetch() across origins) still work",
        };

    /// <summary>Request headers that never need to be allowed (Fetch §2.2.2 CORS-safelisted request-header, for the values the suite sends).</summary>
    private static readonly HashSet<string> Safelisted = new(StringComparer.OrdinalIgnoreCase) { "accept", "accept-language", "content-language" };

    public static CheckResult EvaluatePreflight(string endpoint, HttpExchange? preflight, string origin, string method, IReadOnlyList<string> requestHeaders)
    {
        if (preflight is null) return Preflight.NotApplicable($"{endpoint}: no preflight sent").WithCase(endpoint);
        if (preflight.TransportError is not null) return Preflight.NotApplicable($"{endpoint}: the preflight got no response ({preflight.TransportError})").WithCase(endpoint);
        var problems = new List<string>();
        if (preflight.StatusCode is < 200 or > 299) problems.Add($"status {preflight.StatusCode} (Fetch §4.8 needs an ok status, 200-299)");
        var allowOrigin = preflight.Header("Access-Control-Allow-Origin");
        if (OriginProblem(allowOrigin, origin) is { } p) problems.Add(p);
        var allowMethods = List(preflight.Header("Access-Control-Allow-Methods"));
        if (method is not ("GET" or "HEAD" or "POST") && !allowMethods.Contains(method) && !allowMethods.Contains("*"))
            problems.Add($"method {method} is not in Access-Control-Allow-Methods ({preflight.Header("Access-Control-Allow-Methods") ?? "absent"})");
        var allowHeaders = List(preflight.Header("Access-Control-Allow-Headers"));
        var credentials = string.Equals(preflight.Header("Access-Control-Allow-Credentials"), "true", StringComparison.OrdinalIgnoreCase);
        foreach (var h in requestHeaders.Where(h => !Safelisted.Contains(h)))
        {
            var wildcard = allowHeaders.Contains("*") && !credentials && !h.Equals("authorization", StringComparison.OrdinalIgnoreCase);
            if (!allowHeaders.Contains(h) && !wildcard)
                problems.Add($"request header '{h}' is not allowed by Access-Control-Allow-Headers ({preflight.Header("Access-Control-Allow-Headers") ?? "absent"})"
                             + (h.Equals("authorization", StringComparison.OrdinalIgnoreCase) && allowHeaders.Contains("*") ? "; * never covers Authorization (Fetch §4.8)" : ""));
        }
        // "[dpop]" in brackets: the redactor takes "dpop <word>" for a DPoP proof and would hide the next word
        var asked = $"OPTIONS {endpoint} for {method}" + (requestHeaders.Count > 0 ? $" requesting headers [{string.Join(", ", requestHeaders)}]" : "");
        if (problems.Count > 0)
            return Preflight.Violation($"{asked} from {origin}: " + string.Join("; ", problems) + ": the browser refuses the request").WithCase(endpoint);
        return Preflight.Pass($"{asked} from {origin}: status {preflight.StatusCode}, Access-Control-Allow-Origin {allowOrigin}, " +
                              $"Allow-Headers {preflight.Header("Access-Control-Allow-Headers") ?? "(none needed)"}").WithCase(endpoint);
    }

    public static CheckResult EvaluateResponse(string endpoint, HttpExchange response, string origin)
    {
        if (response.TransportError is not null) return ResponseAllowsOrigin.NotApplicable($"{endpoint}: no response ({response.TransportError})").WithCase(endpoint);
        var allowOrigin = response.Header("Access-Control-Allow-Origin");
        var problem = OriginProblem(allowOrigin, origin);
        return ResponseAllowsOrigin.Require(problem is null,
            $"{response.Method} {endpoint} ({response.StatusCode}) from {origin}: {problem}: the browser app cannot read the response",
            $"{response.Method} {endpoint} ({response.StatusCode}) from {origin}: Access-Control-Allow-Origin {allowOrigin}").WithCase(endpoint);
    }

    public static CheckResult EvaluateNoWildcardWithCredentials(string endpoint, IReadOnlyList<HttpExchange> exchanges)
    {
        var answered = exchanges.Where(e => e.TransportError is null && e.Header("Access-Control-Allow-Origin") is not null).ToList();
        if (answered.Count == 0)
            return NoWildcardWithCredentials.NotApplicable($"{endpoint}: no response carried Access-Control-Allow-Origin: nothing to judge").WithCase(endpoint);
        var bad = answered.Where(e => e.Header("Access-Control-Allow-Origin")!.Trim() == "*"
                                      && string.Equals(e.Header("Access-Control-Allow-Credentials")?.Trim(), "true", StringComparison.OrdinalIgnoreCase)).ToList();
        if (bad.Count > 0)
            return NoWildcardWithCredentials.Violation($"{endpoint}: {string.Join(", ", bad.Select(e => $"{e.Method} ({e.StatusCode})"))} answered Access-Control-Allow-Origin: * " +
                                                       "with Access-Control-Allow-Credentials: true, which no browser accepts for a credentialed request").WithCase(endpoint);
        return NoWildcardWithCredentials.Pass($"{endpoint}: {string.Join(", ", answered.Select(e => $"{e.Method} → Allow-Origin {e.Header("Access-Control-Allow-Origin")}" +
                                                                                                 (e.Header("Access-Control-Allow-Credentials") is { } c ? $", Allow-Credentials {c}" : "")))}").WithCase(endpoint);
    }

    private static string? OriginProblem(string? allowOrigin, string origin)
    {
        if (allowOrigin is null) return "no Access-Control-Allow-Origin header";
        var v = allowOrigin.Trim();
        if (v == "*" || v == origin) return null;
        return v.Contains(',') ? $"Access-Control-Allow-Origin '{v}' lists several values (Fetch §3.2.3 allows one origin or *)"
                               : $"Access-Control-Allow-Origin '{v}' is not the registered web origin {origin}";
    }

    private static HashSet<string> List(string? header) =>
        (header ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.OrdinalIgnoreCase);
}
