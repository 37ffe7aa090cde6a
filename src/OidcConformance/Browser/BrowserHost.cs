using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>No usable browser: the message says how to install one.</summary>
public sealed class BrowserUnavailableException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>
/// One Chromium per run. Playwright's own browser is used where it is installed; otherwise a configured executable
/// (runsettings <c>browserExecutable</c> / env <c>OIDC_BROWSER</c>) or a system Chromium. Each user-agent session
/// gets its own context (cookie jar), following Playwright.NUnit's ContextTest.
/// </summary>
public sealed class BrowserHost : IAsyncDisposable
{
    // Flags that keep Chromium from calling home: this machine's network is closed, and CI's may be too.
    public static readonly string[] QuietArgs =
        ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"];

    public static readonly string[] SystemChromiumCandidates =
        ["/usr/bin/chromium", "/usr/bin/chromium-browser", "/usr/bin/google-chrome", "/usr/bin/google-chrome-stable", "/snap/bin/chromium"];

    /// <summary>
    /// Debian's headless-only Chromium (package chromium-headless-shell, "old headless shell"): the same kind of build
    /// Playwright itself launches for headless runs (chrome-headless-shell), without the full browser's UI layers. Measured on
    /// this 2-core machine, the Logout category (9 logins and logouts): 26 s of browser CPU time with the full Chromium in
    /// headless mode, 4 s with the shell; 57 s → 27 s wall. It cannot show a window, so headed runs skip it.
    /// </summary>
    public const string SystemHeadlessShell = "/usr/bin/chromium-headless-shell";

    /// <summary>The system browsers tried in order: the headless shell first when the run is headless.</summary>
    public static IReadOnlyList<string> SystemCandidatesFor(bool headless) =>
        headless ? [SystemHeadlessShell, .. SystemChromiumCandidates] : SystemChromiumCandidates;

    private static readonly System.Text.RegularExpressions.Regex FontHosts = new(@"^https?://fonts\.(googleapis|gstatic)\.com/");

    private readonly IPlaywright playwright;
    public IBrowser Browser { get; }
    public string Description { get; }
    private readonly string? hostResolverRules;

    private BrowserHost(IPlaywright playwright, IBrowser browser, string description, string? hostResolverRules, string traceDirectory, bool ownsBrowser = true)
    {
        this.ownsBrowser = ownsBrowser;
        this.playwright = playwright;
        Browser = browser;
        Description = description;
        this.hostResolverRules = hostResolverRules;
        TraceDirectory = traceDirectory;
    }

    /// <summary>
    /// Set by a process that runs the suite many times (the suite host of the fault catalog, tests/Conformance/Infrastructure/SuiteHost.cs):
    /// the first run's browser stays open and later runs with the same launch settings get it again, each in its own
    /// contexts (a context is one user agent's cookie jar, so nothing of one run's sessions reaches the next); a run's end
    /// closes the contexts left open instead of the browser. Launching Playwright's driver and Chromium costs about a second
    /// of CPU per run. <see cref="CloseSharedAsync"/> closes it when the process is done.
    /// </summary>
    public static bool ShareAcrossRuns { get; set; }

    private sealed record SharedBrowser(string Key, IPlaywright Playwright, IBrowser Browser, string Description, string TraceDirectory);
    private static SharedBrowser? shared;
    private static readonly SemaphoreSlim SharedGate = new(1, 1);
    private readonly bool ownsBrowser = true;

    /// <summary>Closes the browser kept by <see cref="ShareAcrossRuns"/>.</summary>
    public static async Task CloseSharedAsync()
    {
        await SharedGate.WaitAsync();
        try
        {
            if (shared is null) return;
            try { await shared.Browser.CloseAsync(); shared.Playwright.Dispose(); }
            finally { DeleteDirectory(shared.TraceDirectory); shared = null; }
        }
        finally { SharedGate.Release(); }
    }

