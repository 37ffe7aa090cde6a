using System.Text.Json;

namespace OidcConformance.Checks;

/// <summary>
/// What OpenID Connect Core 1.0 says about the standard claims, and nothing a profile says: the JSON type of each
/// standard claim (§5.1, §5.1.1) and the claim names each standard scope requests (§5.4). A profile may say which
/// attributes a test user HAS (test data); it never decides which names or shapes count as correct.
/// </summary>
public static class StandardClaims
{
    public enum Kind { String, Boolean, Number, Address }

    /// <summary>OIDC Core 1.0 §5.1 table, "Type" column (address: "JSON object", §5.1.1).</summary>
    public static readonly IReadOnlyDictionary<string, Kind> Types = new Dictionary<string, Kind>
    {
        ["sub"] = Kind.String, ["name"] = Kind.String, ["given_name"] = Kind.String, ["family_name"] = Kind.String,
        ["middle_name"] = Kind.String, ["nickname"] = Kind.String, ["preferred_username"] = Kind.String, ["profile"] = Kind.String,
        ["picture"] = Kind.String, ["website"] = Kind.String, ["email"] = Kind.String, ["email_verified"] = Kind.Boolean,
        ["gender"] = Kind.String, ["birthdate"] = Kind.String, ["zoneinfo"] = Kind.String, ["locale"] = Kind.String,
        ["phone_number"] = Kind.String, ["phone_number_verified"] = Kind.Boolean, ["address"] = Kind.Address,
        ["updated_at"] = Kind.Number,
    };

    /// <summary>OIDC Core 1.0 §5.1.1: the members of the Address Claim, all strings.</summary>
    public static readonly IReadOnlyList<string> AddressMembers = ["formatted", "street_address", "locality", "region", "postal_code", "country"];

    /// <summary>OIDC Core 1.0 §5.4: the claims each standard scope value requests.</summary>
    public static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> ByScope = new Dictionary<string, IReadOnlyList<string>>
    {
        ["profile"] = ["name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
            "gender", "birthdate", "zoneinfo", "locale", "updated_at"],
        ["email"] = ["email", "email_verified"],
        ["address"] = ["address"],
        ["phone"] = ["phone_number", "phone_number_verified"],
    };

