using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Baselines;
using OidcConformance.Checks;
using OidcConformance.Reporting;

namespace OidcConformance.Migration;

/// <summary>A check execution whose verdict differs between the two runs (null: not run on that side).</summary>
public sealed record VerdictChange(string Check, string? Case, string Title, string Level, string? A, string? B, string? AReason, string? BReason)
{
    public string Key => Baseline.Key(Check, Case);
    /// <summary>The values each side's verdict rested on, side by side (report.json "observations").</summary>
    public IReadOnlyList<ValueChange> Values { get; init; } = [];
}

/// <summary>One observed value of a check execution on both sides: what, what was expected (on B, or A), and the actual values (null: absent or not recorded).</summary>
public sealed record ValueChange(string What, string? ExpectedA, string? ExpectedB, string? A, string? B)
{
    public string? Expected => ExpectedB ?? ExpectedA;
}

/// <summary>A check execution with the same verdict on both sides whose observed values differ (e.g. another error code).</summary>
public sealed record ObservedValueChange(string Check, string? Case, string Title, string Verdict, IReadOnlyList<ValueChange> Values)
{
    public string Key => Baseline.Key(Check, Case);
}

/// <summary>A behaviour fact that differs: its path in report.json "facts" and the two values (null: absent on that side).</summary>
public sealed record FactChange(string Path, string? A, string? B);

/// <summary>The same negative request answered differently (status and error code).</summary>
public sealed record ErrorChange(string Check, string? Case, string Purpose, string Request, string? A, string? B);

/// <summary>A relying-party interop cell whose status differs (null: the cell is not in that run).</summary>
public sealed record InteropChange(string Library, string LibraryName, string Step, string? A, string? B, string? ADetail, string? BDetail)
{
    /// <summary>One line as the migration report's headline says it, e.g. "on B, ASP.NET Core's handler fails at ID token validation: IDX10214 …".</summary>
    public string Describe(string nameA, string nameB)
    {
        var step = InteropSection.StepTitle(Step, Library);
        return B switch
        {
            "Broken" => $"**on {nameB}, {LibraryName} fails at {step}**: {Clip(BDetail ?? "")} (on {nameA}: {A ?? "not run"})",
            "Works" => $"on {nameB}, {LibraryName} works at {step} ({A ?? "not run"} on {nameA}{(A == "Broken" ? $": {Clip(ADetail ?? "")}" : "")})",
            null => $"{LibraryName}, {step}: not run on {nameB} ({A} on {nameA})",
            _ => $"on {nameB}, {LibraryName}, {step}: {B}{(BDetail is null ? "" : $" ({Clip(BDetail)})")}; on {nameA}: {A ?? "not run"}",
        };
    }

    private static string Clip(string s) => s.Length > 240 ? s[..240] + "…" : s;
}

/// <summary>
/// Compares two runs (two providers, or two versions of one) from their report.json files and says first what a
/// relying party that works with A will see differently on B, then every verdict change, then behaviour that changed
/// even where both pass (from the "facts" section: claims per scope, sub format, token formats and lifetimes,
/// discovery metadata, error statuses and codes of the negative cases).
/// </summary>
public sealed class MigrationDiff
{
    public const string Schema = "oidc-conformance-migration/1";
    public required ReportFile A { get; init; }
    public required ReportFile B { get; init; }
    public required IReadOnlyList<string> Headline { get; init; }
    public required IReadOnlyList<VerdictChange> VerdictChanges { get; init; }
    public required IReadOnlyList<FactChange> FactChanges { get; init; }
    public required IReadOnlyList<ErrorChange> ErrorChanges { get; init; }
    /// <summary>Relying-party interop cells (report.json "interop") whose status differs between the runs; an Error is no status and is not compared.</summary>
    public IReadOnlyList<InteropChange> InteropChanges { get; init; } = [];
    /// <summary>Executions with the same verdict on both runs but different observed values (report.json "observations").</summary>
    public IReadOnlyList<ObservedValueChange> ValueChanges { get; init; } = [];

