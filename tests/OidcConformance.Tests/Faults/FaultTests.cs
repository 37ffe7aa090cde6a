using System.Text;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Faults;
using OidcConformance.Tests.Harness;
using OidcConformance.Tests.Proofs;

namespace OidcConformance.Tests.Faults;

/// <summary>
/// Proves the verdicts: each fault of <see cref="FaultCatalog"/>, injected by the proxy in front of the embedded provider,
/// must turn exactly its declared checks red (with a reason naming the broken property), leave every other check of
/// the same categories at its fault-free verdict, and never crash the harness. Writes artifacts/mutation.md.
/// </summary>
[TestFixture, Category("Faults"), NonParallelizable]
public sealed class FaultTests
{
    public static IEnumerable<TestCaseData> Faults() => FaultRuns.Selected().Select(f => new TestCaseData(f).SetName($"Fault {f.Name}"));

    [OneTimeSetUp]
    public Task RunAll() => FaultRuns.EnsureAsync();

    [OneTimeTearDown]
    public void WriteMutationReport()
    {
        if (FaultRuns.All.Count == 0) return;
        var path = Path.Combine(SuiteProcess.Root, "artifacts", "mutation.md");
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, MutationReport.Markdown(FaultRuns.Baseline, FaultRuns.All.Values.ToList(), FaultRuns.Elapsed));
        File.WriteAllText(Path.ChangeExtension(path, ".json"), MutationReport.Json(FaultRuns.Baseline, FaultRuns.All.Values.ToList(), FaultRuns.Elapsed));
        TestContext.Progress.WriteLine($"[faults] mutation report: {path} (and mutation.json)");
    }

    [Test]
    public void The_catalog_has_at_least_40_named_faults_each_declaring_known_checks()
    {
        FaultCatalog.All.Should().HaveCountGreaterThanOrEqualTo(40);
        FaultCatalog.All.Select(f => f.Name).Should().OnlyHaveUniqueItems();
        var ids = CheckCatalog.All.Select(c => c.Id).ToHashSet();
        foreach (var f in FaultCatalog.All)
        {
            (f.Kills.Length > 0 || f.IsEvidenceLoss).Should().BeTrue($"{f.Name} must declare the checks it kills (or, losing evidence, the checks it turns Inconclusive)");
            if (f.IsEvidenceLoss) f.Kills.Should().BeEmpty($"{f.Name} loses evidence: it must kill nothing");
            f.Categories.Should().NotBeEmpty();
            foreach (var k in f.Kills.Select(k => k.CheckId).Concat(f.MayTurnInconclusive).Concat(f.LosesEvidenceFor)) ids.Should().Contain(k, $"{f.Name} names a catalog check");
        }
    }

    [Test]
    public void Baseline_through_the_proxy_completes_without_errors()
    {
        foreach (var b in FaultRuns.ControlRuns) // the default provider's, and each provider a fault names (Fault.Provider)
        {
            b.SetupError.Should().BeNull(b.Output);
            b.Complete.Should().BeTrue(b.Output);
            b.Executions.Should().NotBeEmpty();
            b.Executions.Where(e => e.Verdict == "Error").Should().BeEmpty();
        }
    }

    [Test]
    public void Faults_run_one_after_another_in_a_suite_host_give_the_verdicts_they_give_alone()
    {
        if (Environment.GetEnvironmentVariable("OIDC_SUITE_HOST") == "0") Assert.Ignore("OIDC_SUITE_HOST=0: every fault ran alone");
        var samples = FaultRuns.Isolation;
        if (samples.Count == 0) Assert.Ignore("no host ran more than one fault (too few faults selected)");
        foreach (var sample in samples)
        {
            sample.Position.Should().BeGreaterThan(1, "the sample ran after other faults in its host");
            sample.Alone.Complete.Should().BeTrue(sample.Alone.Output);
            FaultRuns.IsolationDifferences(sample).Should().BeEmpty(
                $"{sample.Fault.Name} ran as run {sample.Position} of suite host {sample.Host}; alone it must give the same verdicts");
        }
    }

    [TestCaseSource(nameof(Faults))]
    public void Fault_turns_exactly_its_checks_red(Fault fault)
    {
        var run = FaultRuns.All[fault.Name];
        run.SetupError.Should().BeNull(run.Output);
        run.Complete.Should().BeTrue("the run must end normally under a fault:\n" + Tail(run.Output));
        run.Executions.Should().NotBeEmpty();

        // A fault never crashes the harness: every execution has a verdict with a reason.
        run.Executions.Where(e => e.Verdict is not ("Passed" or "Failed" or "Warning" or "Inconclusive"))
            .Should().BeEmpty("verdicts under a fault are Passed/Failed/Warning/Inconclusive, never Error");
        run.Executions.Where(e => string.IsNullOrWhiteSpace(e.Reason)).Should().BeEmpty("every verdict has a reason");

        var diff = FaultDiff.Of(run, FaultRuns.BaselineFor(fault));
        var because = $"fault {fault.Name} ({fault.Description}) changed:\n{diff.Describe()}";
        if (fault.IsEvidenceLoss)
        {
            // Lost evidence is never a verdict: nothing may turn Passed, Failed or Warning, and each declared check must have
            // lost a Passed execution to Inconclusive, with a reason (the cause, not a judgement).
            diff.Changed.Where(c => c.Now.Verdict != "Inconclusive").Select(c => $"{c.Now.Key}: {c.Before?.Verdict} → {c.Now.Verdict}")
                .Should().BeEmpty($"a dropped answer is never evidence; {because}");
            foreach (var id in fault.LosesEvidenceFor)
                diff.Changed.Should().Contain(c => c.Now.Id == id && c.Before != null && c.Before.Verdict == "Passed",
                    $"{id} rests on the refusal the fault drops, so its Passed must turn Inconclusive; {because}");
            diff.Changed.Select(c => c.Now.Id).Distinct().Except(fault.LosesEvidenceFor).Except(fault.MayTurnInconclusive)
                .Should().BeEmpty($"every check that lost evidence is declared; {because}");
            return;
        }
        diff.Killed.Should().BeEquivalentTo(fault.Kills.Select(k => k.CheckId).ToHashSet(), because);

        foreach (var kill in fault.Kills)
        {
            var reasons = diff.Changed.Where(c => c.Now.Id == kill.CheckId && c.Now.IsViolation).Select(c => c.Now.Reason).ToList();
            reasons.Should().Contain(r => Regex.IsMatch(r, kill.ReasonPattern, RegexOptions.IgnoreCase),
                $"{kill.CheckId} must name the broken property (/{kill.ReasonPattern}/); {because}");
        }

        var unexplained = diff.Changed.Where(c => !c.Now.IsViolation &&
            !(c.Now.Verdict == "Inconclusive" && fault.MayTurnInconclusive.Contains(c.Now.Id))).ToList();
        unexplained.Select(c => c.Now.Key).Should().BeEmpty($"the other checks keep their verdict; {because}");
    }

    private static string Tail(string s) => string.Join('\n', s.Split('\n').TakeLast(60));
}

