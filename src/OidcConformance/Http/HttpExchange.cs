using System.Net;
using System.Text;

namespace OidcConformance.Http;

/// <summary>One recorded HTTP request/response pair, raw (checks read it) and printable only through <see cref="ToRedactedString"/>.</summary>
public sealed record HttpExchange
{
    public required string Purpose { get; init; }
    public required string Method { get; init; }
    public required Uri Url { get; init; }
    public required IReadOnlyList<KeyValuePair<string, string>> RequestHeaders { get; init; }
    public string? RequestBody { get; init; }
    /// <summary>Null when no response arrived (timeout, refused connection); see <see cref="TransportError"/>.</summary>
    public HttpStatusCode? Status { get; init; }
    public IReadOnlyList<KeyValuePair<string, string>> ResponseHeaders { get; init; } = [];
    public string ResponseBody { get; init; } = "";
    public bool ResponseTruncated { get; init; }
    public DateTimeOffset Started { get; init; }
    public TimeSpan Duration { get; init; }
    public string? TransportError { get; init; }

    public int StatusCode => (int)(Status ?? 0);
    public bool IsSuccess => Status is not null && StatusCode is >= 200 and < 300;

    public string? Header(string name) =>
        ResponseHeaders.Where(h => h.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value)
            .Aggregate((string?)null, (acc, v) => acc is null ? v : acc + ", " + v);

    public string? ContentType => Header("Content-Type");

    /// <summary>The URL without query and fragment; a relative URL (from a broken discovery document) as written.</summary>
    public string UrlPath => Url.IsAbsoluteUri ? Url.GetLeftPart(UriPartial.Path) : Url.OriginalString;

    public bool IsJsonContentType =>
        ContentType is { } ct && (ct.StartsWith("application/json", StringComparison.OrdinalIgnoreCase)
                                  || ct.Contains("+json", StringComparison.OrdinalIgnoreCase));

    /// <summary>Short description for verdict reasons, e.g. "POST http://op/token → 400 (application/json)".</summary>
    public string Summary =>
        TransportError is not null
            ? $"{Method} {Redactor.Redact(UrlPath)} → no response: {TransportError}"
            : $"{Method} {Redactor.Redact(UrlPath)} → {StatusCode} ({ContentType ?? "no content type"})";

    public string ToRedactedString(int maxBody = 4000)
    {
        var sb = new StringBuilder();
        sb.Append($"{Method} {Url}\n");
        foreach (var (k, v) in RequestHeaders) sb.Append($"{k}: {v}\n");
        if (!string.IsNullOrEmpty(RequestBody)) sb.Append('\n').Append(Clip(RequestBody, maxBody)).Append('\n');
        sb.Append('\n');
        if (TransportError is not null)
            sb.Append($"(no response after {Duration.TotalMilliseconds:0} ms: {TransportError})\n");
        else
        {
            sb.Append($"HTTP {StatusCode} ({Duration.TotalMilliseconds:0} ms)\n");
            foreach (var (k, v) in ResponseHeaders) sb.Append($"{k}: {v}\n");
            sb.Append('\n').Append(Clip(ResponseBody, maxBody));
            if (ResponseTruncated) sb.Append("\n(body truncated by the harness)");
        }
        return Redactor.Redact(sb.ToString());
    }

    private static string Clip(string s, int max) => s.Length <= max ? s : s[..max] + $"… ({s.Length - max} more characters)";
}
