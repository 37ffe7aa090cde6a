using System.Text.Json;
using NUnit.Framework;
using OidcConformance.Flows;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using Before = OidcConformance.Tests.Pipeline.PrePipelineRequests;

namespace OidcConformance.Tests.Pipeline;

/// <summary>
/// The request pipeline builds the requests the builders built before it, byte for byte on the wire, and a replaced,
/// removed or added step changes only its own part of the request and is named in <see cref="RequestPipeline{TRequest,TSelf}.Mutations"/>.
/// </summary>
public sealed class RequestPipelineTests
{
    internal const string AuthorizationEndpoint = "https://op.test/authorize?tenant=a";
    internal const string TokenEndpoint = "https://op.test/token";
    internal const string Redirect = "https://rp.test/callback";

    internal static ClientProfile Client(string id = "client-1", string? secret = "s3cret:+&/", params string[] methods) => new()
    {
        Role = "confidential", ClientId = id, ClientSecret = secret, Scope = "openid profile email",
        TokenEndpointAuthMethods = methods.Length == 0 ? ["client_secret_basic", "client_secret_post"] : methods,
        GrantTypes = ["authorization_code", "refresh_token"], ResponseTypes = ["code"],
    };

    internal static readonly TestUser User = new() { Username = "alice", Password = "p@ss word", Claims = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>() };

    /// <summary>Everything that goes on the wire: method, URL, Authorization header and the form body.</summary>
    internal static string Wire(TokenRequest request)
    {
        using var message = request.Build();
        return Wire(message);
    }

    /// <summary>Method, URL, Authorization header and body (none for a GET) of a built request.</summary>
    internal static string Wire(HttpRequestMessage message) =>
        $"{message.Method} {message.RequestUri}\nAuthorization: {message.Headers.Authorization}\n{message.Content?.ReadAsStringAsync().Result ?? "(no body)"}";

    internal static string Wire(AuthorizationRequest request) => request.ToUri().AbsoluteUri;

    // ---- the normal pipelines build the requests of before ----------------------------------------------------

    [TestCase("code", null)]
    [TestCase("code id_token", "openid")]
    public void Authorization_request_is_built_as_before(string responseType, string? scope)
    {
        var built = AuthorizationRequest.Create(AuthorizationEndpoint, Client(), Redirect, responseType, scope);
        var before = Before.Create(AuthorizationEndpoint, Client(), Redirect, built.State!, built.Nonce!, responseType, scope);
        Assert.That(Wire(built), Is.EqualTo(Wire(before)));
        Assert.That(built.CodeVerifier, Is.Null);
    }

    [TestCase("S256")]
    [TestCase("plain")]
    public void Pkce_challenge_is_built_as_before(string method)
    {
        var built = AuthorizationRequest.Create(AuthorizationEndpoint, Client(), Redirect).WithPkce(method);
        var before = Before.Create(AuthorizationEndpoint, Client(), Redirect, built.State!, built.Nonce!).WithPkceOf(built.CodeVerifier!, method);
        Assert.That(Wire(built), Is.EqualTo(Wire(before)));
        Assert.That(built.CodeVerifier, Has.Length.EqualTo(64));
    }

    [TestCase(ClientAuthentication.ClientSecretBasic, "verifier-1")]
    [TestCase(ClientAuthentication.ClientSecretPost, null)]
    [TestCase(ClientAuthentication.None, "verifier-2")]
    public void Code_exchange_is_built_as_before(ClientAuthentication method, string? verifier) =>
        Assert.That(Wire(TokenRequest.AuthorizationCode(TokenEndpoint, Client(), "the-code", Redirect, verifier, method)),
            Is.EqualTo(Wire(Before.AuthorizationCode(TokenEndpoint, Client(), "the-code", Redirect, verifier, method))));

    [Test]
    public void Code_exchange_with_preferred_authentication_is_built_as_before()
    {
        var postOnly = Client(methods: "client_secret_post");
        Assert.That(Wire(TokenRequest.AuthorizationCode(TokenEndpoint, postOnly, "c", Redirect, null)),
            Is.EqualTo(Wire(Before.AuthorizationCode(TokenEndpoint, postOnly, "c", Redirect, null))));
    }

