using System.Diagnostics;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The embedded provider dies after the reference login: what comes after (back-channel calls, browser logins, the
/// checks over them) ends quickly with verdicts that name the refused connection — no hang, no crash.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class ProviderDiesMidRunTests
{
    [Test]
    public async Task Checks_after_the_provider_died_report_the_refused_connection()
    {
        var settings = new RunSettings(SuiteProcess.Root, Path.Combine(SuiteProcess.Root, RunSettings.DefaultProfile),
            Directory.CreateTempSubdirectory("artifacts-").FullName, Environment.GetEnvironmentVariable("OIDC_BROWSER"), true);
        var log = new StringWriter();
        await using var run = await ConformanceRun.StartAsync(settings, TextWriter.Synchronized(log));
        var reference = await CodeFlow.ReferenceAsync(run);
        reference.RequireSuccessfulToken();
        var userinfo = await run.EndpointAsync("userinfo_endpoint");

        run.Process.Should().NotBeNull("the default profile starts the embedded provider");
        run.Process!.Kill();

        var clock = Stopwatch.StartNew();
        // Back channel: the reference token at UserInfo.
        var exchange = await run.UserInfoGetAsync(userinfo, reference.Token!.AccessToken!);
        exchange.TransportError.Should().Contain("connection refused");
        var verdict = UserInfoChecks.EvaluateGetBearer(exchange);
        verdict.Verdict.Should().Be(Verdict.Failed);
        verdict.Reason.Should().Contain("connection refused");

        // Browser: a new login ends at once with the browser's refusal, not after the navigation deadline.
        var flow = await CodeFlow.RunAsync(run, run.Profile.Confidential, run.Profile.PrimaryUser);
        await using (flow.UserAgent)
        {
            flow.Outcome.End.Should().Be(AuthorizationEnd.Stalled);
            flow.Outcome.Detail.Should().Contain("ERR_CONNECTION_REFUSED");
            flow.Outcome.Describe().Should().StartWith("the browser could not load the provider's page");
            var code = AuthorizationResponseChecks.EvaluateCodeReturned(flow.Outcome);
            code.Verdict.Should().NotBe(Verdict.Passed);
            code.Reason.Should().Contain("ERR_CONNECTION_REFUSED");
            var noToken = () => flow.RequireToken();
            noToken.Should().Throw<PrerequisiteException>().Which.Message.Should().Contain("ERR_CONNECTION_REFUSED");
        }
        clock.Elapsed.Should().BeLessThan(run.NavigationTimeout, "a dead provider is noticed at once, not waited out");

        log.ToString().Should().Contain("exited unexpectedly");
    }
}
