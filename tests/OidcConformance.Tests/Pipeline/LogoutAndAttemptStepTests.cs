using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using static OidcConformance.Tests.Pipeline.RequestPipelineTests;
using Before = OidcConformance.Tests.Pipeline.PrePipelineRequests;

namespace OidcConformance.Tests.Pipeline;

/// <summary>
/// The logout requests (EndSessionPipeline) and the shared authorization attempts (Flows/AuthorizationAttempts) send what
/// they sent before the pipeline, byte for byte; each negative names the one step it changes, the positive attempts none.
/// </summary>
public sealed class LogoutAndAttemptStepTests
{
    // An endpoint with a query of its own and values that need encoding, so separator and encoding are both compared.
    private const string EndSession = "https://op.test/session/end?tenant=a b";
    private const string PlainEndSession = "https://op.test/logout";
    private const string PostLogout = "https://rp.test/logged-out?x=1&y=a b/é";
    private const string ClientId = "client 1+/&";
    private static readonly string IdToken = Make.Jwt(Make.Header(), Make.IdTokenClaims());

    private static LogoutInputs Inputs => new(IdToken, PostLogout, ClientId);

    // ---- the normal logout --------------------------------------------------------------------------------------------

    [TestCase(EndSession)]
    [TestCase(PlainEndSession)]
    public void Standard_logout_url_is_built_as_before(string endpoint)
    {
        var request = EndSessionPipeline.Standard(IdToken, PostLogout, ClientId).Build(endpoint);
        Assert.That(request.State, Has.Length.EqualTo(16), "a fresh 12-byte state, base64url (as Protocol.Random.Token(12) drew it)");
        Assert.That(request.ToUri().AbsoluteUri, Is.EqualTo(Before.StandardLogout(endpoint, IdToken, PostLogout, request.State!, ClientId).AbsoluteUri));
        Assert.That(request.ToUri().OriginalString, Is.EqualTo(Before.StandardLogout(endpoint, IdToken, PostLogout, request.State!, ClientId).OriginalString));
    }

    [Test]
    public void Logout_without_session_urls_are_built_as_before_with_the_state_given()
    {
        foreach (var state in new[] { "control-state", "after-logout", "no-cookie" })
        {
            var sent = EndSessionPipeline.Standard(IdToken, PostLogout, ClientId, state).Build(EndSession).ToUri();
            Assert.That(sent.OriginalString, Is.EqualTo(Before.StandardLogout(EndSession, IdToken, PostLogout, state, ClientId).OriginalString));
        }
    }

    [Test]
    public void Normal_logout_pipelines_mutate_nothing()
    {
        Assert.That(EndSessionPipeline.Standard(IdToken, PostLogout, ClientId).MutatedStep, Is.Null);
        Assert.That(LogoutChanges.Normal(Inputs).MutatedStep, Is.Null);
        Assert.That(LogoutChanges.Normal(Inputs).Has<EndSessionClientIdStep>(), Is.False, "the negatives' normal request never carried client_id");
    }

    // ---- the logout negatives -----------------------------------------------------------------------------------------

    /// <summary>Each logout negative: the case name of the fixture, its change, and the label its evidence shows.</summary>
    public static IEnumerable<TestCaseData> LogoutCases()
    {
        TestCaseData Case(string @case, LogoutChange change, string mutates) => new TestCaseData(@case, change, mutates).SetArgDisplayNames(@case);
        yield return Case("unregistered", LogoutChanges.UnregisteredPostLogoutUri,
            "logout request / post_logout_redirect_uri: an unregistered URI on the relying party's origin");
        yield return Case("query-added", LogoutChanges.QueryAddedPostLogoutUri,
            "logout request / post_logout_redirect_uri: the registered URI with foo=bar added to its query");
        yield return Case("no-hint", LogoutChanges.WithoutIdTokenHint, "logout request / id_token_hint: left out");
        yield return Case("client-id-only", LogoutChanges.ClientIdInsteadOfHint, "logout request / id_token_hint: client_id sent in its place");
        yield return Case("no-state", LogoutChanges.WithoutState, "logout request / state: left out");
        yield return Case("signature-broken", LogoutChanges.TamperedIdTokenHint("signature-broken"), "logout request / id_token_hint: its signature broken");
        yield return Case("alg-none", LogoutChanges.TamperedIdTokenHint("alg-none"), "logout request / id_token_hint: re-headed with alg none, signature removed");
        yield return Case("foreign-key", LogoutChanges.TamperedIdTokenHint("foreign-key"),
            "logout request / id_token_hint: re-signed with a key that is not the provider's");
    }

    private static (EndSessionPipeline Pipeline, EndSessionRequest Request) Negative(LogoutChange change, string endpoint = EndSession)
    {
        // As LogoutNegativeFlow.RunAsync builds it: the negatives' normal request, then the case's change.
        var pipeline = LogoutChanges.Normal(Inputs);
        change.Apply(pipeline, Inputs);
        return (pipeline, pipeline.Build(endpoint));
    }

