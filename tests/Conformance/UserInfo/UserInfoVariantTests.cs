using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Http;

namespace OidcConformance.Suites.UserInfo;

/// <summary>UserInfo request variants and error responses (OIDC Core 1.0 §5.3, RFC 6750 §2, §3).</summary>
[TestFixture, Category("UserInfo"), Category("UserInfoVariants"), Parallelizable(ParallelScope.Self)]
public sealed class UserInfoVariantTests : ConformanceTest
{
    [Test] public Task Post_with_bearer_header() => Verify(UserInfoVariantChecks.PostBearerHeader, async r =>
    {
        var endpoint = await UserInfoVariantFlow.EndpointAsync(r);
        var (token, sub) = await UserInfoVariantFlow.ReferenceTokenAsync(r);
        return UserInfoVariantChecks.EvaluatePostBearerHeader(await UserInfoVariantFlow.PostHeaderAsync(r, endpoint, token), sub);
    });

    [Test] public Task Post_with_token_in_form_body() => Verify(UserInfoVariantChecks.PostFormBody, async r =>
    {
        var endpoint = await UserInfoVariantFlow.EndpointAsync(r);
        var (token, sub) = await UserInfoVariantFlow.ReferenceTokenAsync(r);
        return UserInfoVariantChecks.EvaluatePostFormBody(await UserInfoVariantFlow.PostBodyAsync(r, endpoint, token), sub);
    });

    private static Task<HttpExchange> NoToken(Run.ConformanceRun r) => r.SharedAsync(SharedArtifacts.UserInfoWithoutToken, async () =>
        await UserInfoVariantFlow.NoTokenAsync(r, await UserInfoVariantFlow.EndpointAsync(r)));

    /// <summary>The step of the normal UserInfo GET the case changed ("userinfo request / access token: left out").</summary>
    private static Evidence Mutates(UserInfoPipeline changed) => new("mutates", changed.MutatedStep!);

    [Test] public Task Missing_token_gets_a_bearer_challenge() => Verify(UserInfoVariantChecks.NoTokenChallenge, async r =>
        UserInfoVariantChecks.EvaluateNoTokenChallenge(await NoToken(r)).WithEvidence(Mutates(UserInfoVariantFlow.NoToken())));

    [Test] public Task Missing_token_challenge_has_no_error_code() => Verify(UserInfoVariantChecks.NoTokenNoErrorCode, async r =>
        UserInfoVariantChecks.EvaluateNoTokenNoErrorCode(await NoToken(r)).WithEvidence(Mutates(UserInfoVariantFlow.NoToken())));

    private static Task<HttpExchange> InvalidToken(Run.ConformanceRun r, string @case) => r.SharedAsync(SharedArtifacts.UserInfoWithInvalidToken(@case), async () =>
    {
        var endpoint = await UserInfoVariantFlow.EndpointAsync(r);
        var (token, _) = await UserInfoVariantFlow.ReferenceTokenAsync(r);
        return await UserInfoVariantFlow.InvalidTokenAsync(r, endpoint,
            UserInfoVariantFlow.WithInvalidToken(token, UserInfoVariantFlow.InvalidToken(@case, token), @case), @case);
    });

    // The label depends on the case only (the tokens are not part of it).
    private static Evidence InvalidTokenMutates(string @case) => Mutates(UserInfoVariantFlow.WithInvalidToken("", "", @case));

    [TestCaseSource(typeof(UserInfoVariantFlow), nameof(UserInfoVariantFlow.InvalidTokenCases))]
    public Task Invalid_token_gets_a_bearer_challenge(string @case) => Verify(UserInfoVariantChecks.InvalidTokenChallenge, async r =>
        UserInfoVariantChecks.EvaluateInvalidTokenChallenge(await InvalidToken(r, @case), @case).WithEvidence(InvalidTokenMutates(@case)));

    [TestCaseSource(typeof(UserInfoVariantFlow), nameof(UserInfoVariantFlow.InvalidTokenCases))]
    public Task Invalid_token_gets_401_invalid_token(string @case) => Verify(UserInfoVariantChecks.InvalidTokenErrorCode, async r =>
        UserInfoVariantChecks.EvaluateInvalidTokenErrorCode(await InvalidToken(r, @case), @case).WithEvidence(InvalidTokenMutates(@case)));
}

/// <summary>
/// The scope → claims matrix: one fresh authorization per scope subset (login once in a dedicated user agent, then SSO),
/// UserInfo for each token (OIDC Core 1.0 §5.4; OIDF oidcc-scope-profile/-email/-address/-phone/-all).
/// </summary>
[TestFixture, Category("UserInfo"), Category("UserInfoScopeMatrix"), Parallelizable(ParallelScope.Self)]
public sealed class UserInfoScopeMatrixTests : ConformanceTest
{
    public static IEnumerable<TestCaseData> Subsets() =>
        UserInfoVariantChecks.ScopeSubsets.Select(s => new TestCaseData(s.Label, s.Scope).SetArgDisplayNames(s.Label));

    [TestCaseSource(nameof(Subsets))]
    public Task Granted_scopes_return_their_standard_claims(string label, string scope) => Verify(UserInfoVariantChecks.MatrixGrantedClaims, async r =>
    {
        var s = await UserInfoVariantFlow.SubsetAsync(r, label, scope);
        return UserInfoVariantChecks.EvaluateMatrixGrantedClaims(label, s.Body, s.GrantedScope, s.Flow.User.Claims);
    });

    [TestCaseSource(nameof(Subsets))]
    public Task Scopes_not_requested_return_no_claims(string label, string scope) => Verify(UserInfoVariantChecks.MatrixNoUngrantedClaims, async r =>
    {
        var s = await UserInfoVariantFlow.SubsetAsync(r, label, scope);
        return UserInfoVariantChecks.EvaluateMatrixNoUngrantedClaims(label, s.Body, s.GrantedScope);
    });

    /// <summary>The ID token of each subset's flow: claims of scopes not granted should not be in it (OIDC Core §5.4, §17.1).</summary>
    [TestCaseSource(nameof(Subsets))]
    public Task Id_token_releases_only_granted_scope_claims(string label, string scope) => Verify(TokenContentChecks.IdTokenOnlyGrantedScopeClaims, async r =>
    {
        var s = await UserInfoVariantFlow.SubsetAsync(r, label, scope);
        return TokenContentChecks.EvaluateIdTokenOnlyGrantedScopeClaims(label, s.Flow.IdToken, s.GrantedScope);
    });

    [TestCaseSource(nameof(Subsets))]
    public Task Sub_is_identical_across_subsets(string label, string scope) => Verify(UserInfoVariantChecks.MatrixSubStable, async r =>
    {
        var s = await UserInfoVariantFlow.SubsetAsync(r, label, scope);
        var (allLabel, allScope) = UserInfoVariantChecks.ScopeSubsets[^1];
        string? referenceSub = null;
        try { referenceSub = (await UserInfoVariantFlow.SubsetAsync(r, allLabel, allScope)).Body.String("sub"); }
        catch (Run.PrerequisiteException) { }
        return UserInfoVariantChecks.EvaluateMatrixSubStable(label, s.Body, s.Flow.IdToken.ClaimString("sub"), s.Flow.User.Subject, referenceSub);
    });
}