    public static IReadOnlyList<string> StandardScopesIn(string scope) =>
        scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).Where(ByScope.ContainsKey).Distinct().ToList();

    /// <summary>
    /// Whether a value carries data: null, "" and empty arrays/objects do not (OIDC Core §5.3.2 asks that a claim
    /// not returned be omitted rather than sent null or empty; that is a SHOULD, not a type question).
    /// </summary>
    public static bool Carries(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.Null or JsonValueKind.Undefined => false,
        JsonValueKind.String => v.GetString()!.Length > 0,
        JsonValueKind.Array => v.GetArrayLength() > 0,
        JsonValueKind.Object => v.EnumerateObject().Any(),
        _ => true,
    };

    /// <summary>Why <paramref name="value"/> is not a valid <paramref name="claim"/> (§5.1 / §5.1.1 / §2 for sub), or null.</summary>
    public static string? TypeProblem(string claim, JsonElement value)
    {
        if (!Types.TryGetValue(claim, out var kind) || value.ValueKind == JsonValueKind.Null) return null;
        var got = $"{claim} is a JSON {JsonCompare.TypeName(value)} ({JsonCompare.Short(value)})";
        switch (kind)
        {
            case Kind.String when value.ValueKind != JsonValueKind.String:
                return $"{got}, §5.1 defines a string";
            case Kind.Boolean when value.ValueKind is not (JsonValueKind.True or JsonValueKind.False):
                return $"{got}, §5.1 defines a boolean";
            case Kind.Number when value.ValueKind != JsonValueKind.Number:
                return $"{got}, §5.1 defines a JSON number (seconds since the epoch)";
            case Kind.Address when value.ValueKind != JsonValueKind.Object:
                return $"{got}, §5.1 / §5.1.1 define the Address Claim as a JSON object";
            case Kind.Address:
                var bad = AddressMembers.Where(m => value.TryGetProperty(m, out var mv) && mv.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    .Select(m => $"address.{m} is a JSON {JsonCompare.TypeName(value.GetProperty(m))}").ToList();
                return bad.Count == 0 ? null : string.Join("; ", bad) + " (§5.1.1: address members are strings)";
        }
        if (claim == "sub")
        {
            var sub = value.GetString()!;
            if (sub.Length == 0) return "sub is empty";
            if (sub.Length > 255 || sub.Any(c => c > 127)) return $"sub is not at most 255 ASCII characters ({sub.Length} characters; OIDC Core §2)";
        }
        return null;
    }

    /// <summary>The type problems of every standard claim present in a JSON object (a UserInfo body or JWT claims set).</summary>
    public static IReadOnlyList<string> TypeProblems(JsonElement claims) =>
        Types.Keys.Where(c => claims.TryGetProperty(c, out _)).Select(c => TypeProblem(c, claims.GetProperty(c))).OfType<string>().ToList();

    /// <summary>The standard claims present in a JSON object (for pass reasons: what was judged).</summary>
    public static IReadOnlyList<string> Present(JsonElement claims) => Types.Keys.Where(c => claims.TryGetProperty(c, out _)).ToList();

    /// <summary>How one granted standard scope was served, judged by §5.4 names and §5.1 types.</summary>
    /// <param name="Delivered">Claims of the scope returned with data and the right type.</param>
    /// <param name="Problems">Wrong types, attributes the user has that are missing, data under names §5.4 does not define.</param>
    /// <param name="UserHasData">The profile's test data says the user has at least one attribute for this scope.</param>
    public sealed record ScopeJudgement(string Scope, IReadOnlyList<string> Delivered, IReadOnlyList<string> Problems, bool UserHasData);

    /// <param name="get">Reads a claim from the response (UserInfo body or ID token).</param>
    /// <param name="userTable">The profile's claim table of the test user, read ONLY as "which attributes this user has":
    /// a standard claim name listed under any scope means the user has that attribute; any entry under the scope
    /// itself means the user has data for it (whatever name the provider documents).</param>
    public static ScopeJudgement JudgeScope(string scope, Func<string, JsonElement?> get,
        IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> userTable)
    {
        var names = ByScope[scope];
        // A claim declared null means the user does NOT have that attribute (profile-format.md), so it is not "listed".
        var listed = userTable.Values.SelectMany(t => t).Where(c => c.Value.ValueKind != JsonValueKind.Null).Select(c => c.Key).ToHashSet();
        var userHas = names.Where(listed.Contains).ToList();
        var ownEntries = (userTable.GetValueOrDefault(scope) ?? new Dictionary<string, JsonElement>())
            .Where(c => c.Value.ValueKind != JsonValueKind.Null).ToDictionary(c => c.Key, c => c.Value);
        var hasData = userHas.Count > 0 || ownEntries.Count > 0;

        var delivered = new List<string>();
        var problems = new List<string>();
        foreach (var n in names)
        {
            if (get(n) is not { } v || !Carries(v)) continue;
            if (TypeProblem(n, v) is { } p) problems.Add(p);
            else delivered.Add(n);
        }
        foreach (var n in userHas)
        {
            if (delivered.Contains(n) || get(n) is { } v && Carries(v)) continue; // delivered, or already a type problem
            problems.Add($"{n} missing although the test user has it");
        }
        if (hasData && delivered.Count == 0 && problems.Count == 0)
        {
            // The user has data for this scope only under names the spec does not define: say where it went.
            var elsewhere = ownEntries.Keys.Where(k => !names.Contains(k) && get(k) is { } v && Carries(v)).ToList();
            problems.Add($"none of {string.Join(", ", names)} returned although the test user has {scope} data"
                         + (elsewhere.Count > 0 ? $"; the response carries {string.Join(", ", elsewhere)} instead, a name §5.4 does not define for scope {scope}" : ""));
        }
        return new ScopeJudgement(scope, delivered, problems, hasData);
    }
}
