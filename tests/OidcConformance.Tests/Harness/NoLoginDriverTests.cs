using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Browser;
using OidcConformance.Profiles;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>"loginDriver": "none" (Authlib's token-endpoint-only host): a check that needs a browser login is Inconclusive, with the reason.</summary>
public sealed class NoLoginDriverTests
{
    private static ProviderProfile Authlib => ProfileLoader.Load(Path.Combine(SuiteProcess.Root, "fixtures/providers/authlib/profile.json"));

    [Test]
    public void Authlib_profile_loads_with_the_none_driver_and_its_jwt_bearer_key()
    {
        var profile = Authlib;
        LoginDrivers.Create(profile).Should().BeOfType<NoLoginDriver>();
        LoginDrivers.Known.Should().Contain("none");
        profile.JwtBearer!.AssertionKey.Should().NotBeNull("the client signs its JWT bearer assertions with keys/jwt-bearer-client.pem");
    }

    [Test]
    public async Task A_login_is_a_prerequisite_the_provider_does_not_offer()
    {
        ILoginDriver driver = new NoLoginDriver();
        var act = () => driver.SubmitCredentialsAsync(null!, "alice", "secret");
        (await act.Should().ThrowAsync<PrerequisiteException>()).Which.Message.Should().Contain("no browser login").And.Contain("\"loginDriver\": \"none\"");
        driver.Invoking(d => d.Locate(null!, default)).Should().Throw<PrerequisiteException>();
    }
}
