using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using NUnit.Framework;
using OidcConformance.Faults;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Faults;

/// <summary>One check execution as report.json records it.</summary>
public sealed record Execution(string Id, string? Case, string Verdict, string Reason)
{
    public string Key => Case is null ? Id : $"{Id} [{Case}]";
    public bool IsViolation => Verdict is "Failed" or "Warning";
}

/// <summary>The outcome of one suite run through the proxy.</summary>
public sealed record FaultRun(Fault Fault, IReadOnlyList<Execution> Executions, bool Complete, string? SetupError, TimeSpan Elapsed, string Output)
{
    public static FaultRun Read(Fault fault, SuiteProcess.Result result)
    {
        var path = Path.Combine(result.ArtifactsDirectory, "report.json");
        if (!File.Exists(path)) return new(fault, [], false, "no report.json", result.Elapsed, result.Output);
        using var doc = JsonDocument.Parse(File.ReadAllText(path));
        var root = doc.RootElement;
        var list = root.GetProperty("results").EnumerateArray().Select(r => new Execution(
            r.GetProperty("id").GetString()!, r.TryGetProperty("case", out var c) ? c.GetString() : null,
            r.GetProperty("verdict").GetString()!, r.GetProperty("reason").GetString() ?? "")).ToList();
        return new(fault, list, root.GetProperty("complete").GetBoolean(),
            root.TryGetProperty("setupError", out var e) ? e.GetString() : null, result.Elapsed, result.Output);
    }
}

/// <summary>The difference a fault made against the fault-free baseline (same proxy, same checks).</summary>
public sealed record FaultDiff(FaultRun Run, IReadOnlyList<(Execution Now, Execution? Before)> Changed)
{
    /// <summary>Checks with an execution that is a violation now and was not one without the fault.</summary>
    public IReadOnlySet<string> Killed => Changed.Where(c => c.Now.IsViolation && c.Before?.IsViolation != true).Select(c => c.Now.Id).ToHashSet();

    /// <summary>The declared checks and no other became violations, each with a reason matching its pattern (FaultTests' first two assertions).</summary>
    public bool KillsExactly(Fault fault) =>
        Killed.SetEquals(fault.Kills.Select(k => k.CheckId)) &&
        fault.LosesEvidenceFor.All(id => Changed.Any(c => c.Now.Id == id && c.Now.Verdict == "Inconclusive")) &&
        fault.Kills.All(k => Changed.Any(c => c.Now.Id == k.CheckId && c.Now.IsViolation &&
                                              System.Text.RegularExpressions.Regex.IsMatch(c.Now.Reason, k.ReasonPattern, System.Text.RegularExpressions.RegexOptions.IgnoreCase)));

    public static FaultDiff Of(FaultRun run, FaultRun baseline)
    {
        var before = baseline.Executions.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First());
        var changed = run.Executions.Select(e => (Now: e, Before: before.GetValueOrDefault(e.Key)))
            .Where(p => p.Before is null || p.Before.Verdict != p.Now.Verdict).ToList();
        return new(run, changed);
    }

    public string Describe() => string.Join("\n", Changed.Select(c => $"  {c.Now.Key}: {c.Before?.Verdict ?? "(absent)"} → {c.Now.Verdict}: {c.Now.Reason}"));
}

