using System.Collections.Concurrent;
using Microsoft.Playwright;
using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>Which browser session an authorization attempt uses.</summary>
public enum Session
{
    /// <summary>A logged-in session of the run (<see cref="LoggedInSessions"/>), leased for the attempt: a lenient provider answers at once, without a login page.</summary>
    LoggedIn,
    /// <summary>A fresh session without cookies.</summary>
    Fresh,
}

/// <summary>
/// One authorization attempt that records what happened besides the browser outcome: every request the browser made (Playwright
/// context request events, so a redirect to a host that never answers is seen too) and the callback-listener hits carrying the
/// attempt's state. Negative tests pass credentials as well, so a provider that shows its login page first and redirects only
/// after the login (Casdoor) is followed up to its redirect.
/// </summary>
public static class AuthorizationEndpointFlow
{
    public static async Task<AuthorizationAttempt> AttemptAsync(ConformanceRun run, Action<AuthorizationRequest>? customize = null,
        Session session = Session.LoggedIn, bool allowLogin = true, RequestMethod method = RequestMethod.Get, bool exchangeCode = false,
        ClientProfile? client = null, Func<long?, Task>? beforeRequest = null, Action<AuthorizationPipeline>? steps = null)
    {
        client ??= run.Profile.Confidential;
        var user = run.Profile.PrimaryUser;
        var endpoint = await run.EndpointAsync("authorization_endpoint");
        // The normal request with the case's step changes (steps), or with a positive attempt's adjustment (customize).
        var request = CodeFlow.AuthorizationSteps(client, run.RedirectUri(client), "code", pkce: false, steps).Build(endpoint);
        customize?.Invoke(request);

        UserAgent ua;
        var owned = false;
        SessionPool<LoggedInSessions.Session>.Lease? lease = null;
        if (session == Session.LoggedIn)
        {
            lease = await LoggedInSessions.AcquireAsync(run);
            ua = lease.Session.UserAgent;
            if (beforeRequest is not null) await beforeRequest(LatestAuthentication(lease.Session.Login.IdToken.NumericDate("auth_time"), ua));
        }
        else
        {
            ua = await run.NewUserAgentAsync();
            owned = true;
        }
        try
        {
            return await AttemptInAsync(run, ua, owned, request, client, user, allowLogin, method, exchangeCode);
        }
        finally
        {
            if (lease is not null) await lease.DisposeAsync();
        }
    }

    /// <summary>The later of the session login's auth_time and the last login in that browser session (a prompt=login attempt may have logged in again).</summary>
    private static long? LatestAuthentication(long? authTime, UserAgent ua) =>
        ua.LastLoginAt is { } at ? Math.Max(authTime ?? 0, at.ToUnixTimeSeconds()) : authTime;

    private static async Task<AuthorizationAttempt> AttemptInAsync(ConformanceRun run, UserAgent ua, bool owned, AuthorizationRequest request,
        ClientProfile client, TestUser user, bool allowLogin, RequestMethod method, bool exchangeCode)
    {

        var observed = new ConcurrentQueue<ObservedRequest>();
        void OnRequest(object? sender, IRequest r)
        {
            try
            {
                string? body = null;
                try { if (r.Method == "POST") body = r.PostData; } catch (PlaywrightException) { }
                var source = r.IsNavigationRequest ? "browser navigation" : "browser request";
                observed.Enqueue(ObservedRequest.From(r.Url, source, body));
            }
            catch (Exception) { /* an event handler must never throw into Playwright */ }
        }

        var started = DateTimeOffset.UtcNow;
        AuthorizationOutcome outcome;
        string? pageText = null;
        await ua.Lock.WaitAsync();
        try
        {
            ua.Context.Request += OnRequest;
            try
            {
                outcome = await run.Authorizer.AuthorizeAsync(ua, request, allowLogin ? (user.Username, user.Password) : null, method);
                if (outcome.End is AuthorizationEnd.Stalled or AuthorizationEnd.BlankPage) pageText = await PageTextAsync(ua.Page);
            }
            finally { ua.Context.Request -= OnRequest; }
        }
        finally { ua.Lock.Release(); }

        // Listener hits of this attempt: they carry its state (query, form or posted-back fragment).
        var state = request.State;
        var hits = run.Callback.HitsSince(started)
            .Select(h => ObservedRequest.From(h.Url.ToString(), "callback listener " + h.Method, FormEncode(h.Form), h.Fragment))
            .Where(o => state is not null && o.Get("state") == state);

        TokenResponse? token = null;
        if (exchangeCode && outcome.Response?.Code is { } code && outcome.Response.Error is null)
        {
            var tokenRequest = TokenRequest.AuthorizationCode(await run.EndpointAsync("token_endpoint"), client, code, request.RedirectUri ?? run.RedirectUri(client),
                request.CodeVerifier);
            token = await run.TokenAsync(tokenRequest, "token: authorization_code (authorization endpoint suite)");
        }
        if (owned) await ua.DisposeAsync();
        return new AuthorizationAttempt(request, outcome, [.. observed, .. hits]) { Token = token, Started = started, PageText = pageText };
    }

    private static async Task<string?> PageTextAsync(IPage page)
    {
        try
        {
            var text = (await page.Locator("body").InnerTextAsync(new LocatorInnerTextOptions { Timeout = 2000 })).Trim();
            return Http.Redactor.Redact(text.Length > 400 ? text[..400] : text);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { return null; }
    }

    private static string FormEncode(IReadOnlyList<KeyValuePair<string, string>> form) => Http.FormCodec.Encode(form);

    /// <summary>Waits (polling the clock, at most two seconds) until a whole second has passed since <paramref name="authTime"/>, so max_age=0 is exceeded.</summary>
    public static async Task SecondPassedSinceAsync(long? authTime)
    {
        if (authTime is null) return;
        var deadline = DateTime.UtcNow.AddSeconds(2.5);
        while (DateTimeOffset.UtcNow.ToUnixTimeSeconds() <= authTime.Value && DateTime.UtcNow < deadline)
            await Task.Delay(50);
    }
}
