using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Microsoft.Playwright;
using OidcConformance.Browser;
using OidcConformance.Http;

namespace OidcConformance.Reporting;

/// <summary>
/// The check execution that is running on the current async flow. <see cref="ConformanceTest"/>-style runners open
/// one per check; an <see cref="ExchangeRecorder"/> hooked with <see cref="Attach"/> then attributes every exchange
/// recorded on that flow to it, so a verdict can carry the HTTP exchanges its test made (the generic evidence
/// fallback, the failure bundle and the per-case error facts). Shared artifacts obtained by another check first
/// (discovery, a reference login) stay attributed to that check.
/// </summary>
public sealed class CheckScope : IDisposable
{
    private static readonly AsyncLocal<CheckScope?> current = new();
    private static readonly ConditionalWeakTable<ExchangeRecorder, object> attached = new();
    private readonly ConcurrentQueue<HttpExchange> exchanges = new();
    private readonly CheckScope? outer;
    private readonly UserAgentSet userAgents = new();
    private readonly List<UserAgent> closeAfterVerdict = [];
    private static readonly AsyncLocal<SharedBuild?> sharedBuild = new();

    public string CheckId { get; }
    public static CheckScope? Current => current.Value;
    public IReadOnlyList<HttpExchange> Exchanges => exchanges.ToArray();
    /// <summary>The browser sessions this check drove or whose shared artifacts it used, in the order of first use.</summary>
    public IReadOnlyList<UserAgent> UserAgents => userAgents.ToList();

    private CheckScope(string checkId)
    {
        CheckId = checkId;
        outer = current.Value;
        current.Value = this;
    }

    public static CheckScope Begin(string checkId) => new(checkId);

    public void Add(HttpExchange exchange) => exchanges.Enqueue(exchange);

    private readonly ConcurrentQueue<string> attemptStates = new();

    /// <summary>The session state of each browser attempt this check drove itself, in order (<see cref="RecordAttempt"/>).</summary>
    public IReadOnlyList<string> AttemptStates => attemptStates.ToArray();

    /// <summary>
    /// Notes a browser attempt's session state (login form shown and submitted, consent shown) for the check running on this
    /// flow; an attempt that builds a shared artifact is noted with the artifact, for every check that uses it.
    /// </summary>
    public static void RecordAttempt(string what, string state)
    {
        var line = $"{what}: {state}";
        if (sharedBuild.Value is { } build)
        {
            // A shared artifact's attempt: every check that uses the artifact gets it (UsedSharedAttempts), marked as shared.
            for (var b = build; b is not null; b = b.Outer) b.UserAgents.AddAttempt("shared artifact, " + line);
            return;
        }
        Current?.attemptStates.Enqueue(line);
    }

    /// <summary>Notes the attempts of a shared artifact the current check uses (its session state is part of the check's evidence).</summary>
    public static void UsedSharedAttempts(UserAgentSet artifact)
    {
        if (Current is not { } scope) return;
        foreach (var line in artifact.Attempts())
            if (!scope.attemptStates.Contains(line)) scope.attemptStates.Enqueue(line);
    }

    /// <summary>Hooks a recorder once: exchanges it records are added to the scope current on the recording flow.</summary>
    public static void Attach(ExchangeRecorder recorder)
    {
        lock (attached)
        {
            if (attached.TryGetValue(recorder, out _)) return;
            attached.Add(recorder, new object());
            recorder.Recorded += e => Current?.Add(e);
        }
    }

    /// <summary>The last page this check's own browser attempts left on each session when they did not end at the relying party.</summary>
    private readonly ConcurrentDictionary<UserAgent, PageCapture> attemptEnds = new();

    public void RememberAttemptEnd(UserAgent userAgent, PageCapture capture) => attemptEnds[userAgent] = capture;

    public void ForgetAttemptEnd(UserAgent userAgent) => attemptEnds.TryRemove(userAgent, out _);

    public PageCapture? AttemptEnd(UserAgent userAgent) => attemptEnds.TryGetValue(userAgent, out var c) ? c : null;

    /// <summary>Notes that the flow running now drives this browser session (called by the authorizer for every page it drives).</summary>
    public static void UsedUserAgent(UserAgent userAgent)
    {
        Current?.userAgents.Add(userAgent);
        for (var b = sharedBuild.Value; b is not null; b = b.Outer) b.UserAgents.Add(userAgent);
    }

    /// <summary>
    /// Who owns what starts on this flow now: the shared artifact being built, else the check (null outside both). A browser
    /// session created and driven by the same owner is private to it; one driven by another owner is shared.
    /// </summary>
    public static object? CurrentOwner => (object?)sharedBuild.Value ?? Current;

    /// <summary>Notes browser sessions that produced a shared artifact the current check uses.</summary>
    public static void UsedUserAgents(IEnumerable<UserAgent> userAgents)
    {
        foreach (var ua in userAgents) UsedUserAgent(ua);
    }

    /// <summary>Runs the flow that builds a shared artifact, collecting the browser sessions it drives into <paramref name="userAgents"/>.</summary>
    public static async Task<T> BuildingSharedAsync<T>(UserAgentSet userAgents, Func<Task<T>> build)
    {
        sharedBuild.Value = new SharedBuild(userAgents, sharedBuild.Value); // local to this async flow and the flows it starts
        return await build();
    }

    /// <summary>
    /// Whether the close of a disposed user agent is taken over: inside a shared artifact's flow it stays open until the
    /// browser closes at the end of the run (later checks that use the artifact may fail and want its page and trace);
    /// inside a check it closes once the check's verdict and failure bundle are done. Outside both: false, close now.
    /// </summary>
    public static bool DeferClose(UserAgent userAgent)
    {
        if (sharedBuild.Value is not null) return true;
        if (Current is not { } scope) return false;
        lock (scope.closeAfterVerdict) scope.closeAfterVerdict.Add(userAgent);
        return true;
    }

    public void Dispose()
    {
        if (ReferenceEquals(current.Value, this)) current.Value = outer;
    }

    /// <summary>Ends the scope and closes the user agents whose dispose waited for the verdict.</summary>
    public ValueTask DisposeAsync()
    {
        Dispose(); // synchronously, so the caller's flow gets its outer scope back
        return CloseDeferredAsync();
    }

    private async ValueTask CloseDeferredAsync()
    {
        List<UserAgent> pending;
        lock (closeAfterVerdict)
        {
            pending = [.. closeAfterVerdict];
            closeAfterVerdict.Clear();
        }
        foreach (var ua in pending)
        {
            try { await ua.CloseAsync(); }
            catch (PlaywrightException) { /* the browser is gone already */ }
        }
    }

    private sealed record SharedBuild(UserAgentSet UserAgents, SharedBuild? Outer);
}

/// <summary>A screenshot (PNG) of a page and the URL it showed.</summary>
public sealed record PageCapture(byte[] Png, string Url);

/// <summary>A thread-safe set of user agents in the order they were added.</summary>
public sealed class UserAgentSet
{
    private readonly List<UserAgent> list = [];

    public void Add(UserAgent userAgent)
    {
        lock (list) if (!list.Contains(userAgent)) list.Add(userAgent);
    }

    public List<UserAgent> ToList()
    {
        lock (list) return [.. list];
    }

    private readonly List<string> attempts = [];

    /// <summary>The session state of the browser attempts made while building a shared artifact (CheckScope.RecordAttempt).</summary>
    public void AddAttempt(string line)
    {
        lock (attempts) attempts.Add(line);
    }

    public List<string> Attempts()
    {
        lock (attempts) return [.. attempts];
    }
}
