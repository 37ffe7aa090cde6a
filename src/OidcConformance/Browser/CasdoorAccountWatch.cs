using System.Text.Json;
using Microsoft.Playwright;

namespace OidcConformance.Browser;

/// <summary>
/// When Casdoor's login page has settled. The SPA asks <c>GET /api/get-account</c> (web/src/backend/AccountBackend.js
/// getAccount, called when the app mounts) and renders the "Continue with" box only once that answered with an account
/// (web/src/auth/LoginPage.js renderSignedInBox returns null while <c>props.account</c> is undefined). Until then the bare
/// form may already be visible: in the recorded run, 21 of 40 loads in a logged-in browser showed it alone for 22–56 ms
/// (Recorded/casdoor-3.158.0/pages/03 before 04). So the page has settled when:
/// <list type="bullet">
/// <item>get-account answered without an account (controllers/base.go RequireSignedIn: the envelope
/// <c>{"status":"error","msg":"Please login first"}</c>): the form is final;</item>
/// <item>or it answered with an account (<c>{"status":"ok","data":{…}}</c>) and the box is there;</item>
/// <item>or it answered with an account and the box stayed away for <see cref="BoxGrace"/>: renderSignedInBox also withholds
/// it for an account of another organization or one that must enrol MFA, and React renders within a frame or two of the
/// answer, far below this grace.</item>
/// </list>
/// A new document (a main-frame navigation) starts over.
/// </summary>
public sealed class CasdoorAccountWatch : IPageWatch
{
    public static readonly TimeSpan BoxGrace = TimeSpan.FromSeconds(1);

    private readonly IPage page;
    private readonly Func<IPage, ILocator> signedInBox;
    private readonly object gate = new();
    private int generation;
    private bool requested;
    private (bool Account, DateTime At)? answer;

    public CasdoorAccountWatch(IPage page, Func<IPage, ILocator> signedInBox)
    {
        this.page = page;
        this.signedInBox = signedInBox;
        page.Request += OnRequest;
        page.Response += OnResponse;
    }

    private static bool IsGetAccount(string url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var u) && u.AbsolutePath.EndsWith("/api/get-account", StringComparison.Ordinal);

    private void OnRequest(object? sender, IRequest r)
    {
        try
        {
            lock (gate)
            {
                if (r.IsNavigationRequest && r.Frame == page.MainFrame)
                {
                    generation++;
                    requested = false;
                    answer = null;
                }
                else if (IsGetAccount(r.Url)) requested = true;
            }
        }
        catch (Exception) { }
    }

    private void OnResponse(object? sender, IResponse r)
    {
        try
        {
            if (IsGetAccount(r.Url)) _ = ReadAsync(r, Volatile.Read(ref generation));
        }
        catch (Exception) { }
    }

    private async Task ReadAsync(IResponse r, int seenIn)
    {
        var account = false;
        try
        {
            using var json = JsonDocument.Parse(await r.TextAsync());
            account = json.RootElement.ValueKind == JsonValueKind.Object &&
                      json.RootElement.TryGetProperty("status", out var s) && s.ValueKind == JsonValueKind.String && s.GetString() == "ok" &&
                      json.RootElement.TryGetProperty("data", out var d) && d.ValueKind == JsonValueKind.Object;
        }
        catch (Exception) { /* not JSON or the page moved on: the SPA sees no account either */ }
        lock (gate)
            if (generation == seenIn) answer = (account, DateTime.UtcNow);
    }

    public async Task<bool> IsSettledAsync()
    {
        (bool Account, DateTime At)? a;
        lock (gate) a = answer;
        if (a is null) return false;
        if (!a.Value.Account) return true;
        try
        {
            if (await signedInBox(page).First.IsVisibleAsync()) return true;
        }
        catch (PlaywrightException) { return false; }
        return DateTime.UtcNow - a.Value.At >= BoxGrace;
    }

    public string Describe()
    {
        lock (gate)
            return answer switch
            {
                null when requested => "/api/get-account not answered yet",
                null => "/api/get-account not requested",
                { Account: true } => "/api/get-account answered with the session's account",
                _ => "/api/get-account answered: no session",
            };
    }

    public void Dispose()
    {
        page.Request -= OnRequest;
        page.Response -= OnResponse;
    }
}
