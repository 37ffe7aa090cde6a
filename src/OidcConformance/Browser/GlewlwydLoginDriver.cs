using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// glewlwyd 2.7's login web app (fixtures/providers/glewlwyd/README.md, selectors checked in Chromium): a React
/// page that shows the login form, then a grant panel, then a "Connection to …" panel whose Continue button sends
/// the browser back to the authorization endpoint. Continue must not be clicked before the grant panel has
/// finished rendering: clicking early yields a code for the scopes granted so far (only openid).
/// </summary>
public sealed class GlewlwydLoginDriver : ILoginDriver
{
    public string Name => "glewlwyd";

    private static ILocator GrantBoxes(IPage page) => page.Locator("input[id^='grant-']");
    private static ILocator Ready(IPage page) => page.Locator("h3:has-text('Connection to')");

    public ILocator Locate(IPage page, ProviderPage kind) => kind switch
    {
        ProviderPage.Login => page.Locator("#username"),
        // Both the grant panel and the ready panel need a click from the user; they count as consent.
        ProviderPage.Consent => GrantBoxes(page).Or(Ready(page)),
        ProviderPage.LogoutConfirm => page.Locator("h3:has-text('End session') ~ * button.btn-danger:not(.dropdown-toggle), button.btn-danger:not(.dropdown-toggle):has-text('Logout')"),
        // After the Logout click without a redirect (end_session without state) the app shows "Session closed / You are disconnected".
        ProviderPage.LoggedOut => page.Locator("h3:has-text('Logged out'), h3:has-text('Session ended'), h3:has-text('Session closed')"),
        ProviderPage.Error => page.Locator(".toast-body"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public async Task SubmitCredentialsAsync(IPage page, string username, string password)
    {
        var user = page.Locator("#username");
        // prompt=login / max_age re-login shows the form with the username pre-filled and disabled.
        if (await user.IsEditableAsync()) await user.FillAsync(username);
        await page.Locator("#password").FillAsync(password);
        await page.Locator("#loginbut").ClickAsync();
    }

    public async Task ApproveConsentAsync(IPage page)
    {
        if (await GrantBoxes(page).CountAsync() > 0 && await GrantBoxes(page).First.IsVisibleAsync())
        {
            foreach (var box in await GrantBoxes(page).AllAsync())
                if (!await box.IsCheckedAsync()) await box.CheckAsync();
            await page.Locator("button.btn-primary:has-text('Grant access')").ClickAsync();
            await Ready(page).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        }
        await page.Locator("button.btn-success:has-text('Continue')").ClickAsync();
    }

    public Task ConfirmLogoutAsync(IPage page) => Locate(page, ProviderPage.LogoutConfirm).First.ClickAsync();

    public async Task<string> ReadMessageAsync(IPage page)
    {
        var toast = page.Locator(".toast-body");
        if (await toast.CountAsync() > 0) return (await toast.First.InnerTextAsync()).Trim();
        var body = (await page.Locator("body").InnerTextAsync()).Trim();
        return body.Length > 300 ? body[..300] : body;
    }
}
