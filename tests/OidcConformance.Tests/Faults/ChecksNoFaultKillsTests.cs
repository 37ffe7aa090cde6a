using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Baselines;
using OidcConformance.Checks;
using OidcConformance.Faults;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Faults;

/// <summary>
/// Holds <see cref="ChecksNoFaultKills"/> to the facts it claims (static: no fault runs): a reason only for a catalog check
/// that no fault kills, and each premise as the node-oidc-provider baseline records it.
/// </summary>
[TestFixture]
public sealed class ChecksNoFaultKillsTests
{
    private static readonly Baseline Node = Baseline.Load(Path.Combine(SuiteProcess.Root, "fixtures", "baselines", "node-oidc-provider-9.13.3.json"));

    private static IEnumerable<TestCaseData> Reasons() =>
        ChecksNoFaultKills.Reasons.Select(r => new TestCaseData(r.Key, r.Value).SetName($"No fault kills {r.Key} because {r.Value.Kind}"));

    [TestCaseSource(nameof(Reasons))]
    public void The_reason_holds(string check, NoKillReason why)
    {
        CheckCatalog.All.Should().Contain(c => c.Id == check, "a reason names a check of the catalog");
        why.Reason.Should().NotBeNullOrWhiteSpace();
        FaultCatalog.All.Where(f => f.Kills.Any(k => k.CheckId == check)).Select(f => f.Name)
            .Should().BeEmpty("a fault kills {0}: its reason is stale, remove it", check);
        Interop.InteropFaultTests.Kills.Where(k => k.Broken.Any(b => b.Check == check)).Select(k => k.Fault)
            .Should().BeEmpty("an interop fault kills {0}: its reason is stale, remove it", check);
        var entries = Node.Entries.Where(e => e.Check == check).ToList();
        switch (why.Kind)
        {
            case NoKillKind.ProviderSpecific:
                check.Should().StartWith("casdoor.", "only Casdoor's own checks run against one provider alone");
                entries.Should().BeEmpty("a provider-specific check is not run against node-oidc-provider at all");
                break;
            case NoKillKind.NotOfferedByFaultProvider:
                entries.Should().NotBeEmpty("the node-oidc-provider baseline records the check as Inconclusive");
                entries.Should().OnlyContain(e => e.Expected == Verdict.Inconclusive, "every execution lacks the premise, fault or not");
                break;
            case NoKillKind.CaughtByLibraryEarlier:
                check.Should().StartWith("interop.", "only an interop cell depends on a library's earlier steps");
                break;
            case NoKillKind.AlreadyViolatedWithoutFault:
                entries.Should().Contain(e => e.Expected == Verdict.Failed || e.Expected == Verdict.Warning,
                    "the node-oidc-provider baseline records the violation the reason names");
                break;
        }
    }

    [Test]
    public void Every_check_is_killed_explained_or_counted_as_pending()
    {
        // The report's three buckets cover the catalog exactly once (MutationReport.CheckLine).
        var killed = FaultCatalog.All.SelectMany(f => f.Kills.Select(k => k.CheckId))
            .Concat(Interop.InteropFaultTests.Kills.SelectMany(k => k.Broken.Select(b => b.Check))).ToHashSet();
        var all = CheckCatalog.All.Select(c => c.Id).ToList();
        var explained = all.Where(id => !killed.Contains(id) && ChecksNoFaultKills.Reasons.ContainsKey(id)).ToList();
        var pending = all.Where(id => !killed.Contains(id) && !ChecksNoFaultKills.Reasons.ContainsKey(id)).ToList();
        (all.Count(killed.Contains) + explained.Count + pending.Count).Should().Be(all.Count);
        TestContext.Out.WriteLine($"{all.Count} checks: {all.Count(killed.Contains)} killed, {explained.Count} explained, {pending.Count} pending");
        explained.Should().HaveCount(ChecksNoFaultKills.Reasons.Count, "no reason is given for a check a fault kills");
    }
}
