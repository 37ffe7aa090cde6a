using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// The interaction pages of the embedded node-oidc-provider (fixtures/providers/node-oidc-provider/README.md; each
/// page marks itself with <c>body[data-page]</c>, and every selector was checked in Chromium).
/// </summary>
public sealed class NodeOidcProviderLoginDriver : ILoginDriver
{
    public string Name => "node-oidc-provider";

    public ILocator Locate(IPage page, ProviderPage kind) => kind switch
    {
        ProviderPage.Login => page.Locator("body[data-page=login] input#username"),
        ProviderPage.Consent => page.Locator("body[data-page=consent] button#consent-submit"),
        ProviderPage.LogoutConfirm => page.Locator("body[data-page=logout] button#logout-yes"),
        ProviderPage.LoggedOut => page.Locator("body[data-page=logout-success] #logout-success"),
        ProviderPage.Error => page.Locator("body[data-page=login-error] #error, body[data-page=error] #error"),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public async Task SubmitCredentialsAsync(IPage page, string username, string password)
    {
        await page.Locator("form#login-form input#username").FillAsync(username);
        await page.Locator("form#login-form input#password").FillAsync(password);
        await page.Locator("form#login-form button#submit").ClickAsync();
    }

    public Task ApproveConsentAsync(IPage page) => page.Locator("form#consent-form button#consent-submit").ClickAsync();

    public Task ConfirmLogoutAsync(IPage page) => page.Locator("button#logout-yes").ClickAsync();

    public async Task<string> ReadMessageAsync(IPage page)
    {
        var error = page.Locator("#error");
        if (await error.CountAsync() > 0) return (await error.First.InnerTextAsync()).Trim();
        var body = (await page.Locator("body").InnerTextAsync()).Trim();
        return body.Length > 300 ? body[..300] : body;
    }
}
