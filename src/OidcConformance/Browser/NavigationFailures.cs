using System.Collections.Concurrent;
using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// The main-frame navigations of one page that failed in the network (net::ERR_*), while an attempt runs. Why: a failed
/// navigation leaves the page on Chromium's error page and Playwright's error names only the URL the attempt started
/// with, while the request that failed may be a later one in the chain (a redirect to the relying party, a login form
/// post); only its own URL tells whether the provider could not be reached or something else could not.
/// </summary>
public sealed class NavigationFailures : IDisposable
{
    private readonly IPage page;
    private readonly ConcurrentQueue<(Uri Url, string Failure)> failures = new();

    public NavigationFailures(IPage page)
    {
        this.page = page;
        page.RequestFailed += OnFailed;
    }

    private void OnFailed(object? sender, IRequest request)
    {
        try
        {
            if (!request.IsNavigationRequest || request.Frame != page.MainFrame) return;
            if (Uri.TryCreate(request.Url, UriKind.Absolute, out var url)) failures.Enqueue((url, request.Failure ?? "failed"));
        }
        catch (PlaywrightException) { /* an event handler must never throw into Playwright */ }
    }

    /// <summary>
    /// The last navigation that failed to reach its server, if any. Other failures are not about reachability: an aborted
    /// navigation (net::ERR_ABORTED, replaced by another), an unsafe or invalid redirect, a blocked request.
    /// </summary>
    public (Uri Url, string Failure)? Last =>
        failures.Reverse().Cast<(Uri Url, string Failure)?>().FirstOrDefault(f => IsUnreachable(f!.Value.Failure));

    /// <summary>Chromium's network errors that mean the server could not be reached (connection, DNS, TLS, timeout).</summary>
    public static bool IsUnreachable(string failure) =>
        new[] { "ERR_CONNECTION_", "ERR_EMPTY_RESPONSE", "ERR_NAME_NOT_RESOLVED", "ERR_NAME_RESOLUTION_FAILED", "ERR_ADDRESS_UNREACHABLE",
                "ERR_TIMED_OUT", "ERR_SSL_", "ERR_CERT_", "ERR_INTERNET_DISCONNECTED", "ERR_NETWORK_CHANGED", "ERR_SOCKET_NOT_CONNECTED" }
            .Any(code => failure.Contains(code, StringComparison.Ordinal));

    public void Dispose() => page.RequestFailed -= OnFailed;
}
