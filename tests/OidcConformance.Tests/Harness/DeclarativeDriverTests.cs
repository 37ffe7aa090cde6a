using System.Text.Json.Nodes;
using FluentAssertions;
using Microsoft.Playwright;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Harness;

/// <summary>A C# driver found by the attribute scan, from an assembly that is not the library (no central list).</summary>
[LoginDriver("scan-test-driver")]
public sealed class ScanTestDriver : ILoginDriver
{
    public string Name => "scan-test-driver";
    public ILocator Locate(IPage page, ProviderPage kind) => page.Locator("#none");
    public Task SubmitCredentialsAsync(IPage page, string username, string password) => Task.CompletedTask;
    public Task ApproveConsentAsync(IPage page) => Task.CompletedTask;
    public Task ConfirmLogoutAsync(IPage page) => Task.CompletedTask;
    public Task<string> ReadMessageAsync(IPage page) => Task.FromResult("");
}

/// <summary>
/// The declarative login driver (issue #13 item 1): a provider's login pages are data in its profile (<c>loginPages</c>), the
/// generic driver does the rest; a C# driver is found by its <see cref="LoginDriverAttribute"/>.
/// </summary>
[TestFixture]
public sealed class DeclarativeDriverTests
{
    private static string Fixture(string relative) => Path.Combine(SuiteProcess.Root, relative);

