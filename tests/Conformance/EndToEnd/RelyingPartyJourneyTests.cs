using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Suites.EndToEnd;

/// <summary>
/// The relying party of seed article 000 (a Flask app on Casdoor): discovery → authorize → code exchange →
/// JWKS-verified ID token → userinfo → logout, in one user-agent session, judged step by step.
/// </summary>
[TestFixture, Category("EndToEnd"), Parallelizable(ParallelScope.Self)]
public sealed class RelyingPartyJourneyTests : ConformanceTest
{
    [Test] public Task Login_userinfo_logout_journey() => Verify(EndToEndChecks.SeedArticleFlow, async r =>
    {
        var steps = new List<(string, CheckResult)>();
        var discovery = await r.DiscoveryAsync();
        steps.Add(("discovery", DiscoveryChecks.EvaluateJson(discovery)));
        steps.Add(("discovery metadata", DiscoveryChecks.EvaluateRequiredMetadata(discovery)));
        var logout = await LogoutFlow.StandardAsync(r);
        var login = logout.Login;
        steps.Add(("authorize", AuthorizationResponseChecks.EvaluateCodeReturned(login.Outcome)));
        steps.Add(("state", AuthorizationResponseChecks.EvaluateStateEchoed(login.Request, login.Response)));
        var token = login.RequireToken();
        steps.Add(("code exchange", TokenResponseChecks.EvaluateSuccess(token)));
        var expect = new IdTokenExpectations(r.Issuer, login.Client.ClientId, login.Request.Nonce, login.IdTokenReceivedAt) { ExpectedSubject = login.User.Subject };
        var jwks = await r.JwksAsync();
        steps.Add(("ID token signature", IdTokenChecks.EvaluateSignature(login.IdToken, jwks)));
        steps.Add(("ID token claims", IdTokenChecks.EvaluateLibraryValidation(login.IdToken, jwks, expect)));
        steps.Add(("nonce", IdTokenChecks.EvaluateNonce(login.IdToken, expect)));
        if (logout.UserInfoBeforeLogout is { } userinfo)
        {
            steps.Add(("userinfo", UserInfoChecks.EvaluateGetBearer(userinfo)));
            steps.Add(("userinfo sub", UserInfoChecks.EvaluateSubMatches(JsonBody.From(userinfo), login.IdToken.ClaimString("sub"))));
        }
        steps.Add(("logout", LogoutChecks.EvaluateRedirectWithState(logout.Logout, logout.PostLogoutRedirectUri, logout.State)));
        return EndToEndChecks.EvaluateJourney(steps);
    });
}
