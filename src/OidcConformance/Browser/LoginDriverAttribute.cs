namespace OidcConformance.Browser;

/// <summary>
/// Marks a C# login driver for the profile value <c>"loginDriver": "&lt;name&gt;"</c>. <see cref="LoginDrivers"/> finds it by
/// scanning the loaded assemblies (this library and, e.g., the test assembly): no central list to edit. The class needs a
/// public parameterless constructor. Write one only where a page needs code (docs/login-drivers.md); most providers are
/// served by <c>"loginDriver": "declarative"</c> and the profile's <c>loginPages</c>.
/// </summary>
[AttributeUsage(AttributeTargets.Class, AllowMultiple = false, Inherited = false)]
public sealed class LoginDriverAttribute(string name) : Attribute
{
    public string Name { get; } = name;
}
