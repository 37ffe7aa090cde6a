using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;
using F = OidcConformance.Flows.TokenEndpointFlows;

namespace OidcConformance.Suites.TokenEndpoint;

/// <summary>
/// The token endpoint itself (RFC 6749 §2.3, §3.2, §4.1.3, §5.2): client authentication for each grant, refused
/// requests with their error codes and error format, and the binding of an authorization code to one redemption,
/// its client and its redirect URI. Destructive code tests run in this suite's own browser session.
/// </summary>
[TestFixture, Category("TokenEndpoint"), Parallelizable(ParallelScope.Self)]
public sealed class TokenEndpointTests : ConformanceTest
{
    /// <summary>Keeps the case label also when a prerequisite is missing (the verdict is then Inconclusive).</summary>
    private static async Task<CheckResult> Cased(CheckDefinition check, string @case, Func<Task<CheckResult>> evaluate)
    {
        try { return WithMutatedStep((await evaluate()).WithCase(@case), @case); }
        catch (PrerequisiteException e) { return check.NotApplicable(e.Message).WithCase(@case); }
    }

    /// <summary>A refused request's case says which step of the normal token request it changed (<see cref="F.MutatedSteps"/>).</summary>
    private static CheckResult WithMutatedStep(CheckResult result, string @case) =>
        F.MutatedSteps.TryGetValue(@case, out var mutated) ? result.WithEvidence(new Evidence("mutates", mutated)) : result;

    // ---- grant × client authentication ---------------------------------------------------------------------

    public static readonly object[] GrantAuthMatrix =
    [
        new object[] { "authorization_code", "client_secret_basic" },
        new object[] { "authorization_code", "client_secret_post" },
        new object[] { "client_credentials", "client_secret_basic" },
        new object[] { "client_credentials", "client_secret_post" },
    ];

    [TestCaseSource(nameof(GrantAuthMatrix))]
    public Task Client_authentication_method_is_accepted(string grant, string method) => Verify(TokenEndpointChecks.ClientAuthMethod, r =>
        Cased(TokenEndpointChecks.ClientAuthMethod, $"{grant}, {method}", () => ClientAuthentication(r, grant, method)));

    private static async Task<CheckResult> ClientAuthentication(ConformanceRun r, string grant, string method)
    {
        var @case = $"{grant}, {method}";
        if (grant == "authorization_code")
        {
            var client = r.Profile.Confidential;
            if (!r.Profile.Features.AuthorizationCode)
                return TokenEndpointChecks.ClientAuthMethod.NotApplicable("the provider does not offer the authorization code grant").WithCase(@case);
            if (!client.Supports(method))
                return TokenEndpointChecks.ClientAuthMethod.NotApplicable($"the confidential client is not registered for {method}").WithCase(@case);
            var reference = await CodeFlow.ReferenceAsync(r);
            // Same shared flow as CodeFlowTests: one SSO code exchange per method in the reference session.
            var flow = await r.SharedAsync(SharedArtifacts.CodeFlowWithAuthentication(method), () =>
                CodeFlow.RunAsync(r, client, r.Profile.PrimaryUser, ClientAuthenticationNames.Parse(method), reference.UserAgent));
            return TokenEndpointChecks.EvaluateClientAuthMethod(flow.RequireToken(), method, grant).WithCase(@case);
        }
        var cc = F.RequireClientCredentialsClient(r);
        if (!cc.Supports(method))
            return TokenEndpointChecks.ClientAuthMethod.NotApplicable($"the client credentials client is not registered for {method}").WithCase(@case);
        return TokenEndpointChecks.EvaluateClientAuthMethod(await F.ClientCredentialsAsync(r, ClientAuthenticationNames.Parse(method)), method, grant)
            .WithCase(@case);
    }

    // ---- client authentication failures --------------------------------------------------------------------

    public static readonly string[] ClientAuthenticationFailures =
        [F.WrongSecretBasic, F.WrongSecretPost, F.UnknownClientBasic, F.UnknownClientPost, F.NoClientAuthentication];

    [TestCaseSource(nameof(ClientAuthenticationFailures))]
    public Task Failed_client_authentication_is_invalid_client(string name) => Verify(TokenEndpointChecks.InvalidClient, r =>
        Cased(TokenEndpointChecks.InvalidClient, name, async () => TokenEndpointChecks.EvaluateInvalidClient(await F.RefusedAsync(r, name))));

