using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;

namespace OidcConformance.Tests.Proofs;

/// <summary>Runs every failure and pass proof, and requires a failure proof for every check in the catalog.</summary>
public sealed class ProofTests
{
    private static IEnumerable<T> Instances<T>() =>
        typeof(ProofTests).Assembly.GetTypes().Where(t => typeof(T).IsAssignableFrom(t) && t is { IsClass: true, IsAbstract: false })
            .Select(t => (T)Activator.CreateInstance(t)!);

    public static IEnumerable<TestCaseData> FailureProofs() =>
        Instances<IFailureProofs>().SelectMany(p => p.Proofs()).Select(p => new TestCaseData(p).SetName($"Fails: {p}"));

    public static IEnumerable<TestCaseData> PassProofs() =>
        Instances<IPassProofs>().SelectMany(p => p.PassProofs()).Select(p => new TestCaseData(p).SetName($"Passes: {p}"));

    [TestCaseSource(nameof(FailureProofs))]
    public void Check_fails_on_a_non_conformant_artifact(FailureProof proof)
    {
        var result = proof.Evaluate();
        result.Check.Id.Should().Be(proof.Check.Id);
        var expected = proof.Check.Level == RequirementLevel.Must ? Verdict.Failed : Verdict.Warning;
        result.Verdict.Should().Be(expected, $"{proof.Name} violates a {proof.Check.Level} requirement (reason given: {result.Reason})");
        result.Reason.Should().ContainEquivalentOf(proof.ReasonContains);
    }

    [TestCaseSource(nameof(PassProofs))]
    public void Check_passes_on_a_conformant_artifact(PassProof proof)
    {
        var result = proof.Evaluate();
        result.Check.Id.Should().Be(proof.Check.Id);
        result.Verdict.Should().Be(Verdict.Passed, result.Reason);
    }

    [Test]
    public void Every_check_in_the_catalog_has_a_failure_proof()
    {
        var proven = Instances<IFailureProofs>().SelectMany(p => p.Proofs()).Select(p => p.Check.Id).ToHashSet();
        var unproven = CheckCatalog.All.Where(c => !proven.Contains(c.Id)).Select(c => c.Id).ToList();
        unproven.Should().BeEmpty("a check that no test makes fail cannot be trusted to fail on a broken provider");
    }

    [Test]
    public void Every_check_has_an_id_a_spec_section_and_a_level()
    {
        CheckCatalog.All.Should().NotBeEmpty();
        foreach (var c in CheckCatalog.All)
        {
            c.Id.Should().MatchRegex(@"^[a-z0-9]+(\.[a-z0-9-]+)+$", "ids are stable dotted names");
            c.Spec.Should().MatchRegex(@"§\s?\d", $"{c.Id} must cite a section");
            c.Title.Should().NotBeNullOrWhiteSpace();
            c.Area.Should().NotBeNullOrWhiteSpace();
        }
    }
}
