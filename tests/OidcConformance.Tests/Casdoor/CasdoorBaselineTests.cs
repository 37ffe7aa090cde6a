using System.Text.Json;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// fixtures/baselines/casdoor-3.158.0.json: what today's Casdoor is expected not to pass (docs/casdoor.md (c)). Entries
/// name existing checks; deviations without a check yet wait in pendingDeviations, keyed by slug.
/// </summary>
[TestFixture, Category("Casdoor")]
public sealed partial class CasdoorBaselineTests
{
    private static readonly string Root = SuiteProcess.Root;
    private static readonly ProviderProfile Profile = ProfileLoader.Load(Path.Combine(Root, "fixtures/providers/casdoor/profile.json"));
    private static string BaselineFile => Path.Combine(Root, "fixtures/baselines", $"{Profile.Name}-{Profile.Version}.json");
    private static JsonElement Baseline => JsonDocument.Parse(File.ReadAllText(BaselineFile)).RootElement.Clone();

    private static IEnumerable<JsonElement> Entries => Baseline.GetProperty("entries").EnumerateArray();
    private static IEnumerable<JsonElement> Pending => Baseline.GetProperty("pendingDeviations").EnumerateArray();
    private static IEnumerable<JsonElement> Unknown => Baseline.GetProperty("unknown").EnumerateArray();
    private static IEnumerable<JsonElement> NotApplicable => Baseline.GetProperty("notApplicable").EnumerateArray();

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
        unknown.Should().BeEmpty("a baseline entry must name an existing check id (move it to pendingDeviations otherwise)");
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
    public void Every_documented_deviation_is_an_entry_or_pending()
    {
        var slugs = DocumentedSlugs();
        slugs.Should().HaveCountGreaterThan(50);
        var pending = Pending.Select(p => p.GetProperty("slug").GetString()!).ToList();
        pending.Should().OnlyHaveUniqueItems();
        var inEntries = Entries.SelectMany(ReasonSlugs).ToHashSet();
        slugs.Where(s => !pending.Contains(s) && !inEntries.Contains(s)).Should().BeEmpty("each deviation of docs/casdoor.md (c) is either mapped or pending");
        pending.Where(s => !slugs.Contains(s)).Should().BeEmpty("pending slugs come from docs/casdoor.md (c)");
        pending.Where(inEntries.Contains).Should().BeEmpty("a mapped deviation is not also pending");
        foreach (var p in Pending)
        {
            p.GetProperty("expected").GetString().Should().BeOneOf("Failed", "Warning", "Inconclusive");
            p.GetProperty("source").GetString().Should().Contain("docs/casdoor.md");
        }
    }

    [Test]
    public void Unknown_outcomes_name_existing_checks_and_what_to_look_at()
    {
        Unknown.Should().NotBeEmpty();
        foreach (var u in Unknown)
        {
            var id = u.GetProperty("check").GetString()!;
            CheckCatalog.Exists(id).Should().BeTrue($"unknown outcome names check '{id}'");
            u.GetProperty("case").ValueKind.Should().BeOneOf(JsonValueKind.Null, JsonValueKind.String);
            u.GetProperty("possible").EnumerateArray().Select(v => v.GetString()).Should()
                .HaveCountGreaterThan(1).And.OnlyContain(v => v == "Passed" || v == "Failed" || v == "Warning" || v == "Inconclusive");
            foreach (var field in new[] { "reason", "source", "lookAt" }) u.GetProperty(field).GetString().Should().NotBeNullOrWhiteSpace();
        }
        var inEntries = Entries.Select(e => (e.GetProperty("check").GetString(), e.GetProperty("case").ToString())).ToHashSet();
        Unknown.Select(u => (u.GetProperty("check").GetString(), u.GetProperty("case").ToString())).Where(inEntries.Contains)
            .Should().BeEmpty("an execution is either expected (entries) or unknown");
    }

    [Test]
    public void Not_applicable_groups_name_existing_checks()
    {
        foreach (var g in NotApplicable)
        {
            g.GetProperty("expected").GetString().Should().Be("Inconclusive");
            g.GetProperty("checks").EnumerateArray().Select(c => c.GetString()!).Where(id => !CheckCatalog.Exists(id)).Should().BeEmpty();
            g.GetProperty("reason").GetString().Should().NotBeNullOrWhiteSpace();
            g.GetProperty("source").GetString().Should().NotBeNullOrWhiteSpace();
        }
    }
}
