using NUnit.Framework;
using NUnit.Framework.Interfaces;
using NUnit.Framework.Internal;

[assembly: OidcConformance.Suites.RandomOrder]

namespace OidcConformance.Suites;

/// <summary>
/// Shuffles the order in which NUnit starts fixtures, test methods and their cases when the environment variable
/// <c>OIDC_ORDER_SEED</c> holds an integer; without it the order is NUnit's usual one. The order-independence test
/// (tests/OidcConformance.Tests/Harness/OrderIndependenceTests.cs) runs the catalog under two seeds and requires the same
/// verdict for every check execution: a verdict that depends on what an earlier test left behind (a stored consent, a
/// provider session, a spent token) shows up as a difference.
/// </summary>
/// <remarks>
/// NUnit applies assembly attributes after it has built the whole tree of suites, so every descendant is reachable
/// here; it dispatches the children of a suite by their "Order" property (the one <see cref="OrderAttribute"/> sets)
/// before its name sort. The same seed gives the same order, so a difference can be replayed.
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly)]
public sealed class RandomOrderAttribute : NUnitAttribute, IApplyToTest
{
    public const string SeedVariable = "OIDC_ORDER_SEED";

    public void ApplyToTest(Test test)
    {
        var raw = Environment.GetEnvironmentVariable(SeedVariable);
        if (string.IsNullOrWhiteSpace(raw)) return;
        if (!int.TryParse(raw, out var seed))
            throw new ArgumentException($"{SeedVariable} must be an integer seed, got '{raw}'");
        var random = new Random(seed);
        test.Properties.Set("OrderSeed", seed);
        Shuffle(test, random);
    }

    private static void Shuffle(ITest suite, Random random)
    {
        if (!suite.HasChildren) return;
        var children = suite.Tests.ToList();
        // Sort by a stable key first so the seed alone decides the order, whatever order NUnit built the tree in.
        children.Sort((a, b) => string.CompareOrdinal(a.FullName, b.FullName));
        var order = Enumerable.Range(0, children.Count).OrderBy(_ => random.Next()).ToArray();
        for (var i = 0; i < children.Count; i++)
        {
            if (children[i] is Test child) child.Properties.Set(PropertyNames.Order, order[i]);
            Shuffle(children[i], random);
        }
    }
}
