using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// Issue #11 class 3, absence read as acceptance: a refresh response without scope was read as "the requested scope was
/// issued" (RFC 6749 §5.1), so a provider that ignored an extra scope and left the member out came out Failed for widening
/// the grant, and a narrowing passed on the response's silence. Now the issued scope comes from introspection or UserInfo,
/// and the omission is judged on its own (token.scope-reported).
/// </summary>
public sealed class RefreshScopeEvidenceTests
{
    private const string Granted = "openid profile";
    private static readonly TokenResponse WithoutScope = Make.Token("""{"access_token":"at","token_type":"Bearer","expires_in":300,"refresh_token":"rt"}""");

    private static IndependentScope Introspected(string? scope) => new(scope, null, true, $"introspection reports '{scope}'");
    private static IndependentScope UserInfo(string json) => new(null, JsonBody.Parse(json, "application/json"), true, "UserInfo HTTP 200");

    [Test]
    public void A_widening_request_answered_without_scope_is_undecided_without_independent_evidence()
    {
        // Before: Failed "i.e. the requested scope was issued" on the omission alone.
        var result = RefreshChecks.EvaluateScopeNotWidened(Granted, "email", WithoutScope);
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("could not be established independently");
    }

    [Test]
    public void Introspection_decides_the_widening()
    {
        RefreshChecks.EvaluateScopeNotWidened(Granted, "email", WithoutScope, Introspected("openid profile email")).Verdict.Should().Be(Verdict.Failed);
        RefreshChecks.EvaluateScopeNotWidened(Granted, "email", WithoutScope, Introspected("openid profile")).Verdict.Should().Be(Verdict.Passed);
    }

    [Test]
    public void UserInfo_claims_of_the_added_scope_show_a_widening()
    {
        RefreshChecks.EvaluateScopeNotWidened(Granted, "email", WithoutScope, UserInfo("""{"sub":"alice","email":"alice@example.com"}"""))
            .Verdict.Should().Be(Verdict.Failed);
        RefreshChecks.EvaluateScopeNotWidened(Granted, "email", WithoutScope, UserInfo("""{"sub":"alice","name":"Alice"}"""))
            .Verdict.Should().Be(Verdict.Passed);
    }

    [Test]
    public void A_narrowing_answered_without_scope_passes_only_on_introspection()
    {
        RefreshChecks.EvaluateScopeNarrowing(Granted, "openid", WithoutScope).Verdict.Should().Be(Verdict.Inconclusive);
        RefreshChecks.EvaluateScopeNarrowing(Granted, "openid", WithoutScope, Introspected("openid")).Verdict.Should().Be(Verdict.Passed);
        RefreshChecks.EvaluateScopeNarrowing(Granted, "openid", WithoutScope, Introspected("openid email")).Verdict.Should().Be(Verdict.Failed);
    }

    [Test]
    public void The_omission_itself_is_judged_by_token_scope_reported()
    {
        // Narrowing ignored (RFC 6749 §3.3 allows it) but not said: §5.1 requires scope when it differs from the request.
        ClientCredentialsChecks.EvaluateScopeReported(WithoutScope, "openid", "openid profile").Verdict.Should().Be(Verdict.Failed);
        ClientCredentialsChecks.EvaluateScopeReported(WithoutScope, "openid", "openid").Verdict.Should().Be(Verdict.Passed);
        ClientCredentialsChecks.EvaluateScopeReported(WithoutScope, "openid", null).Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void A_stated_scope_is_judged_as_before()
    {
        var stated = Make.Token("""{"access_token":"at","token_type":"Bearer","scope":"openid profile email"}""");
        RefreshChecks.EvaluateScopeNotWidened(Granted, "email", stated).Verdict.Should().Be(Verdict.Failed);
        RefreshChecks.EvaluateScopeNarrowing(Granted, "openid", Make.Token("""{"access_token":"at","token_type":"Bearer","scope":"openid"}""")).Verdict.Should().Be(Verdict.Passed);
    }
}
