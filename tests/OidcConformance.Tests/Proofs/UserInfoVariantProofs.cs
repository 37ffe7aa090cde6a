using System.Text.Json;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

public sealed class UserInfoVariantProofs : IFailureProofs, IPassProofs
{
    private static string RealUserInfo => Recorded.UserInfo.ResponseBody;

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> AliceTable =>
        ProfileLoader.Load(Path.Combine(Run.RunSettings.FindRepositoryRoot(AppContext.BaseDirectory), "fixtures/providers/node-oidc-provider/profile.json"))
            .PrimaryUser.Claims;

    private static JsonBody Body(string json) => JsonBody.Parse(json);

    private const string AllScopes = "openid profile email address phone";

    private static Http.HttpExchange Error(int status, string? wwwAuthenticate, string body = "{\"error\":\"invalid_token\"}") =>
        wwwAuthenticate is null ? Make.Exchange(status, body) : Make.Exchange(status, body, headers: ("WWW-Authenticate", wwwAuthenticate));

    private static string OnlySub => "{\"sub\":\"alice\"}";

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(UserInfoVariantChecks.PostBearerHeader, "GET-only endpoint (Casdoor router: 405)", () =>
            UserInfoVariantChecks.EvaluatePostBearerHeader(Make.Exchange(405, "", "text/plain", method: "POST"), "alice"), "expected 200");
        yield return new(UserInfoVariantChecks.PostBearerHeader, "POST answered with an HTML page", () =>
            UserInfoVariantChecks.EvaluatePostBearerHeader(Make.Exchange(200, "<html><title>Login</title></html>", "text/html", method: "POST"), "alice"), "HTML instead of JSON");
        yield return new(UserInfoVariantChecks.PostBearerHeader, "POST returns another user", () =>
            UserInfoVariantChecks.EvaluatePostBearerHeader(Make.Exchange(200, "{\"sub\":\"bob\"}", method: "POST"), "alice"), "differs");
        yield return new(UserInfoVariantChecks.PostFormBody, "form body token ignored: 401", () =>
            UserInfoVariantChecks.EvaluatePostFormBody(Error(401, "Bearer realm=\"op\""), "alice"), "expected 200");
        yield return new(UserInfoVariantChecks.PostFormBody, "no sub in the answer", () =>
            UserInfoVariantChecks.EvaluatePostFormBody(Make.Exchange(200, "{\"status\":\"ok\",\"data\":{}}", method: "POST"), "alice"), "no string sub");

        yield return new(UserInfoVariantChecks.NoTokenChallenge, "200 without a token", () =>
            UserInfoVariantChecks.EvaluateNoTokenChallenge(Make.Exchange(200, OnlySub)), "answered with success");
        yield return new(UserInfoVariantChecks.NoTokenChallenge, "401 without WWW-Authenticate", () =>
            UserInfoVariantChecks.EvaluateNoTokenChallenge(Error(401, null)), "requires a WWW-Authenticate");
        yield return new(UserInfoVariantChecks.NoTokenChallenge, "302 to a login page", () =>
            UserInfoVariantChecks.EvaluateNoTokenChallenge(Make.Exchange(302, "", "text/html", headers: ("Location", "/login"))), "expected 401");
        yield return new(UserInfoVariantChecks.NoTokenChallenge, "Basic challenge only", () =>
            UserInfoVariantChecks.EvaluateNoTokenChallenge(Error(401, "Basic realm=\"op\"")), "no Bearer-scheme challenge");
        yield return new(UserInfoVariantChecks.NoTokenNoErrorCode, "error code without any authentication", () =>
            UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(Error(401, "Bearer realm=\"op\", error=\"invalid_token\", error_description=\"no token\"")), "error=\"invalid_token\"");
        yield return new(UserInfoVariantChecks.NoTokenNoErrorCode, "400 invalid_request", () =>
            UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(Error(400, "Bearer", "{}")), "expected 401");
        // Issue #11 class 6: these two were Inconclusive before ("no Bearer-scheme challenge to inspect", "the request succeeded").
        yield return new(UserInfoVariantChecks.NoTokenNoErrorCode, "error code in the body, no challenge", () =>
            UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(Error(400, null, "{\"error\":\"invalid_request\"}")), "the body has error");
        yield return new(UserInfoVariantChecks.NoTokenNoErrorCode, "error code in a 200 body", () =>
            UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(Make.Exchange(200, "{\"error\":\"unauthorized\"}")), "status is a success");
        yield return new(UserInfoVariantChecks.NoTokenNoErrorCode, "Casdoor's 200 error envelope (recorded)", () =>
            UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(Make.Exchange(200, "{\"status\":\"error\",\"msg\":\"Access token doesn't exist\",\"data\":null}")), "status is a success");
        yield return new(UserInfoVariantChecks.InvalidTokenErrorCode, "error answered with 200", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenErrorCode(Make.Exchange(200, "{\"error\":\"invalid_token\"}"), "random-string"), "success status");

