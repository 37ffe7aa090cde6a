using System.Net;
using OidcConformance.Checks;

namespace OidcConformance.Reporting;

/// <summary>
/// A check's references as links to the sections of the published specifications, for the HTML and Markdown reports.
/// The text is the display form of <see cref="CheckDefinition.Spec"/> (consecutive references to one document share its
/// name); each section links to <see cref="SpecReference.Url"/>, and the note follows as plain text.
/// </summary>
public static class SpecLinks
{
    public static string Html(CheckDefinition check) =>
        Render(check, (text, url) => $"<a href=\"{WebUtility.HtmlEncode(url)}\">{WebUtility.HtmlEncode(text)}</a>", WebUtility.HtmlEncode);

    /// <param name="cell">escapes text for a Markdown table cell.</param>
    public static string Markdown(CheckDefinition check, Func<string, string> cell) =>
        Render(check, (text, url) => $"[{cell(text).Replace("[", "\\[").Replace("]", "\\]")}]({url})", cell);

    private static string Render(CheckDefinition check, Func<string, string, string> link, Func<string, string> text)
    {
        var groups = new List<string>();
        var refs = check.References;
        for (var i = 0; i < refs.Count;)
        {
            var doc = refs[i].Document;
            var parts = new List<string>();
            for (var first = true; i < refs.Count && refs[i].Document == doc; i++, first = false)
            {
                var r = refs[i];
                var section = (SpecDocuments.IsNumbered(r.Section) ? "§" : "") + r.Section;
                var label = first ? $"{r.DocumentName} {section}" : section;
                parts.Add(link(label, r.Url) + (r.Clause is null ? "" : text($" ({r.Clause})")));
            }
            groups.Add(string.Join(", ", parts));
        }
        return string.Join("; ", groups) + (check.Note is null ? "" : text($". {check.Note}"));
    }
}
