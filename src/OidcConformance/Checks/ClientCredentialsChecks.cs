using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// The client credentials grant (RFC 6749 §4.4). Success, token type and lifetime are judged by
/// <see cref="TokenResponseChecks"/> (case client_credentials); these checks cover what is particular to the grant.
/// </summary>
public static class ClientCredentialsChecks
{
    private const string Area = "Token endpoint";

    public static readonly CheckDefinition NoRefreshToken = new("token.cc-no-refresh-token",
        "The client credentials grant issues no refresh token", Area, [new(SpecDocument.Rfc6749, "4.4.3")], RequirementLevel.Should);

    public static readonly CheckDefinition NoIdToken = new("token.cc-no-id-token",
        "The client credentials grant issues no ID token (no End-User is authenticated)", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "2"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.3", "an ID Token describes an End-User's authentication; no explicit MUST: SHOULD chosen deliberately"),
            new(SpecDocument.Rfc6749, "4.4.3"),
        ],
        RequirementLevel.Should);

    public static readonly CheckDefinition ScopeReported = new("token.scope-reported",
        "When the granted scope differs from the requested one, the token response states it in scope", Area,
        [new(SpecDocument.Rfc6749, "3.3"), new(SpecDocument.Rfc6749, "5.1")], RequirementLevel.Must);

    public static CheckResult EvaluateNoRefreshToken(TokenResponse r)
    {
        if (!r.IsSuccess) return NoRefreshToken.NotApplicable($"no client credentials token was issued ({r.Describe()})");
        return NoRefreshToken.Require(!r.Body.Has("refresh_token"), "the client credentials response includes a refresh_token",
            "no refresh_token").Observed("refresh_token", Observation.Absent, r.Body.Has("refresh_token") ? Observation.Redacted : null);
    }

    public static CheckResult EvaluateNoIdToken(TokenResponse r)
    {
        if (!r.IsSuccess) return NoIdToken.NotApplicable($"no client credentials token was issued ({r.Describe()})");
        return NoIdToken.Require(!r.Body.Has("id_token"), "the client credentials response includes an id_token although no End-User took part",
            "no id_token").Observed("id_token", Observation.Absent, r.Body.Has("id_token") ? Observation.Redacted : null);
    }

    /// <param name="introspectedScope">The scope introspection reports for the token, or null when unknown.</param>
    public static CheckResult EvaluateScopeReported(TokenResponse r, string requestedScope, string? introspectedScope)
    {
        if (!r.IsSuccess) return ScopeReported.NotApplicable($"no token was issued ({r.Describe()})");
        static HashSet<string> Set(string? s) => (s ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        if (r.Body.Get("scope") is { } scope)
        {
            if (scope.ValueKind != System.Text.Json.JsonValueKind.String)
                return ScopeReported.Violation($"scope is a JSON {scope.ValueKind.ToString().ToLowerInvariant()}, not a space-delimited string");
            var granted = scope.GetString()!;
            return ScopeReported.Pass(Set(granted).SetEquals(Set(requestedScope))
                ? $"the requested scope '{requestedScope}' was granted and stated"
                : $"scope '{granted}' stated (requested '{requestedScope}')").Observed("scope", null, granted);
        }
        if (introspectedScope is null)
            return ScopeReported.NotApplicable($"scope omitted, which means '{requestedScope}' was granted as requested; introspection could not confirm it");
        return ScopeReported.Require(Set(introspectedScope).SetEquals(Set(requestedScope)),
            $"the response omits scope, which means 'as requested' ('{requestedScope}'), but introspection reports '{introspectedScope}'",
            $"scope omitted and introspection confirms the requested '{requestedScope}'")
            .Observed("scope", null, null).Observed("introspected scope", requestedScope, introspectedScope);
    }
}
