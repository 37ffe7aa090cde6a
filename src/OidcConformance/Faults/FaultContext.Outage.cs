namespace OidcConformance.Faults;

public sealed partial class FaultContext
{
    /// <summary>The embedded provider behind the proxy (set by the run), which the outage faults stop or restart.</summary>
    public Providers.ProviderProcess? Provider { get; set; }
}