    public static readonly string[] BasicFailures = [F.WrongSecretBasic, F.UnknownClientBasic];

    [TestCaseSource(nameof(BasicFailures))]
    public Task Failed_basic_authentication_is_401_with_challenge(string name) => Verify(TokenEndpointChecks.InvalidClientBasic, r =>
        Cased(TokenEndpointChecks.InvalidClientBasic, name, async () => TokenEndpointChecks.EvaluateInvalidClientBasic(await F.RefusedAsync(r, name))));

    // ---- error format, once per refused request ------------------------------------------------------------

    public static IEnumerable<string> RefusedRequests => F.RefusedRequests;

    [TestCaseSource(nameof(RefusedRequests))]
    public Task Error_response_format(string name) => Verify(TokenEndpointChecks.ErrorResponse, r =>
        Cased(TokenEndpointChecks.ErrorResponse, name, async () => TokenEndpointChecks.EvaluateErrorResponse(await F.RefusedAsync(r, name))));

    // ---- error codes ---------------------------------------------------------------------------------------

    [Test] public Task Unknown_code_is_invalid_grant() => Verify(TokenEndpointChecks.InvalidCode, async r =>
        TokenEndpointChecks.EvaluateInvalidCode(await F.RefusedAsync(r, F.UnknownCode)));

    [Test] public Task Unknown_grant_type_is_unsupported_grant_type() => Verify(TokenEndpointChecks.UnsupportedGrantType, async r =>
        TokenEndpointChecks.EvaluateUnsupportedGrantType(await F.RefusedAsync(r, F.UnknownGrantType)));

    [Test] public Task Unregistered_grant_type_is_unauthorized_client() => Verify(TokenEndpointChecks.UnauthorizedClient, async r =>
        TokenEndpointChecks.EvaluateUnauthorizedClient(await F.RefusedAsync(r, F.UnregisteredGrantType), "client_credentials"));

    [Test] public Task Missing_grant_type_is_invalid_request() => Verify(TokenEndpointChecks.MissingGrantType, async r =>
        TokenEndpointChecks.EvaluateMissingGrantType(await F.RefusedAsync(r, F.NoGrantType)));

    [Test] public Task Get_issues_no_token() => Verify(TokenEndpointChecks.PostOnly, async r =>
        TokenEndpointChecks.EvaluatePostOnly(await F.GetRequestAsync(r)).WithEvidence(new Evidence("mutates", F.GetRequestMutatedStep)));

    // ---- authorization code binding ------------------------------------------------------------------------

    [Test] public Task Code_is_single_use() => Verify(TokenEndpointChecks.CodeSingleUse, async r =>
    {
        var reuse = await F.CodeReuseAsync(r);
        return TokenEndpointChecks.EvaluateCodeSingleUse(reuse.First, reuse.Second);
    });

    [TestCase("access token")]
    [TestCase("refresh token")]
    public Task Code_reuse_revokes_earlier_tokens(string which) => Verify(TokenEndpointChecks.CodeReuseRevokes, r =>
        Cased(TokenEndpointChecks.CodeReuseRevokes, which, async () =>
        {
            var reuse = await F.CodeReuseAsync(r);
            return TokenEndpointChecks.EvaluateCodeReuseRevokes(reuse.Second, await F.ReuseProbeAsync(r, which));
        }));

    [Test] public Task Code_is_bound_to_its_client() => Verify(TokenEndpointChecks.CodeBoundToClient, async r =>
        TokenEndpointChecks.EvaluateCodeBoundToClient(await F.RefusedAsync(r, F.OtherClientsCode)));

    [Test] public Task Code_is_bound_to_its_redirect_uri() => Verify(TokenEndpointChecks.CodeBoundToRedirectUri, async r =>
        TokenEndpointChecks.EvaluateRedirectUriDiffers(await F.RefusedAsync(r, F.RedirectUriDiffers)).WithCase("different redirect_uri"));

    [Test] public Task Code_needs_its_redirect_uri() => Verify(TokenEndpointChecks.CodeBoundToRedirectUri, async r =>
        TokenEndpointChecks.EvaluateRedirectUriOmitted(await F.RefusedAsync(r, F.RedirectUriOmitted),
            // The profile registers exactly one redirect URI per client (clients.*.redirectUri or the callback's).
            singleRegisteredRedirectUri: true).WithCase("redirect_uri omitted"));
}
