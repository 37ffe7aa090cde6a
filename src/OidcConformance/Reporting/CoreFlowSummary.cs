using System.Text;
using OidcConformance.Checks;

namespace OidcConformance.Reporting;

/// <summary>
/// The reports lead with a broken core flow (core.reference-flow Failed): the checks that need it are Inconclusive and a
/// reader skimming the counts would otherwise see a mostly quiet run.
/// </summary>
public static class CoreFlowSummary
{
    public static string? Broken(IReadOnlyList<ReportEntry> entries) => entries
        .Where(e => e.Result.Check.Id == CoreFlowChecks.ReferenceFlow.Id && e.Result.Verdict == Verdict.Failed)
        .Select(e => Http.Redactor.Redact(e.Result.Reason)).FirstOrDefault();

    public static string Markdown(IReadOnlyList<ReportEntry> entries)
    {
        if (Broken(entries) is not { } reason) return "";
        var inconclusive = entries.Count(e => e.Result.Verdict == Verdict.Inconclusive);
        return new StringBuilder()
            .AppendLine($"> **✖ CORE FLOW BROKEN** (`{CoreFlowChecks.ReferenceFlow.Id}`): {reason.Replace("\r", "").Replace("\n", " ")}")
            .AppendLine(">")
            .AppendLine($"> {inconclusive} executions are Inconclusive in this run; many of them only because this step failed.")
            .AppendLine().ToString();
    }

    public static string Html(IReadOnlyList<ReportEntry> entries)
    {
        if (Broken(entries) is not { } reason) return "";
        var inconclusive = entries.Count(e => e.Result.Verdict == Verdict.Inconclusive);
        return $"<div class=\"banner bad\"><b>Core flow broken</b> (<code>{E(CoreFlowChecks.ReferenceFlow.Id)}</code>): {E(reason)}<br>" +
               $"<span class=\"st\">{inconclusive} executions are Inconclusive in this run; many of them only because this step failed.</span></div>";
    }

    private static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
}
