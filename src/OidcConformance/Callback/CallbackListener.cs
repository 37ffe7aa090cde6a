using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OidcConformance.Http;
using OidcConformance.Profiles;

namespace OidcConformance.Callback;

/// <summary>One request the relying party received: the redirect itself, plus the fragment its page posted back.</summary>
public sealed class CallbackHit
{
    public required string Id { get; init; }
    public required string Method { get; init; }
    public required string Path { get; init; }
    public required string Host { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> Query { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> Form { get; init; } = [];
    public string? Fragment { get; internal set; }
    public DateTimeOffset Received { get; init; }
    internal TaskCompletionSource Completed { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    public Uri Url => new($"http://{Host}{Path}{(Query.Count > 0 ? "?" + FormCodec.Encode(Query) : "")}");
}

/// <summary>
/// The relying party's redirect endpoint: a real HTTP listener on loopback (browser route interception misses
/// redirects, see local-providers.md §1 problem 6). It records every request on any path, so a redirect to a
/// near-miss path is seen as well. Its page posts <c>location.hash</c> back, because fragments never reach a server,
/// and names the hit in a meta tag so each browser page can find its own hit even when <c>state</c> is missing.
/// </summary>
public sealed class CallbackListener : IAsyncDisposable
{
    public const string PageMarkerId = "oidc-conformance-callback";
    private readonly WebApplication app;
    private readonly ConcurrentDictionary<string, CallbackHit> hits = new();
    private readonly ConcurrentQueue<CallbackHit> order = new();
    private int counter;
    /// <summary>Relay tokens of running interop apps → their origin (see <see cref="AddRelay"/>).</summary>
    private readonly ConcurrentDictionary<string, string> relays = new();

    /// <summary>Cookie an interop relying-party app sets on its host (cookies ignore the port) so that this listener sends its browser on.</summary>
    public const string RelayCookieName = "oidc-interop-relay";

    public string Host { get; }
    public int Port { get; }
    public string Origin => $"http://{Host}:{Port}";
    public string RedirectUri { get; }
    public string PostLogoutRedirectUri { get; }
    // backchannel
    /// <summary>Path of the back-channel logout receiver (OIDC Back-Channel Logout 1.0 §2.2): the listener records the provider's POSTs there like any hit.</summary>
    public const string BackchannelLogoutPath = "/backchannel-logout";
    /// <summary>
    /// The origin the provider reaches the back-channel receiver at: <see cref="Origin"/>, or with profile
    /// <c>callback.backchannelHost</c> that host on the listener's port (a provider in a container cannot reach loopback).
    /// </summary>
    public string BackchannelOrigin => BackchannelHost is null ? Origin : $"http://{BackchannelHost}:{Port}";
    /// <summary>The back-channel logout URI a client registers (placeholder <c>{callback.backchannelLogoutUri}</c>).</summary>
    public string BackchannelLogoutUri => BackchannelOrigin + BackchannelLogoutPath;
    /// <summary>Profile <c>callback.backchannelHost</c>, or null.</summary>
    public string? BackchannelHost { get; }
    /// <summary>The address the listener is bound to: loopback, or every IPv4 interface with <c>callback.backchannelHost</c> (<see cref="BindAddress"/>).</summary>
    public IPAddress BoundAddress { get; }

    /// <summary>
    /// Where the listener binds. Loopback by default: the relying party's pages, codes and tokens reach it from this machine only.
    /// With <c>callback.backchannelHost</c> the provider runs elsewhere (a container reaching the host as host.docker.internal,
    /// i.e. through the Docker bridge), so the listener binds every IPv4 interface. That widens nothing else: a connection that
    /// does not arrive on loopback may only POST to the back-channel path (<see cref="AcceptsFromOutside"/>), which records the
    /// logout token for the checks and serves nothing, and the listener lives only for the run.
    /// </summary>
    public static IPAddress BindAddress(CallbackSettings settings) => settings.BackchannelHost is null ? IPAddress.Loopback : IPAddress.Any;

    /// <summary>
    /// Whether a request that arrived on <paramref name="localAddress"/> is served. Loopback connections get everything; any
    /// other (only possible with <c>callback.backchannelHost</c>) only a POST to <see cref="BackchannelLogoutPath"/>.
    /// </summary>
    public static bool AcceptsFromOutside(IPAddress? localAddress, string method, string path)
    {
        if (localAddress is not null && localAddress.IsIPv4MappedToIPv6) localAddress = localAddress.MapToIPv4();
        if (localAddress is not null && (localAddress.Equals(IPAddress.Loopback) || localAddress.Equals(IPAddress.IPv6Loopback))) return true;
        return method == "POST" && path == BackchannelLogoutPath;
    }

    private CallbackListener(WebApplication app, string host, int port, CallbackSettings settings)
    {
        this.app = app;
        Host = host;
        Port = port;
        BackchannelHost = settings.BackchannelHost;
        BoundAddress = BindAddress(settings);
        RedirectUri = $"{Origin}{settings.Path}";
        PostLogoutRedirectUri = $"{Origin}{settings.PostLogoutPath}";
    }

    public static async Task<CallbackListener> StartAsync(CallbackSettings settings)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(BindAddress(settings), settings.Port));
        var app = builder.Build();
        CallbackListener? self = null;
        app.Run(ctx => self!.HandleAsync(ctx));
        try
        {
            await app.StartAsync();
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            await app.DisposeAsync();
            throw new InvalidOperationException(
                $"the relying-party callback port {settings.Port} (profile callback.port) is in use by another program; the provider " +
                "has this port registered in its redirect URI, so stop the other program or register another port in both places");
        }
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address.Replace("[::]", "localhost").Replace("+", "localhost")).Port;
        self = new CallbackListener(app, settings.Host, port, settings);
        return self;
    }

