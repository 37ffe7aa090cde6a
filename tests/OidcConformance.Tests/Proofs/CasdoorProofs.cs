using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Proofs for the Casdoor-specific checks. Casdoor cannot run here, so the "real" artifacts are built from the
/// response shapes docs/casdoor.md documents from Casdoor's source at v3.158.0 (envelopes, field names, A-n items).
/// </summary>
public sealed class CasdoorProofs : IFailureProofs, IPassProofs
{
    public const string Origin = "http://localhost:8000";
    public const string Sub = "7a3c51e2-9b0d-4f6e-8c21-5d4e3f2a1b09";
    private const string App = "app-conformance";
    private const string ClientId = "conformance-client";

    /// <summary>Per-application discovery (A-2, A-3, docs/casdoor.md §(e)): issuer = origin, jwks_uri per application.</summary>
    public static string AppDiscoveryJson(string issuer = Origin) => new JsonObject
    {
        ["issuer"] = issuer,
        ["authorization_endpoint"] = Origin + "/login/oauth/authorize",
        ["token_endpoint"] = Origin + "/api/login/oauth/access_token",
        ["userinfo_endpoint"] = Origin + "/api/userinfo",
        ["jwks_uri"] = Origin + $"/.well-known/{App}/jwks",
        ["introspection_endpoint"] = Origin + "/api/login/oauth/introspect",
        ["response_types_supported"] = new JsonArray("code", "token", "id_token", "code token", "code id_token", "token id_token", "code token id_token", "none"),
        ["subject_types_supported"] = new JsonArray("public"),
        ["id_token_signing_alg_values_supported"] = new JsonArray("RS256", "RS512", "ES256", "ES384", "ES512"),
        ["end_session_endpoint"] = Origin + "/api/logout",
    }.ToJsonString();

    public static DiscoveryDocument AppDiscovery(string? json = null, int status = 200) =>
        Make.Discovery(json ?? AppDiscoveryJson(), $"{Origin}/.well-known/{App}/openid-configuration", status, "application/json; charset=utf-8");

