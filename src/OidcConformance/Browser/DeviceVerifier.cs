using Microsoft.Playwright;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Browser;

/// <summary>How the user's part of a device authorization ended in the browser (RFC 8628 §3.3).</summary>
public enum DeviceVerificationEnd { Approved, Denied, CodeRefused, LoginRejected, Stalled }

public sealed record DeviceVerificationOutcome(DeviceVerificationEnd End, string Detail)
{
    public IReadOnlyList<string> PagesMet { get; init; } = [];
    public TimeSpan Duration { get; init; }

    public string Describe() => $"{End}: {Detail} (pages: {string.Join(" → ", PagesMet)})";
}

/// <summary>
/// The user's side of the device authorization grant in one browser session: opens verification_uri, enters the user code,
/// approves or denies the device, and logs in / consents on the way with the profile's login driver
/// (<c>loginPages.deviceVerification</c>, docs/login-drivers.md). Waiting is event-driven with one deadline; no sleeps.
/// </summary>
public sealed class DeviceVerifier(ILoginDriver driver, DeviceVerificationPages pages, TimeSpan navigationTimeout)
{
    private const string Input = "user-code input", Confirm = "approve/deny", Login = "login", Consent = "consent",
        Success = "approved", Denied = "denied", Refused = "code refused", ProviderError = "provider error";

    /// <summary>The verifier of <paramref name="driver"/>, or null when its profile describes no user-code pages.</summary>
    public static DeviceVerifier? For(ILoginDriver driver, TimeSpan navigationTimeout) =>
        driver is DeclarativeLoginDriver { Pages.DeviceVerification: { } pages } ? new DeviceVerifier(driver, pages, navigationTimeout) : null;

    public async Task<DeviceVerificationOutcome> VerifyAsync(UserAgent ua, string verificationUri, string userCode, bool approve,
        (string Username, string Password) credentials)
    {
        Reporting.CheckScope.UsedUserAgent(ua);
        var page = ua.Page;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + navigationTimeout * 3;
        var met = new List<string>();
        bool codeSubmitted = false, decided = false, loggedIn = false;
        DeviceVerificationOutcome Done(DeviceVerificationEnd end, string detail) => new(end, detail) { PagesMet = met, Duration = clock.Elapsed };
        try
        {
            await page.GotoAsync(verificationUri, new PageGotoOptions { Timeout = (float)navigationTimeout.TotalMilliseconds });
            for (var step = 0; step < 10; step++)
            {
                var (name, locator) = await WaitForAnyAsync(page, deadline);
                if (name is null) return Done(DeviceVerificationEnd.Stalled, "no known page appeared before the deadline");
                met.Add(name);
                switch (name)
                {
                    case Success: return Done(DeviceVerificationEnd.Approved, "the provider confirmed the approval");
                    case Denied: return Done(DeviceVerificationEnd.Denied, "the provider confirmed the denial");
                    case Refused: return Done(DeviceVerificationEnd.CodeRefused, await TextAsync(locator!));
                    case ProviderError: return Done(codeSubmitted ? DeviceVerificationEnd.CodeRefused : DeviceVerificationEnd.Stalled, await driver.ReadMessageAsync(page));
                    case Input:
                        if (codeSubmitted) return Done(DeviceVerificationEnd.CodeRefused, "the user-code page was shown again after the code was submitted");
                        await page.Locator(pages.UserCode).First.FillAsync(userCode);
                        await page.Locator(pages.Submit).First.ClickAsync();
                        codeSubmitted = true;
                        break;
                    case Confirm:
                        if (decided) return Done(DeviceVerificationEnd.Stalled, "the approve/deny page was shown again");
                        var button = approve ? pages.Approve! : pages.Deny
                            ?? throw new Run.PrerequisiteException("the profile's loginPages.deviceVerification names no deny button (deny)");
                        await page.Locator(button).First.ClickAsync();
                        decided = true;
                        break;
                    case Login:
                        if (loggedIn) return Done(DeviceVerificationEnd.LoginRejected, await driver.ReadMessageAsync(page));
                        await driver.SubmitCredentialsAsync(page, credentials.Username, credentials.Password);
                        ua.LastLoginAt = DateTimeOffset.UtcNow;
                        loggedIn = true;
                        break;
                    case Consent:
                        await driver.ApproveConsentAsync(page);
                        break;
                }
                // The page acted on goes away before the next one is looked for (never act twice on one page).
                try
                {
                    var ms = (float)Math.Max(1000, (deadline - DateTime.UtcNow).TotalMilliseconds);
                    await locator!.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = ms });
                }
                catch (TimeoutException) { return Done(DeviceVerificationEnd.Stalled, $"the {name} page stayed after it was submitted"); }
            }
            return Done(DeviceVerificationEnd.Stalled, "too many pages");
        }
        catch (PlaywrightException e)
        {
            return Done(DeviceVerificationEnd.Stalled, "browser: " + e.Message.Split('\n')[0]);
        }
        catch (TimeoutException e)
        {
            return Done(DeviceVerificationEnd.Stalled, "browser: " + e.Message.Split('\n')[0]);
        }
    }

    private static async Task<string> TextAsync(ILocator locator)
    {
        var text = await locator.First.InnerTextAsync();
        return text.Length > 200 ? text[..200] : text.Trim();
    }

    private async Task<(string? Name, ILocator? Locator)> WaitForAnyAsync(IPage page, DateTime deadline)
    {
        // Outcomes before forms: a page that shows both an error and the input field is a refusal.
        var kinds = new List<(string Name, ILocator Locator)>
        {
            (Success, page.Locator(pages.Success)),
        };
        if (pages.Denied is { } denied) kinds.Add((Denied, page.Locator(denied)));
        if (pages.Error is { } error) kinds.Add((Refused, page.Locator(error)));
        if (pages.ConfirmPage is { } confirm) kinds.Add((Confirm, page.Locator(confirm)));
        kinds.Add((Input, page.Locator(pages.Page)));
        kinds.Add((Login, driver.Locate(page, ProviderPage.Login)));
        kinds.Add((Consent, driver.Locate(page, ProviderPage.Consent)));
        kinds.Add((ProviderError, driver.Locate(page, ProviderPage.Error)));
        var any = kinds.Select(k => k.Locator).Aggregate((a, b) => a.Or(b));
        var ms = (float)Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds);
        try { await any.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = ms }); }
        catch (TimeoutException) { return (null, null); }
        foreach (var (name, locator) in kinds)
            if (await locator.CountAsync() > 0 && await locator.First.IsVisibleAsync()) return (name, locator);
        return DateTime.UtcNow < deadline ? await WaitForAnyAsync(page, deadline) : (null, null);
    }
}
