using Microsoft.Playwright;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Browser;

/// <summary>
/// <c>"loginDriver": "none"</c>: a provider with no browser login at all, such as a server that only has a token endpoint
/// (fixtures/providers/authlib). A check that needs a user to log in in the browser is Inconclusive there, with this reason,
/// instead of waiting for a page that never comes.
/// </summary>
[LoginDriver(Name)]
public sealed class NoLoginDriver : ILoginDriver
{
    public const string Name = "none";
    string ILoginDriver.Name => Name;

    private static PrerequisiteException NoLogin() =>
        new("the provider has no browser login (\"loginDriver\": \"none\" in its profile), so a check that needs one cannot run");

    public ILocator Locate(IPage page, ProviderPage kind) => throw NoLogin();
    public Task SubmitCredentialsAsync(IPage page, string username, string password) => throw NoLogin();
    public Task ApproveConsentAsync(IPage page) => throw NoLogin();
    public Task ConfirmLogoutAsync(IPage page) => throw NoLogin();
    public Task<string> ReadMessageAsync(IPage page) => throw NoLogin();
}
