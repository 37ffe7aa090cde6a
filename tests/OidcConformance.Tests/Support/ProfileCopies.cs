using System.Text.Json.Nodes;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Support;

/// <summary>
/// Tests that write a changed copy of a shipped profile into a temporary folder keep its key files reachable: a
/// <c>privateKeyFile</c> is relative to the profile's folder, so the copy names the shipped file by its absolute path.
/// </summary>
public static class ProfileCopies
{
    /// <summary>Makes every <c>clients.*.privateKeyFile</c> of <paramref name="profile"/> (a copy of the node profile unless said otherwise) absolute.</summary>
    public static JsonNode KeepKeyFiles(JsonNode profile, string shippedProfileFolder = "fixtures/providers/node-oidc-provider")
    {
        if (profile["clients"] is not JsonObject clients) return profile;
        foreach (var (_, client) in clients)
            if (client?["privateKeyFile"] is JsonValue v && v.TryGetValue<string>(out var path) && !Path.IsPathRooted(path))
                client["privateKeyFile"] = Path.GetFullPath(Path.Combine(SuiteProcess.Root, shippedProfileFolder, path));
        return profile;
    }
}
