using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Baselines;
using OidcConformance.Checks;
using OidcConformance.Reporting;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Reporting;

/// <summary>Regression mode: how verdicts compare with a baseline, how baselines are read, resolved and rewritten.</summary>
[TestFixture]
public sealed class BaselineTests
{
    private static Baseline Sample() => new()
    {
        Provider = "p", Version = "1",
        Entries =
        [
            new BaselineEntry("token.pragma-no-cache", null, Verdict.Warning, "no Pragma header (library default)", "README"),
            new BaselineEntry("authz.redirect-uri-near-miss-rejected", "port-changed", Verdict.Inconclusive, "loopback", null),
            new BaselineEntry("token.unauthorized-client-grant", null, Verdict.Failed, "invalid_request instead of unauthorized_client", "profile"),
        ],
    };

    [TestCase("token.pragma-no-cache", null, Verdict.Warning, BaselineStatus.AsExpected)]
    [TestCase("token.pragma-no-cache", null, Verdict.Passed, BaselineStatus.Improved)]
    [TestCase("token.pragma-no-cache", null, Verdict.Failed, BaselineStatus.Regressed)]
    [TestCase("token.unauthorized-client-grant", null, Verdict.Warning, BaselineStatus.Improved)]
    [TestCase("authz.redirect-uri-near-miss-rejected", "port-changed", Verdict.Passed, BaselineStatus.Improved)]
    [TestCase("authz.redirect-uri-near-miss-rejected", "port-changed", Verdict.Failed, BaselineStatus.Regressed)]
    [TestCase("authz.redirect-uri-near-miss-rejected", "query-added", Verdict.Inconclusive, BaselineStatus.Regressed)]
    [TestCase("discovery.issuer", null, Verdict.Passed, BaselineStatus.AsExpected)]
    [TestCase("discovery.issuer", null, Verdict.Warning, BaselineStatus.Regressed)]
    [TestCase("token.pragma-no-cache", null, Verdict.Error, BaselineStatus.NotCompared)]
    [TestCase("discovery.issuer", null, Verdict.Error, BaselineStatus.NotCompared)]
    public void Verdicts_compare_with_the_baseline(string check, string? @case, Verdict actual, BaselineStatus expected) =>
        Sample().Compare(check, @case, actual).Status.Should().Be(expected);

    [Test]
    public void Casdoor_baseline_loads_and_keeps_its_other_lists_when_rewritten()
    {
        var path = Path.Combine(SuiteProcess.Root, "fixtures/baselines/casdoor-3.158.0.json");
        var baseline = Baseline.Load(path);
        baseline.Provider.Should().Be("casdoor");
        baseline.Entries.Should().Contain(e => e.Check == "discovery.issuer-matches-url" && e.Case == "app-conformance" && e.Expected == Verdict.Inconclusive);
        baseline.Extra.ContainsKey(Baseline.UncheckedDeviations).Should().BeTrue();
        var copy = Path.GetTempFileName();
        baseline.Save(copy);
        var again = Baseline.Load(copy);
        again.Entries.Should().BeEquivalentTo(baseline.Entries);
        again.Extra[Baseline.UncheckedDeviations]!.ToJsonString().Should().Be(baseline.Extra[Baseline.UncheckedDeviations]!.ToJsonString());
    }

    [Test]
    public void The_node_oidc_provider_baseline_is_valid_and_has_reasons()
    {
        var baseline = Baseline.Load(Path.Combine(SuiteProcess.Root, "fixtures/baselines/node-oidc-provider-9.13.3.json"));
        baseline.Entries.Should().NotBeEmpty();
        baseline.Entries.Should().OnlyContain(e => e.Reason.Length > 0);
        baseline.Entries.Select(e => Baseline.Key(e.Check, e.Case)).Should().OnlyHaveUniqueItems();
    }

