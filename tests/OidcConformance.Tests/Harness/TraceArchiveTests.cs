using System.IO.Compression;
using System.Text;
using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Http;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// The redacted trace zip, on hand-made trace chunks shaped like Playwright's (JSON-lines trace and network log, sha1-named
/// resources): secrets that the redactor knows, secrets that only their place gives away (typed input, password fields,
/// credential-named parameters, cookies), and the merge of several chunks of one browser context.
/// </summary>
public sealed class TraceArchiveTests
{
    private const string ShortPassword = "hunt2"; // shorter than the redactor's minimum: only the structural rules can catch it
    private const string Registered = "registered-client-secret-7f3a";
    private const string Cookie = "sess-cookie-value-91ab";
    private const string HiddenCode = "hidden-form-code-55cd";
    private const string UrlCode = "url-code-value-12ef";
    private const string FragmentToken = "fragment-at-value-34gh";
    private const string Jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.c2lnbmF0dXJlLXZhbHVlLWhlcmU";
    private static readonly string[] Secrets = [ShortPassword, Registered, Cookie, HiddenCode, UrlCode, FragmentToken, Jwt];

    private string dir = "";

    [SetUp]
    public void CreateFolder()
    {
        dir = Directory.CreateTempSubdirectory("trace-archive-").FullName;
        Redactor.Register(Registered, "fixture secret");
    }

    [TearDown]
    public void DeleteFolder() => Directory.Delete(dir, true);

    private static readonly byte[] Png = [0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0xFF, 0x10];
    private static readonly byte[] Binary = [0xFF, 0xFE, 0x00, 0x81, 0xC3, 0x28];

    private string Chunk(string name, params (string Entry, byte[] Content)[] entries)
    {
        var path = Path.Combine(dir, name);
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        foreach (var (entry, content) in entries)
        {
            using var s = zip.CreateEntry(entry).Open();
            s.Write(content);
        }
        return path;
    }

    private static byte[] Lines(params object[] events) =>
        Encoding.UTF8.GetBytes(string.Join("\n", events.Select(e => JsonSerializer.Serialize(e))) + "\n");

    private static object ContextOptions => new { type = "context-options", version = 8, browserName = "chromium", wallTime = 1, monotonicTime = 1 };

    private static Dictionary<string, byte[]> Read(string zipPath)
    {
        using var zip = ZipFile.OpenRead(zipPath);
        return zip.Entries.ToDictionary(e => e.FullName, e =>
        {
            using var s = e.Open();
            using var m = new MemoryStream();
            s.CopyTo(m);
            return m.ToArray();
        });
    }

