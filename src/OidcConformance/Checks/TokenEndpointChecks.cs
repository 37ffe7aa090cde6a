using System.Text.Json;
using System.Text.RegularExpressions;
using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// The token endpoint as a protocol endpoint (RFC 6749 §2.3, §3.2, §4.1.3, §5.2): client authentication, the error
/// response format, and the binding of an authorization code to one redemption, its client and its redirect URI.
/// Successful responses themselves are judged by <see cref="TokenResponseChecks"/>.
/// </summary>
public static partial class TokenEndpointChecks
{
    private const string Area = "Token endpoint";

    public static readonly CheckDefinition ClientAuthMethod = new("token.client-auth-method",
        "A registered client authentication method (client_secret_basic, client_secret_post) is accepted for each grant the client may use",
        Area, [new(SpecDocument.Rfc6749, "2.3.1"), new(SpecDocument.OpenIdConnectCore, "9")], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidClient = new("token.invalid-client",
        "Failed client authentication (wrong secret, unknown client, no authentication) is refused with invalid_client, HTTP 400 or 401",
        Area, [new(SpecDocument.Rfc6749, "5.2"), new(SpecDocument.Rfc6749, "3.2.1")], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidClientBasic = new("token.invalid-client-basic-401",
        "Failed HTTP Basic client authentication is answered 401 with a WWW-Authenticate header for the scheme used (Basic)",
        Area, [new(SpecDocument.Rfc6749, "5.2", "invalid_client")], RequirementLevel.Must);

    public static readonly CheckDefinition ErrorResponse = new("token.error-response-format",
        "A refused token request is answered 400 (401 only for invalid_client) with an application/json object whose error is an ASCII error code",
        Area, [new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition CodeSingleUse = new("token.code-single-use",
        "A second redemption of an authorization code is refused with invalid_grant",
        Area, [new(SpecDocument.Rfc6749, "4.1.2"), new(SpecDocument.Rfc6749, "10.5")], RequirementLevel.Must) { OidfModules = ["oidcc-codereuse"] };

    public static readonly CheckDefinition CodeReuseRevokes = new("token.code-reuse-revokes-tokens",
        "After a code is redeemed twice, the tokens issued on its first redemption are revoked",
        Area, [new(SpecDocument.Rfc6749, "4.1.2", "\"SHOULD revoke (when possible)\""), new(SpecDocument.Rfc6749, "10.5")], RequirementLevel.Should) { OidfModules = ["oidcc-codereuse-30seconds"] };

    public static readonly CheckDefinition CodeBoundToClient = new("token.code-bound-to-client",
        "A code issued to one client cannot be redeemed by another, authenticated client (invalid_grant)",
        Area, [new(SpecDocument.Rfc6749, "4.1.3"), new(SpecDocument.Rfc6749, "5.2"), new(SpecDocument.Rfc6749, "10.5")], RequirementLevel.Must);

    public static readonly CheckDefinition CodeBoundToRedirectUri = new("token.code-bound-to-redirect-uri",
        "A code is redeemed only with the redirect_uri of its authorization request (different → invalid_grant; omitted → refused unless only one redirect URI is registered)",
        Area, [
            new(SpecDocument.Rfc6749, "4.1.3"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.2", "omission MAY be accepted when exactly one redirect URI is registered"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidCode = new("token.invalid-code",
        "An authorization code the provider never issued is refused with invalid_grant",
        Area, [new(SpecDocument.Rfc6749, "4.1.3"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition UnsupportedGrantType = new("token.unsupported-grant-type",
        "An unknown grant_type is refused with unsupported_grant_type",
        Area, [new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition UnauthorizedClient = new("token.unauthorized-client-grant",
        "A grant type the provider supports but the client is not registered for is refused with unauthorized_client",
        Area, [new(SpecDocument.Rfc6749, "5.2", "invalid_request explicitly excludes the grant type")], RequirementLevel.Must);

    public static readonly CheckDefinition MissingGrantType = new("token.missing-grant-type",
        "A token request without grant_type is refused with invalid_request",
        Area, [new(SpecDocument.Rfc6749, "5.2"), new(SpecDocument.Rfc6749, "4.1.3")], RequirementLevel.Must);

    public static readonly CheckDefinition PostOnly = new("token.post-only",
        "A token request sent with GET (parameters in the URL) issues no token",
        Area, [
            new(SpecDocument.Rfc6749, "3.2", "the client MUST use POST; the server side is not a MUST: SHOULD chosen deliberately"),
            new(SpecDocument.Rfc6749, "2.3.1"),
            new(SpecDocument.Rfc6749, "3.1", "credentials must not be in URLs"),
        ],
        RequirementLevel.Should);

    /// <summary>RFC 6749 §5.2: error = 1*( %x20-21 / %x23-5B / %x5D-7E ).</summary>
    [GeneratedRegex(@"^[\x20\x21\x23-\x5B\x5D-\x7E]+$")]
    private static partial Regex ErrorCodeSyntax();

    /// <summary>The error codes RFC 6749 §5.2 defines for the token endpoint.</summary>
    public static readonly IReadOnlyList<string> Rfc6749TokenErrors =
        ["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope"];

    // ---- success -------------------------------------------------------------------------------------------

    public static CheckResult EvaluateClientAuthMethod(TokenResponse r, string method, string grant) =>
        JudgeClientAuthMethod(r, method, grant).ObservedAnswer(r, "200", "(none: tokens issued)");

    private static CheckResult JudgeClientAuthMethod(TokenResponse r, string method, string grant)
    {
        if (r.Exchange.TransportError is not null) return ClientAuthMethod.NotApplicable($"no response: {r.Exchange.TransportError}");
        if (r.IsSuccess && r.Exchange.StatusCode == 200) return ClientAuthMethod.Pass($"{grant} with {method}: HTTP 200 with an access token");
        var why = r.Error == "invalid_client"
            ? $"the provider did not accept {method} for a client registered with it"
            : $"the {grant} request authenticated with {method} was not answered with tokens";
        return ClientAuthMethod.Violation($"{why}: {r.Describe()}");
    }

    // ---- client authentication failures --------------------------------------------------------------------

    public static CheckResult EvaluateInvalidClient(TokenResponse r) => JudgeInvalidClient(r).ObservedAnswer(r, "400 or 401", "invalid_client");

    private static CheckResult JudgeInvalidClient(TokenResponse r)
    {
        if (r.Exchange.TransportError is not null) return InvalidClient.NotApplicable($"no response: {r.Exchange.TransportError}");
        if (r.IsSuccess) return InvalidClient.Violation($"tokens were issued although client authentication failed ({r.Describe()})");
        if (r.Error is null)
            return InvalidClient.Violation($"no error code: {r.Describe()}; expected error 'invalid_client'");
        if (r.Error != "invalid_client") return InvalidClient.Violation($"{r.Describe()}; expected error 'invalid_client'");
        return InvalidClient.Require(r.Exchange.StatusCode is 400 or 401,
            $"invalid_client with HTTP {r.Exchange.StatusCode}; RFC 6749 §5.2 allows 400 or 401", $"HTTP {r.Exchange.StatusCode}, invalid_client");
    }

    public static CheckResult EvaluateInvalidClientBasic(TokenResponse r)
    {
        var result = JudgeInvalidClientBasic(r).ObservedAnswer(r, "401", "invalid_client");
        if (r.Exchange.StatusCode == 401 && result.Verdict != Verdict.Inconclusive)
            result = result.Observed("WWW-Authenticate", "a Basic challenge", r.Exchange.Header("WWW-Authenticate") is { } c ? Redactor.Redact(c) : null);
        return result;
    }

    private static CheckResult JudgeInvalidClientBasic(TokenResponse r)
    {
        if (r.Exchange.TransportError is not null) return InvalidClientBasic.NotApplicable($"no response: {r.Exchange.TransportError}");
        if (r.IsSuccess) return InvalidClientBasic.Violation($"tokens were issued although HTTP Basic client authentication failed ({r.Describe()})");
        if (r.Error is not null && r.Error != "invalid_client")
            return InvalidClientBasic.NotApplicable($"the provider did not report a client authentication failure ({r.Describe()}); see token.invalid-client");
        if (r.Exchange.StatusCode != 401)
            return InvalidClientBasic.Violation($"HTTP {r.Exchange.StatusCode} to a request authenticated with the Authorization header; RFC 6749 §5.2 requires 401");
        var challenge = r.Exchange.Header("WWW-Authenticate");
        if (challenge is null) return InvalidClientBasic.Violation("HTTP 401 without a WWW-Authenticate header");
        return InvalidClientBasic.Require(BasicChallenge().IsMatch(challenge),
            $"WWW-Authenticate is '{Redactor.Redact(challenge)}', without a challenge for the scheme the client used (Basic)",
            "HTTP 401 with a WWW-Authenticate challenge (scheme: Basic)");
    }

    [GeneratedRegex(@"(^|,)\s*Basic(\s|,|$)", RegexOptions.IgnoreCase)]
    private static partial Regex BasicChallenge();

    // ---- error format --------------------------------------------------------------------------------------

    public static CheckResult EvaluateErrorResponse(TokenResponse r)
    {
        var result = JudgeErrorResponse(r);
        if (r.Exchange.TransportError is not null || r.IsSuccess) return result;
        var code = r.Body.Get("error");
        return result.Observed("HTTP status", code is { ValueKind: JsonValueKind.String } c && c.GetString() == "invalid_client" ? "400 or 401" : "400", Observe.StatusOf(r.Exchange))
            .Observed("Content-Type", "application/json", r.Exchange.ContentType)
            .Observed("error", "an ASCII error code (string)", Observe.Json(code));
    }

    private static CheckResult JudgeErrorResponse(TokenResponse r)
    {
        var x = r.Exchange;
        if (x.TransportError is not null) return ErrorResponse.NotApplicable($"no response: {x.TransportError}");
        if (r.IsSuccess) return ErrorResponse.NotApplicable($"the request was accepted ({r.Describe()}): there is no error response to judge; the request's own check judges the acceptance");
        if (x.StatusCode is >= 200 and < 300)
            return ErrorResponse.Violation($"HTTP {x.StatusCode} for a refused request" + (r.Error is null ? "" : $" (error '{r.Error}' in the body)") + "; expected 400");
        if (!r.Body.IsObject) return ErrorResponse.Violation($"HTTP {x.StatusCode}: {r.Body.Problem}; expected a JSON object with an error code");
        if (!x.IsJsonContentType)
            return ErrorResponse.Violation($"Content-Type is '{x.ContentType ?? "(none)"}', expected application/json");
        var error = r.Body.Get("error");
        if (error is null) return ErrorResponse.Violation($"HTTP {x.StatusCode}, the JSON object has no error member");
        if (error.Value.ValueKind != JsonValueKind.String)
            return ErrorResponse.Violation($"error is a JSON {error.Value.ValueKind.ToString().ToLowerInvariant()}, not a string");
        var code = error.Value.GetString()!;
        if (!ErrorCodeSyntax().IsMatch(code)) return ErrorResponse.Violation($"error '{code}' has characters outside the RFC 6749 §5.2 syntax");
        foreach (var name in new[] { "error_description", "error_uri" })
            if (r.Body.Get(name) is { } v && v.ValueKind != JsonValueKind.String)
                return ErrorResponse.Violation($"{name} is a JSON {v.ValueKind.ToString().ToLowerInvariant()}, not a string");
        if (code == "invalid_client")
            return ErrorResponse.Require(x.StatusCode is 400 or 401, $"invalid_client with HTTP {x.StatusCode}; expected 400 or 401",
                $"HTTP {x.StatusCode}, JSON, error '{code}'");
        return ErrorResponse.Require(x.StatusCode == 400, $"error '{code}' with HTTP {x.StatusCode}; RFC 6749 §5.2 requires 400 (401 only for invalid_client)",
            $"HTTP 400, JSON, error '{code}'");
    }

    // ---- expected error codes ------------------------------------------------------------------------------

    /// <summary>The request had to be refused with one of <paramref name="expected"/>.</summary>
    public static CheckResult EvaluateRefused(CheckDefinition check, TokenResponse r, string what, params string[] expected) =>
        JudgeRefused(check, r, what, expected).ObservedAnswer(r, null, string.Join(" or ", expected));

    private static CheckResult JudgeRefused(CheckDefinition check, TokenResponse r, string what, string[] expected)
    {
        if (r.Exchange.TransportError is not null) return check.NotApplicable($"no response: {r.Exchange.TransportError}");
        var wanted = string.Join(" or ", expected.Select(e => $"'{e}'"));
        if (r.IsSuccess || (r.Exchange.IsSuccess && r.Error is null))
            return check.Violation($"{what} was accepted: {r.Describe()}" + (r.AccessToken is null ? "" : " with an access token"));
        if (r.Error is null) return check.Violation($"{what} was refused without an error code ({r.Describe()}); expected {wanted}");
        return check.Require(expected.Contains(r.Error), $"{what}: {r.Describe()}; expected {wanted}", $"{what}: {r.Describe()}");
    }

    public static CheckResult EvaluateCodeSingleUse(TokenResponse first, TokenResponse second)
    {
        if (!first.IsSuccess) return CodeSingleUse.NotApplicable($"the first redemption failed ({first.Describe()})");
        return EvaluateRefused(CodeSingleUse, second, "the second redemption of a code", "invalid_grant");
    }

    public static CheckResult EvaluateCodeBoundToClient(TokenResponse r) =>
        EvaluateRefused(CodeBoundToClient, r, "another client's code redeemed by an authenticated client", "invalid_grant");

    public static CheckResult EvaluateRedirectUriDiffers(TokenResponse r) =>
        EvaluateRefused(CodeBoundToRedirectUri, r, "a code redeemed with a redirect_uri different from the authorization request's", "invalid_grant");

    /// <summary>
    /// redirect_uri is REQUIRED when the authorization request had one (RFC 6749 §4.1.3): missing parameter or mismatch.
    /// OIDC Core §3.1.3.2 lets the provider proceed without it when the client has exactly one registered redirect URI.
    /// </summary>
    public static CheckResult EvaluateRedirectUriOmitted(TokenResponse r, bool singleRegisteredRedirectUri)
    {
        if (singleRegisteredRedirectUri && r.IsSuccess)
            return CodeBoundToRedirectUri.Pass(
                "accepted without redirect_uri: OIDC Core 1.0 §3.1.3.2 permits this when the client has exactly one registered redirect URI, as here");
        return EvaluateRefused(CodeBoundToRedirectUri, r, "a code redeemed without the redirect_uri of its authorization request", "invalid_request", "invalid_grant");
    }

    public static CheckResult EvaluateInvalidCode(TokenResponse r) =>
        EvaluateRefused(InvalidCode, r, "a code that was never issued", "invalid_grant");

    public static CheckResult EvaluateUnsupportedGrantType(TokenResponse r) =>
        EvaluateRefused(UnsupportedGrantType, r, "an unknown grant_type", "unsupported_grant_type");

    public static CheckResult EvaluateUnauthorizedClient(TokenResponse r, string grant) =>
        EvaluateRefused(UnauthorizedClient, r, $"grant_type {grant} by a client not registered for it", "unauthorized_client");

    public static CheckResult EvaluateMissingGrantType(TokenResponse r) =>
        EvaluateRefused(MissingGrantType, r, "a request without grant_type", "invalid_request");

    public static CheckResult EvaluatePostOnly(TokenResponse r) =>
        JudgePostOnly(r).ObservedAnswer(r, null, null).Observed("access token issued", "no", r.AccessToken is null ? "no" : "yes");

    private static CheckResult JudgePostOnly(TokenResponse r)
    {
        if (r.Exchange.TransportError is not null) return PostOnly.NotApplicable($"no response: {r.Exchange.TransportError}");
        if (r.AccessToken is not null)
            return PostOnly.Violation($"GET with the parameters in the URL issued an access token ({r.Describe()}); credentials and grants end up in logs and history");
        return PostOnly.Pass($"refused: {r.Describe()}");
    }

    // ---- revocation after code reuse -----------------------------------------------------------------------

    public static CheckResult EvaluateCodeReuseRevokes(TokenResponse second, TokenProbe probe)
    {
        var result = JudgeCodeReuseRevokes(second, probe);
        if (second.Exchange.TransportError is not null || second.IsSuccess || probe.Exchange.TransportError is not null) return result;
        var expected = probe.Method switch
        {
            TokenProbeMethod.Introspection => "active false",
            TokenProbeMethod.UserInfo => "401 or 403",
            _ => "invalid_grant",
        };
        var actual = probe.Method switch
        {
            TokenProbeMethod.Introspection => Observe.Json(JsonBody.From(probe.Exchange).Get("active")) is { } a ? $"active {a}" : $"HTTP {probe.Exchange.StatusCode} without active",
            TokenProbeMethod.UserInfo => Observe.StatusOf(probe.Exchange),
            _ => new TokenResponse(probe.Exchange, JsonBody.From(probe.Exchange)) is var t && t.IsSuccess ? "tokens issued" : t.Error ?? $"HTTP {probe.Exchange.StatusCode}",
        };
        return result.Observed($"{probe.Token} via {probe.Method.ToString().ToLowerInvariant()}", expected, actual);
    }

    private static CheckResult JudgeCodeReuseRevokes(TokenResponse second, TokenProbe probe)
    {
        if (second.Exchange.TransportError is not null || second.IsSuccess)
            return CodeReuseRevokes.NotApplicable($"the second redemption was not refused ({second.Describe()}); see token.code-single-use");
        var x = probe.Exchange;
        if (x.TransportError is not null) return CodeReuseRevokes.NotApplicable($"{probe.Method} probe: no response: {x.TransportError}");
        switch (probe.Method)
        {
            case TokenProbeMethod.Introspection:
            {
                var body = JsonBody.From(x);
                if (x.StatusCode != 200 || body.Get("active") is not { } active || active.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    return CodeReuseRevokes.NotApplicable($"introspection of the {probe.Token} gave no active member (HTTP {x.StatusCode}{(body.Problem is null ? "" : ", " + body.Problem)})");
                return CodeReuseRevokes.Require(active.ValueKind == JsonValueKind.False,
                    $"the {probe.Token} issued on the first redemption is still active (introspection: active=true) after the code was reused",
                    $"the {probe.Token} from the first redemption is inactive (introspection: active=false)");
            }
            case TokenProbeMethod.UserInfo:
                if (x.StatusCode == 200)
                    return CodeReuseRevokes.Violation($"UserInfo still answers 200 to the {probe.Token} issued on the first redemption after the code was reused");
                return x.StatusCode is 401 or 403
                    ? CodeReuseRevokes.Pass($"UserInfo refuses the {probe.Token} from the first redemption (HTTP {x.StatusCode})")
                    : CodeReuseRevokes.NotApplicable($"UserInfo answered HTTP {x.StatusCode}, which says nothing about revocation");
            default:
            {
                var refresh = new TokenResponse(x, JsonBody.From(x));
                if (refresh.IsSuccess)
                    return CodeReuseRevokes.Violation($"the {probe.Token} issued on the first redemption still obtains new tokens after the code was reused");
                return refresh.Error is "invalid_grant"
                    ? CodeReuseRevokes.Pass($"the {probe.Token} from the first redemption is refused ({refresh.Describe()})")
                    : CodeReuseRevokes.NotApplicable($"the refresh attempt was refused for another reason ({refresh.Describe()})");
            }
        }
    }
}

public enum TokenProbeMethod { Introspection, UserInfo, Refresh }

/// <summary>One attempt to use a token ("access token" / "refresh token") to learn whether the provider still honours it.</summary>
public sealed record TokenProbe(string Token, TokenProbeMethod Method, HttpExchange Exchange)
{
    /// <summary>Whether the probe shows the token still works (then a poll tries again until its deadline).</summary>
    public bool LooksActive => Method switch
    {
        TokenProbeMethod.Introspection => JsonBody.From(Exchange).Get("active") is { ValueKind: JsonValueKind.True },
        TokenProbeMethod.UserInfo => Exchange.StatusCode == 200,
        _ => new TokenResponse(Exchange, JsonBody.From(Exchange)).IsSuccess,
    };
}
