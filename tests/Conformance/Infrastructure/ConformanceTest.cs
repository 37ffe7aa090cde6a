using System.Diagnostics;
using NUnit.Framework;
using OidcConformance.Baselines;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Reporting;
using OidcConformance.Run;

namespace OidcConformance.Suites;

/// <summary>
/// Base of every suite: runs one check, records its verdict in the report, and turns it into the NUnit outcome.
/// Without a baseline: Passed → pass, Failed → fail, Warning → warning, Inconclusive → inconclusive, and a failure the
/// profile documents as a deviation → warning. In regression mode (runsettings parameter <c>baseline</c> or
/// <c>OIDC_BASELINE</c>; see <see cref="BaselineSettings"/>): a verdict the baseline expects → warning (or
/// inconclusive), worse than the baseline → fail, better than the baseline → fail with the command that updates it.
/// A harness crash is reported as an Error with its cause and fails the test; it is never dressed up as a verdict.
/// Every execution runs in a <see cref="CheckScope"/> so its HTTP exchanges become its evidence and failure bundle, and the
/// browser sessions it used give the bundle their screenshots and traces.
/// </summary>
public abstract class ConformanceTest
{
    protected static ConformanceRun Run =>
        RunSetup.Current ?? throw new IgnoreException($"not run: the conformance run could not start: {RunSetup.SetupError}");

    protected static async Task Verify(CheckDefinition check, Func<ConformanceRun, Task<CheckResult>> evaluate)
    {
        var run = Run;
        CheckScope.Attach(run.Recorder);
        run.Report.RecordFactsFrom(run.Recorder, run.Profile.Users.Select(u => u.Username).ToList());
        var (baseline, baselineError) = RunBaseline.For(run, name => TestContext.Parameters.Get(name), TestContext.Progress.WriteLine);
        if (baselineError is not null) Assert.Fail(baselineError);
        var clock = Stopwatch.StartNew();
        var outageEpoch = run.Outages.Epoch; // an outage that begins during this execution makes its verdict an Error (OutageVerdicts.Guard)
        await using var scope = CheckScope.Begin(check.Id); // disposing it closes the user agents the check disposed
        CheckResult result;
        try
        {
            result = await evaluate(run);
        }
        catch (PrerequisiteException e)
        {
            result = check.NotApplicable(e.Message) with { Case = e.Case ?? CaseFromArguments() };
        }
        catch (ProviderUnreachableException e)
        {
            // Not evidence about the provider's conformance: an Error with its cause, whatever the check family.
            result = OutageVerdicts.Error(check, e, CaseFromArguments());
        }
        catch (BrowserUnavailableException e)
        {
            result = check.HarnessError(e.Message) with { Case = CaseFromArguments() };
        }
        catch (Exception e) when (e is not ResultStateException)
        {
            // A crash (e.g. a login driver's selector that never matched) gets the same bundle as a Failed verdict: the
            // screenshot and trace of the browser sessions it used show what the driver met (issue #13 item 5).
            var error = check.HarnessError($"harness error {e.GetType().Name}: {Redactor.Redact(e.Message)}") with { Duration = clock.Elapsed, Case = CaseFromArguments() };
            error = error.WithEvidence([.. FailureBundle.Fallback(scope.Exchanges)]);
            var crashBundle = await WriteBundleAsync(run, error, null, scope);
            run.Report.Add(new ReportEntry(error)
            {
                Exchanges = scope.Exchanges,
                Attachments = ExecutionBundle.ReportPaths(run, crashBundle),
            });
            throw;
        }
        if (result.Check.Id != check.Id)
            throw new InvalidOperationException($"test for {check.Id} evaluated {result.Check.Id}");
        result = OutageVerdicts.Guard(result with { Duration = clock.Elapsed }, run.Outages, outageEpoch);
        var exchanges = scope.Exchanges;
        if (result.Verdict != Verdict.Passed && result.Evidence.Count == 0)
            result = result.WithEvidence([.. FailureBundle.Fallback(exchanges)]);
        // Consent and login state of each browser attempt this execution drove (issue #11 class 4): "consent shown: yes/no".
        if (scope.AttemptStates is { Count: > 0 } states)
            result = result.WithEvidence(new Evidence("user-agent session state per browser attempt", string.Join("\n", states)));
        var deviation = run.Profile.Deviations.FirstOrDefault(d => d.Check == check.Id);
        if (deviation is not null && result.IsViolation) result = result with { KnownDeviation = deviation.Reason };
        var comparison = baseline?.Compare(check.Id, result.Case, result.Verdict);

        IReadOnlyList<string> bundle = [];
        if (result.Verdict is Verdict.Failed or Verdict.Warning or Verdict.Error || comparison?.Status is BaselineStatus.Regressed or BaselineStatus.Improved)
            bundle = await WriteBundleAsync(run, result, comparison is null ? null : BaselineUpdateCommand.Describe(comparison, baseline!), scope);
        run.Report.Add(new ReportEntry(result, comparison)
        {
            Exchanges = exchanges,
            Attachments = ExecutionBundle.ReportPaths(run, bundle),
        });
        Apply(result, deviation?.Reason, comparison, baseline);
    }

