using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Suites.UserInfo;

/// <summary>UserInfo with the reference flow's access token (OIDC Core 1.0 §5.3, §5.4).</summary>
[TestFixture, Category("UserInfo"), Parallelizable(ParallelScope.Self)]
public sealed class UserInfoTests : ConformanceTest
{
    private static Task<UserInfoAnswer> UserInfoGetWithFlow(ConformanceRun r) => UserInfoFlows.GetWithReferenceTokenAsync(r);

    private static async Task<HttpExchange> UserInfoGet(ConformanceRun r) => (await UserInfoGetWithFlow(r)).Exchange;

    [Test] public Task Get_with_bearer_header() => Verify(UserInfoChecks.GetBearer, async r => UserInfoChecks.EvaluateGetBearer(await UserInfoGet(r)));

    [Test] public Task Sub_matches_id_token() => Verify(UserInfoChecks.SubMatches, async r =>
    {
        var (flow, userinfo) = await UserInfoGetWithFlow(r);
        return UserInfoChecks.EvaluateSubMatches(JsonBody.From(userinfo), flow.IdToken.ClaimString("sub"));
    });

    public static readonly string[] StandardScopes = ["profile", "email", "address", "phone"];

    /// <summary>OIDC Core §5.4 names and §5.1 types; the profile says only which attributes the user has.</summary>
    [TestCaseSource(nameof(StandardScopes))]
    public Task Scope_claims_use_the_standard_names(string scope) => Verify(UserInfoChecks.ScopeClaims, async r =>
    {
        var (flow, userinfo) = await UserInfoGetWithFlow(r);
        var granted = flow.GrantedScope.Split(' ').Contains(scope);
        return UserInfoChecks.EvaluateScopeClaims(JsonBody.From(userinfo), scope, flow.User.Claims, granted);
    });

    /// <summary>Regression against the provider's documented mapping (the profile's claim table), not a spec verdict.</summary>
    [TestCaseSource(nameof(StandardScopes))]
    public Task Scope_claims_match_the_documented_mapping(string scope) => Verify(UserInfoChecks.ClaimMappingAsDocumented, async r =>
    {
        var (flow, userinfo) = await UserInfoGetWithFlow(r);
        var granted = flow.GrantedScope.Split(' ').Contains(scope);
        return UserInfoChecks.EvaluateClaimMapping(JsonBody.From(userinfo), scope, flow.User.Claims.GetValueOrDefault(scope), granted);
    });

    [Test] public Task Standard_claims_have_their_types() => Verify(TokenContentChecks.UserInfoStandardTypes, async r =>
        TokenContentChecks.EvaluateUserInfoStandardTypes(JsonBody.From(await UserInfoGet(r))));

    [Test] public Task No_credential_material() => Verify(TokenContentChecks.UserInfoNoCredentials, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        return TokenContentChecks.EvaluateUserInfoNoCredentials(JsonBody.From(await UserInfoGet(r)), flow.User.Password);
    });
}
