using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Migration;
using OidcConformance.Reporting;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// The migration diff between two real Casdoor releases (Recorded/casdoor-3.90.0 and Recorded/casdoor-3.158.0, same
/// suite, same fixture): it lists exactly the ten executions whose verdict changed, each traced to a change Casdoor made
/// between the releases (Recorded/casdoor-3.90.0/README.md).
/// </summary>
[TestFixture, Category("Casdoor")]
public sealed class CasdoorMigrationTests
{
    private static ReportFile Recorded(string version) =>
        ReportFile.Load(Path.Combine(AppContext.BaseDirectory, "Recorded", $"casdoor-{version}", "report.json"));

    private const string AllApps = "app-conformance,app-conformance-2,app-conformance-public";

    /// <summary>check, case, verdict on 3.90.0, verdict on 3.158.0 — and Casdoor's change behind it.</summary>
    private static readonly (string Check, string? Case, string From, string To, string Why)[] Expected =
    [
        ("casdoor.app-discovery-issuer-matches-tokens", "app-conformance", "Failed", "Passed", "per-app issuer aligned with iss (casdoor#5582, v3.94.0)"),
        ("casdoor.app-discovery-issuer-matches-tokens", "app-conformance-2", "Failed", "Passed", "casdoor#5582"),
        ("casdoor.app-discovery-issuer-matches-tokens", "app-conformance-public", "Failed", "Passed", "casdoor#5582"),
        ("discovery.app-id-token-iss", AllApps, "Failed", "Passed", "casdoor#5582"),
        ("discovery.app-issuer", AllApps, "Failed", "Passed", "casdoor#5582"),
        ("logout.client-id-without-hint-no-silent-redirect", null, "Passed", "Warning", "logout without id_token_hint accepted (casdoor#5607, v3.99.0)"),
        ("refresh.bound-to-client", "confidential token, presented by clients.secondConfidential", "Failed", "Passed", "refresh token bound to its client (casdoor PR #5744)"),
        ("refresh.bound-to-client", "public token, presented by clients.secondConfidential", "Failed", "Passed", "casdoor PR #5744"),
        ("refresh.reuse-revokes-active-token", "confidential", "Inconclusive", "Warning", "follows from refresh.bound-to-client"),
        ("refresh.reuse-revokes-active-token", "public", "Inconclusive", "Warning", "follows from refresh.bound-to-client"),
    ];

    [Test]
    public void The_diff_from_3_90_0_to_3_158_0_lists_exactly_the_ten_changed_verdicts()
    {
        var diff = MigrationDiff.Compare(Recorded("3.90.0"), Recorded("3.158.0"));
        diff.VerdictChanges.Select(c => (c.Check, c.Case, c.A, c.B)).Should()
            .BeEquivalentTo(Expected.Select(e => (e.Check, e.Case, (string?)e.From, (string?)e.To)));
        var markdown = diff.ToMarkdown();
        foreach (var e in Expected) markdown.Should().Contain(e.Check, e.Why);
    }

    [Test]
    public void The_diff_of_a_release_with_itself_lists_no_verdict_change() =>
        MigrationDiff.Compare(Recorded("3.158.0"), Recorded("3.158.0")).VerdictChanges.Should().BeEmpty();
}