    private static string WriteProfile(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(Fixture("fixtures/providers/node-oidc-provider/profile.json")),
            documentOptions: new System.Text.Json.JsonDocumentOptions { CommentHandling = System.Text.Json.JsonCommentHandling.Skip })!.AsObject();
        edit(json);
        var file = Path.Combine(Directory.CreateTempSubdirectory("profile-").FullName, "profile.json");
        File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
        return file;
    }

    [TestCase("fixtures/providers/node-oidc-provider/profile.json")]
    [TestCase("fixtures/providers/glewlwyd/profile.json")]
    public void The_repository_s_other_providers_run_on_the_declarative_driver(string profile)
    {
        var loaded = ProfileLoader.Load(Fixture(profile));
        loaded.LoginDriver.Should().Be(ProfileLoader.DeclarativeDriver);
        LoginDrivers.Create(loaded).Should().BeOfType<DeclarativeLoginDriver>().Which.Pages.Login.Password.Should().NotBeNullOrEmpty();
    }

    [Test]
    public void A_csharp_driver_is_found_by_its_attribute_in_any_loaded_assembly()
    {
        LoginDrivers.Known.Should().Contain(["declarative", "casdoor", "scan-test-driver"]);
        var profile = ProfileLoader.Load(Fixture("fixtures/providers/node-oidc-provider/profile.json")) with { LoginDriver = "scan-test-driver", LoginPages = null };
        LoginDrivers.Create(profile).Should().BeOfType<ScanTestDriver>();
    }

    [Test]
    public void An_unknown_driver_names_the_field_and_the_ways_out()
    {
        var file = WriteProfile(j => { j["loginDriver"] = "acme"; j.Remove("loginPages"); });
        var profile = ProfileLoader.Load(file);
        var act = () => LoginDrivers.Create(profile);
        act.Should().Throw<ProfileException>().Where(e => e.FieldPath == "$.loginDriver")
            .WithMessage("*unknown login driver 'acme'*declarative*loginPages*[LoginDriver(\"acme\")]*");
    }

    [TestCase("missing pages", "$.loginPages")]
    [TestCase("no password", "$.loginPages.login")]
    [TestCase("unknown member", "$.loginPages.login.usernam")]
    [TestCase("two actions in a step", "$.loginPages.consent.steps[0]")]
    [TestCase("pages with a C# driver", "$.loginPages")]
    public void A_malformed_loginPages_names_its_field(string mistake, string path)
    {
        var file = WriteProfile(j =>
        {
            var pages = j["loginPages"]!.AsObject();
            var login = pages["login"]!.AsObject();
            switch (mistake)
            {
                case "missing pages": j.Remove("loginPages"); break;
                case "no password": login.Remove("password"); break;
                case "unknown member": login["usernam"] = "#u"; break;
                case "two actions in a step": pages["consent"] = new JsonObject { ["page"] = "#c", ["steps"] = new JsonArray(new JsonObject { ["click"] = "#a", ["waitFor"] = "#b" }) }; break;
                case "pages with a C# driver": j["loginDriver"] = "casdoor"; break;
            }
        });
        var act = () => ProfileLoader.Load(file);
        act.Should().Throw<ProfileException>().Which.FieldPath.Should().StartWith(path, mistake);
    }

    /// <summary>
    /// A provider added with only a profile and a runsettings file, no C#: the embedded provider under another name, its pages
    /// described in the profile; the relying-party journey passes through the declarative driver.
    /// </summary>
    [Test, Category("SuiteProcess"), NonParallelizable]
    public async Task A_new_provider_needs_only_a_profile_and_a_runsettings_file()
    {
        var profile = WriteProfile(j =>
        {
            j["name"] = "acme-idp";
            j["start"]!["workingDirectory"] = Fixture("fixtures/providers/node-oidc-provider");
        });
        var settings = Path.Combine(Path.GetDirectoryName(profile)!, "acme.runsettings");
        File.WriteAllText(settings, $"""
            <?xml version="1.0" encoding="utf-8"?>
            <RunSettings><TestRunParameters><Parameter name="profile" value="{profile}" /></TestRunParameters></RunSettings>
            """);
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string>(), filter: "Category=EndToEnd|FullyQualifiedName~PreflightTests", settingsFile: settings);
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.json")))!;
        report["provider"]!["name"]!.GetValue<string>().Should().Be("acme-idp", result.Output);
        var verdicts = report["results"]!.AsArray().Select(r => $"{r!["id"]}: {r["verdict"]} {r["reason"]}").ToList();
        verdicts.Should().ContainSingle(v => v.StartsWith("e2e.", StringComparison.Ordinal) || v.Contains("journey", StringComparison.OrdinalIgnoreCase));
        verdicts.Should().OnlyContain(v => v.Contains(": Passed"), string.Join("\n", verdicts));
        result.ExitCode.Should().Be(0, result.Output);
    }

    /// <summary>
    /// A driver problem (a submit selector that matches nothing) is an Error, and its failure bundle holds the screenshot and
    /// the trace of the page the driver met (issue #13 item 5).
    /// </summary>
    [Test, Category("SuiteProcess"), NonParallelizable]
    public async Task A_driver_error_gets_a_failure_bundle_with_the_screenshot()
    {
        var profile = WriteProfile(j =>
        {
            j["loginPages"]!["login"]!["submit"] = "form#login-form button#no-such-button";
            j["start"]!["workingDirectory"] = Fixture("fixtures/providers/node-oidc-provider");
            j["timeouts"] = new JsonObject { ["requestSeconds"] = 10, ["navigationSeconds"] = 4 };
        });
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { ["OIDC_PROFILE"] = profile, ["OIDC_BASELINE"] = "none" },
            filter: "Category=EndToEnd");
        var report = JsonNode.Parse(File.ReadAllText(Path.Combine(result.ArtifactsDirectory, "report.json")))!;
        var row = report["results"]!.AsArray().Single()!;
        row["verdict"]!.GetValue<string>().Should().Be("Error", result.Output);
        row["reason"]!.GetValue<string>().Should().Contain("no-such-button");
        var attachments = row["attachments"]!.AsArray().Select(a => a!.GetValue<string>()).ToList();
        attachments.Should().Contain(a => a.EndsWith(".png", StringComparison.Ordinal), "the screenshot of the login page the driver could not submit");
        attachments.Should().Contain(a => a.EndsWith("verdict.md", StringComparison.Ordinal));
        foreach (var a in attachments) File.Exists(Path.Combine(result.ArtifactsDirectory, a)).Should().BeTrue(a);
    }
}
