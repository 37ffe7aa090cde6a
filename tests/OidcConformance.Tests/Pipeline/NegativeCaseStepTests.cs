using NUnit.Framework;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using static OidcConformance.Tests.Pipeline.RequestPipelineTests;
using Before = OidcConformance.Tests.Pipeline.PrePipelineRequests;
using F = OidcConformance.Flows.TokenEndpointFlows;

namespace OidcConformance.Tests.Pipeline;

/// <summary>
/// The negative cases converted to the request pipeline (PKCE attempts, refused token requests) send what they sent
/// before, and each names the step of the normal request it changes.
/// </summary>
public sealed class NegativeCaseStepTests
{
    // ---- PKCE ----------------------------------------------------------------------------------------------------

    public static readonly PkceMutation[] AllPkceMutations = Enum.GetValues<PkceMutation>();

    /// <summary>The requests of one PKCE attempt as <see cref="CodeFlow.RunAsync"/> builds them (pkce: true).</summary>
    private static (AuthorizationRequest Request, TokenRequest Exchange, string? MutatedStep, IReadOnlyList<StepMutation> Mutations) Attempt(PkceMutation mutation)
    {
        var steps = PkceFlows.Steps(mutation);
        var authorization = CodeFlow.AuthorizationSteps(Client(), Redirect, "code", pkce: true, steps.Authorization);
        var request = authorization.Build(AuthorizationEndpoint);
        var exchange = CodeFlow.ExchangeSteps(Client(), "the-code", request, null, steps.Token);
        var mutated = string.Join("; ", new[] { authorization.MutatedStep, exchange.MutatedStep }.OfType<string>());
        return (request, exchange.Build(TokenEndpoint), mutated.Length == 0 ? null : mutated, [.. authorization.Mutations, .. exchange.Mutations]);
    }

