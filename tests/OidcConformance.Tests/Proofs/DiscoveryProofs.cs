using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

public sealed class DiscoveryProofs : IFailureProofs, IPassProofs
{
    private static string Real => Recorded.DiscoveryJson;
    private static string Url => Recorded.Issuer + "/.well-known/openid-configuration";

    private static Protocol.DiscoveryDocument Edited(Action<JsonObject> edit) => Make.Discovery(Make.Edit(Real, edit), Url);

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(DiscoveryChecks.Json, "HTML error page", () => DiscoveryChecks.EvaluateJson(
            Make.Discovery("<html><head><title>502 Bad Gateway</title></head></html>", Url, 502, "text/html")), "HTTP 502");
        yield return new(DiscoveryChecks.Json, "HTML with 200", () => DiscoveryChecks.EvaluateJson(
            Make.Discovery("<html><title>Login</title></html>", Url, 200, "text/html")), "HTML instead of JSON");
        yield return new(DiscoveryChecks.Json, "JSON as text/plain", () => DiscoveryChecks.EvaluateJson(
            Make.Discovery(Real, Url, 200, "text/plain")), "text/plain");
        yield return new(DiscoveryChecks.Json, "provider down", () => DiscoveryChecks.EvaluateJson(
            Make.Discovery(Real, Url) with { Exchange = Make.Unreachable(Url) }), "connection refused");
        yield return new(DiscoveryChecks.RequiredMetadata, "jwks_uri missing", () =>
            DiscoveryChecks.EvaluateRequiredMetadata(Edited(o => o.Remove("jwks_uri"))), "jwks_uri is missing");
        yield return new(DiscoveryChecks.RequiredMetadata, "subject_types_supported a string", () =>
            DiscoveryChecks.EvaluateRequiredMetadata(Edited(o => o["subject_types_supported"] = "public")), "not a JSON array");
        yield return new(DiscoveryChecks.RequiredMetadata, "token_endpoint missing with code flow", () =>
            DiscoveryChecks.EvaluateRequiredMetadata(Edited(o => o.Remove("token_endpoint"))), "token_endpoint is missing");
        yield return new(DiscoveryChecks.RecommendedMetadata, "claims_supported missing", () =>
            DiscoveryChecks.EvaluateRecommendedMetadata(Edited(o => o.Remove("claims_supported"))), "claims_supported");
        yield return new(DiscoveryChecks.IssuerMatchesDiscoveryUrl, "trailing slash", () =>
            DiscoveryChecks.EvaluateIssuerMatchesUrl(Edited(o => o["issuer"] = Recorded.Issuer + "/")), "differs from");
        yield return new(DiscoveryChecks.IssuerMatchesDiscoveryUrl, "internal host name leaked by a proxy (casdoor.md §1.2)", () =>
            DiscoveryChecks.EvaluateIssuerMatchesUrl(Make.Discovery(Make.Edit(Real, o => o["issuer"] = "http://casdoor:8000"),
                "http://localhost:8000/.well-known/openid-configuration")), "differs from");
        yield return new(DiscoveryChecks.IssuerMatchesProfile, "wrong issuer", () =>
            DiscoveryChecks.EvaluateIssuerMatchesProfile(Edited(o => o["issuer"] = "http://evil.test"), Recorded.Issuer), "not the expected");
        yield return new(DiscoveryChecks.IssuerUrlForm, "http issuer off loopback", () =>
            DiscoveryChecks.EvaluateIssuerForm(Edited(o => o["issuer"] = "http://id.example.com")), "does not use https");
        yield return new(DiscoveryChecks.IssuerUrlForm, "issuer with query", () =>
            DiscoveryChecks.EvaluateIssuerForm(Edited(o => o["issuer"] = "https://id.example.com?tenant=1")), "query or fragment");
        yield return new(DiscoveryChecks.EndpointsAbsolute, "relative token endpoint", () =>
            DiscoveryChecks.EvaluateEndpointsAbsolute(Edited(o => o["token_endpoint"] = "/token")), "token_endpoint");
        yield return new(DiscoveryChecks.EndpointsAbsolute, "http endpoint off loopback", () =>
            DiscoveryChecks.EvaluateEndpointsAbsolute(Edited(o => o["userinfo_endpoint"] = "http://api.example.com/me")), "userinfo_endpoint uses http");
        yield return new(DiscoveryChecks.ResponseTypeCode, "no code", () =>
            DiscoveryChecks.EvaluateResponseTypeCode(Edited(o => o["response_types_supported"] = new JsonArray("id_token"))), "without code");
        yield return new(DiscoveryChecks.Rs256, "only ES256", () =>
            DiscoveryChecks.EvaluateRs256(Edited(o => o["id_token_signing_alg_values_supported"] = new JsonArray("ES256"))), "without RS256");
        yield return new(DiscoveryChecks.ScopesOpenid, "no openid", () =>
            DiscoveryChecks.EvaluateScopesOpenid(Edited(o => o["scopes_supported"] = new JsonArray("profile", "email"))), "without openid");
        yield return new(DiscoveryChecks.SubjectTypes, "unknown type", () =>
            DiscoveryChecks.EvaluateSubjectTypes(Edited(o => o["subject_types_supported"] = new JsonArray("public", "private"))), "private");

