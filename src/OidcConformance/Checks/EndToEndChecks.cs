namespace OidcConformance.Checks;

/// <summary>Whole relying-party journeys, judged by their steps' verdicts.</summary>
public static class EndToEndChecks
{
    public static readonly CheckDefinition SeedArticleFlow = new("e2e.relying-party-login-logout",
        "A relying party completes discovery → authorize → code exchange → JWKS-verified ID token → userinfo → logout",
        "End to end", [
            new(SpecDocument.OpenIdConnectCore, "3.1"),
            new(SpecDocument.OpenIdConnectDiscovery, "4"),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2"),
        ], RequirementLevel.Must);

    /// <summary>Passes when every step passed; otherwise names the first step that did not.</summary>
    public static CheckResult EvaluateJourney(IReadOnlyList<(string Step, CheckResult Result)> steps)
    {
        if (steps.Count == 0) return SeedArticleFlow.HarnessError("no steps were run");
        foreach (var (step, result) in steps)
        {
            switch (result.Verdict)
            {
                case Verdict.Failed:
                case Verdict.Error:
                    return SeedArticleFlow.Violation($"step '{step}' failed: {result.Check.Id}: {result.Reason}");
                case Verdict.Inconclusive:
                    return SeedArticleFlow.NotApplicable($"step '{step}' could not be judged: {result.Reason}");
            }
        }
        var warnings = steps.Where(s => s.Result.Verdict == Verdict.Warning).Select(s => s.Step).ToList();
        return SeedArticleFlow.Pass(warnings.Count == 0 ? $"all {steps.Count} steps passed" : $"all steps passed; warnings in: {string.Join(", ", warnings)}");
    }
}
