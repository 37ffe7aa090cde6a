using System.IO.Compression;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Http;

namespace OidcConformance.Browser;

/// <summary>
/// Turns the raw trace chunks Playwright exported for one browser context into one redacted trace zip that Playwright's
/// trace viewer opens. Raw chunks hold everything the browser saw: typed passwords, codes and tokens in URLs, form posts
/// and callback pages, session cookies. Every entry that is not an image passes through the <see cref="Redactor"/>;
/// the JSON-lines files (<c>*.trace</c>, <c>*.network</c>) are redacted value by value, with structural rules on top:
/// typed input (fill/type), password fields and fields named like a credential in DOM snapshots, HAR query and form
/// parameters, and Cookie / Set-Cookie / Authorization headers. Binary entries that are neither images nor text are left out.
/// </summary>
/// <remarks>
/// Layout: the newest chunk is <c>trace.trace</c> + <c>trace.network</c> (Playwright keeps a context's network log across
/// chunks, so the newest holds all of it); older chunks of the same context, exported for earlier failures, become
/// <c>earlier-N.trace</c>, which the viewer loads as further parts of the same trace. <c>resources/</c> is the union.
/// </remarks>
public static class TraceArchive
{
    private static readonly string[] TypingMethods = ["fill", "type", "insertText", "pressSequentially", "keyboardInsertText", "keyboardType"];
    private static readonly string[] CredentialHeaders = ["cookie", "set-cookie", "authorization", "proxy-authorization"];
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly UTF8Encoding StrictUtf8 = new(false, true);

    public sealed record Result(int Entries, int Redacted, IReadOnlyList<string> Dropped);

    /// <param name="chunks">raw chunk zips of one context, oldest first.</param>
    public static Result Write(IReadOnlyList<string> chunks, string destination)
    {
        if (chunks.Count == 0) throw new ArgumentException("no trace chunk to write", nameof(chunks));
        var written = new HashSet<string>(StringComparer.Ordinal);
        var dropped = new List<string>();
        var redacted = 0;
        var temp = destination + ".partial";
        using (var output = ZipFile.Open(temp, ZipArchiveMode.Create))
        {
            for (var i = chunks.Count - 1; i >= 0; i--) // newest first: its trace.network is the complete one
            {
                var newest = i == chunks.Count - 1;
                using var input = ZipFile.OpenRead(chunks[i]);
                foreach (var entry in input.Entries)
                {
                    if (entry.FullName.EndsWith('/')) continue;
                    string name;
                    if (entry.FullName.StartsWith("resources/", StringComparison.Ordinal)) name = entry.FullName;
                    else if (newest) name = entry.FullName;
                    else if (entry.FullName.EndsWith(".network", StringComparison.Ordinal)) continue; // the newest chunk has it all
                    else name = $"earlier-{i + 1}" + Path.GetExtension(entry.FullName);
                    if (!written.Add(name)) continue;

                    byte[] bytes;
                    using (var s = entry.Open())
                    using (var m = new MemoryStream())
                    {
                        s.CopyTo(m);
                        bytes = m.ToArray();
                    }
                    byte[]? content;
                    if (IsJsonLines(name)) content = Encoding.UTF8.GetBytes(RedactJsonLines(Decode(bytes) ?? Encoding.UTF8.GetString(bytes)));
                    else if (IsImage(bytes)) content = bytes;
                    else if (Decode(bytes) is { } text) content = Encoding.UTF8.GetBytes(Redactor.Redact(text));
                    else content = null;
                    if (content is null)
                    {
                        dropped.Add(name);
                        continue;
                    }
                    if (!ReferenceEquals(content, bytes) && !content.AsSpan().SequenceEqual(bytes)) redacted++;
                    var target = output.CreateEntry(name, CompressionLevel.Fastest);
                    using var w = target.Open();
                    w.Write(content);
                }
            }
        }
        File.Move(temp, destination, overwrite: true);
        return new Result(written.Count - dropped.Count, redacted, dropped);
    }

    private static bool IsJsonLines(string name) =>
        !name.StartsWith("resources/", StringComparison.Ordinal) && (name.EndsWith(".trace", StringComparison.Ordinal) ||
            name.EndsWith(".network", StringComparison.Ordinal) || name.EndsWith(".stacks", StringComparison.Ordinal));

