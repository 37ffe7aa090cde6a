using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using F = OidcConformance.Flows.TokenExchangeFlow;

namespace OidcConformance.Suites.TokenExchangeGrant;

/// <summary>
/// OAuth 2.0 Token Exchange (RFC 8693), where the profile says the provider offers it (features.tokenExchange; else
/// Inconclusive). Every negative case is the normal exchange with one step changed, judged only when the normal exchange
/// (the control) succeeded in this run; its evidence names the changed step.
/// </summary>
[TestFixture, Category("TokenExchange"), Parallelizable(ParallelScope.Self)]
public sealed class TokenExchangeTests : ConformanceTest
{
    [Test] public Task Access_token_is_exchanged() => Verify(TokenExchangeChecks.AccessTokenExchanged, async r =>
        TokenExchangeChecks.EvaluateAccessTokenExchanged((await F.ControlAsync(r)).Response));

    [Test] public Task Issued_token_type_is_stated() => Verify(TokenExchangeChecks.IssuedTokenType, async r =>
        TokenExchangeChecks.EvaluateIssuedTokenType((await F.ControlAsync(r)).Response, TokenExchangeChecks.AccessTokenType));

    [Test] public Task Token_type_is_stated() => Verify(TokenExchangeChecks.TokenType, async r =>
        TokenExchangeChecks.EvaluateTokenType((await F.ControlAsync(r)).Response));

    [Test] public Task Garbage_subject_token_is_refused() => Verify(TokenExchangeChecks.BadSubjectToken, async r =>
    {
        var attempt = await F.ChangedAsync(r, F.Garbage);
        return Mutated(TokenExchangeChecks.EvaluateBadSubjectToken(await F.ControlResultAsync(r), attempt.Response), attempt);
    });

    [Test] public Task Unknown_subject_token_type_is_refused() => Verify(TokenExchangeChecks.UnknownSubjectTokenType, async r =>
    {
        var attempt = await F.ChangedAsync(r, F.UnknownType);
        return Mutated(TokenExchangeChecks.EvaluateUnknownSubjectTokenType(await F.ControlResultAsync(r), attempt.Response), attempt);
    });

    [Test] public Task Missing_subject_token_is_refused() => Verify(TokenExchangeChecks.MissingSubjectToken, async r =>
    {
        var attempt = await F.ChangedAsync(r, F.MissingToken);
        return Mutated(TokenExchangeChecks.EvaluateMissingSubjectToken(await F.ControlResultAsync(r), attempt.Response), attempt);
    });

    [Test] public Task Client_not_registered_for_the_grant_is_refused() => Verify(TokenExchangeChecks.ClientNotAllowed, async r =>
    {
        var attempt = await F.ChangedAsync(r, F.OtherClient);
        return Mutated(TokenExchangeChecks.EvaluateClientNotAllowed(await F.ControlResultAsync(r), attempt.Response, attempt.ClientId), attempt);
    });

    [Test] public Task Unknown_audience_is_refused_or_honoured() => Verify(TokenExchangeChecks.InvalidTarget, async r =>
    {
        var attempt = await F.ChangedAsync(r, F.Audience);
        return Mutated(TokenExchangeChecks.EvaluateInvalidTarget(await F.ControlResultAsync(r), attempt.Response, F.UnknownAudience,
            attempt.Response.IsSuccess ? F.JwtAudiences(attempt.Response.AccessToken) : null), attempt);
    });

    [Test] public Task Grant_type_is_advertised() => Verify(TokenExchangeChecks.DiscoveryAdvertised, async r =>
        TokenExchangeChecks.EvaluateDiscoveryAdvertised(await F.ControlResultAsync(r), await r.DiscoveryAsync()));

    private static CheckResult Mutated(CheckResult result, TokenExchangeAttempt attempt) =>
        attempt.MutatedStep is { } step ? result.WithEvidence(new Evidence("mutates", step)) : result;
}
