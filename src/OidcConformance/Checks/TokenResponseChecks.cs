using System.Text.Json;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>Successful token endpoint responses (RFC 6749 §5.1, OIDC Core §3.1.3.3).</summary>
public static class TokenResponseChecks
{
    private const string Area = "Token endpoint";

    public static readonly CheckDefinition Success = new("token.success-json",
        "A valid grant is answered 200 with a JSON object as application/json", Area, [new(SpecDocument.Rfc6749, "5.1")], RequirementLevel.Must);

    public static readonly CheckDefinition AccessToken = new("token.access-token",
        "access_token is a non-empty string", Area, [new(SpecDocument.Rfc6749, "5.1")], RequirementLevel.Must);

    public static readonly CheckDefinition TokenTypeBearer = new("token.token-type-bearer",
        "token_type is Bearer (case-insensitive)", Area, [new(SpecDocument.Rfc6749, "5.1"), new(SpecDocument.Rfc6749, "7.1"), new(SpecDocument.OpenIdConnectCore, "3.1.3.3")], RequirementLevel.Must);

    public static readonly CheckDefinition ExpiresInPresent = new("token.expires-in-present",
        "expires_in is present", Area, [new(SpecDocument.Rfc6749, "5.1", "RECOMMENDED")], RequirementLevel.Should);

    public static readonly CheckDefinition ExpiresInNumeric = new("token.expires-in-numeric",
        "expires_in, where present, is a positive JSON number of seconds", Area, [new(SpecDocument.Rfc6749, "5.1")], RequirementLevel.Must);

    public static readonly CheckDefinition NoStore = new("token.cache-control-no-store",
        "Responses with tokens carry Cache-Control: no-store", Area, [new(SpecDocument.Rfc6749, "5.1"), new(SpecDocument.OpenIdConnectCore, "3.1.3.3")], RequirementLevel.Must);

    public static readonly CheckDefinition PragmaNoCache = new("token.pragma-no-cache",
        "Responses with tokens carry Pragma: no-cache", Area, [new(SpecDocument.Rfc6749, "5.1")], RequirementLevel.Should);

