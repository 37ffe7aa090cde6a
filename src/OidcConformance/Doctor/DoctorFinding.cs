namespace OidcConformance.Doctor;

/// <summary>Ok: the step worked. Problem: the profile (or the provider's set-up) must change. Note: something the doctor could not decide.</summary>
public enum DoctorStatus { Ok, Note, Problem }

/// <summary>
/// One result of <c>./run.sh doctor</c>: which step, WHERE (the profile key, as a JSON path, and the profile file), WHAT was seen
/// and WHAT TO CHANGE. Texts never hold a secret unredacted (they are passed through the <see cref="Http.Redactor"/> when printed).
/// </summary>
public sealed record DoctorFinding(DoctorStatus Status, string Step, string ProfileKey, string What, string Fix = "")
{
    /// <summary>A screenshot of the page the finding is about (artifacts/doctor/…), when a browser step made one.</summary>
    public string? Screenshot { get; init; }

    public static DoctorFinding Ok(string step, string key, string what) => new(DoctorStatus.Ok, step, key, what);
    public static DoctorFinding Problem(string step, string key, string what, string fix) => new(DoctorStatus.Problem, step, key, what, fix);
    public static DoctorFinding Note(string step, string key, string what, string fix = "") => new(DoctorStatus.Note, step, key, what, fix);
}

/// <summary>All findings of one doctor run, in the order the steps ran.</summary>
public sealed record DoctorReport(string ProfileFile, IReadOnlyList<DoctorFinding> Findings, string ScreenshotDirectory)
{
    public IEnumerable<DoctorFinding> Problems => Findings.Where(f => f.Status == DoctorStatus.Problem);
    public bool Healthy => !Problems.Any();

    /// <summary>The printed form: one block per finding (status, step, key and file; what; fix), secrets redacted.</summary>
    public string Render()
    {
        var text = new System.Text.StringBuilder();
        foreach (var f in Findings)
        {
            var label = f.Status switch { DoctorStatus.Ok => "ok     ", DoctorStatus.Note => "note   ", _ => "PROBLEM" };
            text.AppendLine($"{label} [{f.Step}] {f.ProfileKey} ({ProfileFile})");
            text.AppendLine($"        what: {f.What}");
            if (f.Fix.Length > 0) text.AppendLine($"        fix:  {f.Fix}");
            if (f.Screenshot is not null) text.AppendLine($"        screenshot: {f.Screenshot}");
        }
        var problems = Problems.Count();
        text.AppendLine(problems == 0
            ? $"doctor: no problem found; screenshots in {ScreenshotDirectory}. Next: ./run.sh conformance RUNSETTINGS"
            : $"doctor: {problems} problem(s); change the profile as each 'fix' says and run ./run.sh doctor again");
        return Http.Redactor.Redact(text.ToString());
    }
}
