using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Callback;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// The Casdoor driver and the browser authorizer against the real pages of Casdoor 3.158.0
/// (Recorded/casdoor-3.158.0/pages, captured from a running Casdoor with their scripts removed), served from a local HTTP
/// listener that plays the SPA's part: it answers <c>/api/get-account</c> and <c>/api/get-app-login</c> as Casdoor does and
/// swaps in the next recorded page where Casdoor's app would render it. Each test drives a whole attempt through
/// <see cref="BrowserAuthorizer"/> with the production navigation timeout (40 s), so a decision that waited the timeout out
/// fails on its duration.
/// </summary>
[TestFixture, Category("Browser"), NonParallelizable]
public sealed class CasdoorRecordedPagesTests
{
    private const string UnresolvableHost = "evil.rp.oidc-conformance.test";
    private static readonly TimeSpan NavigationTimeout = TimeSpan.FromSeconds(40);

    private BrowserHost? host;
    private CallbackListener? callback;
    private WebApplication? app;
    private string origin = "";
    private readonly ConcurrentQueue<string> served = new();
    private readonly ConcurrentDictionary<string, DateTime> lastServedAt = new();

    private static string PagesDir => Path.Combine(AppContext.BaseDirectory, "Recorded", "casdoor-3.158.0", "pages");
    private static string Page(string name) => File.ReadAllText(Path.Combine(PagesDir, name));

