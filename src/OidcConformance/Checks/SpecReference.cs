namespace OidcConformance.Checks;

/// <summary>
/// The documents the catalog cites, one member per document, so that one document has one name in every report
/// (before #16 both "OIDC Core 1.0" and "OpenID Connect Core 1.0" occurred). <see cref="SpecDocuments"/> holds each
/// one's canonical name and published URL.
/// </summary>
public enum SpecDocument
{
    OpenIdConnectCore,
    OpenIdConnectDiscovery,
    OpenIdConnectRpInitiatedLogout,
    OAuthMultipleResponseTypes,
    OAuthFormPostResponseMode,
    Jarm,
    Rfc6749,
    Rfc6750,
    Rfc7009,
    Rfc7515,
    Rfc7517,
    Rfc7518,
    Rfc7519,
    Rfc7636,
    Rfc7662,
    Rfc8037,
    Rfc8252,
    Rfc8414,
    Rfc8693,
    Rfc8725,
    Rfc9068,
    Rfc9207,
    Rfc9700,
    FetchStandard,
    OAuthBrowserBasedApps,
    NistSp800_63B,
    CasdoorApi,
    // client authentication with JWTs, the JWT bearer grant, dynamic registration (issue #12)
    Rfc7521,
    Rfc7523,
    Rfc7591,
    Rfc7592,
    OpenIdConnectDynamicRegistration,
    // device
    Rfc8628,
    // resource
    Rfc8707,
    // dpop
    Rfc9449,
    // backchannel
    OpenIdConnectBackChannelLogout,
}

/// <summary>
/// One place a requirement is written: a document, a section of it ("3.1.2.1", or a non-numbered part such as
/// "GET /api/get-account" for an API description) and, where there is one, the clause that matters here (a quotation
/// or the gist of the sentence, as the check's author wrote it).
/// </summary>
public sealed record SpecReference(SpecDocument Document, string Section, string? Clause = null)
{
    /// <summary>Canonical name of the document, e.g. "OpenID Connect Core 1.0" or "RFC 6749".</summary>
    public string DocumentName => SpecDocuments.Name(Document);

    /// <summary>Link to the section in the published document, or to the document where its sections have no numeric anchor.</summary>
    public string Url => SpecDocuments.SectionUrl(Document, Section);

    /// <summary>"§3.1.2.1 (clause)" without the document name; "§" only for numbered sections.</summary>
    public string SectionText => (SpecDocuments.IsNumbered(Section) ? "§" : "") + Section + (Clause is null ? "" : $" ({Clause})");

    public override string ToString() => $"{DocumentName} {SectionText}";

    /// <summary>
    /// The display form of a list of references, as the reports and baselines have always shown it: consecutive references
    /// to one document share its name ("RFC 6749 §3.1, §4.1.2.1; OpenID Connect Core 1.0 §3.1.2.1").
    /// </summary>
    public static string Display(IReadOnlyList<SpecReference> references)
    {
        var groups = new List<string>();
        for (var i = 0; i < references.Count;)
        {
            var doc = references[i].Document;
            var sections = new List<string>();
            for (; i < references.Count && references[i].Document == doc; i++) sections.Add(references[i].SectionText);
            groups.Add($"{SpecDocuments.Name(doc)} {string.Join(", ", sections)}");
        }
        return string.Join("; ", groups);
    }
}

/// <summary>
/// Canonical names and published URLs of the cited documents, with the anchor rule of each publisher:
/// - RFCs: the RFC Editor's HTML, whose sections have ids "section-N" (https://www.rfc-editor.org/rfc/rfc6749#section-4.1.2.1);
/// - openid.net specifications (OpenID Connect, the OAuth 2.0 response-mode specifications, JARM): xml2rfc HTML whose
///   numbered sections have ids "rfc.section.N" (e.g. openid-connect-core-1_0.html#rfc.section.3.1.2.1), the form
///   in which code and docs across the ecosystem link them (beside named anchors such as "IDToken" that differ per section);
/// - the Fetch Standard (a living standard, renumbered as it changes), NIST SP 800-63B and the Casdoor API have no
///   stable numeric anchors: the link goes to the document and the section is said in the text.
/// </summary>
public static class SpecDocuments
{
    private sealed record Info(string Name, string Url, Func<string, string>? Anchor);

    private static string RfcAnchor(string section) => $"#section-{section}";
    private static string OpenIdAnchor(string section) => $"#rfc.section.{section}";

    private static Info Rfc(int number) => new($"RFC {number}", $"https://www.rfc-editor.org/rfc/rfc{number}", RfcAnchor);

