using System.Net;

namespace OidcConformance.Checks;

internal static class Urls
{
    /// <summary>Loopback deployments (test rigs) are exempt from the https requirement; everything else is not.</summary>
    public static bool IsLoopback(Uri u) =>
        u.IsLoopback || u.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase) ||
        (IPAddress.TryParse(u.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip));

    public static bool TryAbsolute(string? value, out Uri uri)
    {
        uri = null!;
        return value is not null && Uri.TryCreate(value, UriKind.Absolute, out uri!) && uri.Scheme is "http" or "https";
    }
}
