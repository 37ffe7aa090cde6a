using System.Text;
using OidcConformance.Run;

namespace OidcConformance.Reporting;

/// <summary>
/// How the reports state a provider outage: first, before any verdict, because a run the provider dropped out of is not a
/// conformance result. Its Errors are listed so that a reader knows which executions to run again.
/// </summary>
public static class OutageSummary
{
    /// <summary>The sentences report.md and report.html lead with (none when the provider stayed reachable).</summary>
    public static IReadOnlyList<string> Headline(IReadOnlyList<ProviderOutage> outages) =>
        outages.Select(o => Redact(char.ToUpperInvariant(o.Describe()[0]) + o.Describe()[1..] + ".")).ToList();

    /// <summary>The report.json "outages" member: null when there was none.</summary>
    public static object? Json(IReadOnlyList<ProviderOutage> outages, int errors) => outages.Count == 0 ? null : outages.Select(o => new
    {
        channel = o.Channel, start = o.Start, end = o.End, back = o.End is not null, executionsBefore = o.ExecutionsBefore,
        cause = Redact(o.Cause), errors = o.Affected.Count, executions = o.Affected, summary = Redact(o.Describe()),
    }).ToList();

    public static string Markdown(IReadOnlyList<ProviderOutage> outages)
    {
        if (outages.Count == 0) return "";
        var sb = new StringBuilder();
        foreach (var line in Headline(outages)) sb.AppendLine($"> **⚠ PROVIDER OUTAGE — not a conformance result.** {Cell(line)}");
        sb.AppendLine(">");
        sb.AppendLine("> The executions that fell into the gap are Errors (no verdict about the provider); run them again once it is reachable:");
        foreach (var o in outages)
            sb.AppendLine($"> {string.Join(", ", o.Affected.Take(40).Select(a => $"`{a}`"))}{(o.Affected.Count > 40 ? $" and {o.Affected.Count - 40} more" : "")}{(o.Affected.Count == 0 ? "(none)" : "")}");
        sb.AppendLine();
        return sb.ToString();
    }

    public static string Html(IReadOnlyList<ProviderOutage> outages)
    {
        if (outages.Count == 0) return "";
        var sb = new StringBuilder("<div class=\"banner bad\"><b>Provider outage — not a conformance result.</b><ul>");
        foreach (var (o, line) in outages.Zip(Headline(outages)))
            sb.Append($"<li>{E(line)}<br><span class=\"st\">executions in the gap (Errors): {E(string.Join(", ", o.Affected))}</span></li>");
        sb.Append("</ul></div>");
        return sb.ToString();
    }

    private static string Redact(string s) => Http.Redactor.Redact(s);
    private static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
    private static string Cell(string s) => s.Replace("\r", "").Replace("\n", " ");
}
