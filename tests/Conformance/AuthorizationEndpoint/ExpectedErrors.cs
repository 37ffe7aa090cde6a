namespace OidcConformance.Suites.AuthorizationEndpoint;

/// <summary>The error codes the authorization-endpoint suites accept per case (the attempts are in Flows/AuthorizationAttempts.cs).</summary>
internal static class ExpectedErrors
{
    internal static readonly string[] ResponseTypeErrors = ["invalid_request", "unsupported_response_type"];
    internal static readonly string[] PromptNoneErrors = ["login_required", "interaction_required", "consent_required", "account_selection_required"];
    internal static readonly string[] InvalidRequest = ["invalid_request"];
}