    private static string? Decode(byte[] bytes)
    {
        try { return StrictUtf8.GetString(bytes); }
        catch (DecoderFallbackException) { return null; }
    }

    /// <summary>PNG, JPEG, GIF, WebP, ICO: pixels only (a page showing a secret in clear text is the provider's problem, not ours).</summary>
    public static bool IsImage(ReadOnlySpan<byte> b) =>
        b.StartsWith([(byte)0x89, (byte)'P', (byte)'N', (byte)'G']) ||
        b.StartsWith([(byte)0xFF, (byte)0xD8, (byte)0xFF]) ||
        b.StartsWith("GIF8"u8) ||
        (b.Length >= 12 && b[..4].SequenceEqual("RIFF"u8) && b[8..12].SequenceEqual("WEBP"u8)) ||
        b.StartsWith([(byte)0x00, (byte)0x00, (byte)0x01, (byte)0x00]);

    /// <summary>Redacts each JSON line value by value; a line that is not JSON is redacted as text.</summary>
    public static string RedactJsonLines(string text)
    {
        var sb = new StringBuilder(text.Length);
        foreach (var line in text.Split('\n'))
        {
            if (sb.Length > 0) sb.Append('\n');
            if (line.Length == 0) continue;
            JsonNode? node;
            try { node = JsonNode.Parse(line); }
            catch (JsonException) { sb.Append(Redactor.Redact(line)); continue; }
            sb.Append(node is null ? line : Redact(node)!.ToJsonString(Relaxed));
        }
        return sb.ToString();
    }

    private static JsonNode? Redact(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                ApplyRules(o);
                foreach (var key in o.Select(p => p.Key).ToList())
                {
                    var child = o[key];
                    var replaced = Redact(child);
                    if (!ReferenceEquals(replaced, child)) o[key] = replaced;
                }
                return o;
            case JsonArray a:
                for (var i = 0; i < a.Count; i++)
                {
                    var child = a[i];
                    var replaced = Redact(child);
                    if (!ReferenceEquals(replaced, child)) a[i] = replaced;
                }
                return a;
            case JsonValue v when v.GetValueKind() == JsonValueKind.String:
                var s = v.GetValue<string>();
                if (s.Length < 6) return v;
                var r = Redactor.Redact(s);
                return r == s ? v : JsonValue.Create(r);
            default:
                return node;
        }
    }

    /// <summary>Values that are secret because of where they are, whatever they look like.</summary>
    private static void ApplyRules(JsonObject o)
    {
        // Actions that type: the typed text (a password, among others).
        if (o["method"] is JsonValue m && m.GetValueKind() == JsonValueKind.String && TypingMethods.Contains(m.GetValue<string>())
            && o["params"] is JsonObject p)
        {
            Blank(p, "value", "[redacted typed input]");
            Blank(p, "text", "[redacted typed input]");
        }
        // A password field's value in a DOM snapshot (Playwright records input values as __playwright_value_).
        if (o["type"] is JsonValue t && t.GetValueKind() == JsonValueKind.String && t.GetValue<string>().Equals("password", StringComparison.OrdinalIgnoreCase))
        {
            Blank(o, "value", "[redacted password field]");
            Blank(o, "__playwright_value_", "[redacted password field]");
        }
        if (o["name"] is JsonValue n && n.GetValueKind() == JsonValueKind.String)
        {
            var name = n.GetValue<string>();
            // A form field, query or post parameter named like a credential (code, id_token, password, …) in a snapshot or the HAR.
            if (Redactor.SecretFields.Contains(name, StringComparer.OrdinalIgnoreCase))
            {
                Blank(o, "value", $"[redacted {name}]");
                Blank(o, "__playwright_value_", $"[redacted {name}]");
            }
            // HAR headers: session cookies and credentials.
            if (CredentialHeaders.Contains(name, StringComparer.OrdinalIgnoreCase)) Blank(o, "value", $"[redacted {name.ToLowerInvariant()}]");
        }
        // HAR cookie lists (request.cookies, response.cookies).
        if (o["cookies"] is JsonArray cookies)
            foreach (var c in cookies.OfType<JsonObject>()) Blank(c, "value", "[redacted cookie]");
    }

    private static void Blank(JsonObject o, string key, string marker)
    {
        if (o[key] is JsonValue v && v.GetValueKind() == JsonValueKind.String && v.GetValue<string>().Length > 0) o[key] = marker;
    }
}
