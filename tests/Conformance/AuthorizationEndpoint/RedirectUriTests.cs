using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;
using static OidcConformance.Checks.AuthorizationEndpointChecks;

using static OidcConformance.Suites.AuthorizationEndpoint.ExpectedErrors;

namespace OidcConformance.Suites.AuthorizationEndpoint;

/// <summary>
/// The authorization endpoint must never redirect to a redirect_uri it cannot tie to the client: unregistered URIs, near
/// misses of the registered one, a missing or unknown client_id. Negative requests run in a logged-in session, so a lenient
/// provider would answer at once; credentials are still offered, so a provider that shows its login page first is followed
/// up to its redirect.
/// Attempts in the logged-in state lease one of the run's few logged-in sessions (<see cref="LoggedInSessions"/>), so the
/// three authorization-endpoint fixtures run in parallel without ever sharing a session during an attempt.
/// </summary>
[TestFixture, Category("AuthorizationEndpoint"), Parallelizable(ParallelScope.Self)]
public sealed class RedirectUriTests : ConformanceTest
{
    // ---- redirect_uri and client_id ------------------------------------------------------------------------

    [Test] public Task Unregistered_redirect_uri_is_not_redirected_to() => Verify(RedirectUriUnregistered, async r =>
    {
        var registered = r.RedirectUri(r.Profile.Confidential);
        const string unregistered = "https://unregistered.oidc-conformance.test/callback";
        var change = AuthorizationChanges.RedirectUri(unregistered, "a URI not registered for the client");
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, steps: change.Apply);
        return EvaluateNoRedirect(RedirectUriUnregistered, attempt, unregistered, registered).WithEvidence(change.Evidence);
    });

    public static IEnumerable<TestCaseData> NearMisses() =>
        RedirectUriCorpus.Names.Select(n => new TestCaseData(n).SetArgDisplayNames(n));

    [TestCaseSource(nameof(NearMisses))]
    public Task Near_miss_redirect_uri_is_rejected(string variant) => Verify(RedirectUriNearMiss, async r =>
    {
        var registered = r.RedirectUri(r.Profile.Confidential);
        var v = RedirectUriCorpus.Build(variant, registered, nativeClient: r.Profile.Confidential.IsNative);
        if (v.Uri is null) return RedirectUriNearMiss.NotApplicable(v.Decision).WithCase(variant);
        var change = AuthorizationChanges.RedirectUri(v.Uri, $"the near miss '{variant}' of the registered URI");
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, steps: change.Apply);
        var result = EvaluateNoRedirect(RedirectUriNearMiss, attempt, v.Uri, registered).WithEvidence(change.Evidence);
        return (result with { Reason = $"{v.Decision}: {result.Reason}" }).WithCase(variant);
    });

    public static IEnumerable<TestCaseData> LoopbackHosts() =>
        LoopbackRedirectChecks.Cases.Select(h => new TestCaseData(h).SetArgDisplayNames(h));

    /// <summary>
    /// A loopback URI on a path the client never registered (issue #19, blind spot 7), after the unmutated request (the
    /// control) got its code at the registered redirect URI in this same check.
    /// </summary>
    [TestCaseSource(nameof(LoopbackHosts))]
    public Task Unregistered_loopback_redirect_uri_is_rejected(string host) => Verify(LoopbackRedirectChecks.UnregisteredLoopbackRejected, async r =>
    {
        var registered = r.RedirectUri(r.Profile.Confidential);
        var forbidden = LoopbackRedirectChecks.UriFor(host);
        var control = await AuthorizationEndpointFlow.AttemptAsync(r);
        var change = AuthorizationChanges.RedirectUri(forbidden, $"an unregistered loopback URI ({host})");
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, steps: change.Apply);
        return LoopbackRedirectChecks.Evaluate(host, control, attempt, forbidden, registered).WithEvidence(change.Evidence);
    });

    [Test] public Task Missing_client_id_is_not_redirected() => Verify(ClientIdMissing, async r =>
    {
        var change = AuthorizationChanges.Without<ClientIdStep>();
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, steps: change.Apply);
        return EvaluateNoRedirect(ClientIdMissing, attempt, r.RedirectUri(r.Profile.Confidential), registeredUri: null).WithEvidence(change.Evidence);
    });

    [Test] public Task Unknown_client_id_is_not_redirected() => Verify(ClientIdUnknown, async r =>
    {
        var change = AuthorizationChanges.ClientId("oidc-conformance-unknown-client", "a client_id the provider does not know");
        var attempt = await AuthorizationEndpointFlow.AttemptAsync(r, steps: change.Apply);
        return EvaluateNoRedirect(ClientIdUnknown, attempt, r.RedirectUri(r.Profile.Confidential), registeredUri: null).WithEvidence(change.Evidence);
    });
}
