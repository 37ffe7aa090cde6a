using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace OidcConformance.Http;

/// <summary>Collects every exchange of a run (thread-safe); reports and failure bundles read from it.</summary>
public sealed class ExchangeRecorder
{
    private readonly ConcurrentQueue<HttpExchange> exchanges = new();
    public event Action<HttpExchange>? Recorded;

    public void Add(HttpExchange exchange)
    {
        exchanges.Enqueue(exchange);
        Recorded?.Invoke(exchange);
    }

    public IReadOnlyList<HttpExchange> Snapshot() => exchanges.ToArray();
}

/// <summary>
/// The suite's back-channel HTTP client: no cookies (a provider must not authenticate an API call through a session
/// the harness picked up by accident), no automatic redirects (checks must see 3xx answers), a per-request timeout
/// from the profile, a cap on body size, and a record of every exchange. Transport failures do not throw: they come
/// back as an exchange with <see cref="HttpExchange.TransportError"/> so that checks turn them into verdicts.
/// </summary>
public sealed class ProtocolHttpClient : IDisposable
{
    public const int DefaultMaxBodyBytes = 2 * 1024 * 1024;
    private readonly HttpClient http;
    private readonly ExchangeRecorder recorder;
    private readonly int maxBodyBytes;

    public TimeSpan RequestTimeout { get; }

    public ProtocolHttpClient(ExchangeRecorder recorder, TimeSpan requestTimeout, HttpMessageHandler? handler = null,
        int maxBodyBytes = DefaultMaxBodyBytes)
    {
        this.recorder = recorder;
        this.maxBodyBytes = maxBodyBytes;
        RequestTimeout = requestTimeout;
        handler ??= new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseCookies = false,
            ConnectTimeout = requestTimeout < TimeSpan.FromSeconds(5) ? requestTimeout : TimeSpan.FromSeconds(5),
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
        };
        http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
    }

    public ExchangeRecorder Recorder => recorder;

    /// <summary>
    /// The run's outage monitor (null in unit tests: transport failures then stay exchanges). With it, a request to the
    /// provider that could not reach it (transport failure, 502/503/504) throws <see cref="Run.ProviderUnreachableException"/>
    /// once a re-probe confirms the provider is down, and requests are not sent at all while it is down.
    /// </summary>
    public Run.OutageMonitor? Outages { get; set; }

    public Task<HttpExchange> GetAsync(string url, string purpose, AuthenticationHeaderValue? auth = null,
        CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = auth;
        return SendAsync(request, purpose, ct);
    }

    public Task<HttpExchange> PostFormAsync(string url, IEnumerable<KeyValuePair<string, string>> form, string purpose,
        AuthenticationHeaderValue? auth = null, CancellationToken ct = default)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = auth;
        return SendAsync(request, purpose, ct);
    }

    public async Task<HttpExchange> SendAsync(HttpRequestMessage request, string purpose, CancellationToken ct = default)
    {
        if (!request.Headers.Accept.Any())
            request.Headers.Accept.ParseAdd("application/json");
        var requestBody = request.Content is null ? null : await request.Content.ReadAsStringAsync(ct);
        var requestHeaders = request.Headers.Concat(request.Content?.Headers ?? Enumerable.Empty<KeyValuePair<string, IEnumerable<string>>>())
            .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))).ToList();
        var started = DateTimeOffset.UtcNow;
        var clock = Stopwatch.StartNew();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(RequestTimeout);
        HttpExchange exchange;
        if (request.RequestUri is not { IsAbsoluteUri: true } || request.RequestUri.Scheme is not ("http" or "https"))
        {
            // e.g. a relative endpoint URL in a discovery document: a statement about the provider, not a harness crash
            exchange = Failed($"'{request.RequestUri}' is not an absolute http(s) URL");
            recorder.Add(exchange);
            return exchange;
        }
        Outages?.ThrowIfDown(request.RequestUri);
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, timeout.Token);
            var (body, truncated) = await ReadCappedAsync(response.Content, timeout.Token);
            exchange = new HttpExchange
            {
                Purpose = purpose, Method = request.Method.Method, Url = request.RequestUri!, RequestHeaders = requestHeaders,
                RequestBody = requestBody, Status = response.StatusCode, ResponseBody = body, ResponseTruncated = truncated,
                ResponseHeaders = response.Headers.Concat(response.Content.Headers)
                    .Select(h => new KeyValuePair<string, string>(h.Key, string.Join(", ", h.Value))).ToList(),
                Started = started, Duration = clock.Elapsed,
            };
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            exchange = Failed($"timed out after {RequestTimeout.TotalSeconds:0.#} s (profile timeouts.requestSeconds)");
        }
        catch (HttpRequestException e)
        {
            exchange = Failed(Describe(e));
        }
        RegisterIssuedSecrets(exchange);
        recorder.Add(exchange);
        // After recording: the exchange that met the outage is still in the check's evidence and the run's log.
        if (Outages is not null && Run.Unreachability.Of(exchange) is { } unreachable)
            await Outages.ConfirmAsync(request.RequestUri, unreachable);
        return exchange;

        HttpExchange Failed(string error) => new()
        {
            Purpose = purpose, Method = request.Method.Method, Url = request.RequestUri!, RequestHeaders = requestHeaders,
            RequestBody = requestBody, Started = started, Duration = clock.Elapsed, TransportError = error,
        };
    }

    private static string Describe(HttpRequestException e) => e.InnerException switch
    {
        SocketException { SocketErrorCode: SocketError.ConnectionRefused } => "connection refused (is the provider running?)",
        SocketException s => $"network error: {s.SocketErrorCode}",
        _ when e.HttpRequestError == HttpRequestError.NameResolutionError => "host name does not resolve",
        _ when e.HttpRequestError == HttpRequestError.ResponseEnded => "the provider closed the connection before answering",
        _ => e.Message,
    };

    private async Task<(string Body, bool Truncated)> ReadCappedAsync(HttpContent content, CancellationToken ct)
    {
        await using var stream = await content.ReadAsStreamAsync(ct);
        var buffer = new byte[Math.Min(maxBodyBytes + 1, 64 * 1024)];
        using var memory = new MemoryStream();
        int read;
        while ((read = await stream.ReadAsync(buffer, ct)) > 0)
        {
            memory.Write(buffer, 0, read);
            if (memory.Length > maxBodyBytes) break;
        }
        var truncated = memory.Length > maxBodyBytes;
        var bytes = memory.ToArray();
        if (truncated) bytes = bytes[..maxBodyBytes];
        return (Encoding.UTF8.GetString(bytes), truncated);
    }

    /// <summary>Every token or code a provider hands out is registered as a secret so no later output shows it.</summary>
    private static void RegisterIssuedSecrets(HttpExchange exchange)
    {
        if (exchange.RequestBody is { } requestBody)
            foreach (var (k, v) in FormCodec.Parse(requestBody))
                if (Redactor.SecretFields.Contains(k)) Redactor.Register(v, k);
        foreach (var (k, v) in FormCodec.ParseRedirect(exchange.Header("Location")))
            if (Redactor.SecretFields.Contains(k)) Redactor.Register(v, k);
        if (exchange.ResponseBody.Length == 0 || exchange.ResponseBody.Length > 256 * 1024) return;
        try
        {
            using var doc = JsonDocument.Parse(exchange.ResponseBody);
            if (doc.RootElement.ValueKind != JsonValueKind.Object) return;
            foreach (var p in doc.RootElement.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.String && (Redactor.SecretFields.Contains(p.Name) || p.Name is "accessToken" or "refreshToken"))
                    Redactor.Register(p.Value.GetString(), p.Name);
        }
        catch (JsonException) { }
    }

    public void Dispose() => http.Dispose();
}

