using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Faults;
using OidcConformance.Flows;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The embedded provider is killed and started again in the middle of a run (as a container restart policy would; it sits
/// behind the fault proxy without a fault, so its port and issuer stay the same): requests in the gap are an outage, a
/// re-probe notices the provider is back, the run says so, obtains its shared artifacts again (the restarted provider
/// forgot the sessions and tokens) and reaches verdicts again; the report leads with the gap.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class ProviderRestartsMidRunTests
{
    [Test]
    public async Task A_restarted_provider_is_an_outage_with_an_end_and_the_run_goes_on()
    {
        var settings = new RunSettings(SuiteProcess.Root, Path.Combine(SuiteProcess.Root, RunSettings.DefaultProfile),
            Directory.CreateTempSubdirectory("artifacts-").FullName, Environment.GetEnvironmentVariable("OIDC_BROWSER"), true);
        var log = new StringWriter();
        Environment.SetEnvironmentVariable(FaultProxy.EnvironmentVariable, FaultCatalog.None.Name); // NonParallelizable: no other test reads it meanwhile
        ConformanceRun run;
        try { run = await ConformanceRun.StartAsync(settings, TextWriter.Synchronized(log)); }
        finally { Environment.SetEnvironmentVariable(FaultProxy.EnvironmentVariable, null); }
        await using var _ = run;
        var provider = run.FaultProxy!.Context.Provider!;
        var userinfo = await run.EndpointAsync("userinfo_endpoint");
        var before = await CodeFlow.ReferenceAsync(run);
        run.Report.Add(UserInfoChecks.EvaluateGetBearer(await run.UserInfoGetAsync(userinfo, before.RequireSuccessfulToken().AccessToken!)));

        provider.Kill();
        var inGap = async () => await run.UserInfoGetAsync(userinfo, before.Token!.AccessToken!);
        var unreachable = (await inGap.Should().ThrowAsync<ProviderUnreachableException>()).Which;
        run.Report.Add(OutageVerdicts.Error(UserInfoChecks.GetBearer, unreachable, "in the gap"));

        await provider.RestartAsync();
        var clock = Stopwatch.StartNew();
        while (run.Outages.Outages.Single().End is null && clock.Elapsed < TimeSpan.FromSeconds(20))
            await Task.Delay(100); // polling the monitor's state with a deadline
        run.Outages.Outages.Single().End.Should().NotBeNull("a re-probe notices that the provider answers again");
        log.ToString().Should().Contain("the provider answers again");

        // The run goes on: the reference login is obtained again from the restarted provider (the old session and tokens are gone with it).
        var after = await CodeFlow.ReferenceAsync(run);
        after.Should().NotBeSameAs(before, "shared artifacts from before the outage are dropped");
        var verdict = UserInfoChecks.EvaluateGetBearer(await run.UserInfoGetAsync(userinfo, after.RequireSuccessfulToken().AccessToken!));
        verdict.Verdict.Should().Be(Verdict.Passed, verdict.Reason);
        run.Report.Add(verdict);

        run.Report.Complete();
        var head = string.Join("\n", File.ReadLines(run.Report.MarkdownPath).Take(6));
        head.Should().Contain("PROVIDER OUTAGE").And.Contain("after 1 executions").And.Contain("was back at").And.Contain("1 executions are Errors")
            .And.Contain("userinfo.get-bearer [in the gap]");
    }
}