    [Test]
    public void Auto_picks_the_provider_version_file_only_when_it_exists_and_the_environment_wins()
    {
        var root = SuiteProcess.Root;
        BaselineSettings.ResolvePath("auto", root, "casdoor", "3.158.0").Should().EndWith("fixtures/baselines/casdoor-3.158.0.json");
        BaselineSettings.ResolvePath("auto", root, "casdoor", "0.0.0-none").Should().BeNull();
        BaselineSettings.ResolvePath(null, root, "casdoor", "3.158.0").Should().BeNull();
        FluentActions.Invoking(() => BaselineSettings.ResolvePath("fixtures/baselines/missing.json", root, "x", "1")).Should().Throw<BaselineException>();
        BaselineSettings.Requested(_ => "auto", _ => "none").Should().BeNull();
        BaselineSettings.Requested(_ => "auto", _ => null).Should().Be("auto");
        BaselineSettings.Requested(_ => null, _ => "other.json").Should().Be("other.json");
    }

    [Test]
    public void Update_keeps_existing_reasons_drops_now_passing_entries_and_refuses_harness_errors()
    {
        var report = SavedReports.Load(SavedReports.Node);
        var updated = BaselineWriter.FromReport(report, Sample(), "test");
        var pragma = updated.Find("token.pragma-no-cache", null);
        pragma.Should().NotBeNull();
        pragma!.Reason.Should().Be("no Pragma header (library default)", "existing reasons are kept");
        pragma.Source.Should().Be("README");
        updated.Entries.Should().OnlyContain(e => e.Expected != Verdict.Passed);
        var nonPassing = report.Results.Where(r => r.Verdict != "Passed").Select(r => r.Key).Distinct().Count();
        updated.Entries.Should().HaveCount(nonPassing);
        // Every updated baseline matches the run it was made from.
        foreach (var r in report.Results)
            updated.Compare(r.Id, r.Case, Enum.Parse<Verdict>(r.Verdict)).Status.Should().NotBe(BaselineStatus.Regressed, r.Key);

        var broken = new ReportFile
        {
            Path = "x", Provider = "p", Version = "1", Issuer = "i", Complete = true,
            Results = [new ReportedResult("a.b", null, "t", "A", "s", "MUST", "Error", "crash", null, null)],
        };
        FluentActions.Invoking(() => BaselineWriter.FromReport(broken, null, "x")).Should().Throw<BaselineException>().WithMessage("*harness errors*");
    }

    [Test]
    public void Update_replaces_the_reason_of_an_entry_whose_verdict_changed_and_keeps_the_old_source_in_view()
    {
        // The Casdoor case of issue #18: discovery.issuer-matches-url [app-*] was expected Failed, the real run was
        // Inconclusive; the old reason (a mismatch) would be wrong next to the new verdict.
        var existing = new Baseline
        {
            Provider = "p", Version = "1",
            Entries =
            [
                new BaselineEntry("discovery.issuer-matches-url", "app", Verdict.Failed, "slug: mismatch", "source A"),
                new BaselineEntry("token.pragma-no-cache", null, Verdict.Warning, "kept reason", "kept source"),
            ],
        };
        var report = new ReportFile
        {
            Path = "r.json", Provider = "p", Version = "1", Issuer = "i", Complete = true,
            Results =
            [
                new ReportedResult("discovery.issuer-matches-url", "app", "t", "A", "s", "MUST", "Inconclusive", "not a well-known URL", null, null),
                new ReportedResult("token.pragma-no-cache", null, "t", "A", "s", "SHOULD", "Warning", "run reason", null, null),
            ],
        };
        var updated = BaselineWriter.FromReport(report, existing, "r.json of today");
        var changed = updated.Find("discovery.issuer-matches-url", "app")!;
        changed.Expected.Should().Be(Verdict.Inconclusive);
        changed.Reason.Should().Be("not a well-known URL");
        changed.Source.Should().Be("verdict recorded from r.json of today (the previous entry expected Failed: source A)");
        var kept = updated.Find("token.pragma-no-cache", null)!;
        (kept.Reason, kept.Source).Should().Be(("kept reason", "kept source"));
    }
}
