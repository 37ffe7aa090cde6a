using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Suites.Refresh;

/// <summary>
/// The refresh token grant (RFC 6749 §6, OIDC Core §12, RFC 9700 §4.14) for the confidential and the public client.
/// Each client's steps come from one <see cref="RefreshScenario"/> with its own login, run once in a fixed order.
/// </summary>
[TestFixture, Category("Refresh"), Parallelizable(ParallelScope.Self)]
public sealed class RefreshTests : ConformanceTest
{
    public static readonly string[] Clients = ["confidential", "public"];

    /// <summary>Runs one case; a missing prerequisite keeps the case label in the Inconclusive verdict.</summary>
    private static Task Case(CheckDefinition check, string label, Func<ConformanceRun, Task<CheckResult>> evaluate) => Verify(check, async r =>
    {
        try { return (await evaluate(r)).WithCase(label); }
        catch (PrerequisiteException e) { return check.NotApplicable(e.Message).WithCase(label); }
    });

    /// <summary>Attaches the (redacted) refresh request and response the verdict is about.</summary>
    private static CheckResult WithExchange(CheckResult result, OidcConformance.Protocol.TokenResponse? response) =>
        response is null ? result : result.WithEvidence(new Evidence("refresh request and response", response.Exchange.ToRedactedString()));

    /// <summary>A negative case names the step of the normal refresh request it changed (<see cref="RefreshFlows.MutatedSteps"/>).</summary>
    private static CheckResult Mutates(CheckResult result, string negativeCase) => result.Mutates(RefreshFlows.MutatedSteps[negativeCase]);

    private static async Task<RefreshScenario> Refreshed(ConformanceRun r, string role)
    {
        var scenario = await RefreshFlows.ScenarioAsync(r, role);
        var first = scenario.RequireFirst();
        if (!first.IsSuccess) throw new PrerequisiteException($"the refresh failed: {first.Describe()}");
        return scenario;
    }

    [TestCaseSource(nameof(Clients))]
    public Task Refresh_token_is_issued(string role) => Case(RefreshChecks.Issued, role, async r =>
        RefreshChecks.EvaluateIssued((await RefreshFlows.ScenarioAsync(r, role)).Initial.RequireSuccessfulToken(), true));

    [TestCaseSource(nameof(Clients))]
    public Task Refresh_returns_a_new_access_token(string role) => Case(RefreshChecks.Succeeds, role, async r =>
    {
        var first = (await RefreshFlows.ScenarioAsync(r, role)).RequireFirst();
        return WithExchange(RefreshChecks.EvaluateSucceeds(first), first);
    });

    [TestCaseSource(nameof(Clients))]
    public Task Refreshed_access_token_works_at_userinfo(string role) => Case(RefreshChecks.AccessTokenWorks, role, async r =>
    {
        var scenario = await Refreshed(r, role);
        var userinfo = scenario.FirstUserInfo ?? throw new PrerequisiteException("the provider offers no UserInfo endpoint (profile features.userinfo / discovery)");
        return RefreshChecks.EvaluateAccessTokenWorks(userinfo, scenario.Initial.IdToken.ClaimString("sub"));
    });

    [TestCaseSource(nameof(Clients))]
    public Task Refreshed_id_token_keeps_the_original_claims(string role) => Case(RefreshChecks.IdTokenConsistent, role, async r =>
    {
        var scenario = await Refreshed(r, role);
        return RefreshChecks.EvaluateIdTokenConsistent(scenario.Initial.IdToken, DecodedJwt.Decode(scenario.First!.IdToken),
            await r.JwksAsync(), scenario.Client.ClientId);
    });

    [Test] public Task Public_client_refresh_token_is_rotated() => Case(RefreshChecks.PublicClientRotation, "public", async r =>
    {
        var scenario = await RefreshFlows.ScenarioAsync(r, "public");
        return RefreshChecks.EvaluatePublicClientRotation(scenario.Client.IsPublic, scenario.InitialRefreshToken!, scenario.RequireFirst());
    });

    [TestCaseSource(nameof(Clients))]
    public Task Rotated_refresh_token_cannot_be_reused(string role) => Case(RefreshChecks.RotatedReuseRejected, role, async r =>
    {
        var scenario = await Refreshed(r, role);
        var result = WithExchange(RefreshChecks.EvaluateRotatedReuseRejected(scenario.Rotated, scenario.Reuse), scenario.Reuse);
        return scenario.Reuse is null ? result : Mutates(result, RefreshFlows.ReuseOfRotatedToken);
    });

