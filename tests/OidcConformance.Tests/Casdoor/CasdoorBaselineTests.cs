using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// fixtures/baselines/casdoor-3.158.0.json: what Casdoor 3.158.0 is expected not to pass (docs/casdoor.md (c)), as the
/// recorded real run confirmed it (Recorded/casdoor-3.158.0). Entries name existing checks; deviations no check sees yet
/// are documented in uncheckedDeviations, keyed by slug, with the requirement level they break (never a verdict).
/// </summary>
[TestFixture, Category("Casdoor")]
public sealed partial class CasdoorBaselineTests
{
    private static readonly string Root = SuiteProcess.Root;
    private static readonly ProviderProfile Profile = ProfileLoader.Load(Path.Combine(Root, "fixtures/providers/casdoor/profile.json"));
    private static string BaselineFile => Path.Combine(Root, "fixtures/baselines", $"{Profile.Name}-{Profile.Version}.json");
    private static JsonElement Baseline => JsonDocument.Parse(File.ReadAllText(BaselineFile)).RootElement.Clone();

    private static IEnumerable<JsonElement> Entries => Baseline.GetProperty("entries").EnumerateArray();
    private static IEnumerable<JsonElement> Unchecked => Baseline.GetProperty("uncheckedDeviations").EnumerateArray();

    /// <summary>The deviation slugs an entry's reason starts with: "slug: …" or "slug-a, slug-b: …".</summary>
    private static IEnumerable<string> ReasonSlugs(JsonElement entry) =>
        entry.GetProperty("reason").GetString()!.Split(':')[0].Split(',').Select(s => s.Trim());

    [Test]
    public void Baseline_names_the_profile_provider_and_version()
    {
        Baseline.GetProperty("provider").GetString().Should().Be(Profile.Name);
        Baseline.GetProperty("version").GetString().Should().Be(Profile.Version);
    }

    [Test]
    public void Every_entry_names_a_check_in_the_catalog()
    {
        var unknown = Entries.Select(e => e.GetProperty("check").GetString()!).Where(id => !CheckCatalog.Exists(id)).ToList();
        unknown.Should().BeEmpty("a baseline entry must name an existing check id (document it in uncheckedDeviations otherwise)");
    }

    [Test]
    public void Every_entry_is_complete_and_its_verdict_fits_the_check_level()
    {
        foreach (var e in Entries)
        {
            var id = e.GetProperty("check").GetString()!;
            e.GetProperty("case").ValueKind.Should().BeOneOf(JsonValueKind.Null, JsonValueKind.String);
            e.GetProperty("reason").GetString().Should().NotBeNullOrWhiteSpace();
            e.GetProperty("source").GetString().Should().NotBeNullOrWhiteSpace();
            var expected = e.GetProperty("expected").GetString();
            expected.Should().BeOneOf("Failed", "Warning", "Inconclusive");
            if (!CheckCatalog.Exists(id) || expected == "Inconclusive") continue;
            var level = CheckCatalog.Get(id).Level;
            expected.Should().Be(level == RequirementLevel.Must ? "Failed" : "Warning", $"{id} is a {level} check");
        }
        Entries.GroupBy(e => (e.GetProperty("check").GetString(), e.GetProperty("case").ToString())).Where(g => g.Count() > 1)
            .Select(g => g.Key).Should().BeEmpty("one entry per check execution");
    }

    [GeneratedRegex(@"### Deviation slug list[^\n]*\n(?<list>(?:.|\n)*?)\n\s*\n")]
    private static partial Regex SlugList();

    private static IReadOnlyList<string> DocumentedSlugs()
    {
        var doc = File.ReadAllText(Path.Combine(Root, "docs/casdoor.md"));
        var m = SlugList().Match(doc);
        m.Success.Should().BeTrue("docs/casdoor.md has a deviation slug list");
        return Regex.Matches(m.Groups["list"].Value, "`([a-z0-9-]+)`").Select(x => x.Groups[1].Value).ToList();
    }

