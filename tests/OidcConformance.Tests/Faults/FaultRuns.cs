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
/// Runs the conformance suite once without a fault and once per fault, filtered to the fault's categories, through the
/// proxy (OIDC_FAULT). Runs are shared by all fault tests; OIDC_FAULT_PARALLELISM (default 3) runs go at once and
/// OIDC_FAULTS=a,b limits the faults (for iterating).
/// </summary>
public static class FaultRuns
{
    private static readonly SemaphoreSlim Gate = new(1, 1);
    private static FaultRun? baseline;
    private static readonly ConcurrentDictionary<string, FaultRun> Runs = new();
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
            async Task<FaultRun> RunOne(Fault fault, IEnumerable<string> categories)
            {
                await throttle.WaitAsync();
                try
                {
                    var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { [FaultProxy.EnvironmentVariable] = fault.Name },
                        Filter(categories), TimeSpan.FromMinutes(20));
                    var run = FaultRun.Read(fault, result);
                    if (run.SetupError is not null && run.Executions.Count == 0)
                    {
                        // a loaded machine can starve the start-up; one retry, then the setup error stands
                        TestContext.Progress.WriteLine($"[faults] {fault.Name}: setup failed ({run.SetupError}); retrying once");
                        result = await SuiteProcess.RunAsync(new Dictionary<string, string> { [FaultProxy.EnvironmentVariable] = fault.Name },
                            Filter(categories), TimeSpan.FromMinutes(20));
                        run = FaultRun.Read(fault, result);
                    }
                    TestContext.Progress.WriteLine($"[faults] {fault.Name}: {run.Executions.Count} executions in {result.Elapsed.TotalSeconds:F0} s");
                    if (run.Executions.Count > 0) try { Directory.Delete(result.ArtifactsDirectory, true); } catch (IOException) { }
                    else TestContext.Progress.WriteLine($"[faults] {fault.Name}: no executions, kept {result.ArtifactsDirectory}");
                    return run;
                }
                finally { throttle.Release(); }
            }
            var baselineTask = RunOne(FaultCatalog.None, faults.SelectMany(f => f.Categories));
            var log = Path.Combine(SuiteProcess.Root, "artifacts", "faults.log");
            Directory.CreateDirectory(Path.GetDirectoryName(log)!);
            File.WriteAllText(log, "");
            var tasks = faults.Select(async f =>
            {
                var run = Runs[f.Name] = await RunOne(f, f.Categories);
                var b = await baselineTask;
                var diff = FaultDiff.Of(run, b);
                lock (Runs) File.AppendAllText(log, $"== {f.Name} ({run.Elapsed.TotalSeconds:F0} s, {run.Executions.Count} executions, setup {run.SetupError ?? "ok"}) " +
                    $"killed: {string.Join(", ", diff.Killed.Order())}\n{diff.Describe()}\n");
            }).ToList();
            baseline = await baselineTask;
            await Task.WhenAll(tasks);
            Elapsed = clock.Elapsed;
            TestContext.Progress.WriteLine($"[faults] {faults.Count} faults + baseline in {Elapsed.TotalSeconds:F0} s");
        }
        finally { Gate.Release(); }
    }
}
