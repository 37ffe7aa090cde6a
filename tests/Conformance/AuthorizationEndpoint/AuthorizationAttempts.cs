using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;
using static OidcConformance.Checks.AuthorizationEndpointChecks;

namespace OidcConformance.Suites.AuthorizationEndpoint;

/// <summary>The shared attempts and error-code sets of the authorization-endpoint suites.</summary>
internal static class AuthorizationAttempts
{
    internal static readonly string[] ResponseTypeErrors = ["invalid_request", "unsupported_response_type"];
    internal static readonly string[] PromptNoneErrors = ["login_required", "interaction_required", "consent_required", "account_selection_required"];
    internal static readonly string[] InvalidRequest = ["invalid_request"];

    internal static Task<AuthorizationAttempt> Shared(ConformanceRun r, string key, Func<Task<AuthorizationAttempt>> attempt) =>
        r.SharedAsync(SharedArtifacts.AuthorizationAttempt(key), attempt);

    internal static Task<AuthorizationAttempt> MissingResponseType(ConformanceRun r) =>
        Shared(r, "response-type-missing", () => AuthorizationEndpointFlow.AttemptAsync(r, q => q.Remove("response_type")));

    internal static Task<AuthorizationAttempt> UnknownResponseType(ConformanceRun r) =>
        Shared(r, "response-type-unknown", () => AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("response_type", "oidc_conformance_unknown")));

    internal static Task<AuthorizationAttempt> PromptNone(ConformanceRun r) =>
        Shared(r, "prompt-none", () => AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("prompt", "none"), Session.Fresh, allowLogin: false));

    internal static Task<AuthorizationAttempt> MaxAgeZero(ConformanceRun r) => Shared(r, "max-age-0", () =>
        AuthorizationEndpointFlow.AttemptAsync(r, q => q.Set("max_age", "0"), exchangeCode: true,
            beforeRequest: AuthorizationEndpointFlow.SecondPassedSinceAsync));
}
