using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>What the relying party's redirect endpoint received (RFC 6749 §4.1.2, OAuth 2.0 Multiple Response Types).</summary>
public static class AuthorizationResponseChecks
{
    private const string Area = "Authorization endpoint";

    public static readonly CheckDefinition CodeReturned = new("authz.code-returned",
        "A successful code request redirects to the client with a code", Area, [new(SpecDocument.Rfc6749, "4.1.2")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition StateEchoed = new("authz.state-echoed",
        "state is returned exactly as sent", Area, [new(SpecDocument.Rfc6749, "4.1.2"), new(SpecDocument.Rfc6749, "10.12")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition CodeInQuery = new("authz.code-response-in-query",
        "response_type=code answers in the query string by default", Area, [new(SpecDocument.OAuthMultipleResponseTypes, "2.1")], RequirementLevel.Must);

    public static readonly CheckDefinition IssParameter = new("authz.iss-parameter",
        "Where advertised, the iss response parameter equals the issuer", Area, [new(SpecDocument.Rfc9207, "2"), new(SpecDocument.Rfc9207, "3")], RequirementLevel.Must);

    /// <summary>The flow reached the client with a code; any other ending is the reason.</summary>
    public static CheckResult EvaluateCodeReturned(AuthorizationOutcome outcome)
    {
        if (outcome.End != AuthorizationEnd.Redirected) return CodeReturned.Violation(outcome.Describe());
        if (outcome.Response!.Error is { } error)
            return CodeReturned.Violation($"the provider answered error '{error}'" +
                                          (outcome.Response.Get("error_description") is { } d ? $" ({d})" : ""));
        return CodeReturned.Require(!string.IsNullOrEmpty(outcome.Response.Code), $"redirect without code: {outcome.Response.Describe()}");
    }

    public static CheckResult EvaluateStateEchoed(AuthorizationRequest request, AuthorizationResponse? response)
    {
        if (response is null) return StateEchoed.NotApplicable("no authorization response reached the client");
        if (request.State is not { } sent) return StateEchoed.NotApplicable("the request carried no state");
        var count = response.Count("state");
        if (count == 0) return StateEchoed.Violation($"state missing from the response ({response.Describe()})");
        if (count > 1) return StateEchoed.Violation($"state appears {count} times");
        return StateEchoed.Require(response.State == sent, $"state came back as '{response.State}' instead of '{sent}'");
    }

    /// <summary>
    /// Passes only on a code that arrived in the query: a response without a code (an error, or nothing) shows nothing
    /// about where the code response is encoded, so it is Inconclusive; a code elsewhere is the violation.
    /// </summary>
    public static CheckResult EvaluateCodeInQuery(AuthorizationRequest request, AuthorizationResponse? response)
    {
        if (response is null) return CodeInQuery.NotApplicable("no authorization response reached the client");
        if (request.Get("response_mode") is not null) return CodeInQuery.NotApplicable("the request named a response_mode");
        var where = response.Location.ToString().ToLowerInvariant();
        if (string.IsNullOrEmpty(response.Code))
            return CodeInQuery.NotApplicable(response.Error is { } error
                ? $"no code to locate: the provider answered error '{error}' (in the {where})"
                : $"no code to locate: the response in the {where} carries none ({response.Describe()})");
        return CodeInQuery.Require(response.Location == ResponseLocation.Query,
            $"the code arrived in the {where}, not in the query", "the code arrived in the query");
    }

    public static CheckResult EvaluateIssParameter(DiscoveryDocument discovery, AuthorizationResponse? response, string issuer)
    {
        if (response is null) return IssParameter.NotApplicable("no authorization response reached the client");
        var advertised = discovery.Body.Get("authorization_response_iss_parameter_supported") is { ValueKind: System.Text.Json.JsonValueKind.True };
        var iss = response.Get("iss");
        if (!advertised && iss is null) return IssParameter.NotApplicable("authorization_response_iss_parameter_supported is not true");
        if (iss is null) return IssParameter.Violation("authorization_response_iss_parameter_supported is true but the response has no iss");
        return IssParameter.Require(iss == issuer, $"iss '{iss}' differs from the issuer '{issuer}'");
    }
}
