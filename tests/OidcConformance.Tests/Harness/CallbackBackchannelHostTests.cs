using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Callback;
using OidcConformance.Profiles;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// Profile <c>callback.backchannelHost</c>: the back-channel receiver reachable from a provider in a container. The
/// listener's other address is simulated with 127.0.0.2: it is on loopback, so no traffic leaves the machine, but it is not
/// the loopback address the listener binds by default (127.0.0.1), so a connection there shows which address was bound,
/// and the listener sees it as an off-loopback connection.
/// </summary>
public sealed class CallbackBackchannelHostTests
{
    private static readonly IPAddress Other = IPAddress.Parse("127.0.0.2");
    private static CallbackSettings Settings(string? backchannelHost) => new("127.0.0.1", 0, "/callback", "/logged-out", backchannelHost);

    private static HttpClient Plain() => new(new SocketsHttpHandler { UseCookies = false, UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Test]
    public async Task Without_the_option_the_receiver_uri_is_the_listeners_and_only_loopback_is_bound()
    {
        await using var listener = await CallbackListener.StartAsync(Settings(null));
        listener.BackchannelHost.Should().BeNull();
        listener.BoundAddress.Should().Be(IPAddress.Loopback);
        listener.BackchannelLogoutUri.Should().Be($"http://127.0.0.1:{listener.Port}/backchannel-logout");
        listener.BackchannelOrigin.Should().Be(listener.Origin);
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        var connect = async () => await socket.ConnectAsync(new IPEndPoint(Other, listener.Port));
        (await connect.Should().ThrowAsync<SocketException>("the default listener is bound to 127.0.0.1 only"))
            .Which.SocketErrorCode.Should().Be(SocketError.ConnectionRefused);
    }

    [Test]
    public async Task With_the_option_the_receiver_uri_uses_the_host_and_the_redirect_uris_do_not()
    {
        await using var listener = await CallbackListener.StartAsync(Settings("host.docker.internal"));
        listener.BoundAddress.Should().Be(IPAddress.Any);
        listener.BackchannelLogoutUri.Should().Be($"http://host.docker.internal:{listener.Port}/backchannel-logout");
        listener.RedirectUri.Should().Be($"http://127.0.0.1:{listener.Port}/callback");
        listener.PostLogoutRedirectUri.Should().Be($"http://127.0.0.1:{listener.Port}/logged-out");
        ConformanceRun.ExpandPlaceholders("{callback.backchannelLogoutUri}", listener, null)
            .Should().Be($"http://host.docker.internal:{listener.Port}/backchannel-logout");
        ConformanceRun.ExpandPlaceholders("{callback.redirectUri}", listener, null).Should().Be(listener.RedirectUri);
    }

    [Test]
    public async Task With_the_option_a_logout_token_posted_to_another_address_arrives()
    {
        await using var listener = await CallbackListener.StartAsync(Settings("host.docker.internal"));
        var since = DateTimeOffset.UtcNow;
        using var http = Plain();
        var response = await http.PostAsync($"http://{Other}:{listener.Port}/backchannel-logout",
            new FormUrlEncodedContent([new("logout_token", "eyJhbGciOiJSUzI1NiJ9.e30.c2ln")]));
        response.IsSuccessStatusCode.Should().BeTrue();
        var hit = listener.HitsSince(since).Should().ContainSingle().Subject;
        hit.Method.Should().Be("POST");
        hit.Path.Should().Be(CallbackListener.BackchannelLogoutPath);
        hit.Form.Should().ContainSingle(p => p.Key == "logout_token").Which.Value.Should().Be("eyJhbGciOiJSUzI1NiJ9.e30.c2ln");
    }

    [Test]
    public async Task With_the_option_off_loopback_connections_get_nothing_but_the_receiver()
    {
        await using var listener = await CallbackListener.StartAsync(Settings("host.docker.internal"));
        var since = DateTimeOffset.UtcNow;
        using var http = Plain();
        // The control: the same request on 127.0.0.1 is served and recorded.
        (await http.GetAsync($"http://127.0.0.1:{listener.Port}/callback?code=c1&state=s1")).StatusCode.Should().Be(HttpStatusCode.OK);
        (await http.GetAsync($"http://{Other}:{listener.Port}/callback?code=c2&state=s2")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await http.GetAsync($"http://{Other}:{listener.Port}/backchannel-logout")).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        (await http.PostAsync($"http://{Other}:{listener.Port}/__fragment/h1-x", new StringContent("code=c3"))).StatusCode.Should().Be(HttpStatusCode.Forbidden);
        listener.HitsSince(since).Should().ContainSingle().Which.Query.Should().Contain(new KeyValuePair<string, string>("code", "c1"));
    }

    [TestCase("127.0.0.1", "GET", "/callback", true)]
    [TestCase("::1", "GET", "/callback", true)]
    [TestCase("::ffff:127.0.0.1", "POST", "/__fragment/h1", true)]
    [TestCase("172.17.0.1", "POST", "/backchannel-logout", true)]
    [TestCase("172.17.0.1", "GET", "/backchannel-logout", false)]
    [TestCase("172.17.0.1", "GET", "/callback", false)]
    [TestCase("172.17.0.1", "POST", "/callback", false)]
    [TestCase("127.0.0.2", "GET", "/callback", false)]
    public void Off_loopback_requests_may_only_post_to_the_receiver(string local, string method, string path, bool accepted) =>
        CallbackListener.AcceptsFromOutside(IPAddress.Parse(local), method, path).Should().Be(accepted);

    [Test]
    public void The_binding_follows_the_option()
    {
        CallbackListener.BindAddress(Settings(null)).Should().Be(IPAddress.Loopback);
        CallbackListener.BindAddress(Settings("host.docker.internal")).Should().Be(IPAddress.Any);
    }

    /// <summary>
    /// End to end with a real provider: node-oidc-provider registers the receiver URI the suite gives it
    /// (<c>{callback.backchannelLogoutUri}</c>, here http://127.0.0.2:&lt;port&gt;/backchannel-logout), so its logout token can
    /// only arrive through the wider binding; every back-channel check then has a token to judge.
    /// </summary>
    [Test, Category("SuiteProcess"), NonParallelizable]
    public async Task A_real_provider_delivers_to_the_receiver_at_the_backchannel_host()
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(SuiteProcess.Root, "fixtures/providers/node-oidc-provider/profile.json")))!.AsObject();
        json["start"]!["workingDirectory"] = Path.Combine(SuiteProcess.Root, "fixtures/providers/node-oidc-provider");
        json["callback"]!["backchannelHost"] = Other.ToString();
        var dir = Directory.CreateTempSubdirectory("profile-").FullName;
        try
        {
            var file = Path.Combine(dir, "profile.json");
            File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
            var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { ["OIDC_PROFILE"] = file, ["OIDC_BASELINE"] = "none" },
                filter: "Category=BackchannelLogout");
            var rows = JsonNode.Parse(File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.json")))!["results"]!.AsArray();
            rows.Should().HaveCount(8, result.Output);
            rows.Single(r => r!["id"]!.GetValue<string>() == "backchannel.logout-token-delivered")!["verdict"]!.GetValue<string>()
                .Should().Be("Passed", result.Output);
            rows.Select(r => $"{r!["id"]} {r["verdict"]}").Should().OnlyContain(r => r.EndsWith(" Passed", StringComparison.Ordinal), result.Output);
        }
        finally { Directory.Delete(dir, true); }
    }

    [Test]
    public void The_loader_reads_the_option_and_leaves_it_unset_by_default()
    {
        var root = RunSettings.FindRepositoryRoot(AppContext.BaseDirectory);
        ProfileLoader.Load(Path.Combine(root, "fixtures/providers/node-oidc-provider/profile.json")).Callback.BackchannelHost.Should().BeNull();
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(root, "fixtures/providers/node-oidc-provider/profile.json")))!.AsObject();
        json["callback"]!["backchannelHost"] = "host.docker.internal";
        var dir = Directory.CreateTempSubdirectory("profile-").FullName;
        try
        {
            var file = Path.Combine(dir, "profile.json");
            File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
            ProfileLoader.Load(file).Callback.BackchannelHost.Should().Be("host.docker.internal");
        }
        finally { Directory.Delete(dir, true); }
    }
}