    /// <param name="systemCandidates">system Chromium paths to try; default <see cref="SystemCandidatesFor"/>.</param>
    /// <param name="tryPlaywrightBrowser">whether to try Playwright's own Chromium (tests turn it off to simulate a bare machine).</param>
    public static async Task<BrowserHost> LaunchAsync(string? configuredExecutable, string? hostResolverRules, bool headless = true,
        IEnumerable<string>? systemCandidates = null, bool tryPlaywrightBrowser = true)
    {
        if (!ShareAcrossRuns) return await LaunchOwnAsync(configuredExecutable, hostResolverRules, headless, systemCandidates, tryPlaywrightBrowser);
        var key = string.Join("\n", configuredExecutable, hostResolverRules, headless, tryPlaywrightBrowser,
            systemCandidates is null ? "" : string.Join(",", systemCandidates));
        await SharedGate.WaitAsync();
        try
        {
            if (shared is { } s && (s.Key != key || !s.Browser.IsConnected))
            {
                try { await s.Browser.CloseAsync(); s.Playwright.Dispose(); } catch (PlaywrightException) { }
                DeleteDirectory(s.TraceDirectory);
                shared = null;
            }
            if (shared is null)
            {
                var own = await LaunchOwnAsync(configuredExecutable, hostResolverRules, headless, systemCandidates, tryPlaywrightBrowser);
                shared = new SharedBrowser(key, own.playwright, own.Browser, own.Description, own.TraceDirectory);
            }
            // Each run exports its trace chunks to a folder of its own, deleted at its end.
            return new BrowserHost(shared.Playwright, shared.Browser, shared.Description, hostResolverRules,
                Directory.CreateTempSubdirectory("oidc-conformance-traces-").FullName, ownsBrowser: false);
        }
        finally { SharedGate.Release(); }
    }

    private static async Task<BrowserHost> LaunchOwnAsync(string? configuredExecutable, string? hostResolverRules, bool headless = true,
        IEnumerable<string>? systemCandidates = null, bool tryPlaywrightBrowser = true)
    {
        var playwright = await Playwright.CreateAsync();
        // Playwright records each context's trace here (instead of a temporary folder of its own per context, which it
        // leaves behind empty), and the exported chunks go here too: one private folder, deleted when the browser closes.
        var traces = Directory.CreateTempSubdirectory("oidc-conformance-traces-").FullName;
        var args = QuietArgs.ToList();
        if (!string.IsNullOrEmpty(hostResolverRules)) args.Add($"--host-resolver-rules={hostResolverRules}");
        var failures = new List<string>();

        async Task<IBrowser?> TryLaunch(string? executable, string label)
        {
            try
            {
                return await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
                {
                    Headless = headless, ExecutablePath = executable, Args = args, Timeout = 30_000, TracesDir = traces,
                });
            }
            catch (PlaywrightException e)
            {
                failures.Add($"{label}: {FirstLine(e.Message)}");
                return null;
            }
        }

        if (!string.IsNullOrEmpty(configuredExecutable))
        {
            if (!File.Exists(configuredExecutable))
                failures.Add($"configured browser '{configuredExecutable}' (runsettings browserExecutable / env OIDC_BROWSER) does not exist");
            else if (await TryLaunch(configuredExecutable, configuredExecutable) is { } configured)
                return new BrowserHost(playwright, configured, $"Chromium at {configuredExecutable}", hostResolverRules, traces);
        }
        if (tryPlaywrightBrowser && await TryLaunch(null, "Playwright's own Chromium") is { } own)
            return new BrowserHost(playwright, own, "Playwright's own Chromium " + own.Version, hostResolverRules, traces);
        var candidates = (systemCandidates ?? SystemCandidatesFor(headless)).ToList();
        foreach (var candidate in candidates.Where(File.Exists))
            if (await TryLaunch(candidate, candidate) is { } system)
                return new BrowserHost(playwright, system, $"system Chromium at {candidate} ({system.Version})", hostResolverRules, traces);