        yield return new(UserInfoVariantChecks.InvalidTokenChallenge, "garbage token accepted", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenChallenge(Make.Exchange(200, RealUserInfo), "random-string"), "was accepted");
        yield return new(UserInfoVariantChecks.InvalidTokenChallenge, "401 without challenge", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenChallenge(Error(401, null), "random-string"), "requires a WWW-Authenticate");
        yield return new(UserInfoVariantChecks.InvalidTokenChallenge, "500 on a garbage token", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenChallenge(Make.Exchange(500, "oops", "text/plain"), "random-string"), "expected 401");
        yield return new(UserInfoVariantChecks.InvalidTokenErrorCode, "invalid_request instead of invalid_token", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenErrorCode(Error(401, "Bearer realm=\"op\", error=\"invalid_request\""), "random-string"), "instead of invalid_token");
        yield return new(UserInfoVariantChecks.InvalidTokenErrorCode, "400 with invalid_token", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenErrorCode(Error(400, "Bearer error=\"invalid_token\""), "random-string"), "instead of 401");
        yield return new(UserInfoVariantChecks.InvalidTokenErrorCode, "challenge without error attribute", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenErrorCode(Error(401, "Bearer realm=\"op\""), "modified-valid-token"), "no error attribute");

        yield return new(UserInfoVariantChecks.MatrixGrantedClaims, "email missing with openid+email", () =>
            UserInfoVariantChecks.EvaluateMatrixGrantedClaims("openid+email", Body(OnlySub), "openid email", AliceTable), "email missing");
        yield return new(UserInfoVariantChecks.MatrixGrantedClaims, "updated_at as a string", () =>
            UserInfoVariantChecks.EvaluateMatrixGrantedClaims("all", Body(Make.Edit(RealUserInfo, o => o["updated_at"] = "1700000000")), AllScopes, AliceTable),
            "updated_at is a JSON string (\"1700000000\"), §5.1 defines a JSON number");
        yield return new(UserInfoVariantChecks.MatrixNoUngrantedClaims, "all claims returned for openid only", () =>
            UserInfoVariantChecks.EvaluateMatrixNoUngrantedClaims("openid", Body(RealUserInfo), "openid"), "email (scope email)");
        yield return new(UserInfoVariantChecks.MatrixNoUngrantedClaims, "phone number leaks into openid+email", () =>
            UserInfoVariantChecks.EvaluateMatrixNoUngrantedClaims("openid+email",
                Body("{\"sub\":\"alice\",\"email\":\"alice@example.com\",\"email_verified\":true,\"phone_number\":\"+1 555 0100\"}"), "openid email"), "phone_number");
        yield return new(UserInfoVariantChecks.MatrixSubStable, "sub changes with the scope (pairwise per scope?)", () =>
            UserInfoVariantChecks.EvaluateMatrixSubStable("openid", Body("{\"sub\":\"a1\"}"), "a1", null, "alice"), "differs from the sub 'alice'");
        yield return new(UserInfoVariantChecks.MatrixSubStable, "sub missing for openid only", () =>
            UserInfoVariantChecks.EvaluateMatrixSubStable("openid", Body("{}"), "alice", "alice", "alice"), "missing");
        yield return new(UserInfoVariantChecks.MatrixSubStable, "sub as a number", () =>
            UserInfoVariantChecks.EvaluateMatrixSubStable("openid", Body("{\"sub\":42}"), "42", null, null), "not a string");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(UserInfoVariantChecks.PostBearerHeader, "recorded userinfo as POST answer", () =>
            UserInfoVariantChecks.EvaluatePostBearerHeader(Recorded.UserInfo, "alice"));
        yield return new(UserInfoVariantChecks.NoTokenChallenge, "node-oidc-provider style 401", () =>
            UserInfoVariantChecks.EvaluateNoTokenChallenge(Error(401, "Bearer realm=\"http://127.0.0.1:1\"")));
        yield return new(UserInfoVariantChecks.NoTokenChallenge, "400 invalid_request is tolerated", () =>
            UserInfoVariantChecks.EvaluateNoTokenChallenge(Error(400, "Bearer error=\"invalid_request\"")));
        yield return new(UserInfoVariantChecks.NoTokenNoErrorCode, "401 realm only, no error in the body", () =>
            UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(Error(401, "Bearer realm=\"op\", DPoP algs=\"ES256\"", "")));
        yield return new(UserInfoVariantChecks.NoTokenNoErrorCode, "401 with an empty body and no challenge (judged by no-token-challenge)", () =>
            UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(Error(401, null, "")));
        yield return new(UserInfoVariantChecks.InvalidTokenErrorCode, "401 invalid_token with quoted comma", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenErrorCode(Error(401, "Bearer realm=\"a, b\", error=\"invalid_token\", error_description=\"bad \\\"token\\\"\""), "random-string"));
        yield return new(UserInfoVariantChecks.InvalidTokenChallenge, "DPoP and Bearer challenges", () =>
            UserInfoVariantChecks.EvaluateInvalidTokenChallenge(Error(401, "DPoP algs=\"ES256\", Bearer error=\"invalid_token\""), "random-string"));
        yield return new(UserInfoVariantChecks.MatrixGrantedClaims, "recorded userinfo, all scopes", () =>
            UserInfoVariantChecks.EvaluateMatrixGrantedClaims("all", Body(RealUserInfo), AllScopes, AliceTable));
        yield return new(UserInfoVariantChecks.MatrixNoUngrantedClaims, "recorded userinfo, all scopes", () =>
            UserInfoVariantChecks.EvaluateMatrixNoUngrantedClaims("all", Body(RealUserInfo), AllScopes));
        yield return new(UserInfoVariantChecks.MatrixNoUngrantedClaims, "openid only, sub only", () =>
            UserInfoVariantChecks.EvaluateMatrixNoUngrantedClaims("openid", Body(OnlySub), "openid"));
        yield return new(UserInfoVariantChecks.MatrixSubStable, "recorded", () =>
            UserInfoVariantChecks.EvaluateMatrixSubStable("all", Body(RealUserInfo), "alice", "alice", "alice"));
    }
}
