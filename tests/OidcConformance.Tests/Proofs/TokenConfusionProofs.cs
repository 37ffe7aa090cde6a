using OidcConformance.Checks;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Token confusion: the recorded Casdoor 3.158.0 token response (access_token == id_token, typ "JWT"), hand-made ID-token
/// look-alikes, and the recorded node-oidc-provider response (opaque access token, distinct ID token) on which they pass.
/// </summary>
public sealed class TokenConfusionProofs : IFailureProofs, IPassProofs
{
    private static string NodeAccessToken => Recorded.Token.AccessToken!;
    private static string NodeIdToken => Recorded.Token.IdToken!;
    private static string CasdoorIdToken => CasdoorRecording.ReferenceToken.GetProperty("id_token").GetString()!;

    private static string Sub => "alice-sub";
    private static string Claims(string sub) => $"{{\"sub\":\"{sub}\",\"name\":\"Alice\",\"email\":\"alice@example.com\"}}";
    private static readonly Http.HttpExchange AcceptedAccessToken = Make.Exchange(200, Claims(Sub));

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(TokenConfusionChecks.AccessTokenIsNotIdToken, "recorded Casdoor reference token response: access_token == id_token (exchange 1)", () =>
            TokenConfusionChecks.EvaluateAccessTokenIsNotIdToken(CasdoorRecording.ReferenceAccessToken, CasdoorIdToken), "same string");
        yield return new(TokenConfusionChecks.AccessTokenIsNotIdToken, "the ID token's claim set signed again as the access token", () =>
        {
            var claims = Make.IdTokenClaims();
            return TokenConfusionChecks.EvaluateAccessTokenIsNotIdToken(Make.Jwt(Make.Header(kid: "other"), claims), Make.Jwt(Make.Header(), claims));
        }, "exactly the ID token's claim set");

        yield return new(TokenConfusionChecks.JwtAccessTokenTyp, "recorded Casdoor JWT access token: typ JWT (exchange 1)", () =>
            TokenConfusionChecks.EvaluateJwtAccessTokenTyp(CasdoorRecording.ReferenceAccessToken), "\"JWT\", not \"at+jwt\"");
        yield return new(TokenConfusionChecks.JwtAccessTokenTyp, "JWT access token without typ", () =>
        {
            var header = Make.Header();
            header.Remove("typ");
            return TokenConfusionChecks.EvaluateJwtAccessTokenTyp(Make.Jwt(header, Make.IdTokenClaims().With("client_id", "c").With("scope", "openid")));
        }, "absent");

        yield return new(TokenConfusionChecks.UserInfoRejectsIdToken, "UserInfo answers the ID token with the user's claims", () =>
            TokenConfusionChecks.EvaluateUserInfoRejectsIdToken(AcceptedAccessToken, Make.Exchange(200, Claims(Sub)), NodeAccessToken, NodeIdToken),
            "accepted the ID token");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(TokenConfusionChecks.AccessTokenIsNotIdToken, "recorded node-oidc-provider token response (opaque access token)", () =>
            TokenConfusionChecks.EvaluateAccessTokenIsNotIdToken(NodeAccessToken, NodeIdToken));
        yield return new(TokenConfusionChecks.AccessTokenIsNotIdToken, "an RFC 9068 JWT access token beside the ID token", () =>
            TokenConfusionChecks.EvaluateAccessTokenIsNotIdToken(
                Make.Jwt(new() { ["alg"] = "RS256", ["kid"] = "test-key", ["typ"] = "at+jwt" }, Make.IdTokenClaims().Without("nonce").With("client_id", "c").With("scope", "openid")),
                Make.Jwt(Make.Header(), Make.IdTokenClaims())));
        yield return new(TokenConfusionChecks.JwtAccessTokenTyp, "RFC 9068 typ application/at+jwt", () =>
            TokenConfusionChecks.EvaluateJwtAccessTokenTyp(Make.Jwt(new() { ["alg"] = "RS256", ["kid"] = "test-key", ["typ"] = "application/at+jwt" }, Make.IdTokenClaims())));
        yield return new(TokenConfusionChecks.UserInfoRejectsIdToken, "recorded node-oidc-provider: 401 invalid_token for the ID token", () =>
            TokenConfusionChecks.EvaluateUserInfoRejectsIdToken(AcceptedAccessToken,
                Make.Exchange(401, "{\"error\":\"invalid_token\"}", headers: ("WWW-Authenticate", "Bearer error=\"invalid_token\"")), NodeAccessToken, NodeIdToken));
    }
}