    private async Task HandleAsync(HttpContext ctx)
    {
        var path = ctx.Request.Path.Value ?? "/";
        if (!AcceptsFromOutside(ctx.Connection.LocalIpAddress, ctx.Request.Method, path))
        {
            // Only reachable with callback.backchannelHost (the listener then binds every interface): anything but a
            // back-channel logout POST from off-loopback is refused and not recorded.
            ctx.Response.StatusCode = StatusCodes.Status403Forbidden;
            return;
        }
        if (path == "/favicon.ico") { ctx.Response.StatusCode = 404; return; } // Chromium asks after every callback
        if (path.StartsWith("/__fragment/", StringComparison.Ordinal) && ctx.Request.Method == "POST")
        {
            var id = path["/__fragment/".Length..];
            using var reader = new StreamReader(ctx.Request.Body);
            var fragment = await reader.ReadToEndAsync();
            if (hits.TryGetValue(id, out var hit))
            {
                hit.Fragment = fragment;
                RegisterSecrets(FormCodec.Parse(fragment));
                hit.Completed.TrySetResult();
            }
            ctx.Response.StatusCode = 204;
            return;
        }
        var query = FormCodec.Parse(ctx.Request.QueryString.Value?.TrimStart('?'));
        // A relying-party library under test (src/OidcConformance/Interop) runs on its own port, but the provider knows only this
        // listener's registered redirect URIs: a browser carrying that app's relay cookie is sent on to it, same path and query.
        if (ctx.Request.Cookies.TryGetValue(RelayCookieName, out var relay) && relays.TryGetValue(relay, out var target))
        {
            RegisterSecrets(query);
            // A form_post response (the hybrid rows) is relayed by the 307, which keeps the method and body: its code and
            // id_token are registered for redaction like the query's.
            if (ctx.Request.HasFormContentType)
                RegisterSecrets((await ctx.Request.ReadFormAsync()).SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v ?? ""))));
            ctx.Response.StatusCode = StatusCodes.Status307TemporaryRedirect;
            ctx.Response.Headers.Location = target + path + ctx.Request.QueryString.Value;
            return;
        }
        IReadOnlyList<KeyValuePair<string, string>> form = [];
        if (ctx.Request.HasFormContentType)
        {
            var f = await ctx.Request.ReadFormAsync();
            form = f.SelectMany(kv => kv.Value.Select(v => new KeyValuePair<string, string>(kv.Key, v ?? ""))).ToList();
        }
        var newHit = new CallbackHit
        {
            Id = $"h{Interlocked.Increment(ref counter)}-{Protocol.Random.Token(6)}",
            Method = ctx.Request.Method, Path = path, Host = ctx.Request.Host.Value ?? Host, Query = query, Form = form,
            Received = DateTimeOffset.UtcNow,
        };
        RegisterSecrets(query.Concat(form));
        hits[newHit.Id] = newHit;
        order.Enqueue(newHit);
        ctx.Response.ContentType = "text/html; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-store";
        await ctx.Response.WriteAsync(
            $"<!doctype html><html><head><meta charset=\"utf-8\"><meta name=\"callback-hit\" content=\"{newHit.Id}\">" +
            "<title>OidcConformance relying party</title></head>" +
            $"<body id=\"{PageMarkerId}\" data-hit=\"{newHit.Id}\"><p>Relying party callback received.</p>" +
            $"<p>{WebUtility.HtmlEncode(ctx.Request.Method)} {WebUtility.HtmlEncode(path)}: {WebUtility.HtmlEncode(Names(query, form))}</p><p id=\"fragment\"></p>" +
            $"<script>var h=location.hash.slice(1);fetch('/__fragment/{newHit.Id}',{{method:'POST',body:h}})" +
            ".then(function(){document.body.setAttribute('data-complete','1')});" +
            "if(h)document.getElementById('fragment').textContent='fragment parameters: '+h.split('&').map(function(p){" +
            "try{return decodeURIComponent(p.split('=')[0])}catch(e){return '?'}}).join(', ');</script></body></html>");
    }

    /// <summary>
    /// What the callback page shows: parameter names only. Screenshots of this page land in failure bundles, so values
    /// (codes, tokens) are never rendered; the names alone show what a response carried or lacked (state, iss, …).
    /// </summary>
    private static string Names(IReadOnlyList<KeyValuePair<string, string>> query, IReadOnlyList<KeyValuePair<string, string>> form)
    {
        string List(IEnumerable<KeyValuePair<string, string>> ps) => string.Join(", ", ps.Select(p => p.Key).Distinct());
        var parts = new List<string>();
        if (query.Count > 0) parts.Add("query parameters " + List(query));
        if (form.Count > 0) parts.Add("form parameters " + List(form));
        return parts.Count == 0 ? "no query or form parameters" : string.Join("; ", parts) + " (values not shown)";
    }

    private static void RegisterSecrets(IEnumerable<KeyValuePair<string, string>> pairs)
    {
        foreach (var (k, v) in pairs)
            if (Redactor.SecretFields.Contains(k)) Redactor.Register(v, k);
    }

    /// <summary>Sends browsers whose relay cookie holds <paramref name="token"/> on to <paramref name="origin"/> until <see cref="RemoveRelay"/>.</summary>
    public void AddRelay(string token, string origin) => relays[token] = origin.TrimEnd('/');

    public void RemoveRelay(string token) => relays.TryRemove(token, out _);

    /// <summary>The hit with this id once its page has posted the fragment back (or the deadline passes).</summary>
    public async Task<CallbackHit> CompletedHitAsync(string id, TimeSpan timeout)
    {
        if (!hits.TryGetValue(id, out var hit))
            throw new InvalidOperationException($"the callback page named hit '{id}', which the listener never recorded");
        try { await hit.Completed.Task.WaitAsync(timeout); }
        catch (TimeoutException) { /* script did not run (e.g. JS disabled): the query and form are still valid */ }
        return hit;
    }

    /// <summary>All requests received since <paramref name="since"/> (negative tests: "did anything arrive?").</summary>
    public IReadOnlyList<CallbackHit> HitsSince(DateTimeOffset since) => order.Where(h => h.Received >= since).ToList();

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
