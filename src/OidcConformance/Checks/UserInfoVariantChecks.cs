using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// UserInfo request variants (POST with header / form body), error responses without or with a bad token (RFC 6750 §3),
/// and the scope → claims matrix over fresh authorizations with scope subsets (OIDC Core 1.0 §5.3, §5.4).
/// </summary>
public static class UserInfoVariantChecks
{
    private const string Area = "UserInfo";

    public static readonly CheckDefinition PostBearerHeader = new("userinfo.post-bearer-header",
        "POST with the access token in the Authorization header (Bearer scheme) returns 200 and the user's claims as a JSON object", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "5.3.1", "\"The OP MUST support the use of the HTTP GET and HTTP POST methods\""),
            new(SpecDocument.Rfc6750, "2.1"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-userinfo-post-header"] };

    public static readonly CheckDefinition PostFormBody = new("userinfo.post-form-body",
        "POST with the access token in the form-encoded body (access_token) returns 200 and the user's claims", Area,
        [
            new(SpecDocument.Rfc6750, "2.2", "resource servers MAY support it; OIDF oidcc-userinfo-post-body warns when unsupported"),
            new(SpecDocument.OpenIdConnectCore, "5.3.1"),
        ],
        RequirementLevel.Should) { OidfModules = ["oidcc-userinfo-post-body"] };

    public static readonly CheckDefinition NoTokenChallenge = new("userinfo.no-token-challenge",
        "A request without any access token is refused (401, or 400) with a WWW-Authenticate Bearer-scheme challenge", Area,
        [
            new(SpecDocument.Rfc6750, "3", "\"MUST include the HTTP WWW-Authenticate response header field\""),
            new(SpecDocument.OpenIdConnectCore, "5.3.3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition NoTokenNoErrorCode = new("userinfo.no-token-no-error-code",
        "Without any authentication information the answer is 401 and the challenge carries no error code", Area,
        [
            new(SpecDocument.Rfc6750, "3.1", "\"the resource server SHOULD NOT include an error code or other error information\""),
            new(SpecDocument.Rfc6750, "3"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition InvalidTokenChallenge = new("userinfo.invalid-token-challenge",
        "An invalid access token is refused with a WWW-Authenticate Bearer-scheme challenge and never returns claims", Area,
        [
            new(SpecDocument.Rfc6750, "3", "\"MUST include the HTTP WWW-Authenticate response header field\""),
            new(SpecDocument.OpenIdConnectCore, "5.3.3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidTokenErrorCode = new("userinfo.invalid-token-error-code",
        "An invalid access token is answered with 401 and error=\"invalid_token\" in the challenge", Area,
        [
            new(SpecDocument.Rfc6750, "3", "\"SHOULD include the error attribute\""),
            new(SpecDocument.Rfc6750, "3.1", "invalid_token: \"SHOULD respond with the HTTP 401\""),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition MatrixGrantedClaims = new("userinfo.scope-matrix-granted-claims",
        "For each scope subset, every granted standard scope returns its claims under the OIDC Core §5.4 names with their §5.1 types, for the attributes the test user has",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "5.4"),
            new(SpecDocument.OpenIdConnectCore, "5.1", "same level and reasoning as userinfo.scope-claims: Voluntary Claims, §5.5.1, so SHOULD"),
        ], RequirementLevel.Should) { OidfModules = ["oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all"] };

    public static readonly CheckDefinition MatrixNoUngrantedClaims = new("userinfo.scope-matrix-no-ungranted-claims",
        "For each scope subset, the claims of scopes that were NOT requested are absent", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "5.4", "scopes request claim sets; no MUST forbids extra claims, so SHOULD: data minimization, §17"),
        ],
        RequirementLevel.Should);

    public static readonly CheckDefinition MatrixSubStable = new("userinfo.scope-matrix-sub-stable",
        "sub is present and identical across scope subsets, equal to the ID token's sub and the profile's subject", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "5.3.2", "\"The sub Claim MUST always be returned\""),
            new(SpecDocument.OpenIdConnectCore, "2", "sub never reassigned"),
            new(SpecDocument.OpenIdConnectCore, "5.7"),
        ], RequirementLevel.Must);

    /// <summary>The standard scope subsets of the matrix (label, scope string).</summary>
    public static readonly IReadOnlyList<(string Label, string Scope)> ScopeSubsets =
    [
        ("openid", "openid"),
        ("openid+profile", "openid profile"),
        ("openid+email", "openid email"),
        ("openid+address", "openid address"),
        ("openid+phone", "openid phone"),
        ("all", "openid profile email address phone"),
    ];

    /// <summary>Claims OIDC Core §5.4 assigns to each standard scope (the profile table may list fewer for a user).</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> StandardScopeClaims => StandardClaims.ByScope;

    // ---- request variants ------------------------------------------------------------------------------------------

    private static CheckResult EvaluateClaimsResponse(CheckDefinition def, HttpExchange exchange, string? expectedSub, string how)
    {
        var result = JudgeClaimsResponse(def, exchange, expectedSub, how).Observed("HTTP status", "200", Observe.StatusOf(exchange));
        return expectedSub is not null && exchange.StatusCode == 200 ? result.Observed("sub", expectedSub, JsonBody.From(exchange).String("sub")) : result;
    }

    /// <summary>A UserInfo refusal as observations: its status, the Bearer challenge's error attribute, and error information in the body.</summary>
    private static CheckResult ObservedRefusal(this CheckResult result, HttpExchange exchange, string expectedStatus, string? expectedChallengeError, string? expectedBodyError) =>
        exchange.TransportError is not null ? result
        : result.Observed("HTTP status", expectedStatus, Observe.StatusOf(exchange))
            .Observed("Bearer challenge", "present", Bearer(exchange) is null ? null : "present")
            .Observed("challenge error", expectedChallengeError, Bearer(exchange)?.Parameters.GetValueOrDefault("error"))
            .Observed("body error", expectedBodyError, ErrorInformation(JsonBody.From(exchange)));

    private static CheckResult JudgeClaimsResponse(CheckDefinition def, HttpExchange exchange, string? expectedSub, string how)
    {
        if (exchange.TransportError is not null) return def.Violation($"{how}: no response: {exchange.TransportError}");
        var body = JsonBody.From(exchange);
        if (exchange.StatusCode != 200)
            return def.Violation($"{how}: {exchange.Summary}, expected 200" + (body.String("error") is { } e ? $", error '{e}'" : "")
                                 + (exchange.Header("WWW-Authenticate") is { } w ? $", WWW-Authenticate: {Redactor.Redact(w)}" : ""));
        if (exchange.ContentType?.StartsWith("application/jwt", StringComparison.OrdinalIgnoreCase) == true)
            return def.NotApplicable($"{how}: signed/encrypted UserInfo (application/jwt) is not evaluated by this check");
        if (!body.IsObject) return def.Violation($"{how}: {exchange.Summary}: {body.Problem}");
        if (body.String("sub") is not { } sub) return def.Violation($"{how}: 200, but the JSON object has no string sub");
        if (expectedSub is not null && sub != expectedSub)
            return def.Violation($"{how}: sub '{sub}' differs from the ID token's '{expectedSub}'");
        return def.Pass($"{how}: 200 with the user's claims");
    }

    public static CheckResult EvaluatePostBearerHeader(HttpExchange exchange, string? expectedSub) =>
        EvaluateClaimsResponse(PostBearerHeader, exchange, expectedSub, "POST with Authorization: Bearer");

    public static CheckResult EvaluatePostFormBody(HttpExchange exchange, string? expectedSub) =>
        EvaluateClaimsResponse(PostFormBody, exchange, expectedSub, "POST with access_token in the body");

    // ---- error responses -------------------------------------------------------------------------------------------

    /// <summary>One challenge of a WWW-Authenticate header: scheme and auth-params (RFC 7235 §2.1, §4.1).</summary>
    public sealed record Challenge(string Scheme, IReadOnlyDictionary<string, string> Parameters);

    /// <summary>Parses WWW-Authenticate into challenges (RFC 7235 §4.1). Lenient; token68 values are skipped.</summary>
    public static IReadOnlyList<Challenge> ParseChallenges(string? header)
    {
        var result = new List<Challenge>();
        if (string.IsNullOrWhiteSpace(header)) return result;
        string? scheme = null;
        var parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var i = 0;
        while (i < header.Length)
        {
            while (i < header.Length && (char.IsWhiteSpace(header[i]) || header[i] == ',')) i++;
            var start = i;
            while (i < header.Length && IsTokenChar(header[i])) i++;
            if (i == start) { i++; continue; }
            var token = header[start..i];
            var j = i;
            while (j < header.Length && char.IsWhiteSpace(header[j])) j++;
            if (j < header.Length && header[j] == '=' && scheme is not null)
            {
                i = j + 1;
                while (i < header.Length && char.IsWhiteSpace(header[i])) i++;
                var value = new System.Text.StringBuilder();
                if (i < header.Length && header[i] == '"')
                {
                    i++;
                    while (i < header.Length && header[i] != '"')
                    {
                        if (header[i] == '\\' && i + 1 < header.Length) i++;
                        value.Append(header[i++]);
                    }
                    i++;
                }
                else
                    while (i < header.Length && header[i] != ',' && !char.IsWhiteSpace(header[i])) value.Append(header[i++]);
                parameters[token] = value.ToString();
                continue;
            }
            if (j < header.Length && header[j] == '=') { i = j + 1; continue; }
            if (scheme is not null) result.Add(new Challenge(scheme, parameters));
            scheme = token;
            parameters = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        }
        if (scheme is not null) result.Add(new Challenge(scheme, parameters));
        return result;
    }

    private static bool IsTokenChar(char c) => char.IsAsciiLetterOrDigit(c) || "!#$%&'*+.^_`|~-".Contains(c);

    private static Challenge? Bearer(HttpExchange e) =>
        ParseChallenges(e.Header("WWW-Authenticate")).FirstOrDefault(c => c.Scheme.Equals("Bearer", StringComparison.OrdinalIgnoreCase));

    private static string Describe(HttpExchange e) =>
        $"{e.Summary}" + (e.Header("WWW-Authenticate") is { } w ? $", WWW-Authenticate: {Redactor.Redact(w)}" : ", no WWW-Authenticate header");

    public static CheckResult EvaluateNoTokenChallenge(HttpExchange exchange) =>
        JudgeNoTokenChallenge(exchange).ObservedRefusal(exchange, "401 (or 400)", null, null);

    private static CheckResult JudgeNoTokenChallenge(HttpExchange exchange)
    {
        if (exchange.TransportError is not null) return NoTokenChallenge.NotApplicable($"no response: {exchange.TransportError}");
        if (exchange.IsSuccess) return NoTokenChallenge.Violation($"{exchange.Summary}: a request without an access token was answered with success");
        if (exchange.StatusCode is not (401 or 400))
            return NoTokenChallenge.Violation($"{Describe(exchange)}: expected 401 (RFC 6750 §3) or 400 (§3.1 invalid_request)");
        if (exchange.Header("WWW-Authenticate") is null)
            return NoTokenChallenge.Violation($"{Describe(exchange)}: RFC 6750 §3 requires a WWW-Authenticate header");
        return NoTokenChallenge.Require(Bearer(exchange) is not null, $"{Describe(exchange)}: no Bearer-scheme challenge",
            $"{exchange.StatusCode} with a Bearer-scheme challenge");
    }

    /// <summary>
    /// RFC 6750 §3.1: without authentication information the resource server SHOULD NOT include "an error code or other error
    /// information", wherever it puts it: in the Bearer challenge or in the body (issue #11 class 6: before, an error code in
    /// the body of an answer without a Bearer challenge, or in a 2xx body, was Inconclusive and hid the violation).
    /// </summary>
    public static CheckResult EvaluateNoTokenNoErrorCode(HttpExchange exchange) =>
        JudgeNoTokenNoErrorCode(exchange).ObservedRefusal(exchange, "401", Observation.Absent, Observation.Absent);

    private static CheckResult JudgeNoTokenNoErrorCode(HttpExchange exchange)
    {
        if (exchange.TransportError is not null) return NoTokenNoErrorCode.NotApplicable($"no response: {exchange.TransportError}");
        var challengeError = Bearer(exchange)?.Parameters.GetValueOrDefault("error");
        var bodyError = ErrorInformation(JsonBody.From(exchange));
        if (challengeError is not null)
            return NoTokenNoErrorCode.Violation($"{Describe(exchange)}: the challenge has error=\"{challengeError}\" although the request carried no authentication");
        if (bodyError is not null)
            return NoTokenNoErrorCode.Violation($"{Describe(exchange)}: the body has error \"{bodyError}\" although the request carried no authentication" +
                                                (exchange.IsSuccess ? ", and the status is a success" : ""));
        if (exchange.IsSuccess) return NoTokenNoErrorCode.NotApplicable("the request succeeded without error information (see userinfo.no-token-challenge)");
        if (exchange.StatusCode != 401) return NoTokenNoErrorCode.Violation($"{Describe(exchange)}: expected 401 for a request without authentication");
        return NoTokenNoErrorCode.Pass($"{Describe(exchange)}: 401 without an error code in the challenge or the body");
    }

    /// <summary>
    /// The error a JSON body states, if any: an OAuth <c>error</c> member (RFC 6750 §3.1, RFC 6749 §5.2), or an error envelope
    /// such as Casdoor's <c>{"status":"error","msg":…}</c> (recorded: UserInfo without a token → HTTP 200 with that envelope).
    /// A body with <c>sub</c> is a UserInfo response, not error information.
    /// </summary>
    internal static string? ErrorInformation(JsonBody body)
    {
        if (!body.IsObject || body.Has("sub")) return null;
        if (body.String("error") is { } error) return error;
        if (body.IsStatusErrorEnvelope)
            return body.String("msg") is { Length: > 0 } msg ? $"status error: {Redactor.Redact(msg)}" : "status error";
        return null;
    }

    public static CheckResult EvaluateInvalidTokenChallenge(HttpExchange exchange, string tokenCase) =>
        JudgeInvalidTokenChallenge(exchange, tokenCase).ObservedRefusal(exchange, "401", null, null);

    private static CheckResult JudgeInvalidTokenChallenge(HttpExchange exchange, string tokenCase)
    {
        if (exchange.TransportError is not null) return InvalidTokenChallenge.NotApplicable($"no response: {exchange.TransportError}").WithCase(tokenCase);
        if (exchange.IsSuccess)
            return InvalidTokenChallenge.Violation($"{exchange.Summary}: an invalid access token ({tokenCase}) was accepted").WithCase(tokenCase);
        if (exchange.StatusCode is not (400 or 401 or 403))
            return InvalidTokenChallenge.Violation($"{Describe(exchange)}: expected 401 (RFC 6750 §3.1)").WithCase(tokenCase);
        return InvalidTokenChallenge.Require(Bearer(exchange) is not null,
            $"{Describe(exchange)}: RFC 6750 §3 requires a WWW-Authenticate Bearer-scheme challenge", $"{exchange.StatusCode} with a Bearer-scheme challenge").WithCase(tokenCase);
    }

    public static CheckResult EvaluateInvalidTokenErrorCode(HttpExchange exchange, string tokenCase) =>
        JudgeInvalidTokenErrorCode(exchange, tokenCase).ObservedRefusal(exchange, "401", "invalid_token", null);

    private static CheckResult JudgeInvalidTokenErrorCode(HttpExchange exchange, string tokenCase)
    {
        if (exchange.TransportError is not null) return InvalidTokenErrorCode.NotApplicable($"no response: {exchange.TransportError}").WithCase(tokenCase);
        // A 2xx that says "error" is an error answered with success: judged here, not hidden as "the token was accepted".
        if (exchange.IsSuccess && ErrorInformation(JsonBody.From(exchange)) is { } successError)
            return InvalidTokenErrorCode.Violation($"{Describe(exchange)}: the error \"{successError}\" came with a success status instead of 401").WithCase(tokenCase);
        if (exchange.IsSuccess) return InvalidTokenErrorCode.NotApplicable("the token was accepted (see userinfo.invalid-token-challenge)").WithCase(tokenCase);
        var challenge = Bearer(exchange);
        var problems = new List<string>();
        if (exchange.StatusCode != 401) problems.Add($"status {exchange.StatusCode} instead of 401");
        if (challenge is null) problems.Add("no Bearer-scheme challenge");
        else if (challenge.Parameters.GetValueOrDefault("error") is not "invalid_token")
            problems.Add(challenge.Parameters.TryGetValue("error", out var e) ? $"error=\"{e}\" instead of invalid_token" : "no error attribute");
        return InvalidTokenErrorCode.Require(problems.Count == 0, $"{Describe(exchange)}: {string.Join("; ", problems)}",
            "401 with error=\"invalid_token\"").WithCase(tokenCase);
    }

    // ---- scope matrix ----------------------------------------------------------------------------------------------

    private static IReadOnlyList<string> StandardScopesIn(string scope) =>
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(StandardScopeClaims.ContainsKey).ToList();

    /// <param name="grantedScope">The scope the token response says was granted (or the requested one when it does not say).</param>
    /// <param name="table">The user's claim table, read only as "which attributes this user has" (StandardClaims.JudgeScope).</param>
    public static CheckResult EvaluateMatrixGrantedClaims(string subset, JsonBody userinfo, string grantedScope,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> table)
    {
        if (!userinfo.IsObject) return MatrixGrantedClaims.NotApplicable($"no UserInfo JSON ({userinfo.Problem})").WithCase(subset);
        var scopes = StandardScopesIn(grantedScope);
        if (scopes.Count == 0)
            return MatrixGrantedClaims.Pass($"granted '{grantedScope}': no standard scope, so no scope claims are requested").WithCase(subset);
        var judged = scopes.Select(s => StandardClaims.JudgeScope(s, userinfo.Get, table)).ToList();
        var problems = judged.SelectMany(j => j.Problems.Select(p => $"{j.Scope}: {p}")).ToList();
        var delivered = judged.SelectMany(j => j.Delivered).ToList();
        if (problems.Count > 0) return MatrixGrantedClaims.Violation($"granted '{grantedScope}': " + string.Join("; ", problems)).WithCase(subset);
        if (delivered.Count > 0)
            return MatrixGrantedClaims.Pass($"granted '{grantedScope}': {string.Join(", ", delivered)} under the §5.4 names with their §5.1 types").WithCase(subset);
        return MatrixGrantedClaims.NotApplicable($"granted '{grantedScope}': the profile says the test user has none of these attributes, and none was returned").WithCase(subset);
    }

    /// <summary>Claims that belong to standard scopes which were not granted must be absent (a claim shared with a granted scope is fine).</summary>
    public static CheckResult EvaluateMatrixNoUngrantedClaims(string subset, JsonBody userinfo, string grantedScope)
    {
        if (!userinfo.IsObject) return MatrixNoUngrantedClaims.NotApplicable($"no UserInfo JSON ({userinfo.Problem})").WithCase(subset);
        var granted = StandardScopesIn(grantedScope).ToHashSet();
        var allowed = granted.SelectMany(s => StandardScopeClaims[s]).ToHashSet();
        var extra = StandardScopeClaims.Where(kv => !granted.Contains(kv.Key))
            .SelectMany(kv => kv.Value.Where(c => !allowed.Contains(c) && userinfo.Has(c)).Select(c => $"{c} (scope {kv.Key})"))
            .ToList();
        return MatrixNoUngrantedClaims.Require(extra.Count == 0,
            $"granted '{grantedScope}', but UserInfo also returns claims of scopes not requested: {string.Join(", ", extra)}",
            $"granted '{grantedScope}': no claims of other standard scopes").WithCase(subset);
    }

    /// <param name="referenceSub">The sub UserInfo returned for the "all" subset (null when that flow failed).</param>
    public static CheckResult EvaluateMatrixSubStable(string subset, JsonBody userinfo, string? idTokenSub, string? profileSubject, string? referenceSub)
    {
        if (!userinfo.IsObject) return MatrixSubStable.NotApplicable($"no UserInfo JSON ({userinfo.Problem})").WithCase(subset);
        if (userinfo.Get("sub") is not { } s) return MatrixSubStable.Violation("sub is missing from the UserInfo response").WithCase(subset);
        if (s.ValueKind != JsonValueKind.String) return MatrixSubStable.Violation($"sub is a JSON {JsonCompare.TypeName(s)}, not a string").WithCase(subset);
        var sub = s.GetString();
        var problems = new List<string>();
        if (idTokenSub is not null && sub != idTokenSub) problems.Add($"UserInfo sub '{sub}' differs from the ID token's '{idTokenSub}'");
        if (profileSubject is not null && sub != profileSubject) problems.Add($"sub '{sub}' is not the profile's subject '{profileSubject}'");
        if (referenceSub is not null && sub != referenceSub) problems.Add($"sub '{sub}' differs from the sub '{referenceSub}' returned with all scopes");
        return MatrixSubStable.Require(problems.Count == 0, string.Join("; ", problems), $"sub '{sub}' stable").WithCase(subset);
    }
}
