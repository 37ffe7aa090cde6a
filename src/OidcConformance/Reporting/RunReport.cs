using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;
using OidcConformance.Checks;
using OidcConformance.Http;

namespace OidcConformance.Reporting;

/// <summary>Identifies the run in every report.</summary>
public sealed record RunInfo(string Provider, string Version, string Issuer, string ProfileFile, string Browser);

/// <summary>
/// Collects verdicts and writes <c>report.json</c> after every result (an aborted run keeps what it reached) and
/// <c>report.md</c> at the end. Everything written passes through the redactor.
/// </summary>
public sealed class RunReport
{
    public const string Schema = "oidc-conformance-report/1";
    private readonly object gate = new();
    private readonly List<CheckResult> results = [];
    private readonly string directory;
    private RunInfo info;
    private readonly DateTimeOffset started = DateTimeOffset.UtcNow;
    private string? setupError;

    public string JsonPath => Path.Combine(directory, "report.json");
    public string MarkdownPath => Path.Combine(directory, "report.md");

    public RunReport(string directory, RunInfo info)
    {
        this.directory = directory;
        this.info = info;
        Directory.CreateDirectory(directory);
        WriteJson(complete: false);
    }

    public void UpdateInfo(RunInfo newInfo)
    {
        lock (gate) { info = newInfo; WriteJson(false); }
    }

    public void SetupFailed(string error)
    {
        lock (gate) { setupError = Redactor.Redact(error); WriteJson(false); }
    }

    public IReadOnlyList<CheckResult> Results { get { lock (gate) return results.ToList(); } }

    public void Add(CheckResult result)
    {
        lock (gate)
        {
            results.Add(result);
            WriteJson(complete: false);
        }
    }

    public void Complete()
    {
        lock (gate)
        {
            WriteJson(complete: true);
            File.WriteAllText(MarkdownPath, Markdown());
        }
    }

    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    private void WriteJson(bool complete)
    {
        var doc = new
        {
            schema = Schema,
            complete,
            provider = new { name = info.Provider, version = info.Version, issuer = info.Issuer, profile = info.ProfileFile },
            browser = info.Browser,
            started,
            finished = complete ? DateTimeOffset.UtcNow : (DateTimeOffset?)null,
            setupError,
            summary = Enum.GetValues<Verdict>().ToDictionary(v => v.ToString(), v => results.Count(r => r.Verdict == v)),
            results = results.Select(r => new
            {
                id = r.Check.Id, title = r.Check.Title, area = r.Check.Area, spec = r.Check.Spec,
                level = r.Check.Level == RequirementLevel.Must ? "MUST" : "SHOULD",
                verdict = r.Verdict.ToString(), @case = r.Case, reason = Redactor.Redact(r.Reason),
                durationMs = (long)r.Duration.TotalMilliseconds,
                knownDeviation = r.KnownDeviation is null ? null : Redactor.Redact(r.KnownDeviation),
                evidence = r.Evidence.Count == 0 ? null : r.Evidence.Select(e => new { label = e.Label, content = Redactor.Redact(e.Content) }),
            }),
        };
        var tmp = JsonPath + ".tmp";
        File.WriteAllText(tmp, Redactor.Redact(JsonSerializer.Serialize(doc, JsonOptions)));
        File.Move(tmp, JsonPath, overwrite: true);
    }

    private string Markdown()
    {
        var sb = new StringBuilder();
        sb.AppendLine($"# OIDC conformance report: {info.Provider} {info.Version}");
        sb.AppendLine();
        sb.AppendLine($"Issuer `{info.Issuer}` · profile `{info.ProfileFile}` · browser {info.Browser} · {started:yyyy-MM-dd HH:mm} UTC");
        sb.AppendLine();
        if (setupError is not null)
        {
            sb.AppendLine($"**The run could not start:** {setupError}");
            sb.AppendLine();
        }
        var counts = Enum.GetValues<Verdict>().Select(v => $"{v}: {results.Count(r => r.Verdict == v)}");
        sb.AppendLine($"**{results.Count} check executions** — {string.Join(" · ", counts)}");
        sb.AppendLine();
        sb.AppendLine("| Area | Passed | Failed | Warning | Inconclusive | Error |");
        sb.AppendLine("|---|---|---|---|---|---|");
        foreach (var area in results.GroupBy(r => r.Check.Area).OrderBy(g => g.Key))
            sb.AppendLine($"| {area.Key} | {string.Join(" | ", Enum.GetValues<Verdict>().Select(v => area.Count(r => r.Verdict == v)))} |");
        sb.AppendLine();
        foreach (var verdict in new[] { Verdict.Failed, Verdict.Error, Verdict.Warning, Verdict.Inconclusive, Verdict.Passed })
        {
            var list = results.Where(r => r.Verdict == verdict).OrderBy(r => r.Check.Id).ThenBy(r => r.Case).ToList();
            if (list.Count == 0) continue;
            sb.AppendLine($"## {verdict} ({list.Count})");
            sb.AppendLine();
            sb.AppendLine("| Check | Level | Spec | Reason |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var r in list)
                sb.AppendLine($"| `{r.Check.Id}`{(r.Case is null ? "" : $" [{Cell(r.Case)}]")}<br>{Cell(r.Check.Title)} | {(r.Check.Level == RequirementLevel.Must ? "MUST" : "SHOULD")} | {Cell(r.Check.Spec)} | {Cell(r.Reason)}{(r.KnownDeviation is null ? "" : $"<br>*Known deviation (profile):* {Cell(r.KnownDeviation)}")} |");
            sb.AppendLine();
        }
        return Redactor.Redact(sb.ToString());
    }

    private static string Cell(string s) => s.Replace("|", "\\|").Replace("\r", "").Replace("\n", "<br>");
}
