using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using OidcConformance.Baselines;
using OidcConformance.Checks;
using OidcConformance.Http;

namespace OidcConformance.Reporting;

/// <summary>Identifies the run in every report.</summary>
public sealed record RunInfo(string Provider, string Version, string Issuer, string ProfileFile, string Browser);

/// <summary>One check execution in the report: its verdict, how it compares with the baseline (regression mode), the
/// exchanges its test made (for the behaviour facts) and the failure-bundle files written for it.</summary>
public sealed record ReportEntry(CheckResult Result, BaselineComparison? Baseline = null)
{
    public IReadOnlyList<HttpExchange> Exchanges { get; init; } = [];
    /// <summary>Failure-bundle files, relative to the artifacts directory.</summary>
    public IReadOnlyList<string> Attachments { get; init; } = [];
}

/// <summary>
/// Collects verdicts and writes <c>report.json</c> after every result (an aborted run keeps what it reached) and, at
/// the end, <c>report.md</c> (fits a GitHub job summary), <c>report.html</c> (one self-contained page) and the behaviour
/// facts in report.json. Everything written passes through the redactor. Schema: docs/report-schema.md.
/// </summary>
public sealed class RunReport
{
    /// <summary>Schema id; later additions are optional members, so readers of /1 keep working.</summary>
    public const string Schema = "oidc-conformance-report/1";
    /// <summary>Revision of the schema's additions (2: per-area/level summaries, baseline, attachments, facts).</summary>
    public const int SchemaRevision = 3;
    private readonly object gate = new();
    private readonly List<ReportEntry> entries = [];
    private readonly string directory;
    private RunInfo info;
    private readonly DateTimeOffset started = DateTimeOffset.UtcNow;
    private DateTimeOffset? finished;
    private string? setupError;
    private Baseline? baseline;
    private string? baselineRequested;
    private ExchangeRecorder? factsRecorder;
    private IReadOnlyCollection<string> usernames = [];
    private JsonObject? facts;
    private readonly List<string> entryJson = [];
    private Run.OutageMonitor? outageMonitor;

    public string Directory => directory;
    public string JsonPath => Path.Combine(directory, "report.json");
    public string MarkdownPath => Path.Combine(directory, "report.md");
    public string HtmlPath => Path.Combine(directory, "report.html");
    public string FailuresDirectory => Path.Combine(directory, "failures");
    public RunInfo Info { get { lock (gate) return info; } }
    public Baseline? Baseline { get { lock (gate) return baseline; } }

    public RunReport(string directory, RunInfo info)
    {
        this.directory = directory;
        this.info = info;
        System.IO.Directory.CreateDirectory(directory);
        // Failure bundles of an earlier run would be mistaken for this one's.
        if (System.IO.Directory.Exists(FailuresDirectory)) System.IO.Directory.Delete(FailuresDirectory, recursive: true);
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

    /// <summary>Regression mode: verdicts are compared with this baseline (null: none; <paramref name="requested"/> is what was asked for).</summary>
    public void UseBaseline(Baseline? value, string? requested)
    {
        lock (gate) { baseline = value; baselineRequested = requested; WriteJson(false); }
    }

    /// <summary>The run's outage monitor: its outages lead every report (they are read at each write).</summary>
    public void UseOutages(Run.OutageMonitor monitor)
    {
        lock (gate) outageMonitor = monitor;
    }

    public IReadOnlyList<Run.ProviderOutage> Outages { get { lock (gate) return outageMonitor?.Outages ?? []; } }

    /// <summary>The run's recorder, from which the behaviour facts are derived when the report completes (idempotent).</summary>
    public void RecordFactsFrom(ExchangeRecorder recorder, IReadOnlyCollection<string> users)
    {
        lock (gate) { factsRecorder ??= recorder; usernames = users; }
    }

    public IReadOnlyList<CheckResult> Results { get { lock (gate) return entries.Select(e => e.Result).ToList(); } }
    public IReadOnlyList<ReportEntry> Entries { get { lock (gate) return entries.ToList(); } }

    public void Add(CheckResult result) => Add(new ReportEntry(result));

    public void Add(ReportEntry entry)
    {
        // Serialized and redacted once, outside the lock: the incremental rewrites only splice the cached fragments,
        // instead of redacting the whole growing document after every check (quadratic, and it held every test up).
        var fragment = Redactor.Redact(JsonSerializer.Serialize(ResultJson(entry), JsonOptions));
        lock (gate)
        {
            entries.Add(entry);
            entryJson.Add(fragment);
            WriteJson(complete: false);
        }
    }

    public void Complete()
    {
        lock (gate)
        {
            finished = DateTimeOffset.UtcNow;
            if (factsRecorder is not null)
            {
                try
                {
                    facts = BehaviourFacts.Derive(factsRecorder.Snapshot(),
                        entries.Select(e => new CheckExchanges(e.Result.Check.Id, e.Result.Case, e.Exchanges)), usernames);
                }
                catch (Exception e) when (e is not OutOfMemoryException)
                {
                    facts = new JsonObject { ["error"] = $"facts could not be derived: {e.GetType().Name}: {e.Message}" };
                }
            }
            WriteJson(complete: true);
            var view = View();
            File.WriteAllText(MarkdownPath, Redactor.Redact(MarkdownReport.Render(view)));
            File.WriteAllText(HtmlPath, Redactor.Redact(HtmlReport.Render(view)));
        }
    }

    internal static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true, PropertyNamingPolicy = JsonNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
        Converters = { new JsonStringEnumConverter() },
    };

