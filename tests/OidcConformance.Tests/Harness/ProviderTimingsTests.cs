using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

public sealed class ProviderTimingsTests
{
    private static readonly DateTimeOffset T0 = new(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);

    private static ProviderWait Wait(double startMs, double durationMs, string endpoint = "http://op/token", string channel = "http") =>
        new(channel, "POST", endpoint, 200, T0.AddMilliseconds(startMs), TimeSpan.FromMilliseconds(durationMs));

    [Test]
    public void Busy_time_counts_overlapping_waits_once()
    {
        ProviderTimings.BusyTime([Wait(0, 100), Wait(50, 100), Wait(300, 10), Wait(305, 2)])
            .Should().Be(TimeSpan.FromMilliseconds(160));
    }

    [Test]
    public void Percentiles_interpolate()
    {
        var sorted = Enumerable.Range(1, 100).Select(i => (double)i).ToList();
        ProviderTimings.Percentile(sorted, 0.5).Should().BeApproximately(50.5, 0.001);
        ProviderTimings.Percentile(sorted, 0.95).Should().BeApproximately(95.05, 0.001);
        ProviderTimings.Percentile([7], 0.95).Should().Be(7);
    }

    [TestCase("http://op:3000/interaction/Xk3k9wQxY1bJ2mN4pR7tV/login", "http://op:3000/interaction/{id}/login")]
    [TestCase("http://op/auth/Xk3k9wQxY1bJ2mN4pR7tV?x=1", "http://op/auth/{id}")]
    [TestCase("http://op/.well-known/openid-configuration", "http://op/.well-known/openid-configuration")]
    [TestCase("http://op/session/end/confirm", "http://op/session/end/confirm")]
    [TestCase("http://op/token", "http://op/token")]
    public void Endpoints_fold_opaque_ids(string url, string key) =>
        ProviderTimings.EndpointKey(new Uri(url)).Should().Be(key);

    [Test]
    public void Write_produces_a_summary_per_endpoint()
    {
        var timings = new ProviderTimings();
        for (var i = 0; i < 20; i++) timings.Add(Wait(i * 10, i + 1));
        timings.Add(Wait(0, 40, "http://op/auth", "browser"));
        timings.CountLogin();
        var dir = Directory.CreateTempSubdirectory("latency-").FullName;
        var md = File.ReadAllText(timings.Write(dir));
        md.Should().Contain("| http | POST | `http://op/token` | 20 |").And.Contain("1 browser logins");
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(dir, "latency.json")));
        var token = json.RootElement.GetProperty("endpoints").EnumerateArray().Single(e => e.GetProperty("endpoint").GetString() == "http://op/token");
        token.GetProperty("medianMs").GetDouble().Should().BeApproximately(10.5, 0.1);
        token.GetProperty("p95Ms").GetDouble().Should().BeApproximately(19.05, 0.1);
        json.RootElement.GetProperty("browserLogins").GetInt32().Should().Be(1);
    }
}
