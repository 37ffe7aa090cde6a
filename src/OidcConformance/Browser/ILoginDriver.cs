using Microsoft.Playwright;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Browser;

/// <summary>
/// Page object for one provider's interactive pages. Drivers only know selectors and clicks; the generic
/// <see cref="BrowserAuthorizer"/> decides what to do next, so suites never see provider specifics.
/// </summary>
public interface ILoginDriver
{
    string Name { get; }

    /// <summary>A locator that matches when the page shows <paramref name="kind"/>.</summary>
    ILocator Locate(IPage page, ProviderPage kind);

    Task SubmitCredentialsAsync(IPage page, string username, string password);
    Task ApproveConsentAsync(IPage page);
    Task ConfirmLogoutAsync(IPage page);
    /// <summary>Visible text of a provider error or rejected-login message, for verdict reasons.</summary>
    Task<string> ReadMessageAsync(IPage page);

    /// <summary>
    /// Starts watching <paramref name="page"/> before an attempt navigates it; the authorizer takes a login or consent page
    /// only once the watch says the page has settled (<see cref="IPageWatch"/>). Default: server-rendered pages, settled at once.
    /// </summary>
    IPageWatch Watch(IPage page) => ImmediatePageWatch.Instance;
}

/// <summary>
/// Finds the login driver a profile names: <c>declarative</c> is the generic driver over the profile's <c>loginPages</c>; any
/// other name is a C# class marked <c>[LoginDriver("name")]</c> in a loaded assembly (found by a scan, see
/// <see cref="LoginDriverAttribute"/>), or one added at run time with <see cref="Register"/>.
/// </summary>
public static class LoginDrivers
{
    private static readonly object Gate = new();
    private static readonly Dictionary<string, Func<ILoginDriver>> registered = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Lets a provider package add its driver without editing the suites (the attribute does the same without code).</summary>
    public static void Register(string name, Func<ILoginDriver> factory)
    {
        lock (Gate) registered[name] = factory;
    }

    public static ILoginDriver Create(Profiles.ProviderProfile profile)
    {
        if (string.Equals(profile.LoginDriver, Profiles.ProfileLoader.DeclarativeDriver, StringComparison.OrdinalIgnoreCase))
            return new DeclarativeLoginDriver(profile.LoginPages
                ?? throw new Profiles.ProfileException(profile.SourceFile, "$.loginPages", "is required with \"loginDriver\": \"declarative\""));
        var all = Scan();
        return all.TryGetValue(profile.LoginDriver, out var factory)
            ? factory()
            : throw new Profiles.ProfileException(profile.SourceFile, "$.loginDriver",
                $"unknown login driver '{profile.LoginDriver}' (known: {string.Join(", ", Known)}); describe the pages with \"loginDriver\": \"declarative\" and loginPages, or mark a C# ILoginDriver with [LoginDriver(\"{profile.LoginDriver}\")]");
    }

    /// <summary>Every driver name: <c>declarative</c>, the attribute-marked classes of the loaded assemblies, the registered ones.</summary>
    public static IReadOnlyCollection<string> Known => [Profiles.ProfileLoader.DeclarativeDriver, .. Scan().Keys.Order(StringComparer.Ordinal)];

    private static Dictionary<string, Func<ILoginDriver>> Scan()
    {
        var found = new Dictionary<string, Func<ILoginDriver>>(StringComparer.OrdinalIgnoreCase);
        var assemblies = AppDomain.CurrentDomain.GetAssemblies().Append(typeof(LoginDrivers).Assembly).Distinct()
            .Where(a => !a.IsDynamic && (a == typeof(LoginDrivers).Assembly || a.GetReferencedAssemblies().Any(r => r.Name == typeof(LoginDrivers).Assembly.GetName().Name)));
        foreach (var assembly in assemblies)
        {
            Type[] types;
            try { types = assembly.GetTypes(); }
            catch (System.Reflection.ReflectionTypeLoadException e) { types = e.Types.Where(t => t is not null).ToArray()!; }
            foreach (var type in types)
            {
                if (type.GetCustomAttributes(typeof(LoginDriverAttribute), false).FirstOrDefault() is not LoginDriverAttribute mark) continue;
                if (!typeof(ILoginDriver).IsAssignableFrom(type) || type.IsAbstract || type.GetConstructor(Type.EmptyTypes) is null)
                    throw new InvalidOperationException($"{type.FullName} is marked [LoginDriver(\"{mark.Name}\")] but is not a concrete ILoginDriver with a public parameterless constructor");
                var t = type;
                found[mark.Name] = () => (ILoginDriver)Activator.CreateInstance(t)!;
            }
        }
        lock (Gate)
            foreach (var (name, factory) in registered) found[name] = factory;
        return found;
    }
}
