using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Checks;

namespace OidcConformance.Baselines;

/// <summary>One expected verdict: a check execution (check id + case) that is not Passed on this provider version, and why.</summary>
public sealed record BaselineEntry(string Check, string? Case, Verdict Expected, string Reason, string? Source)
{
    /// <summary>Other verdicts accepted when the same check and case run more than once (e.g. a generic suite and a provider-specific one); optional "expectedAlso".</summary>
    public IReadOnlyList<Verdict> ExpectedAlso { get; init; } = [];
}

/// <summary>
/// A provider version's expected verdicts, <c>fixtures/baselines/&lt;provider&gt;-&lt;version&gt;.json</c>:
/// <c>{"provider","version","description"?,"entries":[{"check","case","expected","expectedAlso"?,"reason","source"}],"uncheckedDeviations"?:[…]}</c>.
/// One format, read the same way by the run, the unit tests and <c>baseline-update</c>: every expected verdict is an
/// entry (Inconclusive-by-design ones included) and every check execution without an entry is expected to pass.
/// Nothing else may hold an expected verdict: unknown top-level or entry members are refused (a list the run does not
/// read once made a real nightly red with 102 false regressions), and <c>uncheckedDeviations</c> (documentation of
/// real deviations no check sees yet) carries a requirement level, never a verdict. Optional members are kept as they
/// are when the file is rewritten.
/// </summary>
public sealed class Baseline
{
    public required string Provider { get; init; }
    public required string Version { get; init; }
    public required IReadOnlyList<BaselineEntry> Entries { get; init; }
    /// <summary>The file it was read from (absolute), or null for one built in memory.</summary>
    public string? Path { get; init; }
    /// <summary>Top-level members other than provider, version and entries, preserved verbatim.</summary>
    public JsonObject Extra { get; init; } = new();

    public static string DefaultPath(string repositoryRoot, string provider, string version) =>
        System.IO.Path.Combine(repositoryRoot, "fixtures", "baselines", $"{provider}-{version}.json");

    public static string Key(string check, string? @case) => @case is null ? check : $"{check} [{@case}]";

    public BaselineEntry? Find(string check, string? @case) =>
        Entries.FirstOrDefault(e => e.Check == check && e.Case == @case);

    /// <summary>Top-level members of a baseline file; anything else is refused by <see cref="Load"/>.</summary>
    public static readonly IReadOnlyList<string> DocumentedMembers = ["provider", "version", "description", "entries", UncheckedDeviations];

    /// <summary>Members of an entry.</summary>
    public static readonly IReadOnlyList<string> EntryMembers = ["check", "case", "expected", "expectedAlso", "reason", "source"];

    /// <summary>
    /// Optional documentation: <c>[{"slug","level","deviation","source","whyNoCheck"}]</c>, real deviations of the provider
    /// version that no check observes yet. <c>level</c> is the requirement (MUST/SHOULD) it breaks, not a verdict:
    /// the run compares nothing against this list.
    /// </summary>
    public const string UncheckedDeviations = "uncheckedDeviations";

    public static readonly IReadOnlyList<string> UncheckedDeviationMembers = ["slug", "level", "deviation", "source", "whyNoCheck"];

