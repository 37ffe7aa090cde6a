using Microsoft.Playwright;
using OidcConformance.Browser;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Doctor;

/// <summary>A selector of <c>loginPages</c> matched nothing on the page it describes.</summary>
public sealed class SelectorNotFoundException(string profileKey, string selector, string page, string? screenshot)
    : Exception($"{profileKey} '{selector}' matches nothing on the {page} page")
{
    public string ProfileKey { get; } = profileKey;
    public string Selector { get; } = selector;
    public string? Screenshot { get; } = screenshot;
}

/// <summary>
/// Wraps the profile's login driver for the doctor: a screenshot of every page kind the login meets (before the driver acts on
/// it), and, for the declarative driver, each selector the driver is about to use is looked up first, so that a missing field is
/// reported by its <c>loginPages</c> key instead of as refused credentials (the driver leaves an absent username field empty) or
/// a click that waits for its timeout.
/// </summary>
public sealed class DoctorLoginDriver(ILoginDriver inner, string directory, string prefix) : ILoginDriver
{
    private readonly List<string> screenshots = [];
    public IReadOnlyList<string> Screenshots => screenshots;
    /// <summary>How long a selector may take to appear once its page is shown (a single-page app renders fields one by one).</summary>
    public static readonly TimeSpan SelectorGrace = TimeSpan.FromSeconds(2);

    public string Name => inner.Name;
    public ILocator Locate(IPage page, ProviderPage kind) => inner.Locate(page, kind);
    public IPageWatch Watch(IPage page) => inner.Watch(page);

    public async Task SubmitCredentialsAsync(IPage page, string username, string password)
    {
        var shot = await ShotAsync(page, "login");
        if (inner is DeclarativeLoginDriver { Pages: var pages })
        {
            var re = pages.Reauthentication is { } r && await page.Locator(r.Page ?? r.Password).CountAsync() > 0;
            var form = re ? pages.Reauthentication! : pages.Login;
            var key = re ? "$.loginPages.reauthentication" : "$.loginPages.login";
            if (form.Username is { } user && !re) await RequireAsync(page, $"{key}.username", user, "login", shot);
            await RequireAsync(page, $"{key}.password", form.Password, "login", shot);
            await RequireAsync(page, $"{key}.submit", form.Submit, "login", shot);
        }
        await inner.SubmitCredentialsAsync(page, username, password);
    }

    public async Task ApproveConsentAsync(IPage page)
    {
        var shot = await ShotAsync(page, "consent");
        if (inner is DeclarativeLoginDriver { Pages: var pages } && pages.Consent is { Steps: null or { Count: 0 }, Approve: { } approve }
            && !(pages.AccountChooser is { } chooser && await page.Locator(chooser.Page).CountAsync() > 0))
            await RequireAsync(page, "$.loginPages.consent.approve", approve, "consent", shot);
        await inner.ApproveConsentAsync(page);
    }

    public Task ConfirmLogoutAsync(IPage page) => inner.ConfirmLogoutAsync(page);

    public async Task<string> ReadMessageAsync(IPage page)
    {
        await ShotAsync(page, "error");
        return await inner.ReadMessageAsync(page);
    }

    /// <summary>A screenshot of the page as it is now, named after the attempt and the page kind; null when the page cannot be shot.</summary>
    public async Task<string?> ShotAsync(IPage page, string kind)
    {
        var file = Path.Combine(directory, $"{prefix}-{screenshots.Count + 1:00}-{kind}.png");
        try
        {
            Directory.CreateDirectory(directory);
            await page.ScreenshotAsync(new PageScreenshotOptions { Path = file, FullPage = true, Timeout = 5000 });
            screenshots.Add(file);
            return file;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { return null; }
    }

    private static async Task RequireAsync(IPage page, string key, string selector, string pageKind, string? shot)
    {
        try
        {
            await page.Locator(selector).First.WaitForAsync(new LocatorWaitForOptions
                { State = WaitForSelectorState.Attached, Timeout = (float)SelectorGrace.TotalMilliseconds });
        }
        catch (TimeoutException) { throw new SelectorNotFoundException(key, selector, pageKind, shot); }
        catch (PlaywrightException e) when (e.Message.Contains("selector", StringComparison.OrdinalIgnoreCase))
        {
            throw new SelectorNotFoundException(key, selector + $" (not a valid selector: {e.Message.Split('\n')[0]})", pageKind, shot);
        }
    }
}
