using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Protocol;
using F = OidcConformance.Flows.LogoutNegativeFlow;

namespace OidcConformance.Suites.Logout;

/// <summary>
/// RP-Initiated Logout 1.0 negatives (OIDF oidcc-rp-initiated-logout-*), each in its own logged-in user agent.
/// Confirmation: the cases whose request is invalid (unregistered or query-modified URI, tampered hint) DO confirm a
/// logout prompt, because even a user who agrees to log out must not be sent to an unvalidated target. The cases
/// without id_token_hint do NOT confirm: the requirement is "no silent redirect", and a prompt already satisfies it.
/// Each case has its own user agent; the tampered-hint cases are a fixture of their own so the two halves run in parallel.
/// </summary>
[TestFixture, Category("Logout"), Category("LogoutNegative"), Parallelizable(ParallelScope.Self)]
public sealed class LogoutNegativeTests : ConformanceTest
{
    /// <summary>The request sent, the step of the normal logout request it changes, and where the browser ended.</summary>
    internal static CheckResult WithEvidence(CheckResult result, LogoutAttempt a) =>
        result.WithEvidence(new Evidence("logout request", Redactor.Redact(a.Url.ToString())), new Evidence("mutates", a.MutatedStep),
            new Evidence("outcome", $"{a.Outcome.Describe()}; final URL {Redactor.Redact(a.Outcome.FinalUrl)}; confirmed prompt: {a.Confirmed}"));

    [Test] public Task Unregistered_post_logout_redirect_uri_is_not_used() => Verify(LogoutNegativeChecks.UnregisteredUri, async r =>
    {
        var a = await F.RunAsync(r, "unregistered", confirm: true, LogoutChanges.UnregisteredPostLogoutUri);
        return WithEvidence(LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.UnregisteredUri, a.Outcome, a.TaggedHits, a.Confirmed), a);
    });

    [Test] public Task Query_modified_post_logout_redirect_uri_is_not_used() => Verify(LogoutNegativeChecks.QueryModifiedUri, async r =>
    {
        var a = await F.RunAsync(r, "query-added", confirm: true, LogoutChanges.QueryAddedPostLogoutUri);
        return WithEvidence(LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.QueryModifiedUri, a.Outcome, a.TaggedHits, a.Confirmed), a);
    });

    [Test] public Task No_id_token_hint_no_silent_redirect() => Verify(LogoutNegativeChecks.NoIdTokenHint, async r =>
    {
        var a = await F.RunAsync(r, "no-hint", confirm: false, LogoutChanges.WithoutIdTokenHint);
        return WithEvidence(LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.NoIdTokenHint, a.Outcome, a.TaggedHits, a.Confirmed), a);
    });

    [Test] public Task Client_id_without_hint_no_silent_redirect() => Verify(LogoutNegativeChecks.ClientIdWithoutHint, async r =>
    {
        var a = await F.RunAsync(r, "client-id-only", confirm: false, LogoutChanges.ClientIdInsteadOfHint);
        return WithEvidence(LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.ClientIdWithoutHint, a.Outcome, a.TaggedHits, a.Confirmed), a);
    });

    [Test] public Task Logout_without_state_still_redirects() => Verify(LogoutNegativeChecks.RedirectWithoutState, async r =>
    {
        var a = await F.RunAsync(r, "no-state", confirm: true, LogoutChanges.WithoutState);
        return WithEvidence(LogoutNegativeChecks.EvaluateRedirectWithoutState(a.Outcome, a.RegisteredPostLogoutRedirectUri), a);
    });
}

/// <summary>RP-Initiated Logout 1.0 §2: an id_token_hint whose signature does not hold must not lead to the post-logout redirect.</summary>
[TestFixture, Category("Logout"), Category("LogoutNegative"), Parallelizable(ParallelScope.Self)]
public sealed class TamperedIdTokenHintTests : ConformanceTest
{
    [TestCaseSource(typeof(LogoutNegativeChecks), nameof(LogoutNegativeChecks.TamperCases))]
    public Task Tampered_id_token_hint_prevents_the_redirect(string @case) => Verify(LogoutNegativeChecks.TamperedIdTokenHint, async r =>
    {
        var a = await F.RunAsync(r, @case, confirm: true, LogoutChanges.TamperedIdTokenHint(@case));
        var header = a.Request.IdTokenHint is { } tampered ? F.HeaderOf(tampered) : null;
        return LogoutNegativeTests.WithEvidence(LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.TamperedIdTokenHint, a.Outcome, a.TaggedHits, a.Confirmed, @case), a)
            .WithEvidence(new Evidence("tampered id_token_hint header", header ?? "(none)"));
    });
}
