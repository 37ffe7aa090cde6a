using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// DPoP (RFC 9449). The artifacts are node-oidc-provider 9's answers as the suite's Dpop run saw them (token response,
/// introspection, UserInfo refusals, use_dpop_nonce challenges), changed the one way each proof needs.
/// </summary>
public sealed class DpopProofs : IFailureProofs, IPassProofs
{
    private const string TokenEndpoint = "http://op.test/token";
    private const string UserInfoEndpoint = "http://op.test/me";
    private const string Thumbprint = "0ZcOCORZNYy-DWpqq30jZyJGHTN0d2HglBV3uiguA4I";

    private const string DpopTokenJson =
        "{\"access_token\":\"at-0123456789\",\"expires_in\":300,\"token_type\":\"DPoP\",\"scope\":\"api:read\"}";

    private const string ActiveDpopIntrospection =
        "{\"active\":true,\"client_id\":\"conf-client\",\"exp\":1795439657,\"iat\":1795439357,\"iss\":\"http://op.test\",\"scope\":\"openid\",\"sub\":\"user-1\",\"token_type\":\"DPoP\",\"cnf\":{\"jkt\":\"" + Thumbprint + "\"}}";

    private static HttpExchange Answer(int status, string body, string url = TokenEndpoint, string method = "POST", params (string, string)[] headers) =>
        Make.Exchange(status, body, url: url, method: method, headers: headers);

    private static DpopExchange Once(int status, string body, string url = TokenEndpoint, params (string, string)[] headers) =>
        new(Answer(status, body, url, headers: headers), null);

    private static DpopExchange Accepted => Once(200, DpopTokenJson);
    private static DpopExchange UserInfoAccepted => Once(200, "{\"sub\":\"user-1\"}", UserInfoEndpoint);
    private static DpopExchange InvalidProof(string description) =>
        Once(400, $"{{\"error\":\"invalid_dpop_proof\",\"error_description\":\"{description}\"}}");
    private static DpopExchange InvalidToken =>
        Once(401, "{\"error\":\"invalid_token\",\"error_description\":\"invalid token provided\"}", UserInfoEndpoint,
            ("WWW-Authenticate", "DPoP realm=\"http://op.test\", error=\"invalid_token\", algs=\"ES256\""));

    /// <summary>A token endpoint's use_dpop_nonce challenge (§8), with or without its DPoP-Nonce header.</summary>
    private static HttpExchange NonceChallenge(bool withHeader = true) => withHeader
        ? Answer(400, "{\"error\":\"use_dpop_nonce\",\"error_description\":\"nonce is required in the DPoP proof\"}", headers: ("DPoP-Nonce", "nonce-abcdef123456"))
        : Answer(400, "{\"error\":\"use_dpop_nonce\",\"error_description\":\"nonce is required in the DPoP proof\"}");

    private static IntrospectionResponse Introspection(string json) =>
        IntrospectionResponse.From(Make.Exchange(200, json, url: "http://op.test/token/introspection", method: "POST"));

