using System.Text.Json;
using System.Xml.Linq;
using FluentAssertions;
using NUnit.Framework;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// Issue #11's order independence: a verdict must follow from evidence gathered in that very attempt, never from what an
/// earlier test left behind (stored consent, a provider session, a spent refresh token). The catalog runs against the
/// embedded provider twice in shuffled order (two seeds, <c>OIDC_ORDER_SEED</c>, tests/Conformance/Infrastructure/RandomOrder.cs)
/// and once per category alone; every check execution (id + case) must get the same verdict in each of them.
/// </summary>
[TestFixture, Category("SuiteProcess"), Category("OrderIndependence"), NonParallelizable]
public sealed class OrderIndependenceTests
{
    private const int FirstSeed = SharedSuiteRuns.NodeSeed, SecondSeed = 20261207;
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    private Run _first = null!;

    /// <summary>One execution's verdict and reason, in the order the run finished them.</summary>
    private sealed record Execution(string Key, string Verdict, string Reason);

    private sealed record Run(int? Seed, string? Category, IReadOnlyList<Execution> Executions, string Trx, string Output)
    {
        public IReadOnlyDictionary<string, Execution> ByKey => Executions.GroupBy(e => e.Key).ToDictionary(g => g.Key, g => g.Last());
        public string Label => Seed is { } s ? $"seed {s}" : $"category {Category} alone";
    }

    /// <summary>The first order is the shared whole run (SharedSuiteRuns, seed <see cref="SharedSuiteRuns.NodeSeed"/>), which other tests read too.</summary>
    [OneTimeSetUp]
    public async Task RunFirstSeedAsync() => _first = Read(FirstSeed, null, (await SharedSuiteRuns.NodeAsync()).Result);

    [Test]
    public async Task Two_shuffled_orders_give_every_execution_the_same_verdict()
    {
        var second = await RunAsync(SecondSeed);

        // The shuffle took effect: the runs finished their executions in different orders.
        second.Executions.Select(e => e.Key).Should().NotEqual(_first.Executions.Select(e => e.Key),
            "two seeds must start the tests in different orders, or this test proves nothing");
        second.ByKey.Keys.Should().BeEquivalentTo(_first.ByKey.Keys, "both orders must run the same executions");
        Differences(_first, second).Should().BeEmpty();
    }

    [Test]
    public async Task Each_category_alone_gives_its_executions_the_full_runs_verdicts()
    {
        var categories = ChecksByCategory(_first.Trx);
        categories.Should().NotBeEmpty("the full run's TRX names each test's categories");
        // Two categories at a time, each in its own run (its own provider on an ephemeral port, its own browser and report),
        // served by two warm suite hosts (SuiteHostPool: one `dotnet test` start-up per host instead of per category); the
        // comparison is per run, so concurrency cannot change what is compared.
        await using var pool = new SuiteHostPool(2);
        var runs = categories.Where(c => c.Value.Count > 0) // a category whose tests reported no verdict here (e.g. Preflight) has nothing to compare
            .OrderBy(c => c.Key, StringComparer.Ordinal)
            .Select(async c => (Checks: c.Value, Alone: await RunAloneAsync(pool, c.Key))).ToList();
        var problems = new List<string>();
        foreach (var (checks, alone) in await Task.WhenAll(runs))
        {
            var missing = checks.Where(id => alone.Executions.All(e => !e.Key.StartsWith(id + " ", StringComparison.Ordinal) && e.Key != id)).ToList();
            if (missing.Count > 0) problems.Add($"{alone.Label}: did not report {string.Join(", ", missing)}");
            problems.AddRange(Differences(_first, alone));
        }
        problems.Should().BeEmpty();
    }

    /// <summary>Every execution both runs reported whose verdict differs, as "id [case]: A (reason) ≠ B (reason)".</summary>
    private static IEnumerable<string> Differences(Run full, Run other)
    {
        var reference = full.ByKey;
        foreach (var e in other.ByKey.Values)
            if (reference.TryGetValue(e.Key, out var f) && f.Verdict != e.Verdict)
                yield return $"{e.Key}: {full.Label} {f.Verdict} ({f.Reason}) ≠ {other.Label} {e.Verdict} ({e.Reason})";
    }

    /// <summary>The whole suite in shuffled order, as a user runs it (`dotnet test`, with its TRX).</summary>
    private static async Task<Run> RunAsync(int seed)
    {
        var result = await SuiteProcess.RunAsync(new Dictionary<string, string> { ["OIDC_ORDER_SEED"] = seed.ToString() }, timeout: TimeSpan.FromMinutes(20));
        return Read(seed, null, result);
    }

