using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// Loopback redirect URIs that the client never registered (issue #19, blind spot 7). RFC 8252 §7.3 lets a native client's
/// registered loopback IP redirect URI vary in its port; it gives no provider a licence to accept any loopback URI for any
/// client (Casdoor 3.158.0 accepts every http://localhost… and http://127.0.0.1… URI: docs/casdoor.md A-20). Each case first
/// makes the unmutated request (the control): a refusal counts only when the registered redirect URI got its code.
/// </summary>
public static class LoopbackRedirectChecks
{
    public static readonly CheckDefinition UnregisteredLoopbackRejected = new("authz.redirect-uri-unregistered-loopback-rejected",
        "A loopback redirect_uri (localhost, 127.0.0.1, [::1]) whose path the client never registered is never redirected to and gets no code",
        "Authorization endpoint",
        [
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "redirect_uri MUST exactly match a registered one"),
            new(SpecDocument.Rfc6749, "3.1.2.4"),
            new(SpecDocument.Rfc6749, "4.1.2.1", "MUST NOT automatically redirect to an invalid redirection URI"),
            new(SpecDocument.Rfc8252, "7.3", "the port exception applies only to a registered loopback IP redirect URI"),
            new(SpecDocument.Rfc8252, "8.4", "the authorization server MUST NOT accept a redirect URI it cannot tie to the client"),
        ], RequirementLevel.Must);

    /// <summary>Loopback hosts of RFC 8252 §7.3 and §8.3 (localhost is NOT RECOMMENDED there, but clients use it).</summary>
    public static readonly string[] Cases = ["localhost", "127.0.0.1", "[::1]"];

    /// <summary>
    /// A port chosen so that nothing of the suite listens on it: a redirect there still shows up as a browser navigation
    /// carrying the code (the attempt records every request the browser makes, reachable or not).
    /// </summary>
    public const int UnusedPort = 51789;

    /// <summary>A path no profile registers, so that no §7.3 port or alias rule can make the URI a registered one.</summary>
    public const string UnregisteredPath = "/oidc-conformance-unregistered-loopback/callback";

    public static string UriFor(string host) => $"http://{host}:{UnusedPort}{UnregisteredPath}";

    /// <param name="case">The loopback host of the case.</param>
    /// <param name="control">The same request with the registered redirect URI, made right before.</param>
    /// <param name="attempt">The request with the unregistered loopback redirect URI.</param>
    public static CheckResult Evaluate(string @case, AuthorizationAttempt control, AuthorizationAttempt attempt, string forbiddenUri, string registeredUri)
    {
        var def = UnregisteredLoopbackRejected;
        if (control.Outcome.End != AuthorizationEnd.Redirected || string.IsNullOrEmpty(control.Outcome.Response?.Code))
            return def.NotApplicable($"the control attempt with the registered redirect URI got no code ({control.Outcome.Describe()}), so a refusal of {forbiddenUri} would prove nothing").WithCase(@case);
        var result = AuthorizationEndpointChecks.EvaluateNoRedirect(def, attempt, forbiddenUri, registeredUri);
        return (result with { Reason = $"{forbiddenUri} (control: the registered URI got a code): {result.Reason}" }).WithCase(@case);
    }
}
