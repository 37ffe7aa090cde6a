namespace OidcConformance.Run;

/// <summary>
/// Where the run reads its profile and writes its artifacts. Sources, strongest first: environment variables
/// (<c>OIDC_PROFILE</c>, <c>OIDC_ARTIFACTS</c>, <c>OIDC_BROWSER</c>, <c>OIDC_BROWSER_TRACE</c>), runsettings parameters (<c>profile</c>,
/// <c>artifacts</c>, <c>browserExecutable</c>, <c>browserTrace</c>), defaults (the embedded node-oidc-provider, <c>artifacts/</c>).
/// Relative paths are resolved from the repository root.
/// </summary>
public sealed record RunSettings(string RepositoryRoot, string ProfilePath, string ArtifactsDirectory, string? BrowserExecutable, bool Headless)
{
    /// <summary>Browser trace mode for failure bundles (env <c>OIDC_BROWSER_TRACE</c>, parameter <c>browserTrace</c>): off | on-failure (default) | full.</summary>
    public string? BrowserTrace { get; init; }

    public const string DefaultProfile = "fixtures/providers/node-oidc-provider/profile.json";

    public static RunSettings Resolve(Func<string, string?> parameter, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var root = FindRepositoryRoot(AppContext.BaseDirectory);
        string Pick(string env, string param, string fallback) =>
            NonEmpty(environment(env)) ?? NonEmpty(parameter(param)) ?? fallback;
        var profile = Pick("OIDC_PROFILE", "profile", DefaultProfile);
        var artifacts = Pick("OIDC_ARTIFACTS", "artifacts", "artifacts");
        var browser = NonEmpty(environment("OIDC_BROWSER")) ?? NonEmpty(parameter("browserExecutable"));
        var headed = (NonEmpty(environment("HEADED")) ?? NonEmpty(parameter("headed"))) is "1" or "true";
        var trace = NonEmpty(environment(Browser.BrowserTrace.EnvironmentVariable)) ?? NonEmpty(parameter(Browser.BrowserTrace.Parameter));
        return new RunSettings(root, Path.GetFullPath(profile, root), Path.GetFullPath(artifacts, root), browser, !headed) { BrowserTrace = trace };
    }

    private static string? NonEmpty(string? s) => string.IsNullOrWhiteSpace(s) ? null : s.Trim();

    public static string FindRepositoryRoot(string start) => TryFindRepositoryRoot(start) ?? Directory.GetCurrentDirectory();

    /// <summary>The nearest folder at or above <paramref name="start"/> that holds OidcConformance.sln, or null.</summary>
    public static string? TryFindRepositoryRoot(string start)
    {
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "OidcConformance.sln"))) return dir.FullName;
        return null;
    }
}
