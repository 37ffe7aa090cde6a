using System.Collections.Concurrent;
using System.Net.Http.Headers;
using OidcConformance.Browser;
using OidcConformance.Callback;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Providers;
using OidcConformance.Reporting;

namespace OidcConformance.Run;

/// <summary>
/// Everything one run shares: the profile, the provider (started here when embedded), the callback listener, the
/// recording HTTP client, the browser (launched on first use) and the report. Artifacts that several checks read
/// (discovery, JWKS, a logged-in code flow) are obtained once and shared through <see cref="SharedAsync{T}"/>, each named by
/// a member of <c>Flows.SharedArtifacts</c>.
/// </summary>
public sealed class ConformanceRun : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, Lazy<Task<object>>> shared = new();
    private readonly ConcurrentDictionary<string, UserAgentSet> sharedBrowsers = new();
    private readonly SemaphoreSlim browserGate = new(1, 1);
    private BrowserHost? browser;

    public required RunSettings Settings { get; init; }
    public required ProviderProfile Profile { get; init; }
    public required string Issuer { get; init; }
    public required string DiscoveryUrl { get; init; }
    public required CallbackListener Callback { get; init; }
    public ProviderProcess? Process { get; init; }
    public required ExchangeRecorder Recorder { get; init; }
    public required ProtocolHttpClient Http { get; init; }
    public required ILoginDriver Driver { get; init; }
    public required RunReport Report { get; init; }
    public TextWriter Log { get; init; } = TextWriter.Null;
    /// <summary>Time spent waiting on the provider (back channel and browser) and browser logins; written to latency.md/json at the end.</summary>
    public ProviderTimings Timings { get; init; } = new();
    /// <summary>The fault-injecting proxy in front of the embedded provider, when OIDC_FAULT is set.</summary>
    public Faults.FaultProxy? FaultProxy { get; init; }
    /// <summary>Notices the provider going away and coming back (one per run); the reports lead with its outages.</summary>
    public required OutageMonitor Outages { get; init; }

    public TimeSpan NavigationTimeout => TimeSpan.FromSeconds(Profile.Timeouts.NavigationSeconds);

    /// <summary>Loads the profile, starts what the suite owns and proves the provider answers, or throws one clear error.</summary>
    public static async Task<ConformanceRun> StartAsync(RunSettings settings, TextWriter log)
    {
        var profile = ProfileLoader.Load(settings.ProfilePath);
        foreach (var secret in profile.Secrets()) Redactor.Register(secret, "fixture secret");
        LoginDrivers.Create(profile); // unknown driver names fail now, naming the field
        BrowserTrace.Parse(settings.BrowserTrace); // an unknown trace mode fails now, naming the setting

        var callback = await CallbackListener.StartAsync(profile.Callback);
        ProviderProcess? process = null;
        Faults.FaultProxy? faultProxy = null;
        try
        {
            string Expand(string s) => ExpandPlaceholders(s, callback, process?.Issuer);
            if (profile.Start.Embedded)
            {
                // OIDC_FAULT: the run goes through the fault-injecting proxy, whose origin the provider uses as issuer (docs/faults.md).
                if (Faults.FaultProxy.Requested() is { } fault)
                {
                    faultProxy = await Faults.FaultProxy.StartAsync(fault, log);
                    faultProxy.Context.RegisteredRedirectUri = callback.RedirectUri;
                    faultProxy.Context.RegisteredPostLogoutRedirectUri = callback.PostLogoutRedirectUri;
                    foreach (var c in profile.Clients.Values.Where(c => c.TokenEndpointAuthMethods.Contains("none"))) faultProxy.Context.PublicClients.Add(c.ClientId);
                    foreach (var c in profile.Clients.Values.Where(c => c.ClientSecret is not null)) faultProxy.Context.ClientSecrets[c.ClientId] = c.ClientSecret!;
                    foreach (var c in profile.Clients.Values.Where(c => c.AssertionKey is not null)) faultProxy.Context.ClientKeys[c.ClientId] = c.AssertionKey!;
                }
                log.WriteLine($"[run] starting {profile.Name} ({string.Join(' ', profile.Start.Command)})");
                process = await ProviderProcess.StartAsync(profile, Expand, log, environmentOverrides: faultProxy?.ProviderEnvironment);
                if (faultProxy is not null)
                {
                    // the profile's discoveryUrl where it names one (e.g. RFC 8414's /.well-known/oauth-authorization-server), else OIDC Discovery's path under the issuer
                    if (profile.DiscoveryUrl is { } named && Uri.TryCreate(Expand(named), UriKind.Absolute, out var document))
                        faultProxy.Context.DiscoveryPath = document.AbsolutePath;
                    else if (Uri.TryCreate(process.Issuer, UriKind.Absolute, out var announced))
                        faultProxy.Context.DiscoveryPath = announced.AbsolutePath.TrimEnd('/') + "/.well-known/openid-configuration";
                    await faultProxy.WarmUpAsync(TimeSpan.FromSeconds(30));
                }
                log.WriteLine($"[run] {profile.Name} ready at {process.Issuer}");
            }
            var issuer = Expand(profile.Issuer).TrimEnd('/');
            var discoveryUrl = profile.DiscoveryUrl is { } d ? Expand(d) : issuer + "/.well-known/openid-configuration";

            var timings = new ProviderTimings(); // the run's clock starts once the provider is up
            var recorder = new ExchangeRecorder();
            recorder.Recorded += timings.Add;
            var http = new ProtocolHttpClient(recorder, TimeSpan.FromSeconds(profile.Timeouts.RequestSeconds));
            await PreflightAsync(http, discoveryUrl, profile);

            Directory.CreateDirectory(settings.ArtifactsDirectory);
            var report = new RunReport(settings.ArtifactsDirectory,
                new RunInfo(profile.Name, profile.Version, issuer, Path.GetRelativePath(settings.RepositoryRoot, profile.SourceFile), "(not launched yet)"));
            var outages = new OutageMonitor(issuer, discoveryUrl, log, () => report.Entries.Count,
                TimeSpan.FromSeconds(Math.Min(5, profile.Timeouts.RequestSeconds))); // short, but a loaded machine must not look like an outage
            http.Outages = outages;
            report.UseOutages(outages);
            if (faultProxy is not null && process is not null) faultProxy.Context.Provider = process;
            var run = new ConformanceRun
            {
                Settings = settings, Profile = profile, Issuer = issuer, DiscoveryUrl = discoveryUrl, Callback = callback, Process = process,
                Recorder = recorder, Http = http, Driver = LoginDrivers.Create(profile), Report = report, Log = log,
                Timings = timings, FaultProxy = faultProxy, Outages = outages,
            };
            outages.Recovered += run.ForgetSharedArtifacts;
            return run;
        }
        catch
        {
            if (faultProxy is not null) await faultProxy.DisposeAsync();
            if (process is not null) await process.DisposeAsync();
            await callback.DisposeAsync();
            throw;
        }
    }

    /// <summary>One request with a short deadline, so an unreachable provider fails the run once, within seconds.</summary>
    private static async Task PreflightAsync(ProtocolHttpClient http, string discoveryUrl, ProviderProfile profile)
    {
        using var quick = new ProtocolHttpClient(new ExchangeRecorder(), TimeSpan.FromSeconds(Math.Min(5, profile.Timeouts.RequestSeconds)));
        var exchange = await quick.GetAsync(discoveryUrl, "preflight");
        if (exchange.TransportError is not null)
            throw new ProviderStartException(
                $"provider '{profile.Name}' is unreachable: GET {discoveryUrl} → {exchange.TransportError}. " +
                (profile.Start.Embedded ? "The embedded provider started but does not answer." :
                    $"Start it first (profile {profile.SourceFile} says start.mode external)."));
    }

    public static string ExpandPlaceholders(string value, CallbackListener callback, string? startedIssuer)
    {
        var result = value
            .Replace("{callback.redirectUri}", callback.RedirectUri)
            .Replace("{callback.postLogoutRedirectUri}", callback.PostLogoutRedirectUri)
            .Replace("{callback.origin}", callback.Origin)
            // backchannel
            .Replace("{callback.backchannelLogoutUri}", callback.BackchannelLogoutUri);
        if (startedIssuer is not null) result = result.Replace("{start.issuer}", startedIssuer);
        var i = result.IndexOf("{env:", StringComparison.Ordinal);
        while (i >= 0)
        {
            var end = result.IndexOf('}', i);
            if (end < 0) break;
            var name = result[(i + 5)..end];
            result = result[..i] + (Environment.GetEnvironmentVariable(name) ?? "") + result[(end + 1)..];
            i = result.IndexOf("{env:", StringComparison.Ordinal);
        }
        return result;
    }

    public string RedirectUri(ClientProfile client) =>
        client.RedirectUri is { } r ? ExpandPlaceholders(r, Callback, Issuer) : Callback.RedirectUri;

    public string PostLogoutRedirectUri(ClientProfile client) =>
        client.PostLogoutRedirectUri is { } r ? ExpandPlaceholders(r, Callback, Issuer) : Callback.PostLogoutRedirectUri;

    /// <summary>
    /// Obtains an artifact once per run; every later caller gets the same task (also its failure). Every check that uses
    /// the artifact is also credited with the browser sessions its flow drove, for the screenshots and traces of its failure bundle.
    /// The artifact is named by a member of <c>Flows.SharedArtifacts</c> (a <see cref="SpendingScenario{T}"/> when its flow
    /// spends what it obtains).
    /// </summary>
    public async Task<T> SharedAsync<T>(SharedArtifact<T> artifact, Func<Task<T>> factory) where T : class
    {
        var key = artifact.Name;
        var browsers = sharedBrowsers.GetOrAdd(key, _ => new UserAgentSet());
        var entry = shared.GetOrAdd(key, _ => new Lazy<Task<object>>(() =>
            CheckScope.BuildingSharedAsync(browsers, async () => (object)await factory())));
        try
        {
            return (T)await entry.Value;
        }
        catch (ProviderUnreachableException)
        {
            // Not an artifact of the provider: a later check, once it is back, obtains it again.
            shared.TryRemove(new KeyValuePair<string, Lazy<Task<object>>>(key, entry));
            throw;
        }
        finally
        {
            CheckScope.UsedUserAgents(browsers.ToList());
            CheckScope.UsedSharedAttempts(browsers);
        }
    }

    /// <summary>
    /// The provider came back after an outage, perhaps restarted: sessions, codes and tokens obtained before may be gone with
    /// it, and a check that used them would blame the provider. Every shared artifact (and session pool) is obtained again.
    /// </summary>
    private void ForgetSharedArtifacts(ProviderOutage outage)
    {
        shared.Clear();
        Log.WriteLine("[run] shared artifacts (discovery, reference flows, browser sessions) will be obtained again");
    }

    public Task<DiscoveryDocument> DiscoveryAsync() => SharedAsync(Flows.SharedArtifacts.Discovery, async () =>
    {
        var exchange = await Http.GetAsync(DiscoveryUrl, "discovery");
        var document = new DiscoveryDocument(DiscoveryUrl, exchange, JsonBody.From(exchange));
        OutageMonitor.AddEndpointOrigins(Outages, exchange);
        return document;
    });

    public Task<JwksDocument> JwksAsync() => SharedAsync(Flows.SharedArtifacts.Jwks, async () =>
    {
        var discovery = await DiscoveryAsync();
        var url = discovery.JwksUri ?? throw new PrerequisiteException($"the discovery document has no jwks_uri ({discovery.Body.Problem ?? "field missing"})");
        var exchange = await Http.GetAsync(url, "jwks");
        return new JwksDocument(url, exchange, JsonBody.From(exchange));
    });

    public async Task<string> EndpointAsync(string field)
    {
        var discovery = await DiscoveryAsync();
        return discovery.String(field) ?? throw new PrerequisiteException(
            discovery.Body.IsObject ? $"the discovery document does not advertise {field}" : $"no discovery document: {discovery.Body.Problem}");
    }

    public async Task<BrowserHost> BrowserAsync()
    {
        await browserGate.WaitAsync();
        try
        {
            if (browser is null)
            {
                browser = await BrowserHost.LaunchAsync(Settings.BrowserExecutable, Profile.HostResolverRules, Settings.Headless);
                browser.TraceMode = BrowserTrace.Parse(Settings.BrowserTrace);
                Log.WriteLine($"[run] browser: {browser.Description}");
                Report.UpdateInfo(new RunInfo(Profile.Name, Profile.Version, Issuer,
                    Path.GetRelativePath(Settings.RepositoryRoot, Profile.SourceFile), browser.Description));
            }
            return browser;
        }
        finally { browserGate.Release(); }
    }

    public async Task<UserAgent> NewUserAgentAsync() => await (await BrowserAsync()).NewUserAgentAsync(NavigationTimeout, Timings, Callback.Origin);

    public BrowserAuthorizer Authorizer => new(Driver, Callback, NavigationTimeout, Timings) { Outages = Outages };

    public async Task<TokenResponse> TokenAsync(TokenRequest request, string purpose)
    {
        var exchange = await Http.SendAsync(request.Build(), purpose);
        return new TokenResponse(exchange, JsonBody.From(exchange));
    }

    /// <param name="purpose">the exchange's label (a check that presents something other than an access token says so)</param>
    public Task<HttpExchange> UserInfoGetAsync(string endpoint, string accessToken, string purpose = "userinfo GET") =>
        Http.SendAsync(Protocol.UserInfoPipeline.Get(accessToken).Build(endpoint), purpose);

    /// <summary>
    /// With <c>OIDC_RECORD_DIR</c> set, writes the provider's responses (bodies and headers, no request credentials)
    /// so that unit tests can replay real artifacts. Only for throwaway providers: it holds the tokens they issued.
    /// </summary>
    private void WriteRecording()
    {
        var dir = Environment.GetEnvironmentVariable("OIDC_RECORD_DIR");
        if (string.IsNullOrEmpty(dir)) return;
        Directory.CreateDirectory(dir);
        var entries = Recorder.Snapshot().Select(e => new
        {
            purpose = e.Purpose, method = e.Method, url = e.UrlPath, status = e.StatusCode,
            headers = e.ResponseHeaders.ToDictionary(h => h.Key, h => h.Value), body = e.ResponseBody,
        });
        File.WriteAllText(Path.Combine(dir, "exchanges.json"), System.Text.Json.JsonSerializer.Serialize(entries,
            new System.Text.Json.JsonSerializerOptions { WriteIndented = true }));
    }

    private readonly System.Collections.Concurrent.ConcurrentQueue<(string Purpose, Func<Task> Action)> cleanups = new();

    /// <summary>
    /// Undoes at the end of the run what a check created at the provider (a dynamically registered client), so that a
    /// long-lived provider does not collect them run after run. Best effort, never a verdict: a failure is logged.
    /// </summary>
    public void AtEnd(string purpose, Func<Task> action) => cleanups.Enqueue((purpose, action));

    private async Task CleanUpAsync()
    {
        if (cleanups.IsEmpty) return;
        var all = Task.WhenAll(cleanups.Select(async c =>
        {
            try { await c.Action(); }
            catch (Exception e) when (e is HttpRequestException or OperationCanceledException or InvalidOperationException)
            { Log.WriteLine($"[run] clean-up ({c.Purpose}) failed: {e.Message}"); }
        }));
        // a deadline, not a pause: an unreachable provider must not hold the end of the run
        if (await Task.WhenAny(all, Task.Delay(TimeSpan.FromSeconds(5))) != all)
            Log.WriteLine($"[run] clean-up: {cleanups.Count} actions did not all finish within 5 s; what they would remove stays at the provider");
    }

    public async ValueTask DisposeAsync()
    {
        await CleanUpAsync();
        WriteRecording();
        Report.Complete();
        try { Log.WriteLine($"[run] provider latency: {Timings.Write(Settings.ArtifactsDirectory)}"); }
        catch (IOException e) { Log.WriteLine($"[run] could not write the latency summary: {e.Message}"); }
        await Outages.DisposeAsync();
        if (browser is not null) await browser.DisposeAsync();
        if (Process is not null) await Process.DisposeAsync();
        if (FaultProxy is not null) await FaultProxy.DisposeAsync();
        await Callback.DisposeAsync();
        Http.Dispose();
    }
}

/// <summary>A step a check depends on did not happen (the provider lacks it or an earlier step failed): Inconclusive, with this reason.</summary>
public sealed class PrerequisiteException(string message, string? @case = null) : Exception(message)
{
    /// <summary>The case label the execution would have had (so an Inconclusive verdict keeps its place in baselines and diffs).</summary>
    public string? Case { get; } = @case;
}
