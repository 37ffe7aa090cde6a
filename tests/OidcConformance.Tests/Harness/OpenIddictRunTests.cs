using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Profiles;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The whole catalog against OpenIddict 7.9, the third real provider (fixtures/providers/openiddict, built and started by
/// the suite from its profile): no harness error, every Failed or Warning verdict is a documented OpenIddict deviation
/// (profile "deviations", each with its evidence), and every documented deviation still shows (a stale entry would hide
/// a fixed behaviour).
/// </summary>
[TestFixture, Category("SuiteProcess"), Category("OpenIddict"), NonParallelizable]
public sealed class OpenIddictRunTests
{
    [Test]
    public async Task Whole_catalog_runs_against_openiddict_and_every_deviation_is_documented()
    {
        var profileFile = Path.Combine(SuiteProcess.Root, "fixtures/providers/openiddict/profile.json");
        var result = await SharedSuiteRuns.OpenIddictAsync();
        var reportFile = Path.Combine(result.ArtifactsDirectory, "report.json");
        File.Exists(reportFile).Should().BeTrue(result.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(reportFile));
        report.RootElement.GetProperty("complete").GetBoolean().Should().BeTrue();
        var results = report.RootElement.GetProperty("results").EnumerateArray().ToList();
        results.Should().HaveCountGreaterThan(25);
        var errors = results.Where(r => r.GetProperty("verdict").GetString() == "Error").Select(r => $"{r.GetProperty("id")}: {r.GetProperty("reason")}").ToList();
        errors.Should().BeEmpty("a harness error is never a verdict");
        results.Count(r => r.GetProperty("verdict").GetString() == "Passed").Should().BeGreaterThan(100, "OpenIddict is a largely conformant provider");
        var documented = ProfileLoader.Load(profileFile).Deviations.Select(d => d.Check).ToHashSet();
        var deviating = results.Where(r => r.GetProperty("verdict").GetString() is "Failed" or "Warning")
            .Select(r => r.GetProperty("id").GetString()!).Distinct().ToList();
        deviating.Where(id => !documented.Contains(id)).Should().BeEmpty("every OpenIddict deviation must be recorded with its evidence");
        documented.Where(id => !deviating.Contains(id)).Should().BeEmpty("a documented deviation that no longer shows must be removed from the profile");
        result.ExitCode.Should().Be(0, result.Output);
    }
}
