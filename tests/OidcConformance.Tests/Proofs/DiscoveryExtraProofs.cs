using System.Text.Json.Nodes;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Proofs;

public sealed class DiscoveryExtraProofs : IFailureProofs, IPassProofs
{
    private static string Real => Recorded.DiscoveryJson;
    private static string Url => Recorded.Issuer + "/.well-known/openid-configuration";
    private static DiscoveryDocument Edited(Action<JsonObject> edit) => Make.Discovery(Make.Edit(Real, edit), Url);
    private static JwksDocument RealJwks => Recorded.Jwks;
    private static JwksDocument EditedJwks(Action<JsonObject> edit) => Make.Jwks(Make.Edit(RealJwks.Body.Object!.Value.GetRawText(), edit));
    private static JsonNode Key(JsonObject o, int i) => o["keys"]![i]!;

    private static readonly FeatureSet AllOn = new()
    {
        AuthorizationCode = true, Implicit = true, RefreshToken = true, ClientCredentials = true, Userinfo = true, Introspection = true,
        Revocation = true, RpInitiatedLogout = true,
    };

    private static ClientProfile Client(params string[] methods) => new()
    {
        Role = "confidential", ClientId = "c1", ClientSecret = "s", TokenEndpointAuthMethods = methods, Scope = "openid",
    };

    private static DecodedJwt IdTokenWithKid(string kid) => DecodedJwt.Decode(Make.Jwt(Make.Header(kid), Make.IdTokenClaims()));

    private static string FirstKid => RealJwks.Keys[0].GetProperty("kid").GetString()!;

    private static AppDiscoveryArtifacts App(string name, string docJson, string url, string? idTokenIss = null, JwksDocument? jwks = null) =>
        new(new ApplicationDiscovery(name, url, "confidential"), Make.Discovery(docJson, url))
        {
            Jwks = jwks,
            IdToken = idTokenIss is null ? null : DecodedJwt.Decode(Make.Jwt(Make.Header(), Make.IdTokenClaims().With("iss", idTokenIss))),
        };

    private const string CasdoorApp = "http://localhost:8000/.well-known/app-conformance/openid-configuration";

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(DiscoveryExtraChecks.KtyPresent, "key without kty", () =>
            DiscoveryExtraChecks.EvaluateKtyPresent(EditedJwks(o => Key(o, 0).AsObject().Remove("kty"))), "has no kty");
        yield return new(DiscoveryExtraChecks.KtyRegistered, "lower-case rsa", () =>
            DiscoveryExtraChecks.EvaluateKtyRegistered(EditedJwks(o => Key(o, 0)["kty"] = "rsa")), "kty 'rsa'");
        yield return new(DiscoveryExtraChecks.UseWhenMixed, "encryption key added, signing key without use", () =>
            DiscoveryExtraChecks.EvaluateUseWhenMixed(EditedJwks(o =>
            {
                var enc = JsonNode.Parse(Key(o, 0).ToJsonString())!.AsObject();
                enc["kid"] = "enc-1"; enc["use"] = "enc"; enc["alg"] = "RSA-OAEP";
                Key(o, 0).AsObject().Remove("use");
                o["keys"]!.AsArray().Add(enc);
            })), "has no use");
        yield return new(DiscoveryExtraChecks.UseWhenMixed, "use value 'signing'", () =>
            DiscoveryExtraChecks.EvaluateUseWhenMixed(EditedJwks(o => Key(o, 0)["use"] = "signing")), "use 'signing'");
        yield return new(DiscoveryExtraChecks.IdTokenKeyUse, "ID token signed with a key published as enc", () =>
            DiscoveryExtraChecks.EvaluateIdTokenKeyUse(EditedJwks(o => Key(o, 0)["use"] = "enc"), IdTokenWithKid(FirstKid)), "has use 'enc'");
        yield return new(DiscoveryExtraChecks.IdTokenKeyUse, "key_ops without verify", () =>
            DiscoveryExtraChecks.EvaluateIdTokenKeyUse(EditedJwks(o => Key(o, 0)["key_ops"] = new JsonArray("encrypt")), IdTokenWithKid(FirstKid)), "key_ops without verify");
        yield return new(DiscoveryExtraChecks.AlgConsistent, "RSA key labelled ES256", () =>
            DiscoveryExtraChecks.EvaluateAlgConsistent(EditedJwks(o => Key(o, 0)["alg"] = "ES256")), "needs kty EC");
        yield return new(DiscoveryExtraChecks.AlgConsistent, "P-256 key labelled ES384", () =>
            DiscoveryExtraChecks.EvaluateAlgConsistent(EditedJwks(o => Key(o, 1)["alg"] = "ES384")), "crv 'P-256'");
        yield return new(DiscoveryExtraChecks.AlgConsistent, "signing key with an encryption alg", () =>
            DiscoveryExtraChecks.EvaluateAlgConsistent(EditedJwks(o => Key(o, 0)["alg"] = "RSA-OAEP")), "encryption alg");
        yield return new(DiscoveryExtraChecks.AlgConsistent, "made-up alg", () =>
            DiscoveryExtraChecks.EvaluateAlgConsistent(EditedJwks(o => Key(o, 0)["alg"] = "RSA256")), "not a registered JOSE algorithm");

