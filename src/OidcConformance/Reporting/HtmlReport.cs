using System.Text;
using OidcConformance.Baselines;
using OidcConformance.Checks;

namespace OidcConformance.Reporting;

/// <summary>report.html: one self-contained page (inline CSS, no script, no external resource) with the summaries and every check; evidence of failed, warned and baseline-mismatched checks is open.</summary>
public static class HtmlReport
{
    public static string Render(ReportView v)
    {
        var sb = new StringBuilder();
        var results = v.Entries;
        sb.Append("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">");
        sb.Append($"<title>OIDC conformance: {E(v.Info.Provider)} {E(v.Info.Version)}</title><style>");
        sb.Append("""
            body{font:14px/1.45 system-ui,-apple-system,Segoe UI,sans-serif;margin:24px;color:#1f2328;max-width:1400px}
            h1{font-size:22px;margin:0 0 4px}h2{font-size:18px;margin:28px 0 8px;border-bottom:1px solid #d0d7de;padding-bottom:4px}
            .meta{color:#57606a;margin-bottom:16px}table{border-collapse:collapse;margin:8px 0;width:100%}
            th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}th{background:#f6f8fa}
            td.n{text-align:right;width:80px}.summary td.n{font-variant-numeric:tabular-nums}
            .v{font-weight:600;padding:1px 6px;border-radius:4px;white-space:nowrap}
            .Passed{background:#dafbe1;color:#116329}.Failed{background:#ffebe9;color:#a40e26}.Warning{background:#fff8c5;color:#7d4e00}
            .Inconclusive{background:#eaeef2;color:#424a53}.Error{background:#8250df;color:#fff}
            .st{font-size:12px;color:#57606a}.st.bad{color:#a40e26;font-weight:600}.st.ok{color:#116329}
            table.obs{width:auto;font-size:12px;margin:4px 0}table.obs td,table.obs th{padding:1px 6px}
            details{margin:6px 0 12px}summary{cursor:pointer}
            pre{background:#f6f8fa;border:1px solid #d0d7de;padding:8px;overflow-x:auto;white-space:pre-wrap;word-break:break-all;font-size:12px;max-height:480px;overflow-y:auto}
            .banner{padding:8px 12px;border-radius:6px;margin:8px 0}.banner.ok{background:#dafbe1}.banner.bad{background:#ffebe9}.banner.info{background:#ddf4ff}
            code{font-size:13px}
            """);
        sb.Append("</style></head><body>");
        sb.Append($"<h1>OIDC conformance report: {E(v.Info.Provider)} {E(v.Info.Version)}</h1>");
        sb.Append(OutageSummary.Html(v.Outages));
        sb.Append(CoreFlowSummary.Html(v.Entries));
        sb.Append($"<div class=\"meta\">Issuer <code>{E(v.Info.Issuer)}</code> · profile <code>{E(v.Info.ProfileFile)}</code> · browser {E(v.Info.Browser)} · {v.Started:yyyy-MM-dd HH:mm} UTC");
        if (v.Finished is { } f) sb.Append($" · {(f - v.Started).TotalSeconds:0} s");
        sb.Append("</div>");
        if (v.SetupError is not null) sb.Append($"<div class=\"banner bad\"><b>The run could not start:</b> {E(v.SetupError)}</div>");
        if (v.Baseline is not null)
        {
            var reg = results.Count(e => e.Baseline?.Status == BaselineStatus.Regressed);
            var imp = results.Count(e => e.Baseline?.Status == BaselineStatus.Improved);
            var exp = results.Count(e => e.Baseline?.Status == BaselineStatus.AsExpected && e.Result.Verdict != Verdict.Passed);
            var notCompared = results.Count(e => e.Baseline?.Status == BaselineStatus.NotCompared);
            var incomplete = notCompared == 0 ? "" : $" · **run incomplete: {notCompared} executions are Errors, not compared**";
            sb.Append($"<div class=\"banner {(reg + imp + notCompared == 0 ? "ok" : "bad")}\"><b>Regression mode</b> against <code>{E(RunReport.DisplayPath(v.Baseline.Path) ?? "")}</code>: " +
                      $"{reg} regressed · {imp} better than the baseline{(imp > 0 ? " (run <code>./run.sh baseline-update</code>)" : "")} · {exp} non-passing as expected · {v.NotRun.Count} baseline entries not run{incomplete.Replace("**", "")}</div>");
        }
        else if (v.BaselineRequested is not null)
            sb.Append($"<div class=\"banner info\">Regression mode requested (<code>{E(v.BaselineRequested)}</code>) but there is no baseline for this provider version.</div>");

        sb.Append($"<h2>Summary: {results.Count} check executions</h2><table class=\"summary\"><tr><th></th>");
        foreach (var x in Enum.GetValues<Verdict>()) sb.Append($"<th><span class=\"v {x}\">{x}</span></th>");
        sb.Append("</tr>");
        Row("<b>all</b>", results);
        foreach (var level in results.GroupBy(r => RunReport.Level(r.Result.Check)).OrderBy(g => g.Key, StringComparer.Ordinal)) Row($"<b>{level.Key}</b>", level.ToList());
        foreach (var area in results.GroupBy(r => r.Result.Check.Area).OrderBy(g => g.Key, StringComparer.Ordinal)) Row(E(area.Key), area.ToList());
        sb.Append("</table>");
        sb.Append(InteropSection.Html(results));

        foreach (var verdict in ReportView.Order)
        {
            var list = results.Where(r => r.Result.Verdict == verdict).OrderBy(r => r.Result.Check.Id, StringComparer.Ordinal).ThenBy(r => r.Result.Case, StringComparer.Ordinal).ToList();
            if (list.Count == 0) continue;
            sb.Append($"<h2 id=\"{verdict}\"><span class=\"v {verdict}\">{verdict}</span> ({list.Count})</h2>");
            sb.Append("<table><tr><th>Check</th><th>Area</th><th>Level</th><th>Spec</th><th>Reason</th><th>ms</th></tr>");
            foreach (var e in list)
            {
                var r = e.Result;
                sb.Append($"<tr><td><code>{E(r.Check.Id)}</code>{(r.Case is null ? "" : $" [{E(r.Case)}]")}<br>{E(r.Check.Title)}</td><td>{E(r.Check.Area)}</td><td>{RunReport.Level(r.Check)}</td><td>{SpecLinks.Html(r.Check)}</td><td>{E(r.Reason)}");
                if (r.Verdict != Verdict.Passed) sb.Append(ObservationsTable(r));
                if (ReportView.Status(e) is { } s)
                {
                    var cls = e.Baseline?.Status is BaselineStatus.Regressed or BaselineStatus.Improved ? "bad" : "ok";
                    var why = e.Baseline?.Entry?.Reason ?? r.KnownDeviation;
                    sb.Append($"<br><span class=\"st {cls}\">{E(s)}{(why is null ? "" : ": " + E(why))}</span>");
                }
                var observedInEvidence = r.Verdict == Verdict.Passed && r.Observations.Count > 0;
                if (r.Evidence.Count > 0 || e.Attachments.Count > 0 || observedInEvidence)
                {
                    sb.Append($"<details{(ReportView.Noteworthy(e) ? " open" : "")}><summary>evidence ({r.Evidence.Count})</summary>");
                    if (observedInEvidence) sb.Append(ObservationsTable(r));
                    foreach (var ev in r.Evidence) sb.Append($"<div><b>{E(ev.Label)}</b></div><pre>{E(ev.Content)}</pre>");
                    if (e.Attachments.Count > 0) sb.Append($"<div class=\"st\">failure bundle: {string.Join(", ", e.Attachments.Select(a => $"<a href=\"{E(a)}\">{E(a)}</a>"))}</div>");
                    sb.Append("</details>");
                }
                sb.Append($"</td><td class=\"n\">{(long)r.Duration.TotalMilliseconds}</td></tr>");
            }
            sb.Append("</table>");
        }
        if (v.NotRun.Count > 0)
        {
            sb.Append($"<h2>Baseline entries not run ({v.NotRun.Count})</h2><ul>");
            foreach (var b in v.NotRun) sb.Append($"<li><code>{E(Baseline.Key(b.Check, b.Case))}</code> expected {b.Expected}</li>");
            sb.Append("</ul>");
        }
        sb.Append("</body></html>\n");
        return sb.ToString();

        void Row(string label, IReadOnlyList<ReportEntry> list)
        {
            sb.Append($"<tr><td>{label}</td>");
            foreach (var x in Enum.GetValues<Verdict>()) sb.Append($"<td class=\"n\">{list.Count(r => r.Result.Verdict == x)}</td>");
            sb.Append("</tr>");
        }
    }

    /// <summary>The values the verdict rests on as a compact expected/actual table (redacted like the reason).</summary>
    private static string ObservationsTable(CheckResult r)
    {
        if (r.Observations.Count == 0) return "";
        var t = new StringBuilder("<table class=\"obs\"><tr><th>observed</th><th>expected</th><th>actual</th></tr>");
        foreach (var o in r.Observations.Select(o => o.Redact()))
            t.Append($"<tr><td>{E(o.What)}</td><td>{E(o.Expected ?? "")}</td><td>{E(o.Actual ?? Observation.Absent)}</td></tr>");
        return t.Append("</table>").ToString();
    }

    private static string E(string s) => System.Net.WebUtility.HtmlEncode(s);
}