    private static string Body(string name)
    {
        var html = Page(name);
        var start = html.IndexOf('>', html.IndexOf("<body", StringComparison.Ordinal)) + 1;
        return html[start..html.LastIndexOf("</body>", StringComparison.Ordinal)];
    }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The unresolvable host of the near-miss case and the avatar host of the tile (docs/casdoor.md) fail name resolution
        // at once here, as they do on a machine without those DNS names.
        try { host = await BrowserHost.LaunchAsync(Environment.GetEnvironmentVariable("OIDC_BROWSER"),
            $"MAP {UnresolvableHost} ~NOTFOUND, MAP avatars.oidc-conformance.test ~NOTFOUND"); }
        catch (BrowserUnavailableException e) { Assert.Ignore(e.Message); }
        callback = await CallbackListener.StartAsync(new CallbackSettings("127.0.0.1", 0, "/callback", "/logged-out"));
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        app = builder.Build();
        app.Run(ServeAsync);
        await app.StartAsync();
        origin = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First().TrimEnd('/');
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (app is not null) await app.DisposeAsync();
        if (callback is not null) await callback.DisposeAsync();
        if (host is not null) await host.DisposeAsync();
    }

    [SetUp]
    public void Clear() => served.Clear();

    // ---- the fake Casdoor -----------------------------------------------------------------------------------------

    private async Task ServeAsync(HttpContext ctx)
    {
        var q = ctx.Request.Query;
        served.Enqueue($"{ctx.Request.Method} {ctx.Request.Path}");
        lastServedAt[$"{ctx.Request.Method} {ctx.Request.Path}{ctx.Request.QueryString}"] = DateTime.UtcNow;
        switch (ctx.Request.Path.Value)
        {
            case "/login/oauth/authorize" when q["scenario"] == "server-redirect":
                // A provider that redirects with HTTP 302 (not from its page's script) to the unresolvable host.
                ctx.Response.Redirect($"http://{UnresolvableHost}:47800/callback?code=302-code&state={Uri.EscapeDataString(q["state"].ToString())}");
                return;
            case "/login/oauth/authorize":
                ctx.Response.ContentType = "text/html; charset=utf-8";
                await ctx.Response.WriteAsync(AuthorizePage(q["scenario"].ToString(), int.TryParse(q["delay"], out var d) ? d : 0));
                return;
            case "/api/get-account":
                // controllers/account.go GetAccount: the session's account, or RequireSignedIn's envelope "Please login first".
                if (int.TryParse(q["delay"], out var delay)) await Task.Delay(delay);
                await Json(ctx, q["account"] == "1"
                    ? """{"status":"ok","msg":"","sub":"u-1","name":"alice","data":{"owner":"conformance","name":"alice","displayName":"Alice Adams"},"data2":null}"""
                    : """{"status":"error","msg":"Please login first","sub":"","name":"","data":"Please login first","data2":null}""");
                return;
            case "/api/get-app-login":
                // Recorded/casdoor-3.158.0 README, pages/07: without client_id, get-app-login answers ok with data null.
                await Json(ctx, """{"status":"ok","msg":"","sub":"","name":"","data":null,"data2":null}""");
                return;
            case "/api/login":
                await Json(ctx, """{"status":"ok","msg":"","data":"code"}""");
                return;
            case "/api/logout":
                // pages/08 is Chromium's rendering of this JSON envelope: served as JSON, the browser renders it the same way.
                var envelope = WebUtility.HtmlDecode(Regex.Match(Page("08-logout-error-envelope.html"), "<pre>(.*?)</pre>", RegexOptions.Singleline).Groups[1].Value);
                await Json(ctx, envelope);
                return;
            case "/assets.html":
                ctx.Response.ContentType = "text/html";
                await ctx.Response.WriteAsync("<!doctype html><body><p id=t>assets</p><script src=\"/static/js/main.03214be1.js\"></script>" +
                                              "<script src=\"/static/js/plain.js\"></script><script src=\"/api/static/x.03214be1.js\"></script></body>");
                return;
            case "/static/js/main.03214be1.js" or "/static/js/plain.js" or "/api/static/x.03214be1.js":
                ctx.Response.ContentType = "application/javascript";
                await ctx.Response.WriteAsync($"window.runs = (window.runs || []).concat('{ctx.Request.Path.Value}');");
                return;
            default:
                ctx.Response.StatusCode = 404;
                return;
        }
    }

    private static Task Json(HttpContext ctx, string body)
    {
        ctx.Response.ContentType = "application/json; charset=utf-8";
        return ctx.Response.WriteAsync(body);
    }

    /// <summary>
    /// A recorded page plus the part of Casdoor's SPA the scenario needs: the API calls it makes when it mounts, the page it
    /// renders when they answer, and what a click on the "Continue with" tile does.
    /// </summary>
    private string AuthorizePage(string scenario, int delay)
    {
        var (first, account, onAccount, onTile) = scenario switch
        {
            // 03 then 04: the bare form first, the box once get-account answered with the session's account.
            "race" => ("03-session-race-form-before-tile.html", true, "b04", "callback"),
            "no-session" => ("01-login-form.html", false, "", ""),
            "tile-error" => ("04-session-continue-with.html", true, "", "b05"),
            "request-error" => ("06-request-error-page.html", false, "", ""),
            "blank" => ("07-no-client-id-blank.html", false, "", ""),
            "unresolvable" => ("04-session-continue-with.html", true, "", "evil"),
            _ => throw new ArgumentException(scenario),
        };
        var bodies = JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["b04"] = onAccount == "b04" ? Body("04-session-continue-with.html") : "",
            ["b05"] = onTile == "b05" ? Body("05-session-tile-error-toast.html") : "",
        });
        var script = $$"""
            <script>
            const bodies = {{bodies}};
            const state = new URLSearchParams(location.search).get('state');
            const targets = { callback: {{JsonSerializer.Serialize(callback!.RedirectUri)}}, evil: 'http://{{UnresolvableHost}}:47800/callback' };
            fetch('/api/get-account?account={{(account ? 1 : 0)}}&delay={{delay}}').then(r => r.json()).then(j => {
              if (j.status === 'ok' && {{JsonSerializer.Serialize(onAccount)}}) document.body.innerHTML = bodies[{{JsonSerializer.Serialize(onAccount)}}];
            });
            {{(scenario == "blank" ? "fetch('/api/get-app-login?clientId=&responseType=code');" : "")}}
            // LoginPage.login → /api/login, then the redirect (or the error toast) — for the form and for the tile.
            document.addEventListener('submit', e => {
              e.preventDefault();
              fetch('/api/login', { method: 'POST' }).then(() => location.href = targets.callback + '?code=form-code&state=' + state);
            }, true);
            document.addEventListener('click', e => {
              const tile = e.target.closest('button');
              if (!tile || !tile.textContent.includes('alice (Alice Adams)')) return;
              fetch('/api/login?tile=1', { method: 'POST' }).then(() => {
                const onTile = {{JsonSerializer.Serialize(onTile)}};
                if (bodies[onTile]) document.body.innerHTML = bodies[onTile];
                else location.href = targets[onTile] + '?code=tile-code&state=' + state;
              });
            }, true);
            </script>
            """;
        var html = Page(first);
        var end = html.LastIndexOf("</body>", StringComparison.Ordinal);
        return html[..end] + script + html[end..];
    }

    // ---- helpers -------------------------------------------------------------------------------------------------------

    private AuthorizationRequest Request(string scenario, int delay = 0) =>
        new AuthorizationRequest { Endpoint = origin + "/login/oauth/authorize" }
            .Set("response_type", "code").Set("client_id", "conformance-public-client").Set("redirect_uri", callback!.RedirectUri)
            .Set("state", "st-" + scenario).Set("scenario", scenario).Set("delay", delay.ToString());

    private async Task<(AuthorizationOutcome Outcome, AuthorizationRequest Request)> AuthorizeAsync(string scenario, int delay = 0,
        bool credentials = true)
    {
        var authorizer = new BrowserAuthorizer(new CasdoorLoginDriver(), callback!, NavigationTimeout);
        await using var ua = await host!.NewUserAgentAsync(NavigationTimeout);
        var request = Request(scenario, delay);
        var outcome = await authorizer.AuthorizeAsync(ua, request, credentials ? ("alice", "alice-Pass-4c9e2b") : null);
        return (outcome, request);
    }

    private int Served(string what) => served.Count(s => s == what);

    // ---- the proofs --------------------------------------------------------------------------------------------------

    /// <summary>pages/03 turning into pages/04: the box appears only after get-account answered (40 ms: the race measured on
    /// Casdoor; 400 ms: a slow account lookup that leaves the bare form alone for long enough that a driver taking the form
    /// at first sight always types into it).</summary>
    [TestCase(40)]
    [TestCase(400)]
    public async Task Form_that_turns_into_continue_with_gets_the_tile_clicked_and_nothing_typed(int accountDelayMs)
    {
        var (outcome, _) = await AuthorizeAsync("race", accountDelayMs);
        outcome.End.Should().Be(AuthorizationEnd.Redirected, outcome.Describe());
        outcome.Response!.Code.Should().Be("tile-code", "the tile of the existing session was clicked");
        outcome.CredentialsSubmitted.Should().BeFalse();
        outcome.ConsentShown.Should().BeTrue();
        outcome.PagesMet.Should().Equal(ProviderPage.Consent);
        Served("POST /api/login").Should().Be(1, "one login: the tile's");
    }

    [Test]
    public async Task Without_a_session_the_settled_form_gets_the_credentials()
    {
        var (outcome, _) = await AuthorizeAsync("no-session");
        outcome.End.Should().Be(AuthorizationEnd.Redirected, outcome.Describe());
        outcome.Response!.Code.Should().Be("form-code");
        outcome.CredentialsSubmitted.Should().BeTrue();
        outcome.PagesMet.Should().Equal(ProviderPage.Login);
    }

    [Test]
    public async Task Without_a_session_and_without_credentials_the_settled_form_is_login_required()
    {
        var (outcome, _) = await AuthorizeAsync("no-session", credentials: false);
        outcome.End.Should().Be(AuthorizationEnd.LoginRequired);
        outcome.Detail.Should().Contain("no session");
    }

    [Test]
    public async Task Error_toast_after_the_tile_is_read_at_once_as_the_providers_error()
    {
        var (outcome, _) = await AuthorizeAsync("tile-error");
        outcome.End.Should().Be(AuthorizationEnd.ProviderError, outcome.Describe());
        outcome.Detail.Should().Be("Failed to sign in: Challenge method should be S256");
        outcome.ConsentShown.Should().BeTrue("the tile was used");
        outcome.CredentialsSubmitted.Should().BeFalse();
        outcome.PagesMet.Should().Equal(ProviderPage.Consent, ProviderPage.Error);
        // From the tile's /api/login (Casdoor answers it with the error that the toast shows) to the decision.
        // (Bounded well below the navigation timeout rather than by a wall-clock figure a loaded CI machine overshoots.)
        (DateTime.UtcNow - lastServedAt["POST /api/login?tile=1"]).Should().BeLessThan(NavigationTimeout / 8);
    }

    [Test]
    public async Task Request_error_page_is_the_providers_error()
    {
        var (outcome, _) = await AuthorizeAsync("request-error");
        outcome.End.Should().Be(AuthorizationEnd.ProviderError, outcome.Describe());
        outcome.Detail.Should().StartWith("There was a problem signing you in..");
        outcome.PagesMet.Should().Equal(ProviderPage.Error);
    }

    [Test]
    public async Task Blank_page_is_decided_within_5_s_with_the_answered_requests_as_evidence()
    {
        var (outcome, request) = await AuthorizeAsync("blank");
        outcome.End.Should().Be(AuthorizationEnd.BlankPage, outcome.Describe());
        // Decided soon after the page's last answer, not after the navigation timeout (a busy machine's own load time
        // is not the rule's: under a load average of 150 on 2 cores this took 7 s, so the bound is a quarter of the timeout).
        (DateTime.UtcNow - lastServedAt["GET /api/get-app-login?clientId=&responseType=code"]).Should().BeLessThan(NavigationTimeout / 4);
        outcome.Duration.Should().BeLessThan(NavigationTimeout / 2, "nothing was waited out (the timeout is 40 s)");
        outcome.Detail.Should().Contain("GET /login/oauth/authorize → 200 (document)")
            .And.Contain("GET /api/get-app-login → 200").And.Contain("\"data\":null").And.Contain("Powered by");
        // A blank page is no refusal (issue #11 class 1: an app that did not boot looks the same): the no-redirect check is
        // Inconclusive on it, naming the evidence.
        var verdict = AuthorizationEndpointChecks.EvaluateNoRedirect(AuthorizationEndpointChecks.ClientIdMissing,
            new AuthorizationAttempt(request, outcome, []), callback!.RedirectUri, registeredUri: null);
        verdict.Verdict.Should().Be(Verdict.Inconclusive);
        verdict.Reason.Should().Contain("/api/get-app-login");
    }

    [Test]
    public void A_stall_is_no_evidence_for_no_redirect()
    {
        var request = Request("blank");
        var stalled = new AuthorizationOutcome(AuthorizationEnd.Stalled, "timed out waiting for the provider");
        AuthorizationEndpointChecks.EvaluateNoRedirect(AuthorizationEndpointChecks.ClientIdMissing,
            new AuthorizationAttempt(request, stalled, []), "http://rp.example/callback", registeredUri: null)
            .Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public async Task Redirect_to_a_host_that_does_not_resolve_is_decided_at_the_request_with_its_code()
    {
        var (outcome, request) = await AuthorizeAsync("unresolvable");
        outcome.End.Should().Be(AuthorizationEnd.Redirected, outcome.Describe());
        outcome.TargetUnreachable.Should().Contain("ERR_NAME_NOT_RESOLVED");
        outcome.FinalUrl.Should().StartWith($"http://{UnresolvableHost}:47800/callback?code=tile-code");
        outcome.Response!.Code.Should().Be("tile-code");
        outcome.Response.State.Should().Be(request.State);
        (DateTime.UtcNow - lastServedAt["POST /api/login?tile=1"]).Should().BeLessThan(NavigationTimeout / 4, "decided at the failed request, not after the timeout");
        outcome.Duration.Should().BeLessThan(NavigationTimeout / 2, "nothing was waited out (the timeout is 40 s)");
        // The near-miss check fails from the code sent to the unregistered host.
        var verdict = AuthorizationEndpointChecks.EvaluateNoRedirect(AuthorizationEndpointChecks.RedirectUriNearMiss,
            new AuthorizationAttempt(request, outcome, []), $"http://{UnresolvableHost}:47800/callback", callback!.RedirectUri);
        verdict.Verdict.Should().Be(Verdict.Failed);
        verdict.Reason.Should().Contain($"sent it to http://{UnresolvableHost}:47800/callback");
    }

    [Test]
    public async Task Http_redirect_to_a_host_that_does_not_resolve_is_decided_at_the_request()
    {
        var (outcome, request) = await AuthorizeAsync("server-redirect");
        outcome.End.Should().Be(AuthorizationEnd.Redirected, outcome.Describe());
        outcome.TargetUnreachable.Should().Contain("ERR_NAME_NOT_RESOLVED");
        outcome.Response!.Code.Should().Be("302-code");
        outcome.Response.State.Should().Be(request.State);
        outcome.Duration.Should().BeLessThan(NavigationTimeout / 2, "nothing was waited out (the timeout is 40 s)");
    }

    [TestCase("http://evil.rp.oidc-conformance.test:47800/callback?code=c&state=s1", "net::ERR_NAME_NOT_RESOLVED", true)]
    [TestCase("http://evil.rp.oidc-conformance.test:47800/callback?error=access_denied", "net::ERR_NAME_NOT_RESOLVED", true)]
    [TestCase("http://evil.rp.oidc-conformance.test:47800/callback?code=c&state=s1", "net::ERR_ABORTED", false)]
    [TestCase("http://localhost:8000/login/oauth/authorize?response_type=code&state=s1", "net::ERR_CONNECTION_REFUSED", false)]
    [TestCase("http://elsewhere.test/page?x=1", "net::ERR_NAME_NOT_RESOLVED", false)]
    public void Only_a_failed_navigation_away_with_the_answer_is_a_redirect(string url, string failure, bool redirect) =>
        AttemptTraffic.IsFailedRedirectAway(url, failure, "http://localhost:8000", "s1").Should().Be(redirect);

    [Test]
    public async Task Logout_error_envelope_is_the_providers_error()
    {
        var authorizer = new BrowserAuthorizer(new CasdoorLoginDriver(), callback!, NavigationTimeout);
        await using var ua = await host!.NewUserAgentAsync(NavigationTimeout);
        var outcome = await authorizer.LogoutAsync(ua, new Uri(origin + "/api/logout?post_logout_redirect_uri=" +
            Uri.EscapeDataString(callback!.PostLogoutRedirectUri) + "&state=x"));
        outcome.End.Should().Be(AuthorizationEnd.ProviderError, outcome.Describe());
        outcome.Detail.Should().Contain("doesn't exist in the allowed Redirect URI list");
    }

    // ---- the static asset cache ----------------------------------------------------------------------------------------

    [Test]
    public async Task Content_hashed_static_assets_are_fetched_once_and_served_to_later_contexts()
    {
        var hitsBefore = host!.Assets.Hits;
        var timings = new Run.ProviderTimings();
        var ran = new List<string[]>();
        for (var i = 0; i < 2; i++)
        {
            await using var ua = await host.NewUserAgentAsync(NavigationTimeout, timings, callback!.Origin);
            await ua.Page.GotoAsync(origin + "/assets.html", new() { WaitUntil = Microsoft.Playwright.WaitUntilState.Load });
            ran.Add(await ua.Page.EvaluateAsync<string[]>("() => window.runs"));
        }
        ran.Should().AllSatisfy(r => r.Should().Equal("/static/js/main.03214be1.js", "/static/js/plain.js", "/api/static/x.03214be1.js"));
        Served("GET /static/js/main.03214be1.js").Should().Be(1, "the hashed asset is fetched once; the second context gets the copy");
        Served("GET /static/js/plain.js").Should().Be(2, "a name without a content hash is never cached");
        Served("GET /api/static/x.03214be1.js").Should().Be(2, "API URLs are never cached");
        (host.Assets.Hits - hitsBefore).Should().Be(1);
        timings.Snapshot().Count(w => w.Endpoint.Contains("main.03214be1.js")).Should().Be(1,
            "only the real download is provider time; the copy cost the provider nothing");
        timings.CachedAssetHits.Should().Be(1);
    }

    [TestCase("http://localhost:8000/static/js/main.03214be1.js", true)]
    [TestCase("http://localhost:8000/static/css/main.6cb23910.css", true)]
    [TestCase("http://localhost:8000/static/media/inter-latin-opsz-normal.03c0341409d602050531.woff2", true)]
    [TestCase("http://localhost:8000/static/js/main.js", false)]
    [TestCase("http://localhost:8000/static/js/main.03214be1.js?v=2", false)]
    [TestCase("http://localhost:8000/js/main.03214be1.js", false)]
    [TestCase("http://localhost:8000/api/static/main.03214be1.js", false)]
    [TestCase("http://localhost:8000/login/oauth/static/main.03214be1.js", false)]
    [TestCase("http://localhost:8000/api/logout", false)]
    [TestCase("http://localhost:8000/login/oauth/authorize?client_id=x", false)]
    public void Only_content_hashed_static_names_are_cacheable(string url, bool cacheable) =>
        StaticAssetCache.IsCacheable(url).Should().Be(cacheable);
}
