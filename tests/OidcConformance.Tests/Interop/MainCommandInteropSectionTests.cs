using System.Diagnostics;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Interop;
using OidcConformance.Reporting;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Interop;

/// <summary>
/// Issue #14, "Done when": the README's main command writes the "Relying-party interop" section for the embedded provider.
/// The test runs run.sh itself (`./run.sh conformance runsettings/node-oidc-provider.runsettings --filter Category=Interop`:
/// run.sh passes the arguments after the runsettings file to its own `dotnet test` invocation), so it cannot drift from the
/// command users run; only the set-up (build, browser) is skipped, because the solution under test is already built.
/// It reads back report.json, report.md and report.html from the artifacts folder run.sh names.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class MainCommandInteropSectionTests
{
    [Test]
    public async Task Run_sh_conformance_writes_the_interop_section_for_the_embedded_provider()
    {
        var artifacts = Directory.CreateTempSubdirectory("runsh-interop-").FullName;
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = SuiteProcess.Root };
        foreach (var a in new[] { Path.Combine(SuiteProcess.Root, "run.sh"), "conformance", "runsettings/node-oidc-provider.runsettings", "--filter", "Category=Interop" })
            psi.ArgumentList.Add(a);
        psi.Environment["RUN_SH_SKIP_PREPARE"] = "1"; // run.sh's own hook for tests on a solution they have just built
        psi.Environment["CONFIGURATION"] = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        psi.Environment["OIDC_ARTIFACTS"] = artifacts; // run.sh reads the same variable for where the reports land
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        try { await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(4)); }
        catch (TimeoutException) { p.Kill(true); throw; }
        var output = await stdout + await stderr;
        string Tail() => output.Length <= 6000 ? output : output[^6000..];

        // On node-oidc-provider every interop cell is as its baseline (fixtures/baselines/node-oidc-provider-9.13.3.json) expects.
        p.ExitCode.Should().Be(0, Tail());
        var jsonPath = Path.Combine(artifacts, "report.json");
        File.Exists(jsonPath).Should().BeTrue($"run.sh names {artifacts}/report.json as the report; {Tail()}");
        var report = ReportFile.Load(jsonPath);
        report.SetupError.Should().BeNull(Tail());

        // Every cell of every library row (code and hybrid), each with a status that is a statement, never a harness Error.
        var expected = InteropLibraries.All.SelectMany(InteropChecks.Of).Select(c => c.Id).ToList();
        expected.Should().Contain(["interop.aspnetcore.login", "interop.openid-client.revocation", "interop.aspnetcore-hybrid.id-token", "interop.openid-client-hybrid.id-token"]);
        report.Interop.Select(c => c.Check).Should().BeEquivalentTo(expected, Tail());
        report.Interop.Should().OnlyContain(c => c.Status == "Works" || c.Status == "Broken" || c.Status == "Not offered" || c.Status == "Not reached");
        report.Interop.Should().OnlyContain(c => c.Detail.Length > 0, "each cell says what the library did");
        using (var json = JsonDocument.Parse(File.ReadAllText(jsonPath)))
            json.RootElement.GetProperty("interop").GetProperty("libraries").GetArrayLength().Should().Be(InteropLibraries.All.Count);

        var md = File.ReadAllText(Path.Combine(artifacts, "report.md"));
        md.Should().Contain($"## {InteropSection.Title}");
        foreach (var library in InteropLibraries.All) md.Should().Contain(library.Name);
        md.Should().Contain("✅ Works");
        var html = File.ReadAllText(Path.Combine(artifacts, "report.html"));
        html.Should().Contain("<h2 id=\"interop\">").And.Contain(System.Net.WebUtility.HtmlEncode(InteropLibraries.AspNetCoreHybrid.Name));
        File.Exists(Path.Combine(artifacts, "conformance.trx")).Should().BeTrue("run.sh writes the TRX next to the reports");
    }
}
