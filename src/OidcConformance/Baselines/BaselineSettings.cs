namespace OidcConformance.Baselines;

/// <summary>
/// Which baseline a run compares against. Sources, strongest first: the environment variable <c>OIDC_BASELINE</c>,
/// the runsettings parameter <c>baseline</c>. Values: a path (relative to the repository root; it must exist),
/// <c>auto</c> (fixtures/baselines/&lt;provider&gt;-&lt;version&gt;.json when that file exists, else none), or
/// <c>none</c>/<c>off</c>/empty (no regression mode: profile deviations turn failures into warnings, as before).
/// </summary>
public static class BaselineSettings
{
    public const string EnvironmentVariable = "OIDC_BASELINE";
    public const string Parameter = "baseline";

    public static string? Requested(Func<string, string?> parameter, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var value = NonEmpty(environment(EnvironmentVariable)) ?? NonEmpty(parameter(Parameter));
        return value is null || value.Equals("none", StringComparison.OrdinalIgnoreCase) || value.Equals("off", StringComparison.OrdinalIgnoreCase) ? null : value;
    }

    /// <summary>The baseline file for a request, or null when the run has none. Throws when an explicit path is missing.</summary>
    public static string? ResolvePath(string? requested, string repositoryRoot, string provider, string version)
    {
        if (requested is null) return null;
        if (requested.Equals("auto", StringComparison.OrdinalIgnoreCase))
        {
            var path = Baseline.DefaultPath(repositoryRoot, provider, version);
            return File.Exists(path) ? path : null;
        }
        var explicitPath = Path.GetFullPath(requested, repositoryRoot);
        return File.Exists(explicitPath) ? explicitPath : throw new BaselineException($"baseline file '{requested}' not found ({explicitPath})");
    }

    /// <summary>Where <c>baseline-update</c> writes: the requested path, or the provider's default file for <c>auto</c>/none.</summary>
    public static string UpdateTarget(string? requested, string repositoryRoot, string provider, string version) =>
        requested is null || requested.Equals("auto", StringComparison.OrdinalIgnoreCase)
            ? Baseline.DefaultPath(repositoryRoot, provider, version)
            : Path.GetFullPath(requested, repositoryRoot);

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();
}
