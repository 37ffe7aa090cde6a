using System.Text.Json.Nodes;

namespace OidcConformance.Reporting;

/// <summary>One result as read back from a report.json.</summary>
public sealed record ReportedResult(string Id, string? Case, string Title, string Area, string Spec, string Level, string Verdict,
    string Reason, string? KnownDeviation, string? BaselineStatus)
{
    public string Key => Case is null ? Id : $"{Id} [{Case}]";

    /// <summary>The values the verdict rested on (report.json "observations"; empty for older reports and checks that record none).</summary>
    public IReadOnlyList<OidcConformance.Checks.Observation> Observations { get; init; } = [];

    internal static IReadOnlyList<OidcConformance.Checks.Observation> ReadObservations(JsonNode? node)
    {
        string? N(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        return (node as JsonArray ?? []).OfType<JsonObject>()
            .Select(o => new OidcConformance.Checks.Observation(N(o["what"]) ?? "", N(o["expected"]), N(o["actual"]))).ToList();
    }
}

/// <summary>A report.json read back (for the baseline update and the migration diff); accepts schema 1 files with or without the later additions.</summary>
public sealed class ReportFile
{
    public required string Path { get; init; }
    public required string Provider { get; init; }
    public required string Version { get; init; }
    public required string Issuer { get; init; }
    public required bool Complete { get; init; }
    public string? SetupError { get; init; }
    public required IReadOnlyList<ReportedResult> Results { get; init; }
    /// <summary>Behaviour facts (null for reports written before they existed).</summary>
    public JsonObject? Facts { get; init; }
    public DateTimeOffset? Started { get; init; }
    /// <summary>The "Relying-party interop" cells (report.json "interop"; for older reports, derived from the interop results).</summary>
    public IReadOnlyList<InteropReportCell> Interop { get; init; } = [];

    private static IReadOnlyList<InteropReportCell> ReadInterop(JsonObject? section, IReadOnlyList<ReportedResult> results)
    {
        string? N(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        if (section?["libraries"] is JsonArray libraries)
            return libraries.OfType<JsonObject>().SelectMany(l => (l["cells"] as JsonArray ?? []).OfType<JsonObject>().Select(c => new InteropReportCell(
                N(l["id"]) ?? "", N(l["name"]) ?? "", N(c["step"]) ?? "", N(c["check"]) ?? "", N(c["status"]) ?? "", N(c["detail"]) ?? "", N(c["baseline"])))).ToList();
        return results.Select(r => (r, parsed: OidcConformance.Interop.InteropChecks.Parse(r.Id))).Where(x => x.parsed is not null)
            .Select(x => new InteropReportCell(x.parsed!.Value.Library.Id, x.parsed.Value.Library.Name, x.parsed.Value.Step, x.r.Id,
                OidcConformance.Interop.InteropChecks.StatusOf(x.r.Verdict, x.r.Reason) ?? "Error", InteropSection.Detail(x.r.Reason), x.r.BaselineStatus)).ToList();
    }

    public static ReportFile Load(string path)
    {
        var root = JsonNode.Parse(File.ReadAllText(path)) as JsonObject ?? throw new InvalidDataException($"{path}: not a JSON object");
        var schema = (string?)root["schema"];
        if (schema is null || !schema.StartsWith("oidc-conformance-report/", StringComparison.Ordinal))
            throw new InvalidDataException($"{path}: not an oidc-conformance report (schema '{schema}')");
        string S(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : "";
        string? N(JsonNode? n) => n is JsonValue v && v.TryGetValue<string>(out var s) ? s : null;
        var provider = root["provider"] as JsonObject;
        var results = (root["results"] as JsonArray ?? []).OfType<JsonObject>().Select(r => new ReportedResult(
            S(r["id"]), N(r["case"]), S(r["title"]), S(r["area"]), S(r["spec"]), S(r["level"]), S(r["verdict"]), S(r["reason"]),
            N(r["knownDeviation"]), N((r["baseline"] as JsonObject)?["status"])) { Observations = ReportedResult.ReadObservations(r["observations"]) }).ToList();
        return new ReportFile
        {
            Path = System.IO.Path.GetFullPath(path), Provider = S(provider?["name"]), Version = S(provider?["version"]), Issuer = S(provider?["issuer"]),
            Complete = root["complete"] is JsonValue c && c.TryGetValue<bool>(out var b) && b, SetupError = N(root["setupError"]),
            Results = results, Facts = root["facts"] as JsonObject,
            Started = root["started"] is JsonValue st && st.TryGetValue<DateTimeOffset>(out var d) ? d : null,
            Interop = ReadInterop(root["interop"] as JsonObject, results),
        };
    }
}