    public string NameA => $"{A.Provider} {A.Version}";
    public string NameB => $"{B.Provider} {B.Version}";

    public static MigrationDiff Compare(ReportFile a, ReportFile b)
    {
        var va = Worst(a);
        var vb = Worst(b);
        var changes = va.Keys.Union(vb.Keys).Order(StringComparer.Ordinal)
            .Select(k => (k, ra: va.GetValueOrDefault(k), rb: vb.GetValueOrDefault(k)))
            .Where(x => x.ra?.Verdict != x.rb?.Verdict)
            // An Error is no verdict (a harness failure, a provider outage): not a change of the check on either side.
            .Where(x => x.ra?.Verdict != nameof(Verdict.Error) && x.rb?.Verdict != nameof(Verdict.Error))
            .Select(x =>
            {
                var any = x.ra ?? x.rb!;
                return new VerdictChange(any.Id, any.Case, any.Title, any.Level, x.ra?.Verdict, x.rb?.Verdict, x.ra?.Reason, x.rb?.Reason)
                    { Values = ValueRows(x.ra, x.rb, onlyDiffering: false) };
            }).ToList();
        var valueChanges = ValueChangesOf(va, vb);

        var fa = Flatten(a.Facts);
        var fb = Flatten(b.Facts);
        var factChanges = fa.Keys.Union(fb.Keys).Where(k => !k.StartsWith("errors", StringComparison.Ordinal)).Order(StringComparer.Ordinal)
            .Select(k => new FactChange(k, fa.GetValueOrDefault(k), fb.GetValueOrDefault(k))).Where(c => c.A != c.B).ToList();

        var ea = Errors(a.Facts);
        var eb = Errors(b.Facts);
        var errorChanges = ea.Keys.Intersect(eb.Keys).Order(StringComparer.Ordinal)
            .Where(k => ea[k].Answer != eb[k].Answer)
            .Select(k => new ErrorChange(ea[k].Check, ea[k].Case, ea[k].Purpose, ea[k].Request, ea[k].Answer, eb[k].Answer)).ToList();

        var interop = InteropDiff(a, b);
        var headline = Headline_(a, b, changes, factChanges, errorChanges);
        if (ValueHeadline(valueChanges, $"{a.Provider} {a.Version}", $"{b.Provider} {b.Version}") is { } valueLine)
            headline = headline.Count == 1 && headline[0].StartsWith("No difference", StringComparison.Ordinal) ? [valueLine] : [.. headline, valueLine];
        // What an application will notice first: its library's login breaking (or starting to work) on B.
        var (nameA, nameB) = ($"{a.Provider} {a.Version}", $"{b.Provider} {b.Version}");
        var interopLines = interop.Where(c => c.B != "Not reached").OrderBy(c => c.B == "Broken" ? 0 : 1).Select(c => c.Describe(nameA, nameB)).ToList();
        // Steps a library no longer reaches follow from the step that broke: one line per library, not one per step.
        foreach (var g in interop.Where(c => c.B == "Not reached").GroupBy(c => c.LibraryName))
            interopLines.Add($"on {nameB}, {g.Key} does not reach {List(g.Select(c => InteropSection.StepTitle(c.Step)).ToList())} (an earlier step broke; on {nameA}: {string.Join("/", g.Select(c => c.A ?? "not run").Distinct())})");
        if (interopLines.Count > 0 && headline.Count == 1 && headline[0].StartsWith("No difference", StringComparison.Ordinal)) headline = [];
        return new MigrationDiff
        {
            A = a, B = b, VerdictChanges = changes, FactChanges = factChanges, ErrorChanges = errorChanges, InteropChanges = interop, ValueChanges = valueChanges,
            Headline = [.. interopLines, .. headline],
        };
    }

