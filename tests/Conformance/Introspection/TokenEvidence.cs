using OidcConformance.Checks;
using OidcConformance.Http;

namespace OidcConformance.Suites;

/// <summary>Attaches the redacted exchanges behind a verdict that is not a pass, so the report shows what the provider said.</summary>
internal static class TokenEvidence
{
    public static CheckResult Because(this CheckResult result, params (string Label, HttpExchange? Exchange)[] exchanges) =>
        result.Verdict == Verdict.Passed
            ? result
            : result.WithEvidence(exchanges.Where(e => e.Exchange is not null)
                .Select(e => new Evidence(e.Label, e.Exchange!.ToRedactedString(2000))).ToArray());

    /// <summary>
    /// A negative case names the step of the normal request it changed ("revocation request / client authentication:
    /// no credentials"), whatever the verdict; a normal request (<paramref name="mutatedStep"/> null) adds nothing.
    /// </summary>
    public static CheckResult Mutates(this CheckResult result, string? mutatedStep) =>
        mutatedStep is null ? result : result.WithEvidence(new Evidence("mutates", mutatedStep));
}
