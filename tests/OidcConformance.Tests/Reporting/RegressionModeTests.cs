using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Reporting;

/// <summary>Regression mode end to end on the embedded provider, on one SHOULD check (token.pragma-no-cache warns there).</summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class RegressionModeTests
{
    private static async Task<(SuiteProcess.Result Result, JsonElement Pragma)> RunWith(string? expected)
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("baseline-").FullName, "b.json");
        var entries = expected is null ? "" : $$"""{"check":"token.pragma-no-cache","case":null,"expected":"{{expected}}","reason":"test reason","source":"test"}""";
        File.WriteAllText(file, $$"""{"provider":"node-oidc-provider","version":"9.13.3","entries":[{{entries}}]}""");
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { ["OIDC_BASELINE"] = file }, filter: "Name~Pragma_no_cache");
        using var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.json")));
        var pragma = report.RootElement.GetProperty("results").EnumerateArray().Single(r => r.GetProperty("id").GetString() == "token.pragma-no-cache").Clone();
        return (result, pragma);
    }

    [Test]
    public async Task Expected_worse_and_better_verdicts()
    {
        var (asExpected, p1) = await RunWith("Warning");
        asExpected.ExitCode.Should().Be(0, asExpected.Output);
        p1.GetProperty("baseline").GetProperty("status").GetString().Should().Be("as expected");

        var (worse, p2) = await RunWith(null);
        worse.ExitCode.Should().NotBe(0);
        worse.Output.Should().Contain("REGRESSION");
        p2.GetProperty("baseline").GetProperty("status").GetString().Should().Be("regressed");
        p2.GetProperty("attachments").GetArrayLength().Should().BeGreaterThan(0, "a failure bundle is written");

        var (better, p3) = await RunWith("Failed");
        better.ExitCode.Should().NotBe(0);
        better.Output.Should().Contain("update the baseline with").And.Contain("./run.sh baseline-update");
        p3.GetProperty("baseline").GetProperty("status").GetString().Should().Be("improved");
    }
}
