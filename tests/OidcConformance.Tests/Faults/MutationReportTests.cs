using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Faults;

namespace OidcConformance.Tests.Faults;

/// <summary>mutation.md / mutation.json from hand-made runs: a kill observed in a fault run, an interop kill, a reason, a pending check.</summary>
[TestFixture]
public sealed class MutationReportTests
{
    private static readonly Fault Issuer = FaultCatalog.All.First(f => f.Name == "discovery-issuer-mismatch");

    private static (FaultRun Baseline, FaultRun Run) Runs()
    {
        var before = new Execution("discovery.issuer-matches-url", null, "Passed", "issuer is the URL base");
        var after = before with { Verdict = "Failed", Reason = "issuer differs" };
        var other = new Execution("discovery.json-object", null, "Passed", "a JSON object");
        return (new FaultRun(FaultCatalog.None, [before, other], true, null, TimeSpan.FromSeconds(3), ""),
                new FaultRun(Issuer, [after, other], true, null, TimeSpan.FromSeconds(2), ""));
    }

    [Test]
    public void Json_counts_kills_reasons_and_pending_checks()
    {
        var (baseline, run) = Runs();
        using var doc = JsonDocument.Parse(MutationReport.Json(baseline, [run], TimeSpan.FromMinutes(1)));
        var results = doc.RootElement.GetProperty("results").EnumerateArray().ToDictionary(r => r.GetProperty("id").GetString()!);
        results["discovery.issuer-matches-url"].GetProperty("killedBy").EnumerateArray().Select(e => e.GetString()).Should().Equal("discovery-issuer-mismatch");
        results["interop.aspnetcore.id-token"].GetProperty("killedInInterop").EnumerateArray().Select(e => e.GetString())
            .Should().Contain("id-token-wrong-aud");
        results["casdoor.refresh-endpoints"].GetProperty("noKill").GetProperty("kind").GetString().Should().Be("ProviderSpecific");
        results["discovery.json-object"].GetProperty("pending").GetBoolean().Should().BeTrue("no fault ran for it here and no reason is given");
        var killed = results.Values.Count(r => r.GetProperty("killedBy").GetArrayLength() > 0 || r.GetProperty("killedInInterop").GetArrayLength() > 0);
        doc.RootElement.GetProperty("killed").GetInt32().Should().Be(killed);
        (doc.RootElement.GetProperty("killed").GetInt32() + doc.RootElement.GetProperty("notKillableWithReason").GetInt32() +
         doc.RootElement.GetProperty("pending").GetInt32()).Should().Be(doc.RootElement.GetProperty("checks").GetInt32());
    }

    [Test]
    public void Markdown_gives_each_unkilled_check_its_reason_or_pending()
    {
        var (baseline, run) = Runs();
        var md = MutationReport.Markdown(baseline, [run], TimeSpan.FromMinutes(1));
        md.Should().Contain("| `discovery.issuer-matches-url` | MUST | `discovery-issuer-mismatch` |");
        md.Should().Contain("`id-token-wrong-aud` (interop)");
        md.Should().MatchRegex(@"\| `casdoor\.refresh-endpoints` \|[^\n]*\| ProviderSpecific: judges Casdoor's own API");
        md.Should().MatchRegex(@"\| `discovery\.json-object` \|[^\n]*\| pending: no fault yet \|");
    }
}
