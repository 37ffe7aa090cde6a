using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The embedded provider process is killed after the reference login (no proxy: the suite meets a refused connection):
/// what comes after — back-channel calls, browser logins — ends at once as an outage (an Error with its cause), never as a
/// verdict about the provider, and the report leads with it.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class ProviderDiesMidRunTests
{
    [Test]
    public async Task Checks_after_the_provider_died_are_errors_naming_the_refused_connection()
    {
        var settings = new RunSettings(SuiteProcess.Root, Path.Combine(SuiteProcess.Root, RunSettings.DefaultProfile),
            Directory.CreateTempSubdirectory("artifacts-").FullName, Environment.GetEnvironmentVariable("OIDC_BROWSER"), true);
        var log = new StringWriter();
        await using var run = await ConformanceRun.StartAsync(settings, TextWriter.Synchronized(log));
        var reference = await CodeFlow.ReferenceAsync(run);
        reference.RequireSuccessfulToken();
        var userinfo = await run.EndpointAsync("userinfo_endpoint");
        run.Report.Add(UserInfoChecks.EvaluateGetBearer(await run.UserInfoGetAsync(userinfo, reference.Token!.AccessToken!)));

        run.Process.Should().NotBeNull("the default profile starts the embedded provider");
        run.Process!.Kill();

        var clock = Stopwatch.StartNew();
        // Back channel: the reference token at UserInfo meets the refused connection; a re-probe confirms; the check gets no artifact to judge.
        var call = async () => await run.UserInfoGetAsync(userinfo, reference.Token!.AccessToken!);
        var unreachable = (await call.Should().ThrowAsync<ProviderUnreachableException>()).Which;
        unreachable.Message.Should().Contain("connection refused");
        var error = OutageVerdicts.Error(UserInfoChecks.GetBearer, unreachable, null);
        error.Verdict.Should().Be(Verdict.Error);
        error.Reason.Should().StartWith(OutageVerdicts.Prefix).And.Contain("connection refused");
        run.Report.Add(error);

        // Browser: a new login is not even attempted while the provider is down.
        var login = async () => await CodeFlow.RunAsync(run, run.Profile.Confidential, run.Profile.PrimaryUser);
        (await login.Should().ThrowAsync<ProviderUnreachableException>()).Which.Message.Should().Contain("connection refused");
        clock.Elapsed.Should().BeLessThan(run.NavigationTimeout, "a dead provider is noticed at once, not waited out");

        // A verdict reached by an execution that overlapped the outage is not trusted.
        OutageVerdicts.Guard(UserInfoChecks.GetBearer.Pass("evidence from before"), run.Outages, epoch: 0).Verdict.Should().Be(Verdict.Error);

        run.Outages.Outages.Should().ContainSingle().Which.End.Should().BeNull("the provider stays down");
        log.ToString().Should().Contain("exited unexpectedly").And.Contain("PROVIDER UNREACHABLE");
        run.Report.Complete();
        var head = File.ReadLines(run.Report.MarkdownPath).Take(3).ToList();
        head.Should().Contain(l => l.Contains("PROVIDER OUTAGE") && l.Contains("after 1 executions") && l.Contains("did not come back"));
    }
}
