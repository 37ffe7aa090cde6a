using System.Diagnostics;
using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Faults;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// A browser step that really fails: the suite runs against the embedded provider behind the fault proxy with
/// <c>authz-state-dropped</c> (the authorization response loses <c>state</c>), so authz.state-echoed fails on the reference
/// login. Its failure bundle must hold a screenshot and a redacted Playwright trace, attached in the TRX and listed in report.json.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class BrowserEvidenceTests
{
    private const string Fault = "authz-state-dropped";
    private const string Check = "authz.state-echoed";

    private static SuiteProcess.Result? run;
    private static string? recording;

    private static async Task<SuiteProcess.Result> FailingRunAsync()
    {
        if (run is not null) return run;
        recording = Directory.CreateTempSubdirectory("recording-").FullName;
        run = await SuiteProcess.RunAsync(new Dictionary<string, string>
        {
            [FaultProxy.EnvironmentVariable] = Fault,
            ["OIDC_RECORD_DIR"] = recording,
            [BrowserTrace.EnvironmentVariable] = "", // the default mode
        }, "Category=AuthorizationCode");
        return run;
    }

    private static string Bundle(SuiteProcess.Result r) => Path.Combine(r.ArtifactsDirectory, "failures", Check);

    [Test]
    public async Task A_failed_browser_step_gets_a_screenshot_and_a_trace_in_its_bundle_the_trx_and_report_json()
    {
        var r = await FailingRunAsync();
        var bundle = Bundle(r);
        Directory.Exists(bundle).Should().BeTrue($"{Check} must fail under {Fault}:\n{Tail(r.Output)}");

        var screenshot = Path.Combine(bundle, "screenshot.png");
        File.Exists(screenshot).Should().BeTrue();
        File.ReadAllBytes(screenshot).Take(4).Should().Equal([0x89, (byte)'P', (byte)'N', (byte)'G']);
        File.Exists(Path.Combine(bundle, "trace.zip")).Should().BeTrue();
        File.ReadAllText(Path.Combine(bundle, "verdict.md")).Should().Contain("## Browser evidence").And.Contain("screenshot.png")
            .And.Contain("trace.zip").And.Contain("shared by several checks");

        using (var report = JsonDocument.Parse(File.ReadAllText(Path.Combine(r.ArtifactsDirectory, "report.json"))))
        {
            var entry = report.RootElement.GetProperty("results").EnumerateArray().Single(e => e.GetProperty("id").GetString() == Check);
            entry.GetProperty("verdict").GetString().Should().Be("Failed");
            entry.GetProperty("attachments").EnumerateArray().Select(a => a.GetString()).Should()
                .Contain([$"failures/{Check}/screenshot.png", $"failures/{Check}/trace.zip", $"failures/{Check}/verdict.md"]);
        }

        // TRX: the result of the test lists the files, and the logger copied them next to it.
        var trx = XDocument.Load(Path.Combine(r.ArtifactsDirectory, "suite.trx"));
        XNamespace ns = trx.Root!.Name.Namespace;
        var result = trx.Descendants(ns + "UnitTestResult").Single(e => (string?)e.Attribute("testName") == "State_is_echoed");
        var files = result.Descendants(ns + "ResultFile").Select(f => (string)f.Attribute("path")!).ToList();
        files.Should().Contain(f => f.EndsWith("/screenshot.png") || f == "screenshot.png").And.Contain(f => f.EndsWith("/trace.zip") || f == "trace.zip");
        var executionId = (string)result.Attribute("executionId")!;
        Directory.GetFiles(r.ArtifactsDirectory, "trace.zip", SearchOption.AllDirectories)
            .Should().Contain(f => f.Contains(executionId), "the TRX logger copies each attachment into the result's folder");
    }

    [Test]
    public async Task The_trace_is_a_playwright_trace_with_the_login_steps()
    {
        var r = await FailingRunAsync();
        var zipPath = Path.Combine(Bundle(r), "trace.zip");
        File.Exists(zipPath).Should().BeTrue(Tail(r.Output));
        using (var zip = ZipFile.OpenRead(zipPath))
        {
            var names = zip.Entries.Select(e => e.FullName).ToList();
            names.Should().Contain(["trace.trace", "trace.network"]).And.Contain(n => n.StartsWith("resources/"));
            var events = zip.Entries.Where(e => e.FullName.EndsWith(".trace"))
                .SelectMany(e => Text(e).Split('\n', StringSplitOptions.RemoveEmptyEntries))
                .Select(l => JsonDocument.Parse(l).RootElement.Clone()).ToList();
            events.First().GetProperty("type").GetString().Should().Be("context-options");
            var fills = events.Where(e => e.TryGetProperty("method", out var m) && m.GetString() == "fill").ToList();
            fills.Should().NotBeEmpty("the reference login types the credentials");
            fills.Should().OnlyContain(e => e.GetProperty("params").GetProperty("value").GetString()!.StartsWith("[redacted"));
            events.Should().Contain(e => e.GetProperty("type").GetString() == "frame-snapshot", "DOM snapshots are on by default");
            Text(zip.GetEntry("trace.network")!).Should().Contain("/callback?");
        }

        // Playwright's own trace loader (its `trace` command, the same model as the trace viewer) opens it.
        if (PlaywrightCli() is not { } cli)
        {
            Assert.Warn("Playwright's driver (node + cli.js) is not next to the test assembly: only the zip layout was checked");
            return;
        }
        var work = Directory.CreateTempSubdirectory("trace-open-").FullName;
        try
        {
            var opened = await RunAsync(cli, work, "trace", "open", zipPath);
            opened.Should().MatchRegex(@"Actions:\s+[1-9]", "the loader reads the actions");
            var actions = await RunAsync(cli, work, "trace", "actions");
            actions.Should().Contain("Fill").And.Contain("[redacted typed input]");
        }
        finally { Directory.Delete(work, true); }
    }

    [Test]
    public async Task No_secret_or_token_is_in_any_bundle_file_or_trace_entry()
    {
        var r = await FailingRunAsync();
        var secrets = SuiteSecretsTests.KnownSecrets(recording!);
        var outputs = SuiteSecretsTests.Outputs(r.ArtifactsDirectory).ToList();
        outputs.Should().Contain(o => o.Name.Contains("trace.zip!trace.trace")).And.Contain(o => o.Name.Contains("trace.zip!trace.network"));
        SuiteSecretsTests.AssertClean(outputs, secrets);
    }

    [Test]
    public async Task With_tracing_off_the_bundle_still_gets_the_screenshot_and_says_why_there_is_no_trace()
    {
        var off = await SuiteProcess.RunAsync(new Dictionary<string, string>
        {
            [FaultProxy.EnvironmentVariable] = Fault,
            [BrowserTrace.EnvironmentVariable] = "off",
        }, "FullyQualifiedName~CodeFlowTests.State_is_echoed");
        var bundle = Bundle(off);
        Directory.Exists(bundle).Should().BeTrue(Tail(off.Output));
        File.Exists(Path.Combine(bundle, "screenshot.png")).Should().BeTrue();
        File.Exists(Path.Combine(bundle, "trace.zip")).Should().BeFalse();
        File.ReadAllText(Path.Combine(bundle, "verdict.md")).Should().Contain("no trace: tracing is off");
        Directory.Delete(off.ArtifactsDirectory, true);
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        if (run is not null) try { Directory.Delete(run.ArtifactsDirectory, true); } catch (IOException) { }
        if (recording is not null) try { Directory.Delete(recording, true); } catch (IOException) { }
        run = null;
    }

    private static string Text(ZipArchiveEntry entry)
    {
        using var reader = new StreamReader(entry.Open(), Encoding.UTF8);
        return reader.ReadToEnd();
    }

    private static string Tail(string output) => string.Join('\n', output.Split('\n').TakeLast(40));

    /// <summary>The Playwright driver that Microsoft.Playwright copies next to the assembly: (node, cli.js).</summary>
    private static (string Node, string Cli)? PlaywrightCli()
    {
        var root = Path.Combine(AppContext.BaseDirectory, ".playwright");
        var cli = Path.Combine(root, "package", "cli.js");
        var node = Directory.Exists(Path.Combine(root, "node"))
            ? Directory.GetFiles(Path.Combine(root, "node"), OperatingSystem.IsWindows() ? "node.exe" : "node", SearchOption.AllDirectories).FirstOrDefault()
            : null;
        return node is not null && File.Exists(cli) ? (node, cli) : null;
    }

    private static async Task<string> RunAsync((string Node, string Cli) cli, string workingDirectory, params string[] args)
    {
        var psi = new ProcessStartInfo(cli.Node) { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        psi.ArgumentList.Add(cli.Cli);
        foreach (var a in args) psi.ArgumentList.Add(a);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(1));
        var output = await stdout + await stderr;
        p.ExitCode.Should().Be(0, $"`playwright {string.Join(' ', args)}` failed:\n{output}");
        return output;
    }
}
