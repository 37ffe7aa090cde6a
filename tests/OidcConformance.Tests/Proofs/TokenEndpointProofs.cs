using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Token endpoint responses recorded from the embedded node-oidc-provider (Recorded/node-oidc-provider/token-endpoint.json,
/// the exchanges of the TokenEndpoint suite whose purpose starts with "token-endpoint: ").
/// </summary>
internal static class RecordedTokenEndpoint
{
    private static readonly Lazy<List<JsonElement>> exchanges = new(() =>
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Recorded", "node-oidc-provider", "token-endpoint.json");
        return JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray().Select(e => e.Clone()).ToList();
    });

    public static HttpExchange Exchange(string scenario)
    {
        var purpose = TokenEndpointFlows.Purpose + scenario;
        var e = exchanges.Value.FirstOrDefault(x => x.GetProperty("purpose").GetString() == purpose);
        if (e.ValueKind == JsonValueKind.Undefined) throw new InvalidOperationException($"no recorded exchange '{purpose}'");
        var headers = e.GetProperty("headers");
        return Make.Exchange(e.GetProperty("status").GetInt32(), e.GetProperty("body").GetString()!,
            headers.TryGetProperty("Content-Type", out var ct) ? ct.GetString()! : "", e.GetProperty("url").GetString()!, "POST",
            headers.EnumerateObject().Where(h => h.Name != "Content-Type").Select(h => (h.Name, h.Value.GetString()!)).ToArray());
    }

    public static TokenResponse Token(string scenario)
    {
        var x = Exchange(scenario);
        return new TokenResponse(x, JsonBody.From(x));
    }

    public static TokenResponse ClientCredentials => Token("client_credentials (client_secret_basic)");
    public static string ClientCredentialsJson => ClientCredentials.Exchange.ResponseBody;
}

public sealed class TokenEndpointProofs : IFailureProofs, IPassProofs
{
    private static TokenResponse R(string scenario) => RecordedTokenEndpoint.Token(scenario);
    private static TokenResponse Cc => RecordedTokenEndpoint.ClientCredentials;
    private static string CcJson => RecordedTokenEndpoint.ClientCredentialsJson;
    private static TokenResponse Error(string code, int status = 400, params (string, string)[] headers) =>
        Make.Token($"{{\"error\":\"{code}\",\"error_description\":\"test\"}}", status, headers);

    private static TokenProbe Probe(TokenProbeMethod method, int status, string body, string which = "access token") =>
        new(which, method, Make.Exchange(status, body, method: "POST"));

