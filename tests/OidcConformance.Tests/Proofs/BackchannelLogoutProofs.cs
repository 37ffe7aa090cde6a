using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// OpenID Connect Back-Channel Logout 1.0. The logout token has the shape node-oidc-provider 9 sends (iss, aud, iat, exp,
/// jti, sub, sid, events), signed with the test key; each proof changes it the one way the check must see.
/// </summary>
public sealed class BackchannelLogoutProofs : IFailureProofs, IPassProofs
{
    private const string Issuer = "http://op.test";
    private const string Client = "bcl-client";
    private const string Sid = "sid-7f3c1a";

    private static JsonObject Claims()
    {
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = Issuer, ["aud"] = Client, ["iat"] = now, ["exp"] = now + 600, ["jti"] = "jti-4b2e9d", ["sub"] = "alice", ["sid"] = Sid,
            ["events"] = new JsonObject { [BackchannelLogoutChecks.EventMember] = new JsonObject() },
        };
    }

    private static BackchannelDelivery Delivered(JsonObject claims, JsonObject? header = null) =>
        new(true, "redirected to the post-logout redirect URI", "POST", Make.Jwt(header ?? Make.Header(), claims), 0.4);

    private static BackchannelDelivery Edited(Action<JsonObject> edit)
    {
        var c = Claims();
        edit(c);
        return Delivered(c);
    }

    private static DecodedJwt IdToken(string sid = Sid) => DecodedJwt.Decode(Make.Jwt(Make.Header(), Make.IdTokenClaims().With("sid", sid)));

    private static readonly FeatureSet Offered = new() { BackchannelLogout = true };

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(BackchannelLogoutChecks.DiscoveryAdvertised, "offered but not advertised", () =>
            BackchannelLogoutChecks.EvaluateDiscoveryAdvertised(Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o.Remove("backchannel_logout_supported"))), Offered), "not advertised");
        yield return new(BackchannelLogoutChecks.DiscoveryAdvertised, "advertised as the string \"true\"", () =>
            BackchannelLogoutChecks.EvaluateDiscoveryAdvertised(Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o["backchannel_logout_supported"] = "true")), Offered), "not the JSON boolean");

        yield return new(BackchannelLogoutChecks.Delivered, "logout completed, nothing arrived", () =>
            BackchannelLogoutChecks.EvaluateDelivered(new BackchannelDelivery(true, "redirected", null, null, 10.0)), "no request reached");
        yield return new(BackchannelLogoutChecks.Delivered, "a GET instead of a POST", () =>
            BackchannelLogoutChecks.EvaluateDelivered(new BackchannelDelivery(true, "redirected", "GET", null, 0.3)), "not a POST");
        yield return new(BackchannelLogoutChecks.Delivered, "a POST without logout_token", () =>
            BackchannelLogoutChecks.EvaluateDelivered(new BackchannelDelivery(true, "redirected", "POST", null, 0.3)), "no logout_token");

        yield return new(BackchannelLogoutChecks.Signature, "alg none", () =>
            BackchannelLogoutChecks.EvaluateSignature(Delivered(Claims(), Make.Header(alg: "none")), Make.Jwks(Make.JwksFor(Make.TestKey))), "unsigned");
        yield return new(BackchannelLogoutChecks.Signature, "signed with a key the JWK Set does not hold", () =>
            BackchannelLogoutChecks.EvaluateSignature(new BackchannelDelivery(true, "redirected", "POST", Make.Jwt(Make.Header(), Claims(), Make.OtherKey), 0.3),
                Make.Jwks(Make.JwksFor(Make.TestKey))), "does not verify");

        yield return new(BackchannelLogoutChecks.Claims, "jti missing", () =>
            BackchannelLogoutChecks.EvaluateClaims(Edited(c => c.Remove("jti")), Issuer, Client), "jti is missing");
        // Casdoor's logout token has no exp (docs/casdoor.md); required since errata set 1
        yield return new(BackchannelLogoutChecks.Claims, "exp missing", () =>
            BackchannelLogoutChecks.EvaluateClaims(Edited(c => c.Remove("exp")), Issuer, Client), "exp is missing");
        yield return new(BackchannelLogoutChecks.Claims, "another issuer", () =>
            BackchannelLogoutChecks.EvaluateClaims(Edited(c => c["iss"] = "http://internal:8000"), Issuer, Client), "not the issuer");
        yield return new(BackchannelLogoutChecks.Claims, "aud of another client", () =>
            BackchannelLogoutChecks.EvaluateClaims(Edited(c => c["aud"] = "other-client"), Issuer, Client), "does not contain the client");
        yield return new(BackchannelLogoutChecks.Claims, "iat as a string", () =>
            BackchannelLogoutChecks.EvaluateClaims(Edited(c => c["iat"] = "1795439657"), Issuer, Client), "iat is not a number");

        yield return new(BackchannelLogoutChecks.Events, "events missing", () =>
            BackchannelLogoutChecks.EvaluateEvents(Edited(c => c.Remove("events"))), "events is missing");
        yield return new(BackchannelLogoutChecks.Events, "events with another member", () =>
            BackchannelLogoutChecks.EvaluateEvents(Edited(c => c["events"] = new JsonObject { ["http://schemas.openid.net/event/logout"] = new JsonObject() })), "has no member");
        yield return new(BackchannelLogoutChecks.Events, "the event member as a string", () =>
            BackchannelLogoutChecks.EvaluateEvents(Edited(c => c["events"] = new JsonObject { [BackchannelLogoutChecks.EventMember] = "logout" })), "not an object");

        yield return new(BackchannelLogoutChecks.SubOrSid, "neither sub nor sid", () =>
            BackchannelLogoutChecks.EvaluateSubOrSid(Edited(c => { c.Remove("sub"); c.Remove("sid"); })), "neither sub nor sid");

        yield return new(BackchannelLogoutChecks.NoNonce, "nonce present", () =>
            BackchannelLogoutChecks.EvaluateNoNonce(Edited(c => c["nonce"] = "n-0S6_WzA2Mj")), "nonce claim");

        yield return new(BackchannelLogoutChecks.SidMatchesIdToken, "sid of another session", () =>
            BackchannelLogoutChecks.EvaluateSidMatches(Edited(c => c["sid"] = "sid-other"), IdToken(), sessionRequired: true), "not the logged-out session");
        yield return new(BackchannelLogoutChecks.SidMatchesIdToken, "session required, sid missing", () =>
            BackchannelLogoutChecks.EvaluateSidMatches(Edited(c => c.Remove("sid")), IdToken(), sessionRequired: true), "has no sid");
        yield return new(BackchannelLogoutChecks.SidMatchesIdToken, "sub of another user", () =>
            BackchannelLogoutChecks.EvaluateSidMatches(Edited(c => c["sub"] = "bob"), IdToken(), sessionRequired: true), "not the ID token's");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        var jwks = Make.Jwks(Make.JwksFor(Make.TestKey));
        yield return new(BackchannelLogoutChecks.Delivered, "logout_token POSTed", () => BackchannelLogoutChecks.EvaluateDelivered(Delivered(Claims())));
        yield return new(BackchannelLogoutChecks.Signature, "RS256 with the published key", () => BackchannelLogoutChecks.EvaluateSignature(Delivered(Claims()), jwks));
        yield return new(BackchannelLogoutChecks.Claims, "iss, aud, iat, jti", () => BackchannelLogoutChecks.EvaluateClaims(Delivered(Claims()), Issuer, Client));
        yield return new(BackchannelLogoutChecks.Events, "the event declared", () => BackchannelLogoutChecks.EvaluateEvents(Delivered(Claims())));
        yield return new(BackchannelLogoutChecks.SubOrSid, "sid only", () => BackchannelLogoutChecks.EvaluateSubOrSid(Edited(c => c.Remove("sub"))));
        yield return new(BackchannelLogoutChecks.NoNonce, "no nonce", () => BackchannelLogoutChecks.EvaluateNoNonce(Delivered(Claims())));
        yield return new(BackchannelLogoutChecks.SidMatchesIdToken, "same sid and sub", () =>
            BackchannelLogoutChecks.EvaluateSidMatches(Delivered(Claims()), IdToken(), sessionRequired: true));
    }
}
