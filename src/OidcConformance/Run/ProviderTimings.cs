using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OidcConformance.Http;

namespace OidcConformance.Run;

/// <summary>One wait on the provider: a back-channel HTTP exchange or a browser request to one of its pages.</summary>
public sealed record ProviderWait(string Channel, string Method, string Endpoint, int Status, DateTimeOffset Started, TimeSpan Duration);

/// <summary>
/// Time spent waiting on the provider during one run, per request: back-channel exchanges (<see cref="HttpExchange.Duration"/>)
/// and the browser's requests to the provider's origin (Playwright request timing). It also counts browser logins (credentials
/// submitted) and user-agent sessions. <see cref="Write"/> puts a per-endpoint summary (median, p95) in latency.md and latency.json.
/// </summary>
public sealed class ProviderTimings
{
    private readonly ConcurrentQueue<ProviderWait> waits = new();
    private int logins;
    private int userAgents;
    public DateTimeOffset RunStarted { get; } = DateTimeOffset.UtcNow;

    public int BrowserLogins => Volatile.Read(ref logins);
    public int UserAgentSessions => Volatile.Read(ref userAgents);
    private int cachedAssets;
    /// <summary>Browser requests for content-hashed static assets answered by the harness's copy (no provider work, no wait recorded).</summary>
    public int CachedAssetHits => Volatile.Read(ref cachedAssets);
    public void CountCachedAsset() => Interlocked.Increment(ref cachedAssets);
    public IReadOnlyList<ProviderWait> Snapshot() => waits.ToArray();

    public void CountLogin() => Interlocked.Increment(ref logins);
    public void CountUserAgent() => Interlocked.Increment(ref userAgents);

    public void Add(ProviderWait wait) => waits.Enqueue(wait);

    /// <summary>Records a back-channel exchange; the preflight and transport failures count too (the harness waited for them).</summary>
    public void Add(HttpExchange e) =>
        Add(new ProviderWait("http", e.Method, EndpointKey(e.Url), e.StatusCode, e.Started, e.Duration));

    private static readonly Regex IdSegment = new("^[A-Za-z0-9_-]{16,}$", RegexOptions.Compiled);

    /// <summary>A long opaque token (digits or mixed case), not a word like "openid-configuration".</summary>
    private static bool IsId(string segment) =>
        IdSegment.IsMatch(segment) && (segment.Any(char.IsDigit) || (segment.Any(char.IsUpper) && segment.Any(char.IsLower)));

    /// <summary>origin + path, with opaque id segments (interaction ids, UUIDs) folded to {id}, so one page is one endpoint.</summary>
    public static string EndpointKey(Uri url)
    {
        if (!url.IsAbsoluteUri) return url.OriginalString; // a relative endpoint URL from a broken discovery document
        var segments = url.AbsolutePath.Split('/').Select(s => IsId(s) ? "{id}" : s);
        return url.GetLeftPart(UriPartial.Authority) + string.Join('/', segments);
    }

    /// <summary>The wall time during which at least one request to the provider was in flight (parallel waits counted once).</summary>
    public static TimeSpan BusyTime(IEnumerable<ProviderWait> all)
    {
        var intervals = all.Select(w => (Start: w.Started, End: w.Started + w.Duration)).OrderBy(i => i.Start).ToList();
        var total = TimeSpan.Zero;
        DateTimeOffset? curStart = null, curEnd = null;
        foreach (var (start, end) in intervals)
        {
            if (curEnd is null || start > curEnd) { if (curEnd is not null) total += curEnd.Value - curStart!.Value; curStart = start; curEnd = end; }
            else if (end > curEnd) curEnd = end;
        }
        if (curEnd is not null) total += curEnd.Value - curStart!.Value;
        return total;
    }

    public static double Percentile(IReadOnlyList<double> sorted, double p)
    {
        if (sorted.Count == 0) return 0;
        var rank = p * (sorted.Count - 1);
        var lo = (int)Math.Floor(rank);
        var hi = (int)Math.Ceiling(rank);
        return sorted[lo] + (sorted[hi] - sorted[lo]) * (rank - lo);
    }

