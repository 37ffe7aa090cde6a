using Microsoft.Playwright;
using OidcConformance.Browser;
using OidcConformance.Profiles;
using OidcConformance.Providers;
using OidcConformance.Run;

namespace OidcConformance.Doctor;

/// <summary>
/// <c>./run.sh doctor</c>: checks a profile against the live provider before a conformance run, and says per problem what is
/// wrong, which profile key, and what to change. Steps, each only when the one before it worked: the profile loads; the provider
/// starts (embedded) and its discovery document answers JSON whose issuer is the profile's; every client authenticates at the
/// token endpoint; every redirect URI reaches the callback listener; every user logs in through the login driver (screenshots in
/// artifacts/doctor/); the claim table matches what the login returned. The doctor judges the profile, never the provider's
/// conformance: that is the conformance run's job.
/// </summary>
public static class ProfileDoctor
{
    /// <param name="browser">a browser to use (the tests share one between doctor runs); null: the doctor launches its own, as the
    /// conformance run would (runsettings browserExecutable / OIDC_BROWSER, Playwright's Chromium, a system Chromium).</param>
    public static async Task<DoctorReport> RunAsync(RunSettings settings, TextWriter log, BrowserHost? browser = null)
    {
        var screenshots = Path.Combine(settings.ArtifactsDirectory, "doctor");
        if (Directory.Exists(screenshots))
            foreach (var old in Directory.GetFiles(screenshots, "*.png")) File.Delete(old); // an earlier run's pages would mislead
        var file = Path.GetRelativePath(settings.RepositoryRoot, settings.ProfilePath);
        var findings = new List<DoctorFinding>();
        DoctorReport Report() => new(file, findings, screenshots);

        ProviderProfile profile;
        try
        {
            profile = ProfileLoader.Load(settings.ProfilePath);
            LoginDrivers.Create(profile);
        }
        catch (ProfileException e)
        {
            findings.Add(DoctorFinding.Problem("profile", e.FieldPath, e.Message, "correct the field as the message says (docs/profile-format.md)"));
            return Report();
        }
        catch (FileNotFoundException e)
        {
            findings.Add(DoctorFinding.Problem("profile", "runsettings parameter profile / OIDC_PROFILE", e.Message, "point the runsettings parameter 'profile' at the profile file"));
            return Report();
        }
        findings.Add(DoctorFinding.Ok("profile", "$", $"profile '{profile.Name}' {profile.Version} loads ({profile.Clients.Count} clients, {profile.Users.Count} users, login driver '{profile.LoginDriver}')"));

        // The run's own report files go to a scratch folder: a doctor run is no conformance result.
        var scratch = Directory.CreateTempSubdirectory("oidc-doctor-").FullName;
        ConformanceRun run;
        try
        {
            run = await ConformanceRun.StartAsync(settings with { ArtifactsDirectory = scratch }, log);
        }
        catch (ProviderStartException e)
        {
            findings.Add(Unreachable(profile, e.Message));
            DeleteQuietly(scratch);
            return Report();
        }
        catch (InvalidOperationException e) when (e.Message.Contains("callback.port", StringComparison.Ordinal))
        {
            findings.Add(DoctorFinding.Problem("callback", "$.callback.port", e.Message, "free the port, or register another port in the provider and in callback.port"));
            DeleteQuietly(scratch);
            return Report();
        }
        try
        {
            await using (run)
            {
                await StepsAsync(run, findings, screenshots, log, browser);
            }
        }
        finally { DeleteQuietly(scratch); }
        return Report();
    }

    private static async Task StepsAsync(ConformanceRun run, List<DoctorFinding> findings, string screenshots, TextWriter log, BrowserHost? shared)
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        void Done(string step) => log.WriteLine($"[doctor] {step} done at {clock.Elapsed.TotalSeconds:0.0} s");
        var discovery = await DiscoveryProbe.RunAsync(run);
        findings.AddRange(discovery);
        if (discovery.Any(f => f.Status == DoctorStatus.Problem)) return;

        findings.AddRange(await ClientAuthenticationProbe.RunAsync(run, await run.EndpointAsync("token_endpoint")));
        Done("client authentication");

        BrowserHost? owned = null;
        try
        {
            // Its own browser (not the run's): no Playwright traces are recorded, the screenshots are the doctor's evidence.
            if (shared is null)
                owned = await BrowserHost.LaunchAsync(run.Settings.BrowserExecutable, run.Profile.HostResolverRules, run.Settings.Headless);
        }
        catch (BrowserUnavailableException e)
        {
            findings.Add(DoctorFinding.Problem("browser", "runsettings browserExecutable / env OIDC_BROWSER", e.Message,
                "install Chromium or point OIDC_BROWSER at one; the login steps need a browser"));
            return;
        }
        await using var _ = owned;
        var browser = (shared ?? owned)!;
        Done("browser launch");
        findings.AddRange(await CallbackProbe.RunAsync(run, browser));
        Done("callback");

        const string role = "confidential"; // the client of the suite's reference login
        for (var i = 0; i < run.Profile.Users.Count; i++)
        {
            var login = await LoginProbe.RunAsync(run, browser, i, role, screenshots);
            findings.AddRange(login.Findings);
            Done($"login of users[{i}]");
            if (login.Code is not null) findings.AddRange(await ClaimTableProbe.RunAsync(run, i, role, login));
            Done($"claims of users[{i}]");
        }
    }

    /// <summary>The provider could not be started or reached: one finding that names the key to look at.</summary>
    private static DoctorFinding Unreachable(ProviderProfile profile, string message)
    {
        if (profile.Start.Embedded)
            return DoctorFinding.Problem("start", "$.start", message,
                "run the start command by hand in the start.workingDirectory to see why it does not print its ready line (readyPattern), then fix $.start");
        var key = profile.DiscoveryUrl is null ? "$.issuer" : "$.discoveryUrl";
        return DoctorFinding.Problem("discovery", key, message,
            $"start the provider first (start.mode is external), or correct {key}: it must be the provider's issuer URL as this machine reaches it");
    }

    private static void DeleteQuietly(string dir)
    {
        try { Directory.Delete(dir, true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }
}
