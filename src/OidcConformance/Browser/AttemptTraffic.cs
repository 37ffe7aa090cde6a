using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// The requests of one page during one browser attempt, as evidence for the two endings that no page object can see:
/// <list type="bullet">
/// <item>a provider page that loaded (its document and API requests answered), went quiet and shows nothing a driver
/// recognizes (Casdoor without client_id, Recorded/casdoor-3.158.0/pages/07): <see cref="BlankEvidenceAsync"/>;</item>
/// <item>a main-frame navigation away from the provider that carries the authorization response (code, state, error…) and
/// could not be loaded, e.g. a redirect to a host that does not resolve: <see cref="FailedRedirect"/>. The request the
/// browser was sent on is the evidence; what the unreachable host would have answered does not matter.</item>
/// </list>
/// Event handlers only record; they never throw into Playwright.
/// </summary>
public sealed class AttemptTraffic : IDisposable
{
    private readonly IPage page;
    private readonly string? callbackOrigin;
    private readonly string? state;
    private readonly string? providerOrigin;
    private readonly ConcurrentDictionary<IRequest, DateTime> inFlight = new();
    private readonly ConcurrentQueue<(IResponse Response, bool Document)> answered = new();
    private long lastActivityTicks = DateTime.UtcNow.Ticks;

    /// <param name="callbackOrigin">the relying party's callback origin: its requests are not the provider's.</param>
    /// <param name="state">the request's state: a failed navigation carrying it is this attempt's authorization response.</param>
    /// <param name="endpoint">the authorization endpoint: a failed navigation to its origin is the provider's own (an outage or
    /// a superseded navigation), never a redirect away from it.</param>
    public AttemptTraffic(IPage page, string? callbackOrigin, string? state, string? endpoint = null)
    {
        providerOrigin = Uri.TryCreate(endpoint, UriKind.Absolute, out var e) ? e.GetLeftPart(UriPartial.Authority) : null;
        this.page = page;
        this.callbackOrigin = callbackOrigin;
        this.state = state;
        page.Request += OnRequest;
        page.RequestFinished += OnFinished;
        page.RequestFailed += OnFailed;
        page.Response += OnResponse;
    }

    /// <summary>The URL and failure of a navigation away from the provider that carried an authorization response and failed.</summary>
    public (string Url, string Failure)? FailedRedirect { get; private set; }

    /// <summary>How long no request has started or ended on the page.</summary>
    public TimeSpan QuietFor => DateTime.UtcNow - new DateTime(Interlocked.Read(ref lastActivityTicks), DateTimeKind.Utc);

    public int InFlight => inFlight.Count;

    private int navigations;

    /// <summary>Main-frame navigation requests since the attempt started (a click that leads somewhere starts one).</summary>
    public int NavigationsStarted => Volatile.Read(ref navigations);

    private void Touch() => Interlocked.Exchange(ref lastActivityTicks, DateTime.UtcNow.Ticks);