    [TestCaseSource(nameof(Clients))]
    public Task Reuse_revokes_the_active_refresh_token(string role) => Case(RefreshChecks.ReuseRevokesActiveToken, role, async r =>
    {
        var scenario = await Refreshed(r, role);
        if (!scenario.Rotated) throw new PrerequisiteException("the refresh token was not rotated, so no rotated-away token could be replayed");
        if (scenario.LatestUnreliable is { } why) throw new PrerequisiteException(why);
        return WithExchange(RefreshChecks.EvaluateReuseRevokesActiveToken(scenario.Reuse, scenario.ActiveAfterReuse), scenario.ActiveAfterReuse);
    });

    [TestCaseSource(nameof(Clients))]
    public Task Refresh_token_is_bound_to_its_client(string role) => Case(RefreshChecks.BoundToClient, $"{role} token, presented by clients.secondConfidential", async r =>
    {
        var scenario = await Refreshed(r, role);
        var response = scenario.ByOtherClient ?? throw new PrerequisiteException("the profile has no clients.secondConfidential to present the token");
        if (!scenario.OtherClient!.GrantTypes.Contains("refresh_token"))
            throw new PrerequisiteException("clients.secondConfidential is not registered for the refresh_token grant, so its refusal would prove nothing");
        return Mutates(WithExchange(RefreshChecks.EvaluateBoundToClient(response), response), RefreshFlows.PresentedByOtherClient);
    });

    [TestCase("no client authentication")]
    [TestCase("wrong client secret")]
    public Task Confidential_client_must_authenticate(string variant) => Case(RefreshChecks.ClientAuthenticationRequired, variant, async r =>
    {
        var scenario = await Refreshed(r, "confidential");
        var response = (variant == "wrong client secret" ? scenario.WithWrongSecret : scenario.WithoutClientAuthentication)
                       ?? throw new PrerequisiteException("the request was not sent");
        return Mutates(WithExchange(RefreshChecks.EvaluateClientAuthenticationRequired(!scenario.Client.IsPublic, response,
            variant == "wrong client secret" && scenario.WrongSecretSentWithBasic), response),
            variant == "wrong client secret" ? RefreshFlows.WrongClientSecret : RefreshFlows.WithoutClientAuthentication);
    });

    [TestCaseSource(nameof(Clients))]
    public Task Scope_can_be_narrowed(string role) => Case(RefreshChecks.ScopeNarrowing, role, async r =>
    {
        var scenario = await Refreshed(r, role);
        return WithExchange(RefreshChecks.EvaluateScopeNarrowing(scenario.GrantedScope, scenario.NarrowScope, scenario.Narrow!, scenario.NarrowIndependent), scenario.Narrow);
    });

    [TestCaseSource(nameof(Clients))]
    public Task Scope_cannot_be_widened(string role) => Case(RefreshChecks.ScopeNotWidened, role, async r =>
    {
        var scenario = await Refreshed(r, role);
        return Mutates(WithExchange(RefreshChecks.EvaluateScopeNotWidened(scenario.GrantedScope, scenario.AddedScope, scenario.Widen!, scenario.WidenIndependent),
            scenario.Widen), RefreshFlows.WidenedScope);
    });

    public static IEnumerable<TestCaseData> ScopeSteps() =>
        from role in Clients from step in new[] { "narrowed", "widened" }
        select new TestCaseData(role, step).SetArgDisplayNames($"refresh {step}, {role}");

    /// <summary>
    /// The narrowed and widened refreshes state their scope where it differs from the request (RFC 6749 §5.1): an omitted
    /// scope is checked against introspection of the issued token, never read as "as requested" on the response's word.
    /// </summary>
    [TestCaseSource(nameof(ScopeSteps))]
    public Task Refresh_states_a_scope_that_differs_from_the_request(string role, string step) =>
        Case(ClientCredentialsChecks.ScopeReported, $"refresh {step}, {role}", async r =>
        {
            var scenario = await Refreshed(r, role);
            var (response, requested, independent) = step == "narrowed"
                ? (scenario.Narrow!, scenario.NarrowScope, scenario.NarrowIndependent)
                : (scenario.Widen!, scenario.GrantedScope + " " + scenario.AddedScope, scenario.WidenIndependent);
            var result = WithExchange(ClientCredentialsChecks.EvaluateScopeReported(response, requested, independent?.Introspected), response);
            return step == "widened" ? Mutates(result, RefreshFlows.WidenedScope) : result;
        });

    [TestCaseSource(nameof(Clients))]
    public Task Unknown_refresh_token_is_refused(string role) => Case(RefreshChecks.InvalidTokenRejected, role, async r =>
    {
        var response = await RefreshFlows.GarbageAsync(r, role);
        return Mutates(WithExchange(RefreshChecks.EvaluateInvalidTokenRejected(response), response), RefreshFlows.InvalidToken);
    });
}
