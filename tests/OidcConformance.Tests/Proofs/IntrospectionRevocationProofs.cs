using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using R = OidcConformance.Tests.Support.RecordedTokenManagement;

namespace OidcConformance.Tests.Proofs;

public sealed class IntrospectionProofs : IFailureProofs, IPassProofs
{
    private static string ActiveJson => R.ActiveAccessToken.Exchange.ResponseBody;

    private static IntrospectionResponse Intro(string json, int status = 200, string contentType = "application/json; charset=utf-8") =>
        IntrospectionResponse.From(Make.Exchange(status, json, contentType, "http://op.test/token/introspection", "POST"));

    private static IntrospectionResponse Active(Action<System.Text.Json.Nodes.JsonObject> edit) => Intro(Make.Edit(ActiveJson, edit));

    private static readonly FeatureSet Offered = new() { Introspection = true };

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(IntrospectionChecks.EndpointAdvertised, "offered but not advertised", () => IntrospectionChecks.EvaluateEndpointAdvertised(
            Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o.Remove("introspection_endpoint"))), Offered), "not advertised");
        yield return new(IntrospectionChecks.EndpointAdvertised, "relative URL", () => IntrospectionChecks.EvaluateEndpointAdvertised(
            Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o["introspection_endpoint"] = "/token/introspection")), Offered), "not an absolute URL");

        yield return new(IntrospectionChecks.ActiveToken, "valid token reported inactive", () =>
            IntrospectionChecks.EvaluateActive(Intro("{\"active\":false}")), "reported active false");
        yield return new(IntrospectionChecks.ActiveToken, "active as a string", () =>
            IntrospectionChecks.EvaluateActive(Active(o => o["active"] = "true")), "not a boolean");
        yield return new(IntrospectionChecks.ActiveToken, "active missing (Casdoor-style envelope)", () =>
            IntrospectionChecks.EvaluateActive(Intro("{\"status\":\"ok\",\"data\":" + ActiveJson + "}")), "missing");
        yield return new(IntrospectionChecks.ActiveToken, "401 for the caller's own valid token", () =>
            IntrospectionChecks.EvaluateActive(Intro("{\"error\":\"invalid_token\"}", 401)), "expected 200");

        yield return new(IntrospectionChecks.RefreshTokenActive, "refresh token reported inactive", () =>
            IntrospectionChecks.EvaluateRefreshActive(Intro("{\"active\":false}")), "reported");
        yield return new(IntrospectionChecks.RefreshTokenActive, "refresh token refused with an error", () =>
            IntrospectionChecks.EvaluateRefreshActive(Intro("{\"error\":\"unsupported_token_type\"}", 400)), "expected 200");

        yield return new(IntrospectionChecks.ResponseJson, "JSON sent as text/plain", () =>
            IntrospectionChecks.EvaluateResponseJson(Intro(ActiveJson, contentType: "text/plain")), "not application/json");
        yield return new(IntrospectionChecks.ResponseJson, "HTML page", () =>
            IntrospectionChecks.EvaluateResponseJson(Intro("<html><title>Login</title></html>", contentType: "text/html")), "HTML instead of JSON");

        foreach (var member in IntrospectionChecks.RecommendedMembers)
            yield return new(IntrospectionChecks.ActiveMembers, $"{member} missing", () =>
                IntrospectionChecks.EvaluateMember(Active(o => o.Remove(member)), member), $"{member} is missing");

        yield return new(IntrospectionChecks.ExpInFuture, "active token with exp in the past (Casdoor #3711)", () =>
            IntrospectionChecks.EvaluateExp(Active(o => o["exp"] = 0), R.RecordedAt), "in the past");
        yield return new(IntrospectionChecks.ExpInFuture, "exp as a string", () =>
            IntrospectionChecks.EvaluateExp(Active(o => o["exp"] = "1795439657"), R.RecordedAt), "not a number");
        yield return new(IntrospectionChecks.ExpInFuture, "exp in milliseconds", () =>
            IntrospectionChecks.EvaluateExp(Active(o => o["exp"] = 1795439657000), R.RecordedAt), "century");
        yield return new(IntrospectionChecks.ExpInFuture, "exp with a fraction", () =>
            IntrospectionChecks.EvaluateExp(Active(o => o["exp"] = 1795439657.5), R.RecordedAt), "not an integer");

        yield return new(IntrospectionChecks.ScopeGranted, "scope widened", () =>
            IntrospectionChecks.EvaluateScope(Active(o => o["scope"] = "openid profile admin"), "openid profile email"), "admin");
        yield return new(IntrospectionChecks.ScopeGranted, "scope as an array", () =>
            IntrospectionChecks.EvaluateScope(Active(o => o["scope"] = new System.Text.Json.Nodes.JsonArray("openid")), "openid"), "not a space-separated string");

        yield return new(IntrospectionChecks.ClientIdOfToken, "caller's client_id for another client's token (Casdoor #3935)", () =>
            IntrospectionChecks.EvaluateClientId(Intro(Make.Edit(R.SecondClientsToken.Exchange.ResponseBody, o => o["client_id"] = "conf-client")),
                "conf-client-2", "conf-client"), "caller's");
        yield return new(IntrospectionChecks.ClientIdOfToken, "another client's id for the own token", () =>
            IntrospectionChecks.EvaluateClientId(Active(o => o["client_id"] = "cc-client"), "conf-client", "conf-client"), "not the client the token was issued to");

        yield return new(IntrospectionChecks.SubOfToken, "sub of another user", () =>
            IntrospectionChecks.EvaluateSub(Active(o => o["sub"] = "bob"), "alice"), "is 'bob'");
        yield return new(IntrospectionChecks.SubOfToken, "sub as a number", () =>
            IntrospectionChecks.EvaluateSub(Active(o => o["sub"] = 42), "alice"), "not a string");

        yield return new(IntrospectionChecks.InactiveToken, "revoked token still active", () =>
            IntrospectionChecks.EvaluateInactive(R.ActiveAccessToken, R.ActiveAccessToken), "active true");
        yield return new(IntrospectionChecks.InactiveToken, "unknown token answered as an error", () =>
            IntrospectionChecks.EvaluateInactive(Intro("{\"error\":\"invalid_token\"}", 400)), "200 with active false is required");
        yield return new(IntrospectionChecks.InactiveToken, "empty JSON object", () =>
            IntrospectionChecks.EvaluateInactive(Intro("{}")), "missing");

        yield return new(IntrospectionChecks.InactiveNoDetails, "inactive response discloses the client and expiry", () =>
            IntrospectionChecks.EvaluateInactiveNoDetails(Intro("{\"active\":false,\"client_id\":\"conf-client\",\"exp\":1}")), "discloses client_id, exp");

        yield return new(IntrospectionChecks.WrongHint, "wrong hint → active false", () =>
            IntrospectionChecks.EvaluateWrongHint(R.ActiveAccessToken, Intro("{\"active\":false}"), "access token"), "did not extend its search");
        yield return new(IntrospectionChecks.WrongHint, "wrong hint → unsupported_token_type", () =>
            IntrospectionChecks.EvaluateWrongHint(R.ActiveAccessToken, Intro("{\"error\":\"unsupported_token_type\"}", 400), "access token"), "MUST extend");

        yield return new(IntrospectionChecks.AuthRequired, "anyone may introspect", () =>
            IntrospectionChecks.EvaluateAuthRequired(R.ActiveAccessToken), "unauthenticated caller learns");
        yield return new(IntrospectionChecks.AuthRequired, "accepted, active false", () =>
            IntrospectionChecks.EvaluateAuthRequired(Intro("{\"active\":false}")), "accepted");
        yield return new(IntrospectionChecks.AuthRequired, "server error", () =>
            IntrospectionChecks.EvaluateAuthRequired(Intro("{\"error\":\"server_error\"}", 500)), "expected a client authentication error");

        yield return new(IntrospectionChecks.InvalidClient, "wrong secret accepted", () =>
            IntrospectionChecks.EvaluateInvalidClient(R.ActiveAccessToken, true), "wrong client secret is accepted");
        yield return new(IntrospectionChecks.InvalidClient, "400 for wrong Basic credentials", () =>
            IntrospectionChecks.EvaluateInvalidClient(Intro("{\"error\":\"invalid_client\"}", 400), true), "expected 401");
        yield return new(IntrospectionChecks.InvalidClient, "401 with another error code", () =>
            IntrospectionChecks.EvaluateInvalidClient(Intro("{\"error\":\"invalid_request\"}", 401), false), "not invalid_client");

        yield return new(IntrospectionChecks.ForeignToken, "another client's token answered 403", () =>
            IntrospectionChecks.EvaluateForeignToken(Intro("{\"error\":\"access_denied\"}", 403), "conf-client-2", "conf-client"), "not an error");
        yield return new(IntrospectionChecks.ForeignToken, "200 without active", () =>
            IntrospectionChecks.EvaluateForeignToken(Intro("{\"client_id\":\"conf-client-2\"}"), "conf-client-2", "conf-client"), "without a boolean active");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(IntrospectionChecks.EndpointAdvertised, "recorded discovery", () => IntrospectionChecks.EvaluateEndpointAdvertised(Recorded.Discovery, Offered));
        yield return new(IntrospectionChecks.ActiveToken, "recorded active access token", () => IntrospectionChecks.EvaluateActive(R.ActiveAccessToken));
        yield return new(IntrospectionChecks.RefreshTokenActive, "recorded active refresh token", () => IntrospectionChecks.EvaluateRefreshActive(R.ActiveRefreshToken));
        yield return new(IntrospectionChecks.ResponseJson, "recorded active", () => IntrospectionChecks.EvaluateResponseJson(R.ActiveAccessToken));
        yield return new(IntrospectionChecks.ResponseJson, "recorded inactive", () => IntrospectionChecks.EvaluateResponseJson(R.Inactive));
        foreach (var member in IntrospectionChecks.RecommendedMembers)
            yield return new(IntrospectionChecks.ActiveMembers, $"recorded, {member}", () => IntrospectionChecks.EvaluateMember(R.ActiveAccessToken, member));
        yield return new(IntrospectionChecks.ExpInFuture, "recorded", () => IntrospectionChecks.EvaluateExp(R.ActiveAccessToken, R.RecordedAt));
        yield return new(IntrospectionChecks.ScopeGranted, "recorded, granted scope", () =>
            IntrospectionChecks.EvaluateScope(R.ActiveAccessToken, "openid profile email address phone offline_access"));
        yield return new(IntrospectionChecks.ClientIdOfToken, "recorded own token", () =>
            IntrospectionChecks.EvaluateClientId(R.ActiveAccessToken, "conf-client", "conf-client"));
        yield return new(IntrospectionChecks.ClientIdOfToken, "recorded second client's token", () =>
            IntrospectionChecks.EvaluateClientId(R.SecondClientsToken, "conf-client-2", "conf-client"));
        yield return new(IntrospectionChecks.ClientIdOfToken, "foreign token hidden by policy", () =>
            IntrospectionChecks.EvaluateClientId(R.Inactive, "conf-client-2", "conf-client"));
        yield return new(IntrospectionChecks.SubOfToken, "recorded", () => IntrospectionChecks.EvaluateSub(R.ActiveAccessToken, "alice"));
        yield return new(IntrospectionChecks.InactiveToken, "recorded inactive", () => IntrospectionChecks.EvaluateInactive(R.Inactive, R.ActiveAccessToken));
        yield return new(IntrospectionChecks.InactiveNoDetails, "recorded inactive", () => IntrospectionChecks.EvaluateInactiveNoDetails(R.Inactive));
        yield return new(IntrospectionChecks.WrongHint, "recorded", () => IntrospectionChecks.EvaluateWrongHint(R.ActiveAccessToken, R.ActiveAccessToken, "access token"));
        yield return new(IntrospectionChecks.AuthRequired, "recorded 400 without credentials", () => IntrospectionChecks.EvaluateAuthRequired(R.NoCredentials));
        yield return new(IntrospectionChecks.InvalidClient, "recorded 401", () => IntrospectionChecks.EvaluateInvalidClient(R.WrongSecret, true));
        yield return new(IntrospectionChecks.ForeignToken, "recorded second client's token", () =>
            IntrospectionChecks.EvaluateForeignToken(R.SecondClientsToken, "conf-client-2", "conf-client"));
        yield return new(IntrospectionChecks.ForeignToken, "hidden by policy", () =>
            IntrospectionChecks.EvaluateForeignToken(R.Inactive, "conf-client-2", "conf-client"));
    }
}

