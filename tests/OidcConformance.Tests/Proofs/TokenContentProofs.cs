using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Standard claim types, credential material and ungranted-scope claims: hand-made bad artifacts, the recorded Casdoor
/// 3.158.0 artifacts (exchanges.json) that the profile-driven checks passed, and recorded conformant artifacts.
/// </summary>
public sealed class TokenContentProofs : IFailureProofs, IPassProofs
{
    private static string RealUserInfo => Recorded.UserInfo.ResponseBody;
    private static JsonBody Body(string json) => JsonBody.Parse(json);
    private static DecodedJwt IdToken(Func<JsonObject, JsonObject>? claims = null) =>
        DecodedJwt.Decode(Make.Jwt(Make.Header(), (claims ?? (c => c))(Make.IdTokenClaims())));
    private static DecodedJwt RealNodeIdToken => DecodedJwt.Decode(Recorded.Token.IdToken);
    private const string Password = "alice-pass-3c9e";

    public IEnumerable<FailureProof> Proofs()
    {
        // ---- standard claim types: hand-made
        yield return new(TokenContentChecks.UserInfoStandardTypes, "address as a string", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(Body(Make.Edit(RealUserInfo, o => o["address"] = "Springfield"))), "Address Claim as a JSON object");
        yield return new(TokenContentChecks.UserInfoStandardTypes, "email_verified as \"true\"", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(Body(Make.Edit(RealUserInfo, o => o["email_verified"] = "true"))), "defines a boolean");
        yield return new(TokenContentChecks.UserInfoStandardTypes, "updated_at as an ISO date", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(Body(Make.Edit(RealUserInfo, o => o["updated_at"] = "2023-11-14T22:13:20Z"))), "JSON number");
        yield return new(TokenContentChecks.UserInfoStandardTypes, "phone_number as a number", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(Body(Make.Edit(RealUserInfo, o => o["phone_number"] = 15550100))), "phone_number is a JSON number");
        yield return new(TokenContentChecks.UserInfoStandardTypes, "address.locality as a number", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(Body(Make.Edit(RealUserInfo, o => o["address"] = new JsonObject { ["locality"] = 12345 }))), "address.locality");
        yield return new(TokenContentChecks.UserInfoStandardTypes, "sub of 256 characters", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(Body(Make.Edit(RealUserInfo, o => o["sub"] = new string('a', 256)))), "255 ASCII");
        yield return new(TokenContentChecks.IdTokenStandardTypes, "email_verified as \"true\" in the ID token", () =>
            TokenContentChecks.EvaluateIdTokenStandardTypes(IdToken(c => c.With("email_verified", "true"))), "defines a boolean");
        yield return new(TokenContentChecks.IdTokenStandardTypes, "sub with non-ASCII characters", () =>
            TokenContentChecks.EvaluateIdTokenStandardTypes(IdToken(c => c.With("sub", "älice"))), "ASCII");

        // ---- standard claim types: the recorded Casdoor artifacts that the claim table passed
        yield return new(TokenContentChecks.UserInfoStandardTypes, "recorded Casdoor UserInfo: \"address\": \"Springfield, IL\" (exchange 49)", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(CasdoorRecording.ReferenceUserInfo), "address is a JSON string");
        yield return new(TokenContentChecks.IdTokenStandardTypes, "recorded Casdoor ID token: address is a JSON array (exchange 48)", () =>
            TokenContentChecks.EvaluateIdTokenStandardTypes(CasdoorRecording.ReferenceIdToken), "address is a JSON array");

        // ---- credential material: hand-made
        yield return new(TokenContentChecks.IdTokenNoCredentials, "password hash claim", () =>
            TokenContentChecks.EvaluateIdTokenNoCredentials(IdToken(c => c.With("password_hash", "$2a$10$abcdefghijklmnopqrstuv")), Password), "password_hash");
        yield return new(TokenContentChecks.IdTokenNoCredentials, "password by value under an innocent name", () =>
            TokenContentChecks.EvaluateIdTokenNoCredentials(IdToken(c => c.With("note", "pw=" + Password)), Password), "password in clear");
        yield return new(TokenContentChecks.IdTokenNoCredentials, "unsalted SHA-256 of the password", () =>
            TokenContentChecks.EvaluateIdTokenNoCredentials(IdToken(c => c.With("h", Convert.ToHexString(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(Password))).ToLowerInvariant())), Password),
            "unsalted hash");
        yield return new(TokenContentChecks.IdTokenNoCredentials, "nested TOTP secret and recovery codes", () =>
            TokenContentChecks.EvaluateIdTokenNoCredentials(IdToken(c => c.With("mfa", new JsonObject { ["totpSecret"] = "JBSWY3DPEHPK3PXP", ["recoveryCodes"] = new JsonArray("a1b2", "c3d4") })), Password),
            "mfa.totpSecret");
        yield return new(TokenContentChecks.AccessTokenNoCredentials, "JWT access token with the user's password", () =>
            TokenContentChecks.EvaluateAccessTokenNoCredentials(Make.Jwt(Make.Header(), Make.IdTokenClaims().With("password", Password)), Password), "password");
        yield return new(TokenContentChecks.AccessTokenNoCredentials, "opaque access token embedding the password", () =>
            TokenContentChecks.EvaluateAccessTokenNoCredentials("at-" + Password + "-x", Password), "opaque access token contains");
        yield return new(TokenContentChecks.UserInfoNoCredentials, "UserInfo with passwordSalt and totpSecret", () =>
            TokenContentChecks.EvaluateUserInfoNoCredentials(Body(Make.Edit(RealUserInfo, o => { o["passwordSalt"] = "be6b18e3795db770c616"; o["totpSecret"] = "JBSWY3DPEHPK3PXP"; })), Password),
            "passwordSalt");
        yield return new(TokenContentChecks.UserInfoNoCredentials, "a short password returned as a whole value", () =>
            TokenContentChecks.EvaluateUserInfoNoCredentials(Body("{\"sub\":\"alice\",\"pin\":\"Ali\"}"), "Ali"), "password in clear");
        yield return new(TokenContentChecks.UserInfoNoCredentials, "UserInfo echoing the password", () =>
            TokenContentChecks.EvaluateUserInfoNoCredentials(Body(Make.Edit(RealUserInfo, o => o["userPassword"] = Password)), Password), "userPassword");

