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
        [
            new(SpecDocument.OpenIdConnectCore, "5.3.1"),
            new(SpecDocument.OpenIdConnectCore, "5.3.2"),
            new(SpecDocument.Rfc6750, "2.1"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-userinfo-get"] };

    public static readonly CheckDefinition SubMatches = new("userinfo.sub-matches-id-token",
        "sub is present and equals the ID token's sub", Area, [new(SpecDocument.OpenIdConnectCore, "5.3.2")], RequirementLevel.Must) { OidfModules = ["oidcc-userinfo-get"] };

    public static readonly CheckDefinition ScopeClaims = new("userinfo.scope-claims",
        "Each granted standard scope returns its claims under the OIDC Core §5.4 names with their §5.1 types, for the attributes the test user has",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "5.4", "profile → name … updated_at, email → email, email_verified, address → address, phone → phone_number, phone_number_verified"),
            new(SpecDocument.OpenIdConnectCore, "5.1", "types"),
        ],
        RequirementLevel.Should) {
            OidfModules = ["oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all"],
            Note = "SHOULD: §5.4 requests these as Voluntary Claims (§5.5.1), so an OP may withhold any of them; the MUST on their types is userinfo.standard-claim-types. The profile only says which attributes the user has",
        };

    public static readonly CheckDefinition ClaimMappingAsDocumented = new("userinfo.claim-mapping-as-documented",
        "Regression: each granted scope's claims equal the provider's documented claim mapping (the profile's users[].claims table: names, values, JSON types)",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "5.4", "the standard claims of each scope, which the documented mapping may deviate from"),
            new(SpecDocument.OpenIdConnectCore, "5.1", "claim types"),
        ],
        RequirementLevel.Should) {
            Note = "Provider documentation (profile users[].claims), not an OIDC Core requirement: a regression check of the provider's own mapping, which may deviate from the standard (that is judged by userinfo.scope-claims and userinfo.standard-claim-types)",
        };

    public static CheckResult EvaluateGetBearer(HttpExchange exchange) =>
        JudgeGetBearer(exchange).Observed("HTTP status", "200", Observe.StatusOf(exchange))
            .Observed("Content-Type", "application/json", exchange.TransportError is null ? exchange.ContentType : null);

    private static CheckResult JudgeGetBearer(HttpExchange exchange)
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
        return (userinfo.Get("sub") switch
        {
            null => SubMatches.Violation("sub is missing from the UserInfo response"),
            { ValueKind: JsonValueKind.String } s => SubMatches.Require(s.GetString() == idTokenSub,
                $"UserInfo sub '{s.GetString()}' differs from the ID token's '{idTokenSub}'"),
            var v => SubMatches.Violation($"sub is a JSON {JsonCompare.TypeName(v.Value)}, not a string"),
        }).Observed("sub", idTokenSub, Observe.Json(userinfo.Get("sub")));
    }

    /// <param name="scope">The standard scope judged (one execution per scope).</param>
    /// <param name="userTable">The test user's claim table, read only as "which attributes this user has" (StandardClaims.JudgeScope).</param>
    /// <param name="granted">Whether the scope was requested and granted in the flow that issued the token.</param>
    public static CheckResult EvaluateScopeClaims(JsonBody userinfo, string scope,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> userTable, bool granted)
    {
        if (!granted) return ScopeClaims.NotApplicable($"scope {scope} was not granted in this flow").WithCase(scope);
        if (!userinfo.IsObject) return ScopeClaims.NotApplicable($"no UserInfo JSON ({userinfo.Problem})").WithCase(scope);
        var j = StandardClaims.JudgeScope(scope, userinfo.Get, userTable);
        if (j.Problems.Count > 0) return ScopeClaims.Violation($"scope {scope}: " + string.Join("; ", j.Problems)).WithCase(scope);
        // A user without any attribute of this scope has nothing this check can credit: data coming back anyway is judged by
        // userinfo.claims-follow-user (the user's own table), not passed here for its names.
        if (!j.UserHasData)
            return ScopeClaims.NotApplicable($"the profile says the test user has no {scope} attributes: nothing to judge" +
                                             (j.Delivered.Count > 0 ? $" (returned anyway: {string.Join(", ", j.Delivered)}; see userinfo.claims-follow-user)" : "")).WithCase(scope);
        if (j.Delivered.Count > 0) return ScopeClaims.Pass($"scope {scope}: {string.Join(", ", j.Delivered)} returned under the §5.4 names with their §5.1 types").WithCase(scope);
        return ScopeClaims.NotApplicable($"the profile says the test user has no {scope} attributes, and none was returned: nothing to judge").WithCase(scope);
    }

    /// <param name="scope">The scope whose claims are compared (one execution per scope).</param>
    /// <param name="expected">The profile's claim → value table for that scope and user.</param>
    /// <param name="granted">Whether the scope was requested and granted in the flow that issued the token.</param>
    public static CheckResult EvaluateClaimMapping(JsonBody userinfo, string scope, IReadOnlyDictionary<string, JsonElement>? expected, bool granted)
    {
        var def = ClaimMappingAsDocumented;
        if (!granted) return def.NotApplicable($"scope {scope} was not granted in this flow").WithCase(scope);
        if (expected is null || expected.Count == 0) return def.NotApplicable($"the profile documents no claims for scope {scope}").WithCase(scope);
        if (!userinfo.IsObject) return def.NotApplicable($"no UserInfo JSON ({userinfo.Problem})").WithCase(scope);
        var problems = new List<string>();
        var observed = new List<Observation>();
        foreach (var (claim, want) in expected)
        {
            // Each documented claim as expected/actual: the profile's values are the test user's, not secrets.
            observed.Add(new Observation(claim, want.ValueKind == JsonValueKind.Null ? Observation.Absent : JsonCompare.Short(want),
                userinfo.Get(claim) is { } have ? JsonCompare.Short(have) : null));
            if (want.ValueKind == JsonValueKind.Null)
            {
                // declared null: the user has no such attribute, so the documented mapping returns nothing for it
                if (userinfo.Get(claim) is { } extra && StandardClaims.Carries(extra)) problems.Add($"{claim} is {JsonCompare.Short(extra)}, expected none (profile: null)");
                continue;
            }
            if (userinfo.Get(claim) is not { } got) { problems.Add($"{claim} missing"); continue; }
            if (JsonCompare.TypeName(got) != JsonCompare.TypeName(want))
                problems.Add($"{claim} is a JSON {JsonCompare.TypeName(got)} ({JsonCompare.Short(got)}), expected {JsonCompare.TypeName(want)}");
            else if (!JsonCompare.Equal(got, want))
                problems.Add($"{claim} is {JsonCompare.Short(got)}, expected {JsonCompare.Short(want)}");
        }
        return def.Require(problems.Count == 0, $"scope {scope}, against the documented mapping: " + string.Join("; ", problems),
            $"scope {scope}: {expected.Count} claim(s) as documented in the profile (a regression check, not a spec verdict)").WithCase(scope).Observed([.. observed]);
    }
}
