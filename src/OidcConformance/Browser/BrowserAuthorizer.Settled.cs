using Microsoft.Playwright;
using OidcConformance.Protocol;

namespace OidcConformance.Browser;

/// <summary>
/// The parts of an authorization attempt that decide on a settled page instead of waiting out the deadline: the driver's
/// settle watch, the error shown right after the consent / "Continue with" click, a blank provider page, and a redirect
/// the browser could not follow.
/// </summary>
public sealed partial class BrowserAuthorizer
{
    /// <summary>The longest a visible login or consent page may take to settle (Casdoor: /api/get-account answered in
    /// well under a second in the recorded run; 10 s is a broken page, not a slow one).</summary>
    public static readonly TimeSpan SettleTimeout = TimeSpan.FromSeconds(10);

    /// <summary>How long a loaded provider page must be quiet (no request in flight) with nothing recognizable on it before it
    /// counts as blank. A single-page app renders within a frame of its last answer; 1 s leaves a wide margin and keeps the
    /// decision within 5 s of the load (Recorded/casdoor-3.158.0/pages/07 took 40 s to wait out before).</summary>
    public static readonly TimeSpan BlankPageQuiet = TimeSpan.FromSeconds(1);

    private const string RedirectFailedPage = "redirect-failed";
    private const string BlankPagePrefix = "blank:";

    private static async Task<bool> SettledAsync(IPageWatch watch, DateTime deadline)
    {
        var until = Min(deadline, DateTime.UtcNow + SettleTimeout);
        // Polling a watch that only reads recorded state and one locator: a few milliseconds apart is cheap and the race it
        // closes is 22–56 ms wide (Recorded/casdoor-3.158.0 README, "The race, measured").
        while (true)
        {
            if (await watch.IsSettledAsync()) return true;
            if (DateTime.UtcNow >= until) return false;
            await Task.Delay(15);
        }
    }

    private static DateTime Min(DateTime a, DateTime b) => a < b ? a : b;

    /// <summary>The kind the page shows now, in the same precedence as the wait (callback first), or null.</summary>
    private async Task<string?> VisibleKindAsync(IPage page)
    {
        try
        {
            if (await page.Locator($"#{Callback.CallbackListener.PageMarkerId}").First.IsVisibleAsync()) return "callback";
            foreach (var kind in new[] { ProviderPage.Login, ProviderPage.Consent, ProviderPage.Error })
                if (await Driver.Locate(page, kind).First.IsVisibleAsync()) return kind.ToString();
        }
        catch (PlaywrightException) { } // navigating right now
        return null;
    }

    /// <summary>How long an error shown after the approval must stay, with no navigation started, to be the provider's refusal.</summary>
    public static readonly TimeSpan RefusalConfirmation = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// After the consent approval or the "Continue with" click: the page goes away (a navigation), or an error shows while the
    /// page stays (Casdoor's toast "Failed to sign in: Challenge method should be S256", Recorded/casdoor-3.158.0/pages/05).
    /// The error is read as soon as it shows, not waited out. It counts only when it was not there before the approval, the
    /// approval page is still shown <see cref="RefusalConfirmation"/> later and no navigation started since the click (a
    /// notice left over from the approval itself, while the browser moves on, is no refusal). Returns its text, or null.
    /// </summary>
    private async Task<string?> AfterApproveAsync(IPage page, DateTime deadline, bool errorBefore, int navigationsBefore, AttemptTraffic traffic)
    {
        var ms = (float)Math.Max(1000, (deadline - DateTime.UtcNow).TotalMilliseconds);
        var gone = Driver.Locate(page, ProviderPage.Consent).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = ms });
        if (errorBefore)
        {
            await Observe(gone);
            return null;
        }
        var error = Driver.Locate(page, ProviderPage.Error).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = ms });
        var first = await Task.WhenAny(gone, error);
        _ = (first == gone ? error : gone).ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        if (first != error || !error.IsCompletedSuccessfully) return null;
        var confirm = DateTime.UtcNow + RefusalConfirmation;
        while (DateTime.UtcNow < confirm)
        {
            if (traffic.NavigationsStarted != navigationsBefore) return null;
            await Task.Delay(25);
        }
        try
        {
            if (traffic.NavigationsStarted != navigationsBefore || !await Driver.Locate(page, ProviderPage.Consent).First.IsVisibleAsync()) return null;
            return await Driver.ReadMessageAsync(page);
        }
        catch (PlaywrightException) { return null; } // the error went with a navigation: the loop sees the next page
    }

    private async Task<bool> ErrorVisibleAsync(IPage page)
    {
        try { return await Driver.Locate(page, ProviderPage.Error).First.IsVisibleAsync(); }
        catch (PlaywrightException) { return false; }
    }

    private static async Task Observe(Task wait)
    {
        try { await wait; }
        catch (TimeoutException) { }
    }

    /// <summary>
    /// The provider sent the browser away with its answer and the browser could not load the target: the URL it was sent
    /// to (with its code, state or error) is what the provider did, so the attempt is decided now, as a redirect.
    /// </summary>
    private static AuthorizationOutcome UnreachableRedirect(string url, string failure, bool submitted, bool consent,
        IReadOnlyList<ProviderPage> met, System.Diagnostics.Stopwatch clock)
    {
        var uri = new Uri(url);
        var response = new AuthorizationResponse(ResponseLocation.Query, Http.FormCodec.Parse(uri.Query.TrimStart('?')), uri);
        return new AuthorizationOutcome(AuthorizationEnd.Redirected, uri.AbsolutePath)
        {
            Response = response, CredentialsSubmitted = submitted, ConsentShown = consent, FinalUrl = url, Duration = clock.Elapsed,
            PagesMet = met, TargetUnreachable = ChromiumQuirks.FirstLine(failure),
        };
    }

    private static async Task<string> PageTextNoteAsync(IPage page)
    {
        try
        {
            var text = System.Text.RegularExpressions.Regex.Replace(
                await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 1000 }), @"\s+", " ").Trim();
            return $"; page text: '{Http.Redactor.Redact(text.Length > 120 ? text[..120] + "…" : text)}'";
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { return ""; }
    }
}