    [TestCaseSource(nameof(AllPkceMutations))]
    public void Pkce_attempt_sends_what_it_sent_before_the_pipeline(PkceMutation mutation)
    {
        var (request, exchange, _, _) = Attempt(mutation);
        var sent = exchange.Get("code_verifier");
        // Before: CodeFlow made the request with an S256 challenge, then PkceFlows.Mutate changed it and set
        // AuthorizationRequest.CodeVerifier, which the exchange sent.
        var before = Before.Create(AuthorizationEndpoint, Client(), Redirect, request.State!, request.Nonce!).WithPkceOf(Pkce.NewVerifier());
        string? beforeVerifier;
        switch (mutation)
        {
            case PkceMutation.None:
                beforeVerifier = before.WithPkceOf(request.CodeVerifier!).CodeVerifier;
                break;
            case PkceMutation.WrongVerifier:
                before.WithPkceOf(request.CodeVerifier!);
                beforeVerifier = sent;
                Assert.That(sent, Is.Not.EqualTo(request.CodeVerifier).And.Length.EqualTo(64), "a different well-formed verifier");
                break;
            case PkceMutation.MissingVerifier:
                before.WithPkceOf(request.CodeVerifier!);
                beforeVerifier = null;
                break;
            case PkceMutation.Downgrade:
                before.WithPkceOf(sent!).Remove("code_challenge").Remove("code_challenge_method");
                beforeVerifier = sent;
                Assert.That(sent, Has.Length.EqualTo(64), "a verifier is sent although no challenge was");
                break;
            case PkceMutation.VerifierTooShort or PkceMutation.VerifierTooLong or PkceMutation.VerifierIllegalCharacters:
                var verifier = request.CodeVerifier!;
                before.CodeVerifier = verifier;
                before.Set("code_challenge", Pkce.S256(verifier)).Set("code_challenge_method", "S256");
                beforeVerifier = verifier;
                Assert.That(verifier.Length, Is.EqualTo(mutation switch { PkceMutation.VerifierTooShort => 42, PkceMutation.VerifierTooLong => 129, _ => 64 }));
                if (mutation == PkceMutation.VerifierIllegalCharacters) Assert.That(verifier, Does.EndWith("+/=!"));
                break;
            case PkceMutation.Plain:
                beforeVerifier = before.WithPkceOf(request.CodeVerifier!, "plain").CodeVerifier;
                break;
            case PkceMutation.UnknownMethod:
                beforeVerifier = before.WithPkceOf(request.CodeVerifier!).Set("code_challenge_method", PkceFlows.UnknownMethodName).CodeVerifier;
                break;
            case PkceMutation.NoChallenge:
                before.Remove("code_challenge").Remove("code_challenge_method");
                beforeVerifier = null;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation));
        }
        Assert.That(Wire(request), Is.EqualTo(Wire(before)));
        Assert.That(Wire(exchange), Is.EqualTo(Wire(Before.AuthorizationCode(TokenEndpoint, Client(), "the-code", Redirect, beforeVerifier))));
    }

    /// <summary>The steps each PKCE attempt changes, as (request, step) pairs.</summary>
    private static readonly Dictionary<PkceMutation, string[]> PkceStepsChanged = new()
    {
        [PkceMutation.None] = [],
        [PkceMutation.WrongVerifier] = ["token request / PKCE verifier"],
        [PkceMutation.MissingVerifier] = ["token request / PKCE verifier"],
        [PkceMutation.Downgrade] = ["authorization request / PKCE challenge", "token request / PKCE verifier"],
        [PkceMutation.VerifierTooShort] = ["authorization request / PKCE challenge", "token request / PKCE verifier"],
        [PkceMutation.VerifierTooLong] = ["authorization request / PKCE challenge", "token request / PKCE verifier"],
        [PkceMutation.VerifierIllegalCharacters] = ["authorization request / PKCE challenge", "token request / PKCE verifier"],
        [PkceMutation.Plain] = ["authorization request / PKCE challenge"],
        [PkceMutation.UnknownMethod] = ["authorization request / PKCE challenge"],
        [PkceMutation.NoChallenge] = ["authorization request / PKCE challenge"],
    };

    [TestCaseSource(nameof(AllPkceMutations))]
    public void Every_pkce_attempt_names_the_steps_it_changes(PkceMutation mutation)
    {
        var (_, _, mutated, mutations) = Attempt(mutation);
        Assert.That(mutations.Select(m => $"{m.Request} / {m.Step}"), Is.EqualTo(PkceStepsChanged[mutation]));
        if (mutation == PkceMutation.None) Assert.That(mutated, Is.Null, "the control changes nothing");
        else Assert.That(mutated, Does.StartWith(PkceStepsChanged[mutation][0] + ": "));
    }

    // ---- refused token requests ----------------------------------------------------------------------------------

    [Test]
    public void Every_refused_token_request_names_the_step_it_changes()
    {
        var parts = new RequestStep<TokenRequest>[]
        {
            new ClientAuthenticationStep(Client(), ClientAuthentication.None), new GrantTypeStep("g"), new AuthorizationCodeStep("c"),
            new TokenRedirectUriStep(Redirect), new PkceVerifierStep(null), new RefreshTokenStep("r"), new TokenScopeStep(null),
            new ResourceOwnerCredentialsStep("u", "p"),
        }.Select(s => s.Part).ToList();
        foreach (var name in F.RefusedRequests)
        {
            Assert.That(F.MutatedSteps.ContainsKey(name), $"'{name}' names no mutated step");
            var label = F.MutatedSteps[name];
            Assert.That(label, Does.StartWith("token request / "), name);
            Assert.That(parts.Any(p => label.StartsWith($"token request / {p}: ")), $"'{label}' names no step of the token pipeline");
        }
        Assert.That(F.MutatedSteps.Keys, Is.EquivalentTo(F.RefusedRequests));
    }

    private static readonly Profiles.ClientProfile Cc = Client("cc-client", "cc-secret") with { Scope = "api" };

    private static TokenPipeline CcTarget() => TokenPipeline.ClientCredentials(Cc, Cc.Scope);

    /// <summary>Each pipeline-built refused request: its mutation on its normal pipeline, and the request sent before the pipeline.</summary>
    public static IEnumerable<TestCaseData> RefusedCases()
    {
        TestCaseData Case(string name, Func<TokenPipeline> build, Func<TokenRequest, TokenRequest> before) =>
            new TestCaseData(name, build, before).SetArgDisplayNames(name);

        yield return Case(F.WrongSecretBasic, () => { var p = CcTarget(); F.Mutations.WrongCredentials(p, Cc, ClientAuthentication.ClientSecretBasic, false); return p; },
            sent => Before.ClientCredentialsTarget(TokenEndpoint, Cc).AuthenticateAs(Cc, ClientAuthentication.ClientSecretBasic, sent.ClientSecret));
        yield return Case(F.WrongSecretPost, () => { var p = CcTarget(); F.Mutations.WrongCredentials(p, Cc, ClientAuthentication.ClientSecretPost, false); return p; },
            sent => Before.ClientCredentialsTarget(TokenEndpoint, Cc).AuthenticateAs(Cc, ClientAuthentication.ClientSecretPost, sent.ClientSecret));
        yield return Case(F.UnknownClientBasic, () => { var p = CcTarget(); F.Mutations.WrongCredentials(p, Cc, ClientAuthentication.ClientSecretBasic, true); return p; },
            sent => Before.ClientCredentialsTarget(TokenEndpoint, Cc).AuthenticateAs(Cc with { ClientId = sent.ClientId! }, ClientAuthentication.ClientSecretBasic, sent.ClientSecret));
        yield return Case(F.UnknownClientPost, () => { var p = CcTarget(); F.Mutations.WrongCredentials(p, Cc, ClientAuthentication.ClientSecretPost, true); return p; },
            sent => Before.ClientCredentialsTarget(TokenEndpoint, Cc).AuthenticateAs(Cc with { ClientId = sent.ClientId! }, ClientAuthentication.ClientSecretPost, sent.ClientSecret));
        yield return Case(F.NoClientAuthentication, () => { var p = CcTarget(); F.Mutations.NoClientAuthentication(p, Cc); return p; },
            _ =>
            {
                var before = Before.ClientCredentialsTarget(TokenEndpoint, Cc);
                before.Authentication = ClientAuthentication.None;
                before.ClientSecret = null;
                return before;
            });
        yield return Case(F.UnknownCode, () => { var p = TokenPipeline.AuthorizationCode(Client(), "", Redirect, null); F.Mutations.UnknownCode(p); return p; },
            sent => Before.AuthorizationCode(TokenEndpoint, Client(), sent.Get("code")!, Redirect, null));
        yield return Case(F.UnregisteredGrantType, () =>
            {
                var p = TokenPipeline.For(Cc).Add(new GrantTypeStep("client_credentials"));
                F.Mutations.UnregisteredGrantType(p, Client());
                return p;
            },
            _ => Before.For(TokenEndpoint, Client()).Set("grant_type", "client_credentials"));
        yield return Case(F.UnknownGrantType, () => { var p = CcTarget(); F.Mutations.UnknownGrantType(p); return p; },
            _ => Before.ClientCredentialsTarget(TokenEndpoint, Cc).Set("grant_type", F.Mutations.UnknownGrantTypeValue));
        yield return Case(F.NoGrantType, () => { var p = CcTarget(); F.Mutations.NoGrantType(p); return p; },
            _ => Before.ClientCredentialsTarget(TokenEndpoint, Cc).Remove("grant_type"));
        yield return Case(F.OtherClientsCode, () =>
            {
                var p = TokenPipeline.AuthorizationCode(Client("owner", "o"), "code", Redirect, "v");
                F.Mutations.OtherClient(p, Client());
                return p;
            },
            _ => Before.AuthorizationCode(TokenEndpoint, Client(), "code", Redirect, "v"));
        yield return Case(F.RedirectUriDiffers, () => { var p = TokenPipeline.AuthorizationCode(Client(), "code", Redirect, "v"); F.Mutations.RedirectUri(p, Redirect, omit: false); return p; },
            _ => Before.AuthorizationCode(TokenEndpoint, Client(), "code", F.OtherRedirectUri(Redirect), "v"));
        yield return Case(F.RedirectUriOmitted, () => { var p = TokenPipeline.AuthorizationCode(Client(), "code", Redirect, "v"); F.Mutations.RedirectUri(p, Redirect, omit: true); return p; },
            _ => Before.AuthorizationCode(TokenEndpoint, Client(), "code", F.OtherRedirectUri(Redirect), "v").Remove("redirect_uri"));
        yield return Case(F.WrongPassword, () => { var p = TokenPipeline.Password(Client(), User, Client().Scope); F.Mutations.WrongPassword(p, User); return p; },
            sent => Before.Password(TokenEndpoint, Client(), User with { Password = sent.Get("password")! }));
    }

    [TestCaseSource(nameof(RefusedCases))]
    public void Refused_token_request_sends_what_it_sent_before_and_names_its_step(string name, Func<TokenPipeline> build, Func<TokenRequest, TokenRequest> before)
    {
        var pipeline = build();
        var sent = pipeline.Build(TokenEndpoint);
        Assert.That(pipeline.MutatedStep, Is.EqualTo(F.MutatedSteps[name]));
        Assert.That(Wire(sent), Is.EqualTo(Wire(before(sent))));
    }

    [Test]
    public void Random_parts_of_refused_requests_are_fresh_and_marked()
    {
        var wrong = CcTarget();
        F.Mutations.WrongCredentials(wrong, Cc, ClientAuthentication.ClientSecretBasic, unknownClient: true);
        var sent = wrong.Build(TokenEndpoint);
        Assert.That(sent.ClientId, Does.StartWith("oidc-conformance-unknown-"));
        Assert.That(sent.ClientSecret, Does.StartWith("wrong-").And.Not.EqualTo(Cc.ClientSecret));
        var password = TokenPipeline.Password(Client(), User, null);
        F.Mutations.WrongPassword(password, User);
        Assert.That(password.Build(TokenEndpoint).Get("password"), Does.StartWith("wrong-"));
    }

    // ---- authorization endpoint ------------------------------------------------------------------------------------

    /// <summary>Each converted authorization endpoint case: its change, the step it names, and the change the fixture made to the built request before.</summary>
    public static IEnumerable<TestCaseData> AuthorizationCases()
    {
        TestCaseData Case(string label, AuthorizationChange change, string mutates, Action<AuthorizationRequest> before) =>
            new TestCaseData(change, mutates, before).SetArgDisplayNames(label);
        yield return Case("client_id missing", AuthorizationChanges.Without<ClientIdStep>(), "authorization request / client_id: left out", q => q.Remove("client_id"));
        yield return Case("client_id unknown", AuthorizationChanges.ClientId("oidc-conformance-unknown-client", "unknown"), "authorization request / client_id: unknown",
            q => q.Set("client_id", "oidc-conformance-unknown-client"));
        yield return Case("redirect_uri unregistered", AuthorizationChanges.RedirectUri("https://unregistered.oidc-conformance.test/callback", "unregistered"),
            "authorization request / redirect_uri: unregistered", q => q.Set("redirect_uri", "https://unregistered.oidc-conformance.test/callback"));
        yield return Case("nonce missing", AuthorizationChanges.Without<NonceStep>(), "authorization request / nonce: left out", q => q.Remove("nonce"));
        foreach (var name in new[] { "response_type", "client_id", "redirect_uri", "state" })
            yield return Case(name + " repeated", AuthorizationChanges.Repeated(name), $"authorization request / {name}: sent twice with the same value",
                q => q.Append(name, q.Get(name)!));
    }

    [TestCaseSource(nameof(AuthorizationCases))]
    public void Authorization_case_sends_what_it_sent_before_and_names_its_step(AuthorizationChange change, string mutates, Action<AuthorizationRequest> before)
    {
        foreach (var pkceRequired in new[] { false, true })
        {
            var client = Client() with { PkceRequired = pkceRequired };
            // As AuthorizationEndpointFlow.AttemptAsync builds it: the normal request (PKCE where the client requires it) with the change.
            var request = CodeFlow.AuthorizationSteps(client, Redirect, "code", pkce: false, change.Apply).Build(AuthorizationEndpoint);
            var old = Before.Create(AuthorizationEndpoint, client, Redirect, request.State!, request.Nonce ?? "");
            if (pkceRequired) old.WithPkceOf(request.CodeVerifier!);
            before(old);
            Assert.That(Wire(request), Is.EqualTo(Wire(old)), $"PKCE required: {pkceRequired}");
        }
        Assert.That(change.Mutates, Is.EqualTo(mutates));
        Assert.That(change.Evidence.Label, Is.EqualTo("mutates"));
    }

    [TestCase("code id_token", null, false)]
    [TestCase("code id_token", "form_post", true)]
    [TestCase("id_token", "fragment", true)]
    public void Front_channel_request_without_nonce_sends_what_it_sent_before(string responseType, string? responseMode, bool pkceRequired)
    {
        var client = Client() with { PkceRequired = pkceRequired };
        foreach (var withoutNonce in new[] { false, true })
        {
            var pipeline = FrontChannelFlow.AuthorizationSteps(client, Redirect, responseType, responseMode, withoutNonce ? p => p.Without<NonceStep>() : null);
            var request = pipeline.Build(AuthorizationEndpoint);
            // Before: Create, response_mode set, PKCE for a code where required, then the nonce removed from the built request.
            var old = Before.Create(AuthorizationEndpoint, client, Redirect, request.State!, request.Nonce ?? "", responseType);
            if (responseMode is not null) old.Set("response_mode", responseMode);
            if (pkceRequired && responseType.Contains("code")) old.WithPkceOf(request.CodeVerifier!);
            if (withoutNonce) old.Remove("nonce");
            Assert.That(Wire(request), Is.EqualTo(Wire(old)));
            Assert.That(pipeline.MutatedStep, Is.EqualTo(withoutNonce ? "authorization request / nonce: left out" : null));
        }
    }
}
