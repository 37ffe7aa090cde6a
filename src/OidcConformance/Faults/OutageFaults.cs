using System.Text;

namespace OidcConformance.Faults;

/// <summary>
/// Faults that take the provider away in the middle of a run instead of breaking one property: it stops, restarts, answers
/// 503 to everything, or refuses the browser. They kill no check; they prove that the run turns an outage into Errors (never
/// Failed or Passed verdicts), says so first in its reports, and ends soon (docs/faults.md, "Outage faults"). They are not in
/// <see cref="FaultCatalog.All"/>: their contract is the outage tests' (tests/OidcConformance.Tests/Harness/ProviderOutageTests.cs).
/// The outage begins after <c>OIDC_FAULT_AFTER</c> requests through the proxy (default 40), so a run has reached verdicts first.
/// </summary>
public static class OutageFaults
{
    public const string AfterVariable = "OIDC_FAULT_AFTER";

    private static int After => int.TryParse(Environment.GetEnvironmentVariable(AfterVariable), out var n) && n >= 0 ? n : 40;

    /// <summary>Counts the requests through the proxy; true once the outage has begun.</summary>
    private static bool Begun(FaultContext c) => (int)c.State.AddOrUpdate("outage/requests", 1, (_, v) => (int)v + 1) > After;

    /// <summary>True for exactly one caller: the one that does the fault's one-off action.</summary>
    private static bool First(FaultContext c, string action) => c.State.TryAdd("outage/" + action, true);

    /// <summary>What a reverse proxy (nginx, traefik) in front of a provider that is not there answers: 502.</summary>
    private static async Task<ProxyResponse> ForwardOrBadGateway(ProxyRequest q, Func<ProxyRequest, Task<ProxyResponse>> next)
    {
        try { return await next(q); }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            return Text(502, "502 Bad Gateway: upstream connection refused");
        }
    }

    private static ProxyResponse Text(int status, string body)
    {
        var r = new ProxyResponse(status, Encoding.UTF8.GetBytes($"<!doctype html><html><head><title>{status}</title></head><body><h1>{body}</h1></body></html>"));
        r.SetHeader("Content-Type", "text/html; charset=utf-8");
        return r;
    }

    /// <summary>Requests from the suite's browser (Chromium sends a Mozilla user agent; the back-channel client sends none).</summary>
    private static bool FromBrowser(ProxyRequest q) => q.Header("User-Agent")?.Contains("Mozilla", StringComparison.Ordinal) == true;

    public static readonly IReadOnlyList<Fault> All =
    [
        new("provider-stops", "the embedded provider is killed mid-run and stays down; the proxy in front answers 502", ["Discovery", "UserInfo", "AuthorizationCode"], [])
        {
            Source = "issue #20: Casdoor stopped 40 s into a nightly run",
            Around = async (c, q, next) =>
            {
                if (Begun(c) && First(c, "kill")) c.Provider?.Kill();
                return await ForwardOrBadGateway(q, next);
            },
        },
        new("provider-restarts", "the embedded provider is killed mid-run and started again (a container restart policy)", ["Discovery", "UserInfo", "AuthorizationCode"], [])
        {
            Source = "issue #20: a provider that restarts in the middle of a run",
            Around = async (c, q, next) =>
            {
                if (Begun(c) && First(c, "restart") && c.Provider is { } provider)
                {
                    provider.Kill(); // the gap begins now; requests in it meet a 502
                    _ = Task.Run(provider.RestartAsync);
                }
                return await ForwardOrBadGateway(q, next);
            },
        },
        new("provider-503", "mid-run, every request is answered 503 Service Unavailable (a maintenance page in front)", ["Discovery", "UserInfo", "AuthorizationCode"], [])
        {
            Around = async (c, q, next) => Begun(c) ? Text(503, "503 Service Unavailable") : await next(q),
        },
        new("browser-refused", "mid-run, the provider's origin drops every connection of the browser (the back channel still works)", ["Discovery", "UserInfo", "AuthorizationCode"], [])
        {
            Source = "a firewall or network policy that lets the suite's host through but not its browser",
            Around = async (c, q, next) => Begun(c) && FromBrowser(q) ? new ProxyResponse(0, []) { AbortConnection = true } : await next(q),
        },
    ];
}
