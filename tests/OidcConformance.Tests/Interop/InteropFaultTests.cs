using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Faults;
using OidcConformance.Reporting;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Interop;

/// <summary>
/// A fault of the catalog (docs/faults.md), injected by the proxy in front of the embedded provider, turns the expected
/// interop cell Broken with the library's own message, while the steps before it still work: the interop suite
/// (`--filter Category=Interop`) is run as a user runs it, with OIDC_FAULT set, and its report.json is read back.
/// </summary>
[TestFixture, Category("InteropFaults"), Category("SuiteProcess"), NonParallelizable] // SuiteProcess: not part of `./run.sh test --fast`
public sealed class InteropFaultTests
{
    /// <summary>One fault of the catalog and the interop cells it must turn Broken (check id, pattern of the library's own message).</summary>
    public sealed record InteropKill(string Fault, (string Check, string Pattern)[] Broken, string Name);

    /// <summary>fault → (cell check id, pattern of the library's own message) that must be Broken; the mutation report counts these kills.</summary>
    public static readonly IReadOnlyList<InteropKill> Kills =
    [
        new("id-token-wrong-aud", new[]
        {
            ("interop.aspnetcore.id-token", "IDX10214"),
            ("interop.openid-client.id-token", "OAUTH_JWT_CLAIM_COMPARISON_FAILED.*aud"),
            // The fault edits the token endpoint's ID token: the hybrid rows accept the front-channel one, then refuse this one.
            ("interop.aspnetcore-hybrid.id-token", "IDX10214"),
            ("interop.openid-client-hybrid.id-token", "OAUTH_JWT_CLAIM_COMPARISON_FAILED.*aud"),
        }, "Fault id-token-wrong-aud breaks ID token validation in both libraries"),
        new("jwks-unrelated-key", new[]
        {
            ("interop.aspnetcore.id-token", "IDX10503|IDX10500|IDX10517"),
            ("interop.openid-client.id-token", "OAUTH_KEY_SELECTION_FAILED|signature"),
            ("interop.aspnetcore-hybrid.id-token", "IDX10503|IDX10500|IDX10517"),
            ("interop.openid-client-hybrid.id-token", "OAUTH_KEY_SELECTION_FAILED|signature"),
        }, "Fault jwks-unrelated-key breaks ID token validation in both libraries"),
        new("userinfo-sub-differs", new[]
        {
            ("interop.aspnetcore.userinfo", "IDX21338"),
            ("interop.openid-client.userinfo", "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED.*sub"),
            ("interop.aspnetcore-hybrid.userinfo", "IDX21338"),
            ("interop.openid-client-hybrid.userinfo", "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED.*sub"),
        }, "Fault userinfo-sub-differs breaks the userinfo step in both libraries"),
        // Only the hybrid rows see a front-channel ID token: the code rows keep working.
        new("c-hash-wrong", new[]
        {
            ("interop.aspnetcore-hybrid.id-token", "IDX21347"),
            ("interop.openid-client-hybrid.id-token", "c_hash"),
        }, "Fault c-hash-wrong breaks the hybrid rows' ID token validation in both libraries"),
    ];

    public static IEnumerable<TestCaseData> Faults() => Kills.Select(k => new TestCaseData(k.Fault, k.Broken).SetName(k.Name));

    [TestCaseSource(nameof(Faults))]
    public async Task Fault_turns_the_expected_interop_cell_broken_with_the_library_message(string fault, (string Check, string Pattern)[] broken)
    {
        FaultCatalog.All.Should().Contain(f => f.Name == fault, "the fault comes from the catalog");
        var run = await SuiteProcess.RunAsync(new Dictionary<string, string> { [FaultProxy.EnvironmentVariable] = fault }, "Category=Interop", TimeSpan.FromMinutes(4));
        var report = ReportFile.Load(Path.Combine(run.ArtifactsDirectory, "report.json"));
        report.SetupError.Should().BeNull(run.Output);
        var cells = report.Interop.ToDictionary(c => c.Check);
        var table = string.Join("\n", report.Interop.Select(c => $"{c.Check}: {c.Status} — {c.Detail}"));
        foreach (var (check, pattern) in broken)
        {
            cells.Should().ContainKey(check, table);
            cells[check].Status.Should().Be("Broken", table);
            cells[check].Detail.Should().MatchRegex(new Regex(pattern, RegexOptions.IgnoreCase), $"the library's own message for {check}; {table}");
        }
        // The steps before the broken one still work: the fault broke that step, not the run.
        foreach (var library in new[] { "aspnetcore", "openid-client" })
        {
            cells[$"interop.{library}.discovery"].Status.Should().Be("Works", table);
            cells[$"interop.{library}.login"].Status.Should().Be("Works", table);
            cells[$"interop.{library}-hybrid.login"].Status.Should().Be("Works", table);
        }
        report.Interop.Should().NotContain(c => c.Status == "Error", table);
        // Only the expected cells break: a later step is Not reached (or works), never blamed on the provider.
        report.Interop.Where(c => c.Status == "Broken").Select(c => c.Check).Should().BeEquivalentTo(broken.Select(b => b.Check), table);
    }
}
