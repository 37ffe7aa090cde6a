using System.Collections.Concurrent;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// Immutable, content-hashed static assets of the provider's pages, fetched once per run and served by the harness to later
/// browser contexts. Each context is a fresh cookie jar with an empty HTTP cache, so without this every page load downloads
/// the provider's app again: Casdoor's 3 MB <c>static/js/main.03214be1.js</c> was downloaded 91 times in the recorded run
/// (Recorded/casdoor-3.158.0, latency.md: 28.6 s of request time). A name that carries a hash of its content cannot change
/// without changing its name, so a copy is the same asset.
/// <para>Only GET, only 2xx answers, only URLs under a <c>/static/</c> folder whose file name has a hash part (8 or more hex
/// digits between dots or after a dash, as build tools write them), never API, authorization or logout URLs. The first load
/// goes to the provider through the browser as usual (its timing is the provider's); a copy served from here is marked with
/// the response header <see cref="MarkerHeader"/> (visible in traces) and is not counted as provider time.</para>
/// </summary>
public sealed class StaticAssetCache
{
    public const string MarkerHeader = "x-oidc-conformance-asset-cache";

    /// <summary>Matched by Playwright in its driver (a regular expression, not a predicate: no round trip per request).</summary>
    public static readonly Regex Candidates = new(
        @"^https?://[^/?#]+/(?:[^?#]*/)?static/(?:[^?#]*/)?[^/?#]*[.-][0-9a-f]{8,}(?:\.[0-9a-z]+)+$", RegexOptions.IgnoreCase);

    private static readonly Regex Excluded = new(@"/(?:api|oauth2?|authorize|auth|logout|login|session|token|userinfo|callback)(?:/|$)",
        RegexOptions.IgnoreCase);

    private static readonly HashSet<string> DroppedHeaders = new(StringComparer.OrdinalIgnoreCase)
        { "content-encoding", "content-length", "transfer-encoding", "set-cookie", "connection", "keep-alive" };

    private sealed record Entry(int Status, Dictionary<string, string> Headers, byte[] Body);

    private readonly ConcurrentDictionary<string, Entry> entries = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<IRequest, byte> served = new();
    private int hits;

    /// <summary>Answers served from the cache so far.</summary>
    public int Hits => Volatile.Read(ref hits);

    /// <summary>Assets held.</summary>
    public int Count => entries.Count;

    public static bool IsCacheable(string url)
    {
        if (!Candidates.IsMatch(url) || !Uri.TryCreate(url, UriKind.Absolute, out var u)) return false;
        return !Excluded.IsMatch(u.AbsolutePath[..(u.AbsolutePath.LastIndexOf('/') + 1)]);
    }

    public async Task AttachAsync(IBrowserContext context)
    {
        await context.RouteAsync(Candidates, HandleAsync);
        context.Response += OnResponse;
    }

    /// <summary>Whether <paramref name="request"/> was answered from the cache (then the provider did no work for it).</summary>
    public bool ServedFromCache(IRequest request) => served.ContainsKey(request);

    /// <summary>Forgets a finished request (called once its timing was looked at).</summary>
    public void Forget(IRequest request) => served.TryRemove(request, out _);

    private async Task HandleAsync(IRoute route)
    {
        var request = route.Request;
        if (request.Method == "GET" && IsCacheable(request.Url) && entries.TryGetValue(request.Url, out var entry))
        {
            served[request] = 0;
            Interlocked.Increment(ref hits);
            var headers = new Dictionary<string, string>(entry.Headers) { [MarkerHeader] = "hit" };
            await route.FulfillAsync(new RouteFulfillOptions { Status = entry.Status, Headers = headers, BodyBytes = entry.Body });
            return;
        }
        await route.ContinueAsync();
    }

    private void OnResponse(object? sender, IResponse response)
    {
        try
        {
            if (response.Status is < 200 or > 299 || response.Request.Method != "GET" || !IsCacheable(response.Url)) return;
            if (entries.ContainsKey(response.Url) || served.ContainsKey(response.Request)) return;
            _ = StoreAsync(response);
        }
        catch (Exception) { /* an event handler must never throw into Playwright */ }
    }

    private async Task StoreAsync(IResponse response)
    {
        try
        {
            var body = await response.BodyAsync();
            var headers = response.Headers.Where(h => !DroppedHeaders.Contains(h.Key)).ToDictionary(h => h.Key, h => h.Value, StringComparer.OrdinalIgnoreCase);
            entries.TryAdd(response.Url, new Entry(response.Status, headers, body));
        }
        catch (Exception) { /* the page went away before the body was read: the next load stores it */ }
    }
}
