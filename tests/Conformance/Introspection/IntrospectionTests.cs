using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Suites.Introspection;

/// <summary>
/// OAuth 2.0 Token Introspection (RFC 7662) with fresh tokens from the suite's own browser session: the revoked-token
/// cases revoke whole grants on some providers, so the shared reference login is never used here.
/// </summary>
[TestFixture, Category("Introspection"), Parallelizable(ParallelScope.Self)]
public sealed class IntrospectionTests : ConformanceTest
{
    [Test] public Task Endpoint_is_advertised() => Verify(IntrospectionChecks.EndpointAdvertised, async r =>
        IntrospectionChecks.EvaluateEndpointAdvertised(await r.DiscoveryAsync(), r.Profile.Features));

    [TestCase("access token, hint access_token")]
    [TestCase("access token, no hint")]
    [TestCase("client-credentials token, own client")]
    public Task Valid_token_is_active(string @case) => Verify(IntrospectionChecks.ActiveToken, async r => @case switch
    {
        "access token, hint access_token" => Judge(IntrospectionChecks.EvaluateActive, (await IntrospectionFlow.ActiveAsync(r)).AccessHinted),
        "access token, no hint" => Judge(IntrospectionChecks.EvaluateActive, (await IntrospectionFlow.ActiveAsync(r)).AccessNoHint),
        _ => Judge(IntrospectionChecks.EvaluateActive, await IntrospectionFlow.ClientCredentialsOwnAsync(r)),
    } with { Case = @case });

    /// <summary>
    /// Evaluates one introspection response and attaches it as evidence unless the check passed; a negative case's
    /// response (another client, no or wrong credentials, a garbage token) names the step it changed.
    /// </summary>
    private static CheckResult Judge(Func<IntrospectionResponse, CheckResult> evaluate, IntrospectionResponse response) =>
        evaluate(response).Because(("introspection", response.Exchange)).Mutates(response.MutatedStep);

    [Test] public Task Refresh_token_is_active() => Verify(IntrospectionChecks.RefreshTokenActive, async r =>
    {
        var response = (await IntrospectionFlow.ActiveAsync(r)).RefreshHinted;
        return IntrospectionChecks.EvaluateRefreshActive(response).Because(("introspection", response?.Exchange));
    });

    [TestCase("active token")]
    [TestCase("unknown token")]
    public Task Response_is_json(string @case) => Verify(IntrospectionChecks.ResponseJson, async r =>
    {
        var s = await IntrospectionFlow.ActiveAsync(r);
        return Judge(IntrospectionChecks.EvaluateResponseJson, @case == "active token" ? s.AccessHinted : s.Garbage).WithCase(@case);
    });

    public static IEnumerable<string> Members => IntrospectionChecks.RecommendedMembers;

    [TestCaseSource(nameof(Members))]
    public Task Active_response_has_member(string member) => Verify(IntrospectionChecks.ActiveMembers, async r =>
        Judge(x => IntrospectionChecks.EvaluateMember(x, member), (await IntrospectionFlow.ActiveAsync(r)).AccessHinted));

    [Test] public Task Exp_is_in_the_future() => Verify(IntrospectionChecks.ExpInFuture, async r =>
    {
        var s = await IntrospectionFlow.ActiveAsync(r);
        return Judge(x => IntrospectionChecks.EvaluateExp(x, s.At), s.AccessHinted);
    });

    [Test] public Task Scope_is_granted_scope() => Verify(IntrospectionChecks.ScopeGranted, async r =>
    {
        var s = await IntrospectionFlow.ActiveAsync(r);
        return Judge(x => IntrospectionChecks.EvaluateScope(x, s.Flow.GrantedScope), s.AccessHinted);
    });

    [TestCase("own token")]
    [TestCase("secondConfidential's token")]
    [TestCase("clientCredentials' token")]
    public Task Client_id_is_the_tokens_client(string @case) => Verify(IntrospectionChecks.ClientIdOfToken, async r =>
    {
        if (@case == "own token")
        {
            var s = await IntrospectionFlow.ActiveAsync(r);
            return Judge(x => IntrospectionChecks.EvaluateClientId(x, s.Flow.Client.ClientId, s.Flow.Client.ClientId), s.AccessHinted).WithCase(@case);
        }
        var f = await Foreign(r, @case);
        return Judge(x => IntrospectionChecks.EvaluateClientId(x, f.TokenClientId, f.CallerClientId), f.Response).WithCase(@case);
    });

