using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

public sealed class TokenAndAuthorizationProofs : IFailureProofs, IPassProofs
{
    private static string RealToken => Recorded.Token.Exchange.ResponseBody;

    private static AuthorizationOutcome Redirect(params (string, string)[] query) =>
        new(AuthorizationEnd.Redirected, "/callback")
        {
            Response = new AuthorizationResponse(ResponseLocation.Query, query.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList(),
                new Uri("http://127.0.0.1:5555/callback")),
        };

    private static AuthorizationRequest Request(string state = "s-123")
    {
        var r = new AuthorizationRequest { Endpoint = "http://op.test/auth" };
        return r.Set("response_type", "code").Set("state", state);
    }

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(AuthorizationResponseChecks.CodeReturned, "error redirect", () =>
            AuthorizationResponseChecks.EvaluateCodeReturned(Redirect(("error", "server_error"), ("state", "s"))), "server_error");
        yield return new(AuthorizationResponseChecks.CodeReturned, "provider error page", () =>
            AuthorizationResponseChecks.EvaluateCodeReturned(new AuthorizationOutcome(AuthorizationEnd.ProviderError, "oops")), "error page");
        yield return new(AuthorizationResponseChecks.StateEchoed, "state dropped", () =>
            AuthorizationResponseChecks.EvaluateStateEchoed(Request(), Redirect(("code", "c")).Response), "state missing");
        yield return new(AuthorizationResponseChecks.StateEchoed, "state altered", () =>
            AuthorizationResponseChecks.EvaluateStateEchoed(Request("a b"), Redirect(("code", "c"), ("state", "a+b")).Response), "came back as");
        yield return new(AuthorizationResponseChecks.CodeInQuery, "code in fragment", () =>
            AuthorizationResponseChecks.EvaluateCodeInQuery(Request(), new AuthorizationResponse(ResponseLocation.Fragment,
                [new("code", "c")], new Uri("http://127.0.0.1/cb"))), "fragment");
        yield return new(AuthorizationResponseChecks.IssParameter, "iss differs", () =>
            AuthorizationResponseChecks.EvaluateIssParameter(Recorded.Discovery, Redirect(("code", "c"), ("iss", "http://evil.test")).Response, Recorded.Issuer), "differs");
        yield return new(AuthorizationResponseChecks.IssParameter, "advertised but absent", () =>
            AuthorizationResponseChecks.EvaluateIssParameter(Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o["authorization_response_iss_parameter_supported"] = true)),
                Redirect(("code", "c")).Response, Recorded.Issuer), "has no iss");

        yield return new(TokenResponseChecks.Success, "error with HTTP 200 (Casdoor #2964)", () =>
            TokenResponseChecks.EvaluateSuccess(Make.Token("{\"error\":\"invalid_client\",\"error_description\":\"invalid client_secret\"}")), "HTTP 200 but the body is an error");
        yield return new(TokenResponseChecks.Success, "HTML 500", () =>
            TokenResponseChecks.EvaluateSuccess(Make.Token("<html><title>oops</title></html>", 500)), "HTML instead of JSON");
        yield return new(TokenResponseChecks.Success, "truncated JSON", () =>
            TokenResponseChecks.EvaluateSuccess(Make.Token(RealToken[..40])), "malformed JSON");
        yield return new(TokenResponseChecks.AccessToken, "access_token missing", () =>
            TokenResponseChecks.EvaluateAccessToken(Make.Token(Make.Edit(RealToken, o => o.Remove("access_token")))), "missing");
        yield return new(TokenResponseChecks.AccessToken, "access_token a number", () =>
            TokenResponseChecks.EvaluateAccessToken(Make.Token(Make.Edit(RealToken, o => o["access_token"] = 42))), "Number");
        yield return new(TokenResponseChecks.TokenTypeBearer, "mac token", () =>
            TokenResponseChecks.EvaluateTokenType(Make.Token(Make.Edit(RealToken, o => o["token_type"] = "mac"))), "not Bearer");
        yield return new(TokenResponseChecks.TokenTypeBearer, "token_type missing", () =>
            TokenResponseChecks.EvaluateTokenType(Make.Token(Make.Edit(RealToken, o => o.Remove("token_type")))), "missing");
        yield return new(TokenResponseChecks.ExpiresInPresent, "no expires_in", () =>
            TokenResponseChecks.EvaluateExpiresInPresent(Make.Token(Make.Edit(RealToken, o => o.Remove("expires_in")))), "missing");
        yield return new(TokenResponseChecks.ExpiresInNumeric, "expires_in as string", () =>
            TokenResponseChecks.EvaluateExpiresInNumeric(Make.Token(Make.Edit(RealToken, o => o["expires_in"] = "3600"))), "string");
        yield return new(TokenResponseChecks.NoStore, "no Cache-Control", () =>
            TokenResponseChecks.EvaluateNoStore(Make.Token(RealToken)), "no Cache-Control");
        yield return new(TokenResponseChecks.NoStore, "Cache-Control: private", () =>
            TokenResponseChecks.EvaluateNoStore(Make.Token(RealToken, 200, ("Cache-Control", "private, max-age=60"))), "without no-store");
        yield return new(TokenResponseChecks.PragmaNoCache, "no Pragma", () =>
            TokenResponseChecks.EvaluatePragma(Make.Token(RealToken, 200, ("Cache-Control", "no-store"))), "no Pragma");
        yield return new(TokenResponseChecks.IdTokenIssued, "no id_token for openid", () =>
            TokenResponseChecks.EvaluateIdTokenIssued(Make.Token(Make.Edit(RealToken, o => o.Remove("id_token"))), "openid profile"), "missing");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        var t = Recorded.Token;
        yield return new(TokenResponseChecks.Success, "recorded", () => TokenResponseChecks.EvaluateSuccess(t));
        yield return new(TokenResponseChecks.AccessToken, "recorded", () => TokenResponseChecks.EvaluateAccessToken(t));
        yield return new(TokenResponseChecks.TokenTypeBearer, "recorded", () => TokenResponseChecks.EvaluateTokenType(t));
        yield return new(TokenResponseChecks.ExpiresInPresent, "recorded", () => TokenResponseChecks.EvaluateExpiresInPresent(t));
        yield return new(TokenResponseChecks.ExpiresInNumeric, "recorded", () => TokenResponseChecks.EvaluateExpiresInNumeric(t));
        yield return new(TokenResponseChecks.NoStore, "recorded", () => TokenResponseChecks.EvaluateNoStore(t));
        yield return new(TokenResponseChecks.IdTokenIssued, "recorded", () => TokenResponseChecks.EvaluateIdTokenIssued(t, "openid profile"));
        yield return new(AuthorizationResponseChecks.StateEchoed, "state with spaces", () =>
            AuthorizationResponseChecks.EvaluateStateEchoed(Request("a b/c"), Redirect(("code", "c"), ("state", "a b/c")).Response));
        yield return new(AuthorizationResponseChecks.CodeReturned, "code", () => AuthorizationResponseChecks.EvaluateCodeReturned(Redirect(("code", "c"))));
    }
}
