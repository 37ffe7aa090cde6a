using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using C = OidcConformance.Checks.JwtBearerChecks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// The JWT bearer grant. The answers are made by hand in the shape RFC 7523 §3.1
/// gives (400 invalid_grant) and node-oidc-provider's token answers (the recorded discovery document for the advertised case).
/// </summary>
public sealed class JwtBearerProofs : IFailureProofs, IPassProofs
{
    private static TokenResponse Issued => Make.Token("{\"access_token\":\"at-jb\",\"expires_in\":600,\"token_type\":\"Bearer\",\"scope\":\"api:read\"}");
    private static TokenResponse InvalidGrant => Make.Token("{\"error\":\"invalid_grant\",\"error_description\":\"assertion is invalid\"}", 400);
    private static TokenResponse InvalidRequest => Make.Token("{\"error\":\"invalid_request\"}", 400);

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(C.AssertionGrant, "valid assertion refused", () => C.EvaluateGrant(InvalidGrant), "was refused");
        foreach (var check in new[] { C.WrongAudience, C.Expired, C.NotYetValid, C.BadSignature, C.Replayed })
        {
            yield return new(check, "token issued for the changed assertion", () => C.EvaluateRefused(check, "a changed assertion", Issued, Issued), "was issued");
            yield return new(check, "refused with invalid_request", () => C.EvaluateRefused(check, "a changed assertion", Issued, InvalidRequest), "requires error invalid_grant");
        }
        yield return new(C.GrantAdvertised, "works but not listed", () => C.EvaluateAdvertised(Recorded.Discovery, true), "does not list it");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(C.AssertionGrant, "token issued", () => C.EvaluateGrant(Issued));
        yield return new(C.Expired, "invalid_grant", () => C.EvaluateRefused(C.Expired, "an expired assertion", Issued, InvalidGrant));
        yield return new(C.GrantAdvertised, "listed", () => C.EvaluateAdvertised(Make.Discovery(Make.Edit(Recorded.DiscoveryJson,
            o => o["grant_types_supported"] = new System.Text.Json.Nodes.JsonArray("authorization_code", C.GrantType))), true));
    }
}