        playwright.Dispose();
        DeleteDirectory(traces);
        throw new BrowserUnavailableException(
            "no browser could be launched for the login flows. Install one of: Playwright's Chromium " +
            "(`pwsh tests/Conformance/bin/Debug/net10.0/playwright.ps1 install chromium`, needs internet), or a system Chromium " +
            "(Debian/Ubuntu: `sudo apt-get install chromium-headless-shell chromium`), or point runsettings parameter browserExecutable / env OIDC_BROWSER " +
            "at a Chromium binary. Tried:\n  " + string.Join("\n  ", failures.DefaultIfEmpty("nothing: no configured browser, and none of " +
                (candidates.Count == 0 ? "(no system paths)" : string.Join(", ", candidates)) + " exists")));
    }

    private static string FirstLine(string s) => s.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? s;

    /// <summary>A fresh user-agent session: its own cookies, storage and page.</summary>
    /// <param name="timings">when given, every finished browser request to an origin other than <paramref name="callbackOrigin"/>
    /// (the provider's pages) is recorded with its Playwright timing.</param>
    public async Task<UserAgent> NewUserAgentAsync(TimeSpan navigationTimeout, Run.ProviderTimings? timings = null, string? callbackOrigin = null)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            Locale = "en-US", ColorScheme = ColorScheme.Light, IgnoreHTTPSErrors = false,
        });
        context.SetDefaultNavigationTimeout((float)navigationTimeout.TotalMilliseconds);
        context.SetDefaultTimeout((float)navigationTimeout.TotalMilliseconds);
        // Blocking outside fonts keeps login pages from waiting on a network that is not there. A regular expression (not a
        // predicate) lets Playwright match in the browser's driver: a predicate would stop every request for a round trip to .NET.
        await context.RouteAsync(FontHosts, route => route.AbortAsync());
        await Assets.AttachAsync(context);
        if (timings is not null)
        {
            timings.CountUserAgent();
            context.RequestFinished += (_, request) => RecordTiming(timings, callbackOrigin, request, Assets);
        }
        var page = await context.NewPageAsync();
        var userAgent = new UserAgent(context, page);
        await BrowserEvidence.StartTracingAsync(userAgent, TraceMode, TraceDirectory);
        return userAgent;
    }

    /// <summary>Content-hashed static assets of the provider, fetched once per run and served to later contexts.</summary>
    public StaticAssetCache Assets { get; } = new();

    /// <summary>What each new context records for the failure bundles (set from the run settings before the first context).</summary>
    public BrowserTraceMode TraceMode { get; set; } = BrowserTraceMode.Off;

    /// <summary>
    /// A private temporary folder (mode 700) for Playwright's running trace recordings and the exported chunks (redacted at
    /// once); deleted when the browser closes. A killed run leaves it behind, like Playwright's own temporary folders.
    /// </summary>
    public string TraceDirectory { get; }

    private static void DeleteDirectory(string path)
    {
        try { Directory.Delete(path, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    private static void RecordTiming(Run.ProviderTimings timings, string? callbackOrigin, IRequest request, StaticAssetCache assets)
    {
        // A copy served by the harness cost the provider nothing: it is not provider time.
        if (assets.ServedFromCache(request))
        {
            assets.Forget(request);
            timings.CountCachedAsset();
            return;
        }
        if (!Uri.TryCreate(request.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https")) return;
        if (callbackOrigin is not null && url.GetLeftPart(UriPartial.Authority).Equals(callbackOrigin, StringComparison.OrdinalIgnoreCase)) return;
        var timing = request.Timing;
        if (timing.ResponseEnd < 0) return;
        // Timing.StartTime is a float of Unix milliseconds (about two minutes of resolution today), so the start is taken
        // from this event: the request finished just now, ResponseEnd after it started.
        var duration = TimeSpan.FromMilliseconds(timing.ResponseEnd);
        timings.Add(new Run.ProviderWait("browser", request.Method, Run.ProviderTimings.EndpointKey(url), 0,
            DateTimeOffset.UtcNow - duration, duration));
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (ownsBrowser)
            {
                await Browser.CloseAsync();
                playwright.Dispose();
            }
            else
                foreach (var context in Browser.Contexts.ToList()) // the run's user agents; the browser stays for the next run
                    try { await context.CloseAsync(); } catch (PlaywrightException) { }
        }
        finally { DeleteDirectory(TraceDirectory); }
    }
}

/// <summary>One user-agent session (one browser context = one cookie jar) with its page.</summary>
public sealed class UserAgent(IBrowserContext context, IPage page) : IAsyncDisposable
{
    public IBrowserContext Context { get; } = context;
    public IPage Page { get; } = page;
    /// <summary>Serializes flows that share this session (one login used by several fixtures).</summary>
    public SemaphoreSlim Lock { get; } = new(1, 1);
    /// <summary>When credentials were last submitted in this session (null: never), so max_age checks know the latest authentication.</summary>
    public DateTimeOffset? LastLoginAt { get; set; }

    private int closed;

    /// <summary>
    /// Inside a check the close waits for the check's verdict (or, inside a shared artifact's flow, for the end of the run),
    /// so that a failure bundle can still take this page's screenshot and trace (<see cref="Reporting.CheckScope.DeferClose"/>).
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Reporting.CheckScope.DeferClose(this)) return;
        await CloseAsync();
    }

    public bool IsClosed => Volatile.Read(ref closed) == 1;

    /// <summary>Closes the context now; later calls do nothing.</summary>
    public async Task CloseAsync()
    {
        if (Interlocked.Exchange(ref closed, 1) == 0) await Context.CloseAsync();
    }
}
