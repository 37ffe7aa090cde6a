using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// What each browser context records for the failure bundles (env <c>OIDC_BROWSER_TRACE</c>, runsettings parameter
/// <c>browserTrace</c>). Every context records from its creation, because which one a failing check will need is not
/// known in advance; the trace is only written out (redacted) for failed and warned checks.
/// </summary>
public enum BrowserTraceMode
{
    /// <summary>No trace; failure bundles still get a screenshot of each page the check used.</summary>
    Off,
    /// <summary>The default: DOM snapshots of each action and the network log (no screencast).</summary>
    OnFailure,
    /// <summary>As <see cref="OnFailure"/> plus the screencast (a frame for every repaint): the most detail, the most cost.</summary>
    Full,
}

public static class BrowserTrace
{
    public const string EnvironmentVariable = "OIDC_BROWSER_TRACE";
    public const string Parameter = "browserTrace";

    /// <summary>The mode a setting names; null or empty is the default. Throws <see cref="InvalidOperationException"/> for anything else.</summary>
    public static BrowserTraceMode Parse(string? value) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "on-failure" or "onfailure" or "on" or "true" or "1" => BrowserTraceMode.OnFailure,
        "off" or "none" or "false" or "0" => BrowserTraceMode.Off,
        "full" => BrowserTraceMode.Full,
        _ => throw new InvalidOperationException(
            $"{EnvironmentVariable} / runsettings parameter {Parameter} is '{value}'; use off, on-failure (the default) or full"),
    };

    public static string Name(BrowserTraceMode mode) => mode switch
    {
        BrowserTraceMode.Off => "off",
        BrowserTraceMode.Full => "full",
        _ => "on-failure",
    };

    /// <summary>
    /// Playwright's options for a mode. Snapshots also switch on the network log (Playwright records the HAR only with DOM
    /// snapshots); the screencast (Screenshots) encodes a frame for every repaint and is kept for <see cref="BrowserTraceMode.Full"/>.
    /// Sources are never recorded: there is no test source to show, only the harness. Measured on 2 cores (the browser-heavy
    /// AuthorizationEndpoint, AuthorizationCode and Logout suites, 4 alternating rounds): any tracing costs about 5–7 % wall and
    /// CPU time, mostly Playwright's per-action instrumentation; DOM snapshots add nothing measurable on top of an action-only
    /// trace, nor does the screencast; in the whole benchmark (bench/run.sh) the difference is within its run-to-run noise.
    /// </summary>
    public static TracingStartOptions? StartOptions(BrowserTraceMode mode) => mode switch
    {
        BrowserTraceMode.Off => null,
        BrowserTraceMode.Full => new TracingStartOptions { Snapshots = true, Screenshots = true, Sources = false },
        _ => new TracingStartOptions { Snapshots = true, Screenshots = false, Sources = false },
    };
}
