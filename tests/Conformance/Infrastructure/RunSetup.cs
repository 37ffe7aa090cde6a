using NUnit.Framework;
using OidcConformance.Http;
using OidcConformance.Reporting;
using OidcConformance.Run;

namespace OidcConformance.Suites;

/// <summary>
/// Starts the run once for all suites and stops it at the end, also when tests fail. If the run cannot start
/// (bad profile, provider unreachable), that single error is kept: the preflight test fails with it and every
/// other test is skipped with the same cause, instead of a hundred timeouts.
/// </summary>
[SetUpFixture]
public sealed class RunSetup
{
    public static ConformanceRun? Current { get; private set; }
    public static string? SetupError { get; private set; }

    [OneTimeSetUp]
    public async Task StartAsync()
    {
        // The repository is found from an absolute profile path, NUnit's work folder or the test assembly's folder before the
        // current directory: a test platform that runs from another working directory still finds fixtures/ (RepositoryRootTests).
        var settings = RunSettings.Resolve(name => TestContext.Parameters.Get(name),
            startPoints: [TestContext.CurrentContext.WorkDirectory, TestContext.CurrentContext.TestDirectory]);
        try
        {
            Current = await ConformanceRun.StartAsync(settings, TestContext.Progress);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            SetupError = Redactor.Redact(e is Profiles.ProfileException or OidcConformance.Providers.ProviderStartException or InvalidOperationException
                ? e.Message
                : $"{e.GetType().Name}: {e.Message}");
            TestContext.Progress.WriteLine($"[run] cannot start: {SetupError}");
            // The report still says why nothing ran.
            new RunReport(settings.ArtifactsDirectory, new RunInfo("(unknown)", "", "", settings.ProfilePath, "(not launched)")).Tap(r =>
            {
                r.SetupFailed(SetupError);
                r.Complete();
            });
        }
    }

    [OneTimeTearDown]
    public async Task StopAsync()
    {
        if (Current is not null)
        {
            await Current.DisposeAsync();
            TestContext.Progress.WriteLine($"[run] report: {Current.Report.MarkdownPath}");
        }
    }
}

internal static class TapExtension
{
    public static void Tap<T>(this T value, Action<T> action) => action(value);
}
