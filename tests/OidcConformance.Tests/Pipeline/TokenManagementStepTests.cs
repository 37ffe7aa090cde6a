using NUnit.Framework;
using OidcConformance.Flows;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using static OidcConformance.Tests.Pipeline.RequestPipelineTests;
using Before = OidcConformance.Tests.Pipeline.PrePipelineRequests;
using P = OidcConformance.Protocol.TokenManagementPipeline;

namespace OidcConformance.Tests.Pipeline;

/// <summary>
/// Introspection and revocation requests (<see cref="TokenManagementPipeline"/>), the refresh negatives
/// (<see cref="RefreshFlows.Mutations"/>) and the GET to the token endpoint send what they sent before the pipeline,
/// byte for byte and with the same exchange purpose, and each negative case names the step it changes.
/// </summary>
public sealed class TokenManagementStepTests
{
    private const string IntrospectionEndpoint = "https://op.test/introspect";
    private const string RevocationEndpoint = "https://op.test/revoke?tenant=a";

    private static readonly ClientProfile Other = Client("client-2", "other-secret", "client_secret_post");
    private static readonly ClientProfile Public = Client("public-1", null, "none");

    /// <summary>The purpose TokenManagementCalls.PostAsync gives the exchange of <paramref name="pipeline"/>.</summary>
    private static string Purpose(string purpose, P pipeline) => $"{purpose} ({pipeline.Caller}, hint {pipeline.Hint ?? "none"})";

    private static void AssertSentAsBefore(P pipeline, string endpoint, string purpose, (TokenRequest Request, string Purpose) before)
    {
        Assert.That(Wire(pipeline.Build(endpoint)), Is.EqualTo(Wire(before.Request)), "the bytes on the wire");
        Assert.That(Purpose(purpose, pipeline), Is.EqualTo(before.Purpose), "the exchange purpose (recordings and baselines key on it)");
    }

    // ---- normal requests -------------------------------------------------------------------------------------------

    public static IEnumerable<TestCaseData> NormalCases()
    {
        foreach (var (client, method) in new (ClientProfile, ClientAuthentication?)[]
                 { (Client(), null), (Client(), ClientAuthentication.ClientSecretPost), (Other, null), (Public, null) })
        foreach (var hint in new[] { "access_token", "refresh_token", null })
            yield return new TestCaseData(client, method, hint).SetArgDisplayNames($"{client.ClientId}, {method?.Name() ?? "preferred"}, hint {hint ?? "none"}");
    }

    [TestCaseSource(nameof(NormalCases))]
    public void Normal_introspection_and_revocation_are_sent_as_before(ClientProfile client, ClientAuthentication? method, string? hint)
    {
        var introspection = P.Introspection(client, "tok+en/=", hint, method);
        AssertSentAsBefore(introspection, IntrospectionEndpoint, "introspection",
            Before.TokenManagementPost(IntrospectionEndpoint, "introspection", "tok+en/=", hint, client, method));
        var revocation = P.Revocation(client, "tok+en/=", hint, method);
        AssertSentAsBefore(revocation, RevocationEndpoint, "revocation",
            Before.TokenManagementPost(RevocationEndpoint, "revocation", "tok+en/=", hint, client, method));
        Assert.That(introspection.MutatedStep, Is.Null);
        Assert.That(revocation.MutatedStep, Is.Null);
        Assert.That(introspection.Steps.Select(s => s.GetType().Name),
            Is.EqualTo(new[] { nameof(ClientAuthenticationStep), nameof(TokenParameterStep), nameof(TokenTypeHintStep) }));
        Assert.That((introspection.RequestName, revocation.RequestName), Is.EqualTo(("introspection request", "revocation request")));
    }

    // ---- introspection negatives (as IntrospectionFlow sends them) ---------------------------------------------------

