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
    private static Task<HttpExchange> UserInfoGet(ConformanceRun r) => r.SharedAsync("userinfo/get", async () =>
    {
        if (!r.Profile.Features.Userinfo) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)");
        var flow = await CodeFlow.ReferenceAsync(r);
        var token = flow.RequireSuccessfulToken();
        return await r.UserInfoGetAsync(await r.EndpointAsync("userinfo_endpoint"), token.AccessToken!);
    });

    [Test] public Task Get_with_bearer_header() => Verify(UserInfoChecks.GetBearer, async r => UserInfoChecks.EvaluateGetBearer(await UserInfoGet(r)));

    [Test] public Task Sub_matches_id_token() => Verify(UserInfoChecks.SubMatches, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        return UserInfoChecks.EvaluateSubMatches(JsonBody.From(await UserInfoGet(r)), flow.IdToken.ClaimString("sub"));
    });

    public static readonly string[] StandardScopes = ["profile", "email", "address", "phone"];

    [TestCaseSource(nameof(StandardScopes))]
    public Task Scope_claims_match_the_mapping_table(string scope) => Verify(UserInfoChecks.ScopeClaims, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        var granted = flow.GrantedScope.Split(' ').Contains(scope);
        var expected = flow.User.Claims.GetValueOrDefault(scope);
        return UserInfoChecks.EvaluateScopeClaims(JsonBody.From(await UserInfoGet(r)), scope, expected, granted);
    });
}
