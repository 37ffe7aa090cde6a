using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Run;

namespace OidcConformance.Suites.TokenConfusion;

/// <summary>
/// ID token versus access token (issue #19, blind spot 3), on the reference code flow's token response. The UserInfo
/// check makes its own control attempt (the access token) right before presenting the ID token.
/// </summary>
[TestFixture, Category("TokenConfusion"), Parallelizable(ParallelScope.Self)]
public sealed class TokenConfusionTests : ConformanceTest
{
    [Test] public Task Access_token_is_not_the_id_token() => Verify(TokenConfusionChecks.AccessTokenIsNotIdToken, async r =>
    {
        var token = (await CodeFlow.ReferenceAsync(r)).RequireSuccessfulToken();
        return TokenConfusionChecks.EvaluateAccessTokenIsNotIdToken(token.AccessToken, token.IdToken);
    });

    [Test] public Task Jwt_access_token_is_typed() => Verify(TokenConfusionChecks.JwtAccessTokenTyp, async r =>
        TokenConfusionChecks.EvaluateJwtAccessTokenTyp((await CodeFlow.ReferenceAsync(r)).RequireSuccessfulToken().AccessToken));

    [Test] public Task UserInfo_rejects_the_id_token() => Verify(TokenConfusionChecks.UserInfoRejectsIdToken, async r =>
    {
        if (!r.Profile.Features.Userinfo) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)");
        var token = (await CodeFlow.ReferenceAsync(r)).RequireSuccessfulToken();
        var idToken = token.IdToken ?? throw new PrerequisiteException("the token response has no id_token (see token.id-token-issued)");
        var endpoint = await r.EndpointAsync("userinfo_endpoint");
        var control = await r.UserInfoGetAsync(endpoint, token.AccessToken!);
        var changed = UserInfoVariantFlow.WithIdToken(token.AccessToken!, idToken);
        var withIdToken = await UserInfoVariantFlow.IdTokenAsBearerAsync(r, endpoint, changed);
        return TokenConfusionChecks.EvaluateUserInfoRejectsIdToken(control, withIdToken, token.AccessToken!, idToken)
            .WithEvidence(new Evidence("mutates", changed.MutatedStep!));
    });
}
