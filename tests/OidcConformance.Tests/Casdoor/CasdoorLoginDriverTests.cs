using FluentAssertions;
using Microsoft.Playwright;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// The Casdoor page object against static pages written from the DOM facts in docs/casdoor.md §(b) (Casdoor's SPA
/// cannot run here). Each page in Casdoor/Pages names the frontend function it imitates; the driver must tell the
/// pages apart and fill the right inputs. What a live Casdoor renders is confirmed only on a Docker host (docs/casdoor.md (f) 5–7).
/// </summary>
[TestFixture, Category("Browser"), NonParallelizable]
public sealed class CasdoorLoginDriverTests
{
    private BrowserHost? host;
    private UserAgent? ua;
    private readonly CasdoorLoginDriver driver = new();

    [OneTimeSetUp]
    public async Task LaunchAsync()
    {
        try { host = await BrowserHost.LaunchAsync(Environment.GetEnvironmentVariable("OIDC_BROWSER"), null); }
        catch (BrowserUnavailableException e) { Assert.Ignore(e.Message); }
    }

    [SetUp]
    public async Task NewPageAsync() => ua = await host!.NewUserAgentAsync(TimeSpan.FromSeconds(5));

    [TearDown]
    public async Task ClosePageAsync()
    {
        if (ua is not null) await ua.DisposeAsync();
    }

    [OneTimeTearDown]
    public async Task CloseAsync()
    {
        if (host is not null) await host.DisposeAsync();
    }

    private async Task<IPage> Load(string name)
    {
        var html = await File.ReadAllTextAsync(Path.Combine(AppContext.BaseDirectory, "Casdoor", "Pages", name));
        await ua!.Page.SetContentAsync(html);
        return ua.Page;
    }

    private async Task<ProviderPage[]> Visible(IPage page)
    {
        var seen = new List<ProviderPage>();
        foreach (var kind in Enum.GetValues<ProviderPage>())
            if (await driver.Locate(page, kind).First.IsVisibleAsync()) seen.Add(kind);
        return [.. seen];
    }

    [Test]
    public void Driver_is_registered_as_casdoor() =>
        LoginDrivers.Known.Should().Contain("casdoor");

    [TestCase("login.html", new[] { ProviderPage.Login })]
    [TestCase("login-failed.html", new[] { ProviderPage.Login, ProviderPage.Error })]
    [TestCase("signed-in.html", new[] { ProviderPage.Consent })]
    [TestCase("consent.html", new[] { ProviderPage.Consent })]
    [TestCase("request-error.html", new[] { ProviderPage.Error })]
    [TestCase("logout-ok.html", new[] { ProviderPage.LoggedOut })]
    [TestCase("logout-error.html", new[] { ProviderPage.Error })]
    [TestCase("loading.html", new ProviderPage[0])]
    public async Task Identifies_the_page(string file, ProviderPage[] expected)
    {
        var page = await Load(file);
        (await Visible(page)).Should().BeEquivalentTo(expected, $"{file} shows exactly these Casdoor pages");
    }

    [Test]
    public async Task Fills_username_and_password_and_submits_the_form()
    {
        var page = await Load("login.html");
        await driver.SubmitCredentialsAsync(page, "alice", "alice-Pass-4c9e2b");
        var submitted = await page.Locator("body").GetAttributeAsync("data-submitted");
        submitted.Should().Be("{\"u\":\"alice\",\"p\":\"alice-Pass-4c9e2b\"}");
        (await page.Locator("#normal_login_autoSignin").IsCheckedAsync()).Should().BeTrue("the driver leaves the other fields alone");
    }

    [Test]
    public async Task Failed_login_message_is_the_toast_text()
    {
        var page = await Load("login-failed.html");
        (await driver.ReadMessageAsync(page)).Should().Be("Failed to sign in: password or code is incorrect, you have 4 remaining chances");
    }

    [Test]
    public async Task Request_error_message_has_title_and_casdoor_message()
    {
        var page = await Load("request-error.html");
        var message = await driver.ReadMessageAsync(page);
        message.Should().StartWith("There was a problem signing you in..").And.Contain("doesn't exist in the allowed Redirect URI list");
    }

    [Test]
    public async Task Approving_a_signed_in_session_clicks_the_continue_with_tile()
    {
        var page = await Load("signed-in.html");
        await driver.ApproveConsentAsync(page);
        (await page.Locator("body").GetAttributeAsync("data-clicked")).Should().Be("tile");
    }

    [Test]
    public async Task Approving_consent_clicks_allow_not_deny()
    {
        var page = await Load("consent.html");
        await driver.ApproveConsentAsync(page);
        (await page.Locator("body").GetAttributeAsync("data-clicked")).Should().Be("allow");
    }

    [Test]
    public async Task Logout_needs_no_confirmation()
    {
        var page = await Load("logout-ok.html");
        (await driver.Locate(page, ProviderPage.LogoutConfirm).CountAsync()).Should().Be(0);
        (await driver.ReadMessageAsync(page)).Should().Contain("\"status\": \"ok\"");
    }
}
