using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The JWT bearer grant family against Authlib 1.2 (fixtures/providers/authlib), the only real implementation of RFC 7523's
/// grant here: started by the suite from its profile and run with its own runsettings (which select the family), as a user
/// runs it. Every jwtbearer.* check runs, none is an Error, and each is Passed: Authlib validates aud, exp, nbf, the
/// signature and (with the jti option its documentation shows) replays.
/// </summary>
[TestFixture, Category("SuiteProcess"), Category("Authlib"), NonParallelizable]
public sealed class AuthlibRunTests
{
    [Test]
    public async Task Jwt_bearer_family_passes_on_authlib()
    {
        var result = SuiteProcess.KeepReports(await SuiteProcess.RunAsync(new Dictionary<string, string>(), timeout: TimeSpan.FromMinutes(5),
            settingsFile: Path.Combine(SuiteProcess.Root, "runsettings/authlib.runsettings")), "authlib");
        var reportFile = Path.Combine(result.ArtifactsDirectory, "report.json");
        File.Exists(reportFile).Should().BeTrue(result.Output);
        using var report = JsonDocument.Parse(File.ReadAllText(reportFile));
        report.RootElement.GetProperty("complete").GetBoolean().Should().BeTrue();
        var verdicts = report.RootElement.GetProperty("results").EnumerateArray()
            .Select(r => (Id: r.GetProperty("id").GetString()!, Verdict: r.GetProperty("verdict").GetString()!, Reason: r.GetProperty("reason").GetString())).ToList();
        var family = CheckCatalog.All.Where(c => c.Id.StartsWith("jwtbearer.", StringComparison.Ordinal)).Select(c => c.Id).ToList();
        family.Should().HaveCount(7);
        verdicts.Select(v => v.Id).Distinct().Should().BeEquivalentTo(family, "the runsettings select the JWT bearer family, all of it");
        verdicts.Where(v => v.Verdict != "Passed").Select(v => $"{v.Id}: {v.Verdict}: {v.Reason}").Should().BeEmpty();
        result.ExitCode.Should().Be(0, result.Output);
    }
}
