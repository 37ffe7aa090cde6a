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
        TestContext.Progress.WriteLine($"[faults] mutation report: {path}");
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
        var b = FaultRuns.Baseline;
        b.SetupError.Should().BeNull(b.Output);
        b.Complete.Should().BeTrue(b.Output);
        b.Executions.Should().NotBeEmpty();
        b.Executions.Where(e => e.Verdict == "Error").Should().BeEmpty();
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

        var diff = FaultDiff.Of(run, FaultRuns.Baseline);
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

/// <summary>artifacts/mutation.md: per check, the faults that kill it and the unit proofs that fail it.</summary>
public static class MutationReport
{
    public static IEnumerable<FailureProof> UnitProofs() =>
        typeof(MutationReport).Assembly.GetTypes()
            .Where(t => typeof(IFailureProofs).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .SelectMany(t => ((IFailureProofs)Activator.CreateInstance(t)!).Proofs());

    public static string Markdown(FaultRun baseline, IReadOnlyList<FaultRun> runs, TimeSpan elapsed)
    {
        var killers = runs.SelectMany(r => FaultDiff.Of(r, baseline).Killed.Select(id => (id, r.Fault.Name)))
            .GroupBy(p => p.id).ToDictionary(g => g.Key, g => g.Select(p => p.Name).Order().ToList());
        var proofs = UnitProofs().GroupBy(p => p.Check.Id).ToDictionary(g => g.Key, g => g.Select(p => p.Name).ToList());
        var sb = new StringBuilder();
        sb.AppendLine("# Mutation report");
        sb.AppendLine();
        sb.AppendLine($"{runs.Count} faults injected by the proxy (`src/OidcConformance/Faults`, docs/faults.md) into runs against node-oidc-provider, " +
                      $"each compared with a fault-free run through the same proxy ({elapsed.TotalMinutes:F1} min in all); unit failure proofs from `tests/OidcConformance.Tests/Proofs`.");
        sb.AppendLine();
        var all = CheckCatalog.All.OrderBy(c => c.Id).ToList();
        var byFault = all.Count(c => killers.ContainsKey(c.Id));
        var unproven = all.Where(c => !killers.ContainsKey(c.Id) && !proofs.ContainsKey(c.Id)).ToList();
        sb.AppendLine($"**{all.Count} checks**: {byFault} killed by at least one fault · {all.Count(c => proofs.ContainsKey(c.Id))} with a unit failure proof · {unproven.Count} unproven.");
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
        sb.AppendLine("| Check | Level | Killed by faults | Unit failure proofs |");
        sb.AppendLine("|---|---|---|---|");
        foreach (var c in all)
            sb.AppendLine($"| `{c.Id}` | {(c.Level == RequirementLevel.Must ? "MUST" : "SHOULD")} | " +
                          $"{string.Join(", ", killers.GetValueOrDefault(c.Id, []).Select(n => $"`{n}`"))} | " +
                          $"{string.Join("; ", proofs.GetValueOrDefault(c.Id, []).Select(n => n.Replace("|", "\\|")))} |");
        return sb.ToString();
    }
}
