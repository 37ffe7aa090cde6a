using System.Text.RegularExpressions;
using Microsoft.Playwright;
using OidcConformance.Protocol;

namespace OidcConformance.Browser;

/// <summary>
/// Casdoor's sign-in single-page app (React + antd), as described in docs/casdoor.md §(b). Every selector below names
/// the frontend file it comes from, read at Casdoor tag v3.158.0 (paths relative to Casdoor's repository). The SPA
/// renders asynchronously after two API calls, so "the page is ready" means "#input is visible".
/// <list type="bullet">
/// <item>Login: the password form. It is not reported while the "Continue with" box of an existing session is shown
/// (that box is reported as <see cref="ProviderPage.Consent"/>: approving it continues the session, just as clicking
/// the tile does for a user).</item>
/// <item>Consent: Casdoor's consent page (only with customScopes) or the "Continue with" tile.</item>
/// <item>Error: the request-error page (antd Result), a failed-login toast, or a raw JSON error envelope (logout).</item>
/// <item>Logout: /api/logout has no confirmation page (docs/casdoor.md A-60); without a redirect it answers with the
/// JSON envelope {"status":"ok"}, which the browser shows as text: that is <see cref="ProviderPage.LoggedOut"/>.</item>
/// </list>
/// Why a C# driver and not the declarative one (docs/login-drivers.md): the SPA first shows the bare login form and turns it
/// into the "Continue with" box once <c>/api/get-account</c> answers (Recorded/casdoor-3.158.0/pages/03 vs 04). Telling when
/// the page has settled needs a watch on that API response (<see cref="CasdoorAccountWatch"/>); a selector cannot say it, and
/// typing credentials into a page that is about to offer the existing session would be a guess.
/// </summary>
[LoginDriver("casdoor")]
public sealed partial class CasdoorLoginDriver : ILoginDriver
{
    public string Name => "casdoor";

    // web/src/auth/LoginPage.js renderForm: <Form name="normal_login"> → antd renders <form id="normal_login">.
    private const string Form = "form#normal_login";
    // web/src/auth/LoginPage.js renderFormItem "Username": <Input id="input" className="login-username-input">; with a
    // prefix icon antd puts the class on the wrapper span and the id on the <input> itself.
    private const string Username = Form + " input#input";
    // web/src/auth/LoginPage.js renderPasswordOrCodeInput: <Form.Item name="password"> + <Input.Password> → antd field id
    // "<form name>_<field name>" = normal_login_password on the <input type="password">.
    private const string Password = Form + " input#normal_login_password";
    // web/src/auth/LoginPage.js renderFormItem "Login button": <Button type="primary" htmlType="submit" className="login-button">.
    private const string Submit = Form + " button.login-button";

    // web/src/auth/LoginPage.js renderSignedInBox: <div><div>{"Continue with"}&nbsp;:</div><br/><div onClick=…><SelfLoginButton/></div>…
    // (no class names; the i18n text comes from web/src/locales/en/data.json "login:Continue with"). The tile is the second
    // <div> child of the box; web/src/auth/SelfLoginButton.js renders "<name> (<displayName>)" inside it.
    private const string SignedInBox = "div:has(> div:text-matches(\"^\\\\s*Continue with\\\\s*:\\\\s*$\"))";
    private const string SignedInTile = SignedInBox + " > div:nth-of-type(2)";

    // web/src/auth/ConsentPage.js render: antd <Card> with title "Authorization Request" and buttons Allow (type primary) / Deny.
    private const string ConsentCard = ".login-form .ant-card:has-text(\"Authorization Request\")";
    private const string ConsentAllow = ConsentCard + " button.ant-btn-primary:has-text(\"Allow\")";

