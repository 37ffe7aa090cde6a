namespace OidcConformance.Faults;

/// <summary>
/// The device authorization grant faults (<see cref="DeviceFaults"/>) injected into a second real implementation of the
/// grant: OpenIddict 7.9 (<see cref="Fault.Provider"/>: fixtures/providers/openiddict), whose device authorization and
/// end-user verification endpoints its host enables. Same bugs, same kills, compared with OpenIddict's own control run:
/// a device check must turn red on a different code base too, not only on node-oidc-provider's answers.
/// OpenIddict never answers slow_down (device.slow-down is Inconclusive in its control run); the fast-poll fault turns a
/// fast poll into invalid_request, which the check fails on either provider.
/// </summary>
public static class OpenIddictDeviceFaults
{
    public static readonly IReadOnlyList<Fault> All =
    [
        .. DeviceFaults.All.Select(f => f with
        {
            Name = "openiddict-" + f.Name,
            Description = f.Description + " (OpenIddict 7.9)",
            Provider = TokenExchangeFaults.Provider,
        }),
    ];
}
