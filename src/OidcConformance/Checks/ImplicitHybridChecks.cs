using System.Text.Json;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>The parts of a response_type value (OAuth 2.0 Multiple Response Type Encoding Practices §3, §5).</summary>
public static class ResponseTypes
{
    public static readonly IReadOnlyList<string> Implicit = ["id_token", "id_token token"];
    public static readonly IReadOnlyList<string> Hybrid = ["code id_token", "code token", "code id_token token"];
    public static IEnumerable<string> All => Implicit.Concat(Hybrid);

    public static bool Has(string responseType, string part) => responseType.Split(' ', StringSplitOptions.RemoveEmptyEntries).Contains(part);
    public static bool HasCode(string rt) => Has(rt, "code");
    public static bool HasIdToken(string rt) => Has(rt, "id_token");
    public static bool HasToken(string rt) => Has(rt, "token");
    public static bool IsImplicit(string rt) => !HasCode(rt);

    /// <summary>Response types are space-separated sets: "id_token code" is "code id_token" (Multiple Response Types §2).</summary>
    public static string Normalize(string rt) => string.Join(' ', rt.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal));
    public static bool SameSet(string a, string b) => Normalize(a) == Normalize(b);

    /// <summary>The parameter names a successful response of this type must carry.</summary>
    public static IEnumerable<string> RequiredParameters(string rt)
    {
        if (HasCode(rt)) yield return "code";
        if (HasIdToken(rt)) yield return "id_token";
        if (HasToken(rt)) { yield return "access_token"; yield return "token_type"; }
    }
}

/// <summary>
/// Implicit (OIDC Core 1.0 §3.2) and hybrid (§3.3) flows: what the authorization endpoint returns in the front
/// channel, how it is encoded, and how it relates to the back-channel token response.
/// </summary>
public static class ImplicitHybridChecks
{
    private const string Area = "Implicit and hybrid flows";
    private static readonly string[] ArtifactParameters = ["code", "id_token", "access_token", "token_type", "expires_in", "state", "error"];

