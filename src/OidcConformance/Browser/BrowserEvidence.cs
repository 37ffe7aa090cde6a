using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Playwright;
using OidcConformance.Protocol;

namespace OidcConformance.Browser;

/// <summary>
/// Browser evidence for failure bundles: each context records a Playwright trace from its creation (in the mode of
/// <see cref="BrowserTrace"/>); for a failed or warned check, each browser session the check used contributes a screenshot
/// of its page as it is at the verdict and its trace so far, redacted (<see cref="TraceArchive"/>). Nothing here may change
/// a verdict: every failure to capture becomes a note in the bundle.
/// </summary>
public static class BrowserEvidence
{
    private static readonly TimeSpan CaptureTimeout = TimeSpan.FromSeconds(10);
    private static readonly ConditionalWeakTable<UserAgent, TraceState> States = new();
    private static readonly ConditionalWeakTable<UserAgent, Owner> Owners = new();

    /// <summary>The check or shared artifact whose flow created a session (<see cref="Reporting.CheckScope.CurrentOwner"/>).</summary>
    private sealed record Owner(object? Value);

    /// <summary>
    /// The tracing of one context: its chunks exported so far, each redacted as soon as Playwright wrote it (the raw export is
    /// deleted at once), in a private temporary folder; a later failure merges them and redacts again (the redactor may have
    /// learnt secrets since).
    /// </summary>
    private sealed class TraceState(BrowserTraceMode mode, string directory)
    {
        public BrowserTraceMode Mode { get; } = mode;
        public string Directory { get; } = directory;
        public List<string> Chunks { get; } = [];
        public SemaphoreSlim Gate { get; } = new(1, 1);
        public string? Problem { get; set; }
        public bool Recording { get; set; }
        /// <summary>Binary entries the redaction left out, over all chunks.</summary>
        public int Dropped { get; set; }
    }

    /// <summary>Starts the context's trace. A failure is remembered for the bundle, never thrown: the flows must run regardless.</summary>
    public static async Task StartTracingAsync(UserAgent userAgent, BrowserTraceMode mode, string directory)
    {
        Owners.AddOrUpdate(userAgent, new Owner(Reporting.CheckScope.CurrentOwner));
        if (BrowserTrace.StartOptions(mode) is not { } options) return;
        var state = new TraceState(mode, directory);
        States.AddOrUpdate(userAgent, state);
        try
        {
            await userAgent.Context.Tracing.StartAsync(options);
            state.Recording = true;
        }
        catch (PlaywrightException e) { state.Problem = $"the trace could not start: {FirstLine(e.Message)}"; }
    }

