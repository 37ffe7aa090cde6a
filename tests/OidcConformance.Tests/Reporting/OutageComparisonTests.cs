using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Migration;
using OidcConformance.Reporting;
using OidcConformance.Run;

namespace OidcConformance.Tests.Reporting;

/// <summary>An Error (a provider outage) is no verdict: the migration diff neither counts it as a change nor hides that the run is incomplete.</summary>
[TestFixture]
public sealed class OutageComparisonTests
{
    [Test]
    public void Migration_diff_does_not_count_errors_as_verdict_changes_and_says_the_run_is_incomplete()
    {
        var node = SavedReports.Load(SavedReports.Node);
        var passed = node.Results.First(r => r.Verdict == "Passed");
        var outage = new ReportFile
        {
            Path = node.Path, Provider = node.Provider, Version = node.Version, Issuer = node.Issuer, Complete = true, Facts = node.Facts,
            Results = node.Results.Select(r => r == passed ? r with { Verdict = "Error", Reason = "provider unreachable (back channel): connection refused" } : r).ToList(),
        };
        var diff = MigrationDiff.Compare(node, outage);
        diff.VerdictChanges.Should().BeEmpty("an Error is not a regression of the check");
        diff.Headline.Should().Contain(l => l.Contains("is incomplete: 1 executions are Errors") && l.Contains(passed.Key));
        MigrationDiff.Compare(outage, node).VerdictChanges.Should().BeEmpty("nor an improvement when the other run has the verdict");
    }

    [TestCase("connection refused (is the provider running?)", null, true)]
    [TestCase(null, 502, true)]
    [TestCase(null, 503, true)]
    [TestCase(null, 504, true)]
    [TestCase(null, 500, false)]
    [TestCase(null, 400, false)]
    [TestCase(null, 200, false)]
    public void Unreachable_means_no_answer_or_a_gateway_answer(string? transportError, int? status, bool unreachable)
    {
        var exchange = new Http.HttpExchange
        {
            Purpose = "t", Method = "GET", Url = new Uri("http://op.test/x"), RequestHeaders = [], TransportError = transportError,
            Status = status is null ? null : (System.Net.HttpStatusCode)status.Value,
        };
        (Unreachability.Of(exchange) is not null).Should().Be(unreachable);
    }
}
