using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Failure and pass proofs of the resource indicator checks (RFC 8707): access tokens as JWTs (node-oidc-provider's shape for a
/// served resource: aud = the resource) or opaque with an introspection response, and the refusals of malformed resources.
/// </summary>
public sealed class ResourceProofs : IFailureProofs, IPassProofs
{
    private const string Resource = "https://api.example.test/";

    private static TokenResponse JwtToken(JsonNode? aud)
    {
        var claims = new JsonObject { ["iss"] = "http://op.test", ["client_id"] = "cc-client", ["scope"] = "api:read", ["exp"] = 1_900_000_000 };
        if (aud is not null) claims["aud"] = aud;
        var jwt = Make.Jwt(Make.Header().With("typ", "at+jwt"), claims, Make.TestKey);
        return Make.Token($"{{\"access_token\":\"{jwt}\",\"token_type\":\"Bearer\",\"expires_in\":300,\"scope\":\"api:read\"}}");
    }

    private static TokenResponse Opaque => Make.Token("{\"access_token\":\"opaque-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
    private static JsonBody Introspection(string json) => JsonBody.Parse(json, "application/json");
    private static TokenResponse Error(string error, int status = 400) => Make.Token($"{{\"error\":\"{error}\"}}", status);

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(ResourceChecks.AudienceReflected, "JWT aud is the client", () =>
            ResourceChecks.EvaluateAudienceReflected(JwtToken("cc-client"), null, Resource), "does not contain the requested resource");
        yield return new(ResourceChecks.AudienceReflected, "JWT without aud", () =>
            ResourceChecks.EvaluateAudienceReflected(JwtToken(null), null, Resource), "does not contain the requested resource");
        yield return new(ResourceChecks.AudienceReflected, "introspection aud is another resource", () =>
            ResourceChecks.EvaluateAudienceReflected(Opaque, Introspection("{\"active\":true,\"aud\":\"https://other.example.test/\"}"), Resource), "does not contain");

        yield return new(ResourceChecks.AudienceRestricted, "JWT aud also names another resource", () =>
            ResourceChecks.EvaluateAudienceRestricted(JwtToken(new JsonArray(Resource, "https://other.example.test/")), null, Resource), "also names");
        yield return new(ResourceChecks.AudienceRestricted, "JWT without aud", () =>
            ResourceChecks.EvaluateAudienceRestricted(JwtToken(null), null, Resource), "names no audience");

        yield return new(ResourceChecks.InvalidTarget, "relative resource accepted", () =>
            ResourceChecks.EvaluateInvalidTarget(JwtToken(Resource), Opaque, "/"), "was accepted");
        yield return new(ResourceChecks.InvalidTarget, "fragment refused with invalid_request", () =>
            ResourceChecks.EvaluateInvalidTarget(JwtToken(Resource), Error("invalid_request"), Resource + "#section"), "expected 400 invalid_target");
        yield return new(ResourceChecks.InvalidTarget, "invalid_target with HTTP 200", () =>
            ResourceChecks.EvaluateInvalidTarget(JwtToken(Resource), Error("invalid_target", 200), "/"), "expected 400 invalid_target");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(ResourceChecks.AudienceReflected, "JWT aud is the resource", () => ResourceChecks.EvaluateAudienceReflected(JwtToken(Resource), null, Resource));
        yield return new(ResourceChecks.AudienceReflected, "introspection aud lists the resource", () =>
            ResourceChecks.EvaluateAudienceReflected(Opaque, Introspection($"{{\"active\":true,\"aud\":[\"{Resource}\"]}}"), Resource));
        yield return new(ResourceChecks.AudienceRestricted, "JWT aud is only the resource", () => ResourceChecks.EvaluateAudienceRestricted(JwtToken(Resource), null, Resource));
        yield return new(ResourceChecks.InvalidTarget, "invalid_target 400", () => ResourceChecks.EvaluateInvalidTarget(JwtToken(Resource), Error("invalid_target"), "/"));
    }
}
