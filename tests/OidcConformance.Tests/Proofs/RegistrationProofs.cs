using System.Text.Json;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;
using C = OidcConformance.Checks.RegistrationChecks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Dynamic client registration. The answers follow node-oidc-provider 9.13.3's as the suite's run recorded them (201 with the
/// registered metadata, client_secret, registration_access_token and registration_client_uri; 400 invalid_redirect_uri),
/// with one property broken.
/// </summary>
public sealed class RegistrationProofs : IFailureProofs, IPassProofs
{
    private const string Sent = """{"redirect_uris":["http://127.0.0.1:5000/callback"],"client_name":"OidcConformance registration x","grant_types":["authorization_code"],"response_types":["code"],"token_endpoint_auth_method":"client_secret_basic"}""";
    private const string CreatedJson = """{"application_type":"web","grant_types":["authorization_code"],"id_token_signed_response_alg":"RS256","post_logout_redirect_uris":[],"require_auth_time":false,"response_types":["code"],"subject_type":"public","token_endpoint_auth_method":"client_secret_basic","require_pushed_authorization_requests":false,"client_id":"abc","client_id_issued_at":1765134000,"client_name":"OidcConformance registration x","client_secret":"s3cr3t-value","client_secret_expires_at":0,"redirect_uris":["http://127.0.0.1:5000/callback"],"registration_client_uri":"http://op.test/reg/abc","registration_access_token":"rat-value"}""";

    private static RegistrationResponse Answer(int status, string json) =>
        RegistrationResponse.From(Make.Exchange(status, json, url: "http://op.test/reg", method: "POST"));
    private static RegistrationResponse Created => Answer(201, CreatedJson);
    private static RegistrationResponse Edited(Action<System.Text.Json.Nodes.JsonObject> edit, int status = 201) => Answer(status, Make.Edit(CreatedJson, edit));
    private static JsonElement SentMetadata => JsonDocument.Parse(Sent).RootElement.Clone();
    private static HttpExchange Read(int status, string json) => Make.Exchange(status, json, url: "http://op.test/reg/abc");
    private static readonly FeatureSet Offered = new() { Registration = true };
    private static AuthorizationOutcome CodeOutcome => new(AuthorizationEnd.Redirected, "/callback")
    {
        Response = new AuthorizationResponse(ResponseLocation.Query, [new("code", "c-1"), new("state", "s")], new Uri("http://127.0.0.1:5000/callback?code=c-1&state=s")),
    };
    private static TokenResponse TokenWithAud(string aud) => Make.Token($$"""{"access_token":"at","token_type":"Bearer","expires_in":300,"id_token":"{{IdToken(aud).Raw}}"}""");
    private static DecodedJwt IdToken(string aud) => DecodedJwt.Decode(ClientSigningKey.FromSecret("0123456789abcdef0123456789abcdef")
        .Sign(new System.Text.Json.Nodes.JsonObject { ["iss"] = "http://op.test", ["sub"] = "alice", ["aud"] = aud, ["exp"] = 2000000000, ["iat"] = 1765134000 }));

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(C.EndpointAdvertised, "offered but not advertised", () => C.EvaluateEndpointAdvertised(
            Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o.Remove("registration_endpoint"))), Offered), "not advertised");
        yield return new(C.ClientRegistered, "200 instead of 201", () => C.EvaluateRegistered(Answer(200, CreatedJson), "client_secret_basic"), "requires 201 Created");
        yield return new(C.ClientRegistered, "no client_secret for client_secret_basic", () => C.EvaluateRegistered(Edited(o => o.Remove("client_secret")), "client_secret_basic"), "got no client_secret");
        yield return new(C.ClientRegistered, "HTML error page", () => C.EvaluateRegistered(RegistrationResponse.From(Make.Exchange(500, "<html>oops</html>", "text/html", "http://op.test/reg", "POST")), "client_secret_basic"), "HTTP 500");
        yield return new(C.MetadataEchoed, "client_name and grant_types left out", () => C.EvaluateMetadataEchoed(Edited(o => { o.Remove("client_name"); o.Remove("grant_types"); }), SentMetadata), "client_name, grant_types");
        yield return new(C.RegisteredClientLogsIn, "code exchange refused", () => C.EvaluateRegisteredClientLogsIn(Created, CodeOutcome,
            Make.Token("{\"error\":\"invalid_client\"}", 401), null), "code exchange failed");
        yield return new(C.RegisteredClientLogsIn, "ID token for another client", () => C.EvaluateRegisteredClientLogsIn(Created, CodeOutcome, TokenWithAud("other"), IdToken("other")), "does not name its client_id");
        yield return new(C.InvalidRedirectUri, "fragment registered", () => C.EvaluateInvalidRedirectUri(Created, Created), "was registered");
        yield return new(C.InvalidRedirectUri, "wrong error code", () => C.EvaluateInvalidRedirectUri(Created, Answer(400, "{\"error\":\"invalid_request\"}")), "requires HTTP 400 with error invalid_redirect_uri");
        yield return new(C.InvalidMetadata, "invalid method registered as given", () => C.EvaluateInvalidMetadata(Created,
            Edited(o => o["token_endpoint_auth_method"] = "no_such_auth_method"), "token_endpoint_auth_method", "no_such_auth_method"), "was registered");
        yield return new(C.InvalidMetadata, "500", () => C.EvaluateInvalidMetadata(Created, Answer(500, "{\"error\":\"server_error\"}"), "token_endpoint_auth_method", "no_such_auth_method"), "requires HTTP 400");
        yield return new(C.ReadWithToken, "401 with the right token", () => C.EvaluateRead(Created, Read(401, "{\"error\":\"invalid_token\"}")), "answered HTTP 401");
        yield return new(C.ReadWithToken, "another client's registration", () => C.EvaluateRead(Created, Read(200, Make.Edit(CreatedJson, o => o["client_id"] = "zzz"))), "not the registered client's");
        yield return new(C.ReadNeedsToken, "wrong token reads the registration", () => C.EvaluateReadNeedsToken(Read(200, CreatedJson), Read(200, CreatedJson)), "reads the client's registration");
        yield return new(C.ReadNeedsToken, "wrong token answered 403", () => C.EvaluateReadNeedsToken(Read(200, CreatedJson), Read(403, "{}")), "requires 401");
        yield return new(C.Update, "update ignored", () => C.EvaluateUpdate(Created, Read(200, CreatedJson), "new name"), "not the new value");
        yield return new(C.MetadataEchoed, "200 answer without client_name", () => C.EvaluateMetadataEchoed(Edited(o => o.Remove("client_name"), status: 200), SentMetadata), "client_name");
        yield return new(C.Update, "update refused", () => C.EvaluateUpdate(Created, Read(400, "{\"error\":\"invalid_request\"}"), "new name"), "answered HTTP 400");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(C.ClientRegistered, "201 with client_id and secret", () => C.EvaluateRegistered(Created, "client_secret_basic"));
        yield return new(C.MetadataEchoed, "all members returned", () => C.EvaluateMetadataEchoed(Created, SentMetadata));
        yield return new(C.MetadataEchoed, "all members returned with 200 (the 201 is client-registered's)", () => C.EvaluateMetadataEchoed(Answer(200, CreatedJson), SentMetadata));
        yield return new(C.RegisteredClientLogsIn, "code exchanged, aud the new client", () => C.EvaluateRegisteredClientLogsIn(Created, CodeOutcome, TokenWithAud("abc"), IdToken("abc")));
        yield return new(C.InvalidRedirectUri, "400 invalid_redirect_uri", () => C.EvaluateInvalidRedirectUri(Created, Answer(400, "{\"error\":\"invalid_redirect_uri\",\"error_description\":\"redirect_uris must not contain fragments\"}")));
        yield return new(C.InvalidMetadata, "value replaced", () => C.EvaluateInvalidMetadata(Created, Created, "token_endpoint_auth_method", "no_such_auth_method"));
        yield return new(C.ReadNeedsToken, "401", () => C.EvaluateReadNeedsToken(Read(200, CreatedJson), Read(401, "{\"error\":\"invalid_token\"}")));
        yield return new(C.Update, "new name", () => C.EvaluateUpdate(Created, Read(200, Make.Edit(CreatedJson, o => o["client_name"] = "new name")), "new name"));
    }
}
