using System.Collections.Concurrent;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OidcConformance.Http;

namespace OidcConformance.Faults;

/// <summary>
/// An in-process reverse proxy on loopback between the suite (back channel and browser) and the embedded provider, which
/// uses the proxy's origin as its issuer. With a <see cref="Fault"/> it breaks exactly one property of what the provider
/// says; with <see cref="FaultCatalog.None"/> it only forwards (and adds its own signing key to the JWK Set, so that faults
/// which re-sign a token change nothing but the faulted claim).
/// </summary>
public sealed class FaultProxy : IAsyncDisposable
{
    public const string EnvironmentVariable = "OIDC_FAULT";

    private readonly WebApplication app;
    private readonly HttpClient upstream;
    private readonly TextWriter log;
    public Fault Fault { get; }
    public FaultContext Context { get; }
    public string Origin { get; }
    public int UpstreamPort { get; }

    private FaultProxy(WebApplication app, HttpClient upstream, Fault fault, FaultContext context, string origin, int upstreamPort, TextWriter log)
    {
        this.app = app; this.upstream = upstream; Fault = fault; Context = context; Origin = origin; UpstreamPort = upstreamPort; this.log = log;
    }

    /// <summary>The fault named by <c>OIDC_FAULT</c> ("none" = proxy without fault), or null when the run goes direct.</summary>
    public static Fault? Requested()
    {
        var name = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (string.IsNullOrWhiteSpace(name)) return null;
        return FaultCatalog.Find(name.Trim()) ?? throw new InvalidOperationException(
            $"{EnvironmentVariable}={name}: no such fault (known: none, {string.Join(", ", FaultCatalog.All.Select(f => f.Name))})");
    }

    /// <summary>What the embedded provider's environment needs: its own port, and the proxy's origin as issuer.</summary>
    public IReadOnlyDictionary<string, string> ProviderEnvironment => new Dictionary<string, string>
    {
        ["PORT"] = UpstreamPort.ToString(), ["ISSUER"] = Origin,
    };

    public static async Task<FaultProxy> StartAsync(Fault fault, TextWriter log)
    {
        var upstreamPort = FreePort();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(o => { o.Listen(IPAddress.Loopback, 0); o.AddServerHeader = false; });
        var app = builder.Build();
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false, UseCookies = false, AutomaticDecompression = DecompressionMethods.None, UseProxy = false,
        };
        var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
        var context = new FaultContext($"http://127.0.0.1:{upstreamPort}", client);
        FaultProxy? proxy = null;
        app.Run(ctx => proxy!.HandleAsync(ctx));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<Microsoft.AspNetCore.Hosting.Server.IServer>()
            .Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        var origin = $"http://127.0.0.1:{port}";
        context.Origin = origin;
        proxy = new FaultProxy(app, client, fault, context, origin, upstreamPort, log);
        log.WriteLine($"[fault] proxy {origin} → provider port {upstreamPort}, fault '{fault.Name}': {fault.Description}");
        return proxy;
    }

    private static int FreePort()
    {
        var l = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static readonly HashSet<string> HopByHop = new(StringComparer.OrdinalIgnoreCase)
    {
        "Connection", "Keep-Alive", "Transfer-Encoding", "Upgrade", "Proxy-Connection", "TE", "Trailer", "Host", "Accept-Encoding", "Content-Length",
    };

    private async Task HandleAsync(HttpContext ctx)
    {
        ProxyRequest request;
        using (var ms = new MemoryStream())
        {
            await ctx.Request.Body.CopyToAsync(ms);
            request = new ProxyRequest(ctx.Request.Method, ctx.Request.Path.Value ?? "/", ctx.Request.QueryString.Value ?? "", ms.ToArray());
        }
        foreach (var h in ctx.Request.Headers)
            if (!HopByHop.Contains(h.Key)) foreach (var v in h.Value) request.Headers.Add(new(h.Key, v ?? ""));
        request.Host = ctx.Request.Host.Value ?? new Uri(Origin).Authority;

        ProxyResponse response;
        try
        {
            await Context.EnsureEndpointsAsync(request.Host);
            Context.RestoreOriginals(request);
            response = Fault.Around is { } around ? await around(Context, request, ForwardAsync) : await ForwardAsync(request);
            Context.AddProxyKey(request, response);
            Fault.OnResponse?.Invoke(Context, request, response);
        }
        catch (Exception e)
        {
            log.WriteLine($"[fault] proxy error on {request.Method} {request.Path}: {e}");
            response = new ProxyResponse(502, Encoding.UTF8.GetBytes("fault proxy: upstream failed"));
            response.SetHeader("Content-Type", "text/plain");
        }

        if (response.AbortConnection) { ctx.Abort(); return; } // the client sees its connection dropped, no HTTP answer
        ctx.Response.StatusCode = response.Status;
        foreach (var (k, v) in response.Headers)
            if (!HopByHop.Contains(k)) ctx.Response.Headers.Append(k, v);
        ctx.Response.ContentLength = response.Body.Length;
        if (response.Body.Length > 0 && !HttpMethods.IsHead(request.Method)) await ctx.Response.Body.WriteAsync(response.Body);
    }

    /// <summary>Once the provider is up: learns its endpoints and warms the proxy's own pipeline, so the run's short preflight is not spent on JIT.</summary>
    public async Task WarmUpAsync(TimeSpan timeout)
    {
        using var client = new HttpClient { Timeout = timeout };
        try { using var _ = await client.GetAsync(Origin + Context.DiscoveryPath); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException) { log.WriteLine($"[fault] warm-up: {e.Message}"); }
    }

    internal async Task<ProxyResponse> ForwardAsync(ProxyRequest request)
    {
        Fault.OnRequest?.Invoke(Context, request);
        return await Context.SendUpstreamAsync(request);
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
        upstream.Dispose();
    }
}

