using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

/// <summary>core.reference-flow: each step that can break names itself; the recorded real flow passes.</summary>
public sealed class CoreFlowProofs : IFailureProofs, IPassProofs
{
    private static AuthorizationOutcome Redirected(params KeyValuePair<string, string>[] parameters) =>
        new(AuthorizationEnd.Redirected, "/callback")
        {
            Response = new AuthorizationResponse(ResponseLocation.Query, parameters, new Uri("http://127.0.0.1:5555/callback")),
            CredentialsSubmitted = true,
        };

    private static readonly AuthorizationOutcome CodeReturned = Redirected(new("code", "c-1"), new("state", "s"));

    private static CheckResult Flow(DiscoveryDocument? discovery = null, JwksDocument? jwks = null, AuthorizationOutcome? login = null, TokenResponse? token = null) =>
        CoreFlowChecks.Evaluate(new CoreFlowEvidence(discovery ?? Recorded.Discovery, jwks ?? Recorded.Jwks, login ?? CodeReturned, token ?? Recorded.Token));

    public IEnumerable<FailureProof> Proofs()
    {
        var c = CoreFlowChecks.ReferenceFlow;
        yield return new(c, "discovery answers an HTML page", () =>
            Flow(discovery: Make.Discovery("<html>Sign in</html>", contentType: "text/html")), "core flow broken at discovery");
        yield return new(c, "the JWK Set is empty", () => Flow(jwks: Make.Jwks("""{"keys":[]}""")), "core flow broken at JWK Set");
        yield return new(c, "the login page is an error page", () =>
            Flow(login: new AuthorizationOutcome(AuthorizationEnd.ProviderError, "Internal Server Error")), "core flow broken at login");
        yield return new(c, "the authorization answers access_denied", () =>
            Flow(login: Redirected(new("error", "access_denied"), new("state", "s"))), "core flow broken at authorization");
        yield return new(c, "the code exchange fails with server_error", () =>
            Flow(token: Make.Token("""{"error":"server_error"}""", 500)), "core flow broken at code exchange");
        yield return new(c, "the code exchange returns no id_token", () =>
            Flow(token: Make.Token("""{"access_token":"a","token_type":"Bearer","expires_in":300}""")), "no id_token");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(CoreFlowChecks.ReferenceFlow, "recorded discovery, JWK Set and code exchange", () => Flow());
    }
}