    [TestCaseSource(nameof(LogoutCases))]
    public void Logout_negative_sends_what_it_sent_before_and_names_its_step(string @case, LogoutChange change, string mutates)
    {
        foreach (var endpoint in new[] { EndSession, PlainEndSession })
        {
            var (pipeline, request) = Negative(change, endpoint);
            var before = Before.EndSessionUrl(endpoint, Before.LogoutNegative(@case, IdToken, PostLogout, ClientId, request.State ?? "(no state)"));
            Assert.That(request.ToUri().OriginalString, Is.EqualTo(before.OriginalString), endpoint);
            Assert.That(pipeline.MutatedStep, Is.EqualTo(mutates), "the attempt's MutatedStep");
        }
        Assert.That(change.Mutates, Is.EqualTo(mutates), "the change's name is what the pipeline records");
        Assert.That(change.Evidence.Label, Is.EqualTo("mutates"));
        Assert.That(change.Evidence.Content, Is.EqualTo(mutates));
    }

    [TestCaseSource(nameof(LogoutCases))]
    public void Logout_negative_changes_only_its_step(string @case, LogoutChange change, string mutates)
    {
        var normal = LogoutChanges.Normal(Inputs).Build(EndSession).Parameters;
        var (_, request) = Negative(change);
        var changed = mutates["logout request / ".Length..mutates.IndexOf(':')];
        // Every parameter but the changed step's (and the fresh state, drawn anew) is sent as in the normal request, in order.
        static List<KeyValuePair<string, string>> Others(IEnumerable<KeyValuePair<string, string>> ps, string step) =>
            ps.Where(p => p.Key != step && p.Key != "state" && p.Key != "client_id").ToList();
        Assert.That(Others(request.Parameters, changed), Is.EqualTo(Others(normal, changed)));
        Assert.That(request.Parameters.Count(p => p.Key == "state"), Is.EqualTo(changed == "state" ? 0 : 1));
        Assert.That(request.Parameters.Select(p => p.Key).Distinct().Count(), Is.EqualTo(request.Parameters.Count), "no parameter is repeated");
        Assert.That(request.Parameters.Any(p => p.Key == "client_id"), Is.EqualTo(@case == "client-id-only"));
    }

    [Test]
    public void Tampered_hint_is_the_one_the_evidence_header_is_read_from()
    {
        var (_, request) = Negative(LogoutChanges.TamperedIdTokenHint("alg-none"));
        Assert.That(LogoutNegativeFlow.HeaderOf(request.IdTokenHint!), Does.Contain("\"alg\":\"none\""));
        Assert.That(request.IdTokenHint, Is.Not.EqualTo(IdToken));
    }

    [Test]
    public void Every_logout_negative_check_has_a_named_case()
    {
        // The tamper cases of LogoutNegativeChecks each have a change; an unknown case is refused, not sent untampered.
        foreach (var @case in LogoutNegativeChecks.TamperCases)
            Assert.That(LogoutChanges.TamperedIdTokenHint(@case).Mutates, Does.StartWith("logout request / id_token_hint: "));
        Assert.Throws<ArgumentOutOfRangeException>(() => LogoutChanges.TamperedIdTokenHint("no-such-case"));
    }

    // ---- the shared authorization attempts ---------------------------------------------------------------------------

    /// <summary>Each shared attempt: its steps, the label it shows (null for the positive ones), and how the fixture changed the built request before.</summary>
    public static IEnumerable<TestCaseData> AttemptCases()
    {
        TestCaseData Case(string label, Action<AuthorizationPipeline> steps, string? mutates, Action<AuthorizationRequest> before) =>
            new TestCaseData(steps, mutates, before).SetArgDisplayNames(label);
        yield return Case("response_type missing", AuthorizationAttempts.WithoutResponseType.Apply, "authorization request / response_type: left out",
            q => q.Remove("response_type"));
        yield return Case("response_type unknown", AuthorizationAttempts.WithUnknownResponseType.Apply,
            "authorization request / response_type: a value no specification defines", q => q.Set("response_type", "oidc_conformance_unknown"));
        yield return Case("prompt=none", p => p.Add(new PromptStep("none")), null, q => q.Set("prompt", "none"));
        yield return Case("prompt=login", p => p.Add(new PromptStep("login")), null, q => q.Set("prompt", "login"));
        yield return Case("max_age=0", p => p.Add(new MaxAgeStep(0)), null, q => q.Set("max_age", "0"));
    }

    [TestCaseSource(nameof(AttemptCases))]
    public void Shared_attempt_sends_what_it_sent_before(Action<AuthorizationPipeline> steps, string? mutates, Action<AuthorizationRequest> before)
    {
        foreach (var pkceRequired in new[] { false, true })
        {
            var client = Client() with { PkceRequired = pkceRequired };
            // As AuthorizationEndpointFlow.AttemptAsync builds it (steps), and as it built it before (customize on the built request).
            var pipeline = CodeFlow.AuthorizationSteps(client, Redirect, "code", pkce: false, steps);
            var request = pipeline.Build(AuthorizationEndpoint);
            var old = Before.Create(AuthorizationEndpoint, client, Redirect, request.State!, request.Nonce!);
            if (pkceRequired) old.WithPkceOf(request.CodeVerifier!);
            before(old);
            Assert.That(Wire(request), Is.EqualTo(Wire(old)), $"PKCE required: {pkceRequired}");
            Assert.That(pipeline.MutatedStep, Is.EqualTo(mutates), "negatives name their step; positive attempts mutate nothing");
        }
    }

    [Test]
    public void Response_type_negatives_carry_mutates_evidence()
    {
        foreach (var change in new[] { AuthorizationAttempts.WithoutResponseType, AuthorizationAttempts.WithUnknownResponseType })
        {
            Assert.That(change.Evidence.Label, Is.EqualTo("mutates"));
            Assert.That(change.Mutates, Does.StartWith("authorization request / response_type: "));
        }
    }
}
