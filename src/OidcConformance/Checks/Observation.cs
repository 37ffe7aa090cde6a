using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// One value a verdict rests on, as data: what was compared (an HTTP status, an OAuth error code, a claim, a metadata
/// member), what the check expected and what the provider actually gave. Reports show them next to the reason, and the
/// migration diff compares them across runs instead of reason texts.
/// Expected is a rule in words when there is no single value ("400 or 401", "not in the future", "absent");
/// null means "nothing in particular" (a value recorded for comparison only), Actual null means "absent".
/// Values are plain data: never a token, code or secret. Use <see cref="Observation.Redacted"/> for those, and compare
/// hashes as "matches"/"differs". Reports also pass every value through <see cref="Redactor"/> at output time.
/// </summary>
public sealed record Observation(string What, string? Expected, string? Actual)
{
    /// <summary>The text shown for a credential's value (a token, a code, a secret): its presence, never its value.</summary>
    public const string Redacted = "<redacted>";

    /// <summary>Shown for a value the response did not carry.</summary>
    public const string Absent = "(absent)";

    /// <summary>One compact line: "what: expected X, actual Y" (or "what: Y" when nothing in particular was expected).</summary>
    public string Describe() =>
        Expected is null ? $"{What}: {Actual ?? Absent}" : $"{What}: expected {Expected}, actual {Actual ?? Absent}";

    /// <summary>This observation with its values passed through the <see cref="Redactor"/> (what reports write).</summary>
    public Observation Redact() => new(What, Expected is null ? null : Redactor.Redact(Expected), Actual is null ? null : Redactor.Redact(Actual));
}

/// <summary>Helpers that keep checks short when they record the values a verdict rests on.</summary>
public static class Observe
{
    /// <summary>
    /// Passes when <paramref name="actual"/> equals <paramref name="expected"/> (ordinal), else a violation; either way
    /// the result records both values under <paramref name="what"/>.
    /// </summary>
    public static CheckResult RequireEqual(this CheckDefinition def, string what, string? expected, string? actual,
        string violationReason, string passReason = "as required") =>
        def.Require(string.Equals(expected, actual, StringComparison.Ordinal), violationReason, passReason).Observed(what, expected, actual);

    /// <summary>The HTTP status of an exchange as an observation value: the number, or "no response".</summary>
    public static string StatusOf(HttpExchange x) => x.TransportError is not null ? "no response" : x.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>A JSON value as an observation shows it: strings bare, anything else as JSON text.</summary>
    public static string? Json(System.Text.Json.JsonElement? e) =>
        e is not { } v ? null : v.ValueKind == System.Text.Json.JsonValueKind.String ? v.GetString() : v.GetRawText();

    /// <summary>"matches" or "differs": how a hash or a credential compares, without showing it.</summary>
    public static string MatchesOrDiffers(bool matches) => matches ? "matches" : "differs";

    /// <summary>Records the HTTP status and OAuth error code of a token endpoint answer.</summary>
    public static CheckResult ObservedAnswer(this CheckResult result, TokenResponse r, string? expectedStatus, string? expectedError) =>
        result.Observed("HTTP status", expectedStatus, StatusOf(r.Exchange)).Observed("error", expectedError, r.Error ?? (r.IsSuccess ? "(none: tokens issued)" : null));
}
