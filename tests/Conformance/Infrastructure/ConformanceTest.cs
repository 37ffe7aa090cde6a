using System.Diagnostics;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Run;

namespace OidcConformance.Suites;

/// <summary>
/// Base of every suite: runs one check, records its verdict in the report, and turns it into the NUnit outcome
/// (Passed → pass, Failed → fail, Warning → warning, Inconclusive → inconclusive). A harness crash is reported as an
/// Error with its cause and fails the test with the exception; it is never dressed up as a verdict.
/// </summary>
public abstract class ConformanceTest
{
    protected static ConformanceRun Run =>
        RunSetup.Current ?? throw new IgnoreException($"not run: the conformance run could not start: {RunSetup.SetupError}");

    protected static async Task Verify(CheckDefinition check, Func<ConformanceRun, Task<CheckResult>> evaluate)
    {
        var run = Run;
        var clock = Stopwatch.StartNew();
        CheckResult result;
        try
        {
            result = await evaluate(run);
        }
        catch (PrerequisiteException e)
        {
            result = check.NotApplicable(e.Message);
        }
        catch (BrowserUnavailableException e)
        {
            result = check.HarnessError(e.Message);
        }
        catch (Exception e) when (e is not ResultStateException)
        {
            run.Report.Add(check.HarnessError($"harness error {e.GetType().Name}: {Redactor.Redact(e.Message)}") with { Duration = clock.Elapsed });
            throw;
        }
        if (result.Check.Id != check.Id)
            throw new InvalidOperationException($"test for {check.Id} evaluated {result.Check.Id}");
        result = result with { Duration = clock.Elapsed };
        var deviation = run.Profile.Deviations.FirstOrDefault(d => d.Check == check.Id);
        if (deviation is not null && result.IsViolation) result = result with { KnownDeviation = deviation.Reason };
        run.Report.Add(result);
        Apply(result, deviation?.Reason);
    }

    protected static Task Verify(CheckDefinition check, Func<ConformanceRun, CheckResult> evaluate) =>
        Verify(check, r => Task.FromResult(evaluate(r)));

    private static void Apply(CheckResult r, string? knownDeviation)
    {
        var message = Redactor.Redact($"{r.Check.Id}{(r.Case is null ? "" : $" [{r.Case}]")} ({(r.Check.Level == RequirementLevel.Must ? "MUST" : "SHOULD")}, {r.Check.Spec}): {r.Reason}");
        TestContext.Out.WriteLine($"{r.Verdict}: {message}");
        foreach (var e in r.Evidence) TestContext.Out.WriteLine($"--- {e.Label}\n{Redactor.Redact(e.Content)}");
        switch (r.Verdict)
        {
            case Verdict.Passed:
                return;
            case Verdict.Failed when knownDeviation is not null:
            case Verdict.Warning when knownDeviation is not null:
                Assert.Warn($"known deviation of this provider ({knownDeviation}): {message}");
                return;
            case Verdict.Failed:
                Assert.Fail(message);
                return;
            case Verdict.Warning:
                Assert.Warn(message);
                return;
            case Verdict.Inconclusive:
                Assert.Inconclusive(message);
                return;
            default:
                Assert.Fail($"harness error, no verdict: {message}");
                return;
        }
    }
}
