namespace OidcConformance.Faults;

/// <summary>
/// One fault per negative family (issue #11, "no negative check can reach Passed from a navigation error, timeout, stall or
/// blank page"): the provider refuses the mutated request correctly, but its refusal never reaches the suite. In the
/// browser the refusal becomes a blank page (HTTP 200, the shell of a single-page app that did not boot: no redirect, no
/// error page, nothing the login driver knows). A refusal lost in the network (a dropped connection, a timeout, a gateway's 502/503/504,
/// in the browser or on the back channel) is not modelled here: the run reads it as an outage of the provider, and every
/// execution that met it is an Error, never a verdict (OutageFaults, ProviderOutageTests; tried with these refusals: the
/// token endpoint's dropped 4xx answers and the authorization endpoint's dropped error pages all became
/// "provider unreachable" Errors, none Passed). Control attempts (the same request without the mutation, which the provider grants) pass
/// through untouched. A negative check that read "no redirect" or "no token" as a refusal would stay Passed here; the
/// right verdict is Inconclusive with the cause. Every change such a fault makes must be Passed → Inconclusive (FaultTests).
/// </summary>
public static class EvidenceLossFaults
{
    /// <summary>
    /// A page that loads and shows nothing: the shell of a single-page app whose bundle did not run (a script, an empty root
    /// element, no form, no redirect). Not an empty document: glewlwyd answers some requests with a truly empty 200 document,
    /// which the authorizer reads as the provider's (contentless) error page; this shell is what a user sees when the page
    /// itself failed, the blank page of issue #11.
    /// </summary>
    private static ProxyResponse Blank()
    {
        var r = new ProxyResponse(200, System.Text.Encoding.UTF8.GetBytes(
            "<!doctype html><html><head><title>Sign in</title></head><body><div id=\"root\"></div><script>window.__appBooted = false;</script></body></html>"));
        r.SetHeader("Content-Type", "text/html; charset=utf-8");
        r.SetHeader("Cache-Control", "no-store");
        return r;
    }

    /// <summary>An error answer of the front channel: an error page (4xx/5xx), or a redirect / form_post carrying an OAuth error.</summary>
    private static bool IsFrontChannelRefusal(ProxyResponse r)
    {
        if (r.Status >= 400) return true;
        if (r.Status is >= 300 and < 400 && r.Header("Location") is { } location)
            return location.Contains("error=", StringComparison.Ordinal);
        // response_mode=form_post: the error travels in an auto-submitted form
        return r.Status == 200 && r.Header("Content-Type")?.Contains("html", StringComparison.OrdinalIgnoreCase) == true &&
               r.BodyText.Contains("name=\"error\"", StringComparison.Ordinal);
    }

    private const string SwallowedErrorPages = "a front end that swallows the provider's error pages (a single-page app whose error route fails to load)";

    /// <summary>The provider's refusals at <paramref name="endpoint"/> (and the pages below it) reach the browser as a blank page.</summary>
    private static Func<FaultContext, ProxyRequest, Func<ProxyRequest, Task<ProxyResponse>>, Task<ProxyResponse>> RefusalsBecomeBlank(Endpoint endpoint) =>
        async (c, q, next) =>
        {
            var r = await next(q);
            return c.IsUnder(q, endpoint) && IsFrontChannelRefusal(r) ? Blank() : r;
        };

    public static readonly IReadOnlyList<Fault> All =
    [
        new("authz-refusals-blank", "every refusal of the authorization endpoint (error page or error redirect) is replaced by a blank page",
            ["AuthorizationEndpoint", "Pkce"], [])
        {
            Source = SwallowedErrorPages,
            LosesEvidenceFor =
            [
                "authz.redirect-uri-near-miss-rejected", "authz.redirect-uri-unregistered-no-redirect", "authz.redirect-uri-unregistered-loopback-rejected",
                "authz.client-id-missing-no-redirect", "authz.client-id-unknown-no-redirect", "authz.response-type-missing-rejected",
                "authz.response-type-unknown-rejected", "authz.duplicate-parameters-rejected", "authz.error-response-state-echoed",
                "authz.prompt-none-login-required", "pkce.required-without-challenge-rejected", "pkce.unsupported-method-rejected",
                "pkce.downgrade-rejected",
            ],
            Around = RefusalsBecomeBlank(Endpoint.Authorization),
        },
        new("logout-refusals-blank", "every refusal of the end-session endpoint (error page or error redirect) is replaced by a blank page",
            ["Logout"], [])
        {
            Source = SwallowedErrorPages,
            LosesEvidenceFor =
            [
                "logout.unregistered-post-logout-uri-no-redirect", "logout.query-modified-post-logout-uri-no-redirect",
                "logout.tampered-id-token-hint-no-redirect",
            ],
            Around = RefusalsBecomeBlank(Endpoint.EndSession),
        },
    ];
}
