using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Interop;
using OidcConformance.Migration;
using OidcConformance.Reporting;
using OidcConformance.Tests.Reporting;

namespace OidcConformance.Tests.Interop;

/// <summary>The "Relying-party interop" section of report.json/md/html, read back, and in the migration diff.</summary>
public sealed class InteropReportTests
{
    [Test]
    public void Migration_diff_between_node_oidc_provider_and_glewlwyd_lists_the_interop_differences()
    {
        // Recorded interop runs (`--filter Category=Interop`) of node-oidc-provider 9.13.3 and glewlwyd 2.7.5.
        var diff = MigrationDiff.Compare(SavedReports.Load(SavedReports.NodeInterop), SavedReports.Load(SavedReports.GlewlwydInterop));
        diff.InteropChanges.Should().Contain(c => c.Library == "openid-client" && c.Step == "login" && c.A == "Works" && c.B == "Broken"
            && c.BDetail!.Contains("unauthorized_client"), "openid-client's token request is refused by glewlwyd (fixtures/providers/glewlwyd/README.md)");
        diff.Headline[0].Should().StartWith("**on glewlwyd 2.7.5, openid-client fails at login and code exchange**");
        diff.ToMarkdown().Should().Contain("## Relying-party interop").And.Contain("unauthorized_client");
        var json = JsonNode.Parse(diff.ToJson())!;
        json["interopChanges"]!.AsArray().Should().Contain(c => (string?)c!["library"] == "openid-client" && (string?)c["b"] == "Broken");
        // The hybrid rows (form_post): openid-client refuses glewlwyd's doubly encoded iss (README deviation 21), ASP.NET Core's handler works on both.
        diff.InteropChanges.Should().Contain(c => c.Library == "openid-client-hybrid" && c.Step == "id-token" && c.A == "Works" && c.B == "Broken"
            && c.BDetail!.Contains("unexpected \"iss\""), "glewlwyd percent-encodes iss twice in its form_post response");
        diff.ToMarkdown().Should().Contain("openid-client, hybrid (code id_token)");
        // The cells that work on both are not differences.
        diff.InteropChanges.Should().NotContain(c => c.Library == "aspnetcore" && c.Step == "id-token");
        diff.InteropChanges.Should().NotContain(c => c.Library == "aspnetcore-hybrid");
    }

    [Test]
    public void Report_writes_the_interop_matrix_to_json_markdown_and_html_redacted()
    {
        var dir = Directory.CreateTempSubdirectory("interop-report-").FullName;
        var secret = "interop-secret-" + Guid.NewGuid().ToString("N");
        Redactor.Register(secret, "test secret");
        var report = new RunReport(dir, new RunInfo("p", "1", "http://issuer", "profile.json", "chromium"));
        report.Add(InteropChecks.Evaluate(InteropChecks.AspNetCoreDiscovery, new InteropCell("discovery", InteropStatus.Works, "issuer x; 1 signing key(s)")));
        report.Add(InteropChecks.Evaluate(InteropChecks.AspNetCoreIdToken,
            new InteropCell("id-token", InteropStatus.Broken, $"SecurityTokenInvalidAudienceException: IDX10214: Audience validation failed ({secret})")));
        report.Add(InteropChecks.Evaluate(InteropChecks.OpenIdClientIntrospection, new InteropCell("introspection", InteropStatus.NotOffered, "the profile says so")));
        report.Add(InteropChecks.Evaluate(InteropChecks.OpenIdClientRefresh, new InteropCell("refresh", InteropStatus.NotReached, "login broke")));
        report.Complete();

        var text = File.ReadAllText(report.JsonPath);
        text.Should().NotContain(secret);
        var back = ReportFile.Load(report.JsonPath);
        back.Interop.Select(c => (c.Check, c.Status)).Should().BeEquivalentTo(new[]
        {
            ("interop.aspnetcore.discovery", "Works"), ("interop.aspnetcore.id-token", "Broken"),
            ("interop.openid-client.introspection", "Not offered"), ("interop.openid-client.refresh", "Not reached"),
        });
        back.Interop.Single(c => c.Status == "Broken").Detail.Should().StartWith("SecurityTokenInvalidAudienceException: IDX10214");
        back.Results.Single(r => r.Id == "interop.aspnetcore.id-token").Verdict.Should().Be("Warning", "a Broken cell is a Warning (SHOULD), never a Failed verdict");

        var md = File.ReadAllText(report.MarkdownPath);
        md.Should().Contain("## Relying-party interop").And.Contain("❌ Broken").And.Contain("IDX10214").And.NotContain(secret);
        var html = File.ReadAllText(report.HtmlPath);
        html.Should().Contain("id=\"interop\"").And.Contain("IDX10214").And.NotContain(secret);
    }

    [Test]
    public void Hybrid_rows_are_columns_of_their_own_with_their_step_titles()
    {
        var dir = Directory.CreateTempSubdirectory("interop-report-").FullName;
        var report = new RunReport(dir, new RunInfo("p", "1", "http://issuer", "profile.json", "chromium"));
        report.Add(InteropChecks.Evaluate(InteropChecks.AspNetCoreLogin, new InteropCell("login", InteropStatus.Works, "code redeemed")));
        report.Add(InteropChecks.Evaluate(InteropChecks.AspNetCoreHybridIdToken,
            new InteropCell("id-token", InteropStatus.Broken, "OpenIdConnectProtocolInvalidCHashException: IDX21347: Validating the 'c_hash' failed")));
        report.Add(InteropChecks.Evaluate(InteropChecks.OpenIdClientHybridLogin, new InteropCell("login", InteropStatus.NotOffered, InteropLibraries.HybridNotOffered)));
        report.Complete();

        var back = ReportFile.Load(report.JsonPath);
        back.Interop.Select(c => (c.Library, c.Step, c.Status)).Should().BeEquivalentTo(new[]
        {
            ("aspnetcore", "login", "Works"), ("aspnetcore-hybrid", "id-token", "Broken"), ("openid-client-hybrid", "login", "Not offered"),
        });
        var md = File.ReadAllText(report.MarkdownPath);
        md.Should().Contain($"| {InteropLibraries.AspNetCoreHybrid.Name} |").And.Contain("Hybrid columns:")
            .And.Contain($"**{InteropLibraries.AspNetCoreHybrid.Name}**, {InteropChecks.HybridSteps[1].Title} — Broken: OpenIdConnectProtocolInvalidCHashException: IDX21347");
        File.ReadAllText(report.HtmlPath).Should().Contain("Hybrid columns:").And.Contain("IDX21347");
    }

    [Test]
    public void A_run_without_interop_executions_has_no_interop_section()
    {
        var dir = Directory.CreateTempSubdirectory("interop-report-").FullName;
        var report = new RunReport(dir, new RunInfo("p", "1", "http://issuer", "profile.json", "chromium"));
        report.Add(EndToEndChecks.SeedArticleFlow.Pass("ok"));
        report.Complete();
        JsonNode.Parse(File.ReadAllText(report.JsonPath))!["interop"].Should().BeNull();
        File.ReadAllText(report.MarkdownPath).Should().NotContain("Relying-party interop");
    }
}