    [TestCase(null, null)]
    [TestCase("openid", ClientAuthentication.ClientSecretPost)]
    public void Refresh_request_is_built_as_before(string? scope, ClientAuthentication? method) =>
        Assert.That(Wire(TokenRequest.Refresh(TokenEndpoint, Client(), "rt", scope, method)),
            Is.EqualTo(Wire(Before.Refresh(TokenEndpoint, Client(), "rt", scope, method))));

    [TestCase(null)]
    [TestCase("api")]
    public void Client_credentials_and_password_requests_are_built_as_before(string? scope)
    {
        Assert.That(Wire(TokenRequest.ClientCredentials(TokenEndpoint, Client(), scope)),
            Is.EqualTo(Wire(Before.ClientCredentials(TokenEndpoint, Client(), scope))));
        Assert.That(Wire(TokenRequest.Password(TokenEndpoint, Client(), User, scope)),
            Is.EqualTo(Wire(Before.Password(TokenEndpoint, Client(), User, scope))));
        Assert.That(Wire(TokenRequest.For(TokenEndpoint, Client()).Set("token", "t")),
            Is.EqualTo(Wire(Before.For(TokenEndpoint, Client()).Set("token", "t"))));
    }

    // ---- a changed step changes only its part -----------------------------------------------------------------

    private static List<KeyValuePair<string, string>> Without(IEnumerable<KeyValuePair<string, string>> parameters, params string[] names) =>
        parameters.Where(p => !names.Contains(p.Key)).ToList();

    [Test]
    public void Each_authorization_step_adds_its_own_parameters_in_order()
    {
        var pipeline = AuthorizationPipeline.Standard(Client(), Redirect).WithPkce();
        Assert.That(pipeline.Steps.Select(s => s.GetType().Name), Is.EqualTo(new[]
            { nameof(ResponseTypeStep), nameof(ClientIdStep), nameof(RedirectUriStep), nameof(ScopeStep), nameof(StateStep), nameof(NonceStep), nameof(PkceChallengeStep) }));
        Assert.That(pipeline.Build(AuthorizationEndpoint).Parameters.Select(p => p.Key), Is.EqualTo(new[]
            { "response_type", "client_id", "redirect_uri", "scope", "state", "nonce", "code_challenge", "code_challenge_method" }));
        Assert.That(pipeline.MutatedStep, Is.Null, "the normal pipeline mutates nothing");
    }

    [Test]
    public void A_replaced_authorization_step_changes_only_its_parameters()
    {
        var pipeline = AuthorizationPipeline.Standard(Client(), Redirect)
            .Replace<StateStep>(new StateStep("fixed"), "a fixed state").Replace<NonceStep>(new NonceStep("n"), "a fixed nonce");
        var normal = Before.Create(AuthorizationEndpoint, Client(), Redirect, "fixed", "n");
        Assert.That(Wire(pipeline.Build(AuthorizationEndpoint)), Is.EqualTo(Wire(normal)));
        var redirected = AuthorizationPipeline.Standard(Client(), Redirect).Replace<StateStep>(new StateStep("fixed"), "x").Replace<NonceStep>(new NonceStep("n"), "x")
            .Replace<RedirectUriStep>(new RedirectUriStep("https://evil.test/cb"), "an unregistered URI").Build(AuthorizationEndpoint);
        Assert.That(redirected.RedirectUri, Is.EqualTo("https://evil.test/cb"));
        Assert.That(Without(redirected.Parameters, "redirect_uri"), Is.EqualTo(Without(normal.Parameters, "redirect_uri")));
        Assert.That(redirected.Parameters.Select(p => p.Key).ToList().IndexOf("redirect_uri"), Is.EqualTo(2), "a replaced step keeps its place");
    }

    [Test]
    public void A_removed_step_drops_only_its_parameters_and_is_named()
    {
        var pipeline = AuthorizationPipeline.Standard(Client(), Redirect).Without<NonceStep>();
        var request = pipeline.Build(AuthorizationEndpoint);
        Assert.That(request.Parameters.Select(p => p.Key), Is.EqualTo(new[] { "response_type", "client_id", "redirect_uri", "scope", "state" }));
        Assert.That(pipeline.MutatedStep, Is.EqualTo("authorization request / nonce: left out"));
        Assert.That(pipeline.Has<NonceStep>(), Is.False);
    }

