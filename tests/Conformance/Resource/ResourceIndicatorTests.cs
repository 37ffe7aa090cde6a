using NUnit.Framework;
using OidcConformance.Checks;
using F = OidcConformance.Flows.ResourceFlow;

namespace OidcConformance.Suites.Resource;

/// <summary>
/// Resource indicators (RFC 8707) at the token endpoint, with the client credentials grant of the profile client that names a
/// resource; Inconclusive where the provider does not offer them (features.resourceIndicators).
/// </summary>
[TestFixture, Category("Resource"), Parallelizable(ParallelScope.Self)]
public sealed class ResourceIndicatorTests : ConformanceTest
{
    [Test] public Task Audience_names_the_resource() => Verify(ResourceChecks.AudienceReflected, async r =>
    {
        var issued = await F.IssuedAsync(r);
        return ResourceChecks.EvaluateAudienceReflected(issued.Token, issued.Introspection, issued.Resource).Because(("token response", issued.Token.Exchange));
    });

    [Test] public Task Audience_is_only_the_resource() => Verify(ResourceChecks.AudienceRestricted, async r =>
    {
        var issued = await F.IssuedAsync(r);
        return ResourceChecks.EvaluateAudienceRestricted(issued.Token, issued.Introspection, issued.Resource).Because(("token response", issued.Token.Exchange));
    });

    [TestCase("relative"), TestCase("fragment")]
    public Task Malformed_resource_is_invalid_target(string @case) => Verify(ResourceChecks.InvalidTarget, async r =>
    {
        var attempt = await F.MalformedAsync(r, @case);
        return ResourceChecks.EvaluateInvalidTarget(attempt.Control, attempt.Malformed, attempt.Value).WithCase(@case)
            .Because(("control (the profile's resource)", attempt.Control.Exchange), ("malformed resource", attempt.Malformed.Exchange))
            .Mutates(attempt.MutatedStep);
    });
}
