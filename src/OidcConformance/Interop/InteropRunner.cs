using System.Diagnostics;
using System.Text.Json;
using OidcConformance.Run;

namespace OidcConformance.Interop;

/// <summary>
/// Runs one relying-party library's normal login against the provider, once per run (one browser login, a fresh user agent,
/// nothing shared with other checks), and returns its cells. Each cell comes from what the library itself did in that attempt.
/// </summary>
public static class InteropRunner
{
    /// <param name="hybrid">The hybrid row (<see cref="InteropLibraries.AspNetCoreHybrid"/>): response type "code id_token", form_post.</param>
    public static async Task<IReadOnlyList<InteropCell>> AspNetCoreAsync(ConformanceRun run, bool hybrid = false)
    {
        var setup = InteropSetup.From(run);
        var cells = new List<InteropCell>();
        var relay = Protocol.Random.Token(16);
        await using var rp = await AspNetCoreRelyingParty.StartAsync(setup, relay, hybrid);
        run.Callback.AddRelay(relay, rp.Origin);
        try
        {
            Microsoft.IdentityModel.Protocols.OpenIdConnect.OpenIdConnectConfiguration config;
            try
            {
                using var cts = new CancellationTokenSource(setup.RequestTimeout * 2);
                config = await rp.ConfigurationAsync(cts.Token);
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                cells.Add(new("discovery", InteropStatus.Broken, Message(e)));
                return Complete(cells, setup, "discovery broke");
            }
            if (config.SigningKeys.Count == 0)
            {
                cells.Add(new("discovery", InteropStatus.Broken, $"the handler found no signing keys at jwks_uri ({config.JwksUri ?? "absent"}): it cannot validate ID tokens"));
                return Complete(cells, setup, "discovery broke");
            }
            cells.Add(new("discovery", InteropStatus.Works, $"issuer {config.Issuer}; {config.SigningKeys.Count} signing key(s) from jwks_uri"));
            var advertised = config.ResponseTypesSupported.Contains(InteropLibraries.HybridResponseType);
            if (hybrid && !setup.Features.Hybrid && !advertised)
                return NotOffered(cells, InteropLibraries.HybridNotOffered);

            await using var ua = await run.NewUserAgentAsync();
            var login = await InteropBrowser.GoAsync(ua, run.Driver, rp.Origin + "/protected", "interop-result",
                (setup.User.Username, setup.User.Password), setup.NavigationTimeout * 2);
            var j = rp.Record;
            string Why() => j.Failure is { } f ? Message(f) : login.Detail;
            if (hybrid)
            {
                // The hybrid response (form_post) as the handler received it; then the front-channel ID token (signature,
                // nonce, c_hash), the code exchange and the token endpoint's ID token, all before userinfo is requested.
                var received = j.AuthorizationResponse;
                if (received is null || !received.Contains("code") || !received.Contains("id_token"))
                {
                    cells.Add(new("login", InteropStatus.Broken, received is null ? Why()
                        : $"the authorization response the handler received has {string.Join(", ", received)} (no {(received.Contains("code") ? "id_token" : "code")}): {Why()}"));
                    return Complete(cells, setup, "login broke");
                }
                cells.Add(new("login", InteropStatus.Works, $"hybrid response (form_post) with {string.Join(", ", received)} received by the handler"
                    + (setup.Features.Hybrid ? "" : $" (the profile's features.hybrid is false; discovery lists \"{InteropLibraries.HybridResponseType}\")")));
                var userInfoRequested = !string.IsNullOrEmpty(config.UserInfoEndpoint)
                    && j.BackchannelRequests.Contains(new Uri(config.UserInfoEndpoint).GetLeftPart(UriPartial.Path));
                if (!j.IdTokenValidated || !j.CodeRedeemed || (j.Failure is not null && !userInfoRequested))
                {
                    cells.Add(new("id-token", InteropStatus.Broken, Why()));
                    return Complete(cells, setup, "ID token validation broke");
                }
                cells.Add(new("id-token", InteropStatus.Works, "front-channel ID token validated by the handler (signature against the JWKS, iss, aud, lifetime, nonce, c_hash), code redeemed, token endpoint's ID token validated"));
            }
            else if (!j.CodeRedeemed)
            {
                cells.Add(new("login", InteropStatus.Broken, Why()));
                return Complete(cells, setup, "login broke");
            }
            else
            {
                cells.Add(new("login", InteropStatus.Works, "authorization response received and the code redeemed by the handler"));
                if (!j.IdTokenValidated)
                {
                    cells.Add(new("id-token", InteropStatus.Broken, Why()));
                    return Complete(cells, setup, "ID token validation broke");
                }
                cells.Add(new("id-token", InteropStatus.Works, "ID token validated by the handler (signature against the JWKS, iss, aud, lifetime, nonce, at_hash/c_hash)"));
            }
            if (setup.Features.Userinfo)
            {
                if (j.UserInfoReceived && j.Failure is null)
                    cells.Add(new("userinfo", InteropStatus.Works, $"userinfo validated (sub matches the ID token) and merged; members: {string.Join(", ", j.UserInfoClaims ?? [])}"));
                else if (j.Failure is not null)
                {
                    cells.Add(new("userinfo", InteropStatus.Broken, Why()));
                    return Complete(cells, setup, "userinfo broke");
                }
                else
                    cells.Add(new("userinfo", InteropStatus.Broken, string.IsNullOrEmpty(config.UserInfoEndpoint)
                        ? "the handler did not call userinfo: the discovery document has no userinfo_endpoint"
                        : $"the handler did not get to userinfo: {login.Detail}"));
            }
            if (j.AppClaims is not { } claims)
            {
                cells.Add(new("claims", InteropStatus.Broken, $"the app has no signed-in user: {Why()}"));
                return Complete(cells, setup, "the app has no signed-in user");
            }
            var subject = claims.FirstOrDefault(c => c.Type == System.Security.Claims.ClaimTypes.NameIdentifier).Value;
            var types = string.Join(", ", claims.Select(c => AspNetCoreRelyingParty.ShortType(c.Type)).Distinct());
            cells.Add(subject is not null && subject == j.IdTokenSubject
                ? new("claims", InteropStatus.Works, $"the app sees {claims.Count} claims (default mapping, sub → nameidentifier): {types}")
                : new("claims", InteropStatus.Broken, $"the app's nameidentifier claim ({(subject is null ? "absent" : "differs")}) is not the ID token's sub; claims: {types}"));

            // Refresh and sign-out do not depend on the response type: the code row covers them.
            if (hybrid) return Complete(cells, setup, "not part of the hybrid row");
            if (setup.Features.RefreshToken)
            {
                try
                {
                    await ua.Page.GotoAsync(rp.Origin + "/refresh", new() { Timeout = (float)(setup.RequestTimeout * 3).TotalMilliseconds });
                    cells.Add(j.Refresh ?? new("refresh", InteropStatus.Broken, "the app's refresh did not finish"));
                }
                catch (Microsoft.Playwright.PlaywrightException e) { cells.Add(new("refresh", InteropStatus.Broken, $"the app's refresh page failed: {e.Message.Split('\n')[0]}")); }
            }
            if (setup.Features.RpInitiatedLogout)
            {
                var logout = await InteropBrowser.GoAsync(ua, run.Driver, rp.Origin + "/logout", "interop-signed-out", null, setup.NavigationTimeout * 2);
                cells.Add(j.SignedOutCallback && logout.Arrived && j.LogoutFailure is null
                    ? new("logout", InteropStatus.Works, "redirected to end_session_endpoint with id_token_hint, back at post_logout_redirect_uri, state validated by the handler")
                    : new("logout", InteropStatus.Broken, j.LogoutFailure is { } lf ? Message(lf)
                        : j.SignOutRedirected ? $"the provider did not send the browser back to the handler's signed-out callback: {logout.Detail}"
                        : $"the handler did not redirect to the provider: {logout.Detail}"));
            }
            return Complete(cells, setup, "an earlier step broke");
        }
        finally { run.Callback.RemoveRelay(relay); }
    }

