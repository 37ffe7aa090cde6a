using OidcConformance.Checks;

namespace OidcConformance.Run;

/// <summary>
/// Turns an outage into what an execution reports: an Error with its cause, for every check family alike (no check has
/// to know). Used by the suites' Verify.
/// </summary>
public static class OutageVerdicts
{
    /// <summary>Every outage Error's reason starts with it, so that NUnit messages, JUnit/TRX and reports can tell it apart.</summary>
    public const string Prefix = "provider unreachable";

    public static bool IsOutage(CheckResult r) => r.Verdict == Verdict.Error && r.Reason.StartsWith(Prefix, StringComparison.Ordinal);

    /// <summary>The execution met the outage (a request or page load that could not reach the provider).</summary>
    public static CheckResult Error(CheckDefinition check, ProviderUnreachableException e, string? @case)
    {
        var result = check.HarnessError(e.Message.StartsWith(Prefix, StringComparison.Ordinal) ? e.Message : $"{Prefix}: {e.Message}") with { Case = @case };
        OutageMonitor.NoteAffected(e.Outage, Label(result));
        return result;
    }

    /// <summary>
    /// An execution that reached a verdict while the provider went down (a back-channel outage began or was in progress
    /// between its start, at <paramref name="epoch"/>, and now): what it saw may span a restart or miss a step the gap
    /// swallowed, so its verdict is not trusted and it is an Error too. Errors stay as they are.
    /// </summary>
    public static CheckResult Guard(CheckResult result, OutageMonitor monitor, int epoch)
    {
        if (result.Verdict == Verdict.Error) return result;
        if (monitor.OverlappedSince(epoch) is not { Channel: OutageMonitor.BackChannel } outage) return result;
        var error = result.Check.HarnessError($"{Prefix} during this execution ({outage.Channel}, since {outage.Start:HH:mm:ss} UTC: {outage.Cause}); " +
                                              $"the verdict it reached ({result.Verdict}: {result.Reason}) is not trusted") with { Case = result.Case, Duration = result.Duration };
        OutageMonitor.NoteAffected(outage, Label(error));
        return error;
    }

    private static string Label(CheckResult r) => r.Case is null ? r.Check.Id : $"{r.Check.Id} [{r.Case}]";
}
