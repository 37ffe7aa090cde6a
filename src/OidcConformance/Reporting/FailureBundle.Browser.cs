using OidcConformance.Browser;
using OidcConformance.Http;

namespace OidcConformance.Reporting;

public static partial class FailureBundle
{
    /// <summary>
    /// Adds the browser evidence of the sessions a check used (screenshot[-N].png, trace[-N].zip, see <see cref="BrowserEvidence"/>)
    /// of <paramref name="scope"/> to the bundle whose verdict.md is <paramref name="verdictFile"/>, with a section in verdict.md that lists them. Returns
    /// the files added. Never throws: what could not be captured is noted in verdict.md.
    /// </summary>
    public static async Task<IReadOnlyList<string>> AddBrowserEvidenceAsync(string verdictFile, CheckScope scope)
    {
        var userAgents = scope.UserAgents;
        if (userAgents.Count == 0) return [];
        IReadOnlyList<string> files = [];
        string section;
        try
        {
            (files, section) = await BrowserEvidence.CaptureAsync(userAgents, Path.GetDirectoryName(verdictFile)!, scope);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            section = $"## Browser evidence\n\nNot captured: {e.GetType().Name}: {e.Message}\n";
        }
        try { File.AppendAllText(verdictFile, "\n" + Redactor.Redact(section)); }
        catch (IOException) { }
        return files;
    }
}
