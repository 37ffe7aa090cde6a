using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Baselines;
using OidcConformance.Checks;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Reporting;

/// <summary>
/// One baseline format (issue #18 item 1): the run reads expected verdicts from <c>entries</c> only, so no committed
/// baseline may hold one anywhere else. The first real Casdoor nightly went red with 102 false regressions because
/// expected Inconclusive verdicts sat in <c>notApplicable</c> and <c>unknown</c>, lists the run never read.
/// </summary>
[TestFixture]
public sealed class BaselineFormatTests
{
    /// <summary>
    /// The committed baselines: every file directly in fixtures/baselines. (fixtures/baselines/pending/ holds the
    /// engineers' verdict predictions in another format until they are merged into a baseline; the run never reads it.)
    /// </summary>
    private static IEnumerable<string> BaselineFiles() =>
        Directory.GetFiles(Path.Combine(SuiteProcess.Root, "fixtures", "baselines"), "*.json", SearchOption.TopDirectoryOnly).Order(StringComparer.Ordinal);

    private static readonly string[] VerdictNames = Enum.GetNames<Verdict>();

    /// <summary>Member names that read as an expected verdict wherever they appear.</summary>
    private static readonly string[] VerdictLikeMembers = ["expected", "expectedAlso", "possible", "verdict", "expectedVerdict", "outcome"];

    /// <summary>Every place outside <c>entries</c> where something looks like an expected verdict: a verdict-like member or a verdict name as a value.</summary>
    private static IEnumerable<string> VerdictsOutsideEntries(JsonObject root)
    {
        IEnumerable<string> Walk(JsonNode? node, string where)
        {
            switch (node)
            {
                case JsonObject o:
                    foreach (var (k, v) in o)
                    {
                        if (VerdictLikeMembers.Contains(k, StringComparer.OrdinalIgnoreCase)) yield return $"{where}.{k}";
                        foreach (var hit in Walk(v, $"{where}.{k}")) yield return hit;
                    }
                    break;
                case JsonArray a:
                    for (var i = 0; i < a.Count; i++)
                        foreach (var hit in Walk(a[i], $"{where}[{i}]")) yield return hit;
                    break;
                case JsonValue v when v.TryGetValue<string>(out var s) && VerdictNames.Contains(s.Trim(), StringComparer.OrdinalIgnoreCase):
                    yield return $"{where} = \"{s}\"";
                    break;
            }
        }
        return root.Where(kv => kv.Key != "entries").SelectMany(kv => Walk(kv.Value, "$." + kv.Key));
    }

    [Test]
    public void There_are_baselines_to_check() =>
        BaselineFiles().Select(Path.GetFileName).Should().Contain(["casdoor-3.158.0.json", "node-oidc-provider-9.13.3.json"]);

    [TestCaseSource(nameof(BaselineFiles))]
    public void Every_expected_verdict_of_a_baseline_is_an_entry_the_run_reads(string file)
    {
        // The run (RunBaseline.For), the unit tests and baseline-update all go through Baseline.Load.
        var baseline = Baseline.Load(file);
        baseline.Entries.Should().NotBeEmpty();
        var root = (JsonObject)JsonNode.Parse(File.ReadAllText(file))!;
        VerdictsOutsideEntries(root).Should().BeEmpty($"{Path.GetFileName(file)}: an expected verdict outside 'entries' is never compared by the run");
        root.Select(kv => kv.Key).Should().BeSubsetOf(Baseline.DocumentedMembers);
        baseline.Entries.Select(e => Baseline.Key(e.Check, e.Case)).Should().OnlyHaveUniqueItems("one entry per check execution");
        foreach (var e in baseline.Entries)
        {
            CheckCatalog.Exists(e.Check).Should().BeTrue($"{Path.GetFileName(file)}: {e.Check} is a check of the catalog");
            e.Reason.Should().NotBeNullOrWhiteSpace($"{Baseline.Key(e.Check, e.Case)} says why");
        }
    }