    /// <summary>Executions with one verdict on both sides (no Error) whose observed values differ.</summary>
    private static List<ObservedValueChange> ValueChangesOf(Dictionary<string, ReportedResult> va, Dictionary<string, ReportedResult> vb) =>
        va.Keys.Intersect(vb.Keys).Order(StringComparer.Ordinal)
            .Select(k => (ra: va[k], rb: vb[k]))
            .Where(x => x.ra.Verdict == x.rb.Verdict && x.ra.Verdict != nameof(Verdict.Error))
            .Select(x => new ObservedValueChange(x.ra.Id, x.ra.Case, x.ra.Title, x.ra.Verdict, ValueRows(x.ra, x.rb, onlyDiffering: true)))
            .Where(c => c.Values.Count > 0).ToList();

    /// <summary>
    /// The observed values of one execution on both sides, paired by what was observed (the n-th "error" with the n-th).
    /// A value differs when the actual values differ, unless each side got exactly what it expected there (the issuer
    /// or the nonce of each run: different values, same behaviour).
    /// </summary>
    public static IReadOnlyList<ValueChange> ValueRows(ReportedResult? a, ReportedResult? b, bool onlyDiffering)
    {
        static List<(string Key, OidcConformance.Checks.Observation O)> Keyed(ReportedResult? r) =>
            (r?.Observations ?? []).GroupBy(o => o.What).SelectMany(g => g.Select((o, i) => (i == 0 ? g.Key : $"{g.Key}#{i + 1}", o))).ToList();
        var (ka, kb) = (Keyed(a), Keyed(b));
        var keys = ka.Select(x => x.Key).Concat(kb.Select(x => x.Key)).Distinct().ToList();
        var rows = new List<ValueChange>();
        foreach (var key in keys)
        {
            var oa = ka.FirstOrDefault(x => x.Key == key).O;
            var ob = kb.FirstOrDefault(x => x.Key == key).O;
            var row = new ValueChange((oa ?? ob)!.What, oa?.Expected, ob?.Expected, oa?.Actual, ob?.Actual);
            if (onlyDiffering && !Differs(oa, ob)) continue;
            rows.Add(row);
        }
        return rows;
    }

    private static bool Differs(OidcConformance.Checks.Observation? a, OidcConformance.Checks.Observation? b)
    {
        if (a is null || b is null) return true;
        if (a.Actual == b.Actual) return false;
        var bothAsExpected = a.Expected is not null && b.Expected is not null && a.Actual == a.Expected && b.Actual == b.Expected;
        return !bothAsExpected;
    }

    private static string? ValueHeadline(IReadOnlyList<ObservedValueChange> changes, string nameA, string nameB)
    {
        if (changes.Count == 0) return null;
        static string Row(ValueChange v) => $"{v.What} {v.A ?? "(absent)"} → {v.B ?? "(absent)"}";
        return $"**{changes.Count} executions have the same verdict on {nameA} and {nameB} but other observed values**, e.g. " +
               string.Join("; ", changes.Take(4).Select(c => $"`{c.Key}`: {string.Join(", ", c.Values.Take(3).Select(Row))}")) + ".";
    }

    private static List<InteropChange> InteropDiff(ReportFile a, ReportFile b)
    {
        static Dictionary<string, InteropReportCell> ByKey(ReportFile r) =>
            r.Interop.Where(c => c.Status != "Error").GroupBy(c => $"{c.Library}|{c.Step}").ToDictionary(g => g.Key, g => g.First());
        var (ia, ib) = (ByKey(a), ByKey(b));
        var errored = a.Interop.Concat(b.Interop).Where(c => c.Status == "Error").Select(c => $"{c.Library}|{c.Step}").ToHashSet();
        return ia.Keys.Union(ib.Keys).Where(k => !errored.Contains(k))
            .Select(k => (x: ia.GetValueOrDefault(k), y: ib.GetValueOrDefault(k)))
            .Where(p => p.x?.Status != p.y?.Status)
            .Select(p => { var any = p.x ?? p.y!; return new InteropChange(any.Library, any.LibraryName, any.Step, p.x?.Status, p.y?.Status, p.x?.Detail, p.y?.Detail); })
            .OrderBy(c => c.Library, StringComparer.Ordinal).ThenBy(c => InteropSection.StepOrder(c.Step)).ToList();
    }

