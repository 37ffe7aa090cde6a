using Microsoft.Playwright;
using OidcConformance.Browser;
using OidcConformance.Protocol;

namespace OidcConformance.Interop;

/// <summary>Where a browser journey through a relying-party app ended.</summary>
public sealed record InteropJourney(bool Arrived, string Detail, string FinalUrl);

/// <summary>
/// Drives the browser through an interop app: opens a page of the app, takes the provider's login, consent and logout
/// confirmation pages through the profile's login driver, and waits for the app's page marked <c>#id</c>. Only the app
/// page counts as arriving: a provider error page, a stall or a timeout is reported as such (never as working).
/// </summary>
public static class InteropBrowser
{
    public static async Task<InteropJourney> GoAsync(UserAgent ua, ILoginDriver driver, string startUrl, string arrivalId,
        (string Username, string Password)? credentials, TimeSpan timeout)
    {
        Reporting.CheckScope.UsedUserAgent(ua); // failure bundles of these cells show this session's page and trace
        var page = ua.Page;
        var deadline = DateTime.UtcNow + timeout;
        try { await page.GotoAsync(startUrl, new() { Timeout = (float)timeout.TotalMilliseconds }); }
        catch (PlaywrightException e) { return new(false, $"navigation to {startUrl} failed: {FirstLine(e.Message)}", page.Url); }
        using var watch = driver.Watch(page);
        var submitted = false;
        for (var step = 0; step < 10; step++)
        {
            var arrived = page.Locator($"body#{arrivalId}");
            var login = driver.Locate(page, ProviderPage.Login);
            var consent = driver.Locate(page, ProviderPage.Consent);
            var confirm = driver.Locate(page, ProviderPage.LogoutConfirm);
            var error = driver.Locate(page, ProviderPage.Error);
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) break;
            try
            {
                await arrived.Or(login).Or(consent).Or(confirm).Or(error).First
                    .WaitForAsync(new() { State = WaitForSelectorState.Visible, Timeout = (float)remaining.TotalMilliseconds });
            }
            catch (TimeoutException) { return new(false, $"no known page within {timeout.TotalSeconds:0} s (at {page.Url}: {await TitleAsync(page)})", page.Url); }
            catch (PlaywrightException e) { return new(false, $"the browser failed: {FirstLine(e.Message)}", page.Url); }
            if (await Visible(arrived)) return new(true, $"back in the app at {new Uri(page.Url).AbsolutePath}", page.Url);
            if (await Visible(error)) return new(false, $"the provider shows an error page: {await driver.ReadMessageAsync(page)}", page.Url);
            if (await Visible(login))
            {
                if (credentials is null) return new(false, "the provider asks for a login", page.Url);
                var settleUntil = DateTime.UtcNow + BrowserAuthorizer.SettleTimeout;
                while (!await watch.IsSettledAsync() && DateTime.UtcNow < settleUntil) await Task.Delay(15);
                if (!await Visible(login)) continue; // moved on while settling (an existing session)
                if (submitted) return new(false, $"the provider rejected the login: {await driver.ReadMessageAsync(page)}", page.Url);
                await driver.SubmitCredentialsAsync(page, credentials.Value.Username, credentials.Value.Password);
                submitted = true;
                ua.LastLoginAt = DateTimeOffset.UtcNow;
                await WaitGoneAsync(login, deadline);
                continue;
            }
            if (await Visible(consent))
            {
                await driver.ApproveConsentAsync(page);
                await WaitGoneAsync(consent, deadline);
                continue;
            }
            if (await Visible(confirm))
            {
                await driver.ConfirmLogoutAsync(page);
                await WaitGoneAsync(confirm, deadline);
            }
        }
        return new(false, $"did not arrive back in the app before the deadline (at {page.Url})", page.Url);
    }

    private static async Task<bool> Visible(ILocator l)
    {
        try { return await l.First.IsVisibleAsync(); }
        catch (PlaywrightException) { return false; }
    }

    private static async Task WaitGoneAsync(ILocator l, DateTime deadline)
    {
        var ms = Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds);
        try { await l.First.WaitForAsync(new() { State = WaitForSelectorState.Hidden, Timeout = (float)ms }); }
        catch (Exception e) when (e is TimeoutException or PlaywrightException) { /* the next round looks at what the page shows */ }
    }

    private static async Task<string> TitleAsync(IPage page)
    {
        try { return await page.TitleAsync(); } catch (PlaywrightException) { return "(no title)"; }
    }

    private static string FirstLine(string s) => s.Split('\n')[0];
}
