using Microsoft.Playwright;
using OidcConformance.Browser;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Doctor;

/// <summary>What one user's login through the profile's driver gave: the findings, and the code flow's end for the claim step.</summary>
public sealed record LoginProbeResult(IReadOnlyList<DoctorFinding> Findings, AuthorizationRequest Request, AuthorizationOutcome? Outcome)
{
    public string? Code => Outcome is { End: AuthorizationEnd.Redirected, TargetUnreachable: null } o ? o.Response?.Code : null;
}

/// <summary>
/// Logs one user in through the profile's login driver (the suite's own <see cref="BrowserAuthorizer"/>, so the doctor meets what
/// the conformance run will meet), with a screenshot of every page kind, and says which profile key a failure points at:
/// a selector of <c>loginPages</c> that matches nothing, the user's password, or the client's redirect URI.
/// </summary>
public static class LoginProbe
{
    public static async Task<LoginProbeResult> RunAsync(ConformanceRun run, BrowserHost browser, int userIndex, string role, string screenshots)
    {
        var user = run.Profile.Users[userIndex];
        var client = run.Profile.Clients[role];
        var endpoint = await run.EndpointAsync("authorization_endpoint");
        var request = AuthorizationRequest.Create(endpoint, client, run.RedirectUri(client));
        if (client.PkceRequired) request.WithPkce();
        var driver = new DoctorLoginDriver(run.Driver, screenshots, $"user{userIndex}-{Safe(user.Username)}");
        // No outage monitor: the doctor reports a page that does not load as a finding, it does not stop.
        var authorizer = new BrowserAuthorizer(driver, run.Callback, run.NavigationTimeout);
        await using var ua = await browser.NewUserAgentAsync(run.NavigationTimeout, callbackOrigin: run.Callback.Origin);
        AuthorizationOutcome outcome;
        try
        {
            outcome = await authorizer.AuthorizeAsync(ua, request, (user.Username, user.Password));
        }
        catch (SelectorNotFoundException e)
        {
            return new([DoctorFinding.Problem("login", e.ProfileKey,
                    $"user '{user.Username}': selector not found: {e.Message}",
                    $"open the screenshot, find the element in the provider's page (browser developer tools) and write its selector into {e.ProfileKey}")
                with { Screenshot = e.Screenshot }], request, null);
        }
        catch (PlaywrightException e)
        {
            return new([DoctorFinding.Problem("login", "$.loginPages",
                    $"user '{user.Username}': the login driver '{run.Driver.Name}' failed: {e.Message.Split('\n')[0]}",
                    "open the screenshot of the last page; a selector of loginPages (or the C# driver) does not fit that page")
                with { Screenshot = driver.Screenshots.LastOrDefault() }], request, null);
        }
        var last = await driver.ShotAsync(ua.Page, outcome.End == AuthorizationEnd.Redirected ? "callback" : "stopped");
        var finding = await JudgeAsync(run, userIndex, role, outcome, ua.Page, driver.Screenshots) with { Screenshot = last };
        return new([finding], request, outcome);
    }

    private static async Task<DoctorFinding> JudgeAsync(ConformanceRun run, int userIndex, string role, AuthorizationOutcome outcome,
        IPage page, IReadOnlyList<string> shots)
    {
        const string step = "login";
        var user = run.Profile.Users[userIndex];
        var client = run.Profile.Clients[role];
        var redirectKey = client.RedirectUri is null ? "$.callback" : $"$.clients.{role}.redirectUri";
        var met = outcome.PagesMet.Count == 0 ? "none (single sign-on)" : string.Join(" → ", outcome.PagesMet);
        switch (outcome.End)
        {
            case AuthorizationEnd.Redirected when outcome.TargetUnreachable is { } failure:
                return DoctorFinding.Problem("callback", redirectKey,
                    $"user '{user.Username}' logged in, but the browser could not load the redirect {Http.Redactor.Redact(outcome.FinalUrl?.Split('?')[0])}: {failure}",
                    $"the redirect URI must reach the suite's callback listener on this machine: fix {redirectKey} (callback.host, callback.port, or browser.hostResolverRules for a host name)");
            case AuthorizationEnd.Redirected when outcome.Response?.Code is not null:
                return DoctorFinding.Ok(step, $"$.users[{userIndex}]",
                    $"user '{user.Username}' logged in through the '{run.Driver.Name}' driver with client '{client.ClientId}'; pages met: {met}; {shots.Count} screenshot(s)");
            case AuthorizationEnd.Redirected:
                var error = outcome.Response?.Error;
                return DoctorFinding.Problem(step, error == "invalid_scope" ? $"$.clients.{role}.scope" : $"$.clients.{role}",
                    $"user '{user.Username}': the provider redirected without a code: {outcome.Response?.Describe()}",
                    error == "invalid_scope"
                        ? $"make $.clients.{role}.scope list only scopes the provider grants this client"
                        : $"check $.clients.{role} (clientId, responseTypes, scope) against the provider's client registration");
            case AuthorizationEnd.LoginRejected:
                return DoctorFinding.Problem(step, $"$.users[{userIndex}].password",
                    $"credentials refused: the provider refused user '{user.Username}' after the login form was submitted: {outcome.Detail}",
                    $"set $.users[{userIndex}].username and $.users[{userIndex}].password to a user that exists in the provider with that password (or create the user)");
            case AuthorizationEnd.ProviderError when !outcome.CredentialsSubmitted && MentionsRedirect(outcome.Detail):
                return DoctorFinding.Problem(step, redirectKey,
                    $"redirect_uri refused: the provider showed its error page before the login: {outcome.Detail} (redirect_uri sent: {run.RedirectUri(client)})",
                    $"register {run.RedirectUri(client)} as a redirect URI of client '{client.ClientId}' in the provider, or set {redirectKey} to the URI the provider has registered");
            case AuthorizationEnd.ProviderError when !outcome.CredentialsSubmitted:
                return DoctorFinding.Problem(step, $"$.clients.{role}",
                    $"the provider refused the authorization request before the login: {outcome.Detail}",
                    $"check $.clients.{role}.clientId, redirectUri, scope and responseTypes against the provider's client registration");
            case AuthorizationEnd.ProviderError:
                return DoctorFinding.Problem(step, $"$.users[{userIndex}]",
                    $"user '{user.Username}': after the login the provider showed an error page: {outcome.Detail}",
                    $"look at the screenshot: the user may lack a permission or a required attribute in the provider, or $.clients.{role}.scope asks for more than the provider grants");
            default:
                return await UnrecognizedPageAsync(run, userIndex, role, outcome, page);
        }
    }

