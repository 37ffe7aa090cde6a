using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Doctor;
using OidcConformance.Profiles;
using OidcConformance.Providers;
using OidcConformance.Run;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Doctor;

/// <summary>
/// <c>./run.sh doctor</c> (issue #13 point 3) against the embedded provider: the repository's profile gives no problem, and each
/// kind of mistake a new user makes in a profile gives one finding that names its profile key and the fix. The mistakes are
/// mutated copies of the node profile in a temporary folder, run as <c>start.mode external</c> against one provider started here
/// for all of them (the provider reads its clients and users from the fixture, so a mutated copy disagrees with it as a wrong
/// profile would; its clients are native, so any loopback port of the doctor's callback listener is accepted, RFC 8252 §7.3).
/// </summary>
[TestFixture, Category("Doctor"), Category("Browser"), NonParallelizable]
public sealed class ProfileDoctorTests
{
    private const string NodeProfile = "fixtures/providers/node-oidc-provider/profile.json";
    private ProviderProcess provider = null!;
    private BrowserHost browser = null!;
    private string scratch = null!;

    [OneTimeSetUp]
    public async Task StartProviderOnce()
    {
        scratch = Directory.CreateTempSubdirectory("doctor-tests-").FullName;
        var profile = ProfileLoader.Load(Path.Combine(SuiteProcess.Root, NodeProfile));
        // Port-less loopback redirect URIs: registered once, they match the listener of every doctor run below whatever its port.
        string Expand(string s) => s.Replace("{callback.redirectUri}", "http://127.0.0.1/callback")
            .Replace("{callback.postLogoutRedirectUri}", "http://127.0.0.1/logout-callback");
        provider = await ProviderProcess.StartAsync(profile, Expand, TestContext.Progress);
        browser = await BrowserHost.LaunchAsync(Environment.GetEnvironmentVariable("OIDC_BROWSER"), null);
    }

    [OneTimeTearDown]
    public async Task StopProvider()
    {
        await browser.DisposeAsync();
        await provider.DisposeAsync();
        try { Directory.Delete(scratch, true); } catch (IOException) { }
    }

    private RunSettings Settings(string profile) =>
        new(SuiteProcess.Root, profile, Path.Combine(scratch, Path.GetFileName(Path.GetDirectoryName(profile)!)),
            Environment.GetEnvironmentVariable("OIDC_BROWSER"), Headless: true);

    /// <summary>A copy of the node profile pointing at the running provider (external), with one user unless the case needs both, then <paramref name="edit"/>.</summary>
    private string Mutated(Action<JsonObject> edit, bool bothUsers = false)
    {
        var json = JsonNode.Parse(File.ReadAllText(Path.Combine(SuiteProcess.Root, NodeProfile)))!.AsObject();
        json["issuer"] = provider.Issuer;
        json["start"] = new JsonObject { ["mode"] = "external" };
        if (!bothUsers) json["users"]!.AsArray().RemoveAt(1);
        edit(json);
        var folder = Directory.CreateDirectory(Path.Combine(scratch, "profile-" + Guid.NewGuid().ToString("N")[..8])).FullName;
        var file = Path.Combine(folder, "profile.json");
        File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
        return file;
    }

    private async Task<DoctorReport> Doctor(string profile)
    {
        var report = await ProfileDoctor.RunAsync(Settings(profile), TextWriter.Null, browser);
        TestContext.Progress.WriteLine(report.Render());
        return report;
    }

    private static DoctorFinding Single(DoctorReport report, string step, string key)
    {
        report.Healthy.Should().BeFalse();
        return report.Problems.Should().ContainSingle(f => f.Step == step && f.ProfileKey == key,
            $"the doctor should name {key} ({step}); it said:\n{report.Render()}").Which;
    }

    [Test]
    public async Task The_repository_s_profile_with_its_embedded_provider_has_no_problem_and_screenshots_each_page_kind()
    {
        // The runsettings' way: the doctor starts the embedded provider itself.
        var report = await Doctor(Path.Combine(SuiteProcess.Root, NodeProfile));
        report.Problems.Should().BeEmpty(report.Render());
        report.Findings.Should().Contain(f => f.Step == "discovery" && f.Status == DoctorStatus.Ok)
            .And.Contain(f => f.Step == "client-auth" && f.ProfileKey == "$.clients.secondConfidential" && f.What.Contains("invalid_grant"))
            .And.Contain(f => f.Step == "callback" && f.Status == DoctorStatus.Ok)
            .And.Contain(f => f.Step == "login" && f.ProfileKey == "$.users[1]" && f.What.Contains("Login → Consent"))
            .And.Contain(f => f.Step == "claims" && f.ProfileKey == "$.users[0].claims" && f.Status == DoctorStatus.Ok);
        Directory.GetFiles(report.ScreenshotDirectory, "*.png").Select(Path.GetFileName)
            .Should().Contain(["user0-alice-01-login.png", "user0-alice-02-consent.png", "user0-alice-03-callback.png"]);
        report.Render().Should().NotContain("alice-pass-3c9e").And.NotContain("conf-secret-7d1f0c9a4b2e");
    }