    private static async Task<Run> RunAloneAsync(SuiteHostPool pool, string category)
    {
        var hosted = await pool.RunAsync(new Dictionary<string, string>(), $"<filter><cat>{System.Security.SecurityElement.Escape(category)}</cat></filter>",
            TimeSpan.FromMinutes(8));
        hosted.Error.Should().BeNull($"the run of category {category} in a suite host failed:\n{hosted.Run.Output}");
        return Read(null, category, hosted.Run, withTrx: false);
    }

    private static Run Read(int? seed, string? category, SuiteProcess.Result result, bool withTrx = true)
    {
        var label = seed is { } x ? $"seed {x}" : $"category {category}";
        var reportFile = Path.Combine(result.ArtifactsDirectory, "report.json");
        File.Exists(reportFile).Should().BeTrue($"the run ({label}) writes report.json:\n{result.Output}");
        using var report = JsonDocument.Parse(File.ReadAllText(reportFile));
        report.RootElement.GetProperty("complete").GetBoolean().Should().BeTrue($"the run ({label}) completes");
        var executions = report.RootElement.GetProperty("results").EnumerateArray().Select(r => new Execution(
            r.TryGetProperty("case", out var c) && c.ValueKind == JsonValueKind.String ? $"{r.GetProperty("id").GetString()} [{c.GetString()}]" : r.GetProperty("id").GetString()!,
            r.GetProperty("verdict").GetString()!, r.GetProperty("reason").GetString() ?? "")).ToList();
        executions.Where(e => e.Verdict == "Error").Should().BeEmpty($"a harness error is never a verdict ({label})");
        var trx = Path.Combine(result.ArtifactsDirectory, "suite.trx"); // SuiteProcess asks for this name
        if (withTrx) File.Exists(trx).Should().BeTrue($"the run ({label}) writes its TRX:\n{result.Output}");
        return new Run(seed, category, executions, trx, result.Output);
    }

    /// <summary>Category → the check ids its tests reported in the full run. The TRX names each test's class, and each test's
    /// standard output carries one "Verdict: check-id …" line per execution (ConformanceTest.Apply); the categories are
    /// the [Category] attributes of the class and its methods in the built suite (the TRX does not list fixture categories).</summary>
    private static IReadOnlyDictionary<string, HashSet<string>> ChecksByCategory(string trxPath)
    {
        var categoriesOfClass = CategoriesByClass();
        var doc = XDocument.Load(trxPath);
        var classOf = doc.Descendants(Trx + "UnitTest").ToDictionary(
            t => (string)t.Attribute("id")!, t => (string?)t.Element(Trx + "TestMethod")?.Attribute("className") ?? "");
        var result = categoriesOfClass.Values.SelectMany(c => c).Distinct().ToDictionary(c => c, _ => new HashSet<string>());
        foreach (var r in doc.Descendants(Trx + "UnitTestResult"))
        {
            var categories = categoriesOfClass.GetValueOrDefault(classOf.GetValueOrDefault((string?)r.Attribute("testId") ?? "") ?? "") ?? [];
            var checks = ((string?)r.Element(Trx + "Output")?.Element(Trx + "StdOut") ?? "").Split('\n').Select(Faults.FaultScope.CheckOf).OfType<string>();
            foreach (var category in categories) result[category].UnionWith(checks);
        }
        return result;
    }

    /// <summary>Test class full name → its categories (class and method [Category] attributes), read from the built suite.</summary>
    private static IReadOnlyDictionary<string, IReadOnlyList<string>> CategoriesByClass()
    {
        var assembly = System.Reflection.Assembly.LoadFrom(SuiteProcess.ConformanceAssembly);
        Type[] types;
        try { types = assembly.GetTypes(); }
        catch (System.Reflection.ReflectionTypeLoadException e) { types = e.Types.OfType<Type>().ToArray(); }
        static IEnumerable<string> Of(IEnumerable<System.Reflection.CustomAttributeData> attributes) => attributes
            .Where(a => a.AttributeType.FullName == typeof(CategoryAttribute).FullName && a.ConstructorArguments.Count == 1)
            .Select(a => (string)a.ConstructorArguments[0].Value!);
        return types.Where(t => t.FullName is not null).ToDictionary(t => t.FullName!, t => (IReadOnlyList<string>)Of(t.GetCustomAttributesData())
            .Concat(t.GetMethods().SelectMany(m => Of(m.GetCustomAttributesData()))).Distinct().ToList());
    }
}
