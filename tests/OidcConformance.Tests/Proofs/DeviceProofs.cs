using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Failure and pass proofs of the device authorization grant checks (RFC 8628). The conformant artifacts are the shapes
/// node-oidc-provider 9.13.3 answered in the Device run (device authorization response, authorization_pending,
/// expired_token, access_denied, invalid_grant), re-typed here without the codes and tokens.
/// </summary>
public sealed class DeviceProofs : IFailureProofs, IPassProofs
{
    private const string AuthorizationJson =
        "{\"device_code\":\"dc-1\",\"user_code\":\"LLST-RBWK\",\"verification_uri\":\"http://op.test/device\"," +
        "\"verification_uri_complete\":\"http://op.test/device?user_code=LLST-RBWK\",\"expires_in\":300}";

    private static DeviceAuthorizationResponse Authorization(string json, int status = 200)
    {
        var exchange = Make.Exchange(status, json, url: "http://op.test/device/auth", method: "POST");
        return new DeviceAuthorizationResponse(exchange, JsonBody.From(exchange));
    }

    private static DeviceAuthorizationResponse Edited(Action<JsonObject> edit) => Authorization(Make.Edit(AuthorizationJson, edit));

    private static TokenResponse Error(string error, int status = 400) => Make.Token($"{{\"error\":\"{error}\",\"error_description\":\"x\"}}", status);
    private static TokenResponse Pending => Error("authorization_pending");
    private static TokenResponse Tokens(string? idToken = null) => Make.Token(
        "{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"openid profile\"" +
        (idToken is null ? "" : $",\"id_token\":\"{idToken}\"") + "}");

    private static readonly JwksDocument TestJwks = Make.Jwks(Make.JwksFor(Make.TestKey));
    private static string IdToken(JsonObject? claims = null, System.Security.Cryptography.RSA? key = null) =>
        Make.Jwt(Make.Header(), claims ?? Make.IdTokenClaims().Without("nonce"), key);

    private static CheckResult Approved(TokenResponse r, bool openid = true) =>
        DeviceChecks.EvaluateApprovedYieldsTokens(r, openid, DecodedJwt.Decode(r.IdToken), TestJwks, "http://op.test", "client-1", "alice");

    private static DiscoveryDocument Discovery(string json) => Make.Discovery(json);

