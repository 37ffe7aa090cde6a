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
    /// <summary>
    /// What each library said when the step broke. Recorded: the interop suite under the faults id-token-wrong-aud,
    /// jwks-unrelated-key, userinfo-sub-differs and c-hash-wrong (InteropFaultTests, 2026-12-07) and against glewlwyd 2.7.5
    /// (Recorded/reports/interop/glewlwyd.interop.report.json); the other steps have hand-made texts in the libraries' style.
    /// </summary>
    private static readonly Dictionary<string, string> Recorded = new()
    {
        ["interop.aspnetcore.id-token"] = "SecurityTokenInvalidAudienceException: IDX10214: Audience validation failed. See https://aka.ms/identitymodel/app-context-switches",
        ["interop.openid-client.id-token"] = "ClientError (OAUTH_JWT_CLAIM_COMPARISON_FAILED) unexpected JWT claim value encountered — cause: unexpected JWT \"aud\" (audience) claim value",
        ["interop.aspnetcore.userinfo"] = "OpenIdConnectProtocolException: IDX21338: Subject claim present in 'id_token': '[PII of type 'System.String' is hidden.]' does not match the claim received from UserInfo Endpoint",
        ["interop.openid-client.userinfo"] = "ClientError (OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED) unexpected JSON attribute value encountered — cause: unexpected \"response\" body \"sub\" property value",
        // Hybrid rows: faults c-hash-wrong and userinfo-sub-differs (InteropFaultTests, 2026-12-07) and glewlwyd 2.7.5's form_post iss (README deviation 21).
        ["interop.aspnetcore-hybrid.id-token"] = "OpenIdConnectProtocolInvalidCHashException: IDX21347: Validating the 'c_hash' failed, see inner exception. → OpenIdConnectProtocolException: IDX21300: The hash claim: '[PII of type 'System.String' is hidden.]' in the id_token did not validate",
        ["interop.openid-client-hybrid.id-token"] = "ClientError (OAUTH_INVALID_RESPONSE) invalid response encountered — cause: unexpected \"iss\" (issuer) response parameter value",
        ["interop.aspnetcore-hybrid.userinfo"] = "OpenIdConnectProtocolException: IDX21338: Subject claim present in 'id_token': '[PII of type 'System.String' is hidden.]' does not match the claim received from UserInfo Endpoint",
        ["interop.openid-client-hybrid.userinfo"] = "ClientError (OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED) unexpected JSON attribute value encountered — cause: unexpected \"response\" body \"sub\" property value",
        ["interop.openid-client.login"] = "ResponseBodyError (OAUTH_RESPONSE_BODY_ERROR) server responded with an error in the response body — cause: unauthorized_client",
    };

    private static readonly Dictionary<string, string> HandMade = new()
    {
        ["discovery"] = "InvalidOperationException: IDX20803: Unable to obtain configuration from: 'http://127.0.0.1:1/.well-known/openid-configuration'.",
        ["login"] = "OpenIdConnectProtocolException: Message contains error: 'invalid_grant', error_description: 'grant request is invalid'",
        ["claims"] = "the app's nameidentifier claim (absent) is not the ID token's sub",
        ["refresh"] = "HTTP 400 error 'invalid_grant': grant request is invalid",
        ["introspection"] = "the provider says the access token it just issued is not active (active: false)",
        ["revocation"] = "ResponseBodyError (OAUTH_RESPONSE_BODY_ERROR) server responded with an error in the response body — cause: invalid_client",
        ["logout"] = "the provider did not send the browser back to post_logout_redirect_uri: the provider shows an error page: invalid_request",
    };

    public IEnumerable<FailureProof> Proofs() =>
        InteropLibraries.All.SelectMany(InteropChecks.Of).Select(check =>
        {
            var step = InteropChecks.Parse(check.Id)!.Value.Step;
            var message = Recorded.GetValueOrDefault(check.Id) ?? HandMade[step];
            return new FailureProof(check, $"Broken: {message}",
                () => InteropChecks.Evaluate(check, new InteropCell(step, InteropStatus.Broken, message)), message);
        });

    public IEnumerable<PassProof> PassProofs() =>
        SavedReports.Load(SavedReports.NodeInterop).Interop.Where(c => c.Status == "Works").Select(c =>
        {
            var check = CheckCatalog.Get(c.Check);
            return new PassProof(check, $"recorded on node-oidc-provider 9.13.3: {c.Detail}",
                () => InteropChecks.Evaluate(check, new InteropCell(c.Step, InteropStatus.Works, c.Detail)));
        });
}
