using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;

namespace OidcConformance.Suites.AuthorizationCode;

/// <summary>
/// The authorization code flow with the confidential client: one browser login (shared by the ID token and
/// UserInfo suites), its redirect, and the token response.
/// </summary>
[TestFixture, Category("AuthorizationCode"), Parallelizable(ParallelScope.Self)]
public sealed class CodeFlowTests : ConformanceTest
{
    [Test] public Task Code_is_returned() => Verify(AuthorizationResponseChecks.CodeReturned, async r =>
        AuthorizationResponseChecks.EvaluateCodeReturned((await CodeFlow.ReferenceAsync(r)).Outcome));

    [Test] public Task State_is_echoed() => Verify(AuthorizationResponseChecks.StateEchoed, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        return AuthorizationResponseChecks.EvaluateStateEchoed(flow.Request, flow.Response);
    });

    [Test] public Task Code_response_is_in_query() => Verify(AuthorizationResponseChecks.CodeInQuery, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        return AuthorizationResponseChecks.EvaluateCodeInQuery(flow.Request, flow.Response);
    });

    [Test] public Task Iss_parameter_matches_issuer() => Verify(AuthorizationResponseChecks.IssParameter, async r =>
        AuthorizationResponseChecks.EvaluateIssParameter(await r.DiscoveryAsync(), (await CodeFlow.ReferenceAsync(r)).Response, r.Issuer));

    private static async Task<TokenResponse> ReferenceToken(OidcConformance.Run.ConformanceRun r) => (await CodeFlow.ReferenceAsync(r)).RequireToken();

    [Test] public Task Token_response_is_json() => Verify(TokenResponseChecks.Success, async r => TokenResponseChecks.EvaluateSuccess(await ReferenceToken(r)));
    [Test] public Task Access_token_is_issued() => Verify(TokenResponseChecks.AccessToken, async r => TokenResponseChecks.EvaluateAccessToken(await ReferenceToken(r)));
    [Test] public Task Token_type_is_bearer() => Verify(TokenResponseChecks.TokenTypeBearer, async r => TokenResponseChecks.EvaluateTokenType(await ReferenceToken(r)));
    [Test] public Task Expires_in_is_present() => Verify(TokenResponseChecks.ExpiresInPresent, async r => TokenResponseChecks.EvaluateExpiresInPresent(await ReferenceToken(r)));
    [Test] public Task Expires_in_is_numeric() => Verify(TokenResponseChecks.ExpiresInNumeric, async r => TokenResponseChecks.EvaluateExpiresInNumeric(await ReferenceToken(r)));
    [Test] public Task Cache_control_no_store() => Verify(TokenResponseChecks.NoStore, async r => TokenResponseChecks.EvaluateNoStore(await ReferenceToken(r)));
    [Test] public Task Pragma_no_cache() => Verify(TokenResponseChecks.PragmaNoCache, async r => TokenResponseChecks.EvaluatePragma(await ReferenceToken(r)));
    [Test] public Task Id_token_is_issued() => Verify(TokenResponseChecks.IdTokenIssued, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        return TokenResponseChecks.EvaluateIdTokenIssued(flow.RequireToken(), flow.Request.Get("scope") ?? "");
    });

    /// <summary>Both secret-based client authentication methods the client registered (RFC 6749 §2.3.1).</summary>
    [TestCase("client_secret_basic")]
    [TestCase("client_secret_post")]
    public Task Code_exchange_with_client_authentication(string method) => Verify(TokenResponseChecks.Success, async r =>
    {
        var client = r.Profile.Confidential;
        if (!client.Supports(method))
            return TokenResponseChecks.Success.NotApplicable($"the confidential client is not registered for {method}").WithCase(method);
        var reference = await CodeFlow.ReferenceAsync(r);
        // Reuse the logged-in session: the provider answers without a new login (SSO).
        var flow = await r.SharedAsync(SharedArtifacts.CodeFlowWithAuthentication(method), () =>
            CodeFlow.RunAsync(r, client, r.Profile.PrimaryUser, ClientAuthenticationNames.Parse(method), reference.UserAgent));
        return TokenResponseChecks.EvaluateSuccess(flow.RequireToken()).WithCase(method);
    });
}
