using System.Reflection;

namespace OidcConformance.Checks;

/// <summary>
/// Every check the harness defines, found by reflection over the static <see cref="CheckDefinition"/> fields of the
/// check classes, so a new check cannot be forgotten by the report, the baselines or the proof that it can fail.
/// </summary>
public static class CheckCatalog
{
    private static readonly Lazy<IReadOnlyList<CheckDefinition>> all = new(Discover);

    public static IReadOnlyList<CheckDefinition> All => all.Value;

    public static CheckDefinition Get(string id) =>
        All.FirstOrDefault(c => c.Id == id) ?? throw new KeyNotFoundException($"no check with id '{id}'");

    public static bool Exists(string id) => All.Any(c => c.Id == id);

    private static IReadOnlyList<CheckDefinition> Discover()
    {
        var found = typeof(CheckCatalog).Assembly.GetTypes()
            .Where(t => t.IsClass && t.IsAbstract && t.IsSealed) // static classes
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.FieldType == typeof(CheckDefinition))
            .Select(f => (CheckDefinition)f.GetValue(null)!)
            .OrderBy(c => c.Id, StringComparer.Ordinal)
            .ToList();
        var duplicate = found.GroupBy(c => c.Id).FirstOrDefault(g => g.Count() > 1);
        if (duplicate is not null)
            throw new InvalidOperationException($"check id '{duplicate.Key}' is defined twice");
        return found;
    }
}