    public static Baseline Load(string path)
    {
        JsonObject root;
        try { root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new BaselineException($"{path}: not a JSON object"); }
        catch (JsonException e) { throw new BaselineException($"{path}: not valid JSON: {e.Message}"); }
        string Str(JsonObject o, string name, string where) =>
            o[name] is JsonValue v && v.TryGetValue<string>(out var s) ? s : throw new BaselineException($"{path}: {where}.{name} must be a string");
        foreach (var (k, _) in root)
            if (!DocumentedMembers.Contains(k))
                throw new BaselineException($"{path}: unknown top-level member '{k}' (documented: {string.Join(", ", DocumentedMembers)}); every expected verdict is an entry of 'entries', the only list the run reads");
        if (root["description"] is { } d && !(d is JsonValue dv && dv.TryGetValue<string>(out _)))
            throw new BaselineException($"{path}: $.description must be a string");
        CheckUncheckedDeviations(path, root[UncheckedDeviations]);
        var entries = new List<BaselineEntry>();
        if (root["entries"] is not JsonArray list) throw new BaselineException($"{path}: entries must be an array");
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"entries[{i}]";
            if (list[i] is not JsonObject e) throw new BaselineException($"{path}: {where} must be an object");
            foreach (var (k, _) in e)
                if (!EntryMembers.Contains(k)) throw new BaselineException($"{path}: {where} has unknown member '{k}' (known: {string.Join(", ", EntryMembers)})");
            var expectedText = Str(e, "expected", where);
            if (!Enum.TryParse<Verdict>(expectedText, out var expected) || expected is Verdict.Error)
                throw new BaselineException($"{path}: {where}.expected '{expectedText}' must be Failed, Warning, Inconclusive (or Passed)");
            var @case = e["case"] is JsonValue c && c.TryGetValue<string>(out var cs) ? cs : null;
            var source = e["source"] is JsonValue s && s.TryGetValue<string>(out var ss) ? ss : null;
            var also = (e["expectedAlso"] as JsonArray ?? []).Select(x => Enum.TryParse<Verdict>((string?)x, out var v) && v != Verdict.Error ? v
                : throw new BaselineException($"{path}: {where}.expectedAlso holds '{x}'")).ToList();
            entries.Add(new BaselineEntry(Str(e, "check", where), @case, expected, e["reason"]?.GetValue<string>() ?? "", source) { ExpectedAlso = also });
        }
        var extra = new JsonObject();
        foreach (var (k, v) in root)
            if (k is not ("provider" or "version" or "entries")) extra[k] = v?.DeepClone();
        return new Baseline
        {
            Provider = Str(root, "provider", "$"), Version = Str(root, "version", "$"), Entries = entries,
            Path = System.IO.Path.GetFullPath(path), Extra = extra,
        };
    }

    private static void CheckUncheckedDeviations(string path, JsonNode? node)
    {
        if (node is null) return;
        if (node is not JsonArray list) throw new BaselineException($"{path}: {UncheckedDeviations} must be an array");
        for (var i = 0; i < list.Count; i++)
        {
            var where = $"{UncheckedDeviations}[{i}]";
            if (list[i] is not JsonObject o) throw new BaselineException($"{path}: {where} must be an object");
            foreach (var (k, _) in o)
                if (!UncheckedDeviationMembers.Contains(k))
                    throw new BaselineException($"{path}: {where} has unknown member '{k}' (known: {string.Join(", ", UncheckedDeviationMembers)}; an expected verdict belongs in 'entries')");
            foreach (var k in UncheckedDeviationMembers)
                if (!(o[k] is JsonValue v && v.TryGetValue<string>(out var s) && s.Length > 0))
                    throw new BaselineException($"{path}: {where}.{k} must be a non-empty string");
            if ((string?)o["level"] is not ("MUST" or "SHOULD"))
                throw new BaselineException($"{path}: {where}.level must be MUST or SHOULD (the requirement it breaks, not a verdict)");
        }
    }

    public string ToJson()
    {
        var root = new JsonObject
        {
            ["provider"] = Provider,
            ["version"] = Version,
        };
        if (Extra["description"] is { } description) root["description"] = description.DeepClone();
        root["entries"] = new JsonArray(Entries.Select(JsonNode (e) =>
            {
                var o = new JsonObject { ["check"] = e.Check, ["case"] = e.Case, ["expected"] = e.Expected.ToString() };
                if (e.ExpectedAlso.Count > 0) o["expectedAlso"] = new JsonArray(e.ExpectedAlso.Select(v => (JsonNode)v.ToString()).ToArray());
                o["reason"] = e.Reason;
                o["source"] = e.Source;
                return o;
            }).ToArray());
        foreach (var (k, v) in Extra) if (k != "description") root[k] = v?.DeepClone();
        return root.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }) + "\n";
    }

    public void Save(string path) => File.WriteAllText(path, ToJson());

    /// <summary>How a verdict relates to this baseline (a check without an entry is expected to pass).</summary>
    public BaselineComparison Compare(string check, string? @case, Verdict actual)
    {
        var entry = Find(check, @case);
        var expected = entry?.Expected ?? Verdict.Passed;
        // An Error is no verdict (a harness failure, a provider outage): neither a regression nor an improvement of the check.
        var status = actual == Verdict.Error ? BaselineStatus.NotCompared
            : entry is not null && entry.ExpectedAlso.Contains(actual) ? BaselineStatus.AsExpected
            : Rank(actual) == Rank(expected) ? BaselineStatus.AsExpected
            : Rank(actual) > Rank(expected) ? BaselineStatus.Regressed : BaselineStatus.Improved;
        return new BaselineComparison(status, expected, entry);
    }

    /// <summary>Verdicts from best to worst: Passed, Inconclusive (not verified), Warning (SHOULD), Failed (MUST), Error.</summary>
    public static int Rank(Verdict v) => v switch
    {
        Verdict.Passed => 0, Verdict.Inconclusive => 1, Verdict.Warning => 2, Verdict.Failed => 3, _ => 4,
    };
}

public enum BaselineStatus
{
    /// <summary>The verdict is the one the baseline expects (Passed when it has no entry).</summary>
    AsExpected,
    /// <summary>Worse than the baseline: the run fails.</summary>
    Regressed,
    /// <summary>Better than the baseline: the run fails until the baseline is updated.</summary>
    Improved,
    /// <summary>No verdict to compare (an Error): the run is incomplete for this execution, which says nothing about the check.</summary>
    NotCompared,
}

public sealed record BaselineComparison(BaselineStatus Status, Verdict Expected, BaselineEntry? Entry)
{
    public string StatusText => Status switch
    {
        BaselineStatus.AsExpected => "as expected",
        BaselineStatus.Regressed => "regressed",
        BaselineStatus.NotCompared => "not compared (Error: run incomplete)",
        _ => "improved",
    };
}

public sealed class BaselineException(string message) : Exception(message);
