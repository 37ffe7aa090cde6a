using System.Xml.Linq;
using OidcConformance.Faults;

namespace OidcConformance.Tests.Faults;

/// <summary>One test method of the control run: its full name (class + method, without the case arguments), the seconds
/// its executions took in all, and the check ids its executions reported.</summary>
public sealed record ControlTest(string Method, double Seconds, IReadOnlySet<string> Checks);

/// <summary>
/// Which tests a fault run needs. The control run (no fault, every selected fault's categories) is read from its TRX:
/// each test's standard output carries one line per verdict, "Verdict: check-id …" (ConformanceTest.Apply). A fault then
/// runs on its categories minus the expensive tests (≥ <see cref="ExpensiveSeconds"/> in the control run) that report
/// none of its declared checks (Kills, MayTurnInconclusive). Cheap tests, mostly checks over artifacts the run shares,
/// stay as neighbours: the isolation assertion still covers them. A scoped run whose kills differ from the declared ones
/// is not trusted alone: FaultRuns runs the whole categories again and that run stands, as before this scoping.
/// </summary>
public static class FaultScope
{
    /// <summary>A test method whose executions took this long in the control run is left out unless it reports a declared check
    /// (the split is at a gap: 41 methods of ~400 take ≥ 2 s and ~90 % of the tests' time; the rest are checks over shared artifacts).</summary>
    public const double ExpensiveSeconds = 2.0;

    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";
    private static readonly string[] Verdicts = ["Passed", "Failed", "Warning", "Inconclusive", "Error"];

    /// <summary>The control run's tests by method, from its TRX (null when the file is missing or unreadable).</summary>
    public static IReadOnlyList<ControlTest>? ReadControl(string trxPath)
    {
        if (!File.Exists(trxPath)) return null;
        XDocument doc;
        try { doc = XDocument.Load(trxPath); } catch (System.Xml.XmlException) { return null; }
        var methods = doc.Descendants(Trx + "UnitTest").ToDictionary(
            t => (string)t.Attribute("id")!,
            t => t.Element(Trx + "TestMethod") is { } m ? $"{(string?)m.Attribute("className")}.{MethodName((string?)m.Attribute("name") ?? "")}" : null);
        var byMethod = new Dictionary<string, (double Seconds, HashSet<string> Checks)>();
        foreach (var r in doc.Descendants(Trx + "UnitTestResult"))
        {
            if (methods.GetValueOrDefault((string?)r.Attribute("testId") ?? "") is not { } method) continue;
            var seconds = TimeSpan.TryParse((string?)r.Attribute("duration"), out var d) ? d.TotalSeconds : 0;
            var entry = byMethod.GetValueOrDefault(method, (0, new HashSet<string>()));
            entry.Seconds += seconds;
            foreach (var line in ((string?)r.Element(Trx + "Output")?.Element(Trx + "StdOut") ?? "").Split('\n'))
                if (CheckOf(line) is { } id) entry.Checks.Add(id);
            byMethod[method] = entry;
        }
        return byMethod.Select(p => new ControlTest(p.Key, p.Value.Seconds, p.Value.Checks)).ToList();
    }

    /// <summary>"Failed: id.token-x [case] (MUST, …): reason" → "id.token-x".</summary>
    internal static string? CheckOf(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 || !Verdicts.Contains(line[..colon])) return null;
        var rest = line[(colon + 2)..];
        var end = rest.IndexOfAny([' ', '\r']);
        return end < 0 ? rest : rest[..end];
    }

    private static string MethodName(string name) => name.IndexOf('(') is var i and >= 0 ? name[..i] : name;

    /// <summary>The expensive control tests this fault's run leaves out: none of their checks is one the fault declares.</summary>
    public static IReadOnlyList<string> LeftOut(Fault fault, IReadOnlyList<ControlTest> control)
    {
        var declared = fault.Kills.Select(k => k.CheckId).Concat(fault.MayTurnInconclusive).Concat(fault.LosesEvidenceFor).ToHashSet();
        // A test that reported no verdict at all (no check ids) is kept: nothing says what it does.
        bool Candidate(ControlTest t) => t.Seconds >= ExpensiveSeconds && t.Checks.Count > 0 && !t.Checks.Overlaps(declared);
        var kept = control.Where(t => !Candidate(t)).Select(t => t.Method).ToList();
        // "!~" excludes by substring: never exclude a name that is part of a kept test's name (Foo would also drop FooBar).
        return control.Where(Candidate).Select(t => t.Method)
            .Where(m => !kept.Any(k => k.Contains(m, StringComparison.Ordinal)))
            .Order().ToList();
    }

    /// <summary>The vstest filter of a fault run: its categories, minus the tests left out.</summary>
    public static string Filter(Fault fault, IReadOnlyList<ControlTest>? control)
    {
        var categories = string.Join("|", fault.Categories.Distinct().Select(c => $"Category={c}"));
        var leftOut = control is null ? [] : LeftOut(fault, control);
        return leftOut.Count == 0 ? categories : $"({categories}){string.Concat(leftOut.Select(m => $"&FullyQualifiedName!~{m}"))}";
    }
}