        // ---- credential material: what Casdoor 3.158.0 really issued (object/token_jwt.go embeds the whole user, password blanked, salt kept)
        yield return new(TokenContentChecks.IdTokenNoCredentials, "recorded Casdoor ID token: passwordSalt (exchange 48)", () =>
            TokenContentChecks.EvaluateIdTokenNoCredentials(CasdoorRecording.ReferenceIdToken, CasdoorRecording.Alice.Password), "passwordSalt: a credential claim carrying a 20-character string");
        yield return new(TokenContentChecks.AccessTokenNoCredentials, "recorded Casdoor JWT access token: passwordSalt (exchange 48)", () =>
            TokenContentChecks.EvaluateAccessTokenNoCredentials(CasdoorRecording.ReferenceAccessToken, CasdoorRecording.Alice.Password), "passwordSalt");

        // ---- ID token releases only granted-scope claims
        yield return new(TokenContentChecks.IdTokenOnlyGrantedScopeClaims, "email in the ID token of scope=openid", () =>
            TokenContentChecks.EvaluateIdTokenOnlyGrantedScopeClaims("openid", IdToken(c => c.With("email", "alice@example.com")), "openid"), "email (scope email)");
        yield return new(TokenContentChecks.IdTokenOnlyGrantedScopeClaims, "recorded Casdoor ID token of scope=openid (exchange 146)", () =>
            TokenContentChecks.EvaluateIdTokenOnlyGrantedScopeClaims("openid", CasdoorRecording.Subset("openid").IdToken, "openid"), "email (scope email)");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(TokenContentChecks.UserInfoStandardTypes, "recorded node-oidc-provider UserInfo", () =>
            TokenContentChecks.EvaluateUserInfoStandardTypes(Body(RealUserInfo)));
        yield return new(TokenContentChecks.IdTokenStandardTypes, "recorded node-oidc-provider ID token", () =>
            TokenContentChecks.EvaluateIdTokenStandardTypes(RealNodeIdToken));
        yield return new(TokenContentChecks.IdTokenNoCredentials, "recorded node-oidc-provider ID token", () =>
            TokenContentChecks.EvaluateIdTokenNoCredentials(RealNodeIdToken, Password));
        yield return new(TokenContentChecks.IdTokenNoCredentials, "empty credential-named claims carry nothing", () =>
            TokenContentChecks.EvaluateIdTokenNoCredentials(IdToken(c => c.With("password", "").With("totpSecret", "").With("passwordType", "plain")), Password));
        yield return new(TokenContentChecks.UserInfoNoCredentials, "a short password inside an unrelated value is not a finding", () =>
            TokenContentChecks.EvaluateUserInfoNoCredentials(Body("{\"sub\":\"alice\",\"name\":\"Alice Adams\"}"), "Ali"));
        yield return new(TokenContentChecks.UserInfoNoCredentials, "recorded node-oidc-provider UserInfo", () =>
            TokenContentChecks.EvaluateUserInfoNoCredentials(Body(RealUserInfo), Password));
        yield return new(TokenContentChecks.UserInfoNoCredentials, "recorded Casdoor UserInfo (exchange 49)", () =>
            TokenContentChecks.EvaluateUserInfoNoCredentials(CasdoorRecording.ReferenceUserInfo, CasdoorRecording.Alice.Password));
        yield return new(TokenContentChecks.AccessTokenNoCredentials, "RFC 9068-style JWT access token", () =>
            TokenContentChecks.EvaluateAccessTokenNoCredentials(Make.Jwt(Make.Header(), Make.IdTokenClaims().With("scope", "openid").With("client_id", "c")), Password));
        yield return new(TokenContentChecks.IdTokenOnlyGrantedScopeClaims, "recorded Casdoor ID token with every scope granted (exchange 156)", () =>
            TokenContentChecks.EvaluateIdTokenOnlyGrantedScopeClaims("all", CasdoorRecording.Subset("openid profile email address phone").IdToken, "openid profile email address phone"));
        yield return new(TokenContentChecks.IdTokenOnlyGrantedScopeClaims, "recorded node-oidc-provider ID token, scope openid", () =>
            TokenContentChecks.EvaluateIdTokenOnlyGrantedScopeClaims("openid", RealNodeIdToken, "openid"));
    }
}
