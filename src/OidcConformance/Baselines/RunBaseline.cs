namespace OidcConformance.Baselines;

/// <summary>
/// The baseline of the current conformance run, loaded once per run (regression mode: runsettings parameter <c>baseline</c>
/// or <c>OIDC_BASELINE</c>, see <see cref="BaselineSettings"/>), or the error that prevents it. The report learns which
/// baseline it is compared with.
/// </summary>
public static class RunBaseline
{
    private static readonly object Gate = new();
    private static (Run.ConformanceRun Run, Baseline? Baseline, string? Error)? state;

    /// <param name="parameter">reads a test-run parameter by name (NUnit's TestContext.Parameters in the suite)</param>
    /// <param name="progress">where the one "regression mode" line goes</param>
    /// <returns>null baseline: not in regression mode; a non-null error: the run cannot be compared and every execution fails with it.</returns>
    public static (Baseline? Baseline, string? Error) For(Run.ConformanceRun run, Func<string, string?> parameter, Action<string> progress)
    {
        lock (Gate)
        {
            if (state is { } s && ReferenceEquals(s.Run, run)) return (s.Baseline, s.Error);
            Baseline? baseline = null;
            string? error = null;
            var requested = BaselineSettings.Requested(parameter);
            try
            {
                var path = BaselineSettings.ResolvePath(requested, run.Settings.RepositoryRoot, run.Profile.Name, run.Profile.Version);
                if (path is not null)
                {
                    baseline = Baseline.Load(path);
                    if (baseline.Provider != run.Profile.Name || baseline.Version != run.Profile.Version)
                        throw new BaselineException($"baseline {path} is for {baseline.Provider} {baseline.Version}, this run is {run.Profile.Name} {run.Profile.Version}");
                    progress($"[run] regression mode: baseline {Path.GetRelativePath(run.Settings.RepositoryRoot, path)} ({baseline.Entries.Count} expected non-passing verdicts)");
                }
            }
            catch (BaselineException e) { error = $"regression mode: {e.Message}"; }
            run.Report.UseBaseline(baseline, requested);
            state = (run, baseline, error);
            return (baseline, error);
        }
    }
}
