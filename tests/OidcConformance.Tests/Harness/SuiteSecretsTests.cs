using System.IO.Compression;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Profiles;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// Runs the whole suite against the embedded provider and searches everything it wrote (reports, TRX, console
/// output, failure bundles, and every entry of the Playwright trace zips in them) for every fixture password and client
/// secret, for every token the provider issued during the run, and for credentials that only their place gives away.
/// </summary>
[TestFixture, Category("SuiteProcess"), NonParallelizable]
public sealed class SuiteSecretsTests
{
    [Test]
    public async Task No_secret_or_issued_token_appears_in_any_output()
    {
        // The shared whole run (SharedSuiteRuns): it records the provider's responses outside its artifacts folder.
        var (result, recording) = await SharedSuiteRuns.NodeAsync();
        result.Output.Should().Contain("Passed", "the suite must have run");

        var secrets = KnownSecrets(recording);
        secrets.Count(s => s.Kind != "fixture secret").Should().BeGreaterThan(3, "the run must have issued tokens to look for");

        var outputs = new List<(string Name, string Text)> { ("console output", result.Output) };
        outputs.AddRange(Outputs(result.ArtifactsDirectory));
        outputs.Should().Contain(o => o.Name == "report.json").And.Contain(o => o.Name == "report.md");
        outputs.Should().Contain(o => o.Name.EndsWith("trace.zip!trace.trace"), "the documented deviations include a browser step, whose bundle has a trace");
        AssertClean(outputs, secrets);
    }

    /// <summary>The fixture's passwords and client secrets, and the tokens in the recorded token responses of the run.</summary>
    public static List<(string Kind, string Value)> KnownSecrets(string recordingDirectory)
    {
        var profile = ProfileLoader.Load(Path.Combine(SuiteProcess.Root, "fixtures/providers/node-oidc-provider/profile.json"));
        var secrets = profile.Secrets().Select(s => (Kind: "fixture secret", Value: s)).ToList();
        using (var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(recordingDirectory, "exchanges.json"))))
            foreach (var e in doc.RootElement.EnumerateArray())
            {
                var body = e.GetProperty("body").GetString()!;
                if (!body.TrimStart().StartsWith('{')) continue;
                using var b = JsonDocument.Parse(body);
                foreach (var p in b.RootElement.EnumerateObject())
                    if (p.Name is "access_token" or "refresh_token" or "id_token" && p.Value.ValueKind == JsonValueKind.String)
                        secrets.Add((p.Name, p.Value.GetString()!));
            }
        return secrets;
    }

    /// <summary>Every file under the folder as text; zip files (Playwright traces) entry by entry, images left out.</summary>
    public static IEnumerable<(string Name, string Text)> Outputs(string directory)
    {
        foreach (var file in Directory.GetFiles(directory, "*", SearchOption.AllDirectories))
        {
            var name = Path.GetRelativePath(directory, file);
            if (file.EndsWith(".zip", StringComparison.OrdinalIgnoreCase))
            {
                using var zip = ZipFile.OpenRead(file);
                foreach (var entry in zip.Entries)
                {
                    using var m = new MemoryStream();
                    using (var s = entry.Open()) s.CopyTo(m);
                    if (TraceArchive.IsImage(m.ToArray())) continue;
                    yield return ($"{name}!{entry.FullName}", Encoding.UTF8.GetString(m.ToArray()));
                }
            }
            else if (!TraceArchive.IsImage(File.ReadAllBytes(file)))
                yield return (Path.GetFileName(file) is "report.json" or "report.md" ? Path.GetFileName(file) : name, File.ReadAllText(file));
        }
    }

    private static readonly Regex Jwt = new(@"eyJ[A-Za-z0-9_-]{10,}\.eyJ[A-Za-z0-9_-]{10,}\.[A-Za-z0-9_-]{10,}");
    // A credential-named parameter with a value that is not a redaction marker (query, fragment, form body).
    private static readonly Regex CredentialParameter = new(@"(?<![A-Za-z0-9_])(code|access_token|id_token|refresh_token|password|client_secret)=(?!\[redacted|%5Bredacted)[^&\s""'<#\\]+");
    // A cookie or session header in a recorded network log whose value is not redacted.
    private static readonly Regex CookieHeader = new(@"""name"":""(?i:cookie|set-cookie|authorization)"",""value"":""(?!\[redacted)");

    public static void AssertClean(IEnumerable<(string Name, string Text)> outputs, IReadOnlyList<(string Kind, string Value)> secrets)
    {
        foreach (var (name, text) in outputs)
        {
            foreach (var (kind, value) in secrets)
                text.Contains(value, StringComparison.Ordinal).Should().BeFalse($"{name} must not contain a {kind}");
            Jwt.IsMatch(text).Should().BeFalse($"{name} must not contain a JWT");
            var parameter = CredentialParameter.Match(text); // the message names the parameter and place, never the value
            parameter.Success.Should().BeFalse($"{name} must not hold an unredacted {parameter.Groups[1].Value}= (at character {parameter.Index})");
            CookieHeader.IsMatch(text).Should().BeFalse($"{name} must not hold an unredacted cookie or authorization header");
        }
    }
}
