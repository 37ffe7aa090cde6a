using System.Text.Json;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// Claims that follow the user (issue #19, blind spot 1): the standard claims a provider returns must be THIS user's
/// attributes. A provider that hard-codes a value (email_verified always true) or fills a claim from another attribute
/// or another user passes every name/type check as long as the one test user happens to match the hard-coded value, so
/// these checks run once per profile user (users whose data differ: verified vs unverified e-mail, with and without
/// phone and address) and compare values with that user's claim table.
///
/// What the table says (test data, never the standard): a standard claim name with a value = the user has that
/// attribute with that value; a standard claim name with <c>null</c> = the user does not have that attribute (so no
/// data may come back for it); a claim not listed = unknown (a provider may fill defaults, e.g. a default avatar), not
/// judged. A value whose shape is not the §5.1 one (Casdoor's string address) is the provider's documented mapping,
/// not a value of the standard claim, and is not compared. Absence of a claim the user has is userinfo.scope-claims'
/// matter (§5.4 claims are voluntary), not this check's: absence is never counted as agreement either, so a check
/// that compared nothing is Inconclusive.
///
/// Level MUST: OIDC Core §5.1 defines each claim as the End-User's own attribute (email_verified "true if the
/// End-User's e-mail address has been verified; otherwise false"); a value belonging to someone or something else is a
/// false statement about the user, which relying parties use for account linking (§5.7 warns against trusting
/// unverified e-mail), so it is judged as a violated definition, not as a missing optional claim.
/// </summary>
public static class ClaimsFollowUserChecks
{

    public static readonly CheckDefinition UserInfoFollowsUser = new("userinfo.claims-follow-user",
        "UserInfo standard claims carry this user's own values (run per profile user): no hard-coded value, no value of another attribute or user, no data for an attribute the user does not have",
        "UserInfo", [
            new(SpecDocument.OpenIdConnectCore, "5.1", "each standard claim is the End-User's own attribute; email_verified / phone_number_verified: \"true if … verified; otherwise false\""),
            new(SpecDocument.OpenIdConnectCore, "5.3.2", "UserInfo claims are about the authenticated End-User"),
            new(SpecDocument.OpenIdConnectCore, "2", "ID token claims"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition IdTokenFollowsUser = new("idtoken.claims-follow-user",
        "ID token standard claims carry this user's own values (run per profile user): no hard-coded value, no value of another attribute or user, no data for an attribute the user does not have",
        "ID token", [
            new(SpecDocument.OpenIdConnectCore, "5.1", "each standard claim is the End-User's own attribute; email_verified / phone_number_verified: \"true if … verified; otherwise false\""),
            new(SpecDocument.OpenIdConnectCore, "5.3.2", "UserInfo claims are about the authenticated End-User"),
            new(SpecDocument.OpenIdConnectCore, "2", "ID token claims"),
        ], RequirementLevel.Must);

    /// <summary>The user's declared value of each standard claim (null: declared absent), from every scope of the table.</summary>
    public static IReadOnlyDictionary<string, JsonElement> Declared(TestUser user)
    {
        var result = new Dictionary<string, JsonElement>();
        foreach (var table in user.Claims.Values)
            foreach (var (claim, value) in table)
                if (StandardClaims.Types.ContainsKey(claim) && claim != "sub") result[claim] = value;
        return result;
    }

    public static CheckResult EvaluateUserInfo(JsonBody userinfo, TestUser user, string caseLabel)
    {
        if (!userinfo.IsObject) return UserInfoFollowsUser.NotApplicable($"no UserInfo JSON ({userinfo.Problem})").WithCase(caseLabel);
        return Judge(UserInfoFollowsUser, userinfo.Get, user, "UserInfo").WithCase(caseLabel);
    }

    public static CheckResult EvaluateIdToken(DecodedJwt idToken, TestUser user, string caseLabel)
    {
        if (!idToken.IsValid) return IdTokenFollowsUser.NotApplicable($"no decodable ID token ({idToken.Problem})").WithCase(caseLabel);
        return Judge(IdTokenFollowsUser, idToken.Claim, user, "the ID token").WithCase(caseLabel);
    }

    private static CheckResult Judge(CheckDefinition def, Func<string, JsonElement?> get, TestUser user, string where)
    {
        var compared = new List<string>();
        var problems = new List<string>();
        foreach (var (claim, want) in Declared(user))
        {
            if (get(claim) is not { } got || !StandardClaims.Carries(got)) continue; // absence: scope-claims' matter, not agreement
            if (want.ValueKind == JsonValueKind.Null)
            {
                problems.Add($"{claim} is {JsonCompare.Short(got)} although {user.Username} has no {claim} (profile: null)");
                continue;
            }
            if (StandardClaims.TypeProblem(claim, want) is not null) continue; // the table documents a non-standard shape: no standard value to compare
            if (StandardClaims.TypeProblem(claim, got) is not null) continue;  // a wrong type is userinfo/id-token standard-types' matter
            if (Matches(claim, got, want)) compared.Add(claim == "email_verified" || claim == "phone_number_verified" ? $"{claim}={JsonCompare.Short(got)}" : claim);
            else problems.Add($"{claim} is {JsonCompare.Short(got)}, but {user.Username}'s is {JsonCompare.Short(want)}");
        }
        if (problems.Count > 0)
            return def.Violation($"{where} for {user.Username}: " + string.Join("; ", problems));
        if (compared.Count == 0)
            return def.NotApplicable($"{where} for {user.Username} carries none of the standard claims the profile gives a value or null for: nothing to compare");
        var lacks = Declared(user).Where(c => c.Value.ValueKind == JsonValueKind.Null).Select(c => c.Key).ToList();
        return def.Pass($"{where} for {user.Username}: {string.Join(", ", compared)} equal {user.Username}'s own data in the profile"
                        + (lacks.Count > 0 ? $"; no data for {string.Join(", ", lacks)}, which {user.Username} does not have" : ""));
    }

    /// <summary>Equal values; for address, every member the user has is equal and no member declared null carries data
    /// (a member not listed is unknown: a provider may compose <c>formatted</c> from the others).</summary>
    private static bool Matches(string claim, JsonElement got, JsonElement want)
    {
        if (claim != "address") return JsonCompare.Equal(got, want);
        foreach (var m in StandardClaims.AddressMembers)
        {
            if (!want.TryGetProperty(m, out var w)) continue;
            var gotM = got.TryGetProperty(m, out var g) && StandardClaims.Carries(g);
            if (w.ValueKind == JsonValueKind.Null ? gotM : gotM && !JsonCompare.Equal(g, w)) return false;
        }
        return true;
    }
}