/// <summary>application/x-www-form-urlencoded parsing that keeps repeated and empty parameters, as checks need them.</summary>
public static class FormCodec
{
    public static List<KeyValuePair<string, string>> Parse(string? encoded)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (string.IsNullOrEmpty(encoded)) return list;
        foreach (var part in encoded.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var i = part.IndexOf('=');
            var key = i < 0 ? part : part[..i];
            var value = i < 0 ? "" : part[(i + 1)..];
            list.Add(new(Decode(key), Decode(value)));
        }
        return list;
    }

    public static string Encode(IEnumerable<KeyValuePair<string, string>> pairs) =>
        string.Join("&", pairs.Select(p => Uri.EscapeDataString(p.Key) + "=" + Uri.EscapeDataString(p.Value)));

    /// <summary>The parameters of a redirect: its query, then its fragment (RFC 6749 §4.1.2, §4.2.2); none when it is not an absolute URI.</summary>
    public static List<KeyValuePair<string, string>> ParseRedirect(string? location) =>
        Uri.TryCreate(location, UriKind.Absolute, out var uri) ? [.. Parse(uri.Query.TrimStart('?')), .. Parse(uri.Fragment.TrimStart('#'))] : [];

    private static string Decode(string s)
    {
        try { return Uri.UnescapeDataString(s.Replace('+', ' ')); }
        catch (UriFormatException) { return s; }
    }
}