    public static IEnumerable<TestCaseData> IntrospectionNegatives()
    {
        const string at = "the-access-token", rt = "the-refresh-token", wrong = "s3cret:+&/-wrong";
        TestCaseData Case(string name, Func<P> build, string mutates, Func<(TokenRequest, string)> before) =>
            new TestCaseData(build, mutates, before).SetArgDisplayNames(name);
        P Access() => P.Introspection(Client(), at, "access_token");
        yield return Case("access token, hint refresh_token", () => Access().WrongHint("refresh_token"),
            "introspection request / token_type_hint: refresh_token, not the token's type",
            () => Before.TokenManagementPost(IntrospectionEndpoint, "introspection", at, "refresh_token", Client()));
        yield return Case("refresh token, hint access_token", () => P.Introspection(Client(), rt, "refresh_token").WrongHint("access_token"),
            "introspection request / token_type_hint: access_token, not the token's type",
            () => Before.TokenManagementPost(IntrospectionEndpoint, "introspection", rt, "access_token", Client()));
        yield return Case("no credentials", () => Access().WithoutCredentials(), "introspection request / client authentication: no credentials",
            () => Before.TokenManagementPost(IntrospectionEndpoint, "introspection", at, "access_token", null));
        yield return Case("wrong secret (basic)", () => Access().WrongSecret(Client(), ClientAuthentication.ClientSecretBasic, wrong),
            "introspection request / client authentication: a wrong secret (client_secret_basic)",
            () => Before.TokenManagementPost(IntrospectionEndpoint, "introspection", at, "access_token", Client(), ClientAuthentication.ClientSecretBasic, wrong));
        yield return Case("wrong secret (post)", () => Access().WrongSecret(Client(), ClientAuthentication.ClientSecretPost, wrong),
            "introspection request / client authentication: a wrong secret (client_secret_post)",
            () => Before.TokenManagementPost(IntrospectionEndpoint, "introspection", at, "access_token", Client(), ClientAuthentication.ClientSecretPost, wrong));
        yield return Case("garbage token", () => P.Introspection(Client(), at, null).GarbageToken("garbage-x"),
            "introspection request / token: a token the provider never issued",
            () => Before.TokenManagementPost(IntrospectionEndpoint, "introspection", "garbage-x", null, Client()));
        yield return Case("another client's token", () => P.Introspection(Other, at, "access_token").AsOtherClient(Client()),
            "introspection request / client authentication: another client than the one the token was issued to",
            () => Before.TokenManagementPost(IntrospectionEndpoint, "introspection", at, "access_token", Client()));
    }

    [TestCaseSource(nameof(IntrospectionNegatives))]
    public void Introspection_negative_sends_what_it_sent_before_and_names_its_step(Func<P> build, string mutates, Func<(TokenRequest, string)> before)
    {
        var pipeline = build();
        AssertSentAsBefore(pipeline, IntrospectionEndpoint, "introspection", before());
        Assert.That(pipeline.MutatedStep, Is.EqualTo(mutates));
    }

    // ---- revocation negatives (RevocationFlow's own builders) ---------------------------------------------------------

    [TestCaseSource(typeof(RevocationFlow), nameof(RevocationFlow.UnauthenticatedCases))]
    public void Unauthenticated_revocation_sends_what_it_sent_before_and_names_its_step(string @case)
    {
        const string rt = "the-refresh-token", wrong = "s3cret:+&/-wrong";
        var pipeline = RevocationFlow.UnauthenticatedRequest(@case, Client(), rt, wrong)!;
        var before = @case switch
        {
            "no credentials" => Before.TokenManagementPost(RevocationEndpoint, "revocation", rt, "refresh_token", null),
            "client_id without secret" => Before.TokenManagementPost(RevocationEndpoint, "revocation", rt, "refresh_token", Client(), clientIdOnly: true),
            "wrong secret (basic)" => Before.TokenManagementPost(RevocationEndpoint, "revocation", rt, "refresh_token", Client(), ClientAuthentication.ClientSecretBasic, wrong),
            _ => Before.TokenManagementPost(RevocationEndpoint, "revocation", rt, "refresh_token", Client(), ClientAuthentication.ClientSecretPost, wrong),
        };
        AssertSentAsBefore(pipeline, RevocationEndpoint, "revocation", before);
        Assert.That(pipeline.MutatedStep, Does.StartWith("revocation request / client authentication: "));
        Assert.That(pipeline.Mutations, Has.Count.EqualTo(1));
    }

    [Test]
    public void Unauthenticated_revocation_skips_a_method_the_client_is_not_registered_for()
    {
        var postOnly = Client(methods: "client_secret_post");
        Assert.That(RevocationFlow.UnauthenticatedRequest("wrong secret (basic)", postOnly, "rt", "w"), Is.Null);
        Assert.That(RevocationFlow.UnauthenticatedRequest("wrong secret (post)", postOnly, "rt", "w"), Is.Not.Null);
    }

