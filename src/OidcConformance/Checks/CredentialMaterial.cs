using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace OidcConformance.Checks;

/// <summary>
/// Finds credential material in a JSON claims set (an ID token, a JWT access token, a UserInfo response): the user's
/// password, a password hash or salt, TOTP/OTP/MFA secrets, recovery codes. By claim name (at any depth) when the
/// value carries data, and by value (the profile's password in clear or as an unsalted hex digest). Findings never
/// quote a value: they give where it is and its length.
/// </summary>
public static class CredentialMaterial
{
    /// <summary>Normalized claim names (lower case, letters and digits only) that name credential material.</summary>
    private static readonly HashSet<string> Names =
    [
        "password", "passwd", "pwd", "userpassword", "passwordhash", "hashedpassword", "pwdhash", "passwordsalt", "salt", "pwdsalt",
        "totpsecret", "totpkey", "totpseed", "otpsecret", "otpkey", "mfasecret", "twofactorsecret", "2fasecret",
        "recoverycodes", "recoverycode", "backupcodes", "mfarecoverycodes",
    ];

    /// <summary>Endings that name credential material inside longer names (userPassword, mfaTotpSecret, ldapPasswordHash).</summary>
    private static readonly string[] Endings = ["password", "passwordhash", "passwordsalt", "totpsecret", "otpsecret", "mfasecret", "recoverycodes", "backupcodes"];

    public static bool IsCredentialName(string name)
    {
        var n = new string(name.Where(char.IsAsciiLetterOrDigit).Select(char.ToLowerInvariant).ToArray());
        return Names.Contains(n) || Endings.Any(n.EndsWith);
    }

    /// <summary>
    /// A password shorter than this is matched only as a whole claim value: a short test password ("abc") would be found
    /// inside unrelated strings by chance, and a false Failed is worse than a missed finding the name rules still catch.
    /// </summary>
    public const int MinSubstringLength = 8;

    /// <summary>One place credential material was found.</summary>
    public sealed record Finding(string Path, string What);

    /// <param name="password">The test user's password (from the profile), searched by value; null to skip.</param>
    /// <param name="emptyNamed">Receives credential-named claims present without data (reported, not violations).</param>
    public static IReadOnlyList<Finding> Find(JsonElement claims, string? password, List<string>? emptyNamed = null)
    {
        var findings = new List<Finding>();
        var digests = password is { Length: > 0 } ? Digests(password) : [];
        Walk(claims, "", findings, password, digests, emptyNamed);
        return findings;
    }

    /// <summary>Whether <paramref name="raw"/> (a token that is not a JWT) contains the password or an unsalted digest of it.</summary>
    public static bool RawContainsPassword(string raw, string? password) =>
        password is { Length: >= MinSubstringLength } && (raw.Contains(password, StringComparison.Ordinal)
                                        || Digests(password).Any(d => raw.Contains(d, StringComparison.OrdinalIgnoreCase)));

    private static void Walk(JsonElement e, string path, List<Finding> findings, string? password, string[] digests, List<string>? emptyNamed)
    {
        switch (e.ValueKind)
        {
            case JsonValueKind.Object:
                foreach (var p in e.EnumerateObject())
                {
                    var here = path.Length == 0 ? p.Name : $"{path}.{p.Name}";
                    if (IsCredentialName(p.Name))
                    {
                        if (StandardClaims.Carries(p.Value) && p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                        {
                            findings.Add(new(here, $"a credential claim carrying {Describe(p.Value)}"));
                            continue;
                        }
                        emptyNamed?.Add(here);
                    }
                    Walk(p.Value, here, findings, password, digests, emptyNamed);
                }
                break;
            case JsonValueKind.Array:
                var i = 0;
                foreach (var item in e.EnumerateArray()) Walk(item, $"{path}[{i++}]", findings, password, digests, emptyNamed);
                break;
            case JsonValueKind.String:
                var s = e.GetString()!;
                if (password is { Length: > 0 } && (s == password || password.Length >= MinSubstringLength && s.Contains(password, StringComparison.Ordinal)))
                    findings.Add(new(path, "the user's password in clear"));
                else if (digests.Any(d => s.Contains(d, StringComparison.OrdinalIgnoreCase)))
                    findings.Add(new(path, "an unsalted hash of the user's password"));
                break;
        }
    }

    private static string Describe(JsonElement v) => v.ValueKind switch
    {
        JsonValueKind.String => $"a {v.GetString()!.Length}-character string",
        JsonValueKind.Array => $"an array of {v.GetArrayLength()}",
        JsonValueKind.Object => "an object",
        _ => $"a JSON {JsonCompare.TypeName(v)}",
    };

    /// <summary>Hex digests of the password that a provider storing unsalted hashes would expose.</summary>
    private static string[] Digests(string password)
    {
        var bytes = Encoding.UTF8.GetBytes(password);
        return [Convert.ToHexString(MD5.HashData(bytes)), Convert.ToHexString(SHA1.HashData(bytes)),
            Convert.ToHexString(SHA256.HashData(bytes)), Convert.ToHexString(SHA512.HashData(bytes))];
    }

    public static string Summarize(IReadOnlyList<Finding> findings) => string.Join("; ", findings.Select(f => $"{f.Path}: {f.What}"));
}