    public sealed record EndpointSummary(string Channel, string Method, string Endpoint, int Count, double MedianMs, double P95Ms, double MaxMs, double TotalMs);

    public IReadOnlyList<EndpointSummary> Summarize() =>
        Snapshot().GroupBy(w => (w.Channel, w.Method, w.Endpoint)).Select(g =>
        {
            var ms = g.Select(w => w.Duration.TotalMilliseconds).Order().ToList();
            return new EndpointSummary(g.Key.Channel, g.Key.Method, Redactor.Redact(g.Key.Endpoint), ms.Count, Percentile(ms, 0.5), Percentile(ms, 0.95), ms[^1], ms.Sum());
        }).OrderByDescending(s => s.TotalMs).ToList();

    /// <summary>Writes latency.json and latency.md into <paramref name="directory"/>; returns the markdown path.</summary>
    public string Write(string directory, DateTimeOffset? ended = null)
    {
        Directory.CreateDirectory(directory);
        var all = Snapshot();
        var wall = (ended ?? DateTimeOffset.UtcNow) - RunStarted;
        var busy = BusyTime(all);
        var sum = TimeSpan.FromMilliseconds(all.Sum(w => w.Duration.TotalMilliseconds));
        var endpoints = Summarize();
        var json = new
        {
            schema = "oidc-conformance-latency/1",
            runWallMs = Round(wall.TotalMilliseconds),
            providerBusyMs = Round(busy.TotalMilliseconds),
            providerWaitSumMs = Round(sum.TotalMilliseconds),
            overheadRatio = busy > TimeSpan.Zero ? Math.Round(wall / busy, 2) : (double?)null,
            requests = all.Count,
            httpExchanges = all.Count(w => w.Channel == "http"),
            browserRequests = all.Count(w => w.Channel == "browser"),
            browserLogins = BrowserLogins,
            cachedAssetHits = CachedAssetHits,
            userAgentSessions = UserAgentSessions,
            endpoints = endpoints.Select(e => new
            {
                channel = e.Channel, method = e.Method, endpoint = e.Endpoint, count = e.Count,
                medianMs = Round(e.MedianMs), p95Ms = Round(e.P95Ms), maxMs = Round(e.MaxMs), totalMs = Round(e.TotalMs),
            }),
        };
        File.WriteAllText(Path.Combine(directory, "latency.json"), JsonSerializer.Serialize(json, new JsonSerializerOptions { WriteIndented = true }));

        var md = new StringBuilder();
        md.AppendLine("# Provider latency").AppendLine();
        md.AppendLine(F($"Run wall time {wall.TotalSeconds:0.0} s; provider busy (at least one request in flight) {busy.TotalSeconds:0.0} s; sum of all waits {sum.TotalSeconds:0.0} s; wall / busy = {(busy > TimeSpan.Zero ? (wall / busy).ToString("0.00", CultureInfo.InvariantCulture) : "n/a")}."));
        md.AppendLine(F($"{all.Count} requests ({all.Count(w => w.Channel == "http")} back-channel, {all.Count(w => w.Channel == "browser")} browser); {BrowserLogins} browser logins in {UserAgentSessions} user-agent sessions; {CachedAssetHits} content-hashed static assets served from the harness's copy (not provider time).")).AppendLine();
        md.AppendLine("| channel | method | endpoint | count | median ms | p95 ms | max ms | total ms |");
        md.AppendLine("|---|---|---|---:|---:|---:|---:|---:|");
        foreach (var e in endpoints)
            md.AppendLine(F($"| {e.Channel} | {e.Method} | `{e.Endpoint}` | {e.Count} | {e.MedianMs:0.0} | {e.P95Ms:0.0} | {e.MaxMs:0.0} | {e.TotalMs:0} |"));
        var path = Path.Combine(directory, "latency.md");
        File.WriteAllText(path, md.ToString());
        return path;
    }

    private static double Round(double v) => Math.Round(v, 1);
    private static string F(FormattableString s) => s.ToString(CultureInfo.InvariantCulture);
}
