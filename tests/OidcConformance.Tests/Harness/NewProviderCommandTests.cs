using System.Diagnostics;
using System.Xml.Linq;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Profiles;

namespace OidcConformance.Tests.Harness;

/// <summary><c>./run.sh new-provider NAME</c> writes a skeleton profile and runsettings that load as they are (issue #13 item 3).</summary>
[TestFixture]
public sealed class NewProviderCommandTests
{
    private static (int Code, string Output) Run(string outDir, string name)
    {
        var psi = new ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(SuiteProcess.Root, "run.sh"));
        psi.ArgumentList.Add("new-provider");
        psi.ArgumentList.Add(name);
        psi.Environment["OUT"] = outDir;
        using var p = Process.Start(psi)!;
        var output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
        p.WaitForExit();
        return (p.ExitCode, output);
    }

    [Test]
    public void The_skeleton_profile_loads_with_the_declarative_driver_and_the_runsettings_names_it()
    {
        var outDir = Directory.CreateTempSubdirectory("new-provider-").FullName;
        var (code, output) = Run(outDir, "acme");
        code.Should().Be(0, output);
        var profile = ProfileLoader.Load(Path.Combine(outDir, "fixtures/providers/acme/profile.json"));
        profile.Name.Should().Be("acme");
        LoginDrivers.Create(profile).Should().BeOfType<DeclarativeLoginDriver>();
        File.ReadAllText(profile.SourceFile).Should().Contain("CHANGE ME");
        var parameters = XDocument.Load(Path.Combine(outDir, "runsettings/acme.runsettings")).Descendants("Parameter")
            .ToDictionary(e => e.Attribute("name")!.Value, e => e.Attribute("value")!.Value);
        parameters["profile"].Should().Be("fixtures/providers/acme/profile.json");

        var again = Run(outDir, "acme");
        again.Code.Should().Be(2, "an existing profile is never overwritten");
        again.Output.Should().Contain("exists");
    }

    [Test]
    public void A_bad_name_is_refused() => Run(Directory.CreateTempSubdirectory("new-provider-").FullName, "Bad Name").Code.Should().Be(2);
}
