using System.Collections.Concurrent;
using System.Net;
using OidcConformance.Http;

namespace OidcConformance.Run;

/// <summary>
/// The provider could not be reached (connection refused or reset, DNS or TLS failure, a 502/503/504 from a proxy in
/// front, a timeout confirmed by a failed re-probe, net::ERR_* in the browser on the provider's origin). This is never
/// evidence about conformance: the execution that meets it is an Error with this message as its cause.
/// </summary>
public sealed class ProviderUnreachableException(string message, ProviderOutage outage) : Exception(message)
{
    public ProviderOutage Outage { get; } = outage;
}

/// <summary>One period during which the provider could not be reached, as the reports show it.</summary>
public sealed class ProviderOutage
{
    private readonly ConcurrentQueue<string> affected = new();
    /// <summary>"back channel" (the provider did not answer the suite's own requests either) or "browser" (only the browser could not reach it).</summary>
    public required string Channel { get; init; }
    /// <summary>When the first unreachable request was sent.</summary>
    public required DateTimeOffset Start { get; init; }
    /// <summary>When a re-probe (back channel) or a page load (browser) reached the provider again; null while it is down.</summary>
    public DateTimeOffset? End { get; internal set; }
    /// <summary>Check executions the report held when the outage began.</summary>
    public required int ExecutionsBefore { get; init; }
    /// <summary>What the first unreachable request met, e.g. "GET http://…/token: connection refused".</summary>
    public required string Cause { get; init; }
    /// <summary>Executions that fell into the gap (they are Errors), by id and case.</summary>
    public IReadOnlyList<string> Affected => affected.Distinct().ToList();

    internal void NoteAffected(string execution) => affected.Enqueue(execution);

