using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// The authorization attempts several authorization-endpoint checks judge, each run once per run (shared artifact).
/// The response_type negatives are named changes of the normal request (<see cref="AuthorizationChanges"/>); prompt=none
/// and max_age=0 are positive attempts: the normal request with a step added after its own (no mutation).
/// </summary>
public static class AuthorizationAttempts
{
    /// <summary>A response_type no specification defines (OAuth 2.0 RFC 6749 §3.1.1: unsupported_response_type).</summary>
    public const string UnknownResponseTypeValue = "oidc_conformance_unknown";

    public static readonly AuthorizationChange WithoutResponseType = AuthorizationChanges.Without<ResponseTypeStep>();

    public static readonly AuthorizationChange WithUnknownResponseType =
        AuthorizationChanges.ResponseType(UnknownResponseTypeValue, "a value no specification defines");

    private static Task<AuthorizationAttempt> Shared(ConformanceRun r, string key, Func<Task<AuthorizationAttempt>> attempt) =>
        r.SharedAsync(SharedArtifacts.AuthorizationAttempt(key), attempt);

    public static Task<AuthorizationAttempt> MissingResponseType(ConformanceRun r) =>
        Shared(r, "response-type-missing", () => AuthorizationEndpointFlow.AttemptAsync(r, steps: WithoutResponseType.Apply));

    public static Task<AuthorizationAttempt> UnknownResponseType(ConformanceRun r) =>
        Shared(r, "response-type-unknown", () => AuthorizationEndpointFlow.AttemptAsync(r, steps: WithUnknownResponseType.Apply));

    /// <summary>prompt=none in a fresh browser (no session), without a login: the provider must answer with an error.</summary>
    public static Task<AuthorizationAttempt> PromptNone(ConformanceRun r) =>
        Shared(r, "prompt-none", () => AuthorizationEndpointFlow.AttemptAsync(r, steps: p => p.Add(new PromptStep("none")), session: Session.Fresh, allowLogin: false));

    /// <summary>max_age=0 in a logged-in session, sent once a whole second has passed since its login, code exchanged.</summary>
    public static Task<AuthorizationAttempt> MaxAgeZero(ConformanceRun r) => Shared(r, "max-age-0", () =>
        AuthorizationEndpointFlow.AttemptAsync(r, steps: p => p.Add(new MaxAgeStep(0)), exchangeCode: true,
            beforeRequest: AuthorizationEndpointFlow.SecondPassedSinceAsync));

    /// <summary>prompt=login in a logged-in session, code exchanged (a positive attempt, not shared: one check judges it).</summary>
    public static Task<AuthorizationAttempt> PromptLogin(ConformanceRun r) =>
        AuthorizationEndpointFlow.AttemptAsync(r, steps: p => p.Add(new PromptStep("login")), exchangeCode: true);
}