    [Test]
    public void A_step_added_after_another_runs_right_after_it()
    {
        var pipeline = TokenPipeline.AuthorizationCode(Client(), "c", Redirect, null)
            .AddAfter<GrantTypeStep>(new AuthorizationCodeStep("second"), "code set twice");
        Assert.That(pipeline.Steps.Select(s => s.GetType().Name).ToList().IndexOf(nameof(AuthorizationCodeStep)), Is.EqualTo(3),
            "HTTP method, client authentication, grant_type, then the added step");
        Assert.That(pipeline.MutatedStep, Is.EqualTo("token request / grant_type: code set twice"));
    }

    [Test]
    public void A_following_mutation_runs_after_the_whole_request_and_names_its_step()
    {
        var pipeline = AuthorizationPipeline.Standard(Client(), Redirect).WithPkce()
            .Then<RedirectUriStep>(new RedirectUriStep("https://evil.test/cb"), "an unregistered URI");
        var request = pipeline.Build(AuthorizationEndpoint);
        var before = Before.Create(AuthorizationEndpoint, Client(), Redirect, request.State!, request.Nonce!).WithPkceOf(request.CodeVerifier!);
        before.Set("redirect_uri", "https://evil.test/cb");
        Assert.That(Wire(request), Is.EqualTo(Wire(before)), "the value is set over the built request, as the flows did before");
        Assert.That(request.Parameters.Last().Key, Is.EqualTo("redirect_uri"));
        Assert.That(pipeline.MutatedStep, Is.EqualTo("authorization request / redirect_uri: an unregistered URI"));
    }

    [Test]
    public void A_replaced_step_keeps_its_slot_and_a_missing_step_is_an_error()
    {
        var pipeline = TokenPipeline.AuthorizationCode(Client(), "c", Redirect, "v")
            .Replace<PkceVerifierStep>(new PkceVerifierStep("w"), "first").Replace<PkceVerifierStep>(new PkceVerifierStep("x"), "second");
        Assert.That(pipeline.Build(TokenEndpoint).Get("code_verifier"), Is.EqualTo("x"));
        Assert.That(pipeline.Mutations.Select(m => m.Step), Is.EqualTo(new[] { "PKCE verifier", "PKCE verifier" }));
        Assert.Throws<InvalidOperationException>(() => TokenPipeline.ClientCredentials(Client(), null).Without<PkceVerifierStep>());
    }

    [TestCase(ClientAuthentication.ClientSecretBasic)]
    [TestCase(ClientAuthentication.ClientSecretPost)]
    public void Replaced_client_authentication_changes_only_the_credentials(ClientAuthentication method)
    {
        var normal = TokenPipeline.AuthorizationCode(Client(), "c", Redirect, "v", method).Build(TokenEndpoint);
        var other = Client("client-2", "other");
        var pipeline = TokenPipeline.AuthorizationCode(Client(), "c", Redirect, "v", method)
            .Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(other, method), "another client");
        var swapped = pipeline.Build(TokenEndpoint);
        Assert.That(swapped.Parameters, Is.EqualTo(normal.Parameters), "the grant's parameters are untouched");
        Assert.That((swapped.ClientId, swapped.ClientSecret, swapped.Authentication), Is.EqualTo(("client-2", "other", method)));
        Assert.That(Wire(swapped), Is.EqualTo(Wire(Before.AuthorizationCode(TokenEndpoint, other, "c", Redirect, "v", method))));
        Assert.That(pipeline.MutatedStep, Is.EqualTo("token request / client authentication: another client"));
    }

    [Test]
    public void Client_authentication_without_secret_sends_the_client_id_only()
    {
        var request = TokenPipeline.ClientCredentials(Client(), Client().Scope)
            .Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(Client(), ClientAuthentication.None, sendSecret: false), "id only")
            .Build(TokenEndpoint);
        var before = Before.ClientCredentialsTarget(TokenEndpoint, Client());
        before.Authentication = ClientAuthentication.None;
        before.ClientSecret = null;
        Assert.That(Wire(request), Is.EqualTo(Wire(before)));
        Assert.That(Wire(request), Does.EndWith("client_id=client-1").And.Contain("Authorization: \n"));
    }
}
