using System.Net;
using System.Text;
using OidcConformance.Interop;

namespace OidcConformance.Reporting;

/// <summary>One cell of the "Relying-party interop" section, as written to and read back from report.json.</summary>
public sealed record InteropReportCell(string Library, string LibraryName, string Step, string Check, string Status, string Detail, string? Baseline = null)
{
    /// <summary>"Works", "Broken", "Not offered", "Not reached", or "Error" (the harness could not run the library: no statement).</summary>
    public bool IsBroken => Status == "Broken";
}

/// <summary>
/// The "Relying-party interop" section of report.json/md/html: the interop checks' executions (<see cref="InteropChecks"/>)
/// as a matrix of libraries × steps, each cell Works / Broken (with the library's own error text) / Not offered / Not reached.
/// Built from the report's entries, so it is redacted like them and follows the same baseline comparison.
/// </summary>
public static class InteropSection
{
    public const string Title = "Relying-party interop";

    public static IReadOnlyList<InteropReportCell> Cells(IEnumerable<ReportEntry> entries) =>
        entries.Select(e => (e, parsed: InteropChecks.Parse(e.Result.Check.Id))).Where(x => x.parsed is not null)
            .Select(x => new InteropReportCell(x.parsed!.Value.Library.Id, x.parsed.Value.Library.Name, x.parsed.Value.Step, x.e.Result.Check.Id,
                InteropChecks.StatusOf(x.e.Result.Verdict.ToString(), x.e.Result.Reason) ?? "Error", Detail(x.e.Result.Reason),
                x.e.Baseline?.StatusText))
            .OrderBy(c => LibraryOrder(c.Library)).ThenBy(c => StepOrder(c.Step)).ToList();

    /// <summary>The verdict reason without its "works: " / "broken: " / "not offered: " prefix.</summary>
    public static string Detail(string reason)
    {
        foreach (var prefix in new[] { "works: ", "broken: ", "not offered: ", "not reached: " })
            if (reason.StartsWith(prefix, StringComparison.Ordinal)) return reason[prefix.Length..];
        return reason;
    }

    public static int StepOrder(string step) { var i = InteropChecks.Steps.ToList().FindIndex(s => s.Step == step); return i < 0 ? 99 : i; }
    private static int LibraryOrder(string id) { var i = InteropLibraries.All.ToList().FindIndex(l => l.Id == id); return i < 0 ? 99 : i; }
    /// <summary>A step's title; for a hybrid row (<paramref name="library"/>) the hybrid step's own title.</summary>
    public static string StepTitle(string step, string? library = null) =>
        (InteropLibraries.Find(library ?? "")?.Hybrid == true ? InteropChecks.HybridSteps : InteropChecks.Steps).FirstOrDefault(s => s.Step == step).Title
        ?? InteropChecks.Steps.FirstOrDefault(s => s.Step == step).Title ?? step;

    /// <summary>report.json "interop" (null when the run had no interop executions).</summary>
    public static object? Json(IEnumerable<ReportEntry> entries)
    {
        var cells = Cells(entries);
        if (cells.Count == 0) return null;
        return new
        {
            title = Title,
            libraries = cells.GroupBy(c => c.Library).Select(g => new
            {
                id = g.Key, name = g.First().LibraryName, package = InteropLibraries.Find(g.Key)?.Package,
                cells = g.Select(c => new { step = c.Step, check = c.Check, status = c.Status, detail = Redact(c.Detail), baseline = c.Baseline }),
            }),
        };
    }

    private static string Redact(string s) => Http.Redactor.Redact(s);

    private static string Mark(string status) => status switch
    {
        "Works" => "✅ Works", "Broken" => "❌ Broken", "Not offered" => "➖ Not offered", "Not reached" => "⏸ Not reached", _ => "⚠ Error (no verdict)",
    };

    public static string Markdown(IEnumerable<ReportEntry> entries)
    {
        var cells = Cells(entries);
        if (cells.Count == 0) return "";
        var libraries = cells.Select(c => (c.Library, c.LibraryName)).Distinct().ToList();
        var sb = new StringBuilder();
        sb.AppendLine($"## {Title}");
        sb.AppendLine();
        sb.AppendLine("Real relying-party libraries, configured as their documentation says, running their normal login against this provider (one login each).");
        sb.AppendLine();
        sb.AppendLine($"| Step | {string.Join(" | ", libraries.Select(l => Cell(l.LibraryName)))} |");
        sb.AppendLine($"|---|{string.Concat(libraries.Select(_ => "---|"))}");
        foreach (var step in cells.Select(c => c.Step).Distinct().OrderBy(StepOrder))
            sb.AppendLine($"| {Cell(StepTitle(step))} | {string.Join(" | ", libraries.Select(l => cells.FirstOrDefault(c => c.Library == l.Library && c.Step == step) is { } c ? Mark(c.Status) : ""))} |");
        sb.AppendLine();
        if (libraries.Any(l => InteropLibraries.Find(l.Library)?.Hybrid == true))
        {
            sb.AppendLine($"Hybrid columns: {string.Join("; ", InteropChecks.HybridSteps.Take(2).Select(s => $"{StepTitle(s.Step)} = {s.Title}"))}. A blank cell is not a step of that column.");
            sb.AppendLine();
        }
        foreach (var c in cells.Where(c => c.Status is "Broken" or "Error" or "Not reached"))
            sb.AppendLine($"- **{Cell(c.LibraryName)}**, {StepTitle(c.Step, c.Library)} — {c.Status}{(c.Baseline is null or "as expected" ? "" : $" ({c.Baseline})")}: {Cell(Clip(c.Detail))}");
        sb.AppendLine();
        return sb.ToString();
    }

    public static string Html(IEnumerable<ReportEntry> entries)
    {
        var cells = Cells(entries);
        if (cells.Count == 0) return "";
        var libraries = cells.Select(c => (c.Library, c.LibraryName)).Distinct().ToList();
        var sb = new StringBuilder();
        sb.Append($"<h2 id=\"interop\">{E(Title)}</h2><table><tr><th>Step</th>");
        foreach (var l in libraries) sb.Append($"<th>{E(l.LibraryName)}</th>");
        sb.Append("</tr>");
        foreach (var step in cells.Select(c => c.Step).Distinct().OrderBy(StepOrder))
        {
            sb.Append($"<tr><td>{E(StepTitle(step))}</td>");
            foreach (var l in libraries)
            {
                var c = cells.FirstOrDefault(x => x.Library == l.Library && x.Step == step);
                sb.Append(c is null ? "<td></td>" : $"<td title=\"{E(c.Detail)}\">{E(Mark(c.Status))}{(c.Status is "Works" or "Not offered" ? "" : $"<br><small>{E(Clip(c.Detail))}</small>")}</td>");
            }
            sb.Append("</tr>");
        }
        sb.Append("</table>");
        if (libraries.Any(l => InteropLibraries.Find(l.Library)?.Hybrid == true))
            sb.Append($"<p><small>Hybrid columns: {E(string.Join("; ", InteropChecks.HybridSteps.Take(2).Select(s => $"{StepTitle(s.Step)} = {s.Title}")))}. A blank cell is not a step of that column.</small></p>");
        return sb.ToString();
    }

    private static string Clip(string s) => s.Length > 400 ? s[..400] + "…" : s;
    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");
    private static string E(string s) => WebUtility.HtmlEncode(s);
}
