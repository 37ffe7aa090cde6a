using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Profiles;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// Runs the whole suite against the embedded provider and searches everything it wrote (reports, TRX, console
/// output) for every fixture password and client secret and for every token the provider issued during the run.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class SuiteSecretsTests
{
    [Test]
    public async Task No_secret_or_issued_token_appears_in_any_output()
    {
        var recording = Directory.CreateTempSubdirectory("recording-").FullName; // outside the artifacts folder on purpose
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { ["OIDC_RECORD_DIR"] = recording });
        result.Output.Should().Contain("Passed", "the suite must have run");

        var profile = ProfileLoader.Load(Path.Combine(SuiteProcess.Root, "fixtures/providers/node-oidc-provider/profile.json"));
        var secrets = profile.Secrets().Select(s => (Kind: "fixture secret", Value: s)).ToList();
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(recording, "exchanges.json"))))
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                var body = e.GetProperty("body").GetString()!;
                if (!body.TrimStart().StartsWith('{')) continue;
                using var b = JsonDocument.Parse(body);
                foreach (var p in b.RootElement.EnumerateObject())
                    if (p.Name is "access_token" or "refresh_token" or "id_token" && p.Value.ValueKind == JsonValueKind.String)
                        secrets.Add((p.Name, p.Value.GetString()!));
            }
        secrets.Count(s => s.Kind != "fixture secret").Should().BeGreaterThan(3, "the run must have issued tokens to look for");

        var outputs = new List<(string Name, string Text)> { ("console output", result.Output) };
        outputs.AddRange(Directory.GetFiles(result.ArtifactsDirectory, "*", SearchOption.AllDirectories)
            .Select(f => (Path.GetFileName(f), File.ReadAllText(f))));
        outputs.Should().Contain(o => o.Name == "report.json").And.Contain(o => o.Name == "report.md");

        foreach (var (name, text) in outputs)
        {
            foreach (var (kind, value) in secrets)
                text.Contains(value, StringComparison.Ordinal).Should().BeFalse($"{name} must not contain a {kind}");
            Regex.IsMatch(text, @"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}").Should().BeFalse($"{name} must not contain a JWT");
        }
    }
}
