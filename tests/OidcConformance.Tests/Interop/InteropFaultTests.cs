using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Faults;
using OidcConformance.Reporting;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Interop;

/// <summary>
/// A fault of the catalog (docs/faults.md), injected by the proxy in front of the embedded provider, turns the expected
/// interop cell Broken with the library's own message, while the steps before it still work: the interop suite
/// (`--filter Category=Interop`) is run with OIDC_FAULT set, in a warm suite host (NUnit's runner over the built suite, as
/// `dotnet test` runs it), and its report.json is read back.
/// </summary>
[TestFixture, Category("InteropFaults"), Category("SuiteProcess"), NonParallelizable] // SuiteProcess: not part of `./run.sh test --fast`
public sealed class InteropFaultTests
{
    /// <summary>One fault of the catalog and the interop cells it must turn Broken (check id, pattern of the library's own message).</summary>
    public sealed record InteropKill(string Fault, (string Check, string Pattern)[] Broken, string Name)
    {
        /// <summary>
        /// Rows (library ids) whose every cell is Not reached: a step without a cell of its own in that row broke (the hybrid
        /// rows have no discovery cell: their discovery is the code row's, which carries the Broken cell).
        /// </summary>
        public string[] RowsNotReached { get; init; } = [];
    }

    /// <summary>fault → (cell check id, pattern of the library's own message) that must be Broken; the mutation report counts these kills.</summary>
    public static readonly IReadOnlyList<InteropKill> Kills =
    [
        new("id-token-wrong-aud", new[]
        {
            ("interop.aspnetcore.id-token", "IDX10214"),
            ("interop.openid-client.id-token", "OAUTH_JWT_CLAIM_COMPARISON_FAILED.*aud"),
            // The fault edits the token endpoint's ID token: the hybrid rows accept the front-channel one, then refuse this one.
            ("interop.aspnetcore-hybrid.id-token", "IDX10214"),
            ("interop.openid-client-hybrid.id-token", "OAUTH_JWT_CLAIM_COMPARISON_FAILED.*aud"),
        }, "Fault id-token-wrong-aud breaks ID token validation in both libraries"),
        new("jwks-unrelated-key", new[]
        {
            ("interop.aspnetcore.id-token", "IDX10503|IDX10500|IDX10517"),
            ("interop.openid-client.id-token", "OAUTH_KEY_SELECTION_FAILED|signature"),
            ("interop.aspnetcore-hybrid.id-token", "IDX10503|IDX10500|IDX10517"),
            ("interop.openid-client-hybrid.id-token", "OAUTH_KEY_SELECTION_FAILED|signature"),
        }, "Fault jwks-unrelated-key breaks ID token validation in both libraries"),
        new("userinfo-sub-differs", new[]
        {
            ("interop.aspnetcore.userinfo", "IDX21338"),
            ("interop.openid-client.userinfo", "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED.*sub"),
            ("interop.aspnetcore-hybrid.userinfo", "IDX21338"),
            ("interop.openid-client-hybrid.userinfo", "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED.*sub"),
        }, "Fault userinfo-sub-differs breaks the userinfo step in both libraries"),
        // Only the hybrid rows see a front-channel ID token: the code rows keep working.
        new("c-hash-wrong", new[]
        {
            ("interop.aspnetcore-hybrid.id-token", "IDX21347"),
            ("interop.openid-client-hybrid.id-token", "c_hash"),
        }, "Fault c-hash-wrong breaks the hybrid rows' ID token validation in both libraries"),
        // ---- discovery: each library reads the metadata its own way, so one fault breaks discovery in one of them
        new("discovery-jwks-uri-missing", new[]
        {
            ("interop.aspnetcore.discovery", "no signing keys"),
            ("interop.openid-client.id-token", "OAUTH_MISSING_SERVER_METADATA.*jwks_uri"),
            ("interop.openid-client-hybrid.id-token", "OAUTH_MISSING_SERVER_METADATA.*jwks_uri"),
        }, "Fault discovery-jwks-uri-missing breaks ASP.NET Core's discovery and openid-client's ID token validation")
        { RowsNotReached = ["aspnetcore-hybrid"] },
        new("discovery-issuer-mismatch", new[]
        {
            ("interop.openid-client.discovery", "OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED.*issuer"),
            ("interop.aspnetcore.id-token", "IDX10205"),
            ("interop.aspnetcore-hybrid.id-token", "IDX10205"),
        }, "Fault discovery-issuer-mismatch breaks openid-client's discovery and ASP.NET Core's ID token validation")
        { RowsNotReached = ["openid-client-hybrid"] },
        // ---- the code exchange
        new("code-exchange-broken", new[]
        {
            ("interop.aspnetcore.login", "server_error"),
            ("interop.openid-client.login", "OAUTH_RESPONSE_IS_NOT_CONFORM.*HTTP 500"),
            ("interop.aspnetcore-hybrid.id-token", "server_error"),
            ("interop.openid-client-hybrid.id-token", "OAUTH_RESPONSE_IS_NOT_CONFORM.*HTTP 500"),
        }, "Fault code-exchange-broken breaks the login in both libraries"),
        // ---- RP-initiated logout
        new("logout-end-session-endpoint-missing", new[]
        {
            ("interop.aspnetcore.logout", "end session"),
            ("interop.openid-client.logout", "end_session_endpoint"),
        }, "Fault logout-end-session-endpoint-missing breaks the sign-out in both libraries"),
        // ASP.NET Core's signed-out callback without state does not finish the sign-out (the browser stays on the callback).
        new("logout-state-dropped", new[]
        {
            ("interop.aspnetcore.logout", "signed-out callback"),
            ("interop.openid-client.logout", "without state"),
        }, "Fault logout-state-dropped breaks the sign-out in both libraries"),
        // ---- faults of InteropFaults.cs: the ID token's subject, the hybrid response, the refresh, introspection, revocation
        // openid-client accepts an empty sub (a string claim), then cannot ask userinfo for it, and the app has no subject;
        // ASP.NET Core's code row accepts the ID token and requires the sub when it validates the userinfo answer against it.
        new("id-token-sub-empty", new[]
        {
            ("interop.aspnetcore.userinfo", "IDX21314"),
            ("interop.openid-client.userinfo", "expectedSubject"),
            ("interop.openid-client.claims", "no sub"),
            ("interop.aspnetcore-hybrid.id-token", "IDX21314"),
            ("interop.openid-client-hybrid.userinfo", "expectedSubject"),
            ("interop.openid-client-hybrid.claims", "no sub"),
        }, "Fault id-token-sub-empty breaks the userinfo step in both libraries and openid-client's claims"),
        new("hybrid-id-token-dropped", new[]
        {
            ("interop.aspnetcore-hybrid.login", "no id_token"),
            ("interop.openid-client-hybrid.login", "no id_token"),
        }, "Fault hybrid-id-token-dropped breaks the hybrid login in both libraries"),
        new("refresh-id-token-iss-differs", new[]
        {
            ("interop.aspnetcore.refresh", "IDX10205"),
            ("interop.openid-client.refresh", "iss"),
        }, "Fault refresh-id-token-iss-differs breaks the refresh in both libraries"),
        new("introspection-active-string", new[]
        {
            ("interop.openid-client.introspection", "active.*boolean"),
        }, "Fault introspection-active-string breaks openid-client's introspection"),
        new("revocation-answers-204", new[]
        {
            ("interop.openid-client.revocation", "status code"),
        }, "Fault revocation-answers-204 breaks openid-client's revocation"),
    ];

