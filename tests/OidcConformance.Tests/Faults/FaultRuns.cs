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
/// per fault through the proxy (OIDC_FAULT), on the fault's categories minus the expensive tests that report none of its
/// checks (<see cref="FaultScope"/>; a scoped run that does not kill exactly the declared checks is replaced by a run on the
/// whole categories). Runs are shared by all fault tests; OIDC_FAULT_PARALLELISM (default 3) runs go at once and
/// OIDC_FAULTS=a,b limits the faults (for iterating).
/// </summary>
public static class FaultRuns
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static FaultRun? baseline;
    private static readonly ConcurrentDictionary<string, FaultRun> Runs = new();
    /// <summary>Per fault: whether its run was scoped (FaultScope) or on its whole categories.</summary>
    private static readonly ConcurrentDictionary<string, string> Scopes = new();
    public static TimeSpan Elapsed { get; private set; }

    public static IReadOnlyList<Fault> Selected()
    {
        var only = Environment.GetEnvironmentVariable("OIDC_FAULTS");
        if (string.IsNullOrWhiteSpace(only)) return FaultCatalog.All;
        var names = only.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        return FaultCatalog.All.Where(f => names.Contains(f.Name)).ToList();
    }

    public static FaultRun Baseline => baseline ?? throw new InvalidOperationException("the baseline did not run");
    public static IReadOnlyDictionary<string, FaultRun> All => Runs;

    /// <summary>artifacts/faults-timing.json: the catalog's wall time and each run's, read by bench/test.sh (the "fault catalog" phase).</summary>
    private static void WriteTiming(int faults, int parallelism)
    {
        var path = Path.Combine(SuiteProcess.Root, "artifacts", "faults-timing.json");
        var runs = Runs.Values.OrderBy(r => r.Fault.Name).Select(r => new { fault = r.Fault.Name, seconds = Math.Round(r.Elapsed.TotalSeconds, 1), executions = r.Executions.Count, scope = Scopes.GetValueOrDefault(r.Fault.Name) });
        File.WriteAllText(path, JsonSerializer.Serialize(new
        {
            wallSeconds = Math.Round(Elapsed.TotalSeconds, 1),
            faults,
            parallelism,
            wallSecondsPerFault = faults == 0 ? 0 : Math.Round(Elapsed.TotalSeconds / faults, 2),
            scoped = Scopes.Values.Count(v => v == "scoped"),
            wholeCategoriesAfterScoped = Scopes.Values.Count(v => v.Contains("after a scoped run")),
            controlSeconds = Math.Round(Baseline.Elapsed.TotalSeconds, 1),
            runs,
        }, new JsonSerializerOptions { WriteIndented = true }));
    }

    private static string Filter(IEnumerable<string> categories) => string.Join("|", categories.Distinct().Select(c => $"Category={c}"));

    public static async Task EnsureAsync()
    {
        await Gate.WaitAsync();
        try
        {
            if (baseline is not null) return;
            var clock = Stopwatch.StartNew();
            var faults = Selected();
            var parallelism = int.TryParse(Environment.GetEnvironmentVariable("OIDC_FAULT_PARALLELISM"), out var p) && p > 0 ? p : 3;
            var throttle = new SemaphoreSlim(parallelism);
            // controlTests: the control run's tests (from its TRX), which scope each fault's run once it is known (FaultScope).
            IReadOnlyList<ControlTest>? controlTests = null;
            // filterFor is read when the run gets its slot: a fault that starts while the control run is still going runs on its whole categories.
            async Task<(FaultRun Run, string Filter)> RunOne(Fault fault, Func<string> filterFor)
            {
                await throttle.WaitAsync();
                try
                {
                    var filter = filterFor();
                    var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { [FaultProxy.EnvironmentVariable] = fault.Name },
                        filter, TimeSpan.FromMinutes(20));
                    var run = FaultRun.Read(fault, result);
                    if (run.SetupError is not null && run.Executions.Count == 0)
                    {
                        // a loaded machine can starve the start-up; one retry, then the setup error stands
                        TestContext.Progress.WriteLine($"[faults] {fault.Name}: setup failed ({run.SetupError}); retrying once");
                        result = await SuiteProcess.RunAsync(new Dictionary<string, string> { [FaultProxy.EnvironmentVariable] = fault.Name },
                            filter, TimeSpan.FromMinutes(20));
                        run = FaultRun.Read(fault, result);
                    }
                    TestContext.Progress.WriteLine($"[faults] {fault.Name}: {run.Executions.Count} executions in {result.Elapsed.TotalSeconds:F0} s");
                    if (fault == FaultCatalog.None)
                    {
                        controlTests = FaultScope.ReadControl(Path.Combine(result.ArtifactsDirectory, "suite.trx"));
                        if (controlTests is null) TestContext.Progress.WriteLine("[faults] the control run left no readable TRX: every fault runs on its whole categories");
                    }
                    if (run.Executions.Count > 0) try { Directory.Delete(result.ArtifactsDirectory, true); } catch (IOException) { }
                    else TestContext.Progress.WriteLine($"[faults] {fault.Name}: no executions, kept {result.ArtifactsDirectory}");
                    return (run, filter);
                }
                finally { throttle.Release(); }
            }
            // The control run takes the first slot (the first WaitAsync on a free semaphore completes at once); the faults share the others.
            var controlTask = RunOne(FaultCatalog.None, () => Filter(faults.SelectMany(f => f.Categories)));
            var log = Path.Combine(SuiteProcess.Root, "artifacts", "faults.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            File.WriteAllText(log, "");
            var tasks = faults.Select(async f =>
            {
                var whole = Filter(f.Categories);
                var (run, used) = await RunOne(f, () => FaultScope.Filter(f, controlTests));
                var control = (await controlTask).Run;
                var scope = used == whole ? "whole categories" : "scoped";
                if (used != whole && !FaultDiff.Of(run, control).KillsExactly(f))
                {
                    // Not trusted alone: the tests left out might be where the kill shows. The whole categories decide, as before scoping.
                    TestContext.Progress.WriteLine($"[faults] {f.Name}: the scoped run killed {string.Join(", ", FaultDiff.Of(run, control).Killed.Order())}; running its whole categories");
                    var first = run.Elapsed;
                    run = (await RunOne(f, () => whole)).Run;
                    run = run with { Elapsed = run.Elapsed + first };
                    scope = "whole categories after a scoped run that did not kill exactly its checks";
                }
                Runs[f.Name] = run;
                Scopes[f.Name] = scope;
                var diff = FaultDiff.Of(run, control);
                lock (Runs) File.AppendAllText(log, $"== {f.Name} ({run.Elapsed.TotalSeconds:F0} s, {run.Executions.Count} executions, setup {run.SetupError ?? "ok"}, {scope}) " +
                    $"killed: {string.Join(", ", diff.Killed.Order())}\n{diff.Describe()}\n");
            }).ToList();
            baseline = (await controlTask).Run;
            await Task.WhenAll(tasks);
            Elapsed = clock.Elapsed;
            TestContext.Progress.WriteLine($"[faults] {faults.Count} faults + baseline in {Elapsed.TotalSeconds:F0} s");
            WriteTiming(faults.Count, parallelism);
        }
        finally { Gate.Release(); }
    }
}
