using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// One rule, one place: a discovery document's issuer is the URL base it was fetched from (OIDC Discovery 1.0 §4.1, §4.3)
/// and the <c>iss</c> of the ID tokens issued under it (OIDC Core 1.0 §3.1.3.7 step 2). Four checks judge parts of it on
/// the same documents — discovery.issuer-matches-url (the URL part, MUST), discovery.app-issuer (a SHOULD relaxation for
/// documents the URL part does not govern), discovery.app-id-token-iss and casdoor.app-discovery-issuer-matches-tokens
/// (the token part, MUST) — and each asks this class, so no two of them can disagree about the same document.
/// </summary>
public static class IssuerRule
{
    public const string WellKnownSuffix = "/.well-known/openid-configuration";

    /// <summary>
    /// The issuer a document fetched from <paramref name="documentUrl"/> must name: the URL without
    /// <c>/.well-known/openid-configuration</c> (§4.1 appends that suffix to the issuer, path included; §4.3 requires the
    /// returned issuer to be identical to the URL it was built from). Null for a URL §4.1 does not produce, e.g. Casdoor's
    /// per-application <c>/.well-known/{app}/openid-configuration</c>: §4.3 cannot say which issuer such a document must name.
    /// </summary>
    public static string? UrlBase(string documentUrl) =>
        documentUrl.EndsWith(WellKnownSuffix, StringComparison.Ordinal) ? documentUrl[..^WellKnownSuffix.Length] : null;

    /// <summary>The URL part: null when §4.3 does not govern the document's URL (see <see cref="UrlBase"/>).</summary>
    public static bool? IssuerIsUrlBase(DiscoveryDocument d) =>
        UrlBase(d.Url) is { } expected && d.Issuer is { } issuer ? issuer == expected : null;

    /// <summary>How an ID token's iss compares with the issuer of the document it was obtained under.</summary>
    public enum TokenMatch { Same, Differs, DocumentHasNoIssuer }

    /// <summary>
    /// The token part. A document without an issuer cannot match any iss: a relying party configured with it has no Issuer
    /// Identifier to compare (§3.1.3.7 step 2), so it counts as differing, never as "not judged".
    /// </summary>
    public static TokenMatch CompareWithToken(DiscoveryDocument d, DecodedJwt idToken) =>
        d.Issuer is not { } issuer ? TokenMatch.DocumentHasNoIssuer
        : idToken.ClaimString("iss") == issuer ? TokenMatch.Same
        : TokenMatch.Differs;
}