    private static Task<ForeignIntrospection> Foreign(ConformanceRun r, string @case) =>
        @case.StartsWith("secondConfidential", StringComparison.Ordinal)
            ? IntrospectionFlow.SecondClientTokenAsync(r)
            : IntrospectionFlow.ClientCredentialsTokenAsync(r);

    [Test] public Task Sub_is_the_id_tokens_sub() => Verify(IntrospectionChecks.SubOfToken, async r =>
    {
        var s = await IntrospectionFlow.ActiveAsync(r);
        return Judge(x => IntrospectionChecks.EvaluateSub(x, s.Flow.IdToken.ClaimString("sub")), s.AccessHinted);
    });

    [TestCase("unknown (garbage) token")]
    [TestCase("revoked access token")]
    [TestCase("revoked refresh token")]
    [TestCase("expired access token")]
    public Task Inactive_token_is_active_false(string @case) => Verify(IntrospectionChecks.InactiveToken, async r =>
    {
        var result = @case switch
        {
            "unknown (garbage) token" => Judge(x => IntrospectionChecks.EvaluateInactive(x), (await IntrospectionFlow.ActiveAsync(r)).Garbage),
            "revoked access token" => Inactive(await IntrospectionFlow.RevokedAsync(r, "access_token")),
            "revoked refresh token" => Inactive(await IntrospectionFlow.RevokedAsync(r, "refresh_token")),
            _ => Inactive(await IntrospectionFlow.ExpiredAsync(r)),
        };
        return result.WithCase(@case);
    });

    private static CheckResult Inactive(InactiveIntrospection i) =>
        IntrospectionChecks.EvaluateInactive(i.After, i.Before).Because(("before", i.Before.Exchange), ("after", i.After.Exchange));

    [TestCase("unknown (garbage) token")]
    [TestCase("revoked access token")]
    public Task Inactive_response_has_no_details(string @case) => Verify(IntrospectionChecks.InactiveNoDetails, async r =>
        Judge(IntrospectionChecks.EvaluateInactiveNoDetails, @case == "revoked access token"
            ? (await IntrospectionFlow.RevokedAsync(r, "access_token")).After
            : (await IntrospectionFlow.ActiveAsync(r)).Garbage).WithCase(@case));

    [TestCase("access token, hint refresh_token")]
    [TestCase("refresh token, hint access_token")]
    public Task Wrong_hint_still_finds_the_token(string @case) => Verify(IntrospectionChecks.WrongHint, async r =>
    {
        var s = await IntrospectionFlow.ActiveAsync(r);
        var (right, wrong, kind) = @case.StartsWith("access", StringComparison.Ordinal)
            ? (s.AccessHinted, s.AccessWrongHint, "access token")
            : (s.RefreshHinted, s.RefreshWrongHint, "refresh token");
        return IntrospectionChecks.EvaluateWrongHint(right, wrong, kind)
            .Because(("right hint", right?.Exchange), ("wrong hint", wrong?.Exchange)).Mutates(wrong?.MutatedStep).WithCase(@case);
    });

    [Test] public Task Request_without_credentials_is_refused() => Verify(IntrospectionChecks.AuthRequired, async r =>
        Judge(IntrospectionChecks.EvaluateAuthRequired, (await IntrospectionFlow.ActiveAsync(r)).NoCredentials));

    [TestCase("client_secret_basic")]
    [TestCase("client_secret_post")]
    public Task Wrong_secret_is_invalid_client(string method) => Verify(IntrospectionChecks.InvalidClient, async r =>
    {
        var s = await IntrospectionFlow.ActiveAsync(r);
        var response = method == "client_secret_basic" ? s.WrongSecretBasic : s.WrongSecretPost;
        return (response is null
            ? IntrospectionChecks.InvalidClient.NotApplicable($"the confidential client is not registered for {method}")
            : Judge(x => IntrospectionChecks.EvaluateInvalidClient(x, method == "client_secret_basic"), response)).WithCase(method);
    });

    [TestCase("secondConfidential's token")]
    [TestCase("clientCredentials' token")]
    public Task Other_clients_token_per_policy(string @case) => Verify(IntrospectionChecks.ForeignToken, async r =>
    {
        var f = await Foreign(r, @case);
        return Judge(x => IntrospectionChecks.EvaluateForeignToken(x, f.TokenClientId, f.CallerClientId), f.Response).WithCase(@case);
    });
}