public sealed class RevocationProofs : IFailureProofs, IPassProofs
{
    private static HttpExchange Revoke(int status, string body = "", string contentType = "application/json; charset=utf-8") =>
        Make.Exchange(status, body, body.Length == 0 ? "" : contentType, "http://op.test/token/revocation", "POST");

    private static TokenResponse Refreshed => Make.Token("{\"access_token\":\"at-2\",\"token_type\":\"Bearer\",\"expires_in\":300,\"refresh_token\":\"rt-1\"}");

    private static readonly FeatureSet Offered = new() { Revocation = true };

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(RevocationChecks.EndpointAdvertised, "offered but not advertised (Casdoor #1574)", () => RevocationChecks.EvaluateEndpointAdvertised(
            Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o.Remove("revocation_endpoint"))), Offered), "not advertised");

        yield return new(RevocationChecks.RefreshTokenRevoked, "200 but the refresh token still works", () =>
            RevocationChecks.EvaluateRefreshRevoked(Refreshed, R.Revoked, Refreshed), "still works");
        yield return new(RevocationChecks.RefreshTokenRevoked, "refresh tokens unsupported", () =>
            RevocationChecks.EvaluateRefreshRevoked(Refreshed, Revoke(400, "{\"error\":\"unsupported_token_type\"}"), R.RefreshAfterRevocation), "unsupported_token_type");
        yield return new(RevocationChecks.RefreshTokenRevoked, "wrong hint answered as an error", () =>
            RevocationChecks.EvaluateRefreshRevoked(Refreshed, Revoke(400, "{\"error\":\"invalid_request\"}"), R.RefreshAfterRevocation), "expected 200");

        yield return new(RevocationChecks.AccessTokenRevoked, "200 but the access token still works", () =>
            RevocationChecks.EvaluateAccessRevoked(R.UserInfoWorks, R.Revoked, R.UserInfoWorks), "still works");
        yield return new(RevocationChecks.AccessTokenRevoked, "access tokens unsupported", () =>
            RevocationChecks.EvaluateAccessRevoked(R.UserInfoWorks, Revoke(400, "{\"error\":\"unsupported_token_type\"}"), R.UserInfoWorks), "does not support");

        yield return new(RevocationChecks.RefreshRevokesAccess, "access token survives its refresh token", () =>
            RevocationChecks.EvaluateRefreshRevokesAccess(R.UserInfoWorks, R.Revoked, R.UserInfoWorks), "still works");
        yield return new(RevocationChecks.RefreshRevokesAccess, "introspection still active", () =>
            RevocationChecks.EvaluateRefreshRevokesAccess(new AccessTokenProbe(AccessTokenProbe.Introspection, R.ActiveAccessToken.Exchange), R.Revoked,
                new AccessTokenProbe(AccessTokenProbe.Introspection, R.ActiveAccessToken.Exchange)), "still works");

        yield return new(RevocationChecks.InvalidToken200, "garbage answered invalid_token", () =>
            RevocationChecks.EvaluateInvalidToken200(Revoke(400, "{\"error\":\"invalid_token\"}")), "must be 200");
        yield return new(RevocationChecks.InvalidToken200, "garbage answered 404", () =>
            RevocationChecks.EvaluateInvalidToken200(Revoke(404, "{\"error\":\"not_found\"}")), "must be 200");

        yield return new(RevocationChecks.InvalidClient, "wrong secret accepted", () =>
            RevocationChecks.EvaluateInvalidClient(R.Revoked, true), "wrong client secret is accepted");
        yield return new(RevocationChecks.InvalidClient, "400 for wrong Basic credentials", () =>
            RevocationChecks.EvaluateInvalidClient(Revoke(400, "{\"error\":\"invalid_client\"}"), true), "expected 401");
        yield return new(RevocationChecks.InvalidClient, "401 with another error code", () =>
            RevocationChecks.EvaluateInvalidClient(Revoke(401, "{\"error\":\"unauthorized_client\"}"), false), "not invalid_client");

        yield return new(RevocationChecks.ClientAuthRequired, "revoked without credentials", () =>
            RevocationChecks.EvaluateClientAuthRequired(R.Revoked, R.RefreshAfterRevocation, true), "it was revoked");
        yield return new(RevocationChecks.ClientAuthRequired, "accepted without credentials, token kept", () =>
            RevocationChecks.EvaluateClientAuthRequired(R.Revoked, Refreshed, true), "instead of refused");

        yield return new(RevocationChecks.OtherClient, "another client revokes the refresh token", () =>
            RevocationChecks.EvaluateOtherClient([R.Revoked, R.Revoked], R.RefreshAfterRevocation, R.UserInfoWorks, true, true), "refresh token no longer works");
        yield return new(RevocationChecks.OtherClient, "another client revokes the access token", () =>
            RevocationChecks.EvaluateOtherClient([R.Revoked], null, R.UserInfoRefused, false, true), "access token no longer works");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(RevocationChecks.EndpointAdvertised, "recorded discovery", () => RevocationChecks.EvaluateEndpointAdvertised(Recorded.Discovery, Offered));
        yield return new(RevocationChecks.RefreshTokenRevoked, "recorded", () => RevocationChecks.EvaluateRefreshRevoked(Refreshed, R.Revoked, R.RefreshAfterRevocation));
        yield return new(RevocationChecks.AccessTokenRevoked, "recorded", () => RevocationChecks.EvaluateAccessRevoked(R.UserInfoWorks, R.Revoked, R.UserInfoRefused));
        yield return new(RevocationChecks.RefreshRevokesAccess, "recorded", () => RevocationChecks.EvaluateRefreshRevokesAccess(R.UserInfoWorks, R.Revoked, R.UserInfoRefused));
        yield return new(RevocationChecks.InvalidToken200, "recorded 200", () => RevocationChecks.EvaluateInvalidToken200(R.Revoked));
        yield return new(RevocationChecks.InvalidClient, "recorded 401", () => RevocationChecks.EvaluateInvalidClient(R.RevocationWrongSecret, true));
        yield return new(RevocationChecks.ClientAuthRequired, "recorded 400 without credentials", () =>
            RevocationChecks.EvaluateClientAuthRequired(R.RevocationNoCredentials, Refreshed, true));
        yield return new(RevocationChecks.OtherClient, "recorded refusal", () =>
            RevocationChecks.EvaluateOtherClient([R.RevocationByOtherClient], Refreshed, R.UserInfoWorks, true, true));
    }
}
