using System.Xml.Linq;
using OidcConformance.Doctor;
using OidcConformance.Http;
using OidcConformance.Run;

// ./run.sh doctor [RUNSETTINGS]: checks the runsettings' profile against the live provider (starting it when it is embedded) and
// prints, per problem, what is wrong, which profile key, and what to change. Exit 0: no problem; 1: problems; 2: usage.
if (args.Length > 1 || args.FirstOrDefault() is "-h" or "--help")
{
    Console.Error.WriteLine("usage: OidcDoctor [RUNSETTINGS]   (default: runsettings/node-oidc-provider.runsettings)");
    return 2;
}
var root = RunSettings.LocateRepositoryRoot(null, null, [Directory.GetCurrentDirectory()]);
var settingsFile = Path.GetFullPath(args.FirstOrDefault() ?? "runsettings/node-oidc-provider.runsettings", Directory.GetCurrentDirectory());
if (!File.Exists(settingsFile))
{
    Console.Error.WriteLine($"doctor: runsettings file '{settingsFile}' not found");
    return 2;
}
XDocument document;
try { document = XDocument.Load(settingsFile); }
catch (System.Xml.XmlException e)
{
    Console.Error.WriteLine($"doctor: runsettings file '{settingsFile}' is malformed: {e.Message}");
    return 2;
}
string? Parameter(string name) =>
    document.Descendants("Parameter").FirstOrDefault(p => (string?)p.Attribute("name") == name)?.Attribute("value")?.Value;
var settings = RunSettings.Resolve(Parameter, startPoints: [Path.GetDirectoryName(settingsFile), root]);

Console.WriteLine($"doctor: {Path.GetRelativePath(settings.RepositoryRoot, settings.ProfilePath)} (from {Path.GetRelativePath(settings.RepositoryRoot, settingsFile)})");
var clock = System.Diagnostics.Stopwatch.StartNew();
// Progress lines of the provider start go to stderr; the findings are the output.
var report = await ProfileDoctor.RunAsync(settings, new RedactingWriter(Console.Error));
Console.Write(report.Render());
Console.WriteLine($"doctor: {clock.Elapsed.TotalSeconds:0.0} s");
return report.Healthy ? 0 : 1;

/// <summary>Every progress line passes through the redactor (a provider's start log may echo a secret).</summary>
sealed class RedactingWriter(TextWriter inner) : TextWriter
{
    public override System.Text.Encoding Encoding => inner.Encoding;
    public override void WriteLine(string? value) => inner.WriteLine(Redactor.Redact(value));
    public override void Write(string? value) => inner.Write(Redactor.Redact(value));
    public override void Write(char value) => inner.Write(value);
}
