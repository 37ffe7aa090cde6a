using OidcConformance.Profiles;

namespace OidcConformance.Interop;

/// <summary>
/// What a relying-party library is configured with, all from the profile: issuer and discovery URL, the confidential client
/// (its registered redirect and post-logout redirect URIs, reached through the callback listener's relay), its scopes,
/// PKCE when the provider offers it, and the features the provider offers (a step it does not offer is NotOffered).
/// </summary>
public sealed record InteropSetup(string Issuer, string DiscoveryUrl, ClientProfile Client, string RedirectUri, string PostLogoutRedirectUri,
    FeatureSet Features, TestUser User, TimeSpan RequestTimeout, TimeSpan NavigationTimeout)
{
    /// <summary>The app is browsed under the registered redirect URI's host (cookies ignore the port, so the listener sees the relay cookie).</summary>
    public string AppHost => new Uri(RedirectUri).Host;

    /// <summary>The client's first token-endpoint authentication method in the profile.</summary>
    public string AuthMethod => Client.TokenEndpointAuthMethods.FirstOrDefault() ?? "client_secret_basic";

    public IReadOnlyList<string> Scopes => Client.Scope.Split(' ', StringSplitOptions.RemoveEmptyEntries);

    /// <summary>Names of the profile features the provider offers (profile-format.md, "features").</summary>
    public IReadOnlyList<string> Offered =>
    [
        .. new (string Name, bool On)[]
        {
            ("refreshToken", Features.RefreshToken), ("pkce", Features.Pkce), ("introspection", Features.Introspection),
            ("revocation", Features.Revocation), ("userinfo", Features.Userinfo), ("rpInitiatedLogout", Features.RpInitiatedLogout),
            ("hybrid", Features.Hybrid),
        }.Where(f => f.On).Select(f => f.Name),
    ];

    public static InteropSetup From(Run.ConformanceRun run)
    {
        var client = run.Profile.Confidential;
        return new InteropSetup(run.Issuer, run.DiscoveryUrl, client, run.RedirectUri(client), run.PostLogoutRedirectUri(client),
            run.Profile.Features, run.Profile.PrimaryUser, TimeSpan.FromSeconds(run.Profile.Timeouts.RequestSeconds), run.NavigationTimeout);
    }
}
