using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
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
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Providers;
using OidcConformance.Run;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The harness pieces against a misbehaving provider or machine, each at unit level: a clear verdict or message,
/// quickly, and never a crash or a hang.
/// </summary>
[TestFixture, Category("FailureModes")]
public sealed class HarnessFailureModeTests
{
    /// <summary>A tiny provider stand-in on an ephemeral loopback port that answers every request with <paramref name="handler"/>.</summary>
    private sealed class FakeProvider : IAsyncDisposable
    {
        private readonly WebApplication app;
        public string Origin { get; }
        private FakeProvider(WebApplication app, string origin) { this.app = app; Origin = origin; }

        public static async Task<FakeProvider> StartAsync(RequestDelegate handler)
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.Logging.ClearProviders();
            builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
            var app = builder.Build();
            app.Run(handler);
            await app.StartAsync();
            var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
            return new FakeProvider(app, address.TrimEnd('/'));
        }

        public string Discovery => Origin + "/.well-known/openid-configuration";
        public async ValueTask DisposeAsync() => await app.DisposeAsync();
    }

    private static async Task<DiscoveryDocument> FetchDiscoveryAsync(string url, TimeSpan timeout)
    {
        using var http = new ProtocolHttpClient(new ExchangeRecorder(), timeout);
        var exchange = await http.GetAsync(url, "discovery");
        return new DiscoveryDocument(url, exchange, JsonBody.From(exchange));
    }

    // ---- the provider is slow ----------------------------------------------------------------------------------

    /// <summary>A provider that never answers: waits until the client gives up (the request is aborted).</summary>
    private static Task Hang(HttpContext ctx) => Task.Delay(Timeout.InfiniteTimeSpan, ctx.RequestAborted);

    [Test]
    public async Task Slow_provider_gets_the_profile_timeout_and_a_verdict_naming_it()
    {
        await using var provider = await FakeProvider.StartAsync(Hang);
        var clock = Stopwatch.StartNew();
        var discovery = await FetchDiscoveryAsync(provider.Discovery, TimeSpan.FromMilliseconds(500));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3));
        discovery.Exchange.TransportError.Should().Contain("timed out after 0.5 s").And.Contain("timeouts.requestSeconds");
        var verdict = DiscoveryChecks.EvaluateJson(discovery);
        verdict.Verdict.Should().Be(Verdict.Failed);
        verdict.Reason.Should().Contain("timed out after 0.5 s");
    }

    [Test]
    public async Task Slow_provider_at_start_stops_the_run_naming_the_timeout_from_the_profile()
    {
        await using var provider = await FakeProvider.StartAsync(Hang);
        var profile = ExternalProfile(provider.Origin, p => p["timeouts"] = new JsonObject { ["requestSeconds"] = 1, ["navigationSeconds"] = 5 });
        var settings = new RunSettings(SuiteProcess.Root, profile, Directory.CreateTempSubdirectory("artifacts-").FullName, null, true);
        var clock = Stopwatch.StartNew();
        var start = async () => await ConformanceRun.StartAsync(settings, TextWriter.Null);
        (await start.Should().ThrowAsync<ProviderStartException>()).Which.Message
            .Should().Contain(provider.Discovery).And.Contain("timed out after 1 s");
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(5));
    }

    // ---- bodies that are not what was expected ------------------------------------------------------------------

    [Test]
    public async Task Html_where_json_was_expected_is_a_failed_verdict_naming_the_page()
    {
        await using var provider = await FakeProvider.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "text/html; charset=utf-8";
            await ctx.Response.WriteAsync("<!doctype html><html><head><title>Maintenance</title></head><body>back soon</body></html>");
        });
        var discovery = await FetchDiscoveryAsync(provider.Discovery, TimeSpan.FromSeconds(5));
        var verdict = DiscoveryChecks.EvaluateJson(discovery);
        verdict.Verdict.Should().Be(Verdict.Failed);
        verdict.Reason.Should().Contain("HTML instead of JSON").And.Contain("Maintenance");
        DiscoveryChecks.EvaluateRequiredMetadata(discovery).Verdict.Should().Be(Verdict.Inconclusive, "the later checks say the document is missing");
    }

    [Test]
    public async Task Huge_body_is_capped_and_gets_a_failed_verdict_without_a_crash()
    {
        const int size = 3 * 1024 * 1024; // over the 2 MiB cap
        await using var provider = await FakeProvider.StartAsync(async ctx =>
        {
            ctx.Response.ContentType = "application/json";
            await ctx.Response.WriteAsync("{\"issuer\":\"");
            var chunk = new string('a', 64 * 1024);
            for (var written = 0; written < size; written += chunk.Length)
                await ctx.Response.WriteAsync(chunk, ctx.RequestAborted);
            await ctx.Response.WriteAsync("\"}");
        });
        var discovery = await FetchDiscoveryAsync(provider.Discovery, TimeSpan.FromSeconds(10));
        discovery.Exchange.ResponseTruncated.Should().BeTrue();
        discovery.Exchange.ResponseBody.Length.Should().BeLessThanOrEqualTo(ProtocolHttpClient.DefaultMaxBodyBytes);
        var verdict = DiscoveryChecks.EvaluateJson(discovery);
        verdict.Verdict.Should().Be(Verdict.Failed);
        verdict.Reason.Should().Contain("size cap").And.Contain("truncated");
        discovery.Exchange.ToRedactedString().Should().Contain("(body truncated by the harness)");
    }

    [TestCase("header only", 1)]
    [TestCase("header and payload, no signature part", 2)]
    [TestCase("signature cut short", 3)]
    public void Truncated_jwt_is_a_failed_verdict_not_a_crash(string label, int keepParts)
    {
        var jwt = Make.Jwt(Make.Header(), Make.IdTokenClaims());
        var parts = jwt.Split('.');
        var truncated = keepParts == 3 ? jwt[..^20] : string.Join('.', parts.Take(keepParts));
        var decoded = DecodedJwt.Decode(truncated);
        var wellFormed = IdTokenChecks.EvaluateWellFormed(decoded);
        if (keepParts == 3)
        {
            // Three parts remain: it decodes, and the signature check is the one that must fail.
            var signature = IdTokenChecks.EvaluateSignature(decoded, Make.Jwks(Make.JwksFor(Make.TestKey)));
            signature.Verdict.Should().Be(Verdict.Failed, label);
            signature.Reason.Should().NotBeNullOrWhiteSpace();
        }
        else
        {
            wellFormed.Verdict.Should().Be(Verdict.Failed, label);
            wellFormed.Reason.Should().NotBeNullOrWhiteSpace();
            IdTokenChecks.EvaluateSignature(decoded, Make.Jwks(Make.JwksFor(Make.TestKey))).Verdict.Should().NotBe(Verdict.Passed);
        }
    }

    [Test]
    public void Truncated_jwt_payload_is_a_failed_verdict_naming_the_problem()
    {
        var jwt = Make.Jwt(Make.Header(), Make.IdTokenClaims());
        var parts = jwt.Split('.');
        var cut = $"{parts[0]}.{parts[1][..(parts[1].Length / 2)]}.{parts[2]}";
        var decoded = DecodedJwt.Decode(cut);
        decoded.IsValid.Should().BeFalse();
        var verdict = IdTokenChecks.EvaluateWellFormed(decoded);
        verdict.Verdict.Should().Be(Verdict.Failed);
        verdict.Reason.Should().Be(decoded.Problem);
    }

    // ---- no browser ----------------------------------------------------------------------------------------------

    [Test]
    public async Task No_browser_says_how_to_install_one()
    {
        var missing = Path.Combine(Path.GetTempPath(), "no-such-dir", "chromium");
        var launch = async () => await BrowserHost.LaunchAsync(missing, null, systemCandidates: [], tryPlaywrightBrowser: false);
        var error = (await launch.Should().ThrowAsync<BrowserUnavailableException>()).Which.Message;
        error.Should().Contain("apt-get install chromium").And.Contain("playwright.ps1 install chromium")
            .And.Contain("OIDC_BROWSER").And.Contain(missing);
    }

    [Test]
    public async Task No_browser_at_all_lists_what_was_looked_for()
    {
        var launch = async () => await BrowserHost.LaunchAsync(null, null, systemCandidates: ["/nonexistent/chromium"], tryPlaywrightBrowser: false);
        (await launch.Should().ThrowAsync<BrowserUnavailableException>()).Which.Message
            .Should().Contain("/nonexistent/chromium").And.Contain("apt-get install chromium");
    }

    [Test]
    public void Headless_runs_try_the_headless_shell_first_and_headed_runs_never()
    {
        // The shell cannot show a window; for headless runs it is the cheaper browser (BrowserHost.SystemHeadlessShell).
        BrowserHost.SystemCandidatesFor(headless: true).Should().StartWith(BrowserHost.SystemHeadlessShell);
        BrowserHost.SystemCandidatesFor(headless: true).Skip(1).Should().Equal(BrowserHost.SystemChromiumCandidates);
        BrowserHost.SystemCandidatesFor(headless: false).Should().NotContain(BrowserHost.SystemHeadlessShell)
            .And.Equal(BrowserHost.SystemChromiumCandidates);
    }

    // ---- the callback port ---------------------------------------------------------------------------------------

    [Test]
    public async Task Taken_fixed_callback_port_is_a_clear_message()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        var port = ((IPEndPoint)occupant.LocalEndpoint).Port;
        var start = async () => await CallbackListener.StartAsync(new CallbackSettings("127.0.0.1", port, "/callback", "/logged-out"));
        (await start.Should().ThrowAsync<InvalidOperationException>()).Which.Message
            .Should().Contain($"port {port}").And.Contain("profile callback.port").And.Contain("in use");
    }

    [Test]
    public async Task Port_zero_picks_a_free_port()
    {
        using var occupant = new TcpListener(IPAddress.Loopback, 0);
        occupant.Start();
        await using var a = await CallbackListener.StartAsync(new CallbackSettings("127.0.0.1", 0, "/callback", "/logged-out"));
        await using var b = await CallbackListener.StartAsync(new CallbackSettings("127.0.0.1", 0, "/callback", "/logged-out"));
        a.Port.Should().NotBe(0).And.NotBe(b.Port).And.NotBe(((IPEndPoint)occupant.LocalEndpoint).Port);
        a.RedirectUri.Should().Be($"http://127.0.0.1:{a.Port}/callback");
    }

    // ---- helpers -------------------------------------------------------------------------------------------------

    internal static string ExternalProfile(string issuer, Action<JsonObject>? edit = null)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(SuiteProcess.Root, "fixtures/providers/node-oidc-provider/profile.json")))!.AsObject();
        json["issuer"] = issuer;
        json["start"] = new JsonObject { ["mode"] = "external" };
        edit?.Invoke(json);
        var file = Path.Combine(Directory.CreateTempSubdirectory("profile-").FullName, "profile.json");
        File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
        return file;
    }
}
