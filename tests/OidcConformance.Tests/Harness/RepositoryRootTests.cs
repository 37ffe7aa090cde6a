using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The repository root (fixtures/, runsettings/) is found without relying on the current directory (issue #13 item 7):
/// Microsoft.Testing.Platform and IDE runners start the test host from the output folder or elsewhere.
/// </summary>
[TestFixture, NonParallelizable]
public sealed class RepositoryRootTests
{
    private string? savedDirectory;

    [SetUp]
    public void ElsewhereAsWorkingDirectory()
    {
        savedDirectory = Directory.GetCurrentDirectory();
        Directory.SetCurrentDirectory(Directory.CreateTempSubdirectory("not-the-repo-").FullName);
    }

    [TearDown]
    public void Restore() => Directory.SetCurrentDirectory(savedDirectory!);

    [Test]
    public void Relative_profile_resolves_from_the_assembly_location_when_the_working_directory_is_elsewhere()
    {
        var settings = RunSettings.Resolve(p => p == "profile" ? "fixtures/providers/glewlwyd/profile.json" : null, _ => null);
        settings.RepositoryRoot.Should().Be(SuiteProcess.Root);
        File.Exists(settings.ProfilePath).Should().BeTrue(settings.ProfilePath);
        settings.ArtifactsDirectory.Should().Be(Path.Combine(SuiteProcess.Root, "artifacts"));
    }

    [Test]
    public void An_absolute_profile_path_inside_another_checkout_names_that_checkout()
    {
        var checkout = Directory.CreateTempSubdirectory("other-checkout-").FullName;
        File.WriteAllText(Path.Combine(checkout, "OidcConformance.sln"), "");
        var profile = Path.Combine(checkout, "fixtures", "providers", "x", "profile.json");
        Directory.CreateDirectory(Path.GetDirectoryName(profile)!);
        RunSettings.LocateRepositoryRoot(null, profile).Should().Be(checkout, "the profile's own checkout comes before the assembly's");
        RunSettings.Resolve(p => p == "profile" ? profile : null, _ => null).ArtifactsDirectory.Should().Be(Path.Combine(checkout, "artifacts"));
    }

    [Test]
    public void A_start_point_from_the_test_platform_is_used_before_the_assembly_location()
    {
        var checkout = Directory.CreateTempSubdirectory("other-checkout-").FullName;
        File.WriteAllText(Path.Combine(checkout, "OidcConformance.sln"), "");
        var results = Directory.CreateDirectory(Path.Combine(checkout, "artifacts")).FullName;
        RunSettings.LocateRepositoryRoot(null, "fixtures/providers/x/profile.json", [null, results]).Should().Be(checkout);
    }

    [Test]
    public void An_explicit_root_wins_and_a_wrong_one_is_named()
    {
        RunSettings.Resolve(p => p == RunSettings.RootParameter ? SuiteProcess.Root : null, _ => null).RepositoryRoot.Should().Be(SuiteProcess.Root);
        var wrong = Directory.CreateTempSubdirectory("no-sln-").FullName;
        var act = () => RunSettings.Resolve(_ => null, e => e == RunSettings.RootEnvironmentVariable ? wrong : null);
        act.Should().Throw<InvalidOperationException>().WithMessage($"*{RunSettings.RootEnvironmentVariable}*{wrong}*OidcConformance.sln*");
    }

    /// <summary>The built suite, started from a folder outside the repository, still finds the profile and starts its provider.</summary>
    [Test, Category("SuiteProcess")]
    public async Task The_suite_runs_from_another_working_directory()
    {
        var elsewhere = Directory.CreateTempSubdirectory("suite-cwd-").FullName;
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string>(), filter: "FullyQualifiedName~PreflightTests",
            workingDirectory: elsewhere);
        result.ExitCode.Should().Be(0, result.Output);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.json")))!;
        report["provider"]!["name"]!.GetValue<string>().Should().Be("node-oidc-provider", "the default profile was found from the assembly's folder");
        Directory.EnumerateFileSystemEntries(elsewhere).Should().BeEmpty("nothing is written relative to the working directory");
    }
}
