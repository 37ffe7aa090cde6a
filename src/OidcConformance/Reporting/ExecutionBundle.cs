namespace OidcConformance.Reporting;

/// <summary>
/// Writes the failure bundle of a Failed, Warning or Error execution (harness errors included): verdict, redacted exchanges,
/// snapshots, and the screenshot and trace of every browser session the check used.
/// </summary>
public static class ExecutionBundle
{
    /// <param name="note">where a bundle that could not be written is reported (the test's output)</param>
    /// <returns>the files written (the verdict file first); the caller attaches them to the test result</returns>
    public static async Task<IReadOnlyList<string>> WriteAsync(Run.ConformanceRun run, Checks.CheckResult result, string? baselineNote,
        CheckScope scope, Action<string> note)
    {
        IReadOnlyList<string> bundle = [];
        try
        {
            bundle = FailureBundle.Write(run.Report.FailuresDirectory, result, baselineNote, scope.Exchanges, run.Recorder.Snapshot());
        }
        catch (IOException e) { note($"(failure bundle not written: {e.Message})"); }
        // Screenshots and traces of the browser sessions the check used: never throws, notes its own failures in verdict.md.
        // Not for an outage: the page is the browser's network error page, and exporting traces of a dead provider only delays the run's end.
        if (bundle.Count > 0 && !Run.OutageVerdicts.IsOutage(result)) bundle = [.. bundle, .. await FailureBundle.AddBrowserEvidenceAsync(bundle[0], scope)];
        return bundle;
    }

    /// <summary>The bundle's files as the report lists them: relative to the report directory, with forward slashes.</summary>
    public static List<string> ReportPaths(Run.ConformanceRun run, IReadOnlyList<string> bundle) =>
        bundle.Select(f => Path.GetRelativePath(run.Report.Directory, f).Replace('\\', '/')).ToList();
}
