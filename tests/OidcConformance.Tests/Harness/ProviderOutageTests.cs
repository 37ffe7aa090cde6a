using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Faults;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The provider goes away in the middle of a real run (the suite as a user runs it, through the fault proxy, filtered to
/// the UserInfo suites, which use both the back channel and browser logins): no Failed or Passed verdict rests on an
/// unreachable provider, every execution that met the outage is an Error saying so, report.md leads with the outage, the
/// JUnit/TRX messages say PROVIDER UNREACHABLE, and a provider that stays down ends the run within 30 s. The three runs
/// take about a minute each.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class ProviderOutageTests
{
    /// <summary>What a verdict must never rest on: the words of an unreachable provider (transport errors, gateway answers).</summary>
    private static readonly Regex UnreachableEvidence = new(
        @"connection refused|ERR_(CONNECTION|EMPTY_RESPONSE|NAME_NOT|TIMED_OUT|ADDRESS)|\b50[234]\b|Bad ?Gateway|Service ?Unavailable|closed the connection|unreachable|network error",
        RegexOptions.IgnoreCase);

    [TestCase("provider-stops", false, TestName = "Provider_stopped_mid_run_and_staying_down_gives_errors_and_ends_soon")]
    // provider-restarts: ProviderRestartsMidRunTests drives the restart in-process, because in a short filtered run the
    // remaining executions (Errors at once) may all be done before a restarted provider has come up.
    [TestCase("provider-503", false, TestName = "Provider_answering_503_mid_run_gives_errors_not_verdicts")]
    [TestCase("browser-refused", false, TestName = "Provider_origin_refusing_the_browser_mid_run_gives_errors_not_verdicts")]
    public async Task Outage(string faultName, bool comesBack)
    {
        OutageFaults.All.Should().Contain(f => f.Name == faultName);
        var environment = new Dictionary<string, string>
        {
            [FaultProxy.EnvironmentVariable] = faultName,
            // after the shared discovery and the first logins, so that the run has verdicts from before the outage
            [OutageFaults.AfterVariable] = "30",
        };
        // One of them goes through ./run.sh conformance, the CI job's command, for its exit code.
        var throughRunSh = faultName == "provider-503";
        var result = throughRunSh
            ? await RunShConformanceAsync(environment, "Category=UserInfo")
            : await SuiteProcess.RunAsync(environment, "Category=UserInfo", TimeSpan.FromMinutes(10));
        if (throughRunSh)
        {
            result.ExitCode.Should().Be(3, "exit code 3 tells a CI job that the provider was down, not non-conformant\n" + Tail(result.Output));
            result.Output.Should().Contain("the provider became unreachable during the run");
            File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "conformance.junit.xml")).Should().Contain("PROVIDER UNREACHABLE");
        }

        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.json")));
        var root = doc.RootElement;
        var results = root.GetProperty("results").EnumerateArray()
            .Select(r => (Id: r.GetProperty("id").GetString()!, Verdict: r.GetProperty("verdict").GetString()!, Reason: r.GetProperty("reason").GetString() ?? "")).ToList();
        var context = string.Join("\n", results.Select(r => $"{r.Verdict} {r.Id}: {r.Reason}")) + "\n--- output:\n" + Tail(result.Output);

        root.GetProperty("providerOutage").GetBoolean().Should().BeTrue(context);
        var outages = root.GetProperty("outages").EnumerateArray().ToList();
        outages.Should().NotBeEmpty();
        var outage = outages[0];

        // No verdict about the provider rests on its absence; every Error says the provider could not be reached.
        results.Where(r => r.Verdict is "Failed" or "Passed" or "Warning" && UnreachableEvidence.IsMatch(r.Reason))
            .Should().BeEmpty("a verdict must not rest on an unreachable provider\n" + context);
        results.Should().NotContain(r => r.Verdict == "Failed", "the embedded provider is conformant on these checks when it answers\n" + context);
        var errors = results.Where(r => r.Verdict == "Error").ToList();
        errors.Should().NotBeEmpty(context);
        errors.Should().OnlyContain(r => r.Reason.StartsWith("provider unreachable", StringComparison.Ordinal), context);
        outages.Sum(o => o.GetProperty("errors").GetInt32()).Should().Be(errors.Count, "every Error is listed in the gap it fell into");

        // The report's first lines name the outage.
        var head = string.Join("\n", File.ReadLines(Path.Combine(result.ArtifactsDirectory, "report.md")).Take(4));
        head.Should().Contain("PROVIDER OUTAGE").And.Contain("became unreachable").And.Contain(comesBack ? "was back at" : "did not come back");
        File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.html")).Should().Contain("Provider outage");
        // CI can tell "provider down" from "provider non-conformant" in the test results.
        File.ReadAllText(Directory.GetFiles(result.ArtifactsDirectory, "*.trx", SearchOption.AllDirectories).Single()).Should().Contain("PROVIDER UNREACHABLE");

        var start = outage.GetProperty("start").GetDateTimeOffset();
        var finished = root.GetProperty("finished").GetDateTimeOffset();
        if (comesBack)
        {
            outage.GetProperty("back").GetBoolean().Should().BeTrue(context);
            result.Output.Should().Contain("the provider answers again");
            results.Count(r => r.Verdict == "Passed").Should().BeGreaterThan(outage.GetProperty("executionsBefore").GetInt32(),
                "the run goes on after the provider is back and reaches verdicts again");
        }
        else
        {
            outage.GetProperty("back").GetBoolean().Should().BeFalse(context);
            // Waiting out timeouts would take one navigation timeout (the node profile: 15 s) per remaining execution. A browser
            // outage still costs each execution a failed navigation (a few seconds on a loaded machine: the UserInfo category
            // has grown to ~44 executions after the outage), so the bound is a third of a navigation timeout per Error, with 30 s
            // for the run's end: far below waiting out timeouts, which is what this proves.
            var bound = TimeSpan.FromSeconds(30 + errors.Count * 5);
            (finished - start).Should().BeLessThan(bound, $"a provider that stays down ends the run soon, without waiting out timeouts ({errors.Count} executions were Errors)");
        }
    }

    /// <summary>`./run.sh conformance` on the already built solution (no set-up), with extra `dotnet test` arguments.</summary>
    private static async Task<SuiteProcess.Result> RunShConformanceAsync(IDictionary<string, string> environment, string filter)
    {
        var artifacts = Directory.CreateTempSubdirectory("runsh-artifacts-").FullName;
        var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = SuiteProcess.Root };
        foreach (var a in new[] { Path.Combine(SuiteProcess.Root, "run.sh"), "conformance", "runsettings/node-oidc-provider.runsettings", "--filter", filter })
            psi.ArgumentList.Add(a);
        psi.Environment["RUN_SH_SKIP_PREPARE"] = "1";
        psi.Environment["CONFIGURATION"] = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar)).Parent!.Name;
        psi.Environment["OIDC_ARTIFACTS"] = artifacts;
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        using var p = System.Diagnostics.Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        // A guard against a hung run, not the measure of "ends soon" (that is the outage-to-finish bound above): the part of
        // the run before the outage (30 executions, with browser logins) took over 4 minutes on a loaded CI machine.
        await p.WaitForExitAsync().WaitAsync(TimeSpan.FromMinutes(10));
        return new SuiteProcess.Result(p.ExitCode, await stdout + await stderr, clock.Elapsed, artifacts);
    }

    private static string Tail(string text) => text.Length <= 6000 ? text : text[^6000..];
}