    public IEnumerable<FailureProof> Proofs()
    {
        // client authentication accepted
        yield return new(TokenEndpointChecks.ClientAuthMethod, "registered method refused (invalid_client)", () =>
            TokenEndpointChecks.EvaluateClientAuthMethod(R(TokenEndpointFlows.WrongSecretPost), "client_secret_post", "client_credentials"), "did not accept client_secret_post");
        yield return new(TokenEndpointChecks.ClientAuthMethod, "HTML 500", () =>
            TokenEndpointChecks.EvaluateClientAuthMethod(Make.Token("<html><title>Error</title></html>", 500), "client_secret_basic", "authorization_code"),
            "not answered with tokens");

        // invalid_client
        yield return new(TokenEndpointChecks.InvalidClient, "wrong secret accepted", () =>
            TokenEndpointChecks.EvaluateInvalidClient(Cc), "tokens were issued");
        yield return new(TokenEndpointChecks.InvalidClient, "wrong error code", () =>
            TokenEndpointChecks.EvaluateInvalidClient(Error("invalid_request")), "expected error 'invalid_client'");
        yield return new(TokenEndpointChecks.InvalidClient, "invalid_client with HTTP 200 (Casdoor #2964)", () =>
            TokenEndpointChecks.EvaluateInvalidClient(Error("invalid_client", 200)), "allows 400 or 401");
        yield return new(TokenEndpointChecks.InvalidClient, "HTML 403 page", () =>
            TokenEndpointChecks.EvaluateInvalidClient(Make.Token("<html><title>Forbidden</title></html>", 403)), "no error code");

        // Basic → 401 + WWW-Authenticate
        yield return new(TokenEndpointChecks.InvalidClientBasic, "400 to failed Basic authentication", () =>
            TokenEndpointChecks.EvaluateInvalidClientBasic(Error("invalid_client")), "requires 401");
        yield return new(TokenEndpointChecks.InvalidClientBasic, "401 without WWW-Authenticate", () =>
            TokenEndpointChecks.EvaluateInvalidClientBasic(R(TokenEndpointFlows.WrongSecretPost)), "without a WWW-Authenticate");
        yield return new(TokenEndpointChecks.InvalidClientBasic, "401 with a Bearer challenge only", () =>
            TokenEndpointChecks.EvaluateInvalidClientBasic(Error("invalid_client", 401, ("WWW-Authenticate", "Bearer realm=\"op\""))), "without a challenge for the scheme");
        yield return new(TokenEndpointChecks.InvalidClientBasic, "wrong secret accepted", () =>
            TokenEndpointChecks.EvaluateInvalidClientBasic(Cc), "tokens were issued");

        // error format
        yield return new(TokenEndpointChecks.ErrorResponse, "error with HTTP 200 (Casdoor #2964)", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Error("invalid_grant", 200)), "HTTP 200 for a refused request");
        yield return new(TokenEndpointChecks.ErrorResponse, "HTML error page", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Make.Token("<html><title>Bad Request</title></html>", 400)), "HTML instead of JSON");
        yield return new(TokenEndpointChecks.ErrorResponse, "JSON as text/plain", () =>
        {
            var x = Make.Exchange(400, "{\"error\":\"invalid_grant\"}", "text/plain", "http://op.test/token", "POST");
            return TokenEndpointChecks.EvaluateErrorResponse(new TokenResponse(x, JsonBody.From(x)));
        }, "Content-Type is 'text/plain'");
        yield return new(TokenEndpointChecks.ErrorResponse, "no error member", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Make.Token("{\"message\":\"bad code\"}", 400)), "no error member");
        yield return new(TokenEndpointChecks.ErrorResponse, "error as an object", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Make.Token("{\"error\":{\"code\":\"invalid_grant\"}}", 400)), "not a string");
        yield return new(TokenEndpointChecks.ErrorResponse, "error with a double quote", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Make.Token("{\"error\":\"invalid \\\"grant\\\"\"}", 400)), "syntax");
        yield return new(TokenEndpointChecks.ErrorResponse, "invalid_grant with 401", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Error("invalid_grant", 401)), "requires 400");
        yield return new(TokenEndpointChecks.ErrorResponse, "invalid_client with 403", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Error("invalid_client", 403)), "expected 400 or 401");
        yield return new(TokenEndpointChecks.ErrorResponse, "error_description as a number", () =>
            TokenEndpointChecks.EvaluateErrorResponse(Make.Token("{\"error\":\"invalid_grant\",\"error_description\":7}", 400)), "error_description");

        // code binding
        yield return new(TokenEndpointChecks.CodeSingleUse, "second redemption issues tokens", () =>
            TokenEndpointChecks.EvaluateCodeSingleUse(Recorded.Token, Recorded.Token), "was accepted");
        yield return new(TokenEndpointChecks.CodeSingleUse, "second redemption refused with invalid_request", () =>
            TokenEndpointChecks.EvaluateCodeSingleUse(Recorded.Token, Error("invalid_request")), "expected 'invalid_grant'");
        yield return new(TokenEndpointChecks.CodeReuseRevokes, "access token still active (introspection)", () =>
            TokenEndpointChecks.EvaluateCodeReuseRevokes(R(TokenEndpointFlows.CodeRedeemedTwice),
                Probe(TokenProbeMethod.Introspection, 200, "{\"active\":true,\"client_id\":\"conf-client\"}")), "still active");
        yield return new(TokenEndpointChecks.CodeReuseRevokes, "access token still works at UserInfo", () =>
            TokenEndpointChecks.EvaluateCodeReuseRevokes(R(TokenEndpointFlows.CodeRedeemedTwice),
                new TokenProbe("access token", TokenProbeMethod.UserInfo, Recorded.UserInfo)), "still answers 200");
        yield return new(TokenEndpointChecks.CodeReuseRevokes, "refresh token still refreshes", () =>
            TokenEndpointChecks.EvaluateCodeReuseRevokes(R(TokenEndpointFlows.CodeRedeemedTwice),
                new TokenProbe("refresh token", TokenProbeMethod.Refresh, Recorded.Token.Exchange)), "still obtains new tokens");
        yield return new(TokenEndpointChecks.CodeBoundToClient, "another client's code redeemed", () =>
            TokenEndpointChecks.EvaluateCodeBoundToClient(Recorded.Token), "was accepted");
        yield return new(TokenEndpointChecks.CodeBoundToClient, "refused as invalid_client", () =>
            TokenEndpointChecks.EvaluateCodeBoundToClient(Error("invalid_client", 401)), "expected 'invalid_grant'");
        yield return new(TokenEndpointChecks.CodeBoundToRedirectUri, "different redirect_uri accepted", () =>
            TokenEndpointChecks.EvaluateRedirectUriDiffers(Recorded.Token), "was accepted");
        yield return new(TokenEndpointChecks.CodeBoundToRedirectUri, "omitted redirect_uri accepted with several registered", () =>
            TokenEndpointChecks.EvaluateRedirectUriOmitted(R(TokenEndpointFlows.RedirectUriOmitted), singleRegisteredRedirectUri: false), "was accepted");

        // error codes
        yield return new(TokenEndpointChecks.InvalidCode, "unknown code → invalid_request", () =>
            TokenEndpointChecks.EvaluateInvalidCode(Error("invalid_request")), "expected 'invalid_grant'");
        yield return new(TokenEndpointChecks.InvalidCode, "unknown code → 500 without error", () =>
            TokenEndpointChecks.EvaluateInvalidCode(Make.Token("{}", 500)), "without an error code");
        yield return new(TokenEndpointChecks.UnsupportedGrantType, "unknown grant → invalid_request", () =>
            TokenEndpointChecks.EvaluateUnsupportedGrantType(Error("invalid_request")), "expected 'unsupported_grant_type'");
        yield return new(TokenEndpointChecks.UnauthorizedClient, "recorded: node-oidc-provider answers invalid_request", () =>
            TokenEndpointChecks.EvaluateUnauthorizedClient(R(TokenEndpointFlows.UnregisteredGrantType), "client_credentials"), "expected 'unauthorized_client'");
        yield return new(TokenEndpointChecks.UnauthorizedClient, "unregistered grant honoured", () =>
            TokenEndpointChecks.EvaluateUnauthorizedClient(Cc, "client_credentials"), "was accepted");
        yield return new(TokenEndpointChecks.MissingGrantType, "missing grant_type → unsupported_grant_type", () =>
            TokenEndpointChecks.EvaluateMissingGrantType(Error("unsupported_grant_type")), "expected 'invalid_request'");
        yield return new(TokenEndpointChecks.PostOnly, "GET issues a token", () =>
            TokenEndpointChecks.EvaluatePostOnly(Cc), "issued an access token");

        // client credentials
        yield return new(ClientCredentialsChecks.NoRefreshToken, "refresh token issued", () =>
            ClientCredentialsChecks.EvaluateNoRefreshToken(Make.Token(Make.Edit(CcJson, o => o["refresh_token"] = "rt-123456789"))), "includes a refresh_token");
        yield return new(ClientCredentialsChecks.NoIdToken, "id_token issued", () =>
            ClientCredentialsChecks.EvaluateNoIdToken(Make.Token(Make.Edit(CcJson, o => o["id_token"] = "eyJhbGciOiJub25lIn0.e30."))), "includes an id_token");
        yield return new(ClientCredentialsChecks.ScopeReported, "scope omitted although narrowed", () =>
            ClientCredentialsChecks.EvaluateScopeReported(Make.Token(Make.Edit(CcJson, o => o.Remove("scope"))), "api:read api:write", "api:read"),
            "introspection reports 'api:read'");
        yield return new(ClientCredentialsChecks.ScopeReported, "scope as a JSON array", () =>
            ClientCredentialsChecks.EvaluateScopeReported(Make.Token(Make.Edit(CcJson, o => o["scope"] = new JsonArray("api:read"))), "api:read", null),
            "not a space-delimited string");

        // password grant
        yield return new(PasswordGrantChecks.Success, "valid credentials refused", () =>
            PasswordGrantChecks.EvaluateSuccess(Error("invalid_grant")), "not answered with tokens");
        yield return new(PasswordGrantChecks.WrongPassword, "wrong password accepted", () =>
            PasswordGrantChecks.EvaluateWrongPassword(Cc), "was accepted");
        yield return new(PasswordGrantChecks.WrongPassword, "wrong password → invalid_client", () =>
            PasswordGrantChecks.EvaluateWrongPassword(Error("invalid_client", 401)), "expected 'invalid_grant'");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(TokenEndpointChecks.ClientAuthMethod, "recorded client_credentials, basic", () =>
            TokenEndpointChecks.EvaluateClientAuthMethod(Cc, "client_secret_basic", "client_credentials"));
        yield return new(TokenEndpointChecks.ClientAuthMethod, "recorded client_credentials, post", () =>
            TokenEndpointChecks.EvaluateClientAuthMethod(R("client_credentials (client_secret_post)"), "client_secret_post", "client_credentials"));
        yield return new(TokenEndpointChecks.ClientAuthMethod, "recorded authorization_code, basic", () =>
            TokenEndpointChecks.EvaluateClientAuthMethod(Recorded.Token, "client_secret_basic", "authorization_code"));

        foreach (var name in new[] { TokenEndpointFlows.WrongSecretBasic, TokenEndpointFlows.WrongSecretPost, TokenEndpointFlows.UnknownClientBasic,
                     TokenEndpointFlows.UnknownClientPost, TokenEndpointFlows.NoClientAuthentication })
            yield return new(TokenEndpointChecks.InvalidClient, $"recorded {name}", () => TokenEndpointChecks.EvaluateInvalidClient(R(name)));
        foreach (var name in new[] { TokenEndpointFlows.WrongSecretBasic, TokenEndpointFlows.UnknownClientBasic })
            yield return new(TokenEndpointChecks.InvalidClientBasic, $"recorded {name}", () => TokenEndpointChecks.EvaluateInvalidClientBasic(R(name)));
        yield return new(TokenEndpointChecks.InvalidClientBasic, "several challenges, Basic second", () =>
            TokenEndpointChecks.EvaluateInvalidClientBasic(Error("invalid_client", 401, ("WWW-Authenticate", "Bearer realm=\"op\", basic realm=\"op\""))));

        foreach (var name in TokenEndpointFlows.RefusedRequests.Where(n => n is not (TokenEndpointFlows.RedirectUriOmitted or TokenEndpointFlows.WrongPassword)))
            yield return new(TokenEndpointChecks.ErrorResponse, $"recorded {name}", () => TokenEndpointChecks.EvaluateErrorResponse(R(name)));

        yield return new(TokenEndpointChecks.CodeSingleUse, "recorded", () =>
            TokenEndpointChecks.EvaluateCodeSingleUse(Recorded.Token, R(TokenEndpointFlows.CodeRedeemedTwice)));
        foreach (var which in new[] { "access token", "refresh token" })
            yield return new(TokenEndpointChecks.CodeReuseRevokes, $"recorded introspection of the {which}", () =>
                TokenEndpointChecks.EvaluateCodeReuseRevokes(R(TokenEndpointFlows.CodeRedeemedTwice),
                    new TokenProbe(which, TokenProbeMethod.Introspection, RecordedTokenEndpoint.Exchange($"introspect the first {which} after code reuse"))));
        yield return new(TokenEndpointChecks.CodeReuseRevokes, "UserInfo 401", () =>
            TokenEndpointChecks.EvaluateCodeReuseRevokes(R(TokenEndpointFlows.CodeRedeemedTwice),
                Probe(TokenProbeMethod.UserInfo, 401, "{\"error\":\"invalid_token\"}")));
        yield return new(TokenEndpointChecks.CodeBoundToClient, "recorded", () =>
            TokenEndpointChecks.EvaluateCodeBoundToClient(R(TokenEndpointFlows.OtherClientsCode)));
        yield return new(TokenEndpointChecks.CodeBoundToRedirectUri, "recorded different", () =>
            TokenEndpointChecks.EvaluateRedirectUriDiffers(R(TokenEndpointFlows.RedirectUriDiffers)));
        yield return new(TokenEndpointChecks.CodeBoundToRedirectUri, "recorded omitted, single registered URI", () =>
            TokenEndpointChecks.EvaluateRedirectUriOmitted(R(TokenEndpointFlows.RedirectUriOmitted), singleRegisteredRedirectUri: true));
        yield return new(TokenEndpointChecks.CodeBoundToRedirectUri, "omitted, refused with invalid_request", () =>
            TokenEndpointChecks.EvaluateRedirectUriOmitted(Error("invalid_request"), singleRegisteredRedirectUri: false));

        yield return new(TokenEndpointChecks.InvalidCode, "recorded", () => TokenEndpointChecks.EvaluateInvalidCode(R(TokenEndpointFlows.UnknownCode)));
        yield return new(TokenEndpointChecks.UnsupportedGrantType, "recorded", () =>
            TokenEndpointChecks.EvaluateUnsupportedGrantType(R(TokenEndpointFlows.UnknownGrantType)));
        yield return new(TokenEndpointChecks.UnauthorizedClient, "unauthorized_client", () =>
            TokenEndpointChecks.EvaluateUnauthorizedClient(Error("unauthorized_client"), "client_credentials"));
        yield return new(TokenEndpointChecks.MissingGrantType, "recorded", () =>
            TokenEndpointChecks.EvaluateMissingGrantType(R(TokenEndpointFlows.NoGrantType)));
        yield return new(TokenEndpointChecks.PostOnly, "recorded GET → 404", () =>
            TokenEndpointChecks.EvaluatePostOnly(R("GET with the request in the URL")));

        yield return new(ClientCredentialsChecks.NoRefreshToken, "recorded", () => ClientCredentialsChecks.EvaluateNoRefreshToken(Cc));
        yield return new(ClientCredentialsChecks.NoIdToken, "recorded", () => ClientCredentialsChecks.EvaluateNoIdToken(Cc));
        yield return new(ClientCredentialsChecks.ScopeReported, "recorded", () => ClientCredentialsChecks.EvaluateScopeReported(Cc, "api:read", null));
        yield return new(ClientCredentialsChecks.ScopeReported, "omitted, introspection confirms", () =>
        {
            var introspected = JsonBody.From(RecordedTokenEndpoint.Exchange("introspect the client_credentials token")).String("scope");
            return ClientCredentialsChecks.EvaluateScopeReported(Make.Token(Make.Edit(CcJson, o => o.Remove("scope"))), "api:read", introspected);
        });
        foreach (var (check, eval) in new (CheckDefinition, Func<TokenResponse, CheckResult>)[]
                 {
                     (TokenResponseChecks.Success, TokenResponseChecks.EvaluateSuccess), (TokenResponseChecks.TokenTypeBearer, TokenResponseChecks.EvaluateTokenType),
                     (TokenResponseChecks.ExpiresInPresent, TokenResponseChecks.EvaluateExpiresInPresent),
                     (TokenResponseChecks.ExpiresInNumeric, TokenResponseChecks.EvaluateExpiresInNumeric), (TokenResponseChecks.NoStore, TokenResponseChecks.EvaluateNoStore),
                 })
            yield return new(check, "recorded client_credentials", () => eval(Cc));

        yield return new(PasswordGrantChecks.Success, "token response", () => PasswordGrantChecks.EvaluateSuccess(Recorded.Token));
        yield return new(PasswordGrantChecks.WrongPassword, "invalid_grant", () => PasswordGrantChecks.EvaluateWrongPassword(Error("invalid_grant")));
    }
}
