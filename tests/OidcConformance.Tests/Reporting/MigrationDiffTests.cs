using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Migration;
using OidcConformance.Reporting;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Reporting;

/// <summary>
/// The migration diff on two saved real runs, node-oidc-provider 9.13.3 → glewlwyd: it must show their real
/// differences (random vs username-based sub, hybrid default response mode, token error statuses), and the category
/// "Migration" test runs both providers live and checks the same on fresh reports.
/// </summary>
[TestFixture]
public sealed class MigrationDiffTests
{
    private static MigrationDiff Saved() => MigrationDiff.Compare(SavedReports.Load(SavedReports.Node), SavedReports.Load(SavedReports.Glewlwyd));

    [Test]
    public void Saved_runs_have_facts() =>
        new[] { SavedReports.Node, SavedReports.Glewlwyd }.Select(SavedReports.Load).Should().OnlyContain(r => r.Facts != null && r.Complete);

    [Test]
    public void Diff_of_the_saved_runs_shows_their_real_differences() => AssertRealDifferences(Saved());

    [Test]
    public void Identical_runs_have_no_difference()
    {
        var node = SavedReports.Load(SavedReports.Node);
        var diff = MigrationDiff.Compare(node, node);
        diff.VerdictChanges.Should().BeEmpty();
        diff.FactChanges.Should().BeEmpty();
        diff.ErrorChanges.Should().BeEmpty();
        diff.Headline.Should().ContainSingle().Which.Should().Contain("No difference");
    }

    [Test]
    public void Markdown_leads_with_what_relying_parties_will_see_and_json_round_trips()
    {
        var diff = Saved();
        var md = diff.ToMarkdown();
        md.Should().Contain("## What relying parties that work with node-oidc-provider 9.13.3 will see differently on glewlwyd");
        md.IndexOf("What relying parties", StringComparison.Ordinal).Should().BeLessThan(md.IndexOf("## Verdict changes", StringComparison.Ordinal));
        var json = JsonNode.Parse(diff.ToJson())!;
        ((string?)json["schema"]).Should().Be(MigrationDiff.Schema);
        json["verdictChanges"]!.AsArray().Count.Should().Be(diff.VerdictChanges.Count);
    }

    [Test]
    public void Sub_formats_are_classified_without_values()
    {
        BehaviourFacts.SubFormat("alice", ["alice"]).Should().Be("username");
        BehaviourFacts.SubFormat("3f2504e0-4f89-11d3-9a0c-0305e82c3301", ["alice"]).Should().Be("uuid");
        BehaviourFacts.SubFormat("12345", ["alice"]).Should().Be("numeric");
        BehaviourFacts.SubFormat("Xq9_kd83JfA-2", ["alice"]).Should().Be("opaque random string");
    }

    public static void AssertRealDifferences(MigrationDiff diff)
    {
        var sub = diff.FactChanges.Single(f => f.Path == "sub.format");
        sub.A.Should().Be("username", "node-oidc-provider's embedded accounts use the login name as accountId");
        sub.B.Should().Be("opaque random string", "glewlwyd issues a random sub per user");
        diff.Headline.Should().Contain(l => l.Contains("Subject identifiers change format"));
        // Hybrid flows: node-oidc-provider answers in the fragment (the default), glewlwyd in the query.
        diff.VerdictChanges.Should().Contain(v => v.Check == "frontchannel.fragment-encoding" && v.A == "Passed" && v.B == "Failed");
        // The token endpoint answers the same bad code exchange with another status and error code (400 invalid_grant → 403 invalid_code).
        diff.ErrorChanges.Should().Contain(e => e.Request.EndsWith("/token", StringComparison.Ordinal) && e.A == "400 invalid_grant" && e.B!.StartsWith("403", StringComparison.Ordinal));
        diff.Headline.Should().Contain(l => l.Contains("Error responses differ"));
        // glewlwyd lists "token id_token" and "code token id_token": the same response types in another order, so only
        // "code token" (which it does not offer) is lost.
        diff.Headline.Should().ContainSingle(l => l.Contains("`response_types_supported`"))
            .Which.Should().Contain("\"code token\"").And.NotContain("id_token token");
        diff.Headline.Should().Contain(l => l.Contains("`claims_parameter_supported` is false on node-oidc-provider 9.13.3, true on glewlwyd"));
    }
}

/// <summary>Runs the suite against both real providers and diffs the two fresh reports.</summary>
[TestFixture, Category("Migration"), Category("SuiteProcess"), NonParallelizable]
public sealed class LiveMigrationTests
{
    [Test]
    public async Task Node_oidc_provider_to_glewlwyd_diff_from_live_runs()
    {
        if (!(Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin"]).Any(d => File.Exists(Path.Combine(d, "glewlwyd"))))
            Assert.Ignore("glewlwyd is not installed (Debian: apt-get install glewlwyd sqlite3)");
        // The shared whole runs (SharedSuiteRuns), also read by the order, secrets and glewlwyd tests. Regression mode does not
        // change a report's verdicts or facts, only the exit code and the "as expected" marks, which the diff does not read.
        var node = (await SharedSuiteRuns.NodeAsync()).Result;
        var glewlwyd = await SharedSuiteRuns.GlewlwydAsync();
        var diff = MigrationDiff.Compare(ReportFile.Load(Path.Combine(node.ArtifactsDirectory, "report.json")),
            ReportFile.Load(Path.Combine(glewlwyd.ArtifactsDirectory, "report.json")));
        TestContext.Out.WriteLine(diff.ToMarkdown());
        MigrationDiffTests.AssertRealDifferences(diff);
    }
}
