using System.Xml.Linq;
using OidcConformance.Baselines;
using OidcConformance.Coverage;
using OidcConformance.Http;
using OidcConformance.Migration;
using OidcConformance.Reporting;
using OidcConformance.Run;

// Commands on finished runs (report.json files), used by run.sh:
//   diff A/report.json B/report.json [--out DIR]      → DIR/migration.md and DIR/migration.json (default DIR: artifacts)
//   baseline-update [RUNSETTINGS] [--report FILE]     → rewrites the run's baseline from its report.json
//   coverage                                          → docs/coverage.md, the catalog against the OIDF certification plans
var root = RunSettings.FindRepositoryRoot(Directory.GetCurrentDirectory());
try
{
    return args.FirstOrDefault() switch
    {
        "diff" => Diff(args[1..]),
        "baseline-update" => BaselineUpdate(args[1..]),
        "coverage" => WriteCoverage(),
        _ => Usage(),
    };
}
catch (Exception e) when (e is BaselineException or InvalidDataException or FileNotFoundException or DirectoryNotFoundException or System.Text.Json.JsonException)
{
    Console.Error.WriteLine($"error: {Redactor.Redact(e.Message)}");
    return 2;
}

int Usage()
{
    Console.Error.WriteLine("usage: OidcReport diff A/report.json B/report.json [--out DIR] | OidcReport baseline-update [RUNSETTINGS] [--report FILE] | OidcReport coverage");
    return 2;
}

string? Option(string[] a, string name) { var i = Array.IndexOf(a, name); return i >= 0 && i + 1 < a.Length ? a[i + 1] : null; }

string[] Positional(string[] a)
{
    var list = new List<string>();
    for (var i = 0; i < a.Length; i++) { if (a[i].StartsWith("--", StringComparison.Ordinal)) i++; else list.Add(a[i]); }
    return [.. list];
}

int Diff(string[] a)
{
    var files = Positional(a);
    if (files.Length != 2) return Usage();
    var diff = MigrationDiff.Compare(ReportFile.Load(files[0]), ReportFile.Load(files[1]));
    var outDir = Path.GetFullPath(Option(a, "--out") ?? Path.Combine(root, "artifacts"));
    Directory.CreateDirectory(outDir);
    File.WriteAllText(Path.Combine(outDir, "migration.md"), Redactor.Redact(diff.ToMarkdown()));
    File.WriteAllText(Path.Combine(outDir, "migration.json"), Redactor.Redact(diff.ToJson()));
    Console.WriteLine($"{diff.NameA} → {diff.NameB}: {diff.VerdictChanges.Count} verdict changes, {diff.FactChanges.Count} behaviour facts and {diff.ErrorChanges.Count} error responses differ");
    foreach (var line in diff.Headline) Console.WriteLine($"- {line}");
    Console.WriteLine($"written: {Path.Combine(outDir, "migration.md")} and migration.json");
    return 0;
}

int BaselineUpdate(string[] a)
{
    // The runsettings say where the run wrote its report (parameter "artifacts") and which baseline it uses ("baseline").
    var settingsFile = Positional(a).FirstOrDefault();
    string? Param(string name)
    {
        if (settingsFile is null) return null;
        var doc = XDocument.Load(Path.GetFullPath(settingsFile, root));
        return doc.Descendants("Parameter").FirstOrDefault(p => (string?)p.Attribute("name") == name)?.Attribute("value")?.Value;
    }
    var artifacts = Environment.GetEnvironmentVariable("OIDC_ARTIFACTS") is { Length: > 0 } env ? env : Param("artifacts") ?? "artifacts";
    var reportPath = Path.GetFullPath(Option(a, "--report") ?? Path.Combine(artifacts, "report.json"), root);
    var report = ReportFile.Load(reportPath);
    var requested = BaselineSettings.Requested(Param);
    var target = BaselineSettings.UpdateTarget(requested, root, report.Provider, report.Version);
    var existing = File.Exists(target) ? Baseline.Load(target) : null;
    if (existing is not null && (existing.Provider != report.Provider || existing.Version != report.Version))
        throw new BaselineException($"{target} is for {existing.Provider} {existing.Version}, the report is {report.Provider} {report.Version}");
    var label = $"{Path.GetRelativePath(root, reportPath)} of {report.Started:yyyy-MM-dd}";
    var updated = BaselineWriter.FromReport(report, existing, label);
    Directory.CreateDirectory(Path.GetDirectoryName(target)!);
    updated.Save(target);
    var before = existing?.Entries.ToDictionary(e => Baseline.Key(e.Check, e.Case), e => e.Expected) ?? [];
    var after = updated.Entries.ToDictionary(e => Baseline.Key(e.Check, e.Case), e => e.Expected);
    foreach (var k in before.Keys.Except(after.Keys)) Console.WriteLine($"  now passing (entry removed): {k} (was {before[k]})");
    foreach (var k in after.Keys.Except(before.Keys)) Console.WriteLine($"  new entry: {k} {after[k]}");
    foreach (var k in after.Keys.Intersect(before.Keys).Where(k => before[k] != after[k])) Console.WriteLine($"  changed: {k} {before[k]} → {after[k]}");
    Console.WriteLine($"baseline {Path.GetRelativePath(root, target)}: {updated.Entries.Count} expected non-passing verdicts (from {Path.GetRelativePath(root, reportPath)})");
    return 0;
}

int WriteCoverage()
{
    // The document is generated from the check catalog and the OIDF plan lists; CoverageDocumentTests compares it.
    var path = Path.Combine(root, CoverageDocument.RelativePath);
    File.WriteAllText(path, CoverageDocument.Render());
    Console.WriteLine($"written: {CoverageDocument.RelativePath}");
    return 0;
}
