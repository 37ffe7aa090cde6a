using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;
using static OidcConformance.Checks.AuthorizationEndpointChecks;

using static OidcConformance.Suites.AuthorizationEndpoint.AuthorizationAttempts;

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
        EvaluateErrorNoCode(ResponseTypeMissing, await MissingResponseType(r), ResponseTypeErrors));

    [Test] public Task Unknown_response_type_is_rejected() => Verify(ResponseTypeUnknown, async r =>
        EvaluateErrorNoCode(ResponseTypeUnknown, await UnknownResponseType(r), ResponseTypeErrors));

    // ---- prompt and max_age --------------------------------------------------------------------------------

    [Test] public Task Prompt_none_without_session_returns_login_required() => Verify(PromptNoneWithoutSession, async r =>
        EvaluateErrorNoCode(PromptNoneWithoutSession, await PromptNone(r), PromptNoneErrors, errorPageAllowed: false));

    [Test] public Task Prompt_login_forces_a_new_login() => Verify(PromptLogin, async r =>
    {
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("prompt", "login"), exchangeCode: true);
        return EvaluateReauthentication(PromptLogin, attempt, attempt.IdToken.NumericDate("auth_time"));
    });

    [Test] public Task Max_age_zero_reauthenticates() => Verify(MaxAgeReauthenticates, async r =>
    {
        var attempt = await MaxAgeZero(r);
        return EvaluateReauthentication(MaxAgeReauthenticates, attempt, attempt.IdToken.NumericDate("auth_time"));
    });

    [Test] public Task Max_age_id_token_has_auth_time() => Verify(MaxAgeAuthTime, async r => EvaluateAuthTime(MaxAgeAuthTime, await MaxAgeZero(r)));

    // ---- error responses carry state -----------------------------------------------------------------------

    [TestCase("prompt-none")]
    [TestCase("response-type-unknown")]
    [TestCase("response-type-missing")]
    public Task Error_response_echoes_state(string scenario) => Verify(ErrorStateEchoed, async r =>
    {
        var attempt = scenario switch
        {
            "prompt-none" => await PromptNone(r),
            "response-type-unknown" => await UnknownResponseType(r),
            _ => await MissingResponseType(r),
        };
        return EvaluateErrorStateEchoed(attempt).WithCase(scenario);
    });
}
