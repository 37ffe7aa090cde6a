using System.Diagnostics;
using System.Text;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>Runs the built conformance suite as a user would (`dotnet test` on its assembly) with its own settings.</summary>
public static class SuiteProcess
{
    public static readonly string Root = RunSettings.FindRepositoryRoot(AppContext.BaseDirectory);

    public static string ConformanceAssembly
    {
        get
        {
            // Same configuration and framework as this test assembly: …/bin/<Configuration>/<tfm>/
            var tfmDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd(Path.DirectorySeparatorChar));
            var configuration = tfmDir.Parent!.Name;
            var path = Path.Combine(Root, "tests", "Conformance", "bin", configuration, tfmDir.Name, "Conformance.dll");
            if (!File.Exists(path)) throw new FileNotFoundException($"build the solution first: {path} is missing", path);
            return path;
        }
    }

    public sealed record Result(int ExitCode, string Output, TimeSpan Elapsed, string ArtifactsDirectory);

    /// <summary>
    /// Copies a provider run's reports (report.json, .md, .html) to artifacts/<paramref name="name"/>, where
    /// <c>./run.sh conformance runsettings/&lt;name&gt;.runsettings</c> writes them too: after the test command, artifacts/ holds
    /// the verdicts of every real provider it ran (glewlwyd, OpenIddict, Authlib), not only the embedded default's.
    /// </summary>
    public static Result KeepReports(Result result, string name)
    {
        var target = Path.Combine(Root, "artifacts", name);
        Directory.CreateDirectory(target);
        foreach (var file in new[] { "report.json", "report.md", "report.html" })
        {
            var source = Path.Combine(result.ArtifactsDirectory, file);
            if (File.Exists(source)) File.Copy(source, Path.Combine(target, file), overwrite: true);
        }
        return result;
    }

    public static async Task<Result> RunAsync(IDictionary<string, string> environment, string? filter = null, TimeSpan? timeout = null,
        string? workingDirectory = null, string? settingsFile = null)
    {
        var artifacts = Directory.CreateTempSubdirectory("suite-artifacts-").FullName;
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false, WorkingDirectory = workingDirectory ?? Root };
        psi.ArgumentList.Add("test");
        psi.ArgumentList.Add(ConformanceAssembly);
        psi.ArgumentList.Add("--logger:console;verbosity=detailed");
        psi.ArgumentList.Add("--logger:trx;LogFileName=suite.trx");
        psi.ArgumentList.Add($"--results-directory:{artifacts}");
        if (settingsFile is not null) psi.ArgumentList.Add($"--settings:{settingsFile}");
        if (filter is not null) { psi.ArgumentList.Add("--filter"); psi.ArgumentList.Add(filter); }
        psi.Environment["OIDC_ARTIFACTS"] = artifacts;
        foreach (var (k, v) in environment) psi.Environment[k] = v;
        var output = new StringBuilder();
        using var p = new Process { StartInfo = psi };
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        var clock = Stopwatch.StartNew();
        p.Start();
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try { await p.WaitForExitAsync().WaitAsync(timeout ?? TimeSpan.FromMinutes(5)); }
        catch (TimeoutException) { p.Kill(true); throw new TimeoutException($"the suite did not finish in time:\n{output}"); }
        return new Result(p.ExitCode, output.ToString(), clock.Elapsed, artifacts);
    }
}
