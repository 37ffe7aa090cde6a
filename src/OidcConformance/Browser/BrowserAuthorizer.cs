using System.Net;
using Microsoft.Playwright;
using OidcConformance.Callback;
using OidcConformance.Protocol;
using static OidcConformance.Browser.ChromiumQuirks;

namespace OidcConformance.Browser;

/// <summary>
/// Drives one authorization request in a user-agent session: it follows the provider's pages through the login
/// driver (credentials, consent) until the relying party's callback receives the answer, and returns what happened.
/// Waiting is event-driven with one deadline; there are no sleeps.
/// </summary>
public sealed partial class BrowserAuthorizer(ILoginDriver driver, CallbackListener callback, TimeSpan navigationTimeout,
    Run.ProviderTimings? timings = null)
{
    public ILoginDriver Driver => driver;
    public TimeSpan NavigationTimeout => navigationTimeout;
    /// <summary>
    /// The run's outage monitor: a page of the provider's origin the browser cannot load (a net::ERR_* connection, DNS, TLS or
    /// timeout error, or a 502/503/504 gateway answer) ends the attempt with <see cref="Run.ProviderUnreachableException"/>, never with an outcome a check
    /// would judge. Null in unit tests.
    /// </summary>
    public Run.OutageMonitor? Outages { get; init; }

    private ILocator CallbackPage(IPage page) => page.Locator($"#{CallbackListener.PageMarkerId}");

    /// <param name="credentials">null: no login may happen (prompt=none, SSO); a login page then ends with LoginRequired.</param>
    public async Task<AuthorizationOutcome> AuthorizeAsync(UserAgent ua, AuthorizationRequest request,
        (string Username, string Password)? credentials, RequestMethod method = RequestMethod.Get)
    {
        Reporting.CheckScope.UsedUserAgent(ua); // a failure bundle of this check shows this session's page and trace
        if (Uri.TryCreate(request.Endpoint, UriKind.Absolute, out var endpoint)) Outages?.ThrowIfDown(endpoint);
        using var failures = new NavigationFailures(ua.Page);
        var outcome = await AuthorizeInAsync(ua, request, credentials, method, failures);
        outcome = await ReachedAsync(outcome, failures, endpoint);
        Reporting.CheckScope.RecordAttempt($"authorization request ({Describe(request)})", outcome.SessionState());
        return await BrowserEvidence.AfterAttemptAsync(ua, outcome);
    }

    /// <summary>
    /// A navigation error on the provider's origin is an outage, not an outcome; any other outcome shows the browser
    /// reached the provider (a browser-only outage is over).
    /// </summary>
    /// <param name="started">the URL the attempt navigated to first (the authorization or end-session endpoint)</param>
    private async Task<AuthorizationOutcome> ReachedAsync(AuthorizationOutcome outcome, NavigationFailures failures, Uri? started)
    {
        if (Outages is null) return outcome;
        if (outcome.End == AuthorizationEnd.Stalled && IsNetworkError(outcome.Detail) || outcome.Detail == UnreachablePage)
        {
            if (failures.Last is { } failed && Outages.IsProviderOrigin(failed.Url))
                throw await Outages.BrowserUnreachableAsync(failed.Url, failed.Failure);
            // No failed request recorded: the navigation the attempt started, if it was to the provider.
            if (failures.Last is null && started is not null && Outages.IsProviderOrigin(started) && NavigationFailures.IsUnreachable(outcome.Detail))
                throw await Outages.BrowserUnreachableAsync(started, outcome.Detail);
        }
        if (outcome.End == AuthorizationEnd.ProviderError && outcome.Detail.StartsWith("HTTP 50", StringComparison.Ordinal)
            && Uri.TryCreate(outcome.FinalUrl, UriKind.Absolute, out var page) && int.TryParse(outcome.Detail[5..8], out var status)
            && Run.Unreachability.IsGatewayStatus(status))
            await Outages.ConfirmAsync(page, $"the browser got HTTP {status}"); // a gateway answer: throws (an outage, not an outcome)
        if (outcome.End != AuthorizationEnd.Stalled) Outages.BrowserReached();
        return outcome;
    }

    /// <summary>Detail of an attempt whose page is Chromium's error page (a navigation failed in the network).</summary>
    private const string UnreachablePage = "the browser shows its network error page";

    private async Task<AuthorizationOutcome> AuthorizeInAsync(UserAgent ua, AuthorizationRequest request,
        (string Username, string Password)? credentials, RequestMethod method, NavigationFailures failures)
    {
        var page = ua.Page;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var started = DateTimeOffset.UtcNow;
        var deadline = DateTime.UtcNow + navigationTimeout + navigationTimeout;
        var submitted = false;
        var consent = false;
        var met = new List<ProviderPage>();
        // Both watch the page from before the first request: the driver's watch says when a page has settled, the traffic
        // is the evidence for a blank page and for a redirect the browser could not follow.
        using var watch = driver.Watch(page);
        using var traffic = new AttemptTraffic(page, callback.Origin, request.State, request.Endpoint);
        try
        {
            if (method == RequestMethod.Get)
                await GotoAsync(page, request.ToUri().ToString());
            else
                await page.SetContentAsync(AutoPostForm(request.Endpoint, request.Parameters));
        }
        catch (PlaywrightException e) when (EmptyErrorResponse(e) is { } answered)
        {
            return new AuthorizationOutcome(AuthorizationEnd.ProviderError, answered) { FinalUrl = page.Url, Duration = clock.Elapsed };
        }
        catch (PlaywrightException e) when (IsNetworkError(e.Message) && traffic.FailedRedirect is { } away)
        {
            return UnreachableRedirect(away.Url, away.Failure, submitted, consent, met, clock);
        }
        catch (PlaywrightException e) when (IsNetworkError(e.Message))
        {
            return new AuthorizationOutcome(AuthorizationEnd.Stalled, FirstLine(e.Message)) { FinalUrl = page.Url, Duration = clock.Elapsed };
        }

        for (var step = 0; step < 12; step++)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) break;
            var seen = await WaitForAnyAsync(page, remaining, failures: failures, traffic: traffic);
            if (seen is nameof(ProviderPage.Login) or nameof(ProviderPage.Consent))
            {
                // A login or consent page is taken only once the page has settled: credentials are never typed into a page
                // that is about to offer the existing session.
                if (!await SettledAsync(watch, deadline))
                    return Done(AuthorizationEnd.Stalled, $"the provider's page did not settle within {SettleTimeout.TotalSeconds:0} s ({watch.Describe()})");
                seen = await VisibleKindAsync(page);
                if (seen is null) continue; // it moved on while settling: look again
            }
            if (Enum.TryParse<ProviderPage>(seen, out var kind)) met.Add(kind);
            switch (seen)
            {
                case null:
                    return HeardByListener() ?? Done(AuthorizationEnd.Stalled, "timed out waiting for the provider");
                case UnreachablePage:
                    return Done(AuthorizationEnd.Stalled, UnreachablePage);
                case "callback":
                    return await ReadCallbackAsync(page, submitted, consent, clock) with { PagesMet = met };
                case RedirectFailedPage when traffic.FailedRedirect is { } away:
                    return UnreachableRedirect(away.Url, away.Failure, submitted, consent, met, clock);
                case { } blank when blank.StartsWith(BlankPagePrefix, StringComparison.Ordinal):
                    return Done(AuthorizationEnd.BlankPage, blank[BlankPagePrefix.Length..] + await PageTextNoteAsync(page));
                case nameof(ProviderPage.Login):
                    if (credentials is null) return Done(AuthorizationEnd.LoginRequired, $"login form shown ({watch.Describe()})");
                    if (submitted) return Done(AuthorizationEnd.LoginRejected, await driver.ReadMessageAsync(page));
                    await driver.SubmitCredentialsAsync(page, credentials.Value.Username, credentials.Value.Password);
                    submitted = true;
                    ua.LastLoginAt = DateTimeOffset.UtcNow;
                    timings?.CountLogin();
                    if (await AfterSubmitAsync(page, deadline) is { } rejected)
                        return Done(AuthorizationEnd.LoginRejected, rejected);
                    break;
                case nameof(ProviderPage.Consent):
                    if (consent && step > 8) return Done(AuthorizationEnd.Stalled, "consent page shown again and again");
                    var errorBefore = await ErrorVisibleAsync(page);
                    var navigations = traffic.NavigationsStarted;
                    await driver.ApproveConsentAsync(page);
                    consent = true;
                    if (await AfterApproveAsync(page, deadline, errorBefore, navigations, traffic) is { } refused)
                    {
                        met.Add(ProviderPage.Error);
                        return Done(submitted ? AuthorizationEnd.LoginRejected : AuthorizationEnd.ProviderError, refused);
                    }
                    break;
                case nameof(ProviderPage.Error):
                    var message = await driver.ReadMessageAsync(page);
                    return Done(submitted ? AuthorizationEnd.LoginRejected : AuthorizationEnd.ProviderError, message);
                case { } http when http.StartsWith("http-error:", StringComparison.Ordinal):
                    return Done(AuthorizationEnd.ProviderError, $"HTTP {http[11..]} page: {await driver.ReadMessageAsync(page)}");
                default:
                    return Done(AuthorizationEnd.Stalled, $"unexpected provider page '{seen}'");
            }
        }
        return HeardByListener() ?? Done(AuthorizationEnd.Stalled, "no redirect before the deadline");

        AuthorizationOutcome Done(AuthorizationEnd end, string detail) =>
            new(end, detail) { CredentialsSubmitted = submitted, ConsentShown = consent, FinalUrl = page.Url, Duration = clock.Elapsed, PagesMet = met };

        // The callback listener heard the redirect (this attempt's state in the query or the form) but its page never
        // rendered before the deadline: on a starved machine the browser can lag behind the listener. The request the
        // listener recorded is the provider's redirect, so it is read from there rather than called a stall. A fragment
        // response cannot be read that way (its parameters reach the listener only through the page's script).
        AuthorizationOutcome? HeardByListener()
        {
            if (request.State is not { } state) return null;
            var mode = request.Get("response_mode") ?? (request.Get("response_type") == "code" ? "query" : "fragment");
            if (mode is not ("query" or "form_post")) return null;
            var hit = callback.HitsSince(started).LastOrDefault(h =>
                (h.Method == "POST" ? h.Form : h.Query).Any(p => p.Key == "state" && p.Value == state));
            if (hit is null) return null;
            var response = hit.Method == "POST"
                ? new AuthorizationResponse(ResponseLocation.FormPost, hit.Form, hit.Url) { OtherParameters = hit.Query }
                : new AuthorizationResponse(ResponseLocation.Query, hit.Query, hit.Url);
            return new AuthorizationOutcome(AuthorizationEnd.Redirected, hit.Path)
            {
                Response = response, Hit = hit, CredentialsSubmitted = submitted, ConsentShown = consent, FinalUrl = page.Url,
                Duration = clock.Elapsed, PagesMet = met,
            };
        }
    }

    /// <summary>RP-initiated logout in the browser: confirms where the provider asks, then reports where the browser ended.</summary>
    public async Task<AuthorizationOutcome> LogoutAsync(UserAgent ua, Uri endSessionUrl, bool confirm = true)
    {
        Reporting.CheckScope.UsedUserAgent(ua);
        Outages?.ThrowIfDown(endSessionUrl);
        using var failures = new NavigationFailures(ua.Page);
        var outcome = await LogoutInAsync(ua, endSessionUrl, confirm, failures);
        outcome = await ReachedAsync(outcome, failures, endSessionUrl);
        Reporting.CheckScope.RecordAttempt("end-session request", outcome.SessionState());
        return await BrowserEvidence.AfterAttemptAsync(ua, outcome);
    }

    /// <summary>What distinguishes an authorization request in the session-state evidence: its prompt and max_age, if any.</summary>
    private static string Describe(AuthorizationRequest request)
    {
        var parts = new[] { "prompt", "max_age", "response_type" }.Select(n => request.Get(n) is { } v ? $"{n}={v}" : null).OfType<string>().ToList();
        return parts.Count == 0 ? "without response_type" : string.Join(", ", parts);
    }

    private async Task<AuthorizationOutcome> LogoutInAsync(UserAgent ua, Uri endSessionUrl, bool confirm, NavigationFailures failures)
    {
        var page = ua.Page;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var deadline = DateTime.UtcNow + navigationTimeout;
        try { await GotoAsync(page, endSessionUrl.ToString()); }
        catch (PlaywrightException e) when (EmptyErrorResponse(e) is { } answered)
        {
            return Ended(AuthorizationEnd.ProviderError, answered);
        }
        catch (PlaywrightException e) when (IsNetworkError(e.Message))
        {
            return Ended(AuthorizationEnd.Stalled, FirstLine(e.Message));
        }
        for (var step = 0; step < 4; step++)
        {
            var remaining = deadline - DateTime.UtcNow;
            if (remaining <= TimeSpan.Zero) break;
            var seen = await WaitForAnyAsync(page, remaining, includeLogout: true, failures: failures);
            switch (seen)
            {
                case null:
                    return Ended(AuthorizationEnd.Stalled, "timed out waiting for the provider");
                case UnreachablePage:
                    return Ended(AuthorizationEnd.Stalled, UnreachablePage);
                case "callback":
                    return await ReadCallbackAsync(page, false, false, clock);
                case nameof(ProviderPage.LogoutConfirm) when confirm:
                    await driver.ConfirmLogoutAsync(page);
                    await WaitGoneAsync(driver.Locate(page, ProviderPage.LogoutConfirm), deadline);
                    confirm = false;
                    break;
                case nameof(ProviderPage.LogoutConfirm):
                    return Ended(AuthorizationEnd.Stalled, "logout confirmation shown");
                case nameof(ProviderPage.LoggedOut):
                    return Ended(AuthorizationEnd.ProviderError, "logged out, no redirect: " + await driver.ReadMessageAsync(page));
                case nameof(ProviderPage.Error):
                    return Ended(AuthorizationEnd.ProviderError, await driver.ReadMessageAsync(page));
                case nameof(ProviderPage.Login):
                    return Ended(AuthorizationEnd.LoginRequired, "login form shown");
                case { } http when http.StartsWith("http-error:", StringComparison.Ordinal):
                    return Ended(AuthorizationEnd.ProviderError, $"HTTP {http[11..]} page: {await driver.ReadMessageAsync(page)}");
                default:
                    return Ended(AuthorizationEnd.Stalled, "no recognizable page");
            }
        }
        return Ended(AuthorizationEnd.Stalled, "no redirect before the deadline");

        // Every logout outcome other than a redirect is built here: where the browser ended and how long it took.
        AuthorizationOutcome Ended(AuthorizationEnd end, string detail) =>
            new(end, detail) { FinalUrl = page.Url, Duration = clock.Elapsed };
    }

    private async Task<AuthorizationOutcome> ReadCallbackAsync(IPage page, bool submitted, bool consent, System.Diagnostics.Stopwatch clock)
    {
        var hitId = await CallbackPage(page).First.GetAttributeAsync("data-hit");
        var hit = await callback.CompletedHitAsync(hitId!, navigationTimeout);
        var fragment = Http.FormCodec.Parse(hit.Fragment);
        AuthorizationResponse response;
        if (hit.Method == "POST")
            response = new AuthorizationResponse(ResponseLocation.FormPost, hit.Form, hit.Url) { OtherParameters = [.. hit.Query, .. fragment] };
        else if (fragment.Count > 0)
            response = new AuthorizationResponse(ResponseLocation.Fragment, fragment, hit.Url) { OtherParameters = hit.Query };
        else
            response = new AuthorizationResponse(ResponseLocation.Query, hit.Query, hit.Url);
        return new AuthorizationOutcome(AuthorizationEnd.Redirected, hit.Path)
        {
            Response = response, Hit = hit, CredentialsSubmitted = submitted, ConsentShown = consent, FinalUrl = page.Url,
            Duration = clock.Elapsed,
        };
    }

    /// <summary>Waits for whichever known page appears first; returns its name, or null at the deadline.</summary>
    /// <param name="traffic">when given (authorization attempts), a failed redirect away from the provider and a settled
    /// blank provider page end the wait too (<see cref="RedirectFailedPage"/>, <see cref="BlankPagePrefix"/>).</param>
    private async Task<string?> WaitForAnyAsync(IPage page, TimeSpan timeout, bool includeLogout = false, NavigationFailures? failures = null, AttemptTraffic? traffic = null)
    {
        var kinds = new List<(string Name, ILocator Locator)> { ("callback", CallbackPage(page)) };
        foreach (var kind in Enum.GetValues<ProviderPage>())
            if (includeLogout || kind is not (ProviderPage.LogoutConfirm or ProviderPage.LoggedOut))
                kinds.Add((kind.ToString(), driver.Locate(page, kind)));
        var any = kinds.Select(k => k.Locator).Aggregate((a, b) => a.Or(b));
        // Wait in slices: a provider that answers with a bare HTTP error page (404, 403 with an empty body) shows none
        // of the known pages, and waiting out the whole deadline for it would only make the verdict slow. The slices
        // grow (0.25 s, 0.5 s, 1 s, then 2.5 s at most): such a page is seen within a fraction of a second, while a slow
        // page costs a few cheap probes at most.
        var deadline = DateTime.UtcNow + timeout;
        var sliceMs = 250.0;
        while (true)
        {
            var slice = TimeSpan.FromMilliseconds(Math.Min(sliceMs, Math.Max(1, (deadline - DateTime.UtcNow).TotalMilliseconds)));
            // With the traffic to tell a blank page, slices stay at 1 s at most so that it is decided within 5 s.
            sliceMs = Math.Min(traffic is null ? 2500 : 1000, sliceMs * 2);
            try
            {
                await any.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = (float)slice.TotalMilliseconds });
                break;
            }
            catch (TimeoutException)
            {
                if (traffic?.FailedRedirect is not null) return RedirectFailedPage;
                if (DateTime.UtcNow >= deadline) return null;
                if (await HttpErrorPageAsync(page) is { } status) return "http-error:" + status;
                if (await BlankPageAsync(page)) return "http-error:200 (empty document)";
                // A navigation to the provider's origin failed in the network (Chromium's error page): nothing will appear. Failures
                // elsewhere (a redirect to a relying-party host that does not resolve) are evidence about the provider and keep
                // their own handling.
                if (failures?.Last is { } failed && Outages?.IsProviderOrigin(failed.Url) == true && page.Url.StartsWith(ErrorPageScheme, StringComparison.Ordinal))
                    return UnreachablePage;
                if (traffic is not null && await traffic.BlankEvidenceAsync(BlankPageQuiet) is { } evidence)
                {
                    // A slice can time out on a busy machine while a known page is already shown: look once more before
                    // calling the page blank.
                    if (await FirstVisibleAsync(kinds) is { } shown) return shown;
                    return BlankPagePrefix + evidence;
                }
            }
        }
        foreach (var (name, locator) in kinds)
            if (await locator.First.IsVisibleAsync()) return name;
        // The page changed between the wait and the probe: look again.
        return await WaitForAnyAsync(page, TimeSpan.FromMilliseconds(Math.Max(500, timeout.TotalMilliseconds / 2)), includeLogout, failures, traffic);
    }

    private static async Task<string?> FirstVisibleAsync(IEnumerable<(string Name, ILocator Locator)> kinds)
    {
        try
        {
            foreach (var (name, locator) in kinds)
                if (await locator.First.IsVisibleAsync()) return name;
        }
        catch (PlaywrightException) { } // navigating right now
        return null;
    }

    /// <summary>The HTTP status of the document the page shows, when it is an error (≥ 400) and the page has settled.</summary>
    private static async Task<int?> HttpErrorPageAsync(IPage page)
    {
        try
        {
            var status = await page.EvaluateAsync<int?>(
                "() => document.readyState === 'complete' ? (performance.getEntriesByType('navigation')[0]?.responseStatus ?? null) : null");
            return status is >= 400 ? status : null;
        }
        catch (PlaywrightException) { return null; } // navigating right now
    }

    /// <summary>
    /// A loaded document with nothing in its body and no script that could still render something (glewlwyd answers
    /// end_session without id_token_hint with 200 and an empty body): nothing will ever appear, so waiting is pointless.
    /// </summary>
    private static async Task<bool> BlankPageAsync(IPage page)
    {
        try
        {
            return await page.EvaluateAsync<bool>(
                "() => document.readyState === 'complete' && !!document.body && document.body.childElementCount === 0 && " +
                "document.body.textContent.trim() === '' && document.scripts.length === 0 && location.protocol.startsWith('http')");
        }
        catch (PlaywrightException) { return false; } // navigating right now
    }

    /// <summary>After credentials: the login form goes away (accepted) or an error shows (refused).</summary>
    private async Task<string?> AfterSubmitAsync(IPage page, DateTime deadline)
    {
        var ms = (float)Math.Max(1000, (deadline - DateTime.UtcNow).TotalMilliseconds);
        var gone = driver.Locate(page, ProviderPage.Login).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = ms });
        var error = driver.Locate(page, ProviderPage.Error).First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Visible, Timeout = ms });
        var first = await Task.WhenAny(gone, error);
        _ = (first == gone ? error : gone).ContinueWith(t => t.Exception, TaskContinuationOptions.OnlyOnFaulted);
        if (first == error && error.IsCompletedSuccessfully && await driver.Locate(page, ProviderPage.Login).First.IsVisibleAsync())
            return await driver.ReadMessageAsync(page);
        return null;
    }

    private static async Task WaitGoneAsync(ILocator locator, DateTime deadline)
    {
        var ms = (float)Math.Max(1000, (deadline - DateTime.UtcNow).TotalMilliseconds);
        try { await locator.First.WaitForAsync(new LocatorWaitForOptions { State = WaitForSelectorState.Hidden, Timeout = ms }); }
        catch (TimeoutException) { }
    }

    private static string AutoPostForm(string action, IEnumerable<KeyValuePair<string, string>> fields) =>
        $"<!doctype html><form method=\"post\" action=\"{WebUtility.HtmlEncode(action)}\">" +
        string.Concat(fields.Select(f => $"<input type=\"hidden\" name=\"{WebUtility.HtmlEncode(f.Key)}\" value=\"{WebUtility.HtmlEncode(f.Value)}\">")) +
        "</form><script>document.forms[0].submit()</script>";

}
