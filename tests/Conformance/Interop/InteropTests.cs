using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Interop;

namespace OidcConformance.Suites.Interop;

/// <summary>
/// Relying-party interop (issue #14): real relying-party libraries, configured as their documentation says, run their
/// normal login against the provider once per run; each step is one cell (Works / Broken with the library's own error /
/// Not offered). `--filter Category=Interop` runs this suite alone.
/// </summary>
[TestFixture, Category("Interop"), Parallelizable(ParallelScope.Self)]
public sealed class InteropTests : ConformanceTest
{
    public static IEnumerable<TestCaseData> AspNetCoreSteps() => Cases(InteropLibraries.AspNetCore);
    public static IEnumerable<TestCaseData> OpenIdClientSteps() => Cases(InteropLibraries.OpenIdClient);
    public static IEnumerable<TestCaseData> AspNetCoreHybridSteps() => Cases(InteropLibraries.AspNetCoreHybrid);
    public static IEnumerable<TestCaseData> OpenIdClientHybridSteps() => Cases(InteropLibraries.OpenIdClientHybrid);

    private static IEnumerable<TestCaseData> Cases(InteropLibrary library) =>
        InteropChecks.Of(library).Select(c => new TestCaseData(c.Id).SetName($"{library.Id}: {c.Id[(c.Id.LastIndexOf('.') + 1)..]}"));

    [TestCaseSource(nameof(AspNetCoreSteps))]
    public Task AspNetCore_handler(string checkId) =>
        Cell(checkId, r => r.SharedAsync(OidcConformance.Flows.SharedArtifacts.Interop("aspnetcore"), () => InteropRunner.AspNetCoreAsync(r)), InteropLibraries.AspNetCore);

    [TestCaseSource(nameof(OpenIdClientSteps))]
    public Task Openid_client(string checkId) =>
        Cell(checkId, r => r.SharedAsync(OidcConformance.Flows.SharedArtifacts.Interop("openid-client"), () => InteropRunner.OpenIdClientAsync(r)), InteropLibraries.OpenIdClient);

    [TestCaseSource(nameof(AspNetCoreHybridSteps))]
    public Task AspNetCore_handler_hybrid(string checkId) =>
        Cell(checkId, r => r.SharedAsync(OidcConformance.Flows.SharedArtifacts.Interop("aspnetcore-hybrid"), () => InteropRunner.AspNetCoreAsync(r, hybrid: true)), InteropLibraries.AspNetCoreHybrid);

    [TestCaseSource(nameof(OpenIdClientHybridSteps))]
    public Task Openid_client_hybrid(string checkId) =>
        Cell(checkId, r => r.SharedAsync(OidcConformance.Flows.SharedArtifacts.Interop("openid-client-hybrid"), () => InteropRunner.OpenIdClientAsync(r, hybrid: true)), InteropLibraries.OpenIdClientHybrid);

    private static Task Cell(string checkId, Func<OidcConformance.Run.ConformanceRun, Task<IReadOnlyList<InteropCell>>> cells, InteropLibrary library)
    {
        var check = CheckCatalog.Get(checkId);
        var step = InteropChecks.Parse(checkId)!.Value.Step;
        return Verify(check, async r =>
        {
            var all = await cells(r);
            return InteropChecks.Evaluate(check, all.FirstOrDefault(c => c.Step == step)).WithEvidence(
                new Evidence("library", library.Package),
                new Evidence("the library's run, step by step", string.Join("\n", all.Select(c => $"{c.Step}: {c.Status} — {c.Detail}"))));
        });
    }
}
