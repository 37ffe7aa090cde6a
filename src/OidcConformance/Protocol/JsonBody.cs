using System.Text.Json;
using System.Text.RegularExpressions;
using OidcConformance.Http;

namespace OidcConformance.Protocol;

/// <summary>
/// The JSON object of a response body, or a precise description of why there is none (HTML error page, empty body,
/// truncated or malformed JSON, transport failure). Checks quote <see cref="Problem"/> in their verdicts.
/// </summary>
public sealed partial class JsonBody
{
    public JsonElement? Object { get; }
    public string? Problem { get; }
    public bool IsObject => Object is not null;

    private JsonBody(JsonElement? obj, string? problem) { Object = obj; Problem = problem; }

    public static JsonBody From(HttpExchange exchange)
    {
        if (exchange.TransportError is not null) return new(null, $"no response: {exchange.TransportError}");
        return Parse(exchange.ResponseBody, exchange.ContentType, exchange.ResponseTruncated);
    }

    public static JsonBody Parse(string body, string? contentType = null, bool truncated = false)
    {
        if (truncated) return new(null, "the body exceeds the harness's size cap and was truncated; it is not a usable JSON document");
        if (string.IsNullOrWhiteSpace(body)) return new(null, $"empty body (content type {contentType ?? "none"})");
        var trimmed = body.TrimStart();
        if (trimmed.StartsWith('<'))
        {
            var title = TitlePattern().Match(trimmed);
            return new(null, $"HTML instead of JSON (content type {contentType ?? "none"}" +
                             (title.Success ? $", page title \"{title.Groups[1].Value.Trim()}\")" : ")"));
        }
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind != JsonValueKind.Object)
                return new(null, $"JSON {doc.RootElement.ValueKind.ToString().ToLowerInvariant()} instead of a JSON object");
            return new(doc.RootElement.Clone(), null);
        }
        catch (JsonException e)
        {
            return new(null, $"malformed JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine})");
        }
    }

    public JsonElement? Get(string name) =>
        Object is { } o && o.TryGetProperty(name, out var v) ? v : null;

    public string? String(string name) =>
        Get(name) is { ValueKind: JsonValueKind.String } v ? v.GetString() : null;

    public bool Has(string name) => Get(name) is not null;

    /// <summary>An error envelope {"status":"error","msg":…} that some providers send with HTTP 200 (Casdoor: controllers/account.go,
    /// routers/base.go struct Response).</summary>
    public bool IsStatusErrorEnvelope => String("status") == "error" && Has("msg");

    [GeneratedRegex("<title[^>]*>([^<]{0,120})", RegexOptions.IgnoreCase)]
    private static partial Regex TitlePattern();
}
