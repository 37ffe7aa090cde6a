namespace OidcConformance.Faults;

/// <summary>Why a fault on the real path (the proxy in front of node-oidc-provider) cannot turn a check red.</summary>
public enum NoKillKind
{
    /// <summary>The check judges one provider's own API (Casdoor's); it runs only against that provider, never behind the proxy.</summary>
    ProviderSpecific,
    /// <summary>The fault runner's provider, as its profile configures it, does not offer what the check needs: every
    /// execution is Inconclusive with or without a fault, and no response rewrite can create the missing premise.</summary>
    NotOfferedByFaultProvider,
    /// <summary>node-oidc-provider already violates the check without any fault (its baseline says so): a fault cannot turn it red.</summary>
    AlreadyViolatedWithoutFault,
    /// <summary>An interop cell whose relying-party library refuses, at an earlier step of the same login, every provider answer
    /// that could break it: the cell is then Not reached (Inconclusive), never Broken, whatever the proxy rewrites.</summary>
    CaughtByLibraryEarlier,
}

public sealed record NoKillReason(NoKillKind Kind, string Reason);

/// <summary>
/// The checks that no fault of the catalog kills, each with the reason why none can (issue #11: "for every check that no
/// fault kills, mutation.md gives the reason"). A check that is neither killed nor listed here is pending: nothing stops a
/// fault for it but the work. Tests hold this list to the catalog (no reason for a check a fault kills) and to the
/// node-oidc-provider baseline (a premise claimed here is what the baseline records).
/// </summary>
public static class ChecksNoFaultKills
{
    private const string CasdoorOnly =
        "judges Casdoor's own API (the profile's casdoor section); it runs only against Casdoor, which cannot run here, never behind the " +
        "fault proxy. Its failure proofs are Casdoor's recorded answers (tests/OidcConformance.Tests/Casdoor, Proofs)";

    private const string NoApplicationDocuments =
        "judges per-application discovery documents (profile applicationDiscovery, a Casdoor feature); node-oidc-provider has one issuer, so " +
        "the fault runner's profile lists none and the check is Inconclusive with or without a fault";

    private const string NoPasswordGrant =
        "node-oidc-provider does not implement the resource owner password credentials grant (profile features.password is false), so " +
        "there is no successful grant for a fault to break";

    private const string AspNetCoreClaims =
        "the cell is Broken only when the app's nameidentifier claim is not the ID token's sub, or the app has no signed-in user after the " +
        "handler accepted the login. The handler maps nameidentifier from the sub of the ID token it validated, and refuses first an ID token " +
        "without sub (IDX21314, at the ID token or the userinfo step) or with another issuer, audience or key (id-token cell), a userinfo sub that differs (IDX21338, userinfo cell) " +
        "and, hybrid, a token endpoint ID token whose sub differs from the front-channel one; the signed-in user is the app's own cookie, " +
        "which no provider answer removes once the handler accepted it (short of tokens too large for a cookie, which no check judges)";

    public static readonly IReadOnlyDictionary<string, NoKillReason> Reasons = new Dictionary<string, NoKillReason>
    {
        ["interop.aspnetcore.claims"] = new(NoKillKind.CaughtByLibraryEarlier, AspNetCoreClaims),
        ["interop.aspnetcore-hybrid.claims"] = new(NoKillKind.CaughtByLibraryEarlier, AspNetCoreClaims),

        ["casdoor.app-discovery-issuer-matches-tokens"] = new(NoKillKind.ProviderSpecific, CasdoorOnly),
        ["casdoor.app-jwks-verifies-tokens"] = new(NoKillKind.ProviderSpecific, CasdoorOnly),
        ["casdoor.get-account-full-user"] = new(NoKillKind.ProviderSpecific, CasdoorOnly),
        ["casdoor.introspection-basic-auth"] = new(NoKillKind.ProviderSpecific, CasdoorOnly),
        ["casdoor.refresh-endpoints"] = new(NoKillKind.ProviderSpecific, CasdoorOnly),
        ["casdoor.userinfo-granted-scopes-only"] = new(NoKillKind.ProviderSpecific, CasdoorOnly),
        ["casdoor.userinfo-token-location"] = new(NoKillKind.ProviderSpecific, CasdoorOnly),

        ["discovery.app-document-json"] = new(NoKillKind.NotOfferedByFaultProvider, NoApplicationDocuments),
        ["discovery.app-id-token-iss"] = new(NoKillKind.NotOfferedByFaultProvider, NoApplicationDocuments),
        ["discovery.app-issuer"] = new(NoKillKind.NotOfferedByFaultProvider, NoApplicationDocuments),
        ["discovery.app-jwks-fetchable"] = new(NoKillKind.NotOfferedByFaultProvider, NoApplicationDocuments),
        ["discovery.issuer-https-no-query"] = new(NoKillKind.NotOfferedByFaultProvider,
            "the proxy and the provider behind it serve plain http on loopback, where the check is Inconclusive by design (https cannot be " +
            "judged on a test deployment); an issuer rewritten to https would no longer be the URL the document is served from"),
        ["token.password-grant"] = new(NoKillKind.NotOfferedByFaultProvider, NoPasswordGrant),
        ["token.password-wrong-password"] = new(NoKillKind.NotOfferedByFaultProvider, NoPasswordGrant),

        ["authz.post-request-supported"] = new(NoKillKind.AlreadyViolatedWithoutFault,
            "node-oidc-provider 9.13.3 answers a POST to the authorization endpoint with 404 (baseline: Failed)"),
        ["token.pragma-no-cache"] = new(NoKillKind.AlreadyViolatedWithoutFault,
            "node-oidc-provider 9.13.3 sends no Pragma header with tokens (baseline: Warning)"),
        ["token.unauthorized-client-grant"] = new(NoKillKind.AlreadyViolatedWithoutFault,
            "node-oidc-provider 9.13.3 answers an unregistered grant with invalid_request instead of unauthorized_client (baseline: Failed)"),
        ["userinfo.no-token-no-error-code"] = new(NoKillKind.AlreadyViolatedWithoutFault,
            "node-oidc-provider 9.13.3 puts an error code into the body of its answer to a request without a token (baseline: Warning)"),
    };
}
