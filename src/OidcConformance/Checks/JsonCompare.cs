using System.Text.Json;

namespace OidcConformance.Checks;

/// <summary>Structural JSON equality: same JSON types, same values; object member order does not matter.</summary>
public static class JsonCompare
{
    public static bool Equal(JsonElement a, JsonElement b)
    {
        if (a.ValueKind != b.ValueKind)
            return a.ValueKind is JsonValueKind.True or JsonValueKind.False && b.ValueKind is JsonValueKind.True or JsonValueKind.False
                   && a.GetBoolean() == b.GetBoolean();
        return a.ValueKind switch
        {
            JsonValueKind.String => a.GetString() == b.GetString(),
            JsonValueKind.Number => a.GetDecimal() == b.GetDecimal(),
            JsonValueKind.Array => a.GetArrayLength() == b.GetArrayLength() && a.EnumerateArray().Zip(b.EnumerateArray()).All(p => Equal(p.First, p.Second)),
            JsonValueKind.Object => a.EnumerateObject().Count() == b.EnumerateObject().Count()
                                    && a.EnumerateObject().All(p => b.TryGetProperty(p.Name, out var q) && Equal(p.Value, q)),
            _ => true,
        };
    }

    public static string TypeName(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.True or JsonValueKind.False => "boolean",
        _ => e.ValueKind.ToString().ToLowerInvariant(),
    };

    public static string Short(JsonElement e)
    {
        var raw = e.GetRawText();
        return raw.Length > 80 ? raw[..80] + "…" : raw;
    }
}