    private bool IsProvider(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" &&
        (callbackOrigin is null || !u.GetLeftPart(UriPartial.Authority).Equals(callbackOrigin, StringComparison.OrdinalIgnoreCase));

    private void OnRequest(object? sender, IRequest r)
    {
        try
        {
            inFlight[r] = DateTime.UtcNow;
            Touch();
            if (r.IsNavigationRequest && r.Frame == page.MainFrame) Interlocked.Increment(ref navigations);
        }
        catch (Exception) { }
    }

    private void OnFinished(object? sender, IRequest r)
    {
        inFlight.TryRemove(r, out _);
        Touch();
    }

    private void OnResponse(object? sender, IResponse r)
    {
        try
        {
            var request = r.Request;
            var document = request.IsNavigationRequest && request.Frame == page.MainFrame;
            if ((document || request.ResourceType is "fetch" or "xhr") && IsProvider(r.Url)) answered.Enqueue((r, document));
        }
        catch (Exception) { }
    }

    private void OnFailed(object? sender, IRequest r)
    {
        inFlight.TryRemove(r, out _);
        Touch();
        try
        {
            if (FailedRedirect is not null || !r.IsNavigationRequest || r.Frame != page.MainFrame) return;
            if (IsFailedRedirectAway(r.Url, r.Failure, providerOrigin, state)) FailedRedirect = (r.Url, r.Failure ?? "navigation failed");
        }
        catch (Exception) { }
    }

    /// <summary>
    /// A failed main-frame navigation that is the provider's answer sent elsewhere: not superseded (ERR_ABORTED: the browser
    /// moved on, nothing failed to load), not to the provider's own origin (its outage, or its own request carrying state),
    /// and carrying an authorization response.
    /// </summary>
    public static bool IsFailedRedirectAway(string url, string? failure, string? providerOrigin, string? state)
    {
        if (failure is not null && failure.Contains("ERR_ABORTED", StringComparison.Ordinal)) return false;
        if (!Uri.TryCreate(url, UriKind.Absolute, out var target)) return false;
        if (providerOrigin is not null && target.GetLeftPart(UriPartial.Authority).Equals(providerOrigin, StringComparison.OrdinalIgnoreCase)) return false;
        return CarriesAuthorizationResponse(url, state);
    }

    /// <summary>
    /// A URL whose query carries this request's state, or a code, token or error: the provider sent the browser there with
    /// its answer. (The fragment never reaches the request URL; a fragment response to an unreachable host stays unseen.)
    /// </summary>
    public static bool CarriesAuthorizationResponse(string url, string? state)
    {
        if (!Uri.TryCreate(url, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https")) return false;
        var query = Http.FormCodec.Parse(u.Query.TrimStart('?'));
        if (!string.IsNullOrEmpty(state) && query.Any(p => p.Key == "state" && p.Value == state)) return true;
        // The parameters of an authorization response: RFC 6749 §4.1.2, §4.1.2.1, §4.2.2; OIDC Core §3.2.2.5.
        return query.Any(p => p.Key is "code" or "id_token" or "access_token" or "error" && p.Value.Length > 0);
    }

    /// <summary>
    /// Evidence that the provider's page loaded and settled: the document answered (status &lt; 400), the document is complete,
    /// no request has been in flight and the document has not changed for <paramref name="quiet"/>, and no form control is shown. Returns the answered provider requests (document and API,
    /// with short JSON bodies) or null while any condition is missing.
    /// </summary>
    public async Task<string?> BlankEvidenceAsync(TimeSpan quiet)
    {
        if (!inFlight.IsEmpty || QuietFor < quiet) return null;
        var responses = answered.ToArray();
        var document = responses.LastOrDefault(r => r.Document).Response;
        if (document is null || document.Status >= 400 || !IsProvider(page.Url) || document.Url != page.Url && page.Url.Split('#')[0] != document.Url) return null;
        try
        {
            if (await page.EvaluateAsync<double>(StillAndEmptyScript) < quiet.TotalMilliseconds) return null;
        }
        catch (PlaywrightException) { return null; } // navigating right now
        var parts = new List<string>();
        foreach (var (response, isDocument) in responses.SkipWhile(r => r.Response != document))
        {
            var path = new Uri(response.Url).AbsolutePath;
            var line = $"{response.Request.Method} {path} → {response.Status}{(isDocument ? " (document)" : "")}";
            if (!isDocument && await ShortJsonAsync(response) is { } body) line += " " + body;
            parts.Add(line);
        }
        return string.Join("; ", parts);
    }

    /// <summary>
    /// Milliseconds since the document last changed, or a negative number when the page is not blank: still loading (-1), the
    /// change observer was only just installed (-1: the next look measures), or a visible form control is shown (-2: a page
    /// that asks the user for something is an unrecognized page, not a blank one). A quiet network alone is not enough: on a
    /// busy machine the app may render a second after its last answer (seen with glewlwyd's grant panel), so the document
    /// itself must have stood still too. The observer only records a time; it changes nothing on the page.
    /// </summary>
    private const string StillAndEmptyScript = """
        () => {
          if (document.readyState !== 'complete' || !document.documentElement) return -1;
          const w = window;
          if (!w.__oidcConformanceStill) {
            w.__oidcConformanceStill = { at: performance.now() };
            new MutationObserver(() => { w.__oidcConformanceStill.at = performance.now(); })
              .observe(document.documentElement, { subtree: true, childList: true, attributes: true, characterData: true });
            return -1;
          }
          const shown = e => { const r = e.getBoundingClientRect(); return r.width > 0 && r.height > 0 && getComputedStyle(e).visibility !== 'hidden'; };
          if ([...document.querySelectorAll('input:not([type=hidden]), button, select, textarea')].some(shown)) return -2;
          return performance.now() - w.__oidcConformanceStill.at;
        }
        """;

    private static async Task<string?> ShortJsonAsync(IResponse response)
    {
        try
        {
            if (response.Headers.TryGetValue("content-type", out var type) && !type.Contains("json", StringComparison.OrdinalIgnoreCase)) return null;
            var text = System.Text.RegularExpressions.Regex.Replace(await response.TextAsync(), @"\s+", " ").Trim();
            return Http.Redactor.Redact(text.Length > 160 ? text[..160] + "…" : text);
        }
        catch (Exception e) when (e is PlaywrightException or TimeoutException) { return null; }
    }

    public void Dispose()
    {
        page.Request -= OnRequest;
        page.RequestFinished -= OnFinished;
        page.RequestFailed -= OnFailed;
        page.Response -= OnResponse;
    }
}
