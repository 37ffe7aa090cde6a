using Microsoft.Playwright;
using OidcConformance.Profiles;

namespace OidcConformance.Browser;

/// <summary>The provider pages a login driver recognizes.</summary>
public enum ProviderPage { Login, Consent, LogoutConfirm, LoggedOut, Error }

/// <summary>
/// Page object for one provider's interactive pages. Drivers only know selectors and clicks; the generic
/// <see cref="BrowserAuthorizer"/> decides what to do next, so suites never see provider specifics.
/// </summary>
public interface ILoginDriver
{
    string Name { get; }

    /// <summary>A locator that matches when the page shows <paramref name="kind"/>.</summary>
    ILocator Locate(IPage page, ProviderPage kind);

    Task SubmitCredentialsAsync(IPage page, string username, string password);
    Task ApproveConsentAsync(IPage page);
    Task ConfirmLogoutAsync(IPage page);
    /// <summary>Visible text of a provider error or rejected-login message, for verdict reasons.</summary>
    Task<string> ReadMessageAsync(IPage page);

    /// <summary>
    /// Starts watching <paramref name="page"/> before an attempt navigates it; the authorizer takes a login or consent page
    /// only once the watch says the page has settled (<see cref="IPageWatch"/>). Default: server-rendered pages, settled at once.
    /// </summary>
    IPageWatch Watch(IPage page) => ImmediatePageWatch.Instance;
}

public static class LoginDrivers
{
    private static readonly Dictionary<string, Func<ILoginDriver>> registry = new(StringComparer.OrdinalIgnoreCase)
    {
        ["node-oidc-provider"] = () => new NodeOidcProviderLoginDriver(),
        ["glewlwyd"] = () => new GlewlwydLoginDriver(),
        ["casdoor"] = () => new CasdoorLoginDriver(),
    };

    /// <summary>Lets a provider package add its driver without editing the suites.</summary>
    public static void Register(string name, Func<ILoginDriver> factory) => registry[name] = factory;

    public static ILoginDriver Create(ProviderProfile profile) =>
        registry.TryGetValue(profile.LoginDriver, out var factory)
            ? factory()
            : throw new Profiles.ProfileException(profile.SourceFile, "$.loginDriver",
                $"unknown login driver '{profile.LoginDriver}' (known: {string.Join(", ", registry.Keys)})");

    public static IReadOnlyCollection<string> Known => registry.Keys;
}
