using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The whole suite, run as a process, against broken surroundings: it must fail once, fast and clearly — never
/// with a hundred timeouts.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class SuiteFailureModeTests
{
    private static int ClosedPort()
    {
        var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        var port = ((IPEndPoint)l.LocalEndpoint).Port;
        l.Stop();
        return port;
    }

    private static string ExternalProfile(string issuer)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(SuiteProcess.Root, "fixtures/providers/node-oidc-provider/profile.json")))!.AsObject();
        json["issuer"] = issuer;
        json["start"] = new JsonObject { ["mode"] = "external" };
        var file = Path.Combine(Directory.CreateTempSubdirectory("profile-").FullName, "profile.json");
        File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
        return file;
    }

    [Test]
    public async Task Unreachable_provider_fails_once_within_10_seconds_naming_the_url()
    {
        var issuer = $"http://127.0.0.1:{ClosedPort()}";
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { ["OIDC_PROFILE"] = ExternalProfile(issuer) });
        TestContext.Out.WriteLine(result.Output);
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain($"{issuer}/.well-known/openid-configuration").And.Contain("connection refused");
        result.Output.Should().MatchRegex(@"Failed:\s+1\b", "exactly one test fails; the others are skipped with the same cause");
        SetupTime(result.Output).Should().BeLessThan(TimeSpan.FromSeconds(10));
    }

    [Test]
    public async Task Broken_profile_fails_once_naming_the_field()
    {
        var file = ExternalProfile("http://127.0.0.1:1");
        var json = JsonNode.Parse(File.ReadAllText(file))!.AsObject();
        json["features"]!["implicit"] = "yes";
        File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { ["OIDC_PROFILE"] = file });
        result.ExitCode.Should().NotBe(0);
        result.Output.Should().Contain(file).And.Contain("$.features.implicit").And.Contain("must be true or false");
        result.Output.Should().MatchRegex(@"Failed:\s+1\b");
    }

    /// <summary>The time the test host spent before the failure, as printed by the setup ("[run] cannot start" comes first).</summary>
    private static TimeSpan SetupTime(string output)
    {
        var m = System.Text.RegularExpressions.Regex.Match(output, @"Failed Profile_is_valid_and_provider_is_reachable \[(?<v>[\d.]+) (?<u>ms|s)\]");
        if (!m.Success) return TimeSpan.Zero;
        var v = double.Parse(m.Groups["v"].Value, System.Globalization.CultureInfo.InvariantCulture);
        return m.Groups["u"].Value == "ms" ? TimeSpan.FromMilliseconds(v) : TimeSpan.FromSeconds(v);
    }
}