    /// <summary>
    /// The case label of an execution that ended before its test could set one (Inconclusive, Error): the test's arguments,
    /// so that the executions of a data-driven test stay apart in the report, the baseline and the migration diff.
    /// </summary>
    private static string? CaseFromArguments()
    {
        var args = TestContext.CurrentContext.Test.Arguments;
        return args.Length == 0 ? null : string.Join(", ", args.Select(a => a?.ToString()));
    }

    /// <summary>The execution's failure bundle, attached to the test result (<see cref="ExecutionBundle"/>).</summary>
    private static async Task<IReadOnlyList<string>> WriteBundleAsync(ConformanceRun run, CheckResult result, string? baselineNote, CheckScope scope)
    {
        var bundle = await ExecutionBundle.WriteAsync(run, result, baselineNote, scope, TestContext.Out.WriteLine);
        foreach (var file in bundle) TestContext.AddTestAttachment(file, Path.GetFileName(file));
        return bundle;
    }

    protected static Task Verify(CheckDefinition check, Func<ConformanceRun, CheckResult> evaluate) =>
        Verify(check, r => Task.FromResult(evaluate(r)));

    private static void Apply(CheckResult r, string? knownDeviation, BaselineComparison? comparison, Baseline? baseline)
    {
        var message = Redactor.Redact($"{r.Check.Id}{(r.Case is null ? "" : $" [{r.Case}]")} ({(r.Check.Level == RequirementLevel.Must ? "MUST" : "SHOULD")}, {r.Check.Spec}): {r.Reason}");
        TestContext.Out.WriteLine($"{r.Verdict}: {message}");
        foreach (var e in r.Evidence) TestContext.Out.WriteLine($"--- {e.Label}\n{Redactor.Redact(e.Content)}");
        if (r.Verdict == Verdict.Error)
        {
            // The prefix lets a CI job tell "provider down" from "harness broken" in JUnit/TRX messages.
            Assert.Fail($"{(OutageVerdicts.IsOutage(r) ? "PROVIDER UNREACHABLE" : "harness error")}, no verdict: {message}");
            return;
        }
        if (comparison is not null)
        {
            var note = Redactor.Redact(BaselineUpdateCommand.Describe(comparison, baseline!));
            switch (comparison.Status)
            {
                case BaselineStatus.Regressed:
                    Assert.Fail($"{note}; got {r.Verdict}: {message}");
                    return;
                case BaselineStatus.Improved:
                    Assert.Fail($"{r.Verdict}, {note}. {message}");
                    return;
                case BaselineStatus.AsExpected when r.Verdict is Verdict.Failed or Verdict.Warning:
                    Assert.Warn($"{r.Verdict} {note}: {message}");
                    return;
                case BaselineStatus.AsExpected when r.Verdict is Verdict.Inconclusive:
                    Assert.Inconclusive(message);
                    return;
                default:
                    return;
            }
        }
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