    [Test]
    public void Every_text_entry_is_redacted_by_value_and_by_place_and_images_stay()
    {
        var trace = Lines(
            ContextOptions,
            new { type = "before", callId = "c@1", @class = "Frame", method = "fill", @params = new { selector = "input#password", value = ShortPassword } },
            new { type = "before", callId = "c@2", @class = "Frame", method = "goto", @params = new { url = $"http://127.0.0.1:9/cb?code={UrlCode}&state=abc" } },
            new
            {
                type = "frame-snapshot",
                snapshot = new
                {
                    html = new object[]
                    {
                        "FORM", new { },
                        new object[] { "INPUT", new Dictionary<string, string> { ["type"] = "password", ["name"] = "pw", ["__playwright_value_"] = ShortPassword } },
                        new object[] { "INPUT", new Dictionary<string, string> { ["type"] = "hidden", ["name"] = "code", ["value"] = HiddenCode, ["__playwright_value_"] = HiddenCode } },
                        new object[] { "P", new { }, $"id_token {Jwt}" },
                    },
                },
            });
        var network = Lines(new
        {
            type = "resource-snapshot",
            snapshot = new
            {
                request = new
                {
                    url = $"http://127.0.0.1:9/cb#access_token={FragmentToken}&token_type=Bearer",
                    headers = new[] { new { name = "Cookie", value = $"_session={Cookie}" } },
                    cookies = new[] { new { name = "_session", value = Cookie } },
                    postData = new { text = $"login=alice&password={ShortPassword}", @params = new[] { new { name = "password", value = ShortPassword } } },
                },
                response = new { headers = new[] { new { name = "Set-Cookie", value = $"_session={Cookie}; path=/" } } },
            },
        });
        var chunk = Chunk("chunk1.zip",
            ("trace.trace", trace), ("trace.network", network),
            ("resources/aaa.html", Encoding.UTF8.GetBytes($"<input value=\"{Registered}\"><a href=\"/cb?code={UrlCode}\">{Jwt}</a>")),
            ("resources/bbb.png", Png), ("resources/ccc.dat", Binary));
        var output = Path.Combine(dir, "trace.zip");

        var result = TraceArchive.Write([chunk], output);

        var entries = Read(output);
        entries.Keys.Should().BeEquivalentTo("trace.trace", "trace.network", "resources/aaa.html", "resources/bbb.png");
        result.Dropped.Should().Equal("resources/ccc.dat");
        entries["resources/bbb.png"].Should().Equal(Png, "images are kept as they are");
        foreach (var (name, bytes) in entries.Where(e => !e.Key.EndsWith(".png")))
        {
            var text = Encoding.UTF8.GetString(bytes);
            foreach (var secret in Secrets) text.Should().NotContain(secret, $"{name} must not hold it");
            if (name.StartsWith("trace."))
                foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries))
                    FluentActions.Invoking(() => JsonDocument.Parse(line).Dispose()).Should().NotThrow($"{name} stays JSON lines");
        }
        var traceText = Encoding.UTF8.GetString(entries["trace.trace"]);
        traceText.Should().Contain("[redacted typed input]").And.Contain("input#password", "only the typed value goes")
            .And.Contain("state=abc", "what is not a secret stays");
        Encoding.UTF8.GetString(entries["trace.network"]).Should().Contain("login=alice");
    }

    [Test]
    public void Chunks_of_one_context_merge_into_one_trace_with_the_newest_network_log()
    {
        var older = Chunk("older.zip",
            ("trace.trace", Lines(ContextOptions, new { type = "before", callId = "c@1", method = "goto", @params = new { url = "http://x/first" } })),
            ("trace.network", Lines(new { type = "resource-snapshot", snapshot = new { request = new { url = "http://x/first" } } })),
            ("resources/shared.html", "old copy"u8.ToArray()));
        var newer = Chunk("newer.zip",
            ("trace.trace", Lines(ContextOptions, new { type = "before", callId = "c@9", method = "goto", @params = new { url = "http://x/second" } })),
            ("trace.network", Lines(
                new { type = "resource-snapshot", snapshot = new { request = new { url = "http://x/first" } } },
                new { type = "resource-snapshot", snapshot = new { request = new { url = "http://x/second" } } })),
            ("resources/shared.html", "new copy"u8.ToArray()), ("resources/only-new.html", "n"u8.ToArray()));
        var output = Path.Combine(dir, "trace.zip");

        TraceArchive.Write([older, newer], output);

        var entries = Read(output);
        entries.Keys.Should().BeEquivalentTo("trace.trace", "trace.network", "earlier-1.trace", "resources/shared.html", "resources/only-new.html");
        Encoding.UTF8.GetString(entries["trace.trace"]).Should().Contain("/second");
        Encoding.UTF8.GetString(entries["earlier-1.trace"]).Should().Contain("/first");
        Encoding.UTF8.GetString(entries["trace.network"]).Should().Contain("/first").And.Contain("/second");
        Encoding.UTF8.GetString(entries["resources/shared.html"]).Should().Be("new copy");
    }

    [TestCase(null, BrowserTraceMode.OnFailure)]
    [TestCase("", BrowserTraceMode.OnFailure)]
    [TestCase("on-failure", BrowserTraceMode.OnFailure)]
    [TestCase("OFF", BrowserTraceMode.Off)]
    [TestCase("full", BrowserTraceMode.Full)]
    public void Trace_mode_setting(string? value, BrowserTraceMode expected) => BrowserTrace.Parse(value).Should().Be(expected);

    [Test]
    public void Trace_mode_comes_from_the_environment_before_the_runsettings_parameter()
    {
        OidcConformance.Run.RunSettings.Resolve(p => p == BrowserTrace.Parameter ? "full" : null, _ => null).BrowserTrace.Should().Be("full");
        OidcConformance.Run.RunSettings.Resolve(p => p == BrowserTrace.Parameter ? "full" : null,
            e => e == BrowserTrace.EnvironmentVariable ? "off" : null).BrowserTrace.Should().Be("off");
        OidcConformance.Run.RunSettings.Resolve(_ => null, _ => null).BrowserTrace.Should().BeNull("unset means the default, on-failure");
    }

    [Test]
    public void Unknown_trace_mode_names_the_setting() =>
        FluentActions.Invoking(() => BrowserTrace.Parse("sometimes")).Should().Throw<InvalidOperationException>()
            .WithMessage("*OIDC_BROWSER_TRACE*off, on-failure*full*");
}
