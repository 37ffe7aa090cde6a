using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Profiles;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The whole catalog against glewlwyd, the independent second provider: no harness error, and every Failed or
/// Warning verdict is a documented glewlwyd deviation (profile "deviations", with its evidence in the README).
/// </summary>
[TestFixture, Category("SuiteProcess"), Category("Glewlwyd"), NonParallelizable]
public sealed class GlewlwydRunTests
{
    private static bool Installed() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':').Concat(["/usr/sbin", "/usr/bin"])
            .Any(dir => File.Exists(Path.Combine(dir, "glewlwyd")));

    [Test]
    public async Task Whole_catalog_runs_against_glewlwyd_and_every_deviation_is_documented()
    {
        if (!Installed()) Assert.Ignore("glewlwyd is not installed (Debian: apt-get install glewlwyd sqlite3); .ci/run installs it");
        var profileFile = Path.Combine(SuiteProcess.Root, "fixtures/providers/glewlwyd/profile.json");
        var result = await SharedSuiteRuns.GlewlwydAsync(); // the same run the live migration diff reads
        var reportFile = Path.Combine(result.ArtifactsDirectory, "report.json");
        File.Exists(reportFile).Should().BeTrue(result.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(reportFile));
        report.RootElement.GetProperty("complete").GetBoolean().Should().BeTrue();
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Should().HaveCountGreaterThan(25);
        var errors = results.Where(r => r.GetProperty("verdict").GetString() == "Error").Select(r => $"{r.GetProperty("id")}: {r.GetProperty("reason")}").ToList();
        errors.Should().BeEmpty("a harness error is never a verdict");
        var documented = ProfileLoader.Load(profileFile).Deviations.Select(d => d.Check).ToHashSet();
        var undocumented = results.Where(r => r.GetProperty("verdict").GetString() is "Failed" or "Warning")
            .Select(r => r.GetProperty("id").GetString()!).Where(id => !documented.Contains(id)).Distinct().ToList();
        undocumented.Should().BeEmpty("every glewlwyd deviation must be recorded with its evidence");
        result.ExitCode.Should().Be(0, result.Output);
    }
}