    internal static string Level(CheckDefinition c) => c.Level == RequirementLevel.Must ? "MUST" : "SHOULD";

    private ReportView View() => new(info, started, finished, setupError, entries.ToList(), baseline, baselineRequested, NotRun())
    {
        Outages = outageMonitor?.Outages ?? [],
    };

    /// <summary>Baseline entries no execution of this run matched (a filtered run, or a check or case that no longer exists).</summary>
    private IReadOnlyList<BaselineEntry> NotRun() => baseline is null ? [] :
        baseline.Entries.Where(b => !entries.Any(e => e.Result.Check.Id == b.Check && e.Result.Case == b.Case)).ToList();

    private static Dictionary<string, int> Counts(IEnumerable<ReportEntry> list)
    {
        var l = list.ToList();
        return Enum.GetValues<Verdict>().ToDictionary(v => v.ToString(), v => l.Count(e => e.Result.Verdict == v));
    }

    /// <summary>
    /// A file path as reports show it: relative to the repository root when the file is inside the repository (so reports
    /// of two machines compare equal and do not disclose home directories), else as given.
    /// </summary>
    public static string? DisplayPath(string? path)
    {
        if (path is null) return null;
        var full = Path.GetFullPath(path);
        return Run.RunSettings.TryFindRepositoryRoot(Path.GetDirectoryName(full)!) is { } root
            ? Path.GetRelativePath(root, full).Replace('\\', '/')
            : full;
    }

    private const string ResultsPlaceholder = "\u0001results\u0001";

    /// <summary>One execution as report.json shows it (schema in docs/report-schema.md).</summary>
    private static object ResultJson(ReportEntry e) => new
        {
            id = e.Result.Check.Id, title = e.Result.Check.Title, area = e.Result.Check.Area, spec = e.Result.Check.Spec,
            references = e.Result.Check.References.Select(x => new { document = x.DocumentName, section = x.Section, clause = x.Clause, url = x.Url }),
            oidfModules = e.Result.Check.OidfModules.Count == 0 ? null : e.Result.Check.OidfModules,
            level = Level(e.Result.Check),
            verdict = e.Result.Verdict.ToString(), @case = e.Result.Case, reason = Redactor.Redact(e.Result.Reason),
            durationMs = (long)e.Result.Duration.TotalMilliseconds,
            knownDeviation = e.Result.KnownDeviation is null ? null : Redactor.Redact(e.Result.KnownDeviation),
            observations = ObservationsJson(e.Result),
            baseline = e.Baseline is null ? null : new
            {
                status = e.Baseline.StatusText, expected = e.Baseline.Expected.ToString(),
                reason = e.Baseline.Entry?.Reason, source = e.Baseline.Entry?.Source,
            },
            evidence = e.Result.Evidence.Count == 0 ? null : e.Result.Evidence.Select(x => new { label = x.Label, content = Redactor.Redact(x.Content) }),
            attachments = e.Attachments.Count == 0 ? null : e.Attachments,
        };

    /// <summary>The values the verdict rests on, redacted like the reason; absent when the check recorded none.</summary>
    private static object? ObservationsJson(CheckResult r) =>
        r.Observations.Count == 0 ? null : r.Observations.Select(o => o.Redact()).Select(o => new { what = o.What, expected = o.Expected, actual = o.Actual });

