using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>OAuth 2.0 Token Revocation (RFC 7009).</summary>
public static class RevocationChecks
{
    private const string Area = "Revocation";

    public static readonly CheckDefinition EndpointAdvertised = new("revocation.endpoint-advertised",
        "revocation_endpoint is advertised as an absolute URL where the provider offers revocation", Area,
        [
            new(SpecDocument.Rfc8414, "2", "OPTIONAL member; graded SHOULD: the profile says the endpoint exists and metadata is how clients find it"),
        ],
        RequirementLevel.Should);

    public static readonly CheckDefinition RefreshTokenRevoked = new("revocation.refresh-token",
        "Revoking a refresh token is answered 200 and the refresh token no longer works at the token endpoint", Area,
        [
            new(SpecDocument.Rfc7009, "2", "MUST support revocation of refresh tokens"),
            new(SpecDocument.Rfc7009, "2.1", "hint: MUST extend its search"),
            new(SpecDocument.Rfc7009, "2.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition AccessTokenRevoked = new("revocation.access-token",
        "Revoking an access token is answered 200 and the access token no longer works", Area,
        [
            new(SpecDocument.Rfc7009, "2", "SHOULD support revocation of access tokens"),
            new(SpecDocument.Rfc7009, "2.2"),
            new(SpecDocument.Rfc7009, "3", "implementation note"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition RefreshRevokesAccess = new("revocation.refresh-revokes-access",
        "Revoking a refresh token also invalidates the access tokens of the same grant", Area,
        [new(SpecDocument.Rfc7009, "2.1", "SHOULD also invalidate all access tokens based on the same authorization grant")], RequirementLevel.Should);

    public static readonly CheckDefinition InvalidToken200 = new("revocation.invalid-token-200",
        "Revoking an unknown, garbage or already revoked token is answered 200, not an error", Area,
        [new(SpecDocument.Rfc7009, "2.2", "invalid tokens do not cause an error response")], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidClient = new("revocation.invalid-client",
        "A wrong client secret is answered 401 with error invalid_client", Area, [new(SpecDocument.Rfc7009, "2.1"), new(SpecDocument.Rfc7009, "2.2.1"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition ClientAuthRequired = new("revocation.client-auth-required",
        "A revocation request without valid credentials of the confidential client is refused and the token stays valid", Area,
        [
            new(SpecDocument.Rfc7009, "2.1", "the server first validates the client credentials; if this fails the request is refused"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition OtherClient = new("revocation.other-client",
        "A client cannot revoke another client's tokens: they stay valid", Area,
        [
            new(SpecDocument.Rfc7009, "2.1", "verifies whether the token was issued to the client making the request; if not, the request is refused"),
        ],
        RequirementLevel.Must);

    public static CheckResult EvaluateEndpointAdvertised(DiscoveryDocument d, FeatureSet features)
    {
        var value = d.RevocationEndpoint;
        if (value is null)
            return features.Revocation
                ? EndpointAdvertised.Violation("the profile says the provider offers revocation, but revocation_endpoint is not advertised")
                : EndpointAdvertised.NotApplicable("the provider does not offer revocation (profile features.revocation)");
        return EndpointAdvertised.Require(Urls.TryAbsolute(value, out _), $"revocation_endpoint '{value}' is not an absolute URL",
            "revocation_endpoint is advertised");
    }

    /// <summary>A revocation answer as observations: its HTTP status and error code.</summary>
    private static CheckResult ObservedRevocation(this CheckResult result, HttpExchange revoke, string? expectedStatus, string? expectedError = null) =>
        result.Observed("revocation HTTP status", expectedStatus, Observe.StatusOf(revoke))
            .Observed("revocation error", expectedError, revoke.TransportError is null ? JsonBody.From(revoke).String("error") : null);

    private static string Describe(HttpExchange e) =>
        e.TransportError is not null ? $"no response: {e.TransportError}"
        : JsonBody.From(e).String("error") is { } error ? $"HTTP {e.StatusCode}, error '{error}'"
        : $"HTTP {e.StatusCode}";

    /// <param name="controlRefresh">A refresh with the token before revoking it: shows the token worked.</param>
    /// <param name="revoke">The revocation request.</param>
    /// <param name="afterRefresh">A refresh with the revoked token.</param>
    public static CheckResult EvaluateRefreshRevoked(TokenResponse controlRefresh, HttpExchange revoke, TokenResponse afterRefresh) =>
        !controlRefresh.IsSuccess ? JudgeRefreshRevoked(controlRefresh, revoke, afterRefresh)
        : JudgeRefreshRevoked(controlRefresh, revoke, afterRefresh).ObservedRevocation(revoke, "200")
            .Observed("refresh after revocation", "refused", afterRefresh.IsSuccess ? "tokens issued" : afterRefresh.Error ?? Observe.StatusOf(afterRefresh.Exchange));

    private static CheckResult JudgeRefreshRevoked(TokenResponse controlRefresh, HttpExchange revoke, TokenResponse afterRefresh)
    {
        if (!controlRefresh.IsSuccess)
            return RefreshTokenRevoked.NotApplicable($"the refresh token did not work before revocation ({controlRefresh.Describe()})");
        if (revoke.TransportError is not null) return RefreshTokenRevoked.Violation($"revocation: no response ({revoke.TransportError})");
        if (revoke.StatusCode != 200)
            return RefreshTokenRevoked.Violation(JsonBody.From(revoke).String("error") == "unsupported_token_type"
                ? "the server answers unsupported_token_type for a refresh token, whose revocation is required"
                : $"revocation answered {Describe(revoke)}; expected 200");
        if (afterRefresh.IsSuccess) return RefreshTokenRevoked.Violation("the revocation was answered 200, but the refresh token still works at the token endpoint");
        return RefreshTokenRevoked.Pass($"revoked; the refresh grant then answers {afterRefresh.Describe()}");
    }

    /// <param name="before">The access token used before revoking it (control).</param>
    /// <param name="after">The same use after the revocation.</param>
    public static CheckResult EvaluateAccessRevoked(AccessTokenProbe before, HttpExchange revoke, AccessTokenProbe after) =>
        before.Works != true ? JudgeAccessRevoked(before, revoke, after)
        : JudgeAccessRevoked(before, revoke, after).ObservedRevocation(revoke, "200").Observed("access token after revocation", "refused", Works(after));

    /// <summary>Whether a probe found the access token honoured, as an observation value.</summary>
    private static string Works(AccessTokenProbe probe) => probe.Works switch { true => "works", false => "refused", null => "unknown" };

    private static CheckResult JudgeAccessRevoked(AccessTokenProbe before, HttpExchange revoke, AccessTokenProbe after)
    {
        if (before.Works != true) return AccessTokenRevoked.NotApplicable($"the access token did not work before revocation ({before.Describe()})");
        if (revoke.TransportError is not null) return AccessTokenRevoked.Violation($"revocation: no response ({revoke.TransportError})");
        if (revoke.StatusCode != 200)
            return AccessTokenRevoked.Violation(JsonBody.From(revoke).String("error") == "unsupported_token_type"
                ? "the server does not support revoking access tokens (unsupported_token_type)"
                : $"revocation answered {Describe(revoke)}; expected 200");
        return after.Works switch
        {
            false => AccessTokenRevoked.Pass($"revoked; then {after.Describe()}"),
            true => AccessTokenRevoked.Violation($"the revocation was answered 200, but the access token still works ({after.Describe()})"),
            null => AccessTokenRevoked.NotApplicable($"the use after revocation is inconclusive ({after.Describe()})"),
        };
    }

    /// <param name="before">The grant's access token used before the refresh token was revoked (control).</param>
    /// <param name="revoke">The refresh token's revocation.</param>
    /// <param name="after">The access token used after it.</param>
    public static CheckResult EvaluateRefreshRevokesAccess(AccessTokenProbe before, HttpExchange revoke, AccessTokenProbe after) =>
        before.Works != true ? JudgeRefreshRevokesAccess(before, revoke, after)
        : JudgeRefreshRevokesAccess(before, revoke, after).ObservedRevocation(revoke, "200").Observed("access token after revocation", "refused", Works(after));

    private static CheckResult JudgeRefreshRevokesAccess(AccessTokenProbe before, HttpExchange revoke, AccessTokenProbe after)
    {
        if (before.Works != true) return RefreshRevokesAccess.NotApplicable($"the access token did not work beforehand ({before.Describe()})");
        if (revoke.StatusCode != 200) return RefreshRevokesAccess.NotApplicable($"the refresh token's revocation failed ({Describe(revoke)})");
        return after.Works switch
        {
            false => RefreshRevokesAccess.Pass($"the grant's access token is refused after the refresh token's revocation ({after.Describe()})"),
            true => RefreshRevokesAccess.Violation($"the grant's access token still works after its refresh token was revoked ({after.Describe()})"),
            null => RefreshRevokesAccess.NotApplicable($"the use after revocation is inconclusive ({after.Describe()})"),
        };
    }

    public static CheckResult EvaluateInvalidToken200(HttpExchange revoke)
    {
        if (revoke.TransportError is not null) return InvalidToken200.Violation($"no response: {revoke.TransportError}");
        return InvalidToken200.Require(revoke.StatusCode == 200,
            $"answered {Describe(revoke)}; an invalid token is not an error, the answer must be 200", "HTTP 200").ObservedRevocation(revoke, "200");
    }

    /// <param name="viaBasic">The wrong secret was sent in the Authorization header (RFC 6749 §5.2: then 401 is a MUST).</param>
    public static CheckResult EvaluateInvalidClient(HttpExchange revoke, bool viaBasic) =>
        JudgeInvalidClient(revoke, viaBasic).ObservedRevocation(revoke, viaBasic ? "401" : "400 or 401", "invalid_client");

    private static CheckResult JudgeInvalidClient(HttpExchange revoke, bool viaBasic)
    {
        if (revoke.TransportError is not null) return InvalidClient.NotApplicable($"no response: {revoke.TransportError}");
        var status = revoke.StatusCode;
        if (status is >= 200 and < 300) return InvalidClient.Violation($"a wrong client secret is accepted: {Describe(revoke)}");
        if (!(status == 401 || (!viaBasic && status == 400)))
            return InvalidClient.Violation($"{Describe(revoke)}; expected 401" + (viaBasic ? " (credentials were sent in the Authorization header)" : " or 400"));
        var error = JsonBody.From(revoke).String("error");
        return InvalidClient.Require(error == "invalid_client", $"HTTP {status} but error is '{error ?? "(none)"}', not invalid_client",
            $"HTTP {status} invalid_client");
    }

    /// <param name="attempt">The revocation request without valid credentials.</param>
    /// <param name="afterRefresh">A refresh with the token afterwards: it must still work.</param>
    /// <param name="controlWorked">The token worked right before the attempt.</param>
    public static CheckResult EvaluateClientAuthRequired(HttpExchange attempt, TokenResponse afterRefresh, bool controlWorked)
    {
        if (!controlWorked) return ClientAuthRequired.NotApplicable("the refresh token did not work before the attempt");
        if (attempt.TransportError is not null) return ClientAuthRequired.NotApplicable($"no response: {attempt.TransportError}");
        var problems = new List<string>();
        if (attempt.StatusCode is >= 200 and < 300) problems.Add($"the request is accepted ({Describe(attempt)}) instead of refused");
        else if (attempt.StatusCode is not (400 or 401 or 403)) problems.Add($"answered {Describe(attempt)}, not a client authentication error");
        if (!afterRefresh.IsSuccess) problems.Add($"the refresh token no longer works ({afterRefresh.Describe()}): it was revoked");
        return ClientAuthRequired.Require(problems.Count == 0, string.Join("; ", problems), $"refused ({Describe(attempt)}); the token still works")
            .ObservedRevocation(attempt, "400, 401 or 403")
            .Observed("refresh afterwards", "works", afterRefresh.IsSuccess ? "works" : afterRefresh.Error ?? Observe.StatusOf(afterRefresh.Exchange));
    }

    /// <param name="attempts">The other client's revocation requests (refresh token, access token).</param>
    /// <param name="afterRefresh">The owner's refresh afterwards; null when no refresh token was attacked.</param>
    /// <param name="afterAccess">The owner's access token used afterwards; null when none was attacked.</param>
    public static CheckResult EvaluateOtherClient(IReadOnlyList<HttpExchange> attempts, TokenResponse? afterRefresh, AccessTokenProbe? afterAccess,
        bool refreshControlWorked, bool accessControlWorked)
    {
        if (!refreshControlWorked && !accessControlWorked) return OtherClient.NotApplicable("the owner's tokens did not work before the attempt");
        var problems = new List<string>();
        if (refreshControlWorked && afterRefresh is { IsSuccess: false })
            problems.Add($"the owner's refresh token no longer works ({afterRefresh.Describe()})");
        if (accessControlWorked && afterAccess is { Works: false })
            problems.Add($"the owner's access token no longer works ({afterAccess.Describe()})");
        var answers = string.Join(", ", attempts.Select(Describe));
        var result = OtherClient.Require(problems.Count == 0, $"another client revoked the tokens (answered {answers}): " + string.Join("; ", problems),
            $"the tokens stay valid (the other client's requests were answered {answers})");
        if (refreshControlWorked && afterRefresh is not null) result = result.Observed("owner's refresh token afterwards", "works", afterRefresh.IsSuccess ? "works" : afterRefresh.Error ?? Observe.StatusOf(afterRefresh.Exchange));
        if (accessControlWorked && afterAccess is not null) result = result.Observed("owner's access token afterwards", "works", Works(afterAccess));
        return result;
    }
}
