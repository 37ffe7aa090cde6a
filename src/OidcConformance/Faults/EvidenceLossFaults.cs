namespace OidcConformance.Faults;

/// <summary>
/// One fault per negative family (issue #11, "no negative check can reach Passed from a navigation error, timeout, stall or
/// blank page"): the provider refuses the mutated request correctly, but its refusal never reaches the suite — the proxy
/// drops the connection instead of passing the refusal on, so the browser sees a navigation error and the back channel a
/// transport error. Control attempts (the same request without the mutation, which the provider grants) pass through
/// untouched. A negative check that read "no redirect" or "no token" as a refusal would stay Passed here; the right verdict
/// is Inconclusive with the cause. Every change such a fault makes must be Passed → Inconclusive (FaultTests).
/// </summary>
public static class EvidenceLossFaults
{
    private static ProxyResponse Dropped() => new(0, []) { AbortConnection = true };

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

    public static readonly IReadOnlyList<Fault> All =
    [
        new("authz-refusals-lost", "every refusal of the authorization endpoint (error page or error redirect) is lost: the browser's connection drops instead",
            ["AuthorizationEndpoint", "Pkce"], [])
        {
            Source = "a reverse proxy or load balancer that resets connections on upstream 4xx pages, or a network failure at that moment",
            LosesEvidenceFor =
            [
                "authz.redirect-uri-near-miss-rejected", "authz.redirect-uri-unregistered-no-redirect", "authz.client-id-missing-no-redirect",
                "authz.client-id-unknown-no-redirect", "authz.response-type-missing-rejected", "authz.response-type-unknown-rejected",
                "authz.error-response-state-echoed", "authz.prompt-none-login-required", "pkce.required-without-challenge-rejected",
                "pkce.unsupported-method-rejected",
            ],
            Around = async (c, q, next) =>
            {
                var r = await next(q);
                return c.IsUnder(q, Endpoint.Authorization) && IsFrontChannelRefusal(r) ? Dropped() : r;
            },
        },
        new("token-refusals-lost", "every error answer of the token endpoint is lost: the connection drops instead of the 4xx answer",
            ["Pkce", "TokenEndpoint"], [])
        {
            Source = "a provider behind a proxy that drops upstream errors, or a network failure at that moment",
            LosesEvidenceFor =
            [
                "pkce.invalid-verifier-rejected", "pkce.downgrade-rejected", "pkce.verifier-format-enforced", "token.code-bound-to-client",
                "token.code-bound-to-redirect-uri", "token.code-single-use", "token.invalid-client", "token.invalid-code",
                "token.unsupported-grant-type", "token.missing-grant-type",
            ],
            Around = async (c, q, next) =>
            {
                var r = await next(q);
                return c.Is(q, Endpoint.Token) && r.Status >= 400 ? Dropped() : r;
            },
        },
        new("logout-refusals-lost", "every refusal of the end-session endpoint (error page or error redirect) is lost: the browser's connection drops instead",
            ["Logout"], [])
        {
            Source = "a reverse proxy that resets connections on upstream 4xx pages, or a network failure at that moment",
            LosesEvidenceFor =
            [
                "logout.unregistered-post-logout-uri-no-redirect", "logout.query-modified-post-logout-uri-no-redirect",
                "logout.tampered-id-token-hint-no-redirect",
            ],
            Around = async (c, q, next) =>
            {
                var r = await next(q);
                return c.IsUnder(q, Endpoint.EndSession) && IsFrontChannelRefusal(r) ? Dropped() : r;
            },
        },
    ];
}