    private static readonly TimeSpan Gap = TimeSpan.FromMilliseconds(20), Interval = TimeSpan.FromSeconds(5), Past = TimeSpan.FromSeconds(1);

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(DeviceChecks.AuthorizationResponse, "user_code dropped", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Edited(o => o.Remove("user_code"))), "user_code is missing");
        yield return new(DeviceChecks.AuthorizationResponse, "device_code empty", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Edited(o => o["device_code"] = "")), "device_code is not a non-empty string");
        yield return new(DeviceChecks.AuthorizationResponse, "verification_uri relative", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Edited(o => o["verification_uri"] = "/device")), "not an absolute http(s) URI");
        yield return new(DeviceChecks.AuthorizationResponse, "expires_in missing", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Edited(o => o.Remove("expires_in"))), "expires_in is missing");
        yield return new(DeviceChecks.AuthorizationResponse, "expires_in a string", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Edited(o => o["expires_in"] = "300")), "expires_in is not a positive integer");
        yield return new(DeviceChecks.AuthorizationResponse, "interval zero", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Edited(o => o["interval"] = 0)), "interval is not a positive integer");
        yield return new(DeviceChecks.AuthorizationResponse, "HTML instead of JSON", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Authorization("<html><title>Login</title></html>")), "not a JSON object");
        yield return new(DeviceChecks.AuthorizationResponse, "registered client refused", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Authorization("{\"error\":\"unauthorized_client\"}", 400)), "was refused");

        yield return new(DeviceChecks.DiscoveryAdvertised, "endpoint missing", () =>
            DeviceChecks.EvaluateDiscoveryAdvertised(Discovery("{\"issuer\":\"http://op.test\"}"), true), "device_authorization_endpoint is not advertised");
        yield return new(DeviceChecks.DiscoveryAdvertised, "grant not listed", () =>
            DeviceChecks.EvaluateDiscoveryAdvertised(Discovery("{\"device_authorization_endpoint\":\"http://op.test/device/auth\",\"grant_types_supported\":[\"authorization_code\"]}"), true),
            "does not list urn:ietf:params:oauth:grant-type:device_code");

        yield return new(DeviceChecks.PendingBeforeApproval, "tokens before approval", () =>
            DeviceChecks.EvaluatePendingBeforeApproval(Tokens()), "got tokens");
        yield return new(DeviceChecks.PendingBeforeApproval, "pending with HTTP 200", () =>
            DeviceChecks.EvaluatePendingBeforeApproval(Error("authorization_pending", 200)), "HTTP 200");
        yield return new(DeviceChecks.PendingBeforeApproval, "invalid_grant before approval", () =>
            DeviceChecks.EvaluatePendingBeforeApproval(Error("invalid_grant")), "expected authorization_pending");

        yield return new(DeviceChecks.SlowDown, "fast poll answered invalid_request", () =>
            DeviceChecks.EvaluateSlowDown(Pending, Error("invalid_request"), Gap, Interval), "invalid_request");
        yield return new(DeviceChecks.SlowDown, "fast poll got tokens", () =>
            DeviceChecks.EvaluateSlowDown(Pending, Tokens(), Gap, Interval), "got tokens");
        yield return new(DeviceChecks.SlowDown, "slow_down with HTTP 200", () =>
            DeviceChecks.EvaluateSlowDown(Pending, Error("slow_down", 200), Gap, Interval), "HTTP 200");

        yield return new(DeviceChecks.ApprovedYieldsTokens, "still pending after approval", () => Approved(Pending), "every poll until the deadline");
        yield return new(DeviceChecks.ApprovedYieldsTokens, "access_denied after approval", () => Approved(Error("access_denied")), "instead of tokens");
        yield return new(DeviceChecks.ApprovedYieldsTokens, "no id_token for openid", () => Approved(Tokens()), "no id_token");
        yield return new(DeviceChecks.ApprovedYieldsTokens, "id_token for another client", () =>
            Approved(Tokens(IdToken(Make.IdTokenClaims().With("aud", "client-2")))), "does not contain 'client-1'");
        yield return new(DeviceChecks.ApprovedYieldsTokens, "id_token of another user", () =>
            Approved(Tokens(IdToken(Make.IdTokenClaims().With("sub", "bob")))), "not the approving user's");
        yield return new(DeviceChecks.ApprovedYieldsTokens, "id_token signed with a foreign key", () =>
            Approved(Tokens(IdToken(key: Make.OtherKey))), "signature");
        yield return new(DeviceChecks.ApprovedYieldsTokens, "garbage id_token", () => Approved(Tokens("not-a-jwt")), "cannot be decoded");

        yield return new(DeviceChecks.DeniedAccessDenied, "still pending after denial", () =>
            DeviceChecks.EvaluateDeniedAccessDenied(Pending, Pending), "still answered authorization_pending");
        yield return new(DeviceChecks.DeniedAccessDenied, "tokens after denial", () =>
            DeviceChecks.EvaluateDeniedAccessDenied(Pending, Tokens()), "got tokens");
        yield return new(DeviceChecks.DeniedAccessDenied, "invalid_grant after denial", () =>
            DeviceChecks.EvaluateDeniedAccessDenied(Pending, Error("invalid_grant")), "expected access_denied");

        yield return new(DeviceChecks.ExpiredRefused, "still pending after expiry", () =>
            DeviceChecks.EvaluateExpiredRefused(Pending, Pending, Past), "still answered authorization_pending");
        yield return new(DeviceChecks.ExpiredRefused, "tokens after expiry", () =>
            DeviceChecks.EvaluateExpiredRefused(Pending, Tokens(), Past), "got tokens");
        yield return new(DeviceChecks.ExpiredToken, "invalid_grant after expiry", () =>
            DeviceChecks.EvaluateExpiredToken(Pending, Error("invalid_grant"), Past), "expected expired_token");
        yield return new(DeviceChecks.ExpiredToken, "pending after expiry", () =>
            DeviceChecks.EvaluateExpiredToken(Pending, Pending, Past), "expected expired_token");

        yield return new(DeviceChecks.CodeSingleUse, "tokens again", () =>
            DeviceChecks.EvaluateCodeSingleUse(Tokens(), Tokens()), "yielded tokens a second time");
        yield return new(DeviceChecks.CodeSingleUse, "pending again", () =>
            DeviceChecks.EvaluateCodeSingleUse(Tokens(), Pending), "as if its session had not concluded");

        yield return new(DeviceChecks.CodeBoundToClient, "another client redeems the code", () =>
            DeviceChecks.EvaluateCodeBoundToClient(Tokens(), Error("invalid_grant")), "not issued to yielded tokens");
        yield return new(DeviceChecks.CodeBoundToClient, "another client told pending", () =>
            DeviceChecks.EvaluateCodeBoundToClient(Pending, Tokens()), "as if it were that client's pending request");
        yield return new(DeviceChecks.CodeBoundToClient, "refused with invalid_request", () =>
            DeviceChecks.EvaluateCodeBoundToClient(Error("invalid_request"), Tokens()), "expected invalid_grant");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(DeviceChecks.AuthorizationResponse, "node-oidc-provider's response", () =>
            DeviceChecks.EvaluateAuthorizationResponse(Authorization(AuthorizationJson)));
        yield return new(DeviceChecks.DiscoveryAdvertised, "endpoint and grant advertised", () =>
            DeviceChecks.EvaluateDiscoveryAdvertised(Discovery(
                "{\"device_authorization_endpoint\":\"http://op.test/device/auth\",\"grant_types_supported\":[\"authorization_code\",\"urn:ietf:params:oauth:grant-type:device_code\"]}"), true));
        yield return new(DeviceChecks.PendingBeforeApproval, "authorization_pending 400", () => DeviceChecks.EvaluatePendingBeforeApproval(Pending));
        yield return new(DeviceChecks.SlowDown, "slow_down 400", () => DeviceChecks.EvaluateSlowDown(Pending, Error("slow_down"), Gap, Interval));
        yield return new(DeviceChecks.ApprovedYieldsTokens, "tokens with a valid ID token", () => Approved(Tokens(IdToken())));
        yield return new(DeviceChecks.DeniedAccessDenied, "access_denied 400", () => DeviceChecks.EvaluateDeniedAccessDenied(Pending, Error("access_denied")));
        yield return new(DeviceChecks.ExpiredRefused, "expired_token", () => DeviceChecks.EvaluateExpiredRefused(Pending, Error("expired_token"), Past));
        yield return new(DeviceChecks.ExpiredRefused, "invalid_grant (refused all the same)", () => DeviceChecks.EvaluateExpiredRefused(Pending, Error("invalid_grant"), Past));
        yield return new(DeviceChecks.ExpiredToken, "expired_token", () => DeviceChecks.EvaluateExpiredToken(Pending, Error("expired_token"), Past));
        yield return new(DeviceChecks.CodeSingleUse, "invalid_grant the second time", () => DeviceChecks.EvaluateCodeSingleUse(Tokens(), Error("invalid_grant")));
        yield return new(DeviceChecks.CodeBoundToClient, "invalid_grant for the other client", () =>
            DeviceChecks.EvaluateCodeBoundToClient(Error("invalid_grant"), Tokens()));
    }
}