    private static Dictionary<string, ReportedResult> Worst(ReportFile r) =>
        r.Results.GroupBy(x => x.Key).ToDictionary(g => g.Key,
            g => g.OrderByDescending(x => Enum.TryParse<Verdict>(x.Verdict, out var v) ? Baseline.Rank(v) : 9).First());

    private sealed record ErrorFact(string Check, string? Case, string Purpose, string Request, string Answer);

    private static Dictionary<string, ErrorFact> Errors(JsonObject? facts)
    {
        var map = new Dictionary<string, ErrorFact>(StringComparer.Ordinal);
        foreach (var e in (facts?["errors"] as JsonArray ?? []).OfType<JsonObject>())
        {
            var f = new ErrorFact((string?)e["check"] ?? "", (string?)e["case"], (string?)e["purpose"] ?? "", (string?)e["request"] ?? "",
                $"{e["status"]} {(string?)e["error"]}");
            var key = $"{f.Check}|{f.Case}|{f.Purpose}";
            if (map.TryGetValue(key, out var old)) map[key] = old with { Answer = old.Answer + "; " + f.Answer };
            else map[key] = f;
        }
        return map;
    }

    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Leaf values of the facts by path (arrays of scalars are one leaf, rendered as JSON).</summary>
    public static Dictionary<string, string> Flatten(JsonNode? node)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        void Walk(JsonNode? n, string path)
        {
            switch (n)
            {
                case JsonObject o:
                    foreach (var (k, child) in o) Walk(child, path.Length == 0 ? k : $"{path}.{k}");
                    break;
                case JsonArray arr when arr.All(x => x is JsonValue or null):
                    map[path] = arr.ToJsonString(Relaxed);
                    break;
                case JsonArray arr:
                    for (var i = 0; i < arr.Count; i++) Walk(arr[i], $"{path}[{i}]");
                    break;
                case null:
                    map[path] = "null";
                    break;
                default:
                    map[path] = n is JsonValue v && v.TryGetValue<string>(out var s) ? s : n.ToJsonString();
                    break;
            }
        }
        Walk(node, "");
        return map;
    }

    private static List<string> Headline_(ReportFile a, ReportFile b, List<VerdictChange> verdicts, List<FactChange> facts, List<ErrorChange> errors)
    {
        var lines = new List<string>();
        string A = $"{a.Provider} {a.Version}", B = $"{b.Provider} {b.Version}";
        foreach (var (side, name) in new[] { (a, A), (b, B) })
        {
            var errored = side.Results.Where(r => r.Verdict == nameof(Verdict.Error)).Select(r => r.Key).Distinct().ToList();
            if (errored.Count > 0)
                lines.Add($"**The run of {name} is incomplete: {errored.Count} executions are Errors** (no verdict: a harness failure or the provider " +
                          $"was unreachable), so they are not compared: {List(errored.Select(e => $"`{e}`").ToList())}. Run them again before deciding.");
        }
        if (a.Facts is null || b.Facts is null)
            lines.Add($"Behaviour facts are missing from {(a.Facts is null ? A : B)}'s report (written before facts existed): only verdicts are compared.");
        var sub = facts.FirstOrDefault(f => f.Path == "sub.format");
        if (sub is not null)
            lines.Add($"**Subject identifiers change format**: `sub` is {sub.A ?? "absent"} on {A} but {sub.B ?? "absent"} on {B}. Accounts an RP keyed by (iss, sub) will not match; plan a mapping (e.g. by verified email) before switching.");
        foreach (var group in facts.Where(f => f.Path.StartsWith("idToken.claimsByScope.", StringComparison.Ordinal) || f.Path.StartsWith("userinfo.claimsByScope.", StringComparison.Ordinal))
                     .GroupBy(f => f.Path[..f.Path.IndexOf('.')]))
        {
            var where = group.Key == "idToken" ? "ID token" : "userinfo response";
            var missing = group.Where(f => f.A is not null && f.B is null).Select(ClaimName).Distinct().ToList();
            var added = group.Where(f => f.A is null && f.B is not null).Select(ClaimName).Distinct().ToList();
            var retyped = group.Where(f => f.A is not null && f.B is not null).Select(f => $"{ClaimName(f)} ({f.A} → {f.B})").Distinct().ToList();
            if (missing.Count > 0) lines.Add($"**{where} claims missing on {B}** that {A} sends for the same scope: {List(missing)}.");
            if (retyped.Count > 0) lines.Add($"**{where} claims change JSON type**: {List(retyped)}.");
            if (added.Count > 0) lines.Add($"{where} claims that only {B} sends: {List(added)}.");
        }
        var tokens = facts.Where(f => f.Path.StartsWith("tokenEndpoint.", StringComparison.Ordinal) || f.Path.StartsWith("idToken.header", StringComparison.Ordinal) || f.Path.StartsWith("idToken.lifetime", StringComparison.Ordinal)).ToList();
        foreach (var f in tokens.Where(f => f.Path.EndsWith("accessTokenFormat", StringComparison.Ordinal) || f.Path.EndsWith("expiresIn", StringComparison.Ordinal)
                                           || f.Path.EndsWith("refreshTokenFormat", StringComparison.Ordinal) || f.Path.Contains("lifetime", StringComparison.Ordinal) || f.Path.EndsWith("header.alg", StringComparison.Ordinal)))
            lines.Add($"Tokens: `{f.Path}` is {f.A ?? "absent"} on {A}, {f.B ?? "absent"} on {B}.");
        if (errors.Count > 0)
        {
            var statusChanges = errors.Count(e => StatusOf(e.A) != StatusOf(e.B));
            lines.Add($"**Error responses differ in {errors.Count} negative cases** ({statusChanges} with a different HTTP status), e.g. " +
                      string.Join("; ", errors.Take(4).Select(e => $"{e.Request} in `{Baseline.Key(e.Check, e.Case)}`: {e.A} → {e.B}")) + ". RPs that branch on error codes must be checked.");
        }
        var disc = facts.Where(f => f.Path.StartsWith("discovery.", StringComparison.Ordinal)).ToList();
        var lost = disc.Where(f => f.B is null && f.A is not null).Select(f => f.Path["discovery.".Length..]).ToList();
        if (lost.Count > 0) lines.Add($"Discovery metadata {A} publishes and {B} does not: {List(lost)}.");
        foreach (var f in disc.Where(f => f.A is not null && f.B is not null && f.Path.EndsWith("_supported", StringComparison.Ordinal)))
        {
            var name = f.Path["discovery.".Length..];
            var (ra, rb) = (ParseList(f.A!), ParseList(f.B!));
            if (ra is null || rb is null)
            {
                // A single value (a boolean such as claims_parameter_supported): say what it is on each side.
                if (f.A != f.B) lines.Add($"`{name}` is {f.A} on {A}, {f.B} on {B}.");
                continue;
            }
            // A response type is a set of space-separated values ("id_token token" = "token id_token", OAuth 2.0 Multiple
            // Response Type Encoding Practices §5); other lists compare value by value.
            if (name == "response_types_supported") (ra, rb) = (ra.Select(SortedWords).ToList(), rb.Select(SortedWords).ToList());
            var gone = ra.Except(rb).ToList();
            if (gone.Count > 0) lines.Add($"`{name}`: {B} drops {List(gone)}.");
        }
        var worse = verdicts.Where(v => v.A == nameof(Verdict.Passed) && v.B is nameof(Verdict.Failed) or nameof(Verdict.Warning)).ToList();
        if (worse.Count > 0)
            lines.Add($"**{worse.Count} checks that pass on {A} fail or warn on {B}**: {List(worse.Select(v => $"`{v.Key}` ({v.B})").ToList())}.");
        var better = verdicts.Where(v => v.B == nameof(Verdict.Passed) && v.A is nameof(Verdict.Failed) or nameof(Verdict.Warning)).ToList();
        if (better.Count > 0)
            lines.Add($"{better.Count} checks that fail or warn on {A} pass on {B}: {List(better.Select(v => $"`{v.Key}`").ToList())}.");
        if (lines.Count == 0) lines.Add($"No difference in verdicts or recorded behaviour between {A} and {B}.");
        return lines;
    }

    private static string? StatusOf(string? answer) => answer?.Split(' ')[0];
    private static string ClaimName(FactChange f) => f.Path[(f.Path.LastIndexOf('.') + 1)..];
    private static string List(IReadOnlyList<string> items) =>
        items.Count <= 12 ? string.Join(", ", items) : string.Join(", ", items.Take(12)) + $" and {items.Count - 12} more";

    /// <summary>The items of a JSON array (as JSON), or null when the value is not an array.</summary>
    private static List<string>? ParseList(string json)
    {
        try { return (JsonNode.Parse(json) as JsonArray)?.Select(x => x?.ToJsonString() ?? "null").ToList(); }
        catch (JsonException) { return null; }
    }

    private static string SortedWords(string jsonString) =>
        JsonNode.Parse(jsonString) is JsonValue v && v.TryGetValue<string>(out var words)
            ? System.Text.Json.JsonSerializer.Serialize(string.Join(' ', words.Split(' ', StringSplitOptions.RemoveEmptyEntries).Order(StringComparer.Ordinal)))
            : jsonString;

    public string ToMarkdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# Migration: {NameA} → {NameB}");
        sb.AppendLine();
        sb.AppendLine($"A: `{Reporting.RunReport.DisplayPath(A.Path)}` ({A.Results.Count} executions) · B: `{Reporting.RunReport.DisplayPath(B.Path)}` ({B.Results.Count} executions)");
        sb.AppendLine();
        sb.AppendLine($"## What relying parties that work with {NameA} will see differently on {NameB}");
        sb.AppendLine();
        foreach (var line in Headline) sb.AppendLine($"- {line}");
        sb.AppendLine();
        sb.AppendLine($"## {InteropSection.Title} ({InteropChanges.Count} differences)");
        sb.AppendLine();
        if (InteropChanges.Count > 0)
        {
            sb.AppendLine($"| Library | Step | {Cell(NameA)} | {Cell(NameB)} | What the library said on B (or A) |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (var c in InteropChanges)
                sb.AppendLine($"| {Cell(c.LibraryName)} | {Cell(InteropSection.StepTitle(c.Step, c.Library))} | {c.A ?? "(not run)"} | {c.B ?? "(not run)"} | {Cell(Clip((c.B is "Broken" or "Not reached" ? c.BDetail : c.ADetail) ?? c.BDetail ?? ""))} |");
            sb.AppendLine();
        }
        sb.AppendLine($"## Verdict changes ({VerdictChanges.Count})");
        sb.AppendLine();
        if (VerdictChanges.Count > 0)
        {
            sb.AppendLine($"| Check | Level | {Cell(NameA)} | {Cell(NameB)} | Reason on B (or A) |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (var v in VerdictChanges.OrderBy(v => v.B == nameof(Verdict.Passed) ? 1 : 0).ThenBy(v => v.Key, StringComparer.Ordinal))
                sb.AppendLine($"| `{Cell(v.Key)}`<br>{Cell(v.Title)} | {v.Level} | {v.A ?? "(not run)"} | {v.B ?? "(not run)"} | {Cell(Clip(v.BReason ?? v.AReason ?? ""))} |");
            sb.AppendLine();
        }
        AppendValueSection(sb);
        sb.AppendLine($"## Behaviour that changed ({FactChanges.Count} facts)");
        sb.AppendLine();
        sb.AppendLine("Recorded from the runs' back-channel exchanges (report.json `facts`), also where both pass.");
        sb.AppendLine();
        foreach (var section in FactChanges.GroupBy(f => f.Path.Split('.')[0]))
        {
            sb.AppendLine($"### {section.Key}");
            sb.AppendLine();
            sb.AppendLine($"| Fact | {Cell(NameA)} | {Cell(NameB)} |");
            sb.AppendLine("|---|---|---|");
            foreach (var f in section)
                sb.AppendLine($"| `{Cell(f.Path[(section.Key.Length + 1 > f.Path.Length ? 0 : section.Key.Length + 1)..])}` | {Cell(Clip(f.A ?? "(absent)"))} | {Cell(Clip(f.B ?? "(absent)"))} |");
            sb.AppendLine();
        }
        sb.AppendLine($"## Error responses that changed ({ErrorChanges.Count})");
        sb.AppendLine();
        if (ErrorChanges.Count > 0)
        {
            sb.AppendLine($"| Check | Request | {Cell(NameA)} | {Cell(NameB)} |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var e in ErrorChanges)
                sb.AppendLine($"| `{Cell(Baseline.Key(e.Check, e.Case))}`<br>{Cell(e.Purpose)} | {Cell(e.Request)} | {Cell(e.A ?? "")} | {Cell(e.B ?? "")} |");
            sb.AppendLine();
        }
        return sb.ToString();
    }

    /// <summary>
    /// "Observed values": for every verdict change and every execution whose values changed under the same verdict,
    /// the expected and actual values of both runs side by side (report.json "observations").
    /// </summary>
    private void AppendValueSection(StringBuilder sb)
    {
        var rows = VerdictChanges.Where(v => v.Values.Count > 0).Select(v => (v.Key, Verdicts: $"{v.A ?? "(not run)"} → {v.B ?? "(not run)"}", v.Values))
            .Concat(ValueChanges.Select(c => (c.Key, Verdicts: $"{c.Verdict} (both)", c.Values))).ToList();
        sb.AppendLine($"## Observed values ({rows.Count} executions)");
        sb.AppendLine();
        sb.AppendLine("The values the verdicts rest on, for every verdict change and where the verdict is the same but the values differ.");
        sb.AppendLine();
        if (rows.Count == 0) return;
        sb.AppendLine($"| Check | Verdict | Value | Expected | {Cell(NameA)} | {Cell(NameB)} |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var (key, verdicts, values) in rows)
            foreach (var v in values)
            {
                var expected = v.ExpectedA == v.ExpectedB || v.ExpectedA is null || v.ExpectedB is null ? v.Expected ?? "" : $"{v.ExpectedA} (A) / {v.ExpectedB} (B)";
                sb.AppendLine($"| `{Cell(key)}` | {verdicts} | {Cell(v.What)} | {Cell(Clip(expected))} | {Cell(Clip(v.A ?? "(absent)"))} | {Cell(Clip(v.B ?? "(absent)"))} |");
            }
        sb.AppendLine();
    }

    private static object ValuesJson(IReadOnlyList<ValueChange> values) =>
        values.Select(v => new { what = v.What, expectedA = v.ExpectedA, expectedB = v.ExpectedB, a = v.A, b = v.B });

    public string ToJson()
    {
        var doc = new
        {
            schema = Schema,
            a = new { provider = A.Provider, version = A.Version, report = Reporting.RunReport.DisplayPath(A.Path) },
            b = new { provider = B.Provider, version = B.Version, report = Reporting.RunReport.DisplayPath(B.Path) },
            headline = Headline,
            verdictChanges = VerdictChanges.Select(v => new { check = v.Check, @case = v.Case, title = v.Title, level = v.Level, a = v.A, b = v.B, aReason = v.AReason, bReason = v.BReason, values = ValuesJson(v.Values) }),
            valueChanges = ValueChanges.Select(c => new { check = c.Check, @case = c.Case, title = c.Title, verdict = c.Verdict, values = ValuesJson(c.Values) }),
            factChanges = FactChanges.Select(f => new { path = f.Path, a = f.A, b = f.B }),
            interopChanges = InteropChanges.Select(c => new { library = c.Library, step = c.Step, a = c.A, b = c.B, aDetail = c.ADetail, bDetail = c.BDetail }),
            errorChanges = ErrorChanges.Select(e => new { check = e.Check, @case = e.Case, purpose = e.Purpose, request = e.Request, a = e.A, b = e.B }),
        };
        return JsonSerializer.Serialize(doc, new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    private static string Clip(string s) => s.Length > 300 ? s[..300] + "…" : s;
    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");
}
