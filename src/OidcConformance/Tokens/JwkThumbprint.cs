using System.Buffers.Text;
using System.Security.Cryptography;
using System.Text;

namespace OidcConformance.Tokens;

/// <summary>
/// RFC 7638 SHA-256 JWK thumbprints (§3.2: the required members in lexicographic order, no whitespace), base64url: the kid
/// of the suite's client keys and the proxy's keys, and DPoP's <c>cnf.jkt</c> (RFC 9449 §6.1).
/// </summary>
public static class JwkThumbprint
{
    public static string Rsa(string e, string n) => Hash($"{{\"e\":\"{e}\",\"kty\":\"RSA\",\"n\":\"{n}\"}}");

    public static string Ec(string crv, string x, string y) => Hash($"{{\"crv\":\"{crv}\",\"kty\":\"EC\",\"x\":\"{x}\",\"y\":\"{y}\"}}");

    private static string Hash(string members) => Base64Url.EncodeToString(SHA256.HashData(Encoding.UTF8.GetBytes(members)));
}