    [Test]
    public void Every_documented_deviation_is_an_entry_or_unchecked()
    {
        var slugs = DocumentedSlugs();
        slugs.Should().HaveCountGreaterThan(50);
        var @unchecked = Unchecked.Select(p => p.GetProperty("slug").GetString()!).ToList();
        @unchecked.Should().OnlyHaveUniqueItems();
        var inEntries = Entries.SelectMany(ReasonSlugs).ToHashSet();
        slugs.Where(s => !@unchecked.Contains(s) && !inEntries.Contains(s)).Should().BeEmpty("each deviation of docs/casdoor.md (c) is either mapped or documented as unchecked");
        @unchecked.Where(s => !slugs.Contains(s)).Should().BeEmpty("unchecked slugs come from docs/casdoor.md (c)");
        @unchecked.Where(inEntries.Contains).Should().BeEmpty("a mapped deviation is not also unchecked");
        foreach (var p in Unchecked)
        {
            p.GetProperty("level").GetString().Should().BeOneOf("MUST", "SHOULD");
            p.GetProperty("source").GetString().Should().Contain("docs/casdoor.md");
            p.GetProperty("whyNoCheck").GetString().Should().NotBeNullOrWhiteSpace();
        }
    }

    [Test]
    public void Every_entry_slug_is_a_documented_deviation()
    {
        // Reasons of the form "slug: …" name a deviation of docs/casdoor.md (c); other reasons are the run's own words.
        var slugs = DocumentedSlugs().ToHashSet();
        Entries.SelectMany(ReasonSlugs).Where(s => Regex.IsMatch(s, "^[a-z0-9]+(-[a-z0-9]+)+$") && !slugs.Contains(s))
            .Distinct().Should().BeEmpty("a slug in a reason is listed in docs/casdoor.md (c)");
    }

    [Test]
    public void Every_inconclusive_entry_says_why_it_cannot_run()
    {
        // Issue #18 item 7: an Inconclusive is expected only with the reason the check cannot reach a verdict on Casdoor
        // and the fact it rests on (a profile feature, a Casdoor source file, or the recorded run).
        foreach (var e in Entries.Where(e => e.GetProperty("expected").GetString() == "Inconclusive"))
        {
            var key = $"{e.GetProperty("check").GetString()} [{e.GetProperty("case")}]";
            e.GetProperty("reason").GetString().Should().MatchRegex(".{20,}", $"{key}: a reason, not a word");
            e.GetProperty("source").GetString().Should().MatchRegex("docs/casdoor.md|\\.go|profile|Recorded/casdoor-3.158.0|src/OidcConformance", $"{key}: the fact behind it");
        }
    }

    [Test]
    public void The_verified_table_of_the_docs_cites_recorded_files_that_exist()
    {
        // docs/casdoor.md "Verified against a running Casdoor 3.158.0": evidence paths are relative to Recorded/casdoor-3.158.0.
        var doc = File.ReadAllText(Path.Combine(Root, "docs/casdoor.md"));
        var start = doc.IndexOf("## Verified against a running Casdoor 3.158.0", StringComparison.Ordinal);
        start.Should().BeGreaterThan(0);
        var section = doc[start..doc.IndexOf("\n## ", start + 10, StringComparison.Ordinal)];
        var cited = Regex.Matches(section, "`((?:failures|pages)/[^`<]*|report(?:-with-baseline)?\\.json|exchanges\\.json)`").Select(m => m.Groups[1].Value).Distinct().ToList();
        cited.Should().HaveCountGreaterThan(30);
        var recorded = Path.Combine(Root, "tests/OidcConformance.Tests/Recorded/casdoor-3.158.0");
        cited.Where(c => !File.Exists(Path.Combine(recorded, c)) && !Directory.Exists(Path.Combine(recorded, c))).Should().BeEmpty();
        // Every Failed/Warning entry of the baseline is in the table (by execution).
        foreach (var e in Entries.Where(e => e.GetProperty("expected").GetString() is "Failed" or "Warning"))
        {
            var execution = e.GetProperty("case").ValueKind == JsonValueKind.Null
                ? $"`{e.GetProperty("check").GetString()}`" : $"`{e.GetProperty("check").GetString()} [{e.GetProperty("case").GetString()}]`";
            section.Should().Contain(execution);
        }
    }
}
