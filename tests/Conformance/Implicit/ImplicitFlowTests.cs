using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.Implicit;

/// <summary>
/// The implicit flow (OIDC Core 1.0 §3.2): response_type id_token and id_token token, in the fragment and with
/// form_post; nonce required; the ID token validated like the code flow's, at_hash, and the scope claims in the
/// ID token when no access token is issued. The flows share a pool of two logged-in user agents (see FrontChannelFlow).
/// </summary>
[TestFixture, Category("Implicit"), Parallelizable(ParallelScope.Self)]
public sealed class ImplicitFlowTests : FrontChannelTests<ImplicitFamily>
{
    private static readonly string[] Scopes = ["profile", "email", "address", "phone"];

    [TestCaseSource(nameof(TokenTypes))]
    public Task Userinfo_sub_matches_the_id_token(string rt) => Verify(UserInfoChecks.SubMatches, r => FrontChannelSuite.UserInfoAsync(r, rt, compareSub: true));

    [Test]
    public Task Id_token_response_returns_nothing_else() => Verify(ImplicitHybridChecks.IdTokenOnly, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, "id_token");
        return ImplicitHybridChecks.EvaluateIdTokenOnly(flow.RequireSuccess()).WithCase(flow.Case);
    });

    /// <summary>OIDC Core §5.4: without an access token, the scope claims go in the ID token.</summary>
    [TestCaseSource(nameof(Scopes))]
    public Task Id_token_carries_the_scope_claims(string scope) => Verify(ImplicitHybridChecks.IdTokenScopeClaims, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, "id_token");
        var jwt = flow.RequireFrontIdToken();
        var granted = (flow.Request.Get("scope") ?? "").Split(' ').Contains(scope);
        return ImplicitHybridChecks.EvaluateIdTokenScopeClaims(jwt, scope, flow.User.Claims, granted)
            .WithCase($"id_token, scope {scope}");
    });

    /// <summary>
    /// OIDC Core §2: sub is never reassigned. The reference code-flow login and a second, separate login (a new
    /// browser context, so a new provider session) of the same user at the same client must give the same sub.
    /// </summary>
    [Test]
    public Task Sub_is_stable_across_logins() => Verify(ImplicitHybridChecks.SubStable, async r =>
    {
        var first = await CodeFlow.ReferenceAsync(r);
        var second = await r.SharedAsync(OidcConformance.Flows.SharedArtifacts.SecondLogin, () => CodeFlow.RunAsync(r, r.Profile.Confidential, r.Profile.PrimaryUser));
        if (!second.Outcome.CredentialsSubmitted)
            throw new OidcConformance.Run.PrerequisiteException("the second login did not show a login form, so it was not a separate login");
        return ImplicitHybridChecks.EvaluateSubStable(first.IdToken.ClaimString("sub"), second.IdToken.ClaimString("sub"));
    });
}

/// <summary>The implicit response types (<see cref="ResponseTypes.Implicit"/>).</summary>
public sealed class ImplicitFamily : IFrontChannelFamily
{
    public static IReadOnlyList<string> Family => [.. ResponseTypes.Implicit];
}
