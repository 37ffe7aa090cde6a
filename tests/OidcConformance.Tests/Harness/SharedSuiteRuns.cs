namespace OidcConformance.Tests.Harness;

/// <summary>
/// Whole-catalog runs that several tests read (issue #15: the test command in minutes). A whole run against a provider
/// takes minutes, and four tests need one: the order-independence test (its first shuffled order), the secrets test
/// (every output of a run), the glewlwyd deviation test and the live migration diff (node-oidc-provider → glewlwyd). Each
/// provider is run once per test session and every test reads the same run. Sharing changes nothing they assert: the
/// seed only shuffles the order (what the order test proves harmless), OIDC_RECORD_DIR only records the provider's
/// responses outside the artifacts, and no test writes to a run's artifacts.
/// </summary>
public static class SharedSuiteRuns
{
    /// <summary>The seed of the shared node-oidc-provider run (the order test's first order).</summary>
    public const int NodeSeed = 11;

    /// <summary>A run of the embedded default provider, with the provider's responses recorded (OIDC_RECORD_DIR).</summary>
    public sealed record NodeRun(SuiteProcess.Result Result, string RecordingDirectory);

    private static readonly Lazy<Task<NodeRun>> Node = new(async () =>
    {
        var recording = Directory.CreateTempSubdirectory("recording-").FullName; // outside the artifacts folder on purpose (secrets test)
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string>
        {
            ["OIDC_ORDER_SEED"] = NodeSeed.ToString(),
            ["OIDC_RECORD_DIR"] = recording,
        }, timeout: TimeSpan.FromMinutes(20));
        return new NodeRun(result, recording);
    });

    private static readonly Lazy<Task<SuiteProcess.Result>> Glewlwyd = new(async () => SuiteProcess.KeepReports(await SuiteProcess.RunAsync(
        new Dictionary<string, string> { ["OIDC_PROFILE"] = Path.Combine(SuiteProcess.Root, "fixtures/providers/glewlwyd/profile.json") },
        timeout: TimeSpan.FromMinutes(15)), "glewlwyd"));

    /// <summary>The whole catalog against node-oidc-provider in shuffled order <see cref="NodeSeed"/> (regression mode as configured).</summary>
    public static Task<NodeRun> NodeAsync() => Node.Value;

    /// <summary>The whole catalog against glewlwyd (it has no baseline file, so no regression mode).</summary>
    public static Task<SuiteProcess.Result> GlewlwydAsync() => Glewlwyd.Value;

    private static readonly Lazy<Task<SuiteProcess.Result>> OpenIddict = new(async () => SuiteProcess.KeepReports(await SuiteProcess.RunAsync(
        new Dictionary<string, string> { ["OIDC_PROFILE"] = Path.Combine(SuiteProcess.Root, "fixtures/providers/openiddict/profile.json") },
        timeout: TimeSpan.FromMinutes(15)), "openiddict"));

    /// <summary>The whole catalog against OpenIddict 7.9 (fixtures/providers/openiddict; deviations in its profile).</summary>
    public static Task<SuiteProcess.Result> OpenIddictAsync() => OpenIddict.Value;
}
