using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Profiles;
using OidcConformance.Run;

namespace OidcConformance.Suites.Pkce;

/// <summary>
/// PKCE (RFC 7636, RFC 9700 §4.8): one correct S256 attempt per client, and attempts that each break one step of the
/// request pipeline (<see cref="PkceMutation"/>). All attempts share one browser session (login once, then SSO).
/// </summary>
[TestFixture, Category("Pkce"), Parallelizable(ParallelScope.Self)]
public sealed class PkceTests : ConformanceTest
{
    public static readonly string[] Clients = ["public", "confidential"];

    /// <summary>Runs one case; a missing prerequisite keeps the case label in the Inconclusive verdict.</summary>
    private static Task Case(CheckDefinition check, string label, Func<ConformanceRun, Task<CheckResult>> evaluate) => Verify(check, async r =>
    {
        try { return (await evaluate(r)).WithCase(label); }
        catch (PrerequisiteException e) { return check.NotApplicable(e.Message).WithCase(label); }
    });

    /// <summary>Attaches the step of the request pipeline the case mutates (if any) and the (redacted) code exchange.</summary>
    private static CheckResult WithExchange(CheckResult result, CodeFlowResult flow)
    {
        if (flow.MutatedStep is { } mutated) result = result.WithEvidence(new Evidence("mutates", mutated));
        return flow.Token is { } token ? result.WithEvidence(new Evidence("token request and response", token.Exchange.ToRedactedString())) : result;
    }

    private static ClientProfile Client(ConformanceRun r, string role) =>
        r.Profile.Clients.GetValueOrDefault(role) ?? throw new PrerequisiteException($"the profile has no {role} client");

    /// <summary>The client for single-client cases: the public one, where PKCE is its only protection.</summary>
    private static ClientProfile PreferPublic(ConformanceRun r) => r.Profile.Public ?? r.Profile.Confidential;

    [TestCaseSource(nameof(Clients))]
    public Task S256_challenge_is_redeemed_with_its_verifier(string role) => Case(PkceChecks.S256Accepted, role, async r =>
    {
        var flow = await PkceFlows.AttemptAsync(r, Client(r, role), PkceMutation.None);
        return WithExchange(PkceChecks.EvaluateS256Accepted(flow.Outcome, flow.Token), flow);
    });

    public static IEnumerable<TestCaseData> InvalidVerifierCases() =>
        from role in Clients
        from mutation in new[] { PkceMutation.WrongVerifier, PkceMutation.MissingVerifier }
        select new TestCaseData(role, mutation);

    [TestCaseSource(nameof(InvalidVerifierCases))]
    public Task Wrong_or_missing_verifier_is_refused(string role, PkceMutation mutation) => Case(PkceChecks.InvalidVerifierRejected, $"{role}: {mutation}", async r =>
    {
        var client = Client(r, role);
        var flow = await PkceFlows.AttemptAsync(r, client, mutation);
        var control = await PkceFlows.ControlAsync(r, client, PkceMutation.None);
        return WithExchange(PkceChecks.EvaluateInvalidVerifierRejected(flow.Outcome, flow.Token, mutation == PkceMutation.MissingVerifier, control), flow);
    });

    [TestCaseSource(nameof(Clients))]
    public Task Verifier_without_challenge_is_refused(string role) => Case(PkceChecks.DowngradeRejected, role, async r =>
    {
        var client = Client(r, role);
        var flow = await PkceFlows.AttemptAsync(r, client, PkceMutation.Downgrade);
        // Controls: the request with its challenge (for a refusal at the authorization endpoint) and the challenge-less
        // code redeemed without a verifier (for a refusal at the token endpoint).
        var withChallenge = await PkceFlows.ControlAsync(r, client, PkceMutation.None);
        var withoutVerifier = await PkceFlows.ControlAsync(r, client, PkceMutation.NoChallenge);
        return WithExchange(PkceChecks.EvaluateDowngradeRejected(flow.Outcome, flow.Token, withChallenge, withoutVerifier), flow);
    });

    public static readonly PkceMutation[] MalformedVerifiers =
        [PkceMutation.VerifierTooShort, PkceMutation.VerifierTooLong, PkceMutation.VerifierIllegalCharacters];

    [TestCaseSource(nameof(MalformedVerifiers))]
    public Task Malformed_verifier_is_refused(PkceMutation mutation) => Case(PkceChecks.VerifierFormatEnforced, mutation.ToString(), async r =>
    {
        var client = PreferPublic(r);
        var flow = await PkceFlows.AttemptAsync(r, client, mutation);
        var control = await PkceFlows.ControlAsync(r, client, PkceMutation.None);
        return WithExchange(PkceChecks.EvaluateVerifierFormatEnforced(flow.Outcome, flow.Token, control), flow);
    });

    [TestCase("plain")]
    [TestCase(PkceFlows.UnknownMethodName)]
    public Task Unsupported_challenge_method_is_refused(string method) => Case(PkceChecks.UnsupportedMethodRejected, method, async r =>
    {
        var advertised = (await r.DiscoveryAsync()).StringArray("code_challenge_methods_supported");
        if (advertised is null || advertised.Contains(method))
            return PkceChecks.EvaluateUnsupportedMethodRejected(method, advertised, null!, null, null);
        var client = PreferPublic(r);
        var flow = await PkceFlows.AttemptAsync(r, client, method == "plain" ? PkceMutation.Plain : PkceMutation.UnknownMethod);
        var control = await PkceFlows.ControlAsync(r, client, PkceMutation.None);
        return WithExchange(PkceChecks.EvaluateUnsupportedMethodRejected(method, advertised, flow.Outcome, flow.Token, control), flow);
    });

    [Test] public Task Plain_works_where_advertised() => Case(PkceChecks.PlainAcceptedWhenAdvertised, "plain", async r =>
    {
        var advertised = (await r.DiscoveryAsync()).StringArray("code_challenge_methods_supported");
        if (advertised?.Contains("plain") != true) return PkceChecks.EvaluatePlainAcceptedWhenAdvertised(advertised, null!, null);
        var flow = await PkceFlows.AttemptAsync(r, PreferPublic(r), PkceMutation.Plain);
        return WithExchange(PkceChecks.EvaluatePlainAcceptedWhenAdvertised(advertised, flow.Outcome, flow.Token), flow);
    });

    [Test] public Task Public_client_without_challenge_is_refused() => Case(PkceChecks.RequiredForPublicClient, "public", async r =>
    {
        var client = r.Profile.Public ?? throw new PrerequisiteException("the profile has no public client");
        if (!client.PkceRequired) return PkceChecks.EvaluateRequiredWithoutChallengeRejected(false, null!, null, null);
        var flow = await PkceFlows.AttemptAsync(r, client, PkceMutation.NoChallenge);
        var control = await PkceFlows.ControlAsync(r, client, PkceMutation.None);
        return WithExchange(PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, flow.Outcome, flow.Token, control), flow);
    });

    [Test] public Task Challenge_methods_are_advertised() => Verify(PkceChecks.MethodsAdvertised, async r =>
        PkceChecks.EvaluateMethodsAdvertised(await r.DiscoveryAsync(), r.Profile.Features.Pkce));
}
