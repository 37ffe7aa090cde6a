namespace OidcConformance.Faults;

/// <summary>A check a fault must turn red, and a regular expression its reason must match (it names the broken property).</summary>
public sealed record Kill(string CheckId, string ReasonPattern);

/// <summary>
/// One realistic provider bug the proxy can inject. <see cref="Categories"/> are the suite categories that exercise it,
/// <see cref="Kills"/> the checks that must fail (Failed, or Warning for SHOULD) because of it; every other check in those
/// categories keeps its fault-free verdict, except the ones in <see cref="MayTurnInconclusive"/> whose prerequisite the
/// fault removes (they must then be Inconclusive with a reason, never Error).
/// </summary>
public sealed record Fault(string Name, string Description, string[] Categories, Kill[] Kills)
{
    public string[] MayTurnInconclusive { get; init; } = [];
    /// <summary>
    /// Evidence-loss faults (issue #11: a navigation error, timeout, stall or blank page is never Passed): checks whose Passed
    /// executions MUST turn Inconclusive because the fault destroys the answer they rest on (a refusal dropped on the way).
    /// Such a fault kills nothing: every execution it changes must become Inconclusive, never Passed, Failed or Warning.
    /// </summary>
    public string[] LosesEvidenceFor { get; init; } = [];
    public bool IsEvidenceLoss => LosesEvidenceFor.Length > 0;
    /// <summary>
    /// The profile (relative to the repository root) of the embedded provider whose traffic the fault rewrites, for a fault
    /// whose checks need a feature the default provider does not offer (token exchange: OpenIddict). Null: the default,
    /// node-oidc-provider (the runsettings' profile). The fault runner compares such a fault with a control run of that provider.
    /// </summary>
    public string? Provider { get; init; }
    /// <summary>Where the bug comes from (a real provider's issue) or what it models.</summary>
    public string? Source { get; init; }
    /// <summary>Rewrites the request before it is forwarded.</summary>
    public Action<FaultContext, ProxyRequest>? OnRequest { get; init; }
    /// <summary>Rewrites the response before it is returned.</summary>
    public Action<FaultContext, ProxyRequest, ProxyResponse>? OnResponse { get; init; }
    /// <summary>Replaces forwarding (next = forward upstream); for stateful faults that replay or short-circuit.</summary>
    public Func<FaultContext, ProxyRequest, Func<ProxyRequest, Task<ProxyResponse>>, Task<ProxyResponse>>? Around { get; init; }
    // backchannel
    /// <summary>
    /// Rewrites the logout token the provider POSTs to the suite's back-channel receiver (null: the POST is lost). That request
    /// goes from the provider to the receiver directly, not through the proxy: the flow applies this where the proxy would
    /// stand, to what the receiver got, before any check reads it (BackchannelLogoutFlow).
    /// </summary>
    public Func<FaultContext, string, string?>? OnLogoutToken { get; init; }

    public override string ToString() => Name;
}
