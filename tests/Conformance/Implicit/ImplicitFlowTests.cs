using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.Implicit;

/// <summary>
/// The implicit flow (OIDC Core 1.0 §3.2): response_type id_token and id_token token, in the fragment and with
/// form_post; nonce required; the ID token validated like the code flow's, at_hash, and the scope claims in the
/// ID token when no access token is issued. All flows share one logged-in user agent (see FrontChannelFlow).
/// </summary>
[TestFixture, Category("Implicit"), Parallelizable(ParallelScope.Self)]
public sealed class ImplicitFlowTests : ConformanceTest
{
    private static readonly string[] Types = [.. ResponseTypes.Implicit];
    private static readonly string[] TokenTypes = [.. ResponseTypes.Implicit.Where(ResponseTypes.HasToken)];
    private static readonly string[] Scopes = ["profile", "email", "address", "phone"];
    private static IEnumerable<TestCaseData> IdTokenCases() => FrontChannelSuite.IdTokenCases(ResponseTypes.Implicit);

    [TestCaseSource(nameof(Types))]
    public Task Response_carries_the_requested_artifacts(string rt) => Verify(ImplicitHybridChecks.ResponseParameters, r => FrontChannelSuite.ResponseParametersAsync(r, rt, null));

    [TestCaseSource(nameof(Types))]
    public Task Response_is_in_the_fragment(string rt) => Verify(ImplicitHybridChecks.FragmentEncoding, r => FrontChannelSuite.FragmentAsync(r, rt));

    [TestCaseSource(nameof(Types))]
    public Task State_is_echoed(string rt) => Verify(AuthorizationResponseChecks.StateEchoed, r => FrontChannelSuite.StateAsync(r, rt, null));

    [TestCaseSource(nameof(Types))]
    public Task No_refresh_token_in_the_front_channel(string rt) => Verify(ImplicitHybridChecks.NoRefreshToken, r => FrontChannelSuite.NoRefreshTokenAsync(r, rt));

    [TestCaseSource(nameof(Types))]
    public Task Request_without_nonce_is_rejected(string rt) => Verify(ImplicitHybridChecks.NonceRequired, r => FrontChannelSuite.NonceRequiredAsync(r, rt));

    [TestCaseSource(nameof(IdTokenCases))]
    public Task Id_token_is_valid(string check, string rt) => Verify(FrontChannelSuite.IdTokenCheck(check), r => FrontChannelSuite.FrontIdTokenAsync(r, check, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task At_hash_matches_the_access_token(string rt) => Verify(IdTokenHashChecks.AtHash, r => FrontChannelSuite.AtHashAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Token_type_is_bearer(string rt) => Verify(ImplicitHybridChecks.TokenType, r => FrontChannelSuite.TokenTypeAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Expires_in_is_present(string rt) => Verify(ImplicitHybridChecks.ExpiresIn, r => FrontChannelSuite.ExpiresInAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Access_token_works_at_userinfo(string rt) => Verify(UserInfoChecks.GetBearer, r => FrontChannelSuite.UserInfoAsync(r, rt, compareSub: false));

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
        return ImplicitHybridChecks.EvaluateIdTokenScopeClaims(jwt, scope, flow.User.Claims.GetValueOrDefault(scope), granted)
            .WithCase($"id_token, scope {scope}");
    });

    [TestCaseSource(nameof(Types))]
    public Task Form_post_response(string rt) => Verify(ImplicitHybridChecks.FormPost, r => FrontChannelSuite.FormPostAsync(r, rt));

    [TestCaseSource(nameof(Types))]
    public Task Form_post_carries_the_requested_artifacts(string rt) => Verify(ImplicitHybridChecks.ResponseParameters, r => FrontChannelSuite.ResponseParametersAsync(r, rt, "form_post"));

    [TestCaseSource(nameof(Types))]
    public Task Form_post_state_is_echoed(string rt) => Verify(AuthorizationResponseChecks.StateEchoed, r => FrontChannelSuite.StateAsync(r, rt, "form_post"));

    /// <summary>
    /// OIDC Core §2: sub is never reassigned. The reference code-flow login and a second, separate login (a new
    /// browser context, so a new provider session) of the same user at the same client must give the same sub.
    /// </summary>
    [Test]
    public Task Sub_is_stable_across_logins() => Verify(ImplicitHybridChecks.SubStable, async r =>
    {
        var first = await CodeFlow.ReferenceAsync(r);
        var second = await r.SharedAsync("frontchannel/second-login", () => CodeFlow.RunAsync(r, r.Profile.Confidential, r.Profile.PrimaryUser));
        if (!second.Outcome.CredentialsSubmitted)
            throw new OidcConformance.Run.PrerequisiteException("the second login did not show a login form, so it was not a separate login");
        return ImplicitHybridChecks.EvaluateSubStable(first.IdToken.ClaimString("sub"), second.IdToken.ClaimString("sub"));
    });
}