    /// <param name="hybrid">The hybrid row (<see cref="InteropLibraries.OpenIdClientHybrid"/>): useCodeIdTokenResponseType(), form_post.</param>
    public static async Task<IReadOnlyList<InteropCell>> OpenIdClientAsync(ConformanceRun run, bool hybrid = false)
    {
        var setup = InteropSetup.From(run);
        var dir = Path.Combine(run.Settings.RepositoryRoot, "fixtures", "interop", "openid-client");
        await EnsureInstalledAsync(dir, run.Log);
        var relay = Protocol.Random.Token(16);
        var start = new ProcessStartInfo("node", ["rp.mjs"])
        {
            WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        var env = new Dictionary<string, string>
        {
            ["ISSUER"] = setup.Issuer, ["DISCOVERY_URL"] = setup.DiscoveryUrl, ["CLIENT_ID"] = setup.Client.ClientId,
            ["CLIENT_SECRET"] = setup.Client.ClientSecret ?? "", ["AUTH_METHOD"] = setup.AuthMethod, ["SCOPE"] = setup.Client.Scope,
            ["REDIRECT_URI"] = setup.RedirectUri, ["POST_LOGOUT_REDIRECT_URI"] = setup.PostLogoutRedirectUri, ["APP_HOST"] = setup.AppHost,
            ["RELAY_COOKIE"] = $"{Callback.CallbackListener.RelayCookieName}={relay}", ["PKCE"] = setup.Features.Pkce ? "1" : "0",
            ["OFFERED"] = string.Join(',', setup.Offered), ["HYBRID"] = hybrid ? "1" : "0",
        };
        foreach (var (k, v) in env) start.Environment[k] = v;
        using var process = Process.Start(start) ?? throw new InvalidOperationException("could not start node rp.mjs");
        var stderr = process.StandardError.ReadToEndAsync();
        try
        {
            var ready = await ReadReadyAsync(process, TimeSpan.FromSeconds(30));
            if (ready is null)
                throw new InvalidOperationException($"openid-client app (fixtures/interop/openid-client/rp.mjs) did not start: {Http.Redactor.Redact(await TailAsync(stderr, process))}");
            var port = new Uri(ready).Port;
            run.Callback.AddRelay(relay, ready);
            await using var ua = await run.NewUserAgentAsync();
            var login = await InteropBrowser.GoAsync(ua, run.Driver, ready + "/start", "interop-result",
                (setup.User.Username, setup.User.Password), setup.NavigationTimeout * 2);
            using var http = new HttpClient { Timeout = setup.RequestTimeout };
            var cells = await ResultAsync(http, port);
            // Sign-out needs a signed-in session: only after the library accepted the ID token (else the cell is Not reached).
            if (!hybrid && cells.Any(c => c.Step == "id-token" && c.Status == InteropStatus.Works) && setup.Features.RpInitiatedLogout)
            {
                var logout = await InteropBrowser.GoAsync(ua, run.Driver, ready + "/logout", "interop-signed-out", null, setup.NavigationTimeout * 2);
                cells = await ResultAsync(http, port);
                if (!cells.Any(c => c.Step == "logout"))
                    cells = [.. cells, new("logout", InteropStatus.Broken, $"the provider did not send the browser back to post_logout_redirect_uri: {logout.Detail}")];
            }
            if (cells.Any(c => c.Step == "discovery" && c.Status == InteropStatus.Works) && !cells.Any(c => c.Step == "login"))
                cells = [.. cells, new("login", InteropStatus.Broken, $"the browser did not come back to the app's callback: {login.Detail}")];
            run.Callback.RemoveRelay(relay);
            var broke = cells.FirstOrDefault(c => c.Status == InteropStatus.Broken)?.Step;
            return Complete([.. cells], setup, broke is null ? "the app did not get there" : $"{broke} broke");
        }
        finally
        {
            run.Callback.RemoveRelay(relay);
            if (!process.HasExited) { try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { } }
            await process.WaitForExitAsync();
        }
    }

    private static async Task<List<InteropCell>> ResultAsync(HttpClient http, int port)
    {
        var json = await http.GetStringAsync($"http://127.0.0.1:{port}/result");
        return JsonSerializer.Deserialize<List<NodeCell>>(json, new JsonSerializerOptions(JsonSerializerDefaults.Web))!
            .Select(c => new InteropCell(c.Step, Enum.Parse<InteropStatus>(c.Status), c.Detail)).ToList();
    }

    private sealed record NodeCell(string Step, string Status, string Detail);

    private static async Task<string?> ReadReadyAsync(Process process, TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            while (await process.StandardOutput.ReadLineAsync(cts.Token) is { } line)
                if (line.StartsWith("READY ", StringComparison.Ordinal)) return line[6..].Trim();
        }
        catch (OperationCanceledException) { }
        return null;
    }

