using OidcConformance.Checks;
using OidcConformance.Reporting;

namespace OidcConformance.Baselines;

/// <summary>
/// Builds a baseline from a finished run: one entry per check execution that is not Passed. Existing entries with the
/// same verdict keep their reason and source; an entry whose verdict changed, and a new entry, take the profile's
/// documented deviation as reason when there is one, else the verdict's reason, and cite the report as source (a changed
/// entry also keeps what its old source said). Other members of the old file are kept.
/// </summary>
public static class BaselineWriter
{
    public static Baseline FromReport(ReportFile report, Baseline? existing, string reportLabel)
    {
        if (!report.Complete) throw new BaselineException($"{report.Path} is from an unfinished run; run the suite to the end first");
        if (report.SetupError is not null) throw new BaselineException($"{report.Path}: the run could not start ({report.SetupError})");
        var errors = report.Results.Where(r => r.Verdict == nameof(Verdict.Error)).Select(r => r.Key).ToList();
        if (errors.Count > 0)
            throw new BaselineException($"{report.Path} has harness errors, which are never expected verdicts: {string.Join(", ", errors)}");
        var entries = new List<BaselineEntry>();
        var seen = new HashSet<string>();
        foreach (var group in report.Results.GroupBy(r => r.Key))
        {
            // The same check and case may run more than once; the baseline expects the worst of them.
            var worst = group.OrderByDescending(r => Baseline.Rank(Enum.Parse<Verdict>(r.Verdict))).First();
            var verdict = Enum.Parse<Verdict>(worst.Verdict);
            if (verdict == Verdict.Passed || !seen.Add(group.Key)) continue;
            var old = existing?.Find(worst.Id, worst.Case);
            var also = group.Select(r => Enum.Parse<Verdict>(r.Verdict)).Where(v => v != verdict).Distinct().OrderBy(Baseline.Rank).ToList();
            var recorded = worst.KnownDeviation is not null ? $"profile deviation; verdict recorded from {reportLabel}" : $"verdict recorded from {reportLabel}";
            var (reason, source) = old is null ? (worst.KnownDeviation ?? worst.Reason, recorded)
                // Same verdict: the entry's reason and source fact stay. A changed verdict makes the old reason wrong:
                // the run's reason replaces it and the source keeps what the old entry claimed, so a reviewer sees both.
                : old.Expected == verdict ? (old.Reason, old.Source)
                : (worst.KnownDeviation ?? worst.Reason, $"{recorded} (the previous entry expected {old.Expected}: {old.Source})");
            entries.Add(new BaselineEntry(worst.Id, worst.Case, verdict, reason, source) { ExpectedAlso = also });
        }
        // Existing order first (diffs of the file stay small), new entries after it, by check id.
        var order = existing?.Entries.Select((e, i) => (Baseline.Key(e.Check, e.Case), i)).ToDictionary(x => x.Item1, x => x.i) ?? [];
        entries = entries.OrderBy(e => order.TryGetValue(Baseline.Key(e.Check, e.Case), out var i) ? i : int.MaxValue)
            .ThenBy(e => e.Check, StringComparer.Ordinal).ThenBy(e => e.Case, StringComparer.Ordinal).ToList();
        return new Baseline
        {
            Provider = report.Provider, Version = report.Version, Entries = entries, Path = existing?.Path,
            Extra = existing?.Extra.DeepClone().AsObject() ?? new(),
        };
    }
}
