using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using static OidcConformance.Checks.LoopbackRedirectChecks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Unregistered loopback redirect URIs: the outcome Casdoor 3.158.0 produces (a code sent to http://localhost…, docs/casdoor.md
/// util/validation.go IsValidOrigin), a refusal after a successful control, and a refusal that proves nothing because
/// the control failed too.
/// </summary>
public sealed class LoopbackRedirectProofs : IFailureProofs, IPassProofs
{
    private const string Endpoint = "http://op.test/authorize";
    private const string Registered = "http://rp.oidc-conformance.test:47800/callback";

    private static AuthorizationAttempt Attempt(string redirect, AuthorizationOutcome outcome, params string[] browserUrls)
    {
        var request = new AuthorizationRequest { Endpoint = Endpoint }
            .Set("response_type", "code").Set("client_id", "c").Set("redirect_uri", redirect).Set("state", "st-1");
        return new(request, outcome, [ObservedRequest.From(request.ToUri().ToString(), "browser navigation"),
            .. browserUrls.Select(u => ObservedRequest.From(u, "browser navigation"))]);
    }

    private static AuthorizationOutcome Redirected(string url, params (string, string)[] p) =>
        new(AuthorizationEnd.Redirected, new Uri(url).AbsolutePath)
        {
            Response = new AuthorizationResponse(ResponseLocation.Query, p.Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2)).ToList(), new Uri(url)),
        };

    private static AuthorizationAttempt Control => Attempt(Registered, Redirected(Registered, ("code", "c0"), ("state", "st-1")));
    private static AuthorizationAttempt ErrorPage(string host) => Attempt(UriFor(host), new AuthorizationOutcome(AuthorizationEnd.ProviderError, "The redirect_uri is not registered"));

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(UnregisteredLoopbackRejected, "Casdoor-style: a code sent to http://localhost on an unregistered path", () =>
            Evaluate("localhost", Control, Attempt(UriFor("localhost"), new AuthorizationOutcome(AuthorizationEnd.Stalled, "net::ERR_CONNECTION_REFUSED"),
                UriFor("localhost") + "?code=abc&state=st-1"), UriFor("localhost"), Registered), "issued code");
        yield return new(UnregisteredLoopbackRejected, "an error redirected to the unregistered 127.0.0.1 URI", () =>
            Evaluate("127.0.0.1", Control, Attempt(UriFor("127.0.0.1"), new AuthorizationOutcome(AuthorizationEnd.Stalled, "net::ERR_CONNECTION_REFUSED"),
                UriFor("127.0.0.1") + "?error=invalid_request&state=st-1"), UriFor("127.0.0.1"), Registered), "MUST NOT redirect");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(UnregisteredLoopbackRejected, "an error page after a successful control", () =>
            Evaluate("[::1]", Control, ErrorPage("[::1]"), UriFor("[::1]"), Registered));
    }

    /// <summary>Not a proof of either kind: without a successful control the refusal is Inconclusive (checked by LoopbackRedirectControlTests).</summary>
    public static CheckResult RefusalWithFailedControl() =>
        Evaluate("localhost", Attempt(Registered, new AuthorizationOutcome(AuthorizationEnd.ProviderError, "client disabled")), ErrorPage("localhost"), UriFor("localhost"), Registered);
}
