using System.Net;

namespace OidcConformance.Flows;

/// <summary>
/// One near miss of the registered redirect URI. <see cref="Uri"/> is null when the case does not apply to this registration;
/// <see cref="Decision"/> then says why (e.g. RFC 8252 §7.3 lets a loopback IP redirect URI use any port).
/// </summary>
public sealed record RedirectUriVariant(string Name, string? Uri, string Decision);

/// <summary>
/// Near-miss redirect URIs built from the profile's registered redirect URI (never from a hard-coded host), for the
/// exact-match requirement of OpenID Connect Core §3.1.2.1 and RFC 6749 §3.1.2.4.
/// </summary>
public static class RedirectUriCorpus
{
    public static readonly string[] Names =
    [
        "path-changed", "path-appended-characters", "path-extra-segment", "path-trailing-slash", "path-upper-case",
        "path-percent-encoded", "path-double-encoded", "path-traversal", "query-added", "query-changed", "fragment-added",
        "host-suffix", "host-subdomain-prefix", "host-trailing-dot", "userinfo-at-trick", "scheme-https", "port-changed", "loopback-alias",
    ];

    /// <param name="registered">the registered redirect URI, as the profile builds it</param>
    /// <param name="nativeClient">the profile states the client is registered with application_type "native": on a loopback IP
    /// redirect URI the provider must then accept any port (RFC 8252 §7.3). Never inferred from the suite's own callback port:
    /// a provider that registered the exact URI (port included) must refuse another port (RFC 6749 §3.1.2.3).</param>
    public static RedirectUriVariant Build(string name, string registered, bool nativeClient)
    {
        var u = new Uri(registered);
        var scheme = u.Scheme;
        var host = u.IsDefaultPort ? u.Host : u.Host; // IPv6 hosts keep their brackets in Uri.Host
        var port = u.IsDefaultPort ? "" : $":{u.Port}";
        var authority = host + port;
        var path = u.AbsolutePath;
        var query = u.Query; // "" or "?..."
        var isIp = IPAddress.TryParse(host.Trim('[', ']'), out var ip);
        var isLoopbackIp = isIp && IPAddress.IsLoopback(ip!);
        var lastSlash = path.LastIndexOf('/');
        var segment = path[(lastSlash + 1)..];
        var parent = path[..(lastSlash + 1)];
        string Make(string? s = null, string? a = null, string? p = null, string? q = null, string f = "") =>
            $"{s ?? scheme}://{a ?? authority}{p ?? path}{q ?? query}{f}";
        RedirectUriVariant V(string uri, string decision) => new(name, uri, decision);
        RedirectUriVariant Skip(string decision) => new(name, null, decision);

        return name switch
        {
            "path-changed" => V(Make(p: parent + "unregistered"), "another path on the same origin"),
            "path-appended-characters" => V(Make(p: path + "x"), "prefix match on the path"),
            "path-extra-segment" => V(Make(p: path.TrimEnd('/') + "/extra"), "the registered path as a directory"),
            "path-trailing-slash" => path.EndsWith('/')
                ? V(Make(p: path.TrimEnd('/')), "trailing slash removed")
                : V(Make(p: path + "/"), "trailing slash added"),
            "path-upper-case" => path.ToUpperInvariant() == path
                ? Skip("the registered path has no lower-case letters")
                : V(Make(p: path.ToUpperInvariant()), "paths are case-sensitive (RFC 3986 §6.2.2.1)"),
            "path-percent-encoded" => segment.Length == 0
                ? Skip("the registered path has no segment to encode")
                : V(Make(p: parent + $"%{(int)segment[0]:X2}" + segment[1..]), "first character of the path percent-encoded (not simple string equal)"),
            "path-double-encoded" => segment.Length == 0
                ? Skip("the registered path has no segment to encode")
                : V(Make(p: parent + $"%25{(int)segment[0]:X2}" + segment[1..]), "double percent-encoding"),
            "path-traversal" => V(Make(p: path.TrimEnd('/') + "/../unregistered"), "dot segments leave the registered path"),
            "query-added" => V(Make(q: (query.Length == 0 ? "?" : query + "&") + "oidc_conformance=added"), "query parameter added (OIDF oidcc-redirect-uri-query-added)"),
            "query-changed" => query.Length <= 1
                ? Skip("the registered redirect URI has no query to change (query-added covers the query)")
                : V(Make(q: query + "-changed"), "query value changed (OIDF oidcc-redirect-uri-query-mismatch)"),
            "fragment-added" => V(Make(f: "#oidc-conformance"), "a fragment (RFC 6749 §3.1.2: the endpoint MUST NOT include one)"),
            "host-suffix" => V(Make(a: host + ".evil.test" + port), "registered host as a prefix of another host"),
            "host-subdomain-prefix" => isIp
                ? Skip("the registered host is an IP address, which has no sub-domains")
                : V(Make(a: "evil." + host + port), "a sub-domain of the registered host"),
            "host-trailing-dot" => V(Make(a: host + "." + port), "trailing dot on the host"),
            "userinfo-at-trick" => V($"{scheme}://{authority}@evil.test{path}{query}", "registered authority as userinfo of another host"),
            "scheme-https" => scheme == "https"
                ? V(Make(s: "http"), "scheme downgraded to http")
                : V(Make(s: "https"), "scheme changed to https"),
            "port-changed" => isLoopbackIp && nativeClient
                ? Skip("loopback IP redirect URI of a native client (profile applicationType \"native\"): RFC 8252 §7.3 requires any port to be accepted")
                : V(Make(a: host + ":" + (u.Port == 65535 ? 65534 : u.Port + 1)), "another port"),
            "loopback-alias" => host == "127.0.0.1"
                ? V(Make(a: "localhost" + port), "localhost instead of the registered 127.0.0.1")
                : host.Equals("localhost", StringComparison.OrdinalIgnoreCase)
                    ? V(Make(a: "127.0.0.1" + port), "127.0.0.1 instead of the registered localhost")
                    : Skip("the registered host is not 127.0.0.1 or localhost"),
            _ => throw new ArgumentOutOfRangeException(nameof(name), name, "unknown redirect URI variant"),
        };
    }
}
