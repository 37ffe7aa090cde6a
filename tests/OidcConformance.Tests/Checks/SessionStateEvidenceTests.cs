using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Protocol;
using OidcConformance.Reporting;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// Issue #11 class 4: a verdict that depends on a login or on consent records whether they happened in that very attempt
/// ("login form shown and submitted: yes/no", "consent shown: yes/no"), so that an order-dependent verdict shows itself.
/// </summary>
public sealed class SessionStateEvidenceTests
{
    [Test]
    public void A_fresh_login_with_consent_says_so()
    {
        var o = new AuthorizationOutcome(AuthorizationEnd.Redirected, "/callback") { CredentialsSubmitted = true, ConsentShown = true, PagesMet = [ProviderPage.Login, ProviderPage.Consent] };
        o.SessionState().Should().Be("login form shown: yes, credentials submitted: yes; consent shown: yes; ended: Redirected");
    }

    [Test]
    public void A_silent_answer_from_an_existing_session_says_so()
    {
        var o = new AuthorizationOutcome(AuthorizationEnd.Redirected, "/callback");
        o.SessionState().Should().Be("login form shown: no, credentials submitted: no; consent shown: no; ended: Redirected");
    }

    [Test]
    public void A_login_page_where_no_login_was_allowed_is_a_shown_but_unsubmitted_form()
    {
        var o = new AuthorizationOutcome(AuthorizationEnd.LoginRequired, "login form shown") { PagesMet = [ProviderPage.Login] };
        o.SessionState().Should().StartWith("login form shown: yes, credentials submitted: no");
    }

    [Test]
    public async Task Attempts_are_recorded_for_the_check_that_drove_them_and_for_every_check_using_a_shared_artifact()
    {
        var artifact = new UserAgentSet();
        await using (var first = CheckScope.Begin("authz.prompt-login-reauthenticates"))
        {
            CheckScope.RecordAttempt("authorization request (prompt=login)", "login form shown: yes, credentials submitted: yes; consent shown: no; ended: Redirected");
            await CheckScope.BuildingSharedAsync(artifact, async () =>
            {
                await Task.Yield();
                CheckScope.RecordAttempt("reference login", "login form shown: yes, credentials submitted: yes; consent shown: yes; ended: Redirected");
                return "artifact";
            });
            CheckScope.UsedSharedAttempts(artifact);
            first.AttemptStates.Should().Equal(
                "authorization request (prompt=login): login form shown: yes, credentials submitted: yes; consent shown: no; ended: Redirected",
                "shared artifact, reference login: login form shown: yes, credentials submitted: yes; consent shown: yes; ended: Redirected");
        }
        await using var second = CheckScope.Begin("idtoken.nonce");
        CheckScope.UsedSharedAttempts(artifact);
        second.AttemptStates.Should().ContainSingle().Which.Should().StartWith("shared artifact, reference login");
    }
}
