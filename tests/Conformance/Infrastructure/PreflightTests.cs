using NUnit.Framework;

namespace OidcConformance.Suites;

/// <summary>The one test that fails when the run cannot start; all others are then skipped with the same cause.</summary>
[TestFixture, Category("Preflight")]
public sealed class PreflightTests
{
    [Test]
    public void Profile_is_valid_and_provider_is_reachable()
    {
        if (RunSetup.SetupError is { } error) Assert.Fail(error);
        Assert.That(RunSetup.Current, Is.Not.Null);
        TestContext.Out.WriteLine($"provider {RunSetup.Current!.Profile.Name} at {RunSetup.Current.Issuer}");
    }
}
