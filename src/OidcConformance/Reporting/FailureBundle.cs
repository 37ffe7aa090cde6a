using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Tokens;

namespace OidcConformance.Reporting;

/// <summary>
/// Evidence of one check execution: the generic fallback (the exchanges its test made, when the check attached none)
/// and the failure bundle written for a failed or warned check — artifacts/failures/&lt;check&gt;[__case]/ with the
/// verdict, the redacted exchanges, the decoded tokens (header and claims, no signature) and the run's discovery and
/// JWKS snapshots. Every file passes through the redactor.
/// </summary>
public static partial class FailureBundle
{
    private const int FallbackExchanges = 4;

    /// <summary>Evidence for a non-passing verdict that has none: the last exchanges of its test and the tokens they carried.</summary>
    public static IReadOnlyList<Evidence> Fallback(IReadOnlyList<HttpExchange> exchanges)
    {
        if (exchanges.Count == 0) return [];
        var list = new List<Evidence>();
        var shown = exchanges.Skip(Math.Max(0, exchanges.Count - FallbackExchanges)).ToList();
        var first = exchanges.Count - shown.Count;
        for (var i = 0; i < shown.Count; i++)
            list.Add(new Evidence($"exchange {first + i + 1} of {exchanges.Count} made by this check ({Redactor.Redact(shown[i].Purpose)})", shown[i].ToRedactedString(2000)));
        foreach (var (label, jwt) in Tokens(shown).Take(2))
            list.Add(new Evidence($"decoded {label} (header and claims)", Decoded(jwt)));
        return list;
    }

    /// <summary>Writes the bundle and returns its files (absolute paths).</summary>
    public static IReadOnlyList<string> Write(string failuresDirectory, CheckResult result, string? baselineNote,
        IReadOnlyList<HttpExchange> checkExchanges, IReadOnlyList<HttpExchange> allExchanges)
    {
        var name = Safe(result.Check.Id + (result.Case is null ? "" : "__" + result.Case));
        var dir = Path.Combine(failuresDirectory, name);
        for (var n = 2; Directory.Exists(dir); n++) dir = Path.Combine(failuresDirectory, $"{name}-{n}");
        Directory.CreateDirectory(dir);
        var files = new List<string>();
        void Put(string file, string content)
        {
            var path = Path.Combine(dir, file);
            File.WriteAllText(path, Redactor.Redact(content));
            files.Add(path);
        }

        var verdict = new StringBuilder();
        verdict.AppendLine($"# {result.Check.Id}{(result.Case is null ? "" : $" [{result.Case}]")}: {result.Verdict}");
        verdict.AppendLine();
        verdict.AppendLine($"{result.Check.Title} ({RunReport.Level(result.Check)}, {result.Check.Spec}, area {result.Check.Area})");
        verdict.AppendLine();
        verdict.AppendLine($"Reason: {result.Reason}");
        if (result.KnownDeviation is not null) verdict.AppendLine($"\nKnown deviation (profile): {result.KnownDeviation}");
        if (baselineNote is not null) verdict.AppendLine($"\nBaseline: {baselineNote}");
        foreach (var e in result.Evidence) verdict.AppendLine($"\n## {e.Label}\n\n```text\n{e.Content}\n```");
        Put("verdict.md", verdict.ToString());

        if (checkExchanges.Count > 0)
            Put("exchanges.txt", string.Join("\n\n======== ", checkExchanges.Select((e, i) => $"{i + 1}. {e.Purpose}\n{e.ToRedactedString(20_000)}")));
        var tokens = Tokens(checkExchanges).ToList();
        if (tokens.Count > 0)
            Put("tokens.txt", string.Join("\n\n", tokens.Select(t => $"## {t.Label}\n{Decoded(t.Jwt)}")));
        if (allExchanges.FirstOrDefault(e => e.Purpose == "discovery") is { } d) Put("discovery.txt", d.ToRedactedString(200_000));
        if (allExchanges.FirstOrDefault(e => e.Purpose == "jwks") is { } j) Put("jwks.txt", j.ToRedactedString(200_000));
        return files;
    }

    /// <summary>JWTs in the response bodies (and JWT response bodies) of the given exchanges, labelled by field and exchange.</summary>
    private static IEnumerable<(string Label, DecodedJwt Jwt)> Tokens(IEnumerable<HttpExchange> exchanges)
    {
        foreach (var e in exchanges)
        {
            foreach (Match m in JwtInJson().Matches(e.ResponseBody))
                if (DecodedJwt.Decode(m.Groups["jwt"].Value) is { IsValid: true } jwt)
                    yield return ($"{m.Groups["name"].Value} from {e.Purpose}", jwt);
            if (DecodedJwt.Decode(e.ResponseBody.Trim()) is { IsValid: true } body)
                yield return ($"response body of {e.Purpose}", body);
        }
    }

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    private static string Decoded(DecodedJwt jwt) =>
        $"header: {JsonSerializer.Serialize(jwt.Header, Indented)}\nclaims: {JsonSerializer.Serialize(jwt.Payload, Indented)}\n(signature: {jwt.Signature.Length} bytes, not shown)";

    private static string Safe(string s)
    {
        var cleaned = new string(s.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '-' or '_' ? c : '_').ToArray());
        return cleaned.Length > 120 ? cleaned[..120] : cleaned;
    }

    [GeneratedRegex("\"(?<name>[A-Za-z_]+)\"\\s*:\\s*\"(?<jwt>eyJ[A-Za-z0-9_-]+\\.[A-Za-z0-9_-]*\\.[A-Za-z0-9_-]*)\"")]
    private static partial Regex JwtInJson();
}
