using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using OidcConformance.Profiles;

namespace OidcConformance.Providers;

/// <summary>A provider could not be started or reached; the message says what, where, and what to do.</summary>
public sealed class ProviderStartException(string message) : Exception(message);

/// <summary>
/// Starts an embedded provider from its profile (install step, command, environment), waits for its ready line,
/// and stops it again. Its stdin is a pipe the suite holds open: if the test host dies, the pipe closes and the
/// provider scripts exit, so no orphan keeps a port.
/// </summary>
public sealed class ProviderProcess : IAsyncDisposable
{
    private Process process;
    private StringBuilder log = new();
    public string Issuer { get; }
    /// <summary>Starts the same command again (same environment, so the same port when it is fixed); see <see cref="RestartAsync"/>.</summary>
    private Func<Task<ProviderProcess>>? startAgain;
    private ProviderProcess? successor;

    private ProviderProcess(Process process, string issuer, StringBuilder log)
    {
        this.process = process;
        Issuer = issuer;
        this.log = log;
    }

    public string RecentOutput
    {
        get { lock (log) return Tail(log.ToString(), 40); }
    }

    public bool HasExited => process.HasExited;
    private volatile bool stopping;

    /// <summary>Stops the provider abruptly (no clean shutdown), as a crash would: logged as an unexpected exit; later requests meet a refused connection.</summary>
    public void Kill()
    {
        ProviderProcess.Kill(process);
        process.WaitForExit(5000);
    }

    /// <summary>
    /// Kills the provider and starts it again with the same command and environment, as a container restart policy would
    /// (the outage faults use it; the provider keeps its issuer only when its port is fixed, as behind the fault proxy).
    /// </summary>
    public async Task RestartAsync()
    {
        Kill();
        var fresh = await startAgain!();
        (process, log, successor) = (fresh.process, fresh.log, fresh);
    }

    /// <param name="environmentOverrides">set after the profile's environment (the fault proxy's PORT and ISSUER)</param>
    public static async Task<ProviderProcess> StartAsync(ProviderProfile profile, Func<string, string> expand, TextWriter progress,
        CancellationToken ct = default, IReadOnlyDictionary<string, string>? environmentOverrides = null)
    {
        var start = profile.Start;
        var workDir = Path.GetFullPath(Path.Combine(profile.ProfileDirectory, start.WorkingDirectory));
        if (!Directory.Exists(workDir))
            throw new ProviderStartException($"{profile.SourceFile}: start.workingDirectory '{workDir}' does not exist");

        if (start.InstallCommand is { Count: > 0 } install &&
            (start.InstallSkipWhenExists is null || !File.Exists(Path.Combine(workDir, start.InstallSkipWhenExists))))
        {
            progress.WriteLine($"[provider] installing {profile.Name}: {string.Join(' ', install)} (first use)");
            var (code, output) = await RunToEndAsync(install, workDir, TimeSpan.FromMinutes(10), ct);
            if (code != 0)
                throw new ProviderStartException(
                    $"{profile.Name}: install step `{string.Join(' ', install)}` in {workDir} exited with {code}:\n{Tail(output, 30)}");
        }

        var psi = new ProcessStartInfo(start.Command[0])
        {
            WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in start.Command.Skip(1)) psi.ArgumentList.Add(expand(arg));
        foreach (var (k, v) in start.Environment) psi.Environment[k] = expand(v);
        foreach (var (k, v) in environmentOverrides ?? new Dictionary<string, string>()) psi.Environment[k] = v;

        var log = new StringBuilder();
        var ready = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        var pattern = new Regex(start.ReadyPattern!);
        var process = new Process { StartInfo = psi, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null) return;
            lock (log) log.AppendLine(e.Data);
            var m = pattern.Match(e.Data);
            if (m.Success) ready.TrySetResult(m.Groups["issuer"].Success ? m.Groups["issuer"].Value : "");
        };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (log) log.AppendLine(e.Data); };
        process.Exited += (_, _) => ready.TrySetException(new ProviderStartException(
            $"{profile.Name}: `{string.Join(' ', start.Command)}` exited with code {SafeExitCode(process)} before printing its ready line " +
            $"(pattern {start.ReadyPattern}). Its output:\n{Tail(Snapshot(log), 30)}"));
        try
        {
            if (!process.Start()) throw new ProviderStartException($"{profile.Name}: could not start `{start.Command[0]}`");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            throw new ProviderStartException(
                $"{profile.Name}: cannot run `{start.Command[0]}` ({e.Message}); is it installed and on PATH? (profile {profile.SourceFile}, start.command)");
        }
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        try
        {
            var issuer = await ready.Task.WaitAsync(TimeSpan.FromSeconds(start.StartupTimeoutSeconds), ct);
            var started = new ProviderProcess(process, issuer, log)
            {
                startAgain = () => StartAsync(profile, expand, progress, CancellationToken.None, environmentOverrides),
            };
            // A provider that dies mid-run is said once in the log; the checks after it report refused connections.
            process.Exited += (_, _) =>
            {
                if (!started.stopping)
                    progress.WriteLine($"[provider] {profile.Name} exited unexpectedly with code {SafeExitCode(process)}; requests that cannot reach it " +
                                       $"are a provider outage (Errors, not verdicts) until it answers again. Its last output:\n{Tail(Snapshot(log), 15)}");
            };
            return started;
        }
        catch (TimeoutException)
        {
            Kill(process);
            throw new ProviderStartException(
                $"{profile.Name}: no ready line matching {start.ReadyPattern} within {start.StartupTimeoutSeconds} s " +
                $"(profile start.startupTimeoutSeconds). Its output:\n{Tail(Snapshot(log), 30)}");
        }
        catch
        {
            Kill(process);
            throw;
        }
    }

    private static string Snapshot(StringBuilder sb) { lock (sb) return sb.ToString(); }

    private static int SafeExitCode(Process p)
    {
        try { return p.ExitCode; } catch (InvalidOperationException) { return -1; }
    }

    private static async Task<(int Code, string Output)> RunToEndAsync(IReadOnlyList<string> command, string workDir, TimeSpan timeout,
        CancellationToken ct)
    {
        var psi = new ProcessStartInfo(command[0])
        {
            WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
        };
        foreach (var a in command.Skip(1)) psi.ArgumentList.Add(a);
        using var p = new Process { StartInfo = psi };
        var output = new StringBuilder();
        p.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        p.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        try { p.Start(); }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (-1, $"cannot run `{command[0]}`: {e.Message} (is it installed and on PATH?)");
        }
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        try { await p.WaitForExitAsync(ct).WaitAsync(timeout, ct); }
        catch (TimeoutException) { Kill(p); return (-1, $"timed out after {timeout}\n{Snapshot(output)}"); }
        return (p.ExitCode, Snapshot(output));
    }

    private static void Kill(Process p)
    {
        try { if (!p.HasExited) p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
    }

    private static string Tail(string text, int lines)
    {
        var all = text.Split('\n');
        return string.Join('\n', all.Skip(Math.Max(0, all.Length - lines)));
    }

    public async ValueTask DisposeAsync()
    {
        stopping = true;
        if (successor is not null) successor.stopping = true; // the restarted process's own exit watcher
        if (process.HasExited) { process.Dispose(); return; }
        try
        {
            process.StandardInput.Close(); // the provider scripts exit when stdin closes
            await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(5));
        }
        catch (TimeoutException) { Kill(process); }
        catch (InvalidOperationException) { }
        process.Dispose();
    }
}
