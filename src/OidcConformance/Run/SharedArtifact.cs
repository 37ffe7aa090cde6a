namespace OidcConformance.Run;

/// <summary>
/// The name and type of an artifact a run obtains once and shares (<see cref="ConformanceRun.SharedAsync{T}"/>): discovery,
/// the reference login, a probe. Every artifact is declared in <c>Flows/SharedArtifacts.cs</c>, one member each, so that
/// what the run shares can be read in one place and no two flows share one name with different types. A check only
/// reads a shared artifact: it never spends a token, code or session it holds (a later check would then judge a spent
/// artifact and blame the provider).
/// </summary>
public class SharedArtifact<T>(string name) where T : class
{
    /// <summary>The memo key: unique in the run.</summary>
    public string Name { get; } = name;

    public override string ToString() => Name;
}

/// <summary>
/// An artifact whose flow SPENDS what it obtains (a refresh token rotated away, a token revoked, a code redeemed twice, a
/// session logged out): what is shared is the record of that one scenario, obtained once per run like any artifact. Its
/// flow logs in afresh (own user agent or own grant), never with a shared login, and nothing else may use the grant or
/// session it spent. <see cref="Spends"/> says what is gone afterwards.
/// </summary>
public sealed class SpendingScenario<T>(string name, string spends) : SharedArtifact<T>(name) where T : class
{
    public string Spends { get; } = spends;
}

/// <summary>A value that is not a class instance (or may be null), shared as an artifact.</summary>
public sealed record Boxed<T>(T Value);
