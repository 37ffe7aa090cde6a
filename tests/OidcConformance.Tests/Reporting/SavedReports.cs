using OidcConformance.Reporting;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Reporting;

/// <summary>report.json files of real runs (node-oidc-provider 9.13.3 and glewlwyd), trimmed of evidence, saved under Recorded/reports/.</summary>
public static class SavedReports
{
    public const string Node = "node-oidc-provider.report.json";
    public const string Glewlwyd = "glewlwyd.report.json";
    /// <summary>Interop-only runs (`--filter Category=Interop`) of the same providers, with the "interop" section.</summary>
    public const string NodeInterop = "interop/node-oidc-provider.interop.report.json";
    public const string GlewlwydInterop = "interop/glewlwyd.interop.report.json";

    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Recorded", "reports", name);

    public static ReportFile Load(string name) => ReportFile.Load(PathOf(name));
}