    /// <summary>The sentence the reports lead with.</summary>
    public string Describe() =>
        $"the provider became unreachable{(Channel == OutageMonitor.BrowserChannel ? " from the browser" : "")} at {Start:HH:mm:ss} UTC " +
        $"(after {ExecutionsBefore} executions) and {(End is { } e ? $"was back at {e:HH:mm:ss} UTC ({(e - Start).TotalSeconds:0.#} s later)" : "did not come back")}; " +
        $"{Affected.Count} executions are Errors. First cause: {Cause}";
}

/// <summary>
/// One per run: notices an outage once and keeps the run honest about it. A request that could not reach the provider
/// (refused, reset, DNS, TLS, 502/503/504) begins the outage; a timeout does only when a re-probe of discovery with a short
/// deadline fails too (a single slow endpoint while discovery answers stays evidence about that endpoint). From then on every request to the provider's origins fails at once
/// (no timeouts waited out), a background re-probe watches for the provider to come back, and when it does the run
/// says so, drops what it had cached from before (a restarted provider forgets its sessions and tokens) and goes on.
/// </summary>
public sealed class OutageMonitor : IAsyncDisposable
{
    public const string BackChannel = "back channel";
    public const string BrowserChannel = "browser";

    private readonly object gate = new();
    private readonly List<ProviderOutage> outages = [];
    private readonly ConcurrentDictionary<string, byte> origins = new(StringComparer.OrdinalIgnoreCase);
    private readonly string probeUrl;
    private readonly TextWriter log;
    private readonly Func<int> executionsSoFar;
    private readonly ProtocolHttpClient probeClient;
    private readonly CancellationTokenSource stop = new();
    private Task<string?>? probeInFlight;
    private Task? watcher;

    /// <summary>How long a re-probe may take (the run gives min(5 s, the profile's request timeout)).</summary>
    public TimeSpan ProbeTimeout { get; }

    /// <summary>Raised once the provider answers again after a back-channel outage.</summary>
    public event Action<ProviderOutage>? Recovered;

    public OutageMonitor(string issuer, string discoveryUrl, TextWriter log, Func<int> executionsSoFar, TimeSpan? probeTimeout = null)
    {
        probeUrl = discoveryUrl;
        this.log = log;
        this.executionsSoFar = executionsSoFar;
        // Short: a provider that does not answer discovery within it is, for the run, not there (the profile's request timeout is for real exchanges).
        ProbeTimeout = probeTimeout ?? TimeSpan.FromSeconds(2);
        probeClient = new ProtocolHttpClient(new ExchangeRecorder(), ProbeTimeout);
        AddOrigin(issuer);
        AddOrigin(discoveryUrl);
    }

    public IReadOnlyList<ProviderOutage> Outages { get { lock (gate) return outages.ToList(); } }

    /// <summary>Outages so far; an execution compares it before and after to learn whether one began meanwhile.</summary>
    public int Epoch { get { lock (gate) return outages.Count; } }

    /// <summary>The back-channel outage in progress, if any.</summary>
    public ProviderOutage? Down { get { lock (gate) return outages.LastOrDefault(o => o.End is null && o.Channel == BackChannel); } }

    /// <summary>The outage (in progress, or begun since <paramref name="epoch"/>) an execution that started at that epoch overlapped.</summary>
    public ProviderOutage? OverlappedSince(int epoch)
    {
        lock (gate) return outages.Skip(epoch).FirstOrDefault() ?? outages.LastOrDefault(o => o.End is null);
    }

    /// <summary>The provider's origins: the issuer's, discovery's, and every endpoint's that discovery advertises.</summary>
    public void AddOrigin(string? url)
    {
        if (Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https") origins.TryAdd(Origin(u), 0);
    }

    /// <summary>The origins of the endpoints (<c>*_endpoint</c>, <c>jwks_uri</c>) a discovery answer advertises.</summary>
    public static void AddEndpointOrigins(OutageMonitor monitor, HttpExchange discovery)
    {
        if (discovery.ResponseBody.Length == 0 || discovery.ResponseBody.Length > 256 * 1024) return;
        try
        {
            using var doc = System.Text.Json.JsonDocument.Parse(discovery.ResponseBody);
            if (doc.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object) return;
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.ValueKind == System.Text.Json.JsonValueKind.String && (p.Name.EndsWith("_endpoint", StringComparison.Ordinal) || p.Name == "jwks_uri"))
                    monitor.AddOrigin(p.Value.GetString());
        }
        catch (System.Text.Json.JsonException) { }
    }

    public bool IsProviderOrigin(Uri url) => origins.ContainsKey(Origin(url));

    private static string Origin(Uri u) => $"{u.Scheme}://{u.Host}:{u.Port}";

    /// <summary>Before a request: when the provider is down, the request is not sent and the execution ends at once.</summary>
    public void ThrowIfDown(Uri url)
    {
        if (Down is { } o && IsProviderOrigin(url))
            throw new ProviderUnreachableException($"provider unreachable since {o.Start:HH:mm:ss} UTC ({o.Cause}); request not sent: {Redactor.Redact(Describe(url))}", o);
    }

    /// <summary>
    /// A back-channel request did not reach the provider (<paramref name="cause"/>). A refused or reset connection, a DNS or
    /// TLS failure or a gateway answer is never evidence: the outage begins (the watcher's re-probes end it as soon as
    /// discovery answers, so a one-request blip is reported as such) and this throws. A timeout alone may be a slow
    /// endpoint: only when a re-probe of discovery also fails is it an outage; otherwise this returns and the timeout stays
    /// evidence about that endpoint.
    /// </summary>
    public async Task ConfirmAsync(Uri url, string cause)
    {
        if (!IsProviderOrigin(url)) return;
        var started = DateTimeOffset.UtcNow;
        if (Down is { } already) throw Unreachable(already, url, cause);
        var what = $"{Redactor.Redact(Describe(url))}: {cause}";
        if (!IsTimeout(cause)) throw Unreachable(Begin(BackChannel, started, what), url, cause);
        var probe = await ProbeOnceAsync();
        if (probe is null) return;
        throw Unreachable(Begin(BackChannel, started, $"{what}; re-probe of discovery: {probe}"), url, cause);
    }

    /// <summary>The client's timeout (ProtocolHttpClient: "timed out after …"), the one cause that needs a re-probe to mean an outage.</summary>
    private static bool IsTimeout(string cause) => cause.StartsWith("timed out", StringComparison.Ordinal);

    /// <summary>
    /// The browser could not load a page of the provider's origin. Never a verdict: a back-channel re-probe says whether
    /// the whole provider is down or only the browser cannot reach it (both are outages); always throws.
    /// </summary>
    public async Task<Exception> BrowserUnreachableAsync(Uri url, string cause)
    {
        var started = DateTimeOffset.UtcNow;
        var what = $"browser {Redactor.Redact(Describe(url))}: {cause}";
        ProviderOutage outage;
        if (Down is { } already) outage = already;
        else if (await ProbeOnceAsync() is { } probe) outage = Begin(BackChannel, started, $"{what}; re-probe of discovery: {probe}");
        else
        {
            lock (gate) outage = outages.LastOrDefault(o => o.End is null && o.Channel == BrowserChannel)!;
            outage ??= Begin(BrowserChannel, started, what + " (the back channel still reaches discovery)");
        }
        return Unreachable(outage, url, cause);
    }

    /// <summary>A page of the provider loaded in the browser: a browser-only outage is over.</summary>
    public void BrowserReached()
    {
        ProviderOutage? ended = null;
        lock (gate)
        {
            foreach (var o in outages.Where(o => o.End is null && o.Channel == BrowserChannel))
            {
                o.End = DateTimeOffset.UtcNow;
                ended = o;
            }
        }
        if (ended is not null) log.WriteLine($"[run] the browser reaches the provider again: {ended.Describe()}");
    }

    /// <summary>An execution ended as an Error because of <paramref name="outage"/>.</summary>
    public static void NoteAffected(ProviderOutage outage, string execution) => outage.NoteAffected(execution);

    private ProviderUnreachableException Unreachable(ProviderOutage o, Uri url, string cause) =>
        new($"provider unreachable ({o.Channel}, since {o.Start:HH:mm:ss} UTC): {Redactor.Redact(Describe(url))}: {cause}", o);

    private ProviderOutage Begin(string channel, DateTimeOffset at, string cause)
    {
        ProviderOutage outage;
        lock (gate)
        {
            if (outages.LastOrDefault(o => o.End is null && o.Channel == channel) is { } open) return open;
            outage = new ProviderOutage { Channel = channel, Start = at, ExecutionsBefore = executionsSoFar(), Cause = cause };
            // A back-channel outage covers the browser too: one outage, not two.
            foreach (var b in outages.Where(o => o.End is null && o.Channel == BrowserChannel)) b.End = at;
            outages.Add(outage);
            if (channel == BackChannel) watcher = Task.Run(() => WatchAsync(outage));
        }
        log.WriteLine($"[run] PROVIDER UNREACHABLE ({channel}) at {at:HH:mm:ss} UTC after {outage.ExecutionsBefore} executions: {cause}. " +
                      "Executions that need it are Errors until it answers again.");
        return outage;
    }

    /// <summary>Re-probes discovery until it answers; then the outage ends and the run goes on.</summary>
    private async Task WatchAsync(ProviderOutage outage)
    {
        while (!stop.IsCancellationRequested)
        {
            var probeStarted = DateTimeOffset.UtcNow;
            if (await ProbeOnceAsync() is null)
            {
                lock (gate) outage.End = DateTimeOffset.UtcNow;
                log.WriteLine($"[run] the provider answers again: {outage.Describe()}");
                Recovered?.Invoke(outage);
                return;
            }
            // Pace the re-probes: a refused connection fails in microseconds, and a tight loop would take a core from the run.
            var pause = TimeSpan.FromMilliseconds(500) - (DateTimeOffset.UtcNow - probeStarted);
            if (pause > TimeSpan.Zero)
                try { await Task.Delay(pause, stop.Token); } catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>One GET of discovery with the short deadline, shared by concurrent callers: null when it answered, else what went wrong.</summary>
    private Task<string?> ProbeOnceAsync()
    {
        lock (gate)
        {
            if (probeInFlight is { IsCompleted: false } p) return p;
            return probeInFlight = Task.Run(async () =>
            {
                var exchange = await probeClient.GetAsync(probeUrl, "outage re-probe", ct: stop.Token);
                return Unreachability.Of(exchange);
            });
        }
    }

    private static string Describe(Uri url) => $"{url.Scheme}://{url.Authority}{url.AbsolutePath}";

    public async ValueTask DisposeAsync()
    {
        stop.Cancel();
        Task? w;
        lock (gate) w = watcher;
        if (w is not null) try { await w; } catch (OperationCanceledException) { }
        probeClient.Dispose();
    }
}

/// <summary>Whether an exchange shows that the provider could not be reached (rather than that it answered).</summary>
public static class Unreachability
{
    /// <summary>Gateway answers: the proxy in front of the provider is there, the provider behind it is not.</summary>
    public static bool IsGatewayStatus(int status) => status is (int)HttpStatusCode.BadGateway or (int)HttpStatusCode.ServiceUnavailable or (int)HttpStatusCode.GatewayTimeout;

    /// <summary>Null when the provider answered; else the transport error or the gateway status.</summary>
    public static string? Of(HttpExchange exchange) =>
        exchange.TransportError is { } t ? t
        : exchange.Status is { } s && IsGatewayStatus((int)s) ? $"HTTP {(int)s} {s}" : null;
}