    // web/src/auth/Util.js renderMessageLarge: antd <Result status="error" title="There was a problem signing you in.." subTitle={msg}>.
    private const string RequestErrorTitle = ".ant-result-error .ant-result-title";
    private const string RequestErrorSubtitle = ".ant-result-error .ant-result-subtitle";
    // web/src/Setting.js showMessage("error", …) → antd message.error(…): a toast <div class="ant-message-notice ant-message-notice-error">
    // (antd ≥5; antd 4 used .ant-message-error on the inner content). LoginPage.js login(): "Failed to sign in: <msg>".
    private const string ErrorToast = ".ant-message .ant-message-notice-error, .ant-message .ant-message-error";

    [GeneratedRegex("\"status\"\\s*:\\s*\"error\"")]
    private static partial Regex EnvelopeError();

    [GeneratedRegex("\"status\"\\s*:\\s*\"ok\"")]
    private static partial Regex EnvelopeOk();

    public ILocator Locate(IPage page, ProviderPage kind) => kind switch
    {
        // The form also sits under the "Continue with" box; only a page without that box asks for credentials.
        ProviderPage.Login => page.Locator($"body:not(:has({SignedInBox})) {Username}"),
        ProviderPage.Consent => page.Locator(ConsentAllow).Or(page.Locator(SignedInTile)),
        // Casdoor has no logout confirmation page (docs/casdoor.md A-60): this never matches.
        ProviderPage.LogoutConfirm => page.Locator("#casdoor-has-no-logout-confirmation-page"),
        // controllers/account.go Logout without a redirect: the envelope {"status":"ok",…} shown as text by the browser.
        ProviderPage.LoggedOut => page.Locator("body > pre").Filter(new LocatorFilterOptions { HasTextRegex = EnvelopeOk() }),
        ProviderPage.Error => page.Locator(RequestErrorTitle).Or(page.Locator(ErrorToast))
            .Or(page.Locator("body > pre").Filter(new LocatorFilterOptions { HasTextRegex = EnvelopeError() })),
        _ => throw new ArgumentOutOfRangeException(nameof(kind)),
    };

    /// <summary>The page settles once /api/get-account answered (and, with an account, the "Continue with" box is there).</summary>
    public IPageWatch Watch(IPage page) => new CasdoorAccountWatch(page, p => p.Locator(SignedInBox));

    public async Task SubmitCredentialsAsync(IPage page, string username, string password)
    {
        // The form renders only after /api/get-account and /api/get-app-login answered (LoginPage.getApplicationLogin).
        await page.Locator(Username).WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible });
        await page.Locator(Username).FillAsync(username);
        await page.Locator(Password).FillAsync(password);
        await page.Locator(Submit).ClickAsync();
    }

    /// <summary>Clicks Allow on the consent page, or the "Continue with" tile of an existing session.</summary>
    public async Task ApproveConsentAsync(IPage page)
    {
        var allow = page.Locator(ConsentAllow);
        if (await allow.CountAsync() > 0 && await allow.First.IsVisibleAsync())
        {
            await allow.First.ClickAsync();
            return;
        }
        await page.Locator(SignedInTile).First.ClickAsync();
    }

    public Task ConfirmLogoutAsync(IPage page) =>
        throw new InvalidOperationException("Casdoor has no logout confirmation page (docs/casdoor.md A-60)");

    public async Task<string> ReadMessageAsync(IPage page)
    {
        var toast = page.Locator(ErrorToast);
        if (await toast.CountAsync() > 0) return Clean(await toast.First.InnerTextAsync());
        var title = page.Locator(RequestErrorTitle);
        if (await title.CountAsync() > 0)
        {
            var subtitle = page.Locator(RequestErrorSubtitle);
            var detail = await subtitle.CountAsync() > 0 ? await subtitle.First.InnerTextAsync() : "";
            return Clean($"{await title.First.InnerTextAsync()} {detail}");
        }
        var body = Clean(await page.Locator("body").InnerTextAsync());
        return body.Length > 300 ? body[..300] : body;
    }

    private static string Clean(string s) => Regex.Replace(s, @"\s+", " ").Trim();
}