/// <summary>
/// artifacts/mutation.md and mutation.json: per check, the faults that kill it (in the fault runs, and in the interop runs of
/// <see cref="Interop.InteropFaultTests"/>), the unit proofs that fail it, and for a check no fault kills the reason
/// (<see cref="ChecksNoFaultKills"/>) or "pending".
/// </summary>
public static class MutationReport
{
    public static IEnumerable<FailureProof> UnitProofs() =>
        typeof(MutationReport).Assembly.GetTypes()
            .Where(t => typeof(IFailureProofs).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => ((IFailureProofs)Activator.CreateInstance(t)!).Proofs());

    /// <summary>One check's line of the report.</summary>
    public sealed record CheckLine(string Id, string Level, IReadOnlyList<string> KilledBy, IReadOnlyList<string> KilledInInterop,
        IReadOnlyList<string> Proofs, NoKillReason? NoKill)
    {
        public bool Killed => KilledBy.Count > 0 || KilledInInterop.Count > 0;
        /// <summary>Neither killed nor explained: a fault could be written for it.</summary>
        public bool Pending => !Killed && NoKill is null;
    }

    /// <summary>Every check of the catalog with its kills (observed in <paramref name="runs"/>, declared and proven by the interop fault tests).</summary>
    public static IReadOnlyList<CheckLine> Lines(FaultRun baseline, IReadOnlyList<FaultRun> runs)
    {
        var killers = runs.SelectMany(r => FaultDiff.Of(r, baseline).Killed.Select(id => (id, r.Fault.Name)))
            .GroupBy(p => p.id).ToDictionary(g => g.Key, g => g.Select(p => p.Name).Order().ToList());
        var interop = Interop.InteropFaultTests.Kills.SelectMany(k => k.Broken.Select(b => (b.Check, k.Fault)))
            .GroupBy(p => p.Check).ToDictionary(g => g.Key, g => g.Select(p => p.Fault).Distinct().Order().ToList());
        var proofs = UnitProofs().GroupBy(p => p.Check.Id).ToDictionary(g => g.Key, g => g.Select(p => p.Name).ToList());
        return CheckCatalog.All.OrderBy(c => c.Id).Select(c => new CheckLine(c.Id, c.Level == RequirementLevel.Must ? "MUST" : "SHOULD",
            killers.GetValueOrDefault(c.Id, []), interop.GetValueOrDefault(c.Id, []), proofs.GetValueOrDefault(c.Id, []),
            ChecksNoFaultKills.Reasons.GetValueOrDefault(c.Id))).ToList();
    }

    private static string Percent(int n, int of) => of == 0 ? "0" : (100.0 * n / of).ToString("F0", System.Globalization.CultureInfo.InvariantCulture);