    public static readonly CheckDefinition ResponseParameters = new("frontchannel.response-parameters",
        "A successful implicit/hybrid authorization response carries every artifact the response_type names (code, id_token, access_token + token_type)",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "3.2.2.5"),
            new(SpecDocument.OpenIdConnectCore, "3.3.2.5"),
            new(SpecDocument.OAuthMultipleResponseTypes, "3"),
            new(SpecDocument.OAuthMultipleResponseTypes, "5"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition FragmentEncoding = new("frontchannel.fragment-encoding",
        "Without response_mode, implicit and hybrid responses are fragment-encoded; the query encoding is not used",
        Area, [
            new(SpecDocument.OAuthMultipleResponseTypes, "3"),
            new(SpecDocument.OAuthMultipleResponseTypes, "5", "\"the query encoding MUST NOT be used\""),
            new(SpecDocument.OpenIdConnectCore, "3.2.2.5"),
            new(SpecDocument.OpenIdConnectCore, "3.3.2.5"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition NonceRequired = new("frontchannel.nonce-required",
        "A request whose response_type returns an ID token from the authorization endpoint is rejected without nonce",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "3.2.2.1"),
            new(SpecDocument.OpenIdConnectCore, "3.2.2.11"),
            new(SpecDocument.OpenIdConnectCore, "3.3.2.11", "nonce REQUIRED"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-ensure-request-without-nonce-fails"] };

    public static readonly CheckDefinition TokenType = new("frontchannel.token-type",
        "With an access token in the front channel, token_type is present and Bearer", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "3.2.2.5", "token_type: MUST be \"Bearer\" or a negotiated value"),
            new(SpecDocument.OpenIdConnectCore, "3.3.2.5"),
            new(SpecDocument.Rfc6749, "4.2.2", "REQUIRED"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition ExpiresIn = new("frontchannel.expires-in",
        "With an access token in the front channel, expires_in is present and a positive integer", Area,
        [new(SpecDocument.Rfc6749, "4.2.2", "RECOMMENDED"), new(SpecDocument.OpenIdConnectCore, "3.2.2.5", "OPTIONAL")], RequirementLevel.Should);

    public static readonly CheckDefinition NoRefreshToken = new("frontchannel.no-refresh-token",
        "The authorization endpoint never returns a refresh_token in the front channel", Area,
        [new(SpecDocument.Rfc6749, "4.2.2", "\"The authorization server MUST NOT issue a refresh token\"")], RequirementLevel.Must);

    public static readonly CheckDefinition IdTokenOnly = new("implicit.id-token-only",
        "response_type=id_token returns no code, access_token or token_type", Area,
        [
            new(SpecDocument.OAuthMultipleResponseTypes, "3", "SHOULD NOT return them"),
            new(SpecDocument.OpenIdConnectCore, "3.2.2.5"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition IdTokenScopeClaims = new("implicit.id-token-scope-claims",
        "With response_type=id_token (no access token), each granted standard scope's claims are in the ID token under the OIDC Core §5.4 names with their §5.1 types, for the attributes the test user has",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "5.4", "last paragraph; no RFC 2119 keyword, and the claims are Voluntary, §5.5.1: SHOULD"),
            new(SpecDocument.OpenIdConnectCore, "5.1", "types"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition IssSubIdentical = new("hybrid.iss-sub-identical",
        "The token endpoint's ID token has the same iss and sub as the authorization endpoint's ID token", Area,
        [new(SpecDocument.OpenIdConnectCore, "3.3.3.6", "\"iss and sub Claim Values MUST be identical\"")], RequirementLevel.Must);

    public static readonly CheckDefinition FormPost = new("frontchannel.form-post",
        "With response_mode=form_post, the response parameters are POSTed as application/x-www-form-urlencoded to the redirect URI, not put in the query or fragment",
        Area, [new(SpecDocument.OAuthFormPostResponseMode, "2")], RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static readonly CheckDefinition SubStable = new("frontchannel.sub-stable",
        "Two separate logins of the same user at the same client give the same sub", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "2", "sub: locally unique and never reassigned"),
            new(SpecDocument.OpenIdConnectCore, "8"),
        ], RequirementLevel.Must);

    public static CheckResult EvaluateResponseParameters(string responseType, AuthorizationOutcome outcome)
    {
        // A stall, a blank page or a refused login is no answer to the response type (issue #11 class 1): never a verdict.
        if (outcome.End is AuthorizationEnd.Stalled or AuthorizationEnd.BlankPage or AuthorizationEnd.LoginRejected)
            return ResponseParameters.NotApplicable($"no evidence either way: {outcome.Describe()}");
        if (outcome.End != AuthorizationEnd.Redirected) return ResponseParameters.Violation(outcome.Describe());
        var response = outcome.Response!;
        if (response.Error is { } error)
            return ResponseParameters.Violation($"the provider answered error '{error}'" +
                                                (response.Get("error_description") is { } d ? $" ({Http.Redactor.Redact(d)})" : ""));
        var missing = ResponseTypes.RequiredParameters(responseType).Where(p => string.IsNullOrEmpty(response.Get(p))).ToList();
        var elsewhere = missing.Where(p => response.OtherParameters.Any(o => o.Key == p)).ToList();
        // Parameter names only: the values are codes and tokens.
        return ResponseParameters.Require(missing.Count == 0,
            $"response_type '{responseType}': {string.Join(", ", missing)} missing from the {Where(response.Location)}" +
            (elsewhere.Count > 0 ? $" ({string.Join(", ", elsewhere)} arrived elsewhere)" : "") + $"; got {response.Describe()}",
            $"{string.Join(", ", ResponseTypes.RequiredParameters(responseType))} in the {Where(response.Location)}")
            .Observed("missing parameters", "none", missing.Count == 0 ? "none" : string.Join(", ", missing));
    }

    public static CheckResult EvaluateFragmentEncoding(AuthorizationRequest request, AuthorizationResponse? response)
    {
        if (response is null) return FragmentEncoding.NotApplicable("no authorization response reached the client");
        if (request.Get("response_mode") is { } mode) return FragmentEncoding.NotApplicable($"the request named response_mode={mode}");
        if (response.Location != ResponseLocation.Fragment)
            return FragmentEncoding.Violation($"the response arrived in the {Where(response.Location)}, not in the fragment ({response.Describe()})")
                .Observed("response location", "fragment", Where(response.Location));
        // For a fragment response, OtherParameters holds the query of the redirect.
        var inQuery = response.OtherParameters.Where(p => ArtifactParameters.Contains(p.Key)).Select(p => p.Key).Distinct().ToList();
        return FragmentEncoding.Require(inQuery.Count == 0, $"the fragment response also put {string.Join(", ", inQuery)} in the query")
            .Observed("response location", "fragment", Where(response.Location)).Observed("artifacts in the query", "none", inQuery.Count == 0 ? "none" : string.Join(", ", inQuery));
    }

    public static CheckResult EvaluateNonceRequired(AuthorizationRequest request, AuthorizationOutcome outcome)
    {
        if (request.Nonce is not null) return NonceRequired.NotApplicable("the request carried a nonce");
        return JudgeNonceRequired(outcome).Observed("outcome", "an error (redirected, or an error page)", AuthorizationEndpointChecks.OutcomeValue(outcome));
    }

    private static CheckResult JudgeNonceRequired(AuthorizationOutcome outcome)
    {
        switch (outcome.End)
        {
            case AuthorizationEnd.ProviderError:
                return NonceRequired.Pass($"rejected on the provider's error page: {outcome.Detail}");
            case AuthorizationEnd.Redirected:
                var r = outcome.Response!;
                if (r.Error is { } error)
                    return NonceRequired.Pass($"rejected with error '{error}'" + (error == "invalid_request" ? "" : " (invalid_request is the usual code)"));
                var issued = new[] { "id_token", "code", "access_token" }.Where(r.Has).ToList();
                return NonceRequired.Violation(issued.Count > 0
                    ? $"the request without nonce succeeded: the provider returned {string.Join(", ", issued)} (replay protection is lost)"
                    : $"the request without nonce was not rejected: the redirect carries no error ({r.Describe()})");
            default:
                return NonceRequired.NotApplicable($"no answer to judge: {outcome.Describe()}");
        }
    }

    public static CheckResult EvaluateTokenType(AuthorizationResponse? response)
    {
        if (response is null || response.Error is not null || response.AccessToken is null)
            return TokenType.NotApplicable("no access token in the authorization response");
        return (response.Get("token_type") switch
        {
            null => TokenType.Violation("token_type is missing next to the access_token"),
            var t => TokenType.Require(string.Equals(t, "Bearer", StringComparison.OrdinalIgnoreCase), $"token_type is '{t}', not Bearer"),
        }).Observed("token_type", "Bearer (case-insensitive)", response.Get("token_type"));
    }

    public static CheckResult EvaluateExpiresIn(AuthorizationResponse? response)
    {
        if (response is null || response.Error is not null || response.AccessToken is null)
            return ExpiresIn.NotApplicable("no access token in the authorization response");
        return (response.Get("expires_in") switch
        {
            null => ExpiresIn.Violation("expires_in is missing: the client cannot know the access token's lifetime"),
            var v => ExpiresIn.Require(long.TryParse(v, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var s) && s > 0,
                $"expires_in is '{v}', not a positive integer number of seconds", $"expires_in {v}"),
        }).Observed("expires_in", "a positive integer", response.Get("expires_in"));
    }

    public static CheckResult EvaluateNoRefreshToken(AuthorizationResponse? response)
    {
        if (response is null || response.Error is not null) return NoRefreshToken.NotApplicable("no successful authorization response");
        var leaked = new[] { response.Parameters, response.OtherParameters }.SelectMany(p => p).Any(p => p.Key == "refresh_token");
        return NoRefreshToken.Require(!leaked, "the authorization response carries a refresh_token (a long-lived credential exposed in the browser)")
            .Observed("refresh_token", Observation.Absent, leaked ? Observation.Redacted : null);
    }

    public static CheckResult EvaluateIdTokenOnly(AuthorizationResponse? response)
    {
        if (response is null || response.Error is not null || response.IdToken is null)
            return IdTokenOnly.NotApplicable("no successful id_token response");
        var extra = new[] { "code", "access_token", "token_type" }.Where(response.Has).ToList();
        return IdTokenOnly.Require(extra.Count == 0, $"response_type=id_token also returned {string.Join(", ", extra)}")
            .Observed("other artifacts", "none", extra.Count == 0 ? "none" : string.Join(", ", extra));
    }

    /// <param name="scope">The scope whose claims are compared (one execution per scope).</param>
    /// <param name="expected">The profile's claim → value table for that scope and user.</param>
    /// <param name="granted">Whether the scope was requested (and so granted) in the flow.</param>
    /// <param name="userTable">The test user's claim table, read only as "which attributes this user has" (StandardClaims.JudgeScope).</param>
    public static CheckResult EvaluateIdTokenScopeClaims(DecodedJwt idToken, string scope,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> userTable, bool granted)
    {
        if (!granted) return IdTokenScopeClaims.NotApplicable($"scope {scope} was not requested").WithCase(scope);
        if (!idToken.IsValid) return IdTokenScopeClaims.NotApplicable($"no decodable ID token: {idToken.Problem}").WithCase(scope);
        var j = StandardClaims.JudgeScope(scope, idToken.Claim, userTable);
        if (j.Problems.Count > 0)
            return IdTokenScopeClaims.Violation($"scope {scope} in the ID token of response_type=id_token: " + string.Join("; ", j.Problems)).WithCase(scope);
        if (j.Delivered.Count > 0)
            return IdTokenScopeClaims.Pass($"scope {scope}: {string.Join(", ", j.Delivered)} in the ID token under the §5.4 names with their §5.1 types").WithCase(scope);
        return IdTokenScopeClaims.NotApplicable($"the profile says the test user has no {scope} attributes, and none is in the ID token").WithCase(scope);
    }

    public static CheckResult EvaluateIssSubIdentical(DecodedJwt frontChannel, DecodedJwt backChannel)
    {
        if (!frontChannel.IsValid) return IssSubIdentical.NotApplicable($"no authorization-endpoint ID token ({frontChannel.Problem})");
        if (!backChannel.IsValid) return IssSubIdentical.NotApplicable($"no token-endpoint ID token ({backChannel.Problem})");
        var problems = new List<string>();
        foreach (var claim in new[] { "iss", "sub" })
        {
            var a = frontChannel.Claim(claim)?.GetRawText();
            var b = backChannel.Claim(claim)?.GetRawText();
            if (a != b) problems.Add($"{claim} is {a ?? "(missing)"} from the authorization endpoint but {b ?? "(missing)"} from the token endpoint");
        }
        return IssSubIdentical.Require(problems.Count == 0, string.Join("; ", problems))
            .Observed("iss", Observe.Json(backChannel.Claim("iss")), Observe.Json(frontChannel.Claim("iss")))
            .Observed("sub", Observe.Json(backChannel.Claim("sub")), Observe.Json(frontChannel.Claim("sub")));
    }

    public static CheckResult EvaluateFormPost(AuthorizationRequest request, AuthorizationOutcome outcome)
    {
        if (request.Get("response_mode") != "form_post") return FormPost.NotApplicable("the request did not ask for response_mode=form_post");
        if (outcome.End != AuthorizationEnd.Redirected) return FormPost.Violation(outcome.Describe());
        var response = outcome.Response!;
        if (response.Location != ResponseLocation.FormPost)
            return FormPost.Violation($"the response arrived in the {Where(response.Location)} instead of an HTTP POST ({response.Describe()})")
                .Observed("response location", Where(ResponseLocation.FormPost), Where(response.Location));
        if (outcome.Hit is { } hit && hit.Form.Count == 0)
            return FormPost.Violation("the POST to the redirect URI carries no application/x-www-form-urlencoded parameters");
        var leaked = response.OtherParameters.Where(p => ArtifactParameters.Contains(p.Key)).Select(p => p.Key).Distinct().ToList();
        return FormPost.Require(leaked.Count == 0, $"the form_post response also put {string.Join(", ", leaked)} in the query or fragment",
            $"POSTed: {string.Join(", ", response.Parameters.Select(p => p.Key).Distinct())}");
    }

    public static CheckResult EvaluateSubStable(string? firstSub, string? secondSub)
    {
        if (firstSub is null) return SubStable.NotApplicable("the first login gave no ID token sub");
        if (secondSub is null) return SubStable.NotApplicable("the second login gave no ID token sub");
        return SubStable.Require(firstSub == secondSub, $"the same user got sub '{firstSub}' at one login and '{secondSub}' at another",
            "the same sub at both logins");
    }

    private static string Where(ResponseLocation l) => l switch
    {
        ResponseLocation.Query => "query",
        ResponseLocation.Fragment => "fragment",
        _ => "form_post body",
    };
}
