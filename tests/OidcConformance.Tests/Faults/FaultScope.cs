using System.Xml.Linq;
using OidcConformance.Faults;

namespace OidcConformance.Tests.Faults;

/// <summary>One test method of the control run: its full name (class + method, without the case arguments), the seconds
/// its executions took in all, and the check ids its executions reported.</summary>
public sealed record ControlTest(string Method, double Seconds, IReadOnlySet<string> Checks);

/// <summary>
/// Which tests a fault run needs. The control run (no fault, every selected fault's categories) says, per test method, which
/// check ids its executions reported (the suite host's answer, or the verdict lines of a TRX: "Verdict: check-id …",
/// ConformanceTest.Apply). A fault then runs only the tests of its categories that report one of its declared checks (Kills,
/// MayTurnInconclusive, LosesEvidenceFor): the checks that read what it breaks (issue #15). Its other tests would only
/// repeat the control run's verdicts; the isolation assertion covers the executions of the tests that run. A scoped run whose
/// kills differ from the declared ones is not trusted alone: FaultRuns runs the whole categories again and that run stands.
/// A fault whose declared checks no control test reported runs on its whole categories.
/// </summary>
public static class FaultScope
{
    private static readonly XNamespace Trx = "http://microsoft.com/schemas/VisualStudio/TeamTest/2010";

    /// <summary>The control run's tests by method, from its TRX (null when the file is missing or unreadable).</summary>
    public static IReadOnlyList<ControlTest>? ReadControl(string trxPath)
    {
        if (!File.Exists(trxPath)) return null;
        XDocument doc;
        try { doc = XDocument.Load(trxPath); } catch (System.Xml.XmlException) { return null; }
        var methods = doc.Descendants(Trx + "UnitTest").ToDictionary(
            t => (string)t.Attribute("id")!,
            t => t.Element(Trx + "TestMethod") is { } m ? $"{(string?)m.Attribute("className")}.{MethodName((string?)m.Attribute("name") ?? "")}" : null);
        var cases = new List<(string Method, double Seconds, IEnumerable<string> Checks)>();
        foreach (var r in doc.Descendants(Trx + "UnitTestResult"))
        {
            if (methods.GetValueOrDefault((string?)r.Attribute("testId") ?? "") is not { } method) continue;
            var seconds = TimeSpan.TryParse((string?)r.Attribute("duration"), out var d) ? d.TotalSeconds : 0;
            cases.Add((method, seconds, ((string?)r.Element(Trx + "Output")?.Element(Trx + "StdOut") ?? "").Split('\n').Select(CheckOf).OfType<string>()));
        }
        return ByMethod(cases);
    }

    /// <summary>The control run's tests by method, from the suite host's answers (one list per control run).</summary>
    public static IReadOnlyList<ControlTest> FromCases(IEnumerable<Harness.SuiteHostPool.CaseResult> cases) =>
        ByMethod(cases.Select(c => (c.Method, c.Seconds, (IEnumerable<string>)c.Checks)));

    private static IReadOnlyList<ControlTest> ByMethod(IEnumerable<(string Method, double Seconds, IEnumerable<string> Checks)> cases)
    {
        var byMethod = new Dictionary<string, (double Seconds, HashSet<string> Checks)>();
        foreach (var (method, seconds, checks) in cases)
        {
            var entry = byMethod.GetValueOrDefault(method, (0, new HashSet<string>()));
            entry.Seconds += seconds;
            entry.Checks.UnionWith(checks);
            byMethod[method] = entry;
        }
        return byMethod.Select(p => new ControlTest(p.Key, p.Value.Seconds, p.Value.Checks)).ToList();
    }

    /// <summary>The check id of a verdict line (<see cref="OidcConformance.Reporting.VerdictLine"/>), null for any other line.</summary>
    internal static string? CheckOf(string line) => OidcConformance.Reporting.VerdictLine.CheckId(line);

    private static string MethodName(string name) => name.IndexOf('(') is var i and >= 0 ? name[..i] : name;

    private static HashSet<string> Declared(Fault fault) =>
        fault.Kills.Select(k => k.CheckId).Concat(fault.MayTurnInconclusive).Concat(fault.LosesEvidenceFor).ToHashSet();

    /// <summary>The control tests a fault's run keeps: those that reported one of its declared checks (empty: run the whole categories).</summary>
    public static IReadOnlyList<string> Kept(Fault fault, IReadOnlyList<ControlTest>? control)
    {
        if (control is null) return [];
        var declared = Declared(fault);
        return control.Where(t => t.Checks.Overlaps(declared)).Select(t => t.Method).Order(StringComparer.Ordinal).ToList();
    }

    /// <summary>The vstest filter of a fault run (for <c>dotnet test</c>): its categories, narrowed to the kept tests.
    /// "~" matches by substring, so a kept name that is part of another's also keeps that one: more tests, never fewer.</summary>
    public static string Filter(Fault fault, IReadOnlyList<ControlTest>? control)
    {
        var categories = string.Join("|", fault.Categories.Distinct().Select(c => $"Category={c}"));
        var kept = Kept(fault, control);
        return kept.Count == 0 ? categories : $"({categories})&({string.Join("|", kept.Select(m => $"FullyQualifiedName~{m}"))})";
    }

    /// <summary>The same selection as an NUnit filter (XML, for the suite host): a test's full name is its method's name,
    /// followed by its case arguments in parentheses.</summary>
    public static string Where(Fault fault, IReadOnlyList<ControlTest>? control)
    {
        var categories = string.Concat(fault.Categories.Distinct().Select(c => $"<cat>{SecurityElement(c)}</cat>"));
        var kept = Kept(fault, control);
        if (kept.Count == 0) return $"<filter><or>{categories}</or></filter>";
        var tests = string.Concat(kept.Select(m => $"<test re=\"1\">{SecurityElement("^" + System.Text.RegularExpressions.Regex.Escape(m) + @"(\(|$)")}</test>"));
        return $"<filter><and><or>{categories}</or><or>{tests}</or></and></filter>";
    }

    /// <summary>The filter of whole categories, both forms.</summary>
    public static (string VsTest, string NUnit) Categories(IEnumerable<string> categories)
    {
        var list = categories.Distinct().ToList();
        return (string.Join("|", list.Select(c => $"Category={c}")), $"<filter><or>{string.Concat(list.Select(c => $"<cat>{SecurityElement(c)}</cat>"))}</or></filter>");
    }

    private static string SecurityElement(string s) => System.Security.SecurityElement.Escape(s);
}