/// <summary>
/// Runs the conformance suite once without a fault (the control run, on every selected fault's categories) and then once
/// per fault through the proxy (OIDC_FAULT), on the tests of the fault's categories that report one of its declared checks
/// (<see cref="FaultScope"/>; a scoped run that does not kill exactly the declared checks is replaced by a run on the whole
/// categories). The runs go to a pool of warm suite hosts (<see cref="SuiteHostPool"/>, OIDC_FAULT_PARALLELISM at a time,
/// default 3; the control run is split over them by category); OIDC_SUITE_HOST=0 runs each with its own `dotnet test`
/// instead. Runs are shared by all fault tests; OIDC_FAULTS=a,b limits the faults (for iterating). The last fault each host
/// ran (after every other fault of that host) is run again alone, with `dotnet test`, to prove that faults run one after
/// another in a host give the verdicts they give alone (<see cref="Isolation"/>).
/// </summary>
public static class FaultRuns
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static FaultRun? baseline;
    /// <summary>The control runs of the providers that faults name (<see cref="Fault.Provider"/>), by profile.</summary>
    private static readonly ConcurrentDictionary<string, FaultRun> providerBaselines = new();
    private static readonly ConcurrentDictionary<string, FaultRun> Runs = new();
    /// <summary>Per fault: whether its run was scoped (FaultScope) or on its whole categories.</summary>
    private static readonly ConcurrentDictionary<string, string> Scopes = new();
    /// <summary>Per fault: which host ran it and as which of its runs (1 = first).</summary>
    private static readonly ConcurrentDictionary<string, (int Host, int Position)> Hosts = new();
    public static TimeSpan Elapsed { get; private set; }

    /// <summary>A fault run in a host after other faults, and the same fault run alone in its own `dotnet test`.</summary>
    public sealed record IsolationSample(Fault Fault, int Host, int Position, FaultRun Hosted, FaultRun Alone);
    private static readonly ConcurrentBag<IsolationSample> isolation = new();
    public static IReadOnlyList<IsolationSample> Isolation => isolation.OrderBy(i => i.Fault.Name).ToList();

    public static IReadOnlyList<Fault> Selected()
    {
        var only = System.Environment.GetEnvironmentVariable("OIDC_FAULTS");
        if (string.IsNullOrWhiteSpace(only)) return FaultCatalog.All;
        var names = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return FaultCatalog.All.Where(f => names.Contains(f.Name)).ToList();
    }

    public static FaultRun Baseline => baseline ?? throw new InvalidOperationException("the baseline did not run");

    /// <summary>Every control run that ran: the default provider's (when a fault of it was selected) and those of the providers faults name.</summary>
    public static IReadOnlyList<FaultRun> ControlRuns =>
        [.. (baseline is { Executions.Count: > 0 } || providerBaselines.IsEmpty ? [Baseline] : Array.Empty<FaultRun>()), .. providerBaselines.Values];

    /// <summary>The control run a fault is compared with: its provider's (<see cref="Fault.Provider"/>), else the default provider's.</summary>
    public static FaultRun BaselineFor(Fault fault) => fault.Provider is null ? Baseline
        : providerBaselines.TryGetValue(fault.Provider, out var b) ? b : throw new InvalidOperationException($"the control run of {fault.Provider} did not run");
    public static IReadOnlyDictionary<string, FaultRun> All => Runs;

    private static bool UseHosts => System.Environment.GetEnvironmentVariable("OIDC_SUITE_HOST") != "0";

    /// <summary>artifacts/faults-timing.json: the catalog's wall time and each run's, read by bench/test.sh (the "fault catalog" phase).</summary>
    private static void WriteTiming(int faults, int parallelism, TimeSpan controlWall)
    {
        var path = Path.Combine(SuiteProcess.Root, "artifacts", "faults-timing.json");
        var runs = Runs.Values.OrderBy(r => r.Fault.Name).Select(r => new
        {
            fault = r.Fault.Name, seconds = Math.Round(r.Elapsed.TotalSeconds, 1), executions = r.Executions.Count, scope = Scopes.GetValueOrDefault(r.Fault.Name),
            host = Hosts.TryGetValue(r.Fault.Name, out var h) ? h.Host : (int?)null, position = Hosts.TryGetValue(r.Fault.Name, out var q) ? q.Position : (int?)null,
        });
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            wallSeconds = Math.Round(Elapsed.TotalSeconds, 1),
            faults,
            parallelism,
            suiteHosts = UseHosts,
            wallSecondsPerFault = faults == 0 ? 0 : Math.Round(Elapsed.TotalSeconds / faults, 2),
            scoped = Scopes.Values.Count(v => v == "scoped"),
            wholeCategoriesAfterScoped = Scopes.Values.Count(v => v.Contains("after a scoped run")),
            controlSeconds = Math.Round(controlWall.TotalSeconds, 1),
            isolationSamples = Isolation.Select(i => new { fault = i.Fault.Name, i.Host, i.Position, same = IsolationDifferences(i).Count == 0 }),
            runs,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>Where a fault's hosted run and its run alone disagree: the killed checks, or the verdict of an execution both have.</summary>
    public static IReadOnlyList<string> IsolationDifferences(IsolationSample sample)
    {
        var problems = new List<string>();
        var hostedKilled = FaultDiff.Of(sample.Hosted, BaselineFor(sample.Fault)).Killed;
        var aloneKilled = FaultDiff.Of(sample.Alone, BaselineFor(sample.Fault)).Killed;
        if (!hostedKilled.SetEquals(aloneKilled))
            problems.Add($"killed in the host: {string.Join(", ", hostedKilled.Order())}; alone: {string.Join(", ", aloneKilled.Order())}");
        var alone = sample.Alone.Executions.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.First());
        foreach (var e in sample.Hosted.Executions)
            if (!alone.TryGetValue(e.Key, out var a)) problems.Add($"{e.Key}: ran in the host, not alone");
            else if (a.Verdict != e.Verdict) problems.Add($"{e.Key}: {e.Verdict} in the host ({e.Reason}) ≠ {a.Verdict} alone ({a.Reason})");
        return problems;
    }

    /// <summary>One run: in a host of the pool (or its own `dotnet test` without hosts); a run that could not start is tried once
    /// more with `dotnet test` (a loaded machine can starve the start-up).</summary>
    private static async Task<FaultRun> RunAsync(SuiteHostPool pool, Fault fault, (string VsTest, string NUnit) selection,
        Action<SuiteHostPool.Result>? hosted = null, string? provider = null)
    {
        var environment = Environment(fault, provider ?? fault.Provider);
        FaultRun run;
        SuiteProcess.Result result;
        if (UseHosts)
        {
            var r = await pool.RunAsync(environment, selection.NUnit, TimeSpan.FromMinutes(10));
            result = r.Run;
            run = FaultRun.Read(fault, result);
            // A filter that selects no test runs nothing (and writes no report): no reason to try again with `dotnet test`.
            if (r.Error is null && (r.Cases.Count == 0 || !(run.SetupError is not null && run.Executions.Count == 0)))
            {
                hosted?.Invoke(r);
                if (fault != FaultCatalog.None) Hosts[fault.Name] = (r.Host, r.Position);
                return Cleaned(run, result);
            }
            TestContext.Progress.WriteLine($"[faults] {fault.Name}: the suite host's run failed ({r.Error ?? run.SetupError}); running it with dotnet test");
            Cleaned(run, result);
        }
        result = await SuiteProcess.RunAsync(environment, selection.VsTest, TimeSpan.FromMinutes(20));
        run = FaultRun.Read(fault, result);
        if (run.SetupError is not null && run.Executions.Count == 0)
        {
            TestContext.Progress.WriteLine($"[faults] {fault.Name}: setup failed ({run.SetupError}); retrying once");
            Cleaned(run, result);
            result = await SuiteProcess.RunAsync(environment, selection.VsTest, TimeSpan.FromMinutes(20));
            run = FaultRun.Read(fault, result);
        }
        hosted?.Invoke(new SuiteHostPool.Result(result, [], 0, 0, null));
        return Cleaned(run, result);
    }

    /// <summary>A fault run's environment: the fault, and no browser traces (a fault run is judged by its verdicts; failure bundles
    /// still get their screenshots, and tracing every context costs about a tenth of a run's CPU).</summary>
    private static Dictionary<string, string> Environment(Fault fault, string? provider = null)
    {
        var environment = new Dictionary<string, string>
        {
            [FaultProxy.EnvironmentVariable] = fault.Name,
            [OidcConformance.Browser.BrowserTrace.EnvironmentVariable] = "off",
        };
        // A fault that names its provider runs against that profile (the control run of its faults too).
        if ((provider ?? fault.Provider) is { } profile) environment["OIDC_PROFILE"] = Path.Combine(SuiteProcess.Root, profile);
        return environment;
    }

    private static FaultRun Cleaned(FaultRun run, SuiteProcess.Result result)
    {
        if (run.Executions.Count > 0) try { Directory.Delete(result.ArtifactsDirectory, true); } catch (IOException) { }
        else TestContext.Progress.WriteLine($"[faults] {run.Fault.Name}: no executions, kept {result.ArtifactsDirectory}");
        return run;
    }

    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (baseline is not null) return;
            var clock = Stopwatch.StartNew();
            var faults = Selected();
            var parallelism = int.TryParse(System.Environment.GetEnvironmentVariable("OIDC_FAULT_PARALLELISM"), out var p) && p > 0 ? p : 3;
            await using var pool = new SuiteHostPool(parallelism);

            // The control run, split by category over the hosts (verdicts do not depend on which tests share a run: the
            // order-independence test proves it); one run of all categories without hosts, whose TRX says which test reports what.
            var categories = faults.Where(f => f.Provider is null).SelectMany(f => f.Categories).Distinct().Order(StringComparer.Ordinal).ToList();
            // No fault of the default provider selected (OIDC_FAULTS naming only faults of another provider): no control run of it.
            var chunks = categories.Count == 0 ? 0 : UseHosts ? Math.Max(1, Math.Min(parallelism, categories.Count)) : 1;
            var controlCases = new ConcurrentBag<SuiteHostPool.CaseResult>();
            IReadOnlyList<ControlTest>? fromTrx = null;
            var parts = await Task.WhenAll(Enumerable.Range(0, chunks).Select(i => RunAsync(pool, FaultCatalog.None,
                FaultScope.Categories(categories.Where((_, k) => k % chunks == i)), r =>
                {
                    foreach (var c in r.Cases) controlCases.Add(c);
                    if (r.Cases.Count == 0) fromTrx = FaultScope.ReadControl(Path.Combine(r.Run.ArtifactsDirectory, "suite.trx"));
                })));
            var controlWall = clock.Elapsed;
            baseline = new FaultRun(FaultCatalog.None, parts.SelectMany(r => r.Executions).GroupBy(e => e.Key).Select(g => g.First()).ToList(),
                parts.All(r => r.Complete), parts.Select(r => r.SetupError).FirstOrDefault(e => e is not null), controlWall,
                string.Join("\n", parts.Select(r => r.Output)));
            var defaultControlTests = controlCases.IsEmpty ? fromTrx : FaultScope.FromCases(controlCases);
            // The providers that faults name: one control run each, on the categories of their faults.
            var providerControls = new ConcurrentDictionary<string, IReadOnlyList<ControlTest>?>();
            await Task.WhenAll(faults.Where(f => f.Provider is not null).GroupBy(f => f.Provider!).Select(async g =>
            {
                var cases = new ConcurrentBag<SuiteHostPool.CaseResult>();
                IReadOnlyList<ControlTest>? trx = null;
                var run = await RunAsync(pool, FaultCatalog.None, FaultScope.Categories(g.SelectMany(f => f.Categories).Distinct().Order(StringComparer.Ordinal)), r =>
                {
                    foreach (var c in r.Cases) cases.Add(c);
                    if (r.Cases.Count == 0) trx = FaultScope.ReadControl(Path.Combine(r.Run.ArtifactsDirectory, "suite.trx"));
                }, g.Key);
                providerBaselines[g.Key] = run;
                providerControls[g.Key] = cases.IsEmpty ? trx : FaultScope.FromCases(cases);
                TestContext.Progress.WriteLine($"[faults] control of {g.Key}: {run.Executions.Count} executions in {run.Elapsed.TotalSeconds:F0} s");
            }));
            if (defaultControlTests is null) TestContext.Progress.WriteLine("[faults] the control run said nothing about its tests: every fault runs on its whole categories");
            TestContext.Progress.WriteLine($"[faults] control: {baseline.Executions.Count} executions in {controlWall.TotalSeconds:F0} s ({chunks} part(s))");

            var log = Path.Combine(SuiteProcess.Root, "artifacts", "faults.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            File.WriteAllText(log, "");
            var tasks = faults.Select(async f =>
            {
                var control = BaselineFor(f);
                var controlTests = f.Provider is null ? defaultControlTests : providerControls.GetValueOrDefault(f.Provider);
                var whole = FaultScope.Categories(f.Categories);
                var scoped = (FaultScope.Filter(f, controlTests), FaultScope.Where(f, controlTests));
                var run = await RunAsync(pool, f, scoped);
                var scope = FaultScope.Kept(f, controlTests).Count == 0 ? "whole categories" : "scoped";
                if (scope == "scoped" && !FaultDiff.Of(run, control).KillsExactly(f))
                {
                    // Not trusted alone: the tests left out might be where the kill shows. The whole categories decide, as before scoping.
                    TestContext.Progress.WriteLine($"[faults] {f.Name}: the scoped run killed {string.Join(", ", FaultDiff.Of(run, control).Killed.Order())}; running its whole categories");
                    var first = run.Elapsed;
                    run = await RunAsync(pool, f, whole);
                    run = run with { Elapsed = run.Elapsed + first };
                    scope = "whole categories after a scoped run that did not kill exactly its checks";
                }
                Runs[f.Name] = run;
                Scopes[f.Name] = scope;
                TestContext.Progress.WriteLine($"[faults] {f.Name}: {run.Executions.Count} executions in {run.Elapsed.TotalSeconds:F0} s ({scope})");
                var diff = FaultDiff.Of(run, control);
                lock (Runs) File.AppendAllText(log, $"== {f.Name} ({run.Elapsed.TotalSeconds:F0} s, {run.Executions.Count} executions, setup {run.SetupError ?? "ok"}, {scope}) " +
                    $"killed: {string.Join(", ", diff.Killed.Order())}\n{diff.Describe()}\n");
            }).ToList();
            await Task.WhenAll(tasks);

            // Isolation: the last fault of each host (it ran after all the others there), again alone with `dotnet test`.
            if (UseHosts)
            {
                var samples = Hosts.Where(h => h.Value.Position > 1).GroupBy(h => h.Value.Host)
                    .Select(g => g.MaxBy(h => h.Value.Position)).Select(h => faults.First(f => f.Name == h.Key)).ToList();
                await Task.WhenAll(samples.Select(async f =>
                {
                    var result = await SuiteProcess.RunAsync(Environment(f),
                        FaultScope.Filter(f, Scopes[f.Name] == "scoped" ? (f.Provider is null ? defaultControlTests : providerControls.GetValueOrDefault(f.Provider)) : null),
                        TimeSpan.FromMinutes(20));
                    var alone = Cleaned(FaultRun.Read(f, result), result);
                    var (host, position) = Hosts[f.Name];
                    isolation.Add(new IsolationSample(f, host, position, Runs[f.Name], alone));
                }));
            }
            Elapsed = clock.Elapsed;
            TestContext.Progress.WriteLine($"[faults] {faults.Count} faults + control in {Elapsed.TotalSeconds:F0} s");
            WriteTiming(faults.Count, parallelism, controlWall);
        }
        finally { Gate.Release(); }
    }
}