    private static string Write(string json)
    {
        var path = Path.Combine(Path.GetTempPath(), $"baseline-format-{Guid.NewGuid():N}.json");
        File.WriteAllText(path, json);
        return path;
    }

    private const string Entry = """{"check":"token.pragma-no-cache","case":null,"expected":"Warning","reason":"r","source":"s"}""";

    // The shapes of the pre-#18 Casdoor baseline, each of which hid expected verdicts from the run.
    [TestCase("""{"provider":"p","version":"1","entries":[ENTRY],"notApplicable":[{"checks":["idtoken.iss"],"cases":["code id_token"],"expected":"Inconclusive","reason":"r","source":"s"}]}""", "unknown top-level member 'notApplicable'")]
    [TestCase("""{"provider":"p","version":"1","entries":[ENTRY],"unknown":[{"check":"idtoken.iss","case":null,"possible":["Failed","Passed"]}]}""", "unknown top-level member 'unknown'")]
    [TestCase("""{"provider":"p","version":"1","entries":[ENTRY],"pendingDeviations":[{"slug":"x","expected":"Failed","reason":"r","source":"s"}]}""", "unknown top-level member 'pendingDeviations'")]
    [TestCase("""{"provider":"p","version":"1","entries":[ENTRY],"uncheckedDeviations":[{"slug":"x","level":"MUST","deviation":"d","source":"s","whyNoCheck":"w","expected":"Failed"}]}""", "*uncheckedDeviations[0] has unknown member 'expected'*")]
    [TestCase("""{"provider":"p","version":"1","entries":[ENTRY],"uncheckedDeviations":[{"slug":"x","level":"Failed","deviation":"d","source":"s","whyNoCheck":"w"}]}""", "*level must be MUST or SHOULD*")]
    [TestCase("""{"provider":"p","version":"1","entries":[{"check":"idtoken.iss","case":null,"expected":"Failed","possible":["Passed"],"reason":"r","source":"s"}]}""", "*entries[0] has unknown member 'possible'*")]
    public void Load_refuses_members_the_run_would_not_read(string json, string message)
    {
        var path = Write(json.Replace("ENTRY", Entry, StringComparison.Ordinal));
        try
        {
            FluentActions.Invoking(() => Baseline.Load(path)).Should().Throw<BaselineException>().WithMessage(message.Contains('*') ? message : $"*{message}*");
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void Documented_optional_members_load_and_survive_a_rewrite()
    {
        var path = Write($$"""{"provider":"p","version":"1","description":"why this file exists","entries":[{{Entry}}],"uncheckedDeviations":[{"slug":"x","level":"SHOULD","deviation":"d","source":"s","whyNoCheck":"w"}]}""");
        try
        {
            var baseline = Baseline.Load(path);
            baseline.Entries.Should().ContainSingle().Which.Expected.Should().Be(Verdict.Warning);
            baseline.Save(path);
            var again = (JsonObject)JsonNode.Parse(File.ReadAllText(path))!;
            again.Select(kv => kv.Key).Should().Equal("provider", "version", "description", "entries", "uncheckedDeviations");
            Baseline.Load(path).Entries.Should().BeEquivalentTo(baseline.Entries);
        }
        finally { File.Delete(path); }
    }

    [Test]
    public void The_scan_finds_a_verdict_hidden_outside_entries()
    {
        // The proof that the file test above can fail: the scan flags what the old Casdoor file held.
        var old = (JsonObject)JsonNode.Parse("""
            {"provider":"p","version":"1","entries":[],
             "pendingDeviations":[{"slug":"x","expected":"Failed"}],
             "unknown":[{"check":"c","possible":["Failed","Passed"]}],
             "notes":{"deep":["Inconclusive"]}}
            """)!;
        VerdictsOutsideEntries(old).Should().BeEquivalentTo(
            "$.pendingDeviations[0].expected", "$.pendingDeviations[0].expected = \"Failed\"", "$.unknown[0].possible",
            "$.unknown[0].possible[0] = \"Failed\"", "$.unknown[0].possible[1] = \"Passed\"", "$.notes.deep[0] = \"Inconclusive\"");
    }
}