    [Test]
    public async Task A_wrong_client_secret_is_named_by_its_key()
    {
        var report = await Doctor(Mutated(j => j["clients"]!["confidential"]!["clientSecret"] = "not-the-registered-secret"));
        var finding = report.Problems.First(f => f.Step == "client-auth");
        finding.ProfileKey.Should().Be("$.clients.confidential.clientSecret");
        finding.What.Should().Contain("invalid_client");
        finding.Fix.Should().Contain("secret");
        report.Render().Should().NotContain("not-the-registered-secret", "the profile's secrets are redacted, wrong or not");
    }

    [TestCase("username", "#user-name-typo", "$.loginPages.login.username")]
    [TestCase("page", "body[data-page=login] input#no-such-field", "$.loginPages.login.page")]
    public async Task A_login_selector_that_matches_nothing_is_named_by_its_key_not_taken_for_refused_credentials(string field, string selector, string key)
    {
        var report = await Doctor(Mutated(j =>
        {
            j["loginPages"]!["login"]![field] = selector;
            // An unrecognized page ends the attempt at the navigation deadline (twice this): short, so that the case is.
            j["timeouts"]!["navigationSeconds"] = 6;
        }));
        var finding = Single(report, "login", key);
        finding.What.Should().Contain("selector not found");
        finding.Fix.Should().Contain(key);
        finding.Screenshot.Should().NotBeNull();
        File.Exists(finding.Screenshot).Should().BeTrue();
        report.Problems.Should().NotContain(f => f.ProfileKey.EndsWith(".password"));
    }

    [TestCase(true)]
    [TestCase(false)]
    public async Task A_redirect_uri_the_provider_never_registered_is_named_before_any_login(bool errorPageDescribed)
    {
        var report = await Doctor(Mutated(j =>
        {
            j["clients"]!["confidential"]!["redirectUri"] = "{callback.origin}/not-registered";
            if (errorPageDescribed) return;
            // Without loginPages.error the provider's error page is no known page kind: the doctor reads its text.
            j["loginPages"]!.AsObject().Remove("error");
            j["timeouts"]!["navigationSeconds"] = 6;
        }));
        var finding = Single(report, "login", "$.clients.confidential.redirectUri");
        finding.What.Should().Contain("redirect_uri refused").And.Contain("/not-registered");
        finding.Fix.Should().Contain("register");
    }

    [Test]
    public async Task A_wrong_password_is_credentials_refused_naming_the_user_s_password_key()
    {
        var report = await Doctor(Mutated(j => j["users"]![1]!["password"] = "wrong-password-for-bob", bothUsers: true));
        var finding = Single(report, "login", "$.users[1].password");
        finding.What.Should().Contain("credentials refused").And.Contain("bob");
        report.Findings.Should().Contain(f => f.Step == "login" && f.ProfileKey == "$.users[0]" && f.Status == DoctorStatus.Ok);
        report.Render().Should().NotContain("wrong-password-for-bob");
    }

    [Test]
    public async Task A_claim_table_that_differs_from_the_provider_names_the_claim_and_the_value_to_write()
    {
        var report = await Doctor(Mutated(j =>
        {
            j["users"]![0]!["claims"]!["profile"]!["name"] = "Alicia Adams";
            j["users"]![0]!["claims"]!["email"]!["email_verified"] = "true"; // a string where the provider returns a boolean
        }));
        Single(report, "claims", "$.users[0].claims.profile.name").Fix.Should().Contain("\"Alice Adams\"");
        Single(report, "claims", "$.users[0].claims.email.email_verified").What.Should().Contain("(string)").And.Contain("(boolean)");
    }

    [Test]
    public async Task An_unreachable_issuer_is_one_clear_finding_within_seconds()
    {
        var clock = System.Diagnostics.Stopwatch.StartNew();
        // Port 9 (discard) on loopback: nothing listens there, the connection is refused at once.
        var report = await Doctor(Mutated(j => j["issuer"] = "http://127.0.0.1:9"));
        clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(15));
        var finding = report.Problems.Should().ContainSingle().Which;
        finding.ProfileKey.Should().Be("$.issuer");
        finding.What.Should().Contain("unreachable").And.Contain("http://127.0.0.1:9");
        finding.Fix.Should().Contain("start the provider");
    }
}