        yield return new(DiscoveryExtraChecks.AdvertisedGrantWorks, "password advertised, profile off, unsupported_grant_type", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Edited(o => o["grant_types_supported"]!.AsArray().Add("password")), AllOn, "password",
                DiscoveryExtraFlow.JudgeGrant(Make.Token("{\"error\":\"unsupported_grant_type\"}", 400), "password", "c1")), "does not support it");
        yield return new(DiscoveryExtraChecks.AdvertisedGrantWorks, "implicit advertised (Casdoor #514) but unsupported_response_type", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Make.Discovery(Make.Edit(Real, o => o.Remove("grant_types_supported")), Url),
                AllOn with { Implicit = false }, "implicit",
                DiscoveryExtraFlow.JudgeImplicit(Make.Exchange(303, "", "text/html",
                    headers: ("Location", "http://127.0.0.1:5555/callback?error=unsupported_response_type&state=s")), "http://127.0.0.1:5555/callback")),
            "by the Discovery §3 default");
        yield return new(DiscoveryExtraChecks.AdvertisedGrantWorks, "implicit: the browser flow answered unsupported_response_type", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(CasdoorRecording.Discovery, AllOn, "implicit",
                DiscoveryExtraFlow.JudgeImplicitFlow(new AuthorizationOutcome(AuthorizationEnd.Redirected, "/callback")
                {
                    Response = new AuthorizationResponse(ResponseLocation.Fragment, [new("error", "unsupported_response_type"), new("state", "s")], new Uri("http://rp.test/callback")),
                }, "id_token")), "does not support it");
        yield return new(DiscoveryExtraChecks.AdvertisedEndpointWorks, "userinfo: the reference access token gets 404", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(CasdoorRecording.Discovery, AllOn, "userinfo",
                DiscoveryExtraFlow.JudgeUserInfo(Make.Exchange(404, "<html>Not Found</html>", "text/html"))), "does not support it");
        yield return new(DiscoveryExtraChecks.OfferedGrantAdvertised, "refresh_token offered but missing (Casdoor #4676)", () =>
            DiscoveryExtraChecks.EvaluateOfferedGrantAdvertised(Edited(o => o["grant_types_supported"] = new JsonArray("authorization_code", "implicit")), AllOn, "refresh_token"),
            "clients that read the metadata");
        yield return new(DiscoveryExtraChecks.OfferedGrantAdvertised, "refresh_token offered, grant_types_supported omitted", () =>
            DiscoveryExtraChecks.EvaluateOfferedGrantAdvertised(Edited(o => o.Remove("grant_types_supported")), AllOn, "refresh_token"), "default");
        yield return new(DiscoveryExtraChecks.AdvertisedEndpointWorks, "revocation endpoint advertised but 404 (profile off)", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(Recorded.Discovery, AllOn with { Revocation = false }, "revocation",
                DiscoveryExtraFlow.JudgeEndpoint(Make.Exchange(404, "{\"error\":\"not_found\"}", method: "POST"), "revocation")), "does not support it");
        yield return new(DiscoveryExtraChecks.OfferedEndpointAdvertised, "revocation offered, not advertised (Casdoor)", () =>
            DiscoveryExtraChecks.EvaluateOfferedEndpointAdvertised(Edited(o => o.Remove("revocation_endpoint")), AllOn, "revocation"), "not in the discovery document");

        yield return new(DiscoveryExtraChecks.AuthMethodsCoverClients, "post-only client, field omitted (default basic)", () =>
            DiscoveryExtraChecks.EvaluateAuthMethodsCoverClients(Edited(o => o.Remove("token_endpoint_auth_methods_supported")), "confidential", Client("client_secret_post")),
            "default is client_secret_basic only");
        yield return new(DiscoveryExtraChecks.AuthMethodsCoverClients, "basic client, only post listed", () =>
            DiscoveryExtraChecks.EvaluateAuthMethodsCoverClients(Edited(o => o["token_endpoint_auth_methods_supported"] = new JsonArray("client_secret_post")),
                "confidential", Client("client_secret_basic")), "does not list");
        yield return new(DiscoveryExtraChecks.ResponseModesKnown, "Casdoor #3967", () =>
            DiscoveryExtraChecks.EvaluateResponseModesKnown(Edited(o => o["response_modes_supported"] = new JsonArray("query", "fragment", "login", "code", "link"))),
            "login, code, link");
        yield return new(DiscoveryExtraChecks.ClaimsSupportedSub, "no sub", () =>
            DiscoveryExtraChecks.EvaluateClaimsSupportedSub(Edited(o => o["claims_supported"] = new JsonArray("name", "email", "displayName"))), "not sub");

        yield return new(DiscoveryExtraChecks.AppDocumentJson, "per-app document is an HTML page", () =>
            DiscoveryExtraChecks.EvaluateAppDocumentJson([new AppDiscoveryArtifacts(new ApplicationDiscovery("app", CasdoorApp, "confidential"),
                Make.Discovery("<html><title>Casdoor</title></html>", CasdoorApp, 200, "text/html"))]), "HTML instead of JSON");
        yield return new(DiscoveryExtraChecks.AppIssuer, "per-app issuer is neither global nor own base", () =>
            DiscoveryExtraChecks.EvaluateAppIssuer([App("app", Make.Edit(Real, o => o["issuer"] = "http://casdoor:8000"), CasdoorApp)], "http://localhost:8000"),
            "not the global issuer");
        yield return new(DiscoveryExtraChecks.AppIssuer, "per-app document at a §4.1 URL names the global issuer (no relaxation: IssuerRule)", () =>
            DiscoveryExtraChecks.EvaluateAppIssuer([App("app", Make.Edit(Real, o => o["issuer"] = "http://localhost:8000"), "http://localhost:8000/apps/app/.well-known/openid-configuration")], "http://localhost:8000"),
            "URL base");
        yield return new(DiscoveryExtraChecks.AppIdTokenIss, "per-app document without an issuer", () =>
            DiscoveryExtraChecks.EvaluateAppIdTokenIss([App("app", Make.Edit(Real, o => o.Remove("issuer")), CasdoorApp, idTokenIss: "http://localhost:8000")]),
            "names no issuer");
        yield return new(DiscoveryExtraChecks.AppJwks, "per-app JWKS error envelope (Casdoor #4141)", () =>
            DiscoveryExtraChecks.EvaluateAppJwks([App("app", Real, CasdoorApp, jwks: Make.Jwks("{\"status\":\"error\",\"msg\":\"Unauthorized operation\"}"))]),
            "no 'keys' array");
        yield return new(DiscoveryExtraChecks.AppIdTokenIss, "Casdoor #5582: document issuer per app, token iss global", () =>
            DiscoveryExtraChecks.EvaluateAppIdTokenIss([App("gitea", Make.Edit(Real, o => o["issuer"] = "http://localhost:8000/.well-known/gitea"), CasdoorApp,
                idTokenIss: "http://localhost:8000")]), "differs from the document's issuer");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        var j = RealJwks;
        yield return new(DiscoveryExtraChecks.KtyPresent, "recorded", () => DiscoveryExtraChecks.EvaluateKtyPresent(j));
        yield return new(DiscoveryExtraChecks.KtyRegistered, "recorded", () => DiscoveryExtraChecks.EvaluateKtyRegistered(j));
        yield return new(DiscoveryExtraChecks.UseWhenMixed, "recorded", () => DiscoveryExtraChecks.EvaluateUseWhenMixed(j));
        yield return new(DiscoveryExtraChecks.AlgConsistent, "recorded", () => DiscoveryExtraChecks.EvaluateAlgConsistent(j));
        yield return new(DiscoveryExtraChecks.IdTokenKeyUse, "recorded", () => DiscoveryExtraChecks.EvaluateIdTokenKeyUse(j, IdTokenWithKid(FirstKid)));
        yield return new(DiscoveryExtraChecks.AdvertisedGrantWorks, "refresh_token: a recorded real refresh issued tokens", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(Recorded.Discovery, AllOn, "refresh_token",
                DiscoveryExtraFlow.JudgeGrant(RecordedPkceRefresh.Token("refresh: first (confidential)"), "refresh_token", "c1")));
        yield return new(DiscoveryExtraChecks.AdvertisedGrantWorks, "Casdoor implicit: the browser flow returned an id_token", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedGrantWorks(CasdoorRecording.Discovery, AllOn, "implicit",
                DiscoveryExtraFlow.JudgeImplicitFlow(new AuthorizationOutcome(AuthorizationEnd.Redirected, "/callback")
                {
                    Response = new AuthorizationResponse(ResponseLocation.Fragment, [new("id_token", Make.Jwt(Make.Header(), Make.IdTokenClaims())), new("state", "s")],
                        new Uri("http://rp.test/callback")),
                }, "id_token")));
        yield return new(DiscoveryExtraChecks.OfferedGrantAdvertised, "recorded", () =>
            DiscoveryExtraChecks.EvaluateOfferedGrantAdvertised(Recorded.Discovery, AllOn, "client_credentials"));
        yield return new(DiscoveryExtraChecks.AdvertisedEndpointWorks, "userinfo: recorded claims for a valid access token", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(Recorded.Discovery, AllOn, "userinfo", DiscoveryExtraFlow.JudgeUserInfo(Recorded.UserInfo)));
        yield return new(DiscoveryExtraChecks.AdvertisedEndpointWorks, "Casdoor userinfo: recorded claims for the reference access token", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(CasdoorRecording.Discovery, AllOn, "userinfo",
                DiscoveryExtraFlow.JudgeUserInfo(CasdoorRecording.Exchange("userinfo GET"))));
        yield return new(DiscoveryExtraChecks.AdvertisedEndpointWorks, "Casdoor introspection: recorded {active:false} for a bogus token", () =>
            DiscoveryExtraChecks.EvaluateAdvertisedEndpointWorks(CasdoorRecording.Discovery, AllOn, "introspection",
                DiscoveryExtraFlow.JudgeEndpoint(CasdoorRecording.Exchange("probe: introspection (bogus token)"), "introspection")));
        yield return new(DiscoveryExtraChecks.AuthMethodsCoverClients, "recorded", () =>
            DiscoveryExtraChecks.EvaluateAuthMethodsCoverClients(Recorded.Discovery, "confidential", Client("client_secret_basic", "client_secret_post")));
        yield return new(DiscoveryExtraChecks.ResponseModesKnown, "recorded", () => DiscoveryExtraChecks.EvaluateResponseModesKnown(Recorded.Discovery));
        yield return new(DiscoveryExtraChecks.ClaimsSupportedSub, "recorded", () => DiscoveryExtraChecks.EvaluateClaimsSupportedSub(Recorded.Discovery));
        yield return new(DiscoveryExtraChecks.AppIssuer, "per-app document keeps the global issuer", () =>
            DiscoveryExtraChecks.EvaluateAppIssuer([App("app", Make.Edit(Real, o => o["issuer"] = "http://localhost:8000"), CasdoorApp)], "http://localhost:8000"));
        yield return new(DiscoveryExtraChecks.AppIdTokenIss, "consistent", () =>
            DiscoveryExtraChecks.EvaluateAppIdTokenIss([App("app", Make.Edit(Real, o => o["issuer"] = "http://localhost:8000"), CasdoorApp, idTokenIss: "http://localhost:8000")]));
    }
}
