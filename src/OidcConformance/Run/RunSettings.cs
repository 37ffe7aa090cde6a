namespace OidcConformance.Run;

/// <summary>
/// Where the run reads its profile and writes its artifacts. Sources, strongest first: environment variables
/// (<c>OIDC_PROFILE</c>, <c>OIDC_ARTIFACTS</c>, <c>OIDC_BROWSER</c>, <c>OIDC_BROWSER_TRACE</c>), runsettings parameters (<c>profile</c>,
/// <c>artifacts</c>, <c>browserExecutable</c>, <c>browserTrace</c>), defaults (the embedded node-oidc-provider, <c>artifacts/</c>).
/// Relative paths are resolved from the repository root, which is found without relying on the current directory
/// (<see cref="LocateRepositoryRoot"/>): a test platform that runs the suite from its output folder or anywhere else still
/// finds <c>fixtures/</c> and <c>runsettings/</c>.
/// </summary>
public sealed record RunSettings(string RepositoryRoot, string ProfilePath, string ArtifactsDirectory, string? BrowserExecutable, bool Headless)
{
    /// <summary>Browser trace mode for failure bundles (env <c>OIDC_BROWSER_TRACE</c>, parameter <c>browserTrace</c>): off | on-failure (default) | full.</summary>
    public string? BrowserTrace { get; init; }

    public const string DefaultProfile = "fixtures/providers/node-oidc-provider/profile.json";

    /// <summary>Explicit repository root (env <c>OIDC_REPOSITORY_ROOT</c>, runsettings parameter <c>repositoryRoot</c>).</summary>
    public const string RootEnvironmentVariable = "OIDC_REPOSITORY_ROOT";
    public const string RootParameter = "repositoryRoot";

    /// <param name="startPoints">Further folders to look for the repository from, after the profile's own path and before the
    /// assembly's folder: the suite passes the test platform's results and work folders (vstest resolves the runsettings'
    /// ResultsDirectory, e.g. <c>../artifacts</c>, against the runsettings file's folder, which lies in the repository).</param>
    public static RunSettings Resolve(Func<string, string?> parameter, Func<string, string?>? environment = null,
        IEnumerable<string?>? startPoints = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        string Pick(string env, string param, string fallback) =>
            NonEmpty(environment(env)) ?? NonEmpty(parameter(param)) ?? fallback;
        var profile = Pick("OIDC_PROFILE", "profile", DefaultProfile);
        var explicitRoot = NonEmpty(environment(RootEnvironmentVariable)) ?? NonEmpty(parameter(RootParameter));
        var root = LocateRepositoryRoot(explicitRoot, profile, startPoints);
        var artifacts = Pick("OIDC_ARTIFACTS", "artifacts", "artifacts");
        var browser = NonEmpty(environment("OIDC_BROWSER")) ?? NonEmpty(parameter("browserExecutable"));
        var headed = (NonEmpty(environment("HEADED")) ?? NonEmpty(parameter("headed"))) is "1" or "true";
        var trace = NonEmpty(environment(Browser.BrowserTrace.EnvironmentVariable)) ?? NonEmpty(parameter(Browser.BrowserTrace.Parameter));
        return new RunSettings(root, Path.GetFullPath(profile, root), Path.GetFullPath(artifacts, root), browser, !headed) { BrowserTrace = trace };
    }

    /// <summary>
    /// The repository root, in this order: an explicit root; the folder above an absolute profile path that holds
    /// OidcConformance.sln; the same from each start point (the test platform's results folder, derived from the runsettings
    /// file's location); from the assembly's folder (<see cref="AppContext.BaseDirectory"/>); only then from the current directory,
    /// and the current directory itself when nothing above any of them is the repository.
    /// </summary>
    public static string LocateRepositoryRoot(string? explicitRoot, string? profile, IEnumerable<string?>? startPoints = null)
    {
        if (explicitRoot is not null)
            return TryFindRepositoryRoot(Path.GetFullPath(explicitRoot))
                ?? throw new InvalidOperationException($"{RootEnvironmentVariable} / {RootParameter} '{explicitRoot}' holds no OidcConformance.sln");
        var candidates = new List<string?>();
        if (profile is not null && Path.IsPathRooted(profile)) candidates.Add(Path.GetDirectoryName(profile));
        candidates.AddRange(startPoints ?? []);
        candidates.Add(AppContext.BaseDirectory);
        candidates.Add(Directory.GetCurrentDirectory());
        foreach (var start in candidates)
            if (!string.IsNullOrWhiteSpace(start) && TryFindRepositoryRoot(start) is { } found) return found;
        return Directory.GetCurrentDirectory();
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