    private static DiscoveryDocument Discovery(Action<System.Text.Json.Nodes.JsonObject> edit) =>
        Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => { o[DpopChecks.AlgsMember] = new System.Text.Json.Nodes.JsonArray("ES256", "EdDSA"); edit(o); }));

    private static readonly FeatureSet Offered = new() { Dpop = true };

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(DpopChecks.TokenType, "token_type Bearer for a request with a proof", () =>
            DpopChecks.EvaluateTokenType(Once(200, Make.Edit(DpopTokenJson, o => o["token_type"] = "Bearer"))), "not DPoP");
        yield return new(DpopChecks.TokenType, "token_type missing", () =>
            DpopChecks.EvaluateTokenType(Once(200, Make.Edit(DpopTokenJson, o => o.Remove("token_type")))), "missing");

        yield return new(DpopChecks.CnfJkt, "cnf missing from the introspection response", () =>
            DpopChecks.EvaluateCnfJkt(Introspection(Make.Edit(ActiveDpopIntrospection, o => o.Remove("cnf"))), null, Thumbprint), "no cnf member");
        yield return new(DpopChecks.CnfJkt, "cnf.jkt of another key", () =>
            DpopChecks.EvaluateCnfJkt(Introspection(Make.Edit(ActiveDpopIntrospection, o => o["cnf"] = new System.Text.Json.Nodes.JsonObject { ["jkt"] = "someone-elses-thumbprint" })), null, Thumbprint),
            "not the thumbprint");
        yield return new(DpopChecks.CnfJkt, "JWT access token without cnf (no introspection)", () =>
            DpopChecks.EvaluateCnfJkt(null, Make.Jwt(Make.Header(), Make.IdTokenClaims()), Thumbprint), "no cnf member");

        yield return new(DpopChecks.UserInfoRequiresProof, "bound token accepted as Bearer without a proof", () =>
            DpopChecks.EvaluateRefused(DpopChecks.UserInfoRequiresProof, UserInfoAccepted, UserInfoAccepted, "the bound access token without a proof"), "is accepted");
        // Casdoor 3.158's shape (docs/casdoor.md): the refusal is an error object inside an HTTP 200 answer
        yield return new(DpopChecks.UserInfoRequiresProof, "refused only inside an HTTP 200 body", () =>
            DpopChecks.EvaluateRefused(DpopChecks.UserInfoRequiresProof, UserInfoAccepted,
                Once(200, "{\"status\":\"error\",\"error\":\"invalid_token\",\"msg\":\"DPoP proof required\"}", UserInfoEndpoint),
                "the bound access token without a proof"), "refused only inside a success answer");
        yield return new(DpopChecks.OtherKeyRefused, "proof of another key accepted", () =>
            DpopChecks.EvaluateRefused(DpopChecks.OtherKeyRefused, UserInfoAccepted, UserInfoAccepted, "a proof signed by another key"), "is accepted");
        yield return new(DpopChecks.WrongAthRefused, "wrong ath accepted", () =>
            DpopChecks.EvaluateRefused(DpopChecks.WrongAthRefused, UserInfoAccepted, UserInfoAccepted, "a proof whose ath is another token's hash"), "is accepted");
        yield return new(DpopChecks.WrongHtmRefused, "proof for GET accepted at the token endpoint", () =>
            DpopChecks.EvaluateRefused(DpopChecks.WrongHtmRefused, Accepted, Accepted, "a proof for another HTTP method"), "is accepted");
        yield return new(DpopChecks.WrongHtuRefused, "proof for another endpoint accepted", () =>
            DpopChecks.EvaluateRefused(DpopChecks.WrongHtuRefused, Accepted, Accepted, "a proof for another URI"), "is accepted");
        yield return new(DpopChecks.StaleIatRefused, "proof an hour old accepted", () =>
            DpopChecks.EvaluateRefused(DpopChecks.StaleIatRefused, Accepted, Accepted, "a proof created an hour ago"), "is accepted");
        yield return new(DpopChecks.ReplayedJtiRefused, "the same proof accepted twice", () =>
            DpopChecks.EvaluateRefused(DpopChecks.ReplayedJtiRefused, Accepted, Accepted, "the same proof sent a second time"), "is accepted");
        yield return new(DpopChecks.RefreshBoundPublicClient, "public client's refresh token works with another key", () =>
            DpopChecks.EvaluateRefused(DpopChecks.RefreshBoundPublicClient, Accepted, Accepted, "a refresh with a proof of another key"), "is accepted");
        yield return new(DpopChecks.RefreshBoundPublicClient, "accepted although the control failed: acceptance needs no control", () =>
            DpopChecks.EvaluateRefused(DpopChecks.RefreshBoundPublicClient, InvalidProof("DPoP proof htm mismatch"), Accepted, "a refresh without a proof"), "is accepted");

        yield return new(DpopChecks.NonceChallenge, "use_dpop_nonce without a DPoP-Nonce header", () =>
            DpopChecks.EvaluateNonceChallenge(new DpopExchange(NonceChallenge(withHeader: false), null), "token endpoint"), "without a DPoP-Nonce header");
        yield return new(DpopChecks.NonceChallenge, "the nonce the server gave is challenged again", () =>
            DpopChecks.EvaluateNonceChallenge(new DpopExchange(NonceChallenge(), NonceChallenge()), "token endpoint"), "not honoured");
        yield return new(DpopChecks.NonceChallenge, "resource server challenge without a DPoP-Nonce header", () =>
            DpopChecks.EvaluateNonceChallenge(new DpopExchange(Answer(401, "", UserInfoEndpoint, "GET",
                ("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\", error_description=\"Resource server requires nonce in DPoP proof\"")), null), "UserInfo"),
            "without a DPoP-Nonce header");

        yield return new(DpopChecks.DiscoveryAdvertised, "offered but not advertised", () =>
            DpopChecks.EvaluateDiscoveryAdvertised(Discovery(o => o.Remove(DpopChecks.AlgsMember)), Offered), "not advertised");
        yield return new(DpopChecks.DiscoveryAdvertised, "a string instead of an array", () =>
            DpopChecks.EvaluateDiscoveryAdvertised(Discovery(o => o[DpopChecks.AlgsMember] = "ES256"), Offered), "not an array");
        yield return new(DpopChecks.DiscoveryAdvertised, "an empty array", () =>
            DpopChecks.EvaluateDiscoveryAdvertised(Discovery(o => o[DpopChecks.AlgsMember] = new System.Text.Json.Nodes.JsonArray()), Offered), "empty array");

        yield return new(DpopChecks.DiscoveryAlgsAsymmetric, "HS256 listed", () =>
            DpopChecks.EvaluateDiscoveryAlgs(Discovery(o => o[DpopChecks.AlgsMember] = new System.Text.Json.Nodes.JsonArray("ES256", "HS256"))), "HS256");
        yield return new(DpopChecks.DiscoveryAlgsAsymmetric, "none listed", () =>
            DpopChecks.EvaluateDiscoveryAlgs(Discovery(o => o[DpopChecks.AlgsMember] = new System.Text.Json.Nodes.JsonArray("none", "ES256"))), "none");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(DpopChecks.TokenType, "token_type DPoP", () => DpopChecks.EvaluateTokenType(Accepted));
        yield return new(DpopChecks.TokenType, "token_type dpop (case-insensitive, RFC 6749 §5.1)", () =>
            DpopChecks.EvaluateTokenType(Once(200, Make.Edit(DpopTokenJson, o => o["token_type"] = "dpop"))));
        yield return new(DpopChecks.CnfJkt, "introspection with cnf.jkt", () =>
            DpopChecks.EvaluateCnfJkt(Introspection(ActiveDpopIntrospection), null, Thumbprint));
        yield return new(DpopChecks.UserInfoRequiresProof, "refused without a proof", () =>
            DpopChecks.EvaluateRefused(DpopChecks.UserInfoRequiresProof, UserInfoAccepted, InvalidToken, "the bound access token without a proof"));
        yield return new(DpopChecks.WrongHtmRefused, "invalid_dpop_proof", () =>
            DpopChecks.EvaluateRefused(DpopChecks.WrongHtmRefused, Accepted, InvalidProof("DPoP proof htm mismatch"), "a proof for another HTTP method"));
        yield return new(DpopChecks.NonceChallenge, "challenge with a nonce, retry accepted", () =>
            DpopChecks.EvaluateNonceChallenge(new DpopExchange(NonceChallenge(), Answer(200, DpopTokenJson)), "token endpoint"));
        yield return new(DpopChecks.DiscoveryAdvertised, "ES256 and EdDSA", () =>
            DpopChecks.EvaluateDiscoveryAdvertised(Discovery(_ => { }), Offered));
        yield return new(DpopChecks.DiscoveryAlgsAsymmetric, "ES256 and EdDSA", () =>
            DpopChecks.EvaluateDiscoveryAlgs(Discovery(_ => { })));
    }
}