    public static IEnumerable<TestCaseData> Faults() => Kills.Select(k => new TestCaseData(k.Fault, k.Broken, k.RowsNotReached).SetName(k.Name));

    // The interop runs (each the whole Interop category through the proxy with one fault) go to two warm suite hosts
    // (SuiteHostPool, issue #15), two at a time; each case awaits its own run. The first runs alone: it may install
    // openid-client (npm ci) for the others.
    private SuiteHostPool? pool;
    private readonly Dictionary<string, Task<SuiteProcess.Result>> runs = new();

    [OneTimeSetUp]
    public void StartRuns()
    {
        pool = new SuiteHostPool(2);
        Task? first = null;
        foreach (var fault in Kills.Select(k => k.Fault).Distinct())
        {
            var run = first is null ? RunAsync(fault) : AfterAsync(first, fault);
            first ??= run;
            runs[fault] = run;
        }
    }

    [OneTimeTearDown]
    public async Task StopRuns()
    {
        try { await Task.WhenAll(runs.Values); } catch (Exception e) when (e is TimeoutException or InvalidOperationException) { }
        if (pool is not null) await pool.DisposeAsync();
    }

    private async Task<SuiteProcess.Result> AfterAsync(Task first, string fault)
    {
        try { await first; } catch (Exception e) when (e is TimeoutException or InvalidOperationException) { }
        return await RunAsync(fault);
    }

