using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.Revocation;

/// <summary>
/// OAuth 2.0 Token Revocation (RFC 7009). Every destructive case revokes tokens of a fresh login in the suite's own
/// browser session (never the shared reference login: revoking one token may revoke the whole grant), and each
/// scenario makes all its requests before any check reads them.
/// </summary>
[TestFixture, Category("Revocation"), Parallelizable(ParallelScope.Self)]
public sealed class RevocationTests : ConformanceTest
{
    [Test] public Task Endpoint_is_advertised() => Verify(RevocationChecks.EndpointAdvertised, async r =>
        RevocationChecks.EvaluateEndpointAdvertised(await r.DiscoveryAsync(), r.Profile.Features));

    [TestCase("refresh_token")]
    [TestCase(null)]
    [TestCase("access_token")]
    public Task Revoked_refresh_token_stops_working(string? hint) => Verify(RevocationChecks.RefreshTokenRevoked, async r =>
    {
        var s = await RevocationFlow.RefreshAsync(r, hint);
        return RevocationChecks.EvaluateRefreshRevoked(s.ControlRefresh, s.Revoke, s.AfterRefresh)
            .Because(("control refresh", s.ControlRefresh.Exchange), ("revocation", s.Revoke), ("refresh after revocation", s.AfterRefresh.Exchange))
            .Mutates(s.RevokeMutatedStep)
            .WithCase(hint == "access_token" ? "wrong hint access_token" : HintCase(hint));
    });

    [TestCase("access_token")]
    [TestCase(null)]
    public Task Revoked_access_token_stops_working(string? hint) => Verify(RevocationChecks.AccessTokenRevoked, async r =>
    {
        var s = await RevocationFlow.AccessAsync(r, hint);
        return RevocationChecks.EvaluateAccessRevoked(s.Before, s.Revoke, s.After)
            .Because(("use before", s.Before.Exchange), ("revocation", s.Revoke), ("use after", s.After.Exchange)).WithCase(HintCase(hint));
    });

    [Test] public Task Revoking_refresh_token_invalidates_access_tokens() => Verify(RevocationChecks.RefreshRevokesAccess, async r =>
    {
        var s = await RevocationFlow.RefreshAsync(r, "refresh_token");
        return RevocationChecks.EvaluateRefreshRevokesAccess(s.AccessBefore, s.Revoke, s.AccessAfter)
            .Because(("access token before", s.AccessBefore.Exchange), ("refresh token revocation", s.Revoke), ("access token after", s.AccessAfter.Exchange));
    });

    [TestCase("garbage token, no hint")]
    [TestCase("garbage token, hint access_token")]
    [TestCase("garbage token, hint refresh_token")]
    [TestCase("already revoked refresh token")]
    public Task Invalid_token_is_answered_200(string @case) => Verify(RevocationChecks.InvalidToken200, async r =>
    {
        var exchange = @case switch
        {
            "garbage token, no hint" => await RevocationFlow.GarbageAsync(r, null),
            "garbage token, hint access_token" => await RevocationFlow.GarbageAsync(r, "access_token"),
            "garbage token, hint refresh_token" => await RevocationFlow.GarbageAsync(r, "refresh_token"),
            _ => await AlreadyRevoked(r),
        };
        var mutates = @case.StartsWith("garbage", StringComparison.Ordinal) ? RevocationFlow.GarbageMutatedStep : RevocationFlow.RevokedAgainMutatedStep;
        return RevocationChecks.EvaluateInvalidToken200(exchange).Because(("revocation", exchange)).Mutates(mutates).WithCase(@case);
    });

    private static async Task<OidcConformance.Http.HttpExchange> AlreadyRevoked(OidcConformance.Run.ConformanceRun r)
    {
        var s = await RevocationFlow.RefreshAsync(r, "refresh_token");
        if (s.Revoke.StatusCode != 200) throw new OidcConformance.Run.PrerequisiteException($"the first revocation failed (HTTP {s.Revoke.StatusCode})");
        return s.RevokeAgain;
    }

    [TestCase("wrong secret (basic)")]
    [TestCase("wrong secret (post)")]
    public Task Wrong_secret_is_invalid_client(string @case) => Verify(RevocationChecks.InvalidClient, async r =>
    {
        var attempt = (await RevocationFlow.UnauthenticatedAsync(r)).FirstOrDefault(a => a.Case == @case);
        return (attempt is null
            ? RevocationChecks.InvalidClient.NotApplicable($"the confidential client is not registered for this method ({@case})")
            : RevocationChecks.EvaluateInvalidClient(attempt.Attempt, @case.Contains("basic", StringComparison.Ordinal))
                .Because(("revocation", attempt.Attempt)).Mutates(attempt.MutatedStep)).WithCase(@case);
    });

    public static IEnumerable<string> UnauthenticatedCases => RevocationFlow.UnauthenticatedCases;

    [TestCaseSource(nameof(UnauthenticatedCases))]
    public Task Revocation_without_valid_credentials_is_refused(string @case) => Verify(RevocationChecks.ClientAuthRequired, async r =>
    {
        var attempt = (await RevocationFlow.UnauthenticatedAsync(r)).FirstOrDefault(a => a.Case == @case);
        return (attempt is null
            ? RevocationChecks.ClientAuthRequired.NotApplicable($"the confidential client is not registered for this method ({@case})")
            : RevocationChecks.EvaluateClientAuthRequired(attempt.Attempt, attempt.AfterRefresh, attempt.ControlWorked)
                .Because(("revocation attempt", attempt.Attempt), ("refresh afterwards", attempt.AfterRefresh.Exchange)).Mutates(attempt.MutatedStep)).WithCase(@case);
    });

    [TestCase("secondConfidential")]
    [TestCase("clientCredentials")]
    public Task Other_client_cannot_revoke(string attackerRole) => Verify(RevocationChecks.OtherClient, async r =>
    {
        var s = await RevocationFlow.OtherClientAsync(r, attackerRole);
        return RevocationChecks.EvaluateOtherClient(s.Attempts, s.AfterRefresh, s.AfterAccess, s.RefreshControlWorked, s.AccessControlWorked)
            .Because([.. s.Attempts.Select(a => ("other client's revocation", (OidcConformance.Http.HttpExchange?)a)),
                ("owner's refresh afterwards", s.AfterRefresh?.Exchange), ("owner's access token afterwards", s.AfterAccess?.Exchange)])
            .Mutates(s.MutatedStep)
            .WithCase($"{attackerRole} ({s.Attacker}) revokes the confidential client's tokens");
    });

    private static string HintCase(string? hint) => hint switch
    {
        null => "no hint",
        _ => $"hint {hint}",
    };
}
