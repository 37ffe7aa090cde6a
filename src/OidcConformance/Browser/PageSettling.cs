using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// Part of the login-driver contract: whether the provider's page has settled, so that a page kind is taken only once it
/// will not turn into another one. A single-page app may show one page for a few milliseconds before the data it waits
/// for arrives (Casdoor: the bare login form before <c>/api/get-account</c> answered, then the "Continue with" box of the
/// existing session; Recorded/casdoor-3.158.0/pages/03 vs 04). Created by <see cref="ILoginDriver.Watch"/> before the
/// attempt's first navigation, so it sees every request of the page; disposed at the end of the attempt.
/// </summary>
public interface IPageWatch : IDisposable
{
    /// <summary>True once the page shows its final state for the data it loaded.</summary>
    Task<bool> IsSettledAsync();

    /// <summary>What the watch saw (for verdict details), e.g. "/api/get-account answered: a session".</summary>
    string Describe();
}

/// <summary>The default for drivers whose pages are rendered by the server: a visible page is already settled.</summary>
public sealed class ImmediatePageWatch : IPageWatch
{
    public static readonly ImmediatePageWatch Instance = new();
    public Task<bool> IsSettledAsync() => Task.FromResult(true);
    public string Describe() => "server-rendered page";
    public void Dispose() { }
}
