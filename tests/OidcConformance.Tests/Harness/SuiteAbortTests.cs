using System.Diagnostics;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The whole suite as a process, interrupted or misconfigured: results already reached are never lost, and a broken
/// settings file is named.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class SuiteAbortTests
{
    private static Process Start(IEnumerable<string> extraArgs, IDictionary<string, string> environment, StringBuilder output)
    {
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = SuiteProcess.Root };
        psi.ArgumentList.Add("test");
        psi.ArgumentList.Add(SuiteProcess.ConformanceAssembly);
        foreach (var a in extraArgs) psi.ArgumentList.Add(a);
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        return p;
    }

    private static int ResultCount(string reportPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllText(reportPath));
            return doc.RootElement.GetProperty("results").GetArrayLength();
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException) { return 0; }
    }

    [Test]
    public async Task Killed_run_keeps_the_verdicts_it_reached_in_report_json()
    {
        var artifacts = Directory.CreateTempSubdirectory("suite-abort-").FullName;
        var report = Path.Combine(artifacts, "report.json");
        var output = new StringBuilder();
        using var p = Start([], new Dictionary<string, string> { ["OIDC_ARTIFACTS"] = artifacts }, output);
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(4);
        try
        {
            // Poll (no fixed sleep) until some verdicts are in, then kill the whole process tree as a crash or a CI cancel would.
            while (ResultCount(report) < 20)
            {
                if (p.HasExited) Assert.Fail($"the suite ended before it could be interrupted:\n{output}");
                if (DateTime.UtcNow > deadline) Assert.Fail($"no 20 verdicts within 4 minutes:\n{output}");
                await Task.Delay(100);
            }
        }
        finally
        {
            if (!p.HasExited) p.Kill(entireProcessTree: true);
            await p.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(report)); // still a whole JSON document
        var root = doc.RootElement;
        root.GetProperty("complete").GetBoolean().Should().BeFalse("the run never finished");
        var results = root.GetProperty("results").EnumerateArray().ToList();
        results.Count.Should().BeGreaterThanOrEqualTo(20);
        results.Should().OnlyContain(r => r.GetProperty("id").GetString()!.Length > 0 && r.GetProperty("verdict").GetString()!.Length > 0);
        // A kill can land between writing report.json.tmp and renaming it: the .tmp may then remain, but report.json
        // (checked above) is always a whole document, because it is only ever replaced by a rename.
    }

    private static string BrokenRunsettings()
    {
        var file = Path.Combine(Directory.CreateTempSubdirectory("runsettings-").FullName, "broken.runsettings");
        File.WriteAllText(file, "<RunSettings><TestRunParameters><Parameter name=\"profile\" value=\"x\"></TestRunParameters></RunSettings>");
        return file;
    }

    /// <summary>vstest itself rejects the file at once (without naming it; run.sh adds the name, see below).</summary>
    [Test]
    public async Task Malformed_runsettings_is_rejected_by_dotnet_test_before_anything_runs()
    {
        var output = new StringBuilder();
        using var p = Start(["--settings", BrokenRunsettings()], new Dictionary<string, string>(), output);
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        p.ExitCode.Should().NotBe(0);
        output.ToString().Should().Contain("Settings file provided does not conform to required format").And.Contain("Line 1");
    }

    [Test]
    public async Task Malformed_runsettings_through_run_sh_names_the_file()
    {
        var file = BrokenRunsettings();
        var psi = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = SuiteProcess.Root };
        psi.ArgumentList.Add(Path.Combine(SuiteProcess.Root, "run.sh"));
        psi.ArgumentList.Add("conformance");
        psi.ArgumentList.Add(file);
        psi.Environment["RUN_SH_SKIP_PREPARE"] = "1";
        psi.Environment["CONFIGURATION"] = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(2));
        var output = await stdout + await stderr;
        TestContext.Out.WriteLine(output);
        p.ExitCode.Should().Be(2);
        output.Should().Contain($"runsettings file '{file}' is malformed").And.Contain("does not match the end tag");
    }
}