    public static readonly CheckDefinition IdTokenIssued = new("token.id-token-issued",
        "An openid code exchange returns an id_token", Area, [new(SpecDocument.OpenIdConnectCore, "3.1.3.3")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static CheckResult EvaluateSuccess(TokenResponse r) =>
        JudgeSuccess(r).ObservedAnswer(r, "200", null).Observed("Content-Type", "application/json", r.Exchange.ContentType);

    private static CheckResult JudgeSuccess(TokenResponse r)
    {
        if (r.Exchange.TransportError is not null) return Success.Violation($"no response: {r.Exchange.TransportError}");
        if (!r.Body.IsObject) return Success.Violation($"HTTP {r.Exchange.StatusCode}: {r.Body.Problem}");
        if (r.Exchange.StatusCode != 200) return Success.Violation($"{r.Describe()}; expected 200");
        if (r.Error is not null) return Success.Violation($"HTTP 200 but the body is an error: {r.Describe()}");
        return Success.Require(r.Exchange.IsJsonContentType, $"Content-Type is '{r.Exchange.ContentType ?? "(none)"}', expected application/json");
    }

    public static CheckResult EvaluateAccessToken(TokenResponse r)
    {
        if (!r.Body.IsObject) return AccessToken.NotApplicable($"no JSON token response ({r.Body.Problem})");
        // The token itself is a credential: its presence and JSON type only.
        var token = r.Body.Get("access_token");
        var actual = token is null ? null : token.Value.ValueKind == JsonValueKind.String ? (token.Value.GetString()!.Length > 0 ? "a non-empty string" : "an empty string") : $"a JSON {token.Value.ValueKind.ToString().ToLowerInvariant()}";
        return (r.Body.Get("access_token") switch
        {
            null => AccessToken.Violation($"access_token is missing ({r.Describe()})"),
            { ValueKind: JsonValueKind.String } s when s.GetString()!.Length > 0 => AccessToken.Pass(),
            var v => AccessToken.Violation($"access_token is {v.Value.ValueKind}, not a non-empty string"),
        }).Observed("access_token", "a non-empty string", actual);
    }

    public static CheckResult EvaluateTokenType(TokenResponse r)
    {
        if (!r.Body.IsObject || r.AccessToken is null) return TokenTypeBearer.NotApplicable("no access token issued");
        return (r.Body.Get("token_type") switch
        {
            null => TokenTypeBearer.Violation("token_type is missing"),
            { ValueKind: JsonValueKind.String } s => TokenTypeBearer.Require(
                string.Equals(s.GetString(), "Bearer", StringComparison.OrdinalIgnoreCase), $"token_type is '{s.GetString()}', not Bearer"),
            var v => TokenTypeBearer.Violation($"token_type is a JSON {v.Value.ValueKind}, not a string"),
        }).Observed("token_type", "Bearer (case-insensitive)", Observe.Json(r.Body.Get("token_type")));
    }

    public static CheckResult EvaluateExpiresInPresent(TokenResponse r)
    {
        if (!r.Body.IsObject || r.AccessToken is null) return ExpiresInPresent.NotApplicable("no access token issued");
        return ExpiresInPresent.Require(r.Body.Has("expires_in"), "expires_in is missing: clients cannot know the token lifetime")
            .Observed("expires_in", "present", Observe.Json(r.Body.Get("expires_in")));
    }

    public static CheckResult EvaluateExpiresInNumeric(TokenResponse r)
    {
        if (r.Body.Get("expires_in") is not { } v) return ExpiresInNumeric.NotApplicable("expires_in is absent");
        return JudgeExpiresInNumeric(v).Observed("expires_in", "a positive number", v.GetRawText());
    }

    private static CheckResult JudgeExpiresInNumeric(JsonElement v)
    {
        if (v.ValueKind != JsonValueKind.Number)
            return ExpiresInNumeric.Violation($"expires_in is a JSON {v.ValueKind.ToString().ToLowerInvariant()} ({v.GetRawText()}), not a number");
        return ExpiresInNumeric.Require(v.GetDouble() > 0, $"expires_in is {v.GetRawText()}, not positive");
    }

    /// <summary>
    /// RFC 6749 §5.1 asks for no-store / no-cache on "any response containing tokens, credentials, or other sensitive
    /// information": an error response that carries none is not judged (it would grade a header rule the spec does not set).
    /// </summary>
    private static string? WithoutTokens(TokenResponse r) =>
        r.Exchange.TransportError is not null ? "no response"
        : r.AccessToken is null && r.IdToken is null && r.RefreshToken is null
            ? $"the response carries no token to protect from caching ({r.Describe()}); RFC 6749 §5.1 sets the header for responses containing tokens"
            : null;

    public static CheckResult EvaluateNoStore(TokenResponse r)
    {
        if (WithoutTokens(r) is { } none) return NoStore.NotApplicable(none);
        var cc = r.Exchange.Header("Cache-Control");
        var ok = cc is not null && cc.Split(',').Any(d => d.Trim().Equals("no-store", StringComparison.OrdinalIgnoreCase));
        return NoStore.Require(ok, cc is null ? "no Cache-Control header" : $"Cache-Control is '{cc}' without no-store")
            .Observed("Cache-Control", "contains no-store", cc);
    }

    public static CheckResult EvaluatePragma(TokenResponse r)
    {
        if (WithoutTokens(r) is { } none) return PragmaNoCache.NotApplicable(none);
        var pragma = r.Exchange.Header("Pragma");
        return PragmaNoCache.Require(pragma?.Contains("no-cache", StringComparison.OrdinalIgnoreCase) == true,
            pragma is null ? "no Pragma header" : $"Pragma is '{pragma}'").Observed("Pragma", "no-cache", pragma);
    }

    public static CheckResult EvaluateIdTokenIssued(TokenResponse r, string requestedScope)
    {
        if (!requestedScope.Split(' ').Contains("openid")) return IdTokenIssued.NotApplicable("the request had no openid scope");
        if (!r.Body.IsObject || r.Error is not null) return IdTokenIssued.NotApplicable($"no successful token response ({r.Describe()})");
        return (r.Body.Get("id_token") switch
        {
            null => IdTokenIssued.Violation("id_token is missing from the token response"),
            { ValueKind: JsonValueKind.String } s when s.GetString()!.Length > 0 => IdTokenIssued.Pass(),
            var v => IdTokenIssued.Violation($"id_token is a JSON {v.Value.ValueKind}, not a string"),
        }).Observed("id_token", "present", r.Body.Get("id_token") is { } t ? (t.ValueKind == JsonValueKind.String ? "present" : $"a JSON {t.ValueKind.ToString().ToLowerInvariant()}") : null);
    }
}
