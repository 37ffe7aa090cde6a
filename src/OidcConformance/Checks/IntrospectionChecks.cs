using System.Text.Json;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>OAuth 2.0 Token Introspection (RFC 7662).</summary>
public static class IntrospectionChecks
{
    private const string Area = "Introspection";

    public static readonly CheckDefinition EndpointAdvertised = new("introspection.endpoint-advertised",
        "introspection_endpoint is advertised as an absolute URL where the provider offers introspection", Area,
        [
            new(SpecDocument.Rfc8414, "2", "OPTIONAL member; graded SHOULD: the profile says the endpoint exists and metadata is how clients find it"),
        ],
        RequirementLevel.Should);

    public static readonly CheckDefinition ActiveToken = new("introspection.active-token",
        "A valid access token is answered 200 with \"active\": true (a JSON boolean)", Area, [new(SpecDocument.Rfc7662, "2.2")], RequirementLevel.Must);

    public static readonly CheckDefinition RefreshTokenActive = new("introspection.refresh-token-active",
        "A valid refresh token (token_type_hint=refresh_token) is answered \"active\": true", Area,
        [
            new(SpecDocument.Rfc7662, "2.1", "refresh tokens are an introspectable token type; support is not mandated, graded SHOULD"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition ResponseJson = new("introspection.response-json",
        "The introspection response is a JSON object sent as application/json", Area, [new(SpecDocument.Rfc7662, "2.2")], RequirementLevel.Must);

    public static readonly CheckDefinition ActiveMembers = new("introspection.active-members",
        "An active access token's response carries client_id, sub, exp, scope and token_type", Area,
        [new(SpecDocument.Rfc7662, "2.2", "all OPTIONAL; graded SHOULD: resource servers need them to decide on a request")], RequirementLevel.Should);

    public static readonly CheckDefinition ExpInFuture = new("introspection.exp-future",
        "exp of an active token is an integer NumericDate in the future", Area, [new(SpecDocument.Rfc7662, "2.2"), new(SpecDocument.Rfc7519, "4.1.4")], RequirementLevel.Must);

    public static readonly CheckDefinition ScopeGranted = new("introspection.scope-granted",
        "scope of an active token lists only scopes granted to that token", Area, [new(SpecDocument.Rfc7662, "2.2"), new(SpecDocument.Rfc6749, "3.3")], RequirementLevel.Must);

    public static readonly CheckDefinition ClientIdOfToken = new("introspection.client-id-of-token",
        "client_id is the client the token was issued to, not the caller (Casdoor #3935)", Area, [new(SpecDocument.Rfc7662, "2.2")], RequirementLevel.Must);

    public static readonly CheckDefinition SubOfToken = new("introspection.sub-of-token",
        "sub of a user's access token is the ID token's sub", Area, [new(SpecDocument.Rfc7662, "2.2"), new(SpecDocument.OpenIdConnectCore, "2")], RequirementLevel.Must);

    public static readonly CheckDefinition InactiveToken = new("introspection.inactive-token",
        "Revoked, expired and unknown tokens are answered 200 with \"active\": false, not an error", Area,
        [new(SpecDocument.Rfc7662, "2.2"), new(SpecDocument.Rfc7662, "2.3")], RequirementLevel.Must);

    public static readonly CheckDefinition InactiveNoDetails = new("introspection.inactive-no-details",
        "An inactive token's response carries no further information about the token", Area,
        [new(SpecDocument.Rfc7662, "2.2", "SHOULD NOT include additional information")], RequirementLevel.Should);

    public static readonly CheckDefinition WrongHint = new("introspection.wrong-hint",
        "A token sent with the wrong token_type_hint is still found (active true)", Area,
        [new(SpecDocument.Rfc7662, "2.1", "MUST extend its search across all supported token types")], RequirementLevel.Must);

    public static readonly CheckDefinition AuthRequired = new("introspection.auth-required",
        "A request without client authentication is refused (4xx), never answered with the token's state", Area,
        [new(SpecDocument.Rfc7662, "2.1", "MUST require some form of authorization"), new(SpecDocument.Rfc7662, "4")], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidClient = new("introspection.invalid-client",
        "A wrong client secret is answered 401 with error invalid_client", Area, [new(SpecDocument.Rfc7662, "2.3"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition ForeignToken = new("introspection.foreign-token",
        "Another client's token is answered 200 with \"active\" true or false, per the provider's policy, not an error", Area,
        [new(SpecDocument.Rfc7662, "2.2"), new(SpecDocument.Rfc7662, "2.3")], RequirementLevel.Must);

    /// <summary>The members <see cref="ActiveMembers"/> asks for, one execution each.</summary>
    public static readonly IReadOnlyList<string> RecommendedMembers = ["client_id", "sub", "exp", "scope", "token_type"];

    public static CheckResult EvaluateEndpointAdvertised(DiscoveryDocument d, FeatureSet features)
    {
        var value = d.IntrospectionEndpoint;
        if (value is null)
            return features.Introspection
                ? EndpointAdvertised.Violation("the profile says the provider offers introspection, but introspection_endpoint is not advertised")
                : EndpointAdvertised.NotApplicable("the provider does not offer introspection (profile features.introspection)");
        return EndpointAdvertised.Require(Urls.TryAbsolute(value, out _), $"introspection_endpoint '{value}' is not an absolute URL",
            "introspection_endpoint is advertised");
    }

    /// <summary>An introspection answer as observations: its HTTP status and its active member (or error code).</summary>
    private static CheckResult ObservedIntrospection(this CheckResult result, IntrospectionResponse r, string? expectedStatus, string? expectedActive) =>
        result.Observed("HTTP status", expectedStatus, Observe.StatusOf(r.Exchange))
            .Observed(r.Error is not null && r.Body.Get("active") is null ? "error" : "active", expectedActive,
                r.Error is not null && r.Body.Get("active") is null ? r.Error : Observe.Json(r.Body.Get("active")));

    public static CheckResult EvaluateActive(IntrospectionResponse r) => JudgeActive(r).ObservedIntrospection(r, "200", "true");

    private static CheckResult JudgeActive(IntrospectionResponse r)
    {
        if (r.Exchange.TransportError is not null) return ActiveToken.Violation($"no response: {r.Exchange.TransportError}");
        if (r.Exchange.StatusCode != 200) return ActiveToken.Violation($"{r.Describe()}; expected 200 with active true for a valid token");
        if (!r.Body.IsObject) return ActiveToken.Violation($"HTTP 200 but {r.Body.Problem}");
        return r.Body.Get("active") switch
        {
            null => ActiveToken.Violation("the active member (REQUIRED) is missing"),
            { ValueKind: JsonValueKind.True } => ActiveToken.Pass("active true"),
            { ValueKind: JsonValueKind.False } => ActiveToken.Violation("a valid token is reported active false"),
            var v => ActiveToken.Violation($"active is a JSON {JsonCompare.TypeName(v.Value)} ({JsonCompare.Short(v.Value)}), not a boolean"),
        };
    }

    /// <param name="r">null when no refresh token was issued.</param>
    public static CheckResult EvaluateRefreshActive(IntrospectionResponse? r)
    {
        if (r is null) return RefreshTokenActive.NotApplicable("the flow issued no refresh token");
        return JudgeRefreshActive(r).ObservedIntrospection(r, "200", "true");
    }

    private static CheckResult JudgeRefreshActive(IntrospectionResponse r)
    {
        if (r.Exchange.TransportError is not null) return RefreshTokenActive.Violation($"no response: {r.Exchange.TransportError}");
        if (r.Exchange.StatusCode != 200 || !r.Body.IsObject) return RefreshTokenActive.Violation($"{r.Describe()}; expected 200 with active true");
        return RefreshTokenActive.Require(r.Active == true, $"a valid refresh token is reported {r.Describe()}", "active true");
    }

    public static CheckResult EvaluateResponseJson(IntrospectionResponse r)
    {
        if (r.Exchange.TransportError is not null) return ResponseJson.Violation($"no response: {r.Exchange.TransportError}");
        if (r.Exchange.StatusCode != 200) return ResponseJson.NotApplicable($"no introspection response to judge ({r.Describe()})");
        if (!r.Body.IsObject) return ResponseJson.Violation($"HTTP 200 but {r.Body.Problem}");
        return ResponseJson.Require(r.Exchange.IsJsonContentType, $"Content-Type is '{r.Exchange.ContentType ?? "(none)"}', not application/json")
            .Observed("Content-Type", "application/json", r.Exchange.ContentType);
    }

    public static CheckResult EvaluateMember(IntrospectionResponse r, string member)
    {
        if (!r.IsActive) return ActiveMembers.NotApplicable($"no active introspection response ({r.Describe()})").WithCase(member);
        return ActiveMembers.Require(r.Body.Has(member), $"{member} is missing from the active token's introspection response",
            $"{member} present").WithCase(member).Observed(member, "present", r.Body.Has(member) ? "present" : null);
    }

    public static CheckResult EvaluateExp(IntrospectionResponse r, DateTimeOffset now)
    {
        if (!r.IsActive) return ExpInFuture.NotApplicable($"no active introspection response ({r.Describe()})");
        if (r.Body.Get("exp") is not { } exp) return ExpInFuture.NotApplicable("exp is absent (optional; see introspection.active-members)");
        if (exp.ValueKind != JsonValueKind.Number)
            return ExpInFuture.Violation($"exp is a JSON {JsonCompare.TypeName(exp)} ({JsonCompare.Short(exp)}), not a number");
        if (!exp.TryGetInt64(out var seconds))
            return ExpInFuture.Violation($"exp is {exp.GetRawText()}, not an integer timestamp");
        // Seconds, not milliseconds: a millisecond value lies tens of thousands of years ahead.
        if (seconds > now.ToUnixTimeSeconds() + 100L * 365 * 24 * 3600)
            return ExpInFuture.Violation($"exp {seconds} is more than a century ahead (milliseconds instead of seconds?)");
        var skew = 30;
        return ExpInFuture.Require(seconds > now.ToUnixTimeSeconds() - skew,
            $"the token is reported active but exp {seconds} is {now.ToUnixTimeSeconds() - seconds} s in the past",
            $"exp is {seconds - now.ToUnixTimeSeconds()} s ahead");
    }

    public static CheckResult EvaluateScope(IntrospectionResponse r, string grantedScope)
    {
        if (!r.IsActive) return ScopeGranted.NotApplicable($"no active introspection response ({r.Describe()})");
        if (r.Body.Get("scope") is not { } scope) return ScopeGranted.NotApplicable("scope is absent (optional; see introspection.active-members)");
        if (scope.ValueKind != JsonValueKind.String)
            return ScopeGranted.Violation($"scope is a JSON {JsonCompare.TypeName(scope)} ({JsonCompare.Short(scope)}), not a space-separated string");
        var granted = grantedScope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var extra = scope.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(s => !granted.Contains(s)).ToList();
        return ScopeGranted.Require(extra.Count == 0,
            $"scope lists {string.Join(", ", extra)}, which the token was not granted (granted: '{grantedScope}')",
            $"scope '{scope.GetString()}' ⊆ granted").Observed("scope", $"within '{grantedScope}'", scope.GetString());
    }

    /// <param name="tokenClientId">The client the token was issued to.</param>
    /// <param name="callerClientId">The client that called the introspection endpoint.</param>
    public static CheckResult EvaluateClientId(IntrospectionResponse r, string tokenClientId, string callerClientId)
    {
        var result = JudgeClientId(r, tokenClientId, callerClientId);
        return r.IsActive && r.Body.Get("client_id") is { } id ? result.Observed("client_id", tokenClientId, Observe.Json(id))
            : result.Observed("active", null, Observe.Json(r.Body.Get("active")));
    }

    private static CheckResult JudgeClientId(IntrospectionResponse r, string tokenClientId, string callerClientId)
    {
        var foreign = tokenClientId != callerClientId;
        if (foreign && r.Exchange.StatusCode == 200 && r.Active == false)
            return ClientIdOfToken.Pass($"the provider does not disclose {tokenClientId}'s token to {callerClientId} (active false, allowed by §2.2)");
        if (!r.IsActive) return ClientIdOfToken.NotApplicable($"no active introspection response ({r.Describe()})");
        if (r.Body.Get("client_id") is not { } id) return ClientIdOfToken.NotApplicable("client_id is absent (optional; see introspection.active-members)");
        if (id.ValueKind != JsonValueKind.String) return ClientIdOfToken.Violation($"client_id is a JSON {JsonCompare.TypeName(id)}, not a string");
        var value = id.GetString();
        if (value == tokenClientId)
            return ClientIdOfToken.Pass(foreign ? $"{callerClientId} may see {tokenClientId}'s token; client_id names {tokenClientId}, not the caller" : "client_id is the token's client");
        return ClientIdOfToken.Violation(foreign && value == callerClientId
            ? $"client_id is the caller's ('{value}'), not the client the token was issued to ('{tokenClientId}')"
            : $"client_id is '{value}', not the client the token was issued to ('{tokenClientId}')");
    }

    public static CheckResult EvaluateSub(IntrospectionResponse r, string? idTokenSub)
    {
        if (!r.IsActive) return SubOfToken.NotApplicable($"no active introspection response ({r.Describe()})");
        if (idTokenSub is null) return SubOfToken.NotApplicable("no ID token sub to compare with");
        if (r.Body.Get("sub") is not { } sub) return SubOfToken.NotApplicable("sub is absent (optional; see introspection.active-members)");
        if (sub.ValueKind != JsonValueKind.String) return SubOfToken.Violation($"sub is a JSON {JsonCompare.TypeName(sub)}, not a string");
        return SubOfToken.RequireEqual("sub", idTokenSub, sub.GetString(), $"sub is '{sub.GetString()}', the ID token's sub is '{idTokenSub}'", "sub matches");
    }

    /// <param name="before">The same token introspected before it was made inactive (revocation, expiry): it must have been active.</param>
    public static CheckResult EvaluateInactive(IntrospectionResponse r, IntrospectionResponse? before = null)
    {
        if (before is not null && !before.IsActive)
            return InactiveToken.NotApplicable($"the token was not active to begin with ({before.Describe()})");
        return JudgeInactive(r).ObservedIntrospection(r, "200", "false");
    }

    private static CheckResult JudgeInactive(IntrospectionResponse r)
    {
        if (r.Exchange.TransportError is not null) return InactiveToken.Violation($"no response: {r.Exchange.TransportError}");
        if (r.Exchange.StatusCode != 200)
            return InactiveToken.Violation($"{r.Describe()}; an authorized query for an inactive or unknown token is not an error: 200 with active false is required");
        if (!r.Body.IsObject) return InactiveToken.Violation($"HTTP 200 but {r.Body.Problem}");
        return r.Body.Get("active") switch
        {
            null => InactiveToken.Violation("the active member (REQUIRED) is missing"),
            { ValueKind: JsonValueKind.False } => InactiveToken.Pass("active false"),
            { ValueKind: JsonValueKind.True } => InactiveToken.Violation("the token is reported active true"),
            var v => InactiveToken.Violation($"active is a JSON {JsonCompare.TypeName(v.Value)} ({JsonCompare.Short(v.Value)}), not a boolean"),
        };
    }

    public static CheckResult EvaluateInactiveNoDetails(IntrospectionResponse r)
    {
        if (r.Exchange.StatusCode != 200 || r.Active != false) return InactiveNoDetails.NotApplicable($"no active-false response ({r.Describe()})");
        var extra = r.Body.Object!.Value.EnumerateObject().Select(p => p.Name).Where(n => n != "active").ToList();
        return InactiveNoDetails.Require(extra.Count == 0, $"the inactive token's response also discloses {string.Join(", ", extra)}",
            "only active false").Observed("members besides active", "none", extra.Count == 0 ? "none" : string.Join(", ", extra));
    }

    /// <param name="rightHint">The same token introspected with the right hint (or none): shows it is active at all.</param>
    public static CheckResult EvaluateWrongHint(IntrospectionResponse? rightHint, IntrospectionResponse? wrongHint, string tokenKind)
    {
        if (rightHint is null || wrongHint is null) return WrongHint.NotApplicable($"no {tokenKind} was issued");
        if (!rightHint.IsActive) return WrongHint.NotApplicable($"the {tokenKind} is not active even with the right hint ({rightHint.Describe()})");
        if (wrongHint.IsActive) return WrongHint.Pass("found despite the wrong hint").ObservedIntrospection(wrongHint, "200", "true");
        return WrongHint.Violation(wrongHint.Exchange.StatusCode == 200
            ? $"the {tokenKind} is active with the right hint but reported {wrongHint.Describe()} with the wrong one: the server did not extend its search"
            : $"the wrong hint is answered {wrongHint.Describe()}; the server MUST extend its search instead").ObservedIntrospection(wrongHint, "200", "true");
    }

    public static CheckResult EvaluateAuthRequired(IntrospectionResponse r) =>
        JudgeAuthRequired(r).Observed("HTTP status", "400, 401 or 403", Observe.StatusOf(r.Exchange)).Observed("error", null, r.Error);

    private static CheckResult JudgeAuthRequired(IntrospectionResponse r)
    {
        if (r.Exchange.TransportError is not null) return AuthRequired.NotApplicable($"no response: {r.Exchange.TransportError}");
        var status = r.Exchange.StatusCode;
        if (status is >= 200 and < 300)
            return AuthRequired.Violation(r.Active == true
                ? $"an unauthenticated caller learns the token's state: HTTP {status} with active true"
                : $"the unauthenticated request is accepted: {r.Describe()}");
        if (status is 400 or 401 or 403) return AuthRequired.Pass($"refused: {r.Describe()}");
        return AuthRequired.Violation($"{r.Describe()}: expected a client authentication error (400/401)");
    }

    /// <param name="viaBasic">The wrong secret was sent in the Authorization header (RFC 6749 §5.2: then 401 is a MUST).</param>
    public static CheckResult EvaluateInvalidClient(IntrospectionResponse r, bool viaBasic) =>
        JudgeInvalidClient(r, viaBasic).Observed("HTTP status", viaBasic ? "401" : "400 or 401", Observe.StatusOf(r.Exchange)).Observed("error", "invalid_client", r.Error);

    private static CheckResult JudgeInvalidClient(IntrospectionResponse r, bool viaBasic)
    {
        if (r.Exchange.TransportError is not null) return InvalidClient.NotApplicable($"no response: {r.Exchange.TransportError}");
        var status = r.Exchange.StatusCode;
        if (status is >= 200 and < 300)
            return InvalidClient.Violation($"a wrong client secret is accepted: {r.Describe()}" + (r.Active == true ? " (the token's state is disclosed)" : ""));
        var statusOk = status == 401 || (!viaBasic && status == 400);
        if (!statusOk)
            return InvalidClient.Violation($"{r.Describe()}; expected 401" + (viaBasic ? " (credentials were sent in the Authorization header)" : " or 400"));
        return InvalidClient.Require(r.Error == "invalid_client", $"HTTP {status} but error is '{r.Error ?? "(none)"}', not invalid_client",
            $"HTTP {status} invalid_client");
    }

    public static CheckResult EvaluateForeignToken(IntrospectionResponse r, string tokenClientId, string callerClientId) =>
        JudgeForeignToken(r, tokenClientId, callerClientId).ObservedIntrospection(r, "200", "true or false");

    private static CheckResult JudgeForeignToken(IntrospectionResponse r, string tokenClientId, string callerClientId)
    {
        if (r.Exchange.TransportError is not null) return ForeignToken.Violation($"no response: {r.Exchange.TransportError}");
        if (r.Exchange.StatusCode != 200)
            return ForeignToken.Violation($"{callerClientId} asking about {tokenClientId}'s token gets {r.Describe()}; §2.2 requires active false for tokens the caller may not see, not an error");
        return r.Active switch
        {
            true => ForeignToken.Pass($"policy: {callerClientId} may introspect {tokenClientId}'s token (active true)"),
            false => ForeignToken.Pass($"policy: {tokenClientId}'s token is hidden from {callerClientId} (active false)"),
            null => ForeignToken.Violation($"HTTP 200 without a boolean active member ({r.Describe()})"),
        };
    }
}
