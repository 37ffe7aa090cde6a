using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Suites.UserInfo;

/// <summary>
/// The claim checks once per profile user (issue #19, blind spot 1): each user logs in through the browser in an own user
/// agent with the confidential client and its full scope, and that user's UserInfo and ID token are judged against THAT
/// user's claim table. The profiles give user 2 data that differs from user 1's in every standard claim the provider can
/// store (unverified vs verified e-mail, no phone / address vs present, other names and locale), so a hard-coded value or
/// a claim copied from another attribute or user turns a case red. User 1's scope-claims and type cases are the
/// UserInfoTests / IdTokenTests ones (same checks, no user suffix); here they run again for user 2.
/// </summary>
[TestFixture, Category("UserInfo"), Category("IdToken"), Parallelizable(ParallelScope.Self)]
public sealed class ClaimsPerUserTests : ConformanceTest
{
    /// <summary>1-based positions in the profile's users[] (the profile's first two users; a profile with one user makes user 2 Inconclusive).</summary>
    public static readonly int[] Users = [1, 2];
    public static readonly object[] SecondUserScopes = UserInfoTests.StandardScopes.Select(s => new object[] { s, 2 }).ToArray();

    private static string Label(ConformanceRun r, int position) =>
        position <= r.Profile.Users.Count ? $"user {position} ({r.Profile.Users[position - 1].Username})" : $"user {position}";

    private static Task<UserLogin> LoginAsync(ConformanceRun r, int position) => UserInfoFlows.UserLoginAsync(r, position);

    private static async Task<(UserLogin Login, JsonBody UserInfo)> UserInfoOf(ConformanceRun r, int position)
    {
        var login = await LoginAsync(r, position);
        if (login.UserInfo is null) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo), or no access token was issued", Label(r, position));
        return (login, JsonBody.From(login.UserInfo));
    }

    /// <summary>Runs one execution; a prerequisite that failed (e.g. a login that timed out) is reported under this execution's case label.</summary>
    private static async Task<CheckResult> Case(string label, Func<Task<CheckResult>> judge)
    {
        try { return await judge(); }
        catch (PrerequisiteException e) when (e.Case != label) { throw new PrerequisiteException(e.Message, label); }
    }

    [TestCaseSource(nameof(Users))]
    public Task UserInfo_claims_are_this_users(int user) => Verify(ClaimsFollowUserChecks.UserInfoFollowsUser, r => Case(Label(r, user), async () =>
    {
        var (login, body) = await UserInfoOf(r, user);
        return ClaimsFollowUserChecks.EvaluateUserInfo(body, login.User, Label(r, user));
    }));

    [TestCaseSource(nameof(Users))]
    public Task Id_token_claims_are_this_users(int user) => Verify(ClaimsFollowUserChecks.IdTokenFollowsUser, r => Case(Label(r, user), async () =>
    {
        var login = await LoginAsync(r, user);
        if (login.Flow.RequireSuccessfulToken().IdToken is null)
            throw new PrerequisiteException("the token response has no id_token (see token.id-token-issued)", Label(r, user));
        return ClaimsFollowUserChecks.EvaluateIdToken(login.Flow.IdToken, login.User, Label(r, user));
    }));

    /// <summary>userinfo.scope-claims for user 2: §5.4 names and §5.1 types, for the attributes user 2 has.</summary>
    [TestCaseSource(nameof(SecondUserScopes))]
    public Task Scope_claims_use_the_standard_names(string scope, int user) => Verify(UserInfoChecks.ScopeClaims, r => Case($"{scope} · {Label(r, user)}", async () =>
    {
        var (login, body) = await UserInfoOf(r, user);
        var granted = login.Flow.GrantedScope.Split(' ').Contains(scope);
        return UserInfoChecks.EvaluateScopeClaims(body, scope, login.User.Claims, granted).WithCase($"{scope} · {Label(r, user)}");
    }));

    [TestCase(2)]
    public Task UserInfo_standard_claims_have_their_types(int user) => Verify(TokenContentChecks.UserInfoStandardTypes, r => Case(Label(r, user), async () =>
        TokenContentChecks.EvaluateUserInfoStandardTypes((await UserInfoOf(r, user)).UserInfo).WithCase(Label(r, user))));

    [TestCase(2)]
    public Task Id_token_standard_claims_have_their_types(int user) => Verify(TokenContentChecks.IdTokenStandardTypes, r => Case(Label(r, user), async () =>
    {
        var login = await LoginAsync(r, user);
        if (login.Flow.RequireSuccessfulToken().IdToken is null)
            throw new PrerequisiteException("the token response has no id_token (see token.id-token-issued)", Label(r, user));
        return TokenContentChecks.EvaluateIdTokenStandardTypes(login.Flow.IdToken).WithCase(Label(r, user));
    }));
}