    [TestCase("refresh_token", null)]
    [TestCase(null, null)]
    [TestCase("access_token", "revocation request / token_type_hint: access_token, not the token's type")]
    public void Refresh_token_revocation_sends_what_it_sent_before(string? hint, string? mutates)
    {
        var pipeline = RevocationFlow.RefreshTokenRequest(Client(), "rt", hint);
        AssertSentAsBefore(pipeline, RevocationEndpoint, "revocation", Before.TokenManagementPost(RevocationEndpoint, "revocation", "rt", hint, Client()));
        Assert.That(pipeline.MutatedStep, Is.EqualTo(mutates), "only the wrong hint is a negative case");
    }

    [TestCase(null)]
    [TestCase("access_token")]
    [TestCase("refresh_token")]
    public void Garbage_revocation_sends_what_it_sent_before_and_names_its_step(string? hint)
    {
        var pipeline = RevocationFlow.GarbageRequest(Client(), hint, "garbage-y");
        AssertSentAsBefore(pipeline, RevocationEndpoint, "revocation", Before.TokenManagementPost(RevocationEndpoint, "revocation", "garbage-y", hint, Client()));
        Assert.That(pipeline.MutatedStep, Is.EqualTo(RevocationFlow.GarbageMutatedStep));
    }

    [Test]
    public void Other_clients_revocation_sends_what_it_sent_before_and_names_its_step()
    {
        var pipeline = P.Revocation(Client(), "rt", "refresh_token").AsOtherClient(Other);
        AssertSentAsBefore(pipeline, RevocationEndpoint, "revocation", Before.TokenManagementPost(RevocationEndpoint, "revocation", "rt", "refresh_token", Other));
        Assert.That(pipeline.MutatedStep, Is.EqualTo("revocation request / client authentication: another client than the one the token was issued to"));
    }

    [Test]
    public void A_revocation_sent_again_names_the_token_step_of_the_revocation_request()
    {
        var tokenPart = new TokenParameterStep("t").Part;
        Assert.That(RevocationFlow.RevokedAgainMutatedStep, Does.StartWith($"{P.RevocationRequest} / {tokenPart}: "));
    }

    [Test]
    public void A_replaced_token_or_hint_changes_only_its_parameter()
    {
        var normal = P.Revocation(Client(), "rt", "refresh_token").Build(RevocationEndpoint);
        var garbage = P.Revocation(Client(), "rt", "refresh_token").GarbageToken("g").Build(RevocationEndpoint);
        var hinted = P.Revocation(Client(), "rt", "refresh_token").WrongHint("access_token").Build(RevocationEndpoint);
        Assert.That(garbage.Parameters, Is.EqualTo(new KeyValuePair<string, string>[] { new("token", "g"), new("token_type_hint", "refresh_token") }));
        Assert.That(hinted.Parameters, Is.EqualTo(new KeyValuePair<string, string>[] { new("token", "rt"), new("token_type_hint", "access_token") }));
        Assert.That((garbage.ClientId, garbage.ClientSecret, garbage.Authentication), Is.EqualTo((normal.ClientId, normal.ClientSecret, normal.Authentication)));
        Assert.That(Wire(hinted).Split('\n')[1], Is.EqualTo(Wire(normal).Split('\n')[1]), "the Authorization header is untouched");
    }

    // ---- refresh negatives -----------------------------------------------------------------------------------------

    private static readonly ClientProfile OtherRefresher = Client("client-3", "third", "client_secret_post");

    /// <summary>Each refresh negative as RefreshFlows.ScenarioAsync / GarbageAsync builds it, and the request it sent before.</summary>
    public static IEnumerable<TestCaseData> RefreshNegatives()
    {
        TestCaseData Case(string name, Func<TokenPipeline> build, Func<TokenRequest, TokenRequest> before) =>
            new TestCaseData(name, build, before).SetArgDisplayNames(name);
        yield return Case(RefreshFlows.WithoutClientAuthentication,
            () => RefreshFlows.Mutations.WithoutClientAuthentication(TokenPipeline.Refresh(Client(), "latest"), Client()),
            _ => Before.Refresh(TokenEndpoint, Client(), "latest", method: ClientAuthentication.None));
        foreach (var method in new[] { ClientAuthentication.ClientSecretBasic, ClientAuthentication.ClientSecretPost })
            yield return Case(RefreshFlows.WrongClientSecret,
                () => RefreshFlows.Mutations.WrongClientSecret(TokenPipeline.Refresh(Client(), "latest", method: method), Client(), method, "wrong-x"),
                _ => Before.Refresh(TokenEndpoint, Client(), "latest", method: method).AuthenticateAs(Client(), method, "wrong-x"));
        yield return Case(RefreshFlows.PresentedByOtherClient,
            () => RefreshFlows.Mutations.PresentedByOtherClient(TokenPipeline.Refresh(Client(), "latest"), OtherRefresher),
            _ => Before.Refresh(TokenEndpoint, OtherRefresher, "latest"));
        yield return Case(RefreshFlows.WidenedScope,
            () => RefreshFlows.Mutations.WidenedScope(TokenPipeline.Refresh(Client(), "latest"), "openid profile email"),
            _ => Before.Refresh(TokenEndpoint, Client(), "latest", "openid profile email"));
        yield return Case(RefreshFlows.InvalidToken,
            () => RefreshFlows.Mutations.InvalidToken(TokenPipeline.Refresh(Client(), ""), "not-a-refresh-token-z"),
            _ => Before.Refresh(TokenEndpoint, Client(), "not-a-refresh-token-z"));
    }

