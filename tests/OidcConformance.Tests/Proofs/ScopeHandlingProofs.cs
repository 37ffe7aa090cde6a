using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using static OidcConformance.Checks.ScopeHandlingChecks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Undefined scope values: granted (as Casdoor 3.158.0 grants the undefined 'api:read' in the recorded client-credentials
/// responses, exchanges.json), ignored, refused with invalid_scope, and the refusal that proves nothing without a control.
/// </summary>
public sealed class ScopeHandlingProofs : IFailureProofs, IPassProofs
{
    private const string Callback = "http://127.0.0.1:5555/callback";

    private static AuthorizationAttempt Flow(string? grantedScope, string? error = null, string scope = "openid")
    {
        var request = new AuthorizationRequest { Endpoint = "http://op.test/auth" }
            .Set("response_type", "code").Set("client_id", "c").Set("redirect_uri", Callback).Set("state", "st-1").Set("scope", scope);
        var p = error is null ? new List<KeyValuePair<string, string>> { new("code", "c1"), new("state", "st-1") }
                              : [new("error", error), new("state", "st-1")];
        var outcome = new AuthorizationOutcome(AuthorizationEnd.Redirected, "/callback")
        {
            Response = new AuthorizationResponse(ResponseLocation.Query, p, new Uri(Callback + "?x")),
        };
        var token = error is null
            ? Make.Token("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":300" + (grantedScope is null ? "" : $",\"scope\":\"{grantedScope}\"") + "}")
            : null;
        return new AuthorizationAttempt(request, outcome, []) { Token = token };
    }

    private static AuthorizationAttempt Control => Flow("openid");
    private const string Requested = "openid " + UndefinedScope;

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(UndefinedScopeNotGranted, "the undefined value echoed in the granted scope (Casdoor: any scope of an application without a scope list, A-13)", () =>
            Evaluate(Control, Flow(Requested, scope: Requested)), "contains 'oidc-conformance-undefined-x7'");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(UndefinedScopeNotGranted, "ignored: granted scope openid", () => Evaluate(Control, Flow("openid", scope: Requested)));
        yield return new(UndefinedScopeNotGranted, "refused with invalid_scope after a successful control", () => Evaluate(Control, Flow(null, "invalid_scope", Requested)));
    }

    /// <summary>Inconclusive cases (ScopeHandlingControlTests): no control, and a token response without scope.</summary>
    public static CheckResult RefusalWithoutControl() => Evaluate(Flow(null, "access_denied"), Flow(null, "invalid_scope", Requested));
    public static CheckResult GrantedScopeAbsent() => Evaluate(Control, Flow(null, scope: Requested));
}
