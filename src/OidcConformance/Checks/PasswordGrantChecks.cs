using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>The resource owner password credentials grant (RFC 6749 §4.3), only where the provider offers it.</summary>
public static class PasswordGrantChecks
{
    private const string Area = "Token endpoint";

    public static readonly CheckDefinition Success = new("token.password-grant",
        "The password grant with the test user's credentials issues an access token", Area, [new(SpecDocument.Rfc6749, "4.3.2"), new(SpecDocument.Rfc6749, "4.3.3")], RequirementLevel.Must);

    public static readonly CheckDefinition WrongPassword = new("token.password-wrong-password",
        "The password grant with a wrong password is refused with invalid_grant", Area, [new(SpecDocument.Rfc6749, "4.3.2"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static CheckResult EvaluateSuccess(TokenResponse r)
    {
        if (r.Exchange.TransportError is not null) return Success.NotApplicable($"no response: {r.Exchange.TransportError}");
        return Success.Require(r.IsSuccess && r.Exchange.StatusCode == 200,
            $"the password grant with valid credentials was not answered with tokens: {r.Describe()}", "HTTP 200 with an access token");
    }

    public static CheckResult EvaluateWrongPassword(TokenResponse r) =>
        TokenEndpointChecks.EvaluateRefused(WrongPassword, r, "the password grant with a wrong password", "invalid_grant");
}
