using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Doctor;

/// <summary><c>./run.sh doctor RUNSETTINGS</c>: the command's wiring, output and exit codes (its steps: <see cref="ProfileDoctorTests"/>).</summary>
[TestFixture, Category("Doctor"), Category("SuiteProcess")] // a process: left out of ./run.sh test --fast
public sealed class DoctorCommandTests
{
    private static (int Code, string Output) Run(params string[] args)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(SuiteProcess.Root, "run.sh"));
        psi.ArgumentList.Add("doctor");
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment["RUN_SH_SKIP_PREPARE"] = "1"; // built with this test project (its ProjectReference)
        psi.Environment["CONFIGURATION"] = Path.GetFileName(Path.GetDirectoryName(AppContext.BaseDirectory.TrimEnd('/'))!); // bin/<configuration>/net10.0
        using var p = Process.Start(psi)!;
        var stderr = p.StandardError.ReadToEndAsync();
        var output = p.StandardOutput.ReadToEnd() + stderr.Result;
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [Test]
    public void An_external_provider_that_is_not_running_is_one_problem_naming_the_issuer_key_exit_1()
    {
        var dir = Directory.CreateTempSubdirectory("doctor-command-").FullName;
        var profile = File.ReadAllText(Path.Combine(SuiteProcess.Root, "fixtures/providers/node-oidc-provider/profile.json"))
            .Replace("\"{start.issuer}\"", "\"http://127.0.0.1:9\"");
        var json = System.Text.Json.Nodes.JsonNode.Parse(profile)!.AsObject();
        json["start"] = new System.Text.Json.Nodes.JsonObject { ["mode"] = "external" };
        File.WriteAllText(Path.Combine(dir, "profile.json"), Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
        var settings = Path.Combine(dir, "acme.runsettings");
        File.WriteAllText(settings, $"""
            <RunSettings><TestRunParameters>
              <Parameter name="profile" value="{Path.Combine(dir, "profile.json")}" />
              <Parameter name="artifacts" value="{Path.Combine(dir, "artifacts")}" />
            </TestRunParameters></RunSettings>
            """);
        var (code, output) = Run(settings);
        code.Should().Be(1, output);
        output.Should().Contain("PROBLEM [discovery] $.issuer").And.Contain("http://127.0.0.1:9").And.Contain("fix:")
            .And.Contain("1 problem(s)").And.NotContain("conf-secret-7d1f0c9a4b2e");
    }

    [Test]
    public void A_missing_runsettings_file_is_a_usage_error() => Run("runsettings/no-such.runsettings").Code.Should().Be(2);
}
