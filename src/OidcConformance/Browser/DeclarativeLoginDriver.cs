using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Browser;

/// <summary>
/// The generic login driver: the profile's <c>loginPages</c> (<see cref="LoginPages"/>) say which selector marks each page
/// kind and which fields and buttons to use; this class does the rest (docs/login-drivers.md). It serves server-rendered
/// pages and single-page apps whose pages do not change kind after they became visible (a page is taken as settled once
/// shown; a provider whose page turns into another after an API call needs a C# driver with its own <see cref="IPageWatch"/>,
/// as Casdoor's does).
/// </summary>
public sealed partial class DeclarativeLoginDriver(LoginPages pages) : ILoginDriver
{
    public string Name => ProfileLoader.DeclarativeDriver;
    public LoginPages Pages => pages;

    /// <summary>Matches nothing: a page kind the profile does not describe is never recognised (never guessed).</summary>
    private const string Nothing = "#oidc-conformance-page-kind-not-described-by-the-profile";

    private static ILocator Any(IPage page, params string?[] selectors)
    {
        var present = selectors.Where(s => !string.IsNullOrWhiteSpace(s)).ToList();
        return present.Count == 0 ? page.Locator(Nothing) : present.Select(s => page.Locator(s!)).Aggregate((a, b) => a.Or(b));
    }

    private static string LoginMark(LoginFormPage form) => form.Page ?? form.Username ?? form.Password;

    public ILocator Locate(IPage page, ProviderPage kind) => kind switch
    {
        ProviderPage.Login => Any(page, LoginMark(pages.Login), pages.Reauthentication is { } re ? LoginMark(re) : null),
        ProviderPage.Consent => Any(page, pages.Consent?.Page, pages.AccountChooser?.Page),
        ProviderPage.LogoutConfirm => Any(page, pages.LogoutConfirm?.Page),
        ProviderPage.LoggedOut => Any(page, pages.LoggedOut),
        ProviderPage.Error => Any(page, pages.Error?.Page, pages.FailedLogin?.Page),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    public async Task SubmitCredentialsAsync(IPage page, string username, string password)
    {
        // The re-authentication page's own fields where it is the one shown, else the login form's.
        var form = pages.Reauthentication is { } re && await VisibleAsync(page.Locator(LoginMark(re))) ? re : pages.Login;
        var user = form.Username ?? pages.Login.Username;
        if (user is not null)
        {
            var field = page.Locator(user).First;
            // A re-authentication page pre-fills the username and disables the field: it is left as it is.
            if (await field.CountAsync() > 0 && await field.IsEditableAsync()) await field.FillAsync(username);
        }
        await page.Locator(form.Password).First.FillAsync(password);
        await page.Locator(form.Submit).First.ClickAsync();
    }

    public async Task ApproveConsentAsync(IPage page)
    {
        if (pages.AccountChooser is { } chooser && await VisibleAsync(page.Locator(chooser.Page)))
        {
            await page.Locator(chooser.Continue ?? chooser.Page).First.ClickAsync();
            return;
        }
        var consent = pages.Consent ?? throw new InvalidOperationException("the profile's loginPages describe no consent page");
        if (consent.Steps is not { Count: > 0 } steps)
        {
            await page.Locator(consent.Approve!).First.ClickAsync();
            return;
        }
        foreach (var step in steps)
        {
            if (step.When is { } when && !await VisibleAsync(page.Locator(when))) continue;
            if (step.CheckAll is { } boxes)
            {
                foreach (var box in await page.Locator(boxes).AllAsync())
                    if (await box.IsVisibleAsync() && !await box.IsCheckedAsync()) await box.CheckAsync();
            }
            else if (step.WaitFor is { } target)
                await page.Locator(target).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
            else
                await page.Locator(step.Click!).First.ClickAsync();
        }
    }

    public Task ConfirmLogoutAsync(IPage page) =>
        page.Locator(pages.LogoutConfirm?.Confirm ?? pages.LogoutConfirm?.Page
            ?? throw new InvalidOperationException("the profile's loginPages describe no logout confirmation page")).First.ClickAsync();

    public async Task<string> ReadMessageAsync(IPage page)
    {
        foreach (var source in new[] { pages.FailedLogin, pages.Error })
        {
            if (source is null) continue;
            var message = page.Locator(source.Message ?? source.Page);
            if (await message.CountAsync() > 0) return Clean(await message.First.InnerTextAsync());
        }
        var body = Clean(await page.Locator("body").InnerTextAsync());
        return body.Length > 300 ? body[..300] : body;
    }

    private static async Task<bool> VisibleAsync(ILocator locator) => await locator.CountAsync() > 0 && await locator.First.IsVisibleAsync();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Space();

    private static string Clean(string s) => Space().Replace(s, " ").Trim();
}
