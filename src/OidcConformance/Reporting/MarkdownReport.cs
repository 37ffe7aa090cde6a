using System.Text;
using OidcConformance.Baselines;
using OidcConformance.Checks;

namespace OidcConformance.Reporting;

/// <summary>report.md: GitHub-flavoured Markdown that fits a job summary (≤ 1 MiB; evidence is clipped to stay well below).</summary>
public static class MarkdownReport
{
    private const int EvidenceBudget = 600_000;
    private const int EvidencePerItem = 3_000;

    public static string Render(ReportView v)
    {
        var sb = new StringBuilder();
        var results = v.Entries;
        sb.AppendLine($"# OIDC conformance report: {v.Info.Provider} {v.Info.Version}");
        sb.AppendLine();
        sb.Append(OutageSummary.Markdown(v.Outages));
        sb.Append(CoreFlowSummary.Markdown(v.Entries));
        sb.AppendLine($"Issuer `{v.Info.Issuer}` · profile `{v.Info.ProfileFile}` · browser {v.Info.Browser} · {v.Started:yyyy-MM-dd HH:mm} UTC" +
                      (v.Finished is { } f ? $" · {(f - v.Started).TotalSeconds:0} s" : ""));
        sb.AppendLine();
        if (v.SetupError is not null)
        {
            sb.AppendLine($"**The run could not start:** {v.SetupError}");
            sb.AppendLine();
        }
        var counts = Enum.GetValues<Verdict>().Select(x => $"{x}: {results.Count(r => r.Result.Verdict == x)}");
        sb.AppendLine($"**{results.Count} check executions** — {string.Join(" · ", counts)}");
        sb.AppendLine();
        if (v.Baseline is not null)
        {
            var reg = results.Count(e => e.Baseline?.Status == BaselineStatus.Regressed);
            var imp = results.Count(e => e.Baseline?.Status == BaselineStatus.Improved);
            var exp = results.Count(e => e.Baseline?.Status == BaselineStatus.AsExpected && e.Result.Verdict != Verdict.Passed);
            var notCompared = results.Count(e => e.Baseline?.Status == BaselineStatus.NotCompared);
            var incomplete = notCompared == 0 ? "" : $" · **run incomplete: {notCompared} executions are Errors, not compared**";
            sb.AppendLine($"**Regression mode** against `{Rel(v.Baseline.Path)}`: {(reg + imp > 0 ? "❌ differs from the baseline" : notCompared > 0 ? "⚠ incomplete (Errors are not compared)" : "✅ matches the baseline")} — " +
                          $"{reg} regressed · {imp} better than the baseline · {exp} non-passing as expected · {v.NotRun.Count} baseline entries not run{incomplete}");
            if (imp > 0) sb.AppendLine($"\nTo accept the improvements: `./run.sh baseline-update` (with the same runsettings as this run).");
            sb.AppendLine();
        }
        else if (v.BaselineRequested is not null)
        {
            sb.AppendLine($"Regression mode requested (`{v.BaselineRequested}`) but no baseline file exists for {v.Info.Provider} {v.Info.Version}: documented profile deviations warn instead of failing.");
            sb.AppendLine();
        }
        sb.AppendLine("| Area | Passed | Failed | Warning | Inconclusive | Error |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var area in results.GroupBy(r => r.Result.Check.Area).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.AppendLine($"| {area.Key} | {string.Join(" | ", Enum.GetValues<Verdict>().Select(x => area.Count(r => r.Result.Verdict == x)))} |");
        foreach (var level in results.GroupBy(r => RunReport.Level(r.Result.Check)).OrderBy(g => g.Key, StringComparer.Ordinal))
            sb.AppendLine($"| **all {level.Key}** | {string.Join(" | ", Enum.GetValues<Verdict>().Select(x => level.Count(r => r.Result.Verdict == x)))} |");
        sb.AppendLine();
        sb.Append(InteropSection.Markdown(results));
        foreach (var verdict in ReportView.Order)
        {
            var list = results.Where(r => r.Result.Verdict == verdict).OrderBy(r => r.Result.Check.Id, StringComparer.Ordinal).ThenBy(r => r.Result.Case, StringComparer.Ordinal).ToList();
            if (list.Count == 0) continue;
            sb.AppendLine($"## {verdict} ({list.Count})");
            sb.AppendLine();
            sb.AppendLine("| Check | Level | Spec | Reason | Status |");
            sb.AppendLine("|---|---|---|---|---|");
            foreach (var e in list)
            {
                var r = e.Result;
                var why = e.Baseline?.Entry?.Reason ?? r.KnownDeviation;
                sb.AppendLine($"| `{r.Check.Id}`{(r.Case is null ? "" : $" [{Cell(r.Case)}]")}<br>{Cell(r.Check.Title)} | {RunReport.Level(r.Check)} | {SpecLinks.Markdown(r.Check, Cell)} | {Cell(r.Reason)}{ObservationsLine(r)} | " +
                              $"{Cell(ReportView.Status(e) ?? "")}{(why is null || ReportView.Status(e) is null ? "" : $"<br>*{Cell(why)}*")} |");
            }
            sb.AppendLine();
        }
        if (v.NotRun.Count > 0)
        {
            sb.AppendLine($"## Baseline entries not run ({v.NotRun.Count})");
            sb.AppendLine();
            foreach (var b in v.NotRun) sb.AppendLine($"- `{Baseline.Key(b.Check, b.Case)}` expected {b.Expected}");
            sb.AppendLine();
        }
        var noteworthy = results.Where(ReportView.Noteworthy).Where(e => e.Result.Evidence.Count > 0 || e.Attachments.Count > 0).ToList();
        if (noteworthy.Count > 0)
        {
            sb.AppendLine("## Evidence");
            sb.AppendLine();
            var budget = EvidenceBudget;
            foreach (var e in noteworthy)
            {
                sb.AppendLine($"<details><summary><code>{Html(ReportView.Label(e))}</code> — {e.Result.Verdict}{(ReportView.Status(e) is { } s ? $", {Html(s)}" : "")}</summary>");
                sb.AppendLine();
                foreach (var ev in e.Result.Evidence)
                {
                    var content = ev.Content.Length > EvidencePerItem ? ev.Content[..EvidencePerItem] + "\n… (clipped; full text in report.json / report.html)" : ev.Content;
                    if (budget < content.Length) { sb.AppendLine("(more evidence in report.html)"); break; }
                    budget -= content.Length;
                    sb.AppendLine($"**{Html(ev.Label)}**");
                    sb.AppendLine();
                    sb.AppendLine("```text");
                    sb.AppendLine(content.Replace("```", "ˋˋˋ"));
                    sb.AppendLine("```");
                    sb.AppendLine();
                }
                if (e.Attachments.Count > 0) sb.AppendLine($"Failure bundle: {string.Join(", ", e.Attachments.Select(a => $"`{a}`"))}");
                sb.AppendLine("</details>");
                sb.AppendLine();
            }
        }
        return sb.ToString();
    }

    /// <summary>The values the verdict rests on, one compact line under the reason ("error: expected invalid_grant, actual invalid_request").</summary>
    private static string ObservationsLine(CheckResult r) =>
        r.Observations.Count == 0 ? "" : "<br>" + Cell(string.Join(" · ", r.Observations.Select(o => o.Redact().Describe())));

    private static string Rel(string? path) => RunReport.DisplayPath(path) ?? "";
    private static string Html(string s) => System.Net.WebUtility.HtmlEncode(s);
    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");
}
