using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.Implicit;

/// <summary>A family of front-channel response types (implicit or hybrid) that <see cref="FrontChannelTests{TFamily}"/> runs.</summary>
public interface IFrontChannelFamily
{
    static abstract IReadOnlyList<string> Family { get; }
}

/// <summary>
/// The checks the implicit and hybrid flows have in common, each run for every response type of the family: the response
/// parameters, fragment encoding, state, no refresh token, nonce required with an ID token, the front-channel ID token
/// validated like the code flow's, at_hash, token_type, expires_in, the access token at userinfo, and form_post.
/// The suites of the two families derive from this class and add their own checks; the flows run once per run
/// (<see cref="FrontChannelFlow"/>) and the check executions are in <see cref="FrontChannelSuite"/>.
/// </summary>
public abstract class FrontChannelTests<TFamily> : ConformanceTest where TFamily : IFrontChannelFamily
{
    protected static IEnumerable<string> Types => TFamily.Family;
    protected static IEnumerable<string> IdTokenTypes => Types.Where(ResponseTypes.HasIdToken);
    protected static IEnumerable<string> TokenTypes => Types.Where(ResponseTypes.HasToken);
    protected static IEnumerable<string> IdTokenAndTokenTypes => Types.Where(t => ResponseTypes.HasIdToken(t) && ResponseTypes.HasToken(t));
    protected static IEnumerable<TestCaseData> IdTokenCases() => FrontChannelSuite.IdTokenCases(Types);

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

    [TestCaseSource(nameof(IdTokenAndTokenTypes))]
    public Task At_hash_matches_the_access_token(string rt) => Verify(IdTokenHashChecks.AtHash, r => FrontChannelSuite.AtHashAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Token_type_is_bearer(string rt) => Verify(ImplicitHybridChecks.TokenType, r => FrontChannelSuite.TokenTypeAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Expires_in_is_present(string rt) => Verify(ImplicitHybridChecks.ExpiresIn, r => FrontChannelSuite.ExpiresInAsync(r, rt));

    [TestCaseSource(nameof(TokenTypes))]
    public Task Access_token_works_at_userinfo(string rt) => Verify(UserInfoChecks.GetBearer, r => FrontChannelSuite.UserInfoAsync(r, rt, compareSub: false));

    [TestCaseSource(nameof(Types))]
    public Task Form_post_response(string rt) => Verify(ImplicitHybridChecks.FormPost, r => FrontChannelSuite.FormPostAsync(r, rt));

    [TestCaseSource(nameof(Types))]
    public Task Form_post_carries_the_requested_artifacts(string rt) => Verify(ImplicitHybridChecks.ResponseParameters, r => FrontChannelSuite.ResponseParametersAsync(r, rt, "form_post"));

    [TestCaseSource(nameof(Types))]
    public Task Form_post_state_is_echoed(string rt) => Verify(AuthorizationResponseChecks.StateEchoed, r => FrontChannelSuite.StateAsync(r, rt, "form_post"));
}
