using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.Cors;

/// <summary>
/// CORS answers for a browser-based relying party at its registered web origin (issue #19, blind spot 5): HTTP-level
/// requests as a browser would send them (CorsFlow), judged by the Fetch Standard (CorsChecks). One case per endpoint.
/// </summary>
[TestFixture, Category("Cors"), Parallelizable(ParallelScope.Self)]
public sealed class CorsTests : ConformanceTest
{
    public static readonly string[] Endpoints = CorsFlow.Endpoints;
    /// <summary>Where a browser sends a preflight: UserInfo always (Authorization header), the token endpoint with DPoP.</summary>
    public static readonly string[] PreflightEndpoints = ["token", "userinfo"];

    [TestCaseSource(nameof(PreflightEndpoints))]
    public Task Preflight_allows_the_request(string endpoint) => Verify(CorsChecks.Preflight, async r =>
    {
        var probe = await CorsFlow.ProbeAsync(r, endpoint);
        if (probe.Preflight is null) return CorsChecks.Preflight.NotApplicable($"{endpoint}: {probe.NoPreflightReason}").WithCase(endpoint);
        return CorsChecks.EvaluatePreflight(endpoint, probe.Preflight, probe.Origin, probe.Method, probe.RequestHeaders);
    });

    [TestCaseSource(nameof(Endpoints))]
    public Task Response_allows_the_origin(string endpoint) => Verify(CorsChecks.ResponseAllowsOrigin, async r =>
    {
        var probe = await CorsFlow.ProbeAsync(r, endpoint);
        return CorsChecks.EvaluateResponse(endpoint, probe.Response, probe.Origin);
    });

    [TestCaseSource(nameof(Endpoints))]
    public Task No_wildcard_with_credentials(string endpoint) => Verify(CorsChecks.NoWildcardWithCredentials, async r =>
        CorsChecks.EvaluateNoWildcardWithCredentials(endpoint, (await CorsFlow.ProbeAsync(r, endpoint)).Exchanges));
}
