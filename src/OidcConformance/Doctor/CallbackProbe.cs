using Microsoft.Playwright;
using OidcConformance.Callback;
using OidcConformance.Run;

namespace OidcConformance.Doctor;

/// <summary>
/// Each redirect URI the profile gives an authorization client reaches the suite's callback listener in the browser (its host
/// resolves there, through browser.hostResolverRules where needed, and its port is the listener's).
/// </summary>
public static class CallbackProbe
{
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(ConformanceRun run, Browser.BrowserHost browser)
    {
        var findings = new List<DoctorFinding>();
        await using var ua = await browser.NewUserAgentAsync(run.NavigationTimeout);
        var probed = new HashSet<string>();
        foreach (var (role, client) in run.Profile.Clients.Where(c => c.Value.ResponseTypes.Count > 0 || c.Value.GrantTypes.Contains("authorization_code")))
        {
            var uri = run.RedirectUri(client);
            if (!probed.Add(uri)) continue;
            var key = client.RedirectUri is null ? "$.callback" : $"$.clients.{role}.redirectUri";
            var probe = uri + (uri.Contains('?') ? "&" : "?") + "oidc_doctor_probe=1";
            try
            {
                await ua.Page.GotoAsync(probe, new PageGotoOptions { Timeout = 5000 });
                await ua.Page.Locator($"#{CallbackListener.PageMarkerId}").WaitForAsync(new LocatorWaitForOptions { Timeout = 3000 });
                findings.Add(DoctorFinding.Ok("callback", key, $"{uri} reaches the callback listener"));
            }
            catch (Exception e) when (e is PlaywrightException or TimeoutException)
            {
                findings.Add(DoctorFinding.Problem("callback", key,
                    $"the browser cannot reach the callback listener at {uri}: {e.Message.Split('\n')[0]}",
                    $"{key} must point at this machine's callback listener ({run.Callback.Origin}): fix callback.host / callback.port, or map its host name with browser.hostResolverRules"));
            }
        }
        return findings;
    }
}