    /// <summary>The login stopped on a page the driver did not recognize (or never loaded): which loginPages key to look at.</summary>
    private static async Task<DoctorFinding> UnrecognizedPageAsync(ConformanceRun run, int userIndex, string role, AuthorizationOutcome outcome, IPage page)
    {
        const string step = "login";
        var user = run.Profile.Users[userIndex];
        var what = $"user '{user.Username}': {outcome.Describe()}";
        if (outcome.Detail.Contains("net::ERR_", StringComparison.Ordinal))
            return DoctorFinding.Problem(step, "$.issuer", what,
                "the browser cannot load the provider's authorization endpoint: check the issuer / discoveryUrl host and port, or browser.hostResolverRules for a host name only this machine knows");
        if (run.Driver is not DeclarativeLoginDriver declarative)
            return DoctorFinding.Problem(step, "$.loginDriver", what,
                $"the C# driver '{run.Driver.Name}' did not recognize this page (see the screenshot); fix the driver or describe the pages with \"loginDriver\": \"declarative\" and loginPages");
        var pages = declarative.Pages;
        var hasPassword = await CountAsync(page, "input[type=password]") > 0;
        if (hasPassword && !outcome.CredentialsSubmitted)
        {
            var mark = pages.Login.Page is not null ? "$.loginPages.login.page" : pages.Login.Username is not null ? "$.loginPages.login.username" : "$.loginPages.login.password";
            var selector = pages.Login.Page ?? pages.Login.Username ?? pages.Login.Password;
            return DoctorFinding.Problem(step, mark,
                $"selector not found: the page shows a password field but {mark} '{selector}' matches {await CountAsync(page, selector)} visible element(s), so the driver did not take it for the login page ({what})",
                $"open the screenshot, find what marks the login page (browser developer tools) and write its selector into {mark}");
        }
        if (!outcome.CredentialsSubmitted && !hasPassword && MentionsRedirect(await BodyTextAsync(page)))
        {
            // An error page the profile does not describe (no loginPages.error), whose text is about the redirect URI.
            var client = run.Profile.Clients[role];
            var redirectKey = client.RedirectUri is null ? "$.callback" : $"$.clients.{role}.redirectUri";
            return DoctorFinding.Problem(step, redirectKey,
                $"redirect_uri refused (probably): before any login the provider showed a page about the redirect URI: '{await BodyTextAsync(page)}' (redirect_uri sent: {run.RedirectUri(client)})",
                $"register {run.RedirectUri(client)} as a redirect URI of client '{client.ClientId}' in the provider, or set {redirectKey} to the registered one; describe the provider's error page in loginPages.error so that it is recognized");
        }
        if (outcome.CredentialsSubmitted)
            return DoctorFinding.Problem(step, "$.loginPages.consent.page",
                $"after the credentials were accepted the login stopped on a page no loginPages selector describes ({what})",
                "open the screenshot: describe that page in loginPages (consent.page and approve or steps, accountChooser, or error)");
        return DoctorFinding.Problem(step, "$.loginPages",
            $"the login stopped on a page no loginPages selector describes ({what})",
            "open the screenshot and describe that page in loginPages (login, consent, accountChooser, error)");
    }

    private static async Task<int> CountAsync(IPage page, string selector)
    {
        try
        {
            var visible = 0;
            foreach (var element in await page.Locator(selector).AllAsync())
                if (await element.IsVisibleAsync()) visible++;
            return visible;
        }
        catch (PlaywrightException) { return 0; }
    }

    private static async Task<string> BodyTextAsync(IPage page)
    {
        try
        {
            var text = System.Text.RegularExpressions.Regex.Replace(await page.Locator("body").InnerTextAsync(new() { Timeout = 2000 }), @"\s+", " ").Trim();
            return text.Length > 200 ? text[..200] + "…" : text;
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { return ""; }
    }

    private static bool MentionsRedirect(string detail) =>
        detail.Contains("redirect", StringComparison.OrdinalIgnoreCase) || detail.Contains("callback", StringComparison.OrdinalIgnoreCase);

    private static string Safe(string name) => new(name.Select(c => char.IsLetterOrDigit(c) ? c : '_').ToArray());
}
