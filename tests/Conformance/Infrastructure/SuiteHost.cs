using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;
using NUnit.Framework.Api;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

namespace OidcConformance.Suites;

/// <summary>
/// <c>dotnet Conformance.dll --suite-host</c>: runs this suite many times in one warm process, one run after another, each
/// exactly as <c>dotnet test</c> runs it (NUnit's own runner, the same filter semantics, the same set-up fixture: a fresh
/// <see cref="RunSetup"/>, provider, proxy, browser and report per run). The fault catalog and the order-independence test
/// (tests/OidcConformance.Tests) use it: starting <c>dotnet test</c> costs each run about 3 s of CPU for the test platform
/// and the just-in-time compilation of the harness, which a host pays once (issue #15).
/// </summary>
/// <remarks>
/// Protocol, one JSON object per line. Request on standard input:
/// <c>{"id":"…","environment":{"OIDC_FAULT":"…","OIDC_ARTIFACTS":"…"},"where":"&lt;filter&gt;…&lt;/filter&gt;"}</c> (an NUnit
/// filter, as <c>nunit3-console --where</c> takes it in XML form). Answer on standard output, on a line of its own that
/// starts with <see cref="AnswerPrefix"/>: <c>{"id":"…","seconds":…,"tests":[{"method","seconds","checks"}…],"error":null}</c>. Everything else the run
/// prints (progress, provider logs) goes to standard error. The process ends when standard input closes.
/// Nothing a run leaves in the process changes the next run's verdicts: the suite keeps its state in the run it starts
/// (<see cref="RunSetup.Current"/> is replaced, the provider and proxy are new, the browser's contexts are new: the
/// Chromium process itself is kept, <see cref="OidcConformance.Browser.BrowserHost.ShareAcrossRuns"/>); FaultTests proves it by comparing
/// faults run in a host with the same faults run alone.
/// </remarks>
public static class SuiteHost
{
    public const string Flag = "--suite-host";
    public const string AnswerPrefix = "@@suite-host ";

    public static int Main(string[] args)
    {
        if (args is not [Flag])
        {
            Console.Error.WriteLine($"Conformance.dll is a test assembly: run it with `dotnet test` (README). `{Flag}` serves runs to the fault catalog.");
            return 2;
        }
        // The answers must not mix with what the runs print: NUnit captures Console.Out during a run, so the answers go to
        // the process's own standard output stream, and everything else is pointed at standard error.
        var answers = new StreamWriter(Console.OpenStandardOutput()) { AutoFlush = true };
        Console.SetOut(Console.Error);
        OidcConformance.Browser.BrowserHost.ShareAcrossRuns = true; // one Chromium for all runs, new contexts per run
        string? line;
        while ((line = Console.In.ReadLine()) is not null)
        {
            if (string.IsNullOrWhiteSpace(line)) continue;
            answers.WriteLine(AnswerPrefix + Serve(line).ToJsonString());
        }
        OidcConformance.Browser.BrowserHost.CloseSharedAsync().GetAwaiter().GetResult();
        return 0;
    }

    private static JsonObject Serve(string line)
    {
        var clock = Stopwatch.StartNew();
        string? id = null;
        try
        {
            var request = JsonNode.Parse(line)!.AsObject();
            id = (string?)request["id"];
            var environment = request["environment"]?.AsObject() ?? [];
            var before = environment.Select(p => (p.Key, Value: Environment.GetEnvironmentVariable(p.Key))).ToList();
            foreach (var (name, value) in environment) Environment.SetEnvironmentVariable(name, (string?)value);
            try
            {
                var tests = RunOnce((string?)request["where"]);
                return new JsonObject { ["id"] = id, ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2), ["tests"] = tests, ["error"] = null };
            }
            finally
            {
                // The next request names its own environment; nothing of this one carries over.
                foreach (var (name, value) in before) Environment.SetEnvironmentVariable(name, value);
            }
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new JsonObject { ["id"] = id, ["seconds"] = Math.Round(clock.Elapsed.TotalSeconds, 2), ["tests"] = new JsonArray(), ["error"] = $"{e.GetType().Name}: {e.Message}" };
        }
    }

    /// <summary>One run of the suite with NUnit's runner over this assembly; per test case that ran: its method, seconds and the
    /// check ids its output reported (the "Verdict: check-id …" lines of ConformanceTest), as a TRX would give them.</summary>
    private static JsonArray RunOnce(string? where)
    {
        var runner = new NUnitTestAssemblyRunner(new DefaultTestAssemblyBuilder());
        var settings = new Dictionary<string, object>
        {
            ["WorkDirectory"] = Environment.CurrentDirectory,
            ["TestParametersDictionary"] = new Dictionary<string, string>(),
        };
        runner.Load(typeof(SuiteHost).Assembly, settings);
        var filter = string.IsNullOrWhiteSpace(where) ? TestFilter.Empty : TestFilter.FromXml(where);
        var listener = new CaseListener();
        runner.Run(listener, filter);
        return new JsonArray(listener.Cases.Select(c => (JsonNode)new JsonObject
        {
            ["method"] = c.Method, ["seconds"] = Math.Round(c.Seconds, 3), ["checks"] = new JsonArray(c.Checks.Select(x => (JsonNode)x).ToArray()),
        }).ToArray());
    }

    private sealed record Case(string Method, double Seconds, string[] Checks);

    private sealed class CaseListener : ITestListener
    {
        private readonly List<Case> cases = [];
        public IReadOnlyList<Case> Cases { get { lock (cases) return cases.ToList(); } }
        public void TestStarted(ITest test) { }
        public void TestFinished(ITestResult result)
        {
            if (result.Test.IsSuite) return;
            var checks = result.Output.Split('\n').Select(OidcConformance.Reporting.VerdictLine.CheckId).OfType<string>().Distinct().ToArray();
            // The fixture's class and the method, as a TRX names them: the full name without the case arguments (Test.ClassName
            // would name the declaring class, a generic base class for inherited tests).
            var name = result.Test.FullName;
            var method = name.IndexOf('(') is var i and >= 0 ? name[..i] : name;
            lock (cases) cases.Add(new Case(method, result.Duration, checks));
        }
        public void TestOutput(TestOutput output) { }
        public void SendMessage(TestMessage message) { }
    }
}