    private static readonly IReadOnlyDictionary<SpecDocument, Info> documents = new Dictionary<SpecDocument, Info>
    {
        [SpecDocument.OpenIdConnectCore] = new("OpenID Connect Core 1.0", "https://openid.net/specs/openid-connect-core-1_0.html", OpenIdAnchor),
        [SpecDocument.OpenIdConnectDiscovery] = new("OpenID Connect Discovery 1.0", "https://openid.net/specs/openid-connect-discovery-1_0.html", OpenIdAnchor),
        [SpecDocument.OpenIdConnectRpInitiatedLogout] = new("OpenID Connect RP-Initiated Logout 1.0", "https://openid.net/specs/openid-connect-rpinitiated-1_0.html", OpenIdAnchor),
        [SpecDocument.OAuthMultipleResponseTypes] = new("OAuth 2.0 Multiple Response Type Encoding Practices", "https://openid.net/specs/oauth-v2-multiple-response-types-1_0.html", OpenIdAnchor),
        [SpecDocument.OAuthFormPostResponseMode] = new("OAuth 2.0 Form Post Response Mode", "https://openid.net/specs/oauth-v2-form-post-response-mode-1_0.html", OpenIdAnchor),
        [SpecDocument.Jarm] = new("JWT Secured Authorization Response Mode for OAuth 2.0 (JARM)", "https://openid.net/specs/oauth-v2-jarm.html", OpenIdAnchor),
        [SpecDocument.Rfc6749] = Rfc(6749),
        [SpecDocument.Rfc6750] = Rfc(6750),
        [SpecDocument.Rfc7009] = Rfc(7009),
        [SpecDocument.Rfc7515] = Rfc(7515),
        [SpecDocument.Rfc7517] = Rfc(7517),
        [SpecDocument.Rfc7518] = Rfc(7518),
        [SpecDocument.Rfc7519] = Rfc(7519),
        [SpecDocument.Rfc7636] = Rfc(7636),
        [SpecDocument.Rfc7662] = Rfc(7662),
        [SpecDocument.Rfc8037] = Rfc(8037),
        [SpecDocument.Rfc8252] = Rfc(8252),
        [SpecDocument.Rfc8414] = Rfc(8414),
        [SpecDocument.Rfc8693] = Rfc(8693),
        [SpecDocument.Rfc8725] = Rfc(8725),
        [SpecDocument.Rfc9068] = Rfc(9068),
        [SpecDocument.Rfc9207] = Rfc(9207),
        [SpecDocument.Rfc9700] = Rfc(9700),
        [SpecDocument.Rfc9449] = Rfc(9449),
        [SpecDocument.OpenIdConnectBackChannelLogout] = new("OpenID Connect Back-Channel Logout 1.0", "https://openid.net/specs/openid-connect-backchannel-1_0.html", OpenIdAnchor),
        [SpecDocument.FetchStandard] = new("Fetch Standard", "https://fetch.spec.whatwg.org/", null),
        // An IETF draft: its section numbers move between revisions, so the link is to the draft's page.
        [SpecDocument.OAuthBrowserBasedApps] = new("OAuth 2.0 for Browser-Based Applications (draft-ietf-oauth-browser-based-apps)", "https://datatracker.ietf.org/doc/draft-ietf-oauth-browser-based-apps/", null),
        [SpecDocument.NistSp800_63B] = new("NIST SP 800-63B", "https://pages.nist.gov/800-63-3/sp800-63b.html", null),
        // Casdoor's API is described by the Swagger document its server publishes (the demo instance's copy).
        [SpecDocument.CasdoorApi] = new("Casdoor API", "https://door.casdoor.com/swagger/", null),
        [SpecDocument.Rfc7521] = Rfc(7521),
        [SpecDocument.Rfc7523] = Rfc(7523),
        [SpecDocument.Rfc7591] = Rfc(7591),
        [SpecDocument.Rfc7592] = Rfc(7592),
        [SpecDocument.OpenIdConnectDynamicRegistration] = new("OpenID Connect Dynamic Client Registration 1.0", "https://openid.net/specs/openid-connect-registration-1_0.html", OpenIdAnchor),
        // device
        [SpecDocument.Rfc8628] = Rfc(8628),
        // resource
        [SpecDocument.Rfc8707] = Rfc(8707),
    };

    public static IEnumerable<SpecDocument> All => documents.Keys;

    public static bool IsKnown(SpecDocument document) => documents.ContainsKey(document);

    public static string Name(SpecDocument document) => documents[document].Name;

    public static string Url(SpecDocument document) => documents[document].Url;

    /// <summary>A numbered section: digits and dots ("4.1.2.1"), or an appendix letter ("A.1").</summary>
    public static bool IsNumbered(string section) => NumberedSection.IsMatch(section);

    private static readonly System.Text.RegularExpressions.Regex NumberedSection = new(@"^([0-9]+|[A-Z])(\.[0-9]+)*$");

    public static string SectionUrl(SpecDocument document, string section)
    {
        var info = documents[document];
        return info.Anchor is not null && IsNumbered(section) ? info.Url + info.Anchor(section) : info.Url;
    }
}
