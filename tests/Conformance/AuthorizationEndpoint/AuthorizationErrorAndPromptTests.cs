using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;
using static OidcConformance.Checks.AuthorizationEndpointChecks;

using static OidcConformance.Suites.AuthorizationEndpoint.ExpectedErrors;

namespace OidcConformance.Suites.AuthorizationEndpoint;

/// <summary>
/// Invalid response_type, prompt=none without a session, prompt=login, max_age=0, and the state echoed on error responses.
/// Attempts in the logged-in state lease one of the run's few logged-in sessions (<see cref="LoggedInSessions"/>), so the
/// three authorization-endpoint fixtures run in parallel without ever sharing a session during an attempt.
/// </summary>
[TestFixture, Category("AuthorizationEndpoint"), Parallelizable(ParallelScope.Self)]
public sealed class AuthorizationErrorAndPromptTests : ConformanceTest
{
    // ---- response_type -------------------------------------------------------------------------------------

    [Test] public Task Missing_response_type_is_rejected() => Verify(ResponseTypeMissing, async r =>
        EvaluateErrorNoCode(ResponseTypeMissing, await AuthorizationAttempts.MissingResponseType(r), ResponseTypeErrors)
            .WithEvidence(AuthorizationAttempts.WithoutResponseType.Evidence));

    [Test] public Task Unknown_response_type_is_rejected() => Verify(ResponseTypeUnknown, async r =>
        EvaluateErrorNoCode(ResponseTypeUnknown, await AuthorizationAttempts.UnknownResponseType(r), ResponseTypeErrors)
            .WithEvidence(AuthorizationAttempts.WithUnknownResponseType.Evidence));

    // ---- prompt and max_age --------------------------------------------------------------------------------

    [Test] public Task Prompt_none_without_session_returns_login_required() => Verify(PromptNoneWithoutSession, async r =>
        EvaluateErrorNoCode(PromptNoneWithoutSession, await AuthorizationAttempts.PromptNone(r), PromptNoneErrors, errorPageAllowed: false));

    [Test] public Task Prompt_login_forces_a_new_login() => Verify(PromptLogin, async r =>
    {
        var attempt = await AuthorizationAttempts.PromptLogin(r);
        return EvaluateReauthentication(PromptLogin, attempt, attempt.IdToken.NumericDate("auth_time"));
    });

    [Test] public Task Max_age_zero_reauthenticates() => Verify(MaxAgeReauthenticates, async r =>
    {
        var attempt = await AuthorizationAttempts.MaxAgeZero(r);
        return EvaluateReauthentication(MaxAgeReauthenticates, attempt, attempt.IdToken.NumericDate("auth_time"));
    });

    [Test] public Task Max_age_id_token_has_auth_time() => Verify(MaxAgeAuthTime, async r => EvaluateAuthTime(MaxAgeAuthTime, await AuthorizationAttempts.MaxAgeZero(r)));

    // ---- error responses carry state -----------------------------------------------------------------------

    [TestCase("prompt-none")]
    [TestCase("response-type-unknown")]
    [TestCase("response-type-missing")]
    public Task Error_response_echoes_state(string scenario) => Verify(ErrorStateEchoed, async r =>
    {
        // The response_type cases are negatives and name the step they change; prompt=none is a positive attempt.
        var (attempt, change) = scenario switch
        {
            "prompt-none" => (await AuthorizationAttempts.PromptNone(r), null),
            "response-type-unknown" => (await AuthorizationAttempts.UnknownResponseType(r), AuthorizationAttempts.WithUnknownResponseType),
            _ => (await AuthorizationAttempts.MissingResponseType(r), AuthorizationAttempts.WithoutResponseType),
        };
        var result = EvaluateErrorStateEchoed(attempt).WithCase(scenario);
        return change is null ? result : result.WithEvidence(change.Evidence);
    });
}