    /// <summary>Casdoor's JWT-format token (A-42..A-44): RS256, kid cert-conformance, aud array, the user object as claims.</summary>
    public static DecodedJwt IdToken(string iss = Origin, System.Security.Cryptography.RSA? key = null)
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var claims = new JsonObject
        {
            ["owner"] = "conformance", ["name"] = "alice", ["id"] = Sub, ["displayName"] = "Alice Adams", ["email"] = "alice@example.com",
            ["email_verified"] = true, ["address"] = new JsonArray("1 Main Street", "Springfield, IL 62701"), ["tokenType"] = "access-token",
            ["nonce"] = "n-1", ["scope"] = "openid profile", ["signinMethod"] = "Password", ["iss"] = iss, ["sub"] = Sub,
            ["aud"] = new JsonArray(ClientId), ["exp"] = now + 900, ["nbf"] = now, ["iat"] = now, ["jti"] = "admin/0e6d1c62-1111-4a1b-9c3d-2f4e5a6b7c8d",
            ["azp"] = ClientId,
        };
        return DecodedJwt.Decode(Make.Jwt(Make.Header("cert-conformance"), claims, key));
    }

    public static JwksDocument AppJwks(string? json = null, int status = 200) =>
        Make.Jwks(json ?? Make.JwksFor(Make.TestKey, "cert-conformance"), status, $"{Origin}/.well-known/{App}/jwks");

    /// <summary>/api/userinfo for scope "openid profile": sub, iss, aud (string) and the profile claims.</summary>
    public const string UserinfoJson =
        "{\"sub\":\"" + Sub + "\",\"iss\":\"" + Origin + "\",\"aud\":\"" + ClientId + "\",\"preferred_username\":\"alice\"," +
        "\"name\":\"Alice Adams\",\"picture\":\"https://avatars.oidc-conformance.test/alice.png\"}";

    /// <summary>A router-filter error envelope: HTTP 200.</summary>
    public const string EnvelopeError = "{\"status\":\"error\",\"msg\":\"Access token doesn't exist in database\",\"data\":null,\"data2\":null}";

    /// <summary>/api/get-account (controllers/account.go GetAccount): the ok envelope with the masked user record in data.</summary>
    public static string GetAccountJson(Action<JsonObject>? editData = null)
    {
        var data = new JsonObject
        {
            ["owner"] = "conformance", ["name"] = "alice", ["id"] = Sub, ["type"] = "normal-user", ["displayName"] = "Alice Adams",
            ["firstName"] = "Alice", ["lastName"] = "Adams", ["avatar"] = "https://avatars.oidc-conformance.test/alice.png",
            ["email"] = "alice@example.com", ["emailVerified"] = true, ["phone"] = "2015550123", ["countryCode"] = "US",
            ["location"] = "Springfield, IL", ["address"] = new JsonArray("1 Main Street", "Springfield, IL 62701"),
            ["signupApplication"] = App, ["isAdmin"] = false, ["passwordSalt"] = "", ["groups"] = new JsonArray(),
        };
        editData?.Invoke(data);
        return new JsonObject
        {
            ["status"] = "ok", ["msg"] = "", ["sub"] = Sub, ["name"] = "alice", ["data"] = data,
            ["data2"] = new JsonObject { ["owner"] = "admin", ["name"] = "conformance" }, ["data3"] = null,
        }.ToJsonString();
    }

    /// <summary>Active introspection reply .</summary>
    public static string IntrospectionJson(string clientId = ClientId, string sub = Sub) =>
        "{\"active\":true,\"scope\":\"openid profile\",\"client_id\":\"" + clientId + "\",\"username\":\"alice\",\"token_type\":\"Bearer\"," +
        "\"exp\":1893456000,\"iat\":1893455100,\"nbf\":1893455100,\"sub\":\"" + sub + "\",\"aud\":[\"" + ClientId + "\"],\"iss\":\"" + Origin +
        "\",\"jti\":\"admin/0e6d1c62-1111-4a1b-9c3d-2f4e5a6b7c8d\"}";

    /// <summary>Token JSON of Casdoor: id_token = access_token.</summary>
    public static TokenResponse RefreshResponse(string sub = Sub, string tokenType = "Bearer", string refreshToken = "rt-2")
    {
        var access = Make.Jwt(Make.Header("cert-conformance"), new JsonObject { ["iss"] = Origin, ["sub"] = sub, ["aud"] = new JsonArray(ClientId) });
        return Make.Token(new JsonObject
        {
            ["access_token"] = access, ["id_token"] = access, ["refresh_token"] = refreshToken, ["token_type"] = tokenType,
            ["expires_in"] = 900, ["scope"] = "openid profile email",
        }.ToJsonString());
    }

    private static Http.HttpExchange Json(string body, int status = 200, params (string, string)[] headers) =>
        Make.Exchange(status, body, "application/json; charset=utf-8", headers: headers);

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(CasdoorChecks.AppDiscoveryIssuer, "per-app issuer with the /.well-known/<app> suffix (Casdoor < v3.94.0)", () =>
            CasdoorChecks.EvaluateAppDiscoveryIssuer(App, AppDiscovery(AppDiscoveryJson($"{Origin}/.well-known/{App}")), IdToken()), "carries iss");
        yield return new(CasdoorChecks.AppDiscoveryIssuer, "tokens minted through another Host header (gotcha 1: no origin set)", () =>
            CasdoorChecks.EvaluateAppDiscoveryIssuer(App, AppDiscovery(), IdToken("http://casdoor:8000")), "rejects the token");
        yield return new(CasdoorChecks.AppDiscoveryIssuer, "per-app document is an error envelope", () =>
            CasdoorChecks.EvaluateAppDiscoveryIssuer(App, AppDiscovery(EnvelopeError), IdToken()), "error envelope");

        yield return new(CasdoorChecks.AppJwks, "per-app key set holds another key (fallback to a foreign cert)", () =>
            CasdoorChecks.EvaluateAppJwks(App, AppDiscovery(), AppJwks(Make.JwksFor(Make.OtherKey, "cert-built-in")), IdToken()), "not in the JWK Set");
        yield return new(CasdoorChecks.AppJwks, "same kid, wrong key", () =>
            CasdoorChecks.EvaluateAppJwks(App, AppDiscovery(), AppJwks(Make.JwksFor(Make.OtherKey, "cert-conformance")), IdToken()), "does not verify");
        yield return new(CasdoorChecks.AppJwks, "JWKS endpoint answers an envelope (a cert without certificate, gotcha §1.4)", () =>
            CasdoorChecks.EvaluateAppJwks(App, AppDiscovery(), AppJwks("{\"status\":\"error\",\"msg\":\"x\"}"), IdToken()), "no JWK Set");
        yield return new(CasdoorChecks.AppJwks, "no jwks_uri", () =>
            CasdoorChecks.EvaluateAppJwks(App, AppDiscovery(Make.Edit(AppDiscoveryJson(), o => o.Remove("jwks_uri"))), null, IdToken()), "no jwks_uri");

        yield return new(CasdoorChecks.UserinfoTokenLocation, "accessToken query answered with the 200 error envelope (A-49)", () =>
            CasdoorChecks.EvaluateUserinfoTokenLocation(CasdoorChecks.AccessTokenQueryCase, Json(EnvelopeError), Sub, JsonBody.Parse(UserinfoJson)),
            "error envelope");
        yield return new(CasdoorChecks.UserinfoTokenLocation, "query variant returns fewer claims", () =>
            CasdoorChecks.EvaluateUserinfoTokenLocation(CasdoorChecks.AccessTokenQueryCase, Json(Make.Edit(UserinfoJson, o => o.Remove("picture"))), Sub,
                JsonBody.Parse(UserinfoJson)), "picture missing");
        yield return new(CasdoorChecks.UserinfoTokenLocation, "bearer answer for another user", () =>
            CasdoorChecks.EvaluateUserinfoTokenLocation(CasdoorChecks.BearerHeaderCase, Json(UserinfoJson), "someone-else"), "differs");

        yield return new(CasdoorChecks.GetAccountFullUser, "not signed in (envelope 'Please login first')", () =>
            CasdoorChecks.EvaluateGetAccount(Json("{\"status\":\"error\",\"msg\":\"Please login first\",\"data\":\"Please login first\"}"), Sub, "alice"),
            "Please login first");
        yield return new(CasdoorChecks.GetAccountFullUser, "only OIDC claims in data", () =>
            CasdoorChecks.EvaluateGetAccount(Json("{\"status\":\"ok\",\"data\":" + UserinfoJson + "}"), Sub, "alice"), "not a full user record");
        yield return new(CasdoorChecks.GetAccountFullUser, "record of another user", () =>
            CasdoorChecks.EvaluateGetAccount(Json(GetAccountJson(d => d["id"] = "other-id")), Sub, "alice"), "not the token's sub");

        yield return new(CasdoorChecks.UserinfoGrantedScopesOnly, "email released without the email scope", () =>
            CasdoorChecks.EvaluateUserinfoGrantedScopesOnly(JsonBody.Parse(Make.Edit(UserinfoJson, o => { o["email"] = "alice@example.com"; o["email_verified"] = true; })),
                JsonBody.Parse(GetAccountJson()), "openid profile"), "ungranted scope email");
        yield return new(CasdoorChecks.UserinfoGrantedScopesOnly, "user record copied into UserInfo (get-account shape)", () =>
            CasdoorChecks.EvaluateUserinfoGrantedScopesOnly(JsonBody.Parse(Make.Edit(UserinfoJson, o => { o["owner"] = "conformance"; o["passwordSalt"] = ""; })),
                JsonBody.Parse(GetAccountJson()), "openid profile"), "user-record fields");
        yield return new(CasdoorChecks.UserinfoGrantedScopesOnly, "Casdoor phone claim without the phone scope", () =>
            CasdoorChecks.EvaluateUserinfoGrantedScopesOnly(JsonBody.Parse(Make.Edit(UserinfoJson, o => o["phone"] = "2015550123")), null, "openid profile"),
            "ungranted scope phone");

        yield return new(CasdoorChecks.IntrospectionBasic, "Basic refused (A-53 wrong secret shape)", () =>
            CasdoorChecks.EvaluateIntrospection("access_token",
                Json("{\"error\":\"invalid_client\",\"error_description\":\"Invalid application or wrong clientSecret\"}", 401, ("WWW-Authenticate", "Basic realm=\"OAuth2\"")),
                ClientId, Sub), "was refused");
        yield return new(CasdoorChecks.IntrospectionBasic, "Basic ignored, no credentials seen (400 invalid_request)", () =>
            CasdoorChecks.EvaluateIntrospection("access_token", Json("{\"error\":\"invalid_request\"}", 400), ClientId, Sub), "expected 200");
        yield return new(CasdoorChecks.IntrospectionBasic, "live refresh token inactive (hint restricts the lookup, A-54)", () =>
            CasdoorChecks.EvaluateIntrospection("refresh_token", Json("{\"active\":false}"), ClientId, Sub), "inactive");
        yield return new(CasdoorChecks.IntrospectionBasic, "active as a string", () =>
            CasdoorChecks.EvaluateIntrospection("access_token", Json("{\"active\":\"true\"}"), ClientId, Sub), "not a boolean");
        yield return new(CasdoorChecks.IntrospectionBasic, "another client's id reported", () =>
            CasdoorChecks.EvaluateIntrospection("access_token", Json(IntrospectionJson("conformance-client-2")), ClientId, Sub), "client_id");

        yield return new(CasdoorChecks.RefreshEndpoints, "rotated-away refresh token (A-39)", () =>
            CasdoorChecks.EvaluateRefresh(CasdoorChecks.TokenEndpointCase,
                Make.Token("{\"error\":\"invalid_grant\",\"error_description\":\"refresh token is invalid or revoked\"}", 400), Sub, "rt-1"), "invalid_grant");
        yield return new(CasdoorChecks.RefreshEndpoints, "refresh endpoint without client (400 invalid_request)", () =>
            CasdoorChecks.EvaluateRefresh(CasdoorChecks.RefreshEndpointCase, Make.Token("{\"error\":\"invalid_request\"}", 400), Sub, "rt-1"), "refresh failed");
        yield return new(CasdoorChecks.RefreshEndpoints, "Go error as HTTP 200 envelope (A-41)", () =>
            CasdoorChecks.EvaluateRefresh(CasdoorChecks.RefreshEndpointCase, Make.Token("{\"status\":\"error\",\"msg\":\"token is expired\"}"), Sub, "rt-1"), "error envelope");
        yield return new(CasdoorChecks.RefreshEndpoints, "token for another user", () =>
            CasdoorChecks.EvaluateRefresh(CasdoorChecks.TokenEndpointCase, RefreshResponse("bob-id"), Sub, "rt-1"), "not the original");
        yield return new(CasdoorChecks.RefreshEndpoints, "token_type missing", () =>
            CasdoorChecks.EvaluateRefresh(CasdoorChecks.TokenEndpointCase, RefreshResponse(tokenType: ""), Sub, "rt-1"), "token_type");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(CasdoorChecks.AppDiscoveryIssuer, "v3.158.0 shape: per-app issuer = origin = iss (A-2, A-43)", () =>
            CasdoorChecks.EvaluateAppDiscoveryIssuer(App, AppDiscovery(), IdToken()));
        yield return new(CasdoorChecks.AppJwks, "per-app JWKS with cert-conformance verifies the token (A-7, A-8)", () =>
            CasdoorChecks.EvaluateAppJwks(App, AppDiscovery(), AppJwks(), IdToken()));
        yield return new(CasdoorChecks.UserinfoTokenLocation, "Bearer header (A-50 shape)", () =>
            CasdoorChecks.EvaluateUserinfoTokenLocation(CasdoorChecks.BearerHeaderCase, Json(UserinfoJson), Sub));
        yield return new(CasdoorChecks.UserinfoTokenLocation, "?accessToken= gives the same claims (A-48)", () =>
            CasdoorChecks.EvaluateUserinfoTokenLocation(CasdoorChecks.AccessTokenQueryCase, Json(UserinfoJson), Sub, JsonBody.Parse(UserinfoJson)));
        yield return new(CasdoorChecks.GetAccountFullUser, "ok envelope with the user record (GetAccount)", () =>
            CasdoorChecks.EvaluateGetAccount(Json(GetAccountJson()), Sub, "alice"));
        yield return new(CasdoorChecks.UserinfoGrantedScopesOnly, "openid profile → profile claims only (A-50)", () =>
            CasdoorChecks.EvaluateUserinfoGrantedScopesOnly(JsonBody.Parse(UserinfoJson), JsonBody.Parse(GetAccountJson()), "openid profile"));
        yield return new(CasdoorChecks.UserinfoGrantedScopesOnly, "full scope: email, address (string) and phone allowed", () =>
            CasdoorChecks.EvaluateUserinfoGrantedScopesOnly(JsonBody.Parse(Make.Edit(UserinfoJson, o =>
            {
                o["email"] = "alice@example.com"; o["email_verified"] = true; o["address"] = "Springfield, IL"; o["phone"] = "2015550123";
            })), JsonBody.Parse(GetAccountJson()), "openid profile email address phone offline_access"));
        yield return new(CasdoorChecks.IntrospectionBasic, "active reply (A-55)", () =>
            CasdoorChecks.EvaluateIntrospection("access_token", Json(IntrospectionJson()), ClientId, Sub));
        yield return new(CasdoorChecks.RefreshEndpoints, "token JSON (A-32) at the token endpoint", () =>
            CasdoorChecks.EvaluateRefresh(CasdoorChecks.TokenEndpointCase, RefreshResponse(), Sub, "rt-1"));
        yield return new(CasdoorChecks.RefreshEndpoints, "token JSON at /api/login/oauth/refresh_token", () =>
            CasdoorChecks.EvaluateRefresh(CasdoorChecks.RefreshEndpointCase, RefreshResponse(), Sub, "rt-1"));
    }
}
