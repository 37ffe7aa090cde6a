namespace OidcConformance.Baselines;

/// <summary>The baseline-update command a better-than-baseline verdict points to, and the note a compared verdict carries.</summary>
public static class BaselineUpdateCommand
{
    /// <summary>The exact command that rewrites the baseline from this run's report.json (run.sh baseline-update).</summary>
    public static string Text()
    {
        var env = Environment.GetEnvironmentVariable(BaselineSettings.EnvironmentVariable);
        var settings = Environment.GetEnvironmentVariable("OIDC_RUNSETTINGS");
        return $"{(string.IsNullOrWhiteSpace(env) ? "" : $"OIDC_BASELINE={env} ")}./run.sh baseline-update{(string.IsNullOrWhiteSpace(settings) ? "" : " " + settings)}".Trim();
    }

    /// <summary>What the comparison of one verdict with the baseline says, for the test message and the failure bundle.</summary>
    public static string Describe(BaselineComparison c, Baseline baseline) => c.Status switch
    {
        BaselineStatus.AsExpected => $"as expected by {RelativeToRoot(baseline.Path)}{(c.Entry is null ? "" : $" ({c.Entry.Reason})")}",
        BaselineStatus.NotCompared => $"not compared with {RelativeToRoot(baseline.Path)}: an Error is no verdict (the run is incomplete)",
        BaselineStatus.Regressed => $"REGRESSION: {RelativeToRoot(baseline.Path)} expects {c.Expected}{(c.Entry is null ? " (no entry: expected to pass)" : $" ({c.Entry.Reason})")}",
        _ => $"better than {RelativeToRoot(baseline.Path)}, which expects {c.Expected}{(c.Entry is null ? "" : $" ({c.Entry.Reason})")}: update the baseline with {Text()}",
    };

    private static string RelativeToRoot(string? path) => Reporting.RunReport.DisplayPath(path) ?? "(baseline)";
}
