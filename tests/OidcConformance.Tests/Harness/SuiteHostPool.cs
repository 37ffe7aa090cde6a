using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// A few warm conformance-suite processes (tests/Conformance/Infrastructure/SuiteHost.cs, <c>dotnet Conformance.dll --suite-host</c>)
/// that run the suite again and again, one run at a time each: the fault catalog's runs go here instead of one
/// <c>dotnet test</c> per run (issue #15). Each run still starts its own provider, proxy and browser and writes its own
/// report.json, exactly as <see cref="SuiteProcess"/> does; only the test platform's start-up and the compilation of the
/// harness are shared. A host that fails (crash, no answer in time) is killed and replaced; the run is reported as failed.
/// </summary>
public sealed class SuiteHostPool(int size) : IAsyncDisposable
{
    /// <summary>One test case of a run: its method (class + method name), seconds, and the check ids its output reported.</summary>
    public sealed record CaseResult(string Method, double Seconds, IReadOnlySet<string> Checks);

    /// <summary>A run's outcome, with the host that ran it (runs of one host share its process) and its position there.</summary>
    public sealed record Result(SuiteProcess.Result Run, IReadOnlyList<CaseResult> Cases, int Host, int Position, string? Error);

    private readonly SemaphoreSlim slots = new(size, size);
    private readonly ConcurrentBag<Host> idle = new();
    private readonly ConcurrentBag<Host> all = new();
    private int hosts;

    public int Size => size;

    /// <param name="where">an NUnit filter in XML (<c>&lt;filter&gt;…&lt;/filter&gt;</c>), null for the whole suite</param>
    public async Task<Result> RunAsync(IDictionary<string, string> environment, string? where, TimeSpan timeout)
    {
        await slots.WaitAsync();
        try
        {
            if (!idle.TryTake(out var host))
            {
                host = Host.Start(Interlocked.Increment(ref hosts));
                all.Add(host);
            }
            var artifacts = Directory.CreateTempSubdirectory("suite-artifacts-").FullName;
            var env = new Dictionary<string, string>(environment) { ["OIDC_ARTIFACTS"] = artifacts };
            var clock = Stopwatch.StartNew();
            var (answer, output) = await host.RunAsync(env, where, timeout);
            if (answer is null)
            {
                host.Kill(); // no answer: the host is in an unknown state, never reused
                return new Result(new SuiteProcess.Result(1, output, clock.Elapsed, artifacts), [], host.Number, host.Runs, $"the suite host did not answer: {Tail(output)}");
            }
            idle.Add(host);
            var error = (string?)answer["error"];
            var cases = (answer["tests"]?.AsArray() ?? []).Select(t => new CaseResult((string)t!["method"]!, (double)t["seconds"]!,
                t["checks"]!.AsArray().Select(c => (string)c!).ToHashSet())).ToList();
            return new Result(new SuiteProcess.Result(error is null ? 0 : 1, output, clock.Elapsed, artifacts), cases, host.Number, host.Runs, error);
        }
        finally { slots.Release(); }
    }

    private static string Tail(string s) => string.Join('\n', s.Split('\n').TakeLast(30));

    public async ValueTask DisposeAsync()
    {
        foreach (var host in all) await host.StopAsync();
    }

    /// <summary>One host process, serving one run at a time.</summary>
    private sealed class Host
    {
        private readonly Process process;
        private readonly StringBuilder output = new();
        private TaskCompletionSource<JsonObject?>? pending;
        public int Number { get; }
        /// <summary>Runs served so far (the position of the current one, from 1).</summary>
        public int Runs { get; private set; }

        private Host(int number, Process process) { Number = number; this.process = process; }

        public static Host Start(int number)
        {
            var psi = new ProcessStartInfo("dotnet")
            {
                RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false,
                WorkingDirectory = SuiteProcess.Root,
            };
            psi.ArgumentList.Add(SuiteProcess.ConformanceAssembly);
            psi.ArgumentList.Add("--suite-host");
            var p = new Process { StartInfo = psi };
            var host = new Host(number, p);
            p.OutputDataReceived += (_, e) => host.OnLine(e.Data, fromStdout: true);
            p.ErrorDataReceived += (_, e) => host.OnLine(e.Data, fromStdout: false);
            p.Exited += (_, _) => host.pending?.TrySetResult(null);
            p.EnableRaisingEvents = true;
            p.Start();
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            return host;
        }

        private void OnLine(string? line, bool fromStdout)
        {
            if (line is null) return;
            const string prefix = "@@suite-host ";
            if (fromStdout && line.StartsWith(prefix, StringComparison.Ordinal))
            {
                JsonObject? answer;
                try { answer = JsonNode.Parse(line[prefix.Length..])?.AsObject(); }
                catch (JsonException) { answer = null; }
                pending?.TrySetResult(answer);
                return;
            }
            lock (output) output.AppendLine(line);
        }

        public async Task<(JsonObject? Answer, string Output)> RunAsync(IDictionary<string, string> environment, string? where, TimeSpan timeout)
        {
            lock (output) output.Clear();
            Runs++;
            pending = new TaskCompletionSource<JsonObject?>(TaskCreationOptions.RunContinuationsAsynchronously);
            var request = new JsonObject
            {
                ["id"] = Runs.ToString(),
                ["environment"] = new JsonObject(environment.Select(p => KeyValuePair.Create(p.Key, (JsonNode?)p.Value))),
                ["where"] = where,
            };
            JsonObject? answer;
            try
            {
                await process.StandardInput.WriteLineAsync(request.ToJsonString());
                await process.StandardInput.FlushAsync();
                answer = await pending.Task.WaitAsync(timeout);
            }
            catch (Exception e) when (e is TimeoutException or IOException or InvalidOperationException)
            {
                lock (output) output.AppendLine($"[suite host {Number}] {e.GetType().Name}: {e.Message}");
                answer = null;
            }
            lock (output) return (answer, output.ToString());
        }

        public void Kill()
        {
            try { process.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
        }

        public async Task StopAsync()
        {
            try
            {
                if (!process.HasExited)
                {
                    process.StandardInput.Close(); // the host ends when its input closes
                    await process.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(30));
                }
            }
            catch (Exception e) when (e is TimeoutException or InvalidOperationException or IOException) { Kill(); }
            process.Dispose();
        }
    }
}