    public static string Json(FaultRun baseline, IReadOnlyList<FaultRun> runs, TimeSpan elapsed)
    {
        var lines = Lines(baseline, runs);
        return System.Text.Json.JsonSerializer.Serialize(new
        {
            faults = runs.Count,
            minutes = Math.Round(elapsed.TotalMinutes, 1),
            checks = lines.Count,
            killed = lines.Count(l => l.Killed),
            killedPercent = Math.Round(lines.Count == 0 ? 0 : 100.0 * lines.Count(l => l.Killed) / lines.Count, 1),
            notKillableWithReason = lines.Count(l => !l.Killed && l.NoKill is not null),
            pending = lines.Count(l => l.Pending),
            withoutUnitProof = lines.Count(l => l.Proofs.Count == 0),
            results = lines.Select(l => new
            {
                id = l.Id, level = l.Level, killedBy = l.KilledBy, killedInInterop = l.KilledInInterop, unitProofs = l.Proofs,
                noKill = l.NoKill is null ? null : new { kind = l.NoKill.Kind.ToString(), reason = l.NoKill.Reason },
                pending = l.Pending,
            }),
        }, new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    public static string Markdown(FaultRun baseline, IReadOnlyList<FaultRun> runs, TimeSpan elapsed)
    {
        var lines = Lines(baseline, runs);
        var sb = new StringBuilder();
        sb.AppendLine("# Mutation report");
        sb.AppendLine();
        sb.AppendLine($"{runs.Count} faults injected by the proxy (`src/OidcConformance/Faults`, docs/faults.md) into runs against node-oidc-provider, " +
                      $"each compared with a fault-free run through the same proxy ({elapsed.TotalMinutes:F1} min in all); interop kills from " +
                      "`tests/OidcConformance.Tests/Interop/InteropFaultTests.cs`; unit failure proofs from `tests/OidcConformance.Tests/Proofs`; " +
                      "why a check cannot be killed: `src/OidcConformance/Faults/ChecksNoFaultKills.cs`.");
        sb.AppendLine();
        var killed = lines.Count(l => l.Killed);
        var unproven = lines.Where(l => !l.Killed && l.Proofs.Count == 0).ToList();
        var explained = lines.Count(l => !l.Killed && l.NoKill is not null);
        var pending = lines.Where(l => l.Pending).ToList();
        sb.AppendLine($"**{lines.Count} checks**: {killed} killed by at least one fault ({Percent(killed, lines.Count)} %) · {explained} that no fault can kill, each with its reason · " +
                      $"{pending.Count} pending (no fault yet) · {lines.Count(l => l.Proofs.Count > 0)} with a unit failure proof · {unproven.Count} unproven.");
        sb.AppendLine();
        if (unproven.Count > 0)
        {
            sb.AppendLine("## Unproven");
            sb.AppendLine();
            foreach (var c in unproven) sb.AppendLine($"- `{c.Id}`");
            sb.AppendLine();
        }
        sb.AppendLine("## Faults");
        sb.AppendLine();
        sb.AppendLine("| Fault | What breaks | Checks it killed | Run |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var r in runs.Where(r => !r.Fault.IsEvidenceLoss).OrderBy(r => r.Fault.Name))
            sb.AppendLine($"| `{r.Fault.Name}` | {r.Fault.Description}{(r.Fault.Source is null ? "" : $" ({r.Fault.Source})")} | " +
                          $"{string.Join(", ", FaultDiff.Of(r, baseline).Killed.Order().Select(i => $"`{i}`"))} | {r.Elapsed.TotalSeconds:F0} s |");
        sb.AppendLine();
        var losses = runs.Where(r => r.Fault.IsEvidenceLoss).OrderBy(r => r.Fault.Name).ToList();
        if (losses.Count > 0)
        {
            sb.AppendLine("## Evidence-loss faults");
            sb.AppendLine();
            sb.AppendLine("A refusal the provider gave is dropped on its way (a navigation error or a dropped connection): a check that rested on it must turn Inconclusive, never Passed, Failed or Warning.");
            sb.AppendLine();
            sb.AppendLine("| Fault | What breaks | Checks whose Passed turned Inconclusive | Run |");
            sb.AppendLine("|---|---|---|---|");
            foreach (var r in losses)
                sb.AppendLine($"| `{r.Fault.Name}` | {r.Fault.Description} | " +
                              $"{string.Join(", ", FaultDiff.Of(r, baseline).Changed.Where(c => c.Before?.Verdict == "Passed" && c.Now.Verdict == "Inconclusive").Select(c => c.Now.Id).Distinct().Order().Select(i => $"`{i}`"))} | {r.Elapsed.TotalSeconds:F0} s |");
            sb.AppendLine();
        }
        sb.AppendLine("## Checks");
        sb.AppendLine();
        sb.AppendLine("| Check | Level | Killed by faults | Unit failure proofs | No fault kills it because |");
        sb.AppendLine("|---|---|---|---|---|");
        foreach (var l in lines)
            sb.AppendLine($"| `{l.Id}` | {l.Level} | " +
                          $"{string.Join(", ", l.KilledBy.Select(n => $"`{n}`").Concat(l.KilledInInterop.Select(n => $"`{n}` (interop)")))} | " +
                          $"{string.Join("; ", l.Proofs.Select(n => n.Replace("|", "\\|")))} | " +
                          $"{(l.Killed ? "" : l.NoKill is { } why ? $"{why.Kind}: {why.Reason.Replace("|", "\\|")}" : "pending: no fault yet")} |");
        return sb.ToString();
    }
}