    [TestCaseSource(nameof(RefreshNegatives))]
    public void Refresh_negative_sends_what_it_sent_before_and_names_its_step(string name, Func<TokenPipeline> build, Func<TokenRequest, TokenRequest> before)
    {
        var pipeline = build();
        var sent = pipeline.Build(TokenEndpoint);
        Assert.That(Wire(sent), Is.EqualTo(Wire(before(sent))));
        Assert.That(pipeline.MutatedStep, Is.EqualTo(RefreshFlows.MutatedSteps[name]), "the table the fixture shows is what the pipeline changed");
    }

    [Test]
    public void Every_refresh_negative_names_a_step_of_the_refresh_request()
    {
        var parts = new RequestStep<TokenRequest>[]
            { new ClientAuthenticationStep(Client(), ClientAuthentication.None), new GrantTypeStep("g"), new RefreshTokenStep("r"), new TokenScopeStep(null) }
            .Select(s => s.Part).ToList();
        foreach (var (name, label) in RefreshFlows.MutatedSteps)
            Assert.That(parts.Any(p => label.StartsWith($"token request / {p}: ", StringComparison.Ordinal)), $"'{name}': '{label}' names no step of the refresh request");
        var converted = RefreshNegatives().Select(c => (string)c.Arguments[0]!).Distinct();
        Assert.That(RefreshFlows.MutatedSteps.Keys.Except(converted), Is.EqualTo(new[] { RefreshFlows.ReuseOfRotatedToken }),
            "every negative but the reuse (the very same request again) is a pipeline mutation proved above");
    }

    // ---- the GET to the token endpoint -------------------------------------------------------------------------------

    [TestCase("api")]
    [TestCase("")]
    [TestCase("openid profile")]
    public void Get_request_sends_what_it_sent_before_and_names_its_step(string scope)
    {
        var cc = Client("cc-client", "cc:secret&", "client_secret_post") with { Scope = scope };
        foreach (var endpoint in new[] { TokenEndpoint, "https://op.test/token?tenant=a" })
        {
            var pipeline = TokenEndpointFlows.GetRequest(cc);
            using var before = Before.GetRequest(endpoint, cc);
            Assert.That(Wire(pipeline.Build(endpoint).Build()), Is.EqualTo(Wire(before)));
            Assert.That(pipeline.MutatedStep, Is.EqualTo(TokenEndpointFlows.GetRequestMutatedStep));
        }
    }

    [Test]
    public void The_http_method_step_moves_only_the_parameters()
    {
        var post = TokenPipeline.ClientCredentials(Client(), "api", ClientAuthentication.ClientSecretBasic).Build(TokenEndpoint);
        var get = TokenEndpointFlows.GetRequest(Client() with { Scope = "api" }).Build(TokenEndpoint);
        Assert.That(get.Parameters, Is.EqualTo(post.Parameters));
        using var postMessage = post.Build();
        using var getMessage = get.Build();
        Assert.That(postMessage.Method, Is.EqualTo(HttpMethod.Post));
        Assert.That((getMessage.Method, getMessage.Content), Is.EqualTo((HttpMethod.Get, (HttpContent?)null)));
        Assert.That(getMessage.RequestUri!.Query, Is.EqualTo("?" + postMessage.Content!.ReadAsStringAsync().Result));
        Assert.That(getMessage.Headers.Authorization, Is.EqualTo(postMessage.Headers.Authorization));
    }
}
