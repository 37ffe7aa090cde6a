using NUnit.Framework;
using OidcConformance.Checks;
using F = OidcConformance.Flows.TokenEndpointFlows;

namespace OidcConformance.Suites.TokenEndpoint;

/// <summary>
/// The resource owner password credentials grant (RFC 6749 §4.3), only where the profile says the provider offers it
/// (features.password); otherwise Inconclusive. Whether discovery advertises it is judged by the discovery suite.
/// </summary>
[TestFixture, Category("TokenEndpoint"), Parallelizable(ParallelScope.Self)]
public sealed class PasswordGrantTests : ConformanceTest
{
    [Test] public Task Password_grant_issues_tokens() => Verify(PasswordGrantChecks.Success, async r =>
        PasswordGrantChecks.EvaluateSuccess(await F.PasswordAsync(r, wrongPassword: false)));

    [Test] public Task Wrong_password_is_invalid_grant() => Verify(PasswordGrantChecks.WrongPassword, async r =>
        PasswordGrantChecks.EvaluateWrongPassword(await F.RefusedAsync(r, F.WrongPassword)));
}
