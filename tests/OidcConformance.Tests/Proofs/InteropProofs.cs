using OidcConformance.Checks;
using OidcConformance.Interop;
using OidcConformance.Tests.Reporting;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Interop cells (<see cref="InteropChecks"/>): a Broken cell with a library's own error text is a Warning naming that
/// text (messages recorded from interop runs under faults and against glewlwyd, see docs/report-schema.md "interop"); a
/// Works cell recorded from the real interop run against node-oidc-provider 9.13.3 passes.
/// </summary>
public sealed class InteropProofs : IFailureProofs, IPassProofs
{
    /// <summary>What each library said when the step broke (recorded: faults wrong-aud, jwks-unrelated-key, userinfo-sub-mismatch, glewlwyd's token endpoint).</summary>
    private static readonly Dictionary<string, string> Broken = new()
    {
        ["discovery"] = "InvalidOperationException: IDX20803: Unable to obtain configuration from: 'http://127.0.0.1:1/.well-known/openid-configuration'.",
        ["login"] = "ResponseBodyError (OAUTH_RESPONSE_BODY_ERROR) server responded with an error in the response body — cause: unauthorized_client",
        ["id-token"] = "SecurityTokenInvalidAudienceException: IDX10214: Audience validation failed.",
        ["userinfo"] = "OpenIdConnectProtocolException: IDX21345: The sub claim in the userinfo response does not match the sub claim in the ID token.",
        ["claims"] = "the app sees no sub claim",
        ["refresh"] = "HTTP 400 error 'invalid_grant': grant request is invalid",
        ["introspection"] = "the provider says the access token it just issued is not active (active: false)",
        ["revocation"] = "ResponseBodyError (OAUTH_RESPONSE_BODY_ERROR) server responded with an error in the response body — cause: invalid_client",
        ["logout"] = "the provider did not send the browser back to post_logout_redirect_uri: the provider shows an error page",
    };

    public IEnumerable<FailureProof> Proofs() =>
        InteropLibraries.All.SelectMany(InteropChecks.Of).Select(check =>
        {
            var step = InteropChecks.Parse(check.Id)!.Value.Step;
            return new FailureProof(check, $"Broken: {Broken[step]}",
                () => InteropChecks.Evaluate(check, new InteropCell(step, InteropStatus.Broken, Broken[step])), Broken[step]);
        });

    public IEnumerable<PassProof> PassProofs() =>
        SavedReports.Load(SavedReports.NodeInterop).Interop.Where(c => c.Status == "Works").Select(c =>
        {
            var check = CheckCatalog.Get(c.Check);
            return new PassProof(check, $"recorded on node-oidc-provider 9.13.3: {c.Detail}",
                () => InteropChecks.Evaluate(check, new InteropCell(c.Step, InteropStatus.Works, c.Detail)));
        });
}
