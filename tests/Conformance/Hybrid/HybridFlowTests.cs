using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Suites.Implicit;

namespace OidcConformance.Suites.Hybrid;

/// <summary>
/// The hybrid flow (OIDC Core 1.0 §3.3): response_type code id_token, code token and code id_token token, in the
/// fragment and with form_post; nonce required where an ID token comes from the authorization endpoint; c_hash and
/// at_hash; the code exchange and the iss/sub of both ID tokens.
/// </summary>
[TestFixture, Category("Hybrid"), Parallelizable(ParallelScope.Self)]
public sealed class HybridFlowTests : ConformanceTest
{
    private static readonly string[] Types = [.. ResponseTypes.Hybrid];
    private static readonly string[] IdTokenTypes = [.. ResponseTypes.Hybrid.Where(ResponseTypes.HasIdToken)];
    private static readonly string[] TokenTypes = [.. ResponseTypes.Hybrid.Where(ResponseTypes.HasToken)];
    private static readonly string[] IdTokenAndTokenTypes = [.. ResponseTypes.Hybrid.Where(t => ResponseTypes.HasIdToken(t) && ResponseTypes.HasToken(t))];
    private static IEnumerable<TestCaseData> IdTokenCases() => FrontChannelSuite.IdTokenCases(ResponseTypes.Hybrid);

    [TestCaseSource(nameof(Types))]
    public Task Response_carries_the_requested_artifacts(string rt) => Verify(ImplicitHybridChecks.ResponseParameters, r => FrontChannelSuite.ResponseParametersAsync(r, rt, null));

    [TestCaseSource(nameof(Types))]
    public Task Response_is_in_the_fragment(string rt) => Verify(ImplicitHybridChecks.FragmentEncoding, r => FrontChannelSuite.FragmentAsync(r, rt));

    [TestCaseSource(nameof(Types))]
    public Task State_is_echoed(string rt) => Verify(AuthorizationResponseChecks.StateEchoed, r => FrontChannelSuite.StateAsync(r, rt, null));

    [TestCaseSource(nameof(Types))]
    public Task No_refresh_token_in_the_front_channel(string rt) => Verify(ImplicitHybridChecks.NoRefreshToken, r => FrontChannelSuite.NoRefreshTokenAsync(r, rt));

    [TestCaseSource(nameof(IdTokenTypes))]
    public Task Request_without_nonce_is_rejected(string rt) => Verify(ImplicitHybridChecks.NonceRequired, r => FrontChannelSuite.NonceRequiredAsync(r, rt));

    [TestCaseSource(nameof(IdTokenCases))]
    public Task Id_token_is_valid(string check, string rt) => Verify(FrontChannelSuite.IdTokenCheck(check), r => FrontChannelSuite.FrontIdTokenAsync(r, check, rt));

    [TestCaseSource(nameof(IdTokenTypes))]
    public Task C_hash_matches_the_code(string rt) => Verify(IdTokenHashChecks.CHash, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        var jwt = flow.RequireFrontIdToken();
        return IdTokenHashChecks.EvaluateCHash(jwt, flow.Response!.Code, required: true)
            .WithCase($"{rt} (authorization endpoint)").WithEvidence(new Evidence("ID token", jwt.DescribeForEvidence()));
    });

    [TestCaseSource(nameof(IdTokenAndTokenTypes))]
    public Task At_hash_matches_the_access_token(string rt) => Verify(IdTokenHashChecks.AtHash, r => FrontChannelSuite.AtHashAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Token_type_is_bearer(string rt) => Verify(ImplicitHybridChecks.TokenType, r => FrontChannelSuite.TokenTypeAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Expires_in_is_present(string rt) => Verify(ImplicitHybridChecks.ExpiresIn, r => FrontChannelSuite.ExpiresInAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Access_token_works_at_userinfo(string rt) => Verify(UserInfoChecks.GetBearer, r => FrontChannelSuite.UserInfoAsync(r, rt, compareSub: false));

    /// <summary>OIDC Core §3.3.3.1–3: the code from the front channel is redeemed as in the code flow.</summary>
    [TestCaseSource(nameof(Types))]
    public Task Code_exchanges_at_the_token_endpoint(string rt) => Verify(TokenResponseChecks.Success, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        return TokenResponseChecks.EvaluateSuccess(flow.RequireToken()).WithCase(flow.Case);
    });

    [TestCaseSource(nameof(Types))]
    public Task Code_exchange_returns_an_id_token(string rt) => Verify(TokenResponseChecks.IdTokenIssued, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        return TokenResponseChecks.EvaluateIdTokenIssued(flow.RequireToken(), flow.Request.Get("scope") ?? "").WithCase(flow.Case);
    });

    /// <summary>OIDC Core §3.3.3.6 → §3.1.3.6: the token endpoint's ID token carries the request's nonce too.</summary>
    [TestCaseSource(nameof(Types))]
    public Task Token_endpoint_id_token_nonce(string rt) => Verify(IdTokenChecks.Nonce, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        var token = flow.RequireToken();
        if (token.IdToken is null) throw new OidcConformance.Run.PrerequisiteException($"the code exchange returned no id_token ({token.Describe()})");
        return IdTokenChecks.EvaluateNonce(flow.BackIdToken, flow.Expectations(r.Issuer)).WithCase($"{rt} (token endpoint)");
    });

    [TestCaseSource(nameof(IdTokenTypes))]
    public Task Both_id_tokens_have_the_same_iss_and_sub(string rt) => Verify(ImplicitHybridChecks.IssSubIdentical, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        var front = flow.RequireFrontIdToken();
        var token = flow.RequireToken();
        if (token.IdToken is null) throw new OidcConformance.Run.PrerequisiteException($"the code exchange returned no id_token ({token.Describe()})");
        return ImplicitHybridChecks.EvaluateIssSubIdentical(front, flow.BackIdToken).WithCase(flow.Case);
    });

    [TestCaseSource(nameof(Types))]
    public Task Form_post_response(string rt) => Verify(ImplicitHybridChecks.FormPost, r => FrontChannelSuite.FormPostAsync(r, rt));

    [TestCaseSource(nameof(Types))]
    public Task Form_post_carries_the_requested_artifacts(string rt) => Verify(ImplicitHybridChecks.ResponseParameters, r => FrontChannelSuite.ResponseParametersAsync(r, rt, "form_post"));

    [TestCaseSource(nameof(Types))]
    public Task Form_post_state_is_echoed(string rt) => Verify(AuthorizationResponseChecks.StateEchoed, r => FrontChannelSuite.StateAsync(r, rt, "form_post"));
}
