using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using C = OidcConformance.Checks.ClientAuthJwtChecks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Client authentication with JWTs. The answers are node-oidc-provider 9.13.3's, as the run of this suite recorded them
/// (a client_credentials token; 401 invalid_client "invalid_client" for a refused assertion), with one property broken.
/// </summary>
public sealed class ClientAuthJwtProofs : IFailureProofs, IPassProofs
{
    private static TokenResponse Issued => Make.Token("{\"access_token\":\"at-cc\",\"expires_in\":600,\"token_type\":\"Bearer\",\"scope\":\"api:read\"}");
    private static TokenResponse InvalidClient => Make.Token("{\"error\":\"invalid_client\",\"error_description\":\"client authentication failed\"}", 401);
    private static TokenResponse InvalidGrant => Make.Token("{\"error\":\"invalid_grant\",\"error_description\":\"grant request is invalid\"}", 400);
    private static HttpExchange Introspection(string json, int status = 200) => Make.Exchange(status, json, url: "http://op.test/token/introspection", method: "POST");
    private static HttpExchange Revocation(int status, string body = "") => Make.Exchange(status, body, url: "http://op.test/token/revocation", method: "POST");
    private static DiscoveryDocument Discovery(Action<System.Text.Json.Nodes.JsonObject> edit) => Make.Discovery(Make.Edit(Recorded.DiscoveryJson, edit));

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(C.PrivateKeyJwt, "a valid private_key_jwt assertion refused", () => C.EvaluateMethodWorks("private_key_jwt", InvalidClient), "was refused");
        yield return new(C.ClientSecretJwt, "a valid client_secret_jwt assertion refused", () => C.EvaluateMethodWorks("client_secret_jwt", InvalidClient), "was refused");
        yield return new(C.PrivateKeyJwt, "no response", () => C.EvaluateMethodWorks("private_key_jwt", new TokenResponse(Make.Unreachable(), JsonBody.Parse(""))), "no response");

        yield return new(C.AtIntrospection, "401 at introspection", () => C.EvaluateAtIntrospection("private_key_jwt", Issued,
            Introspection("{\"error\":\"invalid_client\"}", 401)), "answered HTTP 401");
        yield return new(C.AtIntrospection, "own token inactive", () => C.EvaluateAtIntrospection("client_secret_jwt", Issued,
            Introspection("{\"active\":false}")), "not active");
        yield return new(C.AtRevocation, "401 at revocation", () => C.EvaluateAtRevocation("private_key_jwt", Issued,
            Revocation(401, "{\"error\":\"invalid_client\"}")), "answered HTTP 401");

        foreach (var (check, change) in new[]
                 {
                     (C.WrongAudience, "an assertion whose aud names another server"), (C.Expired, "an expired assertion"),
                     (C.Unsigned, "an unsigned assertion (alg none)"), (C.WrongKey, "an assertion signed with a wrong key or secret"),
                     (C.IssuerNotClient, "an assertion whose iss is not the client_id"), (C.Replayed, "an assertion already used (same jti)"),
                 })
        {
            yield return new(check, "tokens issued for the changed assertion", () => C.EvaluateRefused(check, "private_key_jwt", change, Issued, Issued),
                "tokens were issued");
            yield return new(check, "refused with invalid_grant instead of invalid_client", () => C.EvaluateRefused(check, "client_secret_jwt", change, Issued, InvalidGrant),
                "requires error invalid_client");
        }

        yield return new(C.MethodAdvertised, "works but not listed", () => C.EvaluateMethodAdvertised(
            Discovery(o => o["token_endpoint_auth_methods_supported"] = new System.Text.Json.Nodes.JsonArray("client_secret_basic")), "private_key_jwt", true), "does not list it");
        yield return new(C.MethodAdvertised, "works, member absent", () => C.EvaluateMethodAdvertised(
            Discovery(o => o.Remove("token_endpoint_auth_methods_supported")), "client_secret_jwt", true), "is absent");

        yield return new(C.SigningAlgsAdvertised, "member absent", () => C.EvaluateSigningAlgsAdvertised(
            Discovery(o => o.Remove("token_endpoint_auth_signing_alg_values_supported"))), "is absent");
        yield return new(C.SigningAlgsAdvertised, "none listed", () => C.EvaluateSigningAlgsAdvertised(
            Discovery(o => o["token_endpoint_auth_signing_alg_values_supported"] = new System.Text.Json.Nodes.JsonArray("RS256", "none"))), "lists none");
        yield return new(C.SigningAlgsAdvertised, "empty", () => C.EvaluateSigningAlgsAdvertised(
            Discovery(o => o["token_endpoint_auth_signing_alg_values_supported"] = new System.Text.Json.Nodes.JsonArray())), "is empty");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(C.PrivateKeyJwt, "tokens issued", () => C.EvaluateMethodWorks("private_key_jwt", Issued));
        yield return new(C.AtIntrospection, "own token active", () => C.EvaluateAtIntrospection("private_key_jwt", Issued,
            Introspection("{\"active\":true,\"client_id\":\"pkjwt-client\",\"scope\":\"api:read\",\"token_type\":\"Bearer\"}")));
        yield return new(C.AtRevocation, "200", () => C.EvaluateAtRevocation("client_secret_jwt", Issued, Revocation(200)));
        yield return new(C.WrongAudience, "invalid_client", () => C.EvaluateRefused(C.WrongAudience, "private_key_jwt", "an assertion whose aud names another server", Issued, InvalidClient));
        yield return new(C.MethodAdvertised, "recorded discovery lists private_key_jwt", () => C.EvaluateMethodAdvertised(Recorded.Discovery, "private_key_jwt", true));
        yield return new(C.SigningAlgsAdvertised, "recorded discovery", () => C.EvaluateSigningAlgsAdvertised(Recorded.Discovery));
    }
}
