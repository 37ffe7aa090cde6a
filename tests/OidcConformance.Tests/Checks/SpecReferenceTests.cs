using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Reporting;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// Issue #16: every check cites its requirement as structured references to documents with one canonical name each,
/// and the reports link each reference to the section of the published document.
/// </summary>
public class SpecReferenceTests
{
    private static IEnumerable<CheckDefinition> Catalog => CheckCatalog.All;

    [Test]
    public void Every_check_has_references_to_known_documents_with_a_section()
    {
        foreach (var check in Catalog)
        {
            check.References.Should().NotBeEmpty($"{check.Id} must cite where its requirement is written");
            foreach (var r in check.References)
            {
                SpecDocuments.IsKnown(r.Document).Should().BeTrue($"{check.Id} cites {r.Document}, which has no name and URL");
                r.Section.Should().NotBeNullOrWhiteSpace($"{check.Id} must name the section of {r.DocumentName}");
                r.Section.Should().NotStartWith("§", $"{check.Id}: the section is data, the § is added when it is displayed");
                if (r.Clause is not null) r.Clause.Should().NotBeNullOrWhiteSpace($"{check.Id}: an empty clause is null");
            }
        }
    }

    [Test]
    public void Every_document_has_one_canonical_name_and_an_https_url()
    {
        var names = SpecDocuments.All.Select(SpecDocuments.Name).ToList();
        names.Should().OnlyHaveUniqueItems();
        Enum.GetValues<SpecDocument>().Should().BeEquivalentTo(SpecDocuments.All, "every member of SpecDocument has a name and a URL");
        foreach (var d in SpecDocuments.All)
            new Uri(SpecDocuments.Url(d)).Scheme.Should().Be("https", $"{SpecDocuments.Name(d)} must link to its published https URL");
        names.Should().Contain(["OpenID Connect Core 1.0", "OpenID Connect Discovery 1.0", "OpenID Connect RP-Initiated Logout 1.0",
            "OAuth 2.0 Multiple Response Type Encoding Practices", "OAuth 2.0 Form Post Response Mode", "RFC 6749", "Fetch Standard"]);
    }

    /// <summary>
    /// No free-text citation is left: a note (grading rationale) may refer to a section of the same document ("§5.4"),
    /// but a document named with a section is a reference and belongs in <see cref="CheckDefinition.References"/>.
    /// The old aliases ("OIDC Core 1.0", "OIDC Discovery 1.0", "OIDC RP-Initiated Logout 1.0") appear nowhere.
    /// </summary>
    [Test]
    public void No_free_text_citation_remains()
    {
        var citation = new Regex(@"\b(RFC \d{4}|OpenID Connect [\w-]+( [\d.]+)?|OIDC [\w-]+( [\d.]+)?|OAuth 2\.0 [\w -]+|Fetch Standard|NIST SP [\w-]+|JARM|Form Post)\s+§\s?\d");
        var alias = new Regex(@"\bOIDC (Core|Discovery|RP-Initiated Logout) 1\.0\b");
        foreach (var check in Catalog)
        {
            if (check.Note is { } note)
                citation.IsMatch(note).Should().BeFalse($"{check.Id}'s note cites a document with a section; make it a reference: {note}");
            alias.IsMatch(check.Spec).Should().BeFalse($"{check.Id} uses a non-canonical document name: {check.Spec}");
        }
    }

    [Test]
    public void Oidf_modules_are_conformance_suite_module_names()
    {
        foreach (var check in Catalog)
            foreach (var m in check.OidfModules)
                m.Should().MatchRegex("^oidcc-[a-z0-9-]+$", $"{check.Id} names an OIDF module by its test name");
    }

    [Test]
    public void Urls_follow_each_publishers_anchor_rule()
    {
        new SpecReference(SpecDocument.Rfc6749, "4.1.2.1").Url.Should().Be("https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1");
        new SpecReference(SpecDocument.OpenIdConnectCore, "3.1.2.1").Url.Should().Be("https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.2.1");
        new SpecReference(SpecDocument.FetchStandard, "4.9").Url.Should().Be("https://fetch.spec.whatwg.org/", "a living standard has no stable numeric anchor");
        new SpecReference(SpecDocument.CasdoorApi, "GET /api/get-account").Url.Should().Be("https://door.casdoor.com/swagger/");
    }

    [Test]
    public void Display_groups_consecutive_references_to_one_document()
    {
        var check = new CheckDefinition("x.y", "t", "a", [
            new(SpecDocument.Rfc6749, "3.1.2.4"), new(SpecDocument.Rfc6749, "4.1.2.1", "\"MUST NOT automatically redirect\""),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1"),
        ], RequirementLevel.Must) { Note = "why MUST" };
        check.Spec.Should().Be("RFC 6749 §3.1.2.4, §4.1.2.1 (\"MUST NOT automatically redirect\"); OpenID Connect Core 1.0 §3.1.2.1. why MUST");
    }

    [Test]
    public void Reports_link_each_section_to_the_published_document()
    {
        var check = AuthorizationEndpointChecks.RedirectUriUnregistered;
        var html = System.Net.WebUtility.HtmlDecode(SpecLinks.Html(check)); // the encoder writes § as &#167;
        html.Should().Contain("<a href=\"https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.4\">RFC 6749 §3.1.2.4</a>")
            .And.Contain("<a href=\"https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1\">§4.1.2.1</a> (\"MUST NOT automatically redirect\")")
            .And.Contain("<a href=\"https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.2.1\">OpenID Connect Core 1.0 §3.1.2.1</a>");
        var md = SpecLinks.Markdown(check, s => s.Replace("|", "\\|"));
        md.Should().Be("[RFC 6749 §3.1.2.4](https://www.rfc-editor.org/rfc/rfc6749#section-3.1.2.4), " +
                       "[§4.1.2.1](https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1) (\"MUST NOT automatically redirect\"); " +
                       "[OpenID Connect Core 1.0 §3.1.2.1](https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.2.1)");
    }

    [Test]
    public void Report_json_carries_the_structured_references()
    {
        var dir = Directory.CreateTempSubdirectory("spec-refs-").FullName;
        var report = new RunReport(dir, new RunInfo("p", "1", "http://issuer", "profile.json", "chromium"));
        report.Add(AuthorizationEndpointChecks.PostRequest.Pass("POST accepted"));
        report.Complete();
        var json = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(report.JsonPath))!;
        var result = json["results"]![0]!;
        result["spec"]!.GetValue<string>().Should().StartWith("OpenID Connect Core 1.0 §3.1.2.1");
        var first = result["references"]![0]!;
        first["document"]!.GetValue<string>().Should().Be("OpenID Connect Core 1.0");
        first["section"]!.GetValue<string>().Should().Be("3.1.2.1");
        first["url"]!.GetValue<string>().Should().Be("https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.2.1");
        first["clause"]!.GetValue<string>().Should().Contain("MUST support the use of the HTTP GET and POST methods");
        result["oidfModules"]![0]!.GetValue<string>().Should().Be("oidcc-ensure-post-request-succeeds");
        File.ReadAllText(report.HtmlPath).Should().Contain("href=\"https://openid.net/specs/openid-connect-core-1_0.html#rfc.section.3.1.2.1\"");
    }
}