        yield return new(DiscoveryChecks.JwksFetched, "error envelope instead of keys", () =>
            DiscoveryChecks.EvaluateJwksFetched(Make.Jwks("{\"status\":\"error\",\"msg\":\"Unauthorized operation\"}")), "no 'keys' array");
        yield return new(DiscoveryChecks.JwksFetched, "HTML", () =>
            DiscoveryChecks.EvaluateJwksFetched(Make.Jwks("<html><title>404</title></html>", 404)), "expected 200");
        yield return new(DiscoveryChecks.JwksUsableKey, "only an encryption key", () =>
            DiscoveryChecks.EvaluateUsableKey(Make.Jwks(Make.JwksFor(Make.TestKey).Replace("\"use\":\"sig\"", "\"use\":\"enc\""))), "none of the");
        yield return new(DiscoveryChecks.JwksUsableKey, "empty set", () =>
            DiscoveryChecks.EvaluateUsableKey(Make.Jwks("{\"keys\":[]}")), "none of the 0 keys");
        yield return new(DiscoveryChecks.JwksUniqueKid, "duplicate kid", () =>
            DiscoveryChecks.EvaluateUniqueKid(Make.Jwks(Make.JwksFor(Make.TestKey, keys: 2).Replace("test-key-1", "test-key"))), "used by 2 keys");
        yield return new(DiscoveryChecks.JwksRsaSize, "1024-bit key", () =>
            DiscoveryChecks.EvaluateRsaSize(Make.Jwks(Make.JwksFor(System.Security.Cryptography.RSA.Create(1024)))), "1024 bits");
        yield return new(DiscoveryChecks.JwksNoPrivateMaterial, "private exponent published", () =>
            DiscoveryChecks.EvaluateNoPrivateMaterial(Make.Jwks(Make.Edit(Make.JwksFor(Make.TestKey), o => o["keys"]![0]!["d"] = "AQAB"))), "'d'");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        var d = Recorded.Discovery;
        yield return new(DiscoveryChecks.Json, "recorded node-oidc-provider", () => DiscoveryChecks.EvaluateJson(d));
        yield return new(DiscoveryChecks.RequiredMetadata, "recorded", () => DiscoveryChecks.EvaluateRequiredMetadata(d));
        yield return new(DiscoveryChecks.IssuerMatchesDiscoveryUrl, "recorded", () => DiscoveryChecks.EvaluateIssuerMatchesUrl(d));
        yield return new(DiscoveryChecks.IssuerMatchesProfile, "recorded", () => DiscoveryChecks.EvaluateIssuerMatchesProfile(d, Recorded.Issuer));
        yield return new(DiscoveryChecks.EndpointsAbsolute, "recorded", () => DiscoveryChecks.EvaluateEndpointsAbsolute(d));
        yield return new(DiscoveryChecks.ResponseTypeCode, "recorded", () => DiscoveryChecks.EvaluateResponseTypeCode(d));
        yield return new(DiscoveryChecks.Rs256, "recorded", () => DiscoveryChecks.EvaluateRs256(d));
        yield return new(DiscoveryChecks.ScopesOpenid, "recorded", () => DiscoveryChecks.EvaluateScopesOpenid(d));
        yield return new(DiscoveryChecks.SubjectTypes, "recorded", () => DiscoveryChecks.EvaluateSubjectTypes(d));
        yield return new(DiscoveryChecks.IssuerUrlForm, "https issuer", () =>
            DiscoveryChecks.EvaluateIssuerForm(Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o["issuer"] = "https://id.example.com"))));
        var j = Recorded.Jwks;
        yield return new(DiscoveryChecks.JwksFetched, "recorded", () => DiscoveryChecks.EvaluateJwksFetched(j));
        yield return new(DiscoveryChecks.JwksUsableKey, "recorded", () => DiscoveryChecks.EvaluateUsableKey(j));
        yield return new(DiscoveryChecks.JwksUniqueKid, "recorded", () => DiscoveryChecks.EvaluateUniqueKid(j));
        yield return new(DiscoveryChecks.JwksRsaSize, "recorded", () => DiscoveryChecks.EvaluateRsaSize(j));
        yield return new(DiscoveryChecks.JwksNoPrivateMaterial, "recorded", () => DiscoveryChecks.EvaluateNoPrivateMaterial(j));
    }
}
