namespace OidcConformance.Reporting;

/// <summary>
/// The line each check execution prints to its test's output (tests/Conformance/Infrastructure/ConformanceTest.cs):
/// "Verdict: check-id [case] (LEVEL, reference): reason". The fault catalog's scoping and the order-independence test read
/// which checks a test reported from these lines, in a TRX or in the suite host's answer.
/// </summary>
public static class VerdictLine
{
    private static readonly string[] Verdicts = ["Passed", "Failed", "Warning", "Inconclusive", "Error"];

    /// <summary>"Failed: id.token-x [case] (MUST, …): reason" → "id.token-x"; null for any other line (evidence, exchanges).</summary>
    public static string? CheckId(string line)
    {
        var colon = line.IndexOf(": ", StringComparison.Ordinal);
        if (colon < 0 || !Verdicts.Contains(line[..colon])) return null;
        var rest = line[(colon + 2)..];
        var end = rest.IndexOfAny([' ', '\r']);
        return end < 0 ? rest : rest[..end];
    }
}