    private async Task<SuiteProcess.Result> RunAsync(string fault)
    {
        var hosted = await pool!.RunAsync(new Dictionary<string, string> { [FaultProxy.EnvironmentVariable] = fault }, "<filter><cat>Interop</cat></filter>",
            TimeSpan.FromMinutes(6));
        if (hosted.Error is null) return hosted.Run;
        // a host that failed is replaced; the run is tried once more as a user runs it
        return await SuiteProcess.RunAsync(new Dictionary<string, string> { [FaultProxy.EnvironmentVariable] = fault }, "Category=Interop", TimeSpan.FromMinutes(6));
    }

    [TestCaseSource(nameof(Faults))]
    public async Task Fault_turns_the_expected_interop_cell_broken_with_the_library_message(string fault, (string Check, string Pattern)[] broken,
        string[] rowsNotReached)
    {
        FaultCatalog.All.Should().Contain(f => f.Name == fault, "the fault comes from the catalog");
        var run = await runs[fault];
        var report = ReportFile.Load(Path.Combine(run.ArtifactsDirectory, "report.json"));
        report.SetupError.Should().BeNull(run.Output);
        var cells = report.Interop.ToDictionary(c => c.Check);
        var table = string.Join("\n", report.Interop.Select(c => $"{c.Check}: {c.Status} — {c.Detail}"));
        foreach (var (check, pattern) in broken)
        {
            cells.Should().ContainKey(check, table);
            cells[check].Status.Should().Be("Broken", table);
            cells[check].Detail.Should().MatchRegex(new Regex(pattern, RegexOptions.IgnoreCase), $"the library's own message for {check}; {table}");
        }
        // The steps before the broken one still work: the fault broke that step, not the run. A row with no broken cell works
        // (or does not offer a step) throughout, except a row declared Not reached, whose every cell is Not reached.
        foreach (var row in report.Interop.GroupBy(c => c.Library))
        {
            var ordered = row.OrderBy(c => InteropSection.StepOrder(c.Step)).ToList();
            if (rowsNotReached.Contains(row.Key))
            {
                ordered.Where(c => c.Status != "Not reached").Select(c => c.Check).Should().BeEmpty($"row {row.Key} is declared Not reached; {table}");
                continue;
            }
            var firstBroken = ordered.FindIndex(c => c.Status == "Broken");
            ordered.Take(firstBroken < 0 ? ordered.Count : firstBroken).Where(c => c.Status is not ("Works" or "Not offered"))
                .Select(c => c.Check).Should().BeEmpty($"row {row.Key} works up to its broken cell; {table}");
        }
        report.Interop.Should().NotContain(c => c.Status == "Error", table);
        // Only the expected cells break: a later step is Not reached (or works), never blamed on the provider.
        report.Interop.Where(c => c.Status == "Broken").Select(c => c.Check).Should().BeEquivalentTo(broken.Select(b => b.Check), table);
    }
}
