using OidcConformance.Checks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Evidence that a check can fail: a non-conformant artifact, and the words its reason must contain. Every check in
/// <see cref="CheckCatalog"/> needs at least one (ProofCoverageTests), so no check that cannot fail goes unnoticed.
/// </summary>
public sealed record FailureProof(CheckDefinition Check, string Name, Func<CheckResult> Evaluate, string ReasonContains)
{
    public override string ToString() => $"{Check.Id}: {Name}";
}

/// <summary>A class listing failure proofs for one area; found by reflection.</summary>
public interface IFailureProofs
{
    IEnumerable<FailureProof> Proofs();
}

/// <summary>Evidence that a check passes on a conformant (preferably recorded, real) artifact.</summary>
public sealed record PassProof(CheckDefinition Check, string Name, Func<CheckResult> Evaluate)
{
    public override string ToString() => $"{Check.Id}: {Name}";
}

public interface IPassProofs
{
    IEnumerable<PassProof> PassProofs();
}
