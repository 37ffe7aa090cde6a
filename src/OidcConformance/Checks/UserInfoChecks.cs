using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>UserInfo endpoint checks (OIDC Core 1.0 §5.3, §5.4).</summary>
public static class UserInfoChecks
{
    private const string Area = "UserInfo";

    public static readonly CheckDefinition GetBearer = new("userinfo.get-bearer",
        "GET with the access token as Bearer header returns 200 and a JSON object with a content type", Area,
        "OIDC Core 1.0 §5.3.1, §5.3.2; RFC 6750 §2.1", RequirementLevel.Must);

    public static readonly CheckDefinition SubMatches = new("userinfo.sub-matches-id-token",
        "sub is present and equals the ID token's sub", Area, "OIDC Core 1.0 §5.3.2", RequirementLevel.Must);

    public static readonly CheckDefinition ScopeClaims = new("userinfo.scope-claims",
        "Each granted scope's claims are returned with the profile's values and JSON types (claim-mapping table)", Area,
        "OIDC Core 1.0 §5.4, §5.1", RequirementLevel.Must);

    public static CheckResult EvaluateGetBearer(HttpExchange exchange)
    {
        var body = JsonBody.From(exchange);
        if (exchange.TransportError is not null) return GetBearer.Violation($"no response: {exchange.TransportError}");
        if (exchange.StatusCode != 200) return GetBearer.Violation($"{exchange.Summary}: expected 200" + (body.String("error") is { } e ? $", error '{e}'" : ""));
        if (exchange.ContentType is null) return GetBearer.Violation("no Content-Type header (§5.3.2 requires one)");
        if (exchange.ContentType.StartsWith("application/jwt", StringComparison.OrdinalIgnoreCase))
            return GetBearer.NotApplicable("signed/encrypted UserInfo (application/jwt) is not evaluated by this check");
        if (!body.IsObject) return GetBearer.Violation($"{exchange.Summary}: {body.Problem}");
        return GetBearer.Require(exchange.IsJsonContentType, $"Content-Type '{exchange.ContentType}' is not application/json");
    }

    public static CheckResult EvaluateSubMatches(JsonBody userinfo, string? idTokenSub)
    {
        if (!userinfo.IsObject) return SubMatches.NotApplicable($"no UserInfo JSON ({userinfo.Problem})");
        if (idTokenSub is null) return SubMatches.NotApplicable("no ID token sub to compare with");
        return userinfo.Get("sub") switch
        {
            null => SubMatches.Violation("sub is missing from the UserInfo response"),
            { ValueKind: JsonValueKind.String } s => SubMatches.Require(s.GetString() == idTokenSub,
                $"UserInfo sub '{s.GetString()}' differs from the ID token's '{idTokenSub}'"),
            var v => SubMatches.Violation($"sub is a JSON {JsonCompare.TypeName(v.Value)}, not a string"),
        };
    }

    /// <param name="scope">The scope whose claims are compared (one execution per scope).</param>
    /// <param name="expected">The profile's claim → value table for that scope and user.</param>
    /// <param name="granted">Whether the scope was requested and granted in the flow that issued the token.</param>
    public static CheckResult EvaluateScopeClaims(JsonBody userinfo, string scope, IReadOnlyDictionary<string, JsonElement>? expected, bool granted)
    {
        if (!granted) return ScopeClaims.NotApplicable($"scope {scope} was not granted in this flow").WithCase(scope);
        if (expected is null || expected.Count == 0) return ScopeClaims.NotApplicable($"the profile lists no claims for scope {scope}").WithCase(scope);
        if (!userinfo.IsObject) return ScopeClaims.NotApplicable($"no UserInfo JSON ({userinfo.Problem})").WithCase(scope);
        var problems = new List<string>();
        foreach (var (claim, want) in expected)
        {
            if (userinfo.Get(claim) is not { } got) { problems.Add($"{claim} missing"); continue; }
            if (JsonCompare.TypeName(got) != JsonCompare.TypeName(want))
                problems.Add($"{claim} is a JSON {JsonCompare.TypeName(got)} ({JsonCompare.Short(got)}), expected {JsonCompare.TypeName(want)}");
            else if (!JsonCompare.Equal(got, want))
                problems.Add($"{claim} is {JsonCompare.Short(got)}, expected {JsonCompare.Short(want)}");
        }
        return ScopeClaims.Require(problems.Count == 0, $"scope {scope}: " + string.Join("; ", problems),
            $"scope {scope}: {expected.Count} claim(s) as mapped").WithCase(scope);
    }
}