    private static async Task<string> TailAsync(Task<string> stderr, Process process)
    {
        if (!process.HasExited) { try { process.Kill(true); } catch (InvalidOperationException) { } }
        var text = await stderr;
        return string.Join('\n', text.Split('\n').TakeLast(8));
    }

    private static readonly SemaphoreSlim InstallGate = new(1, 1);

    /// <summary>npm ci on first use, as for the embedded provider's packages (package-lock.json pins openid-client).</summary>
    private static async Task EnsureInstalledAsync(string dir, TextWriter log)
    {
        await InstallGate.WaitAsync();
        try
        {
            if (File.Exists(Path.Combine(dir, "node_modules", "openid-client", "package.json"))) return;
            log.WriteLine("[interop] installing openid-client (npm ci in fixtures/interop/openid-client)");
            var psi = new ProcessStartInfo("npm", ["ci", "--no-audit", "--no-fund", "--loglevel=error"])
            { WorkingDirectory = dir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("could not start npm");
            var output = p.StandardError.ReadToEndAsync();
            _ = p.StandardOutput.ReadToEndAsync();
            using var cts = new CancellationTokenSource(TimeSpan.FromMinutes(5));
            await p.WaitForExitAsync(cts.Token);
            if (p.ExitCode != 0) throw new InvalidOperationException($"npm ci in {dir} failed ({p.ExitCode}): {await output}");
        }
        finally { InstallGate.Release(); }
    }

    /// <summary>Every step not yet in <paramref name="cells"/> is Not offered, for <paramref name="why"/>.</summary>
    private static IReadOnlyList<InteropCell> NotOffered(List<InteropCell> cells, string why)
    {
        foreach (var (step, _, _) in InteropChecks.Steps)
            if (!cells.Any(c => c.Step == step)) cells.Add(new(step, InteropStatus.NotOffered, why));
        return cells;
    }

    /// <summary>Every step of the library without a cell: NotOffered when the profile says the provider lacks it, else NotReached.</summary>
    private static IReadOnlyList<InteropCell> Complete(List<InteropCell> cells, InteropSetup setup, string why)
    {
        var feature = new Dictionary<string, bool>
        {
            ["userinfo"] = setup.Features.Userinfo, ["refresh"] = setup.Features.RefreshToken, ["introspection"] = setup.Features.Introspection,
            ["revocation"] = setup.Features.Revocation, ["logout"] = setup.Features.RpInitiatedLogout,
        };
        foreach (var (step, _, _) in InteropChecks.Steps)
        {
            if (cells.Any(c => c.Step == step)) continue;
            cells.Add(feature.TryGetValue(step, out var on) && !on
                ? new(step, InteropStatus.NotOffered, $"the profile says the provider does not offer {step}")
                : new(step, InteropStatus.NotReached, why));
        }
        return cells;
    }

    /// <summary>The library's own exception text: type and message, with the inner exceptions' messages.</summary>
    public static string Message(Exception e)
    {
        var parts = new List<string>();
        for (var x = e; x is not null && parts.Count < 4; x = x.InnerException) parts.Add($"{x.GetType().Name}: {x.Message}");
        return string.Join(" → ", parts);
    }
}
