namespace OidcConformance.Checks;

/// <summary>RFC 2119 level of the requirement a check verifies. MUST violations fail, SHOULD violations warn.</summary>
public enum RequirementLevel { Must, Should }

/// <summary>
/// Outcome of one check execution. <see cref="Error"/> is not a verdict on the provider: it means the harness
/// could not reach a verdict (a bug or a broken environment) and is reported with its cause.
/// </summary>
public enum Verdict { Passed, Failed, Warning, Inconclusive, Error }

/// <summary>
/// What a check verifies: a stable id, where the requirement is written (structured <see cref="References"/>), and how
/// strong it is. <see cref="OidfModules"/> names the OpenID Foundation conformance-suite test modules the check
/// corresponds to (docs/coverage.md); <see cref="Note"/> says what no single reference says, typically why the level
/// is MUST or SHOULD.
/// </summary>
public sealed record CheckDefinition(string Id, string Title, string Area, IReadOnlyList<SpecReference> References, RequirementLevel Level)
{
    /// <summary>OIDF conformance-suite module names (e.g. "oidcc-ensure-post-request-succeeds") this check corresponds to.</summary>
    public IReadOnlyList<string> OidfModules { get; init; } = [];

    /// <summary>Grading rationale or context that belongs to no single reference; null when there is none.</summary>
    public string? Note { get; init; }

    /// <summary>The display form of the references and the note, used by the reports, the failure bundles and the NUnit messages.</summary>
    public string Spec => SpecReference.Display(References) + (Note is null ? "" : $". {Note}");

    public CheckResult Pass(string reason = "as required") => new(this, Verdict.Passed, reason);

    /// <summary>The requirement is violated: Failed for MUST, Warning for SHOULD.</summary>
    public CheckResult Violation(string reason) =>
        new(this, Level == RequirementLevel.Must ? Verdict.Failed : Verdict.Warning, reason);

    /// <summary>The provider does not offer the feature (per profile or discovery), or a prerequisite did not happen.</summary>
    public CheckResult NotApplicable(string reason) => new(this, Verdict.Inconclusive, reason);

    public CheckResult HarnessError(string reason) => new(this, Verdict.Error, reason);

    /// <summary>Passes when <paramref name="ok"/> holds, otherwise a violation with the given reason.</summary>
    public CheckResult Require(bool ok, string violationReason, string passReason = "as required") =>
        ok ? Pass(passReason) : Violation(violationReason);

    public override string ToString() => $"{Id} [{Level.ToString().ToUpperInvariant()} {Spec}] {Title}";
}

/// <summary>One piece of evidence attached to a result: already redacted text (an HTTP exchange, decoded JWT parts).</summary>
public sealed record Evidence(string Label, string Content);

public sealed record CheckResult(CheckDefinition Check, Verdict Verdict, string Reason)
{
    /// <summary>Case label of a data-driven execution (e.g. the redirect URI variant); null for single checks.</summary>
    public string? Case { get; init; }
    public IReadOnlyList<Evidence> Evidence { get; init; } = [];
    public TimeSpan Duration { get; init; }
    /// <summary>Set when the provider's profile documents this deviation; the verdict itself is unchanged.</summary>
    public string? KnownDeviation { get; init; }

    public CheckResult WithCase(string? @case) => this with { Case = @case };
    public CheckResult WithEvidence(params Evidence[] more) => this with { Evidence = [.. Evidence, .. more] };

    /// <summary>The values the verdict rests on (expected and actual), as data; see <see cref="Observation"/>.</summary>
    public IReadOnlyList<Observation> Observations { get; init; } = [];

    /// <summary>This result with one more observed value (null expected: recorded for comparison only; null actual: absent).</summary>
    public CheckResult Observed(string what, string? expected, string? actual) =>
        this with { Observations = [.. Observations, new Observation(what, expected, actual)] };

    public CheckResult Observed(params Observation[] more) => this with { Observations = [.. Observations, .. more] };

    public bool IsViolation => Verdict is Verdict.Failed or Verdict.Warning;
}
