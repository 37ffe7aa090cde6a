using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// Provider-specific checks are switched on by a profile feature (Casdoor: <c>features.casdoorApi</c>), and for a provider
/// without it they are left out of the run: its report has no Casdoor rows, not a score of Inconclusive ones (issue #13 item 4).
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class ProviderSpecificChecksTests
{
    [Test]
    public async Task A_report_for_a_provider_without_the_casdoor_feature_has_no_casdoor_rows()
    {
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string>(),
            filter: "Category=Casdoor|FullyQualifiedName~PreflightTests");
        result.ExitCode.Should().Be(0, result.Output);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.json")))!;
        report["provider"]!["name"]!.GetValue<string>().Should().Be("node-oidc-provider");
        var ids = report["results"]!.AsArray().Select(r => r!["id"]!.GetValue<string>()).ToList();
        ids.Should().NotContain(id => id.StartsWith("casdoor.", StringComparison.Ordinal));
        result.Output.Should().Contain("casdoorApi", "the skipped fixture says why it was left out");
    }
}