    private void WriteJson(bool complete)
    {
        var doc = new
        {
            schema = Schema,
            schemaRevision = SchemaRevision,
            complete,
            provider = new { name = info.Provider, version = info.Version, issuer = info.Issuer, profile = info.ProfileFile },
            browser = info.Browser,
            started,
            finished = complete ? finished : null,
            setupError,
            // First after the run's identity: a run the provider dropped out of is not a conformance result (docs/report-schema.md).
            providerOutage = outageMonitor?.Outages.Count > 0 ? true : (bool?)null,
            outages = OutageSummary.Json(outageMonitor?.Outages ?? [], entries.Count(e => e.Result.Verdict == Verdict.Error)),
            summary = Counts(entries),
            summaryByArea = entries.GroupBy(e => e.Result.Check.Area).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Counts(g)),
            summaryByLevel = entries.GroupBy(e => Level(e.Result.Check)).OrderBy(g => g.Key, StringComparer.Ordinal).ToDictionary(g => g.Key, g => Counts(g)),
            baseline = baseline is null
                ? (baselineRequested is null ? null : new { requested = baselineRequested, path = (string?)null, asExpected = 0, regressed = 0, improved = 0, notCompared = 0, incomplete = false, notRun = (IEnumerable<object>?)null })
                : new
                {
                    requested = baselineRequested, path = DisplayPath(baseline.Path),
                    asExpected = entries.Count(e => e.Baseline?.Status == BaselineStatus.AsExpected),
                    regressed = entries.Count(e => e.Baseline?.Status == BaselineStatus.Regressed),
                    improved = entries.Count(e => e.Baseline?.Status == BaselineStatus.Improved),
                    // Errors (harness failures, provider outages) are no verdicts: the comparison is incomplete for them.
                    notCompared = entries.Count(e => e.Baseline?.Status == BaselineStatus.NotCompared),
                    incomplete = entries.Any(e => e.Baseline?.Status == BaselineStatus.NotCompared),
                    notRun = complete ? NotRun().Select(b => (object)new { check = b.Check, @case = b.Case, expected = b.Expected.ToString() }) : null,
                },
            // The relying-party interop matrix (InteropSection; docs/report-schema.md "interop").
            interop = InteropSection.Json(entries),
            reports = complete ? new { markdown = "report.md", html = "report.html", json = "report.json" } : null,
            results = ResultsPlaceholder,
            facts = complete ? facts : null,
        };
        var text = JsonSerializer.Serialize(doc, JsonOptions);
        var placeholder = JsonSerializer.Serialize(ResultsPlaceholder, JsonOptions);
        var at = text.IndexOf(placeholder, StringComparison.Ordinal);
        var results = "[\n" + string.Join(",\n", entryJson) + "\n]";
        // The last write redacts everything once more, so a secret learned after an entry was added is caught there too;
        // the incremental writes redact only the parts around the (already redacted) entries.
        text = complete
            ? Redactor.Redact(text[..at] + results + text[(at + placeholder.Length)..])
            : Redactor.Redact(text[..at]) + results + Redactor.Redact(text[(at + placeholder.Length)..]);
        var tmp = JsonPath + ".tmp";
        File.WriteAllText(tmp, text);
        File.Move(tmp, JsonPath, overwrite: true);
    }
}

/// <summary>A consistent snapshot of the report for the Markdown and HTML writers.</summary>
public sealed record ReportView(RunInfo Info, DateTimeOffset Started, DateTimeOffset? Finished, string? SetupError,
    IReadOnlyList<ReportEntry> Entries, Baseline? Baseline, string? BaselineRequested, IReadOnlyList<BaselineEntry> NotRun)
{
    /// <summary>Periods the provider could not be reached; the reports lead with them.</summary>
    public IReadOnlyList<Run.ProviderOutage> Outages { get; init; } = [];

    public static readonly Verdict[] Order = [Verdict.Failed, Verdict.Error, Verdict.Warning, Verdict.Inconclusive, Verdict.Passed];

    /// <summary>Does this entry deserve its evidence shown: a violation, an error, or a baseline mismatch.</summary>
    public static bool Noteworthy(ReportEntry e) =>
        e.Result.Verdict is Verdict.Failed or Verdict.Warning or Verdict.Error || e.Baseline?.Status is BaselineStatus.Regressed or BaselineStatus.Improved;

    public static string Label(ReportEntry e) => e.Result.Case is null ? e.Result.Check.Id : $"{e.Result.Check.Id} [{e.Result.Case}]";

    /// <summary>Short status beside the verdict: baseline comparison, else the profile's documented deviation.</summary>
    public static string? Status(ReportEntry e) => e.Baseline switch
    {
        { Status: BaselineStatus.AsExpected } b when e.Result.Verdict != Verdict.Passed => "as expected (baseline)",
        { Status: BaselineStatus.Regressed } b => $"REGRESSION (baseline expects {b.Expected})",
        { Status: BaselineStatus.Improved } b => $"BETTER than baseline (expects {b.Expected}): update the baseline",
        { Status: BaselineStatus.NotCompared } b => $"not compared (baseline expects {b.Expected}; an Error is no verdict)",
        _ when e.Result.KnownDeviation is not null => "known deviation (profile)",
        _ => null,
    };
}