/// <summary>A request as the proxy received it; faults may rewrite it before it is forwarded.</summary>
public sealed class ProxyRequest(string method, string path, string query, byte[] body)
{
    public string Method { get; set; } = method;
    public string Path { get; set; } = path;
    /// <summary>Raw query string with its leading '?', or empty.</summary>
    public string Query { get; set; } = query;
    public byte[] Body { get; set; } = body;
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    public string Host { get; set; } = "";

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    public void SetHeader(string name, string? value)
    {
        Headers.RemoveAll(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (value is not null) Headers.Add(new(name, value));
    }

    public bool IsForm => Header("Content-Type")?.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase) == true;
    public string BodyText { get => Encoding.UTF8.GetString(Body); set => Body = Encoding.UTF8.GetBytes(value); }

    public List<KeyValuePair<string, string>> QueryParams
    {
        get => FormCodec.Parse(Query.TrimStart('?'));
        set => Query = value.Count == 0 ? "" : "?" + FormCodec.Encode(value);
    }

    public List<KeyValuePair<string, string>> Form
    {
        get => IsForm ? FormCodec.Parse(BodyText) : [];
        set => BodyText = FormCodec.Encode(value);
    }

    /// <summary>A parameter from the query (GET) or the form body (POST).</summary>
    public string? Param(string name) =>
        QueryParams.Concat(Form).FirstOrDefault(p => p.Key == name) is { Key: not null } p ? p.Value : null;
}

/// <summary>The provider's answer (or the fault's own); faults may rewrite status, headers and body.</summary>
public sealed class ProxyResponse(int status, byte[] body)
{
    public int Status { get; set; } = status;
    public byte[] Body { get; set; } = body;
    public List<KeyValuePair<string, string>> Headers { get; } = [];
    /// <summary>Drop the client's connection instead of answering (the outage faults).</summary>
    public bool AbortConnection { get; init; }

    public string? Header(string name) => Headers.FirstOrDefault(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;
    public void SetHeader(string name, string? value)
    {
        Headers.RemoveAll(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase));
        if (value is not null) Headers.Add(new(name, value));
    }

    public string BodyText { get => Encoding.UTF8.GetString(Body); set => Body = Encoding.UTF8.GetBytes(value); }
    public bool IsJson => Header("Content-Type")?.Contains("json", StringComparison.OrdinalIgnoreCase) == true;

    /// <summary>The body as a JSON object, or null when it is not one.</summary>
    public JsonObject? Json
    {
        get
        {
            if (!IsJson || Body.Length == 0) return null;
            try { return JsonNode.Parse(Body) as JsonObject; } catch (System.Text.Json.JsonException) { return null; }
        }
    }

    /// <summary>Rewrites a JSON object body in place (no-op for other bodies).</summary>
    public void EditJson(Action<JsonObject> edit)
    {
        if (Json is not { } json) return;
        edit(json);
        BodyText = json.ToJsonString();
    }

    public static ProxyResponse JsonResponse(int status, JsonObject body)
    {
        var r = new ProxyResponse(status, Encoding.UTF8.GetBytes(body.ToJsonString()));
        r.SetHeader("Content-Type", "application/json; charset=utf-8");
        r.SetHeader("Cache-Control", "no-store");
        return r;
    }

    public ProxyResponse Clone()
    {
        var c = new ProxyResponse(Status, Body.ToArray());
        c.Headers.AddRange(Headers);
        return c;
    }
}

