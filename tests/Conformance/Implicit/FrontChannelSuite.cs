using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Run;

namespace OidcConformance.Suites.Implicit;

/// <summary>
/// Check executions shared by the implicit and hybrid suites: each takes a response type (and response mode) and
/// evaluates one check on the shared flow for it. The flows are run once per run by <see cref="FrontChannelFlow"/>.
/// </summary>
internal static class FrontChannelSuite
{
    /// <summary>ID token checks (OIDC Core §3.2.2.11, §3.3.2.12 → §3.1.3.7) applied to the authorization endpoint's ID token.</summary>
    public static readonly string[] IdTokenChecks = ["jws-compact", "signature-jwks", "iss", "aud", "exp", "iat", "sub", "nonce"];

    public static CheckDefinition IdTokenCheck(string name) => name switch
    {
        "jws-compact" => Checks.IdTokenChecks.WellFormed,
        "signature-jwks" => Checks.IdTokenChecks.Signature,
        "iss" => Checks.IdTokenChecks.Issuer,
        "aud" => Checks.IdTokenChecks.Audience,
        "exp" => Checks.IdTokenChecks.Expiry,
        "iat" => Checks.IdTokenChecks.IssuedAt,
        "sub" => Checks.IdTokenChecks.Subject,
        "nonce" => Checks.IdTokenChecks.Nonce,
        _ => throw new ArgumentOutOfRangeException(nameof(name)),
    };

    public static IEnumerable<TestCaseData> IdTokenCases(IEnumerable<string> responseTypes) =>
        from rt in responseTypes where ResponseTypes.HasIdToken(rt)
        from check in IdTokenChecks
        select new TestCaseData(check, rt).SetArgDisplayNames(check, rt);

    public static async Task<CheckResult> FrontIdTokenAsync(ConformanceRun r, string check, string responseType)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType);
        var jwt = flow.RequireFrontIdToken();
        var e = flow.Expectations(r.Issuer);
        var result = check switch
        {
            "jws-compact" => Checks.IdTokenChecks.EvaluateWellFormed(jwt),
            "signature-jwks" => Checks.IdTokenChecks.EvaluateSignature(jwt, await r.JwksAsync()),
            "iss" => Checks.IdTokenChecks.EvaluateIssuer(jwt, e),
            "aud" => Checks.IdTokenChecks.EvaluateAudience(jwt, e),
            "exp" => Checks.IdTokenChecks.EvaluateExpiry(jwt, e),
            "iat" => Checks.IdTokenChecks.EvaluateIssuedAt(jwt, e),
            "sub" => Checks.IdTokenChecks.EvaluateSubject(jwt, e),
            "nonce" => Checks.IdTokenChecks.EvaluateNonce(jwt, e),
            _ => throw new ArgumentOutOfRangeException(nameof(check)),
        };
        return result.WithCase($"{responseType} (authorization endpoint)").WithEvidence(new Evidence("ID token", jwt.DescribeForEvidence()));
    }

    public static async Task<CheckResult> ResponseParametersAsync(ConformanceRun r, string responseType, string? mode)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType, mode);
        return ImplicitHybridChecks.EvaluateResponseParameters(responseType, flow.Outcome).WithCase(flow.Case);
    }

    public static async Task<CheckResult> StateAsync(ConformanceRun r, string responseType, string? mode)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType, mode);
        return AuthorizationResponseChecks.EvaluateStateEchoed(flow.Request, flow.Response).WithCase(flow.Case);
    }

    public static async Task<CheckResult> FragmentAsync(ConformanceRun r, string responseType)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType);
        return ImplicitHybridChecks.EvaluateFragmentEncoding(flow.Request, flow.Response).WithCase(flow.Case);
    }

    public static async Task<CheckResult> FormPostAsync(ConformanceRun r, string responseType)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType, "form_post");
        return ImplicitHybridChecks.EvaluateFormPost(flow.Request, flow.Outcome).WithCase(flow.Case);
    }

    public static async Task<CheckResult> NonceRequiredAsync(ConformanceRun r, string responseType)
    {
        var flow = await FrontChannelFlow.WithoutNonceAsync(r, responseType);
        var result = ImplicitHybridChecks.EvaluateNonceRequired(flow.Request, flow.Outcome).WithCase(flow.Case);
        // The negative case names the step it changes: "authorization request / nonce: left out" (FrontChannelFlow.WithoutNonceAsync).
        return flow.MutatedStep is { } mutates ? result.WithEvidence(new Evidence("mutates", mutates)) : result;
    }

    public static async Task<CheckResult> NoRefreshTokenAsync(ConformanceRun r, string responseType)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType);
        return ImplicitHybridChecks.EvaluateNoRefreshToken(flow.RequireSuccess()).WithCase(flow.Case);
    }

    public static async Task<CheckResult> TokenTypeAsync(ConformanceRun r, string responseType)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType);
        return ImplicitHybridChecks.EvaluateTokenType(flow.RequireSuccess()).WithCase(flow.Case);
    }

    public static async Task<CheckResult> ExpiresInAsync(ConformanceRun r, string responseType)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType);
        return ImplicitHybridChecks.EvaluateExpiresIn(flow.RequireSuccess()).WithCase(flow.Case);
    }

    public static async Task<CheckResult> AtHashAsync(ConformanceRun r, string responseType)
    {
        var flow = await FrontChannelFlow.SharedAsync(r, responseType);
        var jwt = flow.RequireFrontIdToken();
        return IdTokenHashChecks.EvaluateAtHash(jwt, flow.Response!.AccessToken, required: ResponseTypes.HasToken(responseType))
            .WithCase($"{responseType} (authorization endpoint)").WithEvidence(new Evidence("ID token", jwt.DescribeForEvidence()));
    }

    /// <summary>The access token from the authorization endpoint works at UserInfo, for the user of the front-channel ID token.</summary>
    public static async Task<CheckResult> UserInfoAsync(ConformanceRun r, string responseType, bool compareSub)
    {
        if (!r.Profile.Features.Userinfo) throw new PrerequisiteException("the profile says the provider has no UserInfo endpoint (features.userinfo = false)");
        var flow = await FrontChannelFlow.SharedAsync(r, responseType);
        var token = flow.RequireSuccess().AccessToken ?? throw new PrerequisiteException("no access token in the authorization response");
        var endpoint = await r.EndpointAsync("userinfo_endpoint");
        var exchange = await r.SharedAsync(SharedArtifacts.FrontChannelUserInfo(responseType), () => r.UserInfoGetAsync(endpoint, token));
        if (!compareSub) return UserInfoChecks.EvaluateGetBearer(exchange).WithCase(flow.Case);
        return UserInfoChecks.EvaluateSubMatches(Protocol.JsonBody.From(exchange), flow.RequireFrontIdToken().ClaimString("sub")).WithCase(flow.Case);
    }
}
