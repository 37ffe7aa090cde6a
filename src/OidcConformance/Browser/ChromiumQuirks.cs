using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// How Chromium (through Playwright) reports what a provider did, where that differs from what happened: a provider's answer
/// reported as a navigation error, a provider's own redirect reported as an interrupted navigation, a late error page of an
/// earlier attempt. The authorize and logout loops ask here, so that they read as protocol steps.
/// </summary>
public static class ChromiumQuirks
{
    /// <summary>Chromium's own error page (a navigation that failed in the network) has this scheme.</summary>
    public const string ErrorPageScheme = "chrome-error://";

    /// <summary>A Playwright message of a navigation that failed in the network (or was answered without content, see <see cref="EmptyErrorResponse"/>).</summary>
    public static bool IsNetworkError(string message) => message.Contains("net::ERR_", StringComparison.Ordinal);

    /// <summary>
    /// Navigates (until commit). A page reused from an earlier attempt may still be committing Chromium's error page for that
    /// attempt's failed navigation (an empty-bodied HTTP error, net::ERR_HTTP_RESPONSE_CODE_FAILURE); that late commit interrupts
    /// this navigation, which is then started again. Once the request went out, Playwright may also report the provider's own
    /// redirect (e.g. to its login page) as an interruption: the navigation is under way and the page wait that follows sees it.
    /// </summary>
    public static async Task GotoAsync(IPage page, string url)
    {
        var options = new PageGotoOptions { WaitUntil = WaitUntilState.Commit };
        var state = Http.FormCodec.Parse(new Uri(url).Query.TrimStart('?')).FirstOrDefault(p => p.Key == "state").Value;
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await page.GotoAsync(url, options);
                return;
            }
            catch (PlaywrightException e) when (InterruptingNavigation(e) is { } target && attempt < 3)
            {
                if (OwnRedirect(target, state)) return;
            }
        }
    }

    /// <summary>The URL of the navigation that interrupted a goto, from Playwright's message.</summary>
    public static string? InterruptingNavigation(PlaywrightException e)
    {
        const string marker = "is interrupted by another navigation to \"";
        var at = e.Message.IndexOf(marker, StringComparison.Ordinal);
        if (at < 0) return null;
        var start = at + marker.Length;
        var end = e.Message.IndexOf('"', start);
        return end < 0 ? e.Message[start..] : e.Message[start..end];
    }

    /// <summary>An interrupting navigation that is this request's own continuation: not an error page, and it carries the request's state.</summary>
    public static bool OwnRedirect(string target, string? state) =>
        !target.StartsWith(ErrorPageScheme, StringComparison.Ordinal) && !string.IsNullOrEmpty(state) && target.Contains(state, StringComparison.Ordinal);

    /// <summary>
    /// Chromium fails a navigation with net::ERR_HTTP_RESPONSE_CODE_FAILURE when the server answered with an HTTP error status
    /// and an empty body: the provider did answer (an error page without content), so this is not a network failure.
    /// </summary>
    public static string? EmptyErrorResponse(PlaywrightException e) =>
        e.Message.Contains("net::ERR_HTTP_RESPONSE_CODE_FAILURE", StringComparison.Ordinal)
            ? "HTTP error status with an empty body (" + FirstLine(e.Message) + ")"
            : null;

    public static string FirstLine(string s) => s.Split('\n')[0];
}