    /// <summary>
    /// After an authorization or logout attempt in a shared session that did not end at the relying party (an error page, a
    /// login form, a stall), remembers a screenshot of the page for the check that made it: a shared session moves on to other
    /// checks' steps at once, so its page at the verdict would show theirs. Not captured: redirects (the common case; the
    /// callback page shows nothing a verdict needs), and sessions private to the flow that created them (their page stays as
    /// the flow left it: a disposed session is closed only after the verdict). Measured on the embedded provider: 27 attempts
    /// per run end without a redirect, 20 of them in a shared session (the reference login), about 40 ms each. Returns the
    /// outcome unchanged; a failed screenshot is just not remembered.
    /// </summary>
    public static async Task<AuthorizationOutcome> AfterAttemptAsync(UserAgent ua, AuthorizationOutcome outcome)
    {
        if (Reporting.CheckScope.Current is not { } scope) return outcome;
        if (outcome.End == AuthorizationEnd.Redirected || ua.Page.IsClosed)
        {
            scope.ForgetAttemptEnd(ua); // a later attempt reached the relying party: the verdict is about that one
            return outcome;
        }
        if (Owners.TryGetValue(ua, out var owner) && owner.Value is not null && ReferenceEquals(owner.Value, Reporting.CheckScope.CurrentOwner))
            return outcome; // private to this flow: the page at the verdict is this one
        try
        {
            // Caret = Initial: no style injection to hide the caret, which would cost a round trip per screenshot.
            var png = await ua.Page.ScreenshotAsync(new PageScreenshotOptions
            {
                Timeout = (float)AttemptScreenshotTimeout.TotalMilliseconds, Caret = ScreenshotCaret.Initial,
            });
            scope.RememberAttemptEnd(ua, new Reporting.PageCapture(png, ua.Page.Url));
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { }
        return outcome;
    }

    private static readonly TimeSpan AttemptScreenshotTimeout = TimeSpan.FromSeconds(3);

    /// <summary>
    /// Writes screenshot[-N].png and trace[-N].zip for each user agent into <paramref name="directory"/> and returns the
    /// files and a Markdown section that lists them, says what they cover and notes what could not be captured.
    /// </summary>
    public static async Task<(IReadOnlyList<string> Files, string Markdown)> CaptureAsync(IReadOnlyList<UserAgent> userAgents, string directory,
        Reporting.CheckScope? scope = null)
    {
        var files = new List<string>();
        var md = new StringBuilder();
        if (userAgents.Count == 0) return (files, "");
        md.AppendLine("## Browser evidence").AppendLine();
        md.AppendLine($"This check used {userAgents.Count} browser session(s) (browser contexts). For each: a screenshot of its page as it is " +
            "at the verdict, and its redacted Playwright trace since the session started (open it with `pwsh playwright.ps1 show-trace " +
            "trace.zip` from tests/Conformance/bin/<configuration>/net10.0, or at https://trace.playwright.dev). A session shared " +
            "by several checks (e.g. the reference login) also shows the steps of those checks, and its page may already have " +
            "moved on to another check's step. Typed input, passwords, codes, tokens and cookies are redacted.").AppendLine();
        for (var i = 0; i < userAgents.Count; i++)
        {
            var suffix = i == 0 ? "" : $"-{i + 1}";
            md.AppendLine($"Session {i + 1}:");
            foreach (var line in await CaptureOneAsync(userAgents[i], scope?.AttemptEnd(userAgents[i]), directory, suffix, files))
                md.AppendLine($"- {line}");
            md.AppendLine();
        }
        return (files, md.ToString());
    }

    private static async Task<List<string>> CaptureOneAsync(UserAgent ua, Reporting.PageCapture? attemptEnd, string directory, string suffix, List<string> files)
    {
        var notes = new List<string>();
        var screenshot = Path.Combine(directory, $"screenshot{suffix}.png");
        if (attemptEnd is not null)
        {
            await File.WriteAllBytesAsync(screenshot, attemptEnd.Png); // an IOException is noted by the caller
            files.Add(screenshot);
            notes.Add($"`screenshot{suffix}.png`: the page where this check's last browser attempt in it ended without reaching the relying party ({Http.Redactor.Redact(attemptEnd.Url)})");
        }
        if (ua.IsClosed || ua.Page.IsClosed)
        {
            notes.Add("its page was closed before this check's verdict (a shared flow's session, closed at its own check's end): " +
                (attemptEnd is null ? "no screenshot, no trace" : "no trace"));
            return notes;
        }

        if (attemptEnd is null)
        {
            try
            {
                await ua.Page.ScreenshotAsync(new PageScreenshotOptions
                {
                    Path = screenshot, Timeout = (float)CaptureTimeout.TotalMilliseconds, Caret = ScreenshotCaret.Initial,
                });
                files.Add(screenshot);
                notes.Add($"`screenshot{suffix}.png`: the page at the verdict ({Http.Redactor.Redact(ua.Page.Url)})");
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException or IOException)
            {
                notes.Add($"no screenshot: {Http.Redactor.Redact(FirstLine(e.Message))}");
            }
        }

        if (!States.TryGetValue(ua, out var state))
        {
            notes.Add($"no trace: tracing is off ({BrowserTrace.EnvironmentVariable}=off)");
            return notes;
        }
        if (!state.Recording)
        {
            notes.Add($"no trace: {Http.Redactor.Redact(state.Problem ?? "tracing is not running")}");
            return notes;
        }
        var trace = Path.Combine(directory, $"trace{suffix}.zip");
        await state.Gate.WaitAsync();
        try
        {
            var name = Guid.NewGuid().ToString("N");
            var raw = Path.Combine(state.Directory, name + ".raw.zip");
            try
            {
                await ua.Context.Tracing.StopChunkAsync(new TracingStopChunkOptions { Path = raw }).WaitAsync(CaptureTimeout);
                var chunk = Path.Combine(state.Directory, name + ".zip");
                state.Dropped += TraceArchive.Write([raw], chunk).Dropped.Count;
                state.Chunks.Add(chunk);
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException or IOException or InvalidDataException)
            {
                notes.Add($"no trace: exporting it failed: {Http.Redactor.Redact(FirstLine(e.Message))}");
            }
            finally { try { File.Delete(raw); } catch (IOException) { } }
            try { await ua.Context.Tracing.StartChunkAsync(); } // keep recording for the checks that still use this session
            catch (PlaywrightException e)
            {
                state.Recording = false;
                state.Problem = $"the trace stopped after an export: {FirstLine(e.Message)}";
            }
            if (state.Chunks.Count == 0) return notes;
            var written = TraceArchive.Write(state.Chunks, trace);
            files.Add(trace);
            notes.Add($"`trace{suffix}.zip`: the trace ({BrowserTrace.Name(state.Mode)} mode, {written.Entries} entries" +
                (state.Chunks.Count > 1 ? $", exported in {state.Chunks.Count} parts for the failures that used this session" : "") + ")" +
                (state.Dropped > 0 ? $"; left out {state.Dropped} binary resource(s) that are neither images nor text" : ""));
        }
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            try { File.Delete(trace); } catch (IOException) { }
            notes.Add($"no trace: writing it failed: {Http.Redactor.Redact(FirstLine(e.Message))}");
        }
        finally { state.Gate.Release(); }
        return notes;
    }

    private static string FirstLine(string s) => s.Split('\n').FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? s;
}
