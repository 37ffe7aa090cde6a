using OidcConformance.Checks;

namespace OidcConformance.Interop;

/// <summary>
/// What a relying-party library made of one step against the provider. Works / Broken (with the library's own error text) /
/// NotOffered (the profile or the provider's metadata says the provider does not offer it) / NotReached (an earlier step of
/// the same login broke, so this one could not be tried: no statement about the provider).
/// </summary>
public enum InteropStatus { Works, Broken, NotOffered, NotReached }

/// <summary>One cell of the interop matrix: a library's step, its status and what the library said (redacted by the report).</summary>
public sealed record InteropCell(string Step, InteropStatus Status, string Detail);

/// <summary>
/// A relying-party library under test, in one configuration: id (in check ids), display name and the exact package
/// version. <paramref name="Hybrid"/>: the library is configured for the hybrid flow (response_type "code id_token",
/// response_mode form_post, as its documentation says), a row of its own in the matrix.
/// </summary>
public sealed record InteropLibrary(string Id, string Name, string Package, bool Hybrid = false);

public static class InteropLibraries
{
    public static readonly InteropLibrary AspNetCore = new("aspnetcore", "ASP.NET Core's OpenID Connect handler",
        "Microsoft.AspNetCore.Authentication.OpenIdConnect 10.0.15 (NuGet)");
    public static readonly InteropLibrary OpenIdClient = new("openid-client", "openid-client",
        "openid-client 6.9.1 (npm, fixtures/interop/openid-client)");

    // Hybrid rows: ASP.NET Core's documented hybrid setting (OpenIdConnectOptions.ResponseType = "code id_token", with the
    // handler's default response mode form_post); openid-client's useCodeIdTokenResponseType() (its README/index.d.ts,
    // "Configures the client to use the OpenID Connect Hybrid Flow"; a form_post response is passed to authorizationCodeGrant).
    public static readonly InteropLibrary AspNetCoreHybrid = AspNetCore with
    {
        Id = "aspnetcore-hybrid", Name = "ASP.NET Core's OpenID Connect handler, hybrid (code id_token)", Hybrid = true,
    };
    public static readonly InteropLibrary OpenIdClientHybrid = OpenIdClient with
    {
        Id = "openid-client-hybrid", Name = "openid-client, hybrid (code id_token)", Hybrid = true,
    };

    public static readonly IReadOnlyList<InteropLibrary> All = [AspNetCore, OpenIdClient, AspNetCoreHybrid, OpenIdClientHybrid];

    public static InteropLibrary? Find(string id) => All.FirstOrDefault(l => l.Id == id);

    /// <summary>
    /// The response type of the hybrid rows. The rows run when the profile offers hybrid (features.hybrid) or the provider's
    /// discovery lists it in response_types_supported (an advertised type invites relying parties to use it); Not offered
    /// only when neither says so.
    /// </summary>
    public const string HybridResponseType = "code id_token";

    public static string HybridNotOffered =>
        $"the profile's features.hybrid is false and discovery's response_types_supported does not list \"{HybridResponseType}\"";
}

/// <summary>
/// The interop cells as checks (area <see cref="Area"/>), so that they take part in the report, the baselines, regression
/// mode and the migration diff like any other execution. Level SHOULD: a Broken cell is a Warning, never a Failed verdict,
/// because a library may refuse a conformant provider (library strictness); the profile says which it is. Works → Passed,
/// Broken → Warning, NotOffered / NotReached → Inconclusive (the reason starts with "not offered" / "not reached").
/// </summary>
public static class InteropChecks
{
    public const string Area = "Relying-party interop";

    /// <summary>The steps in matrix order, with the title and the spec clauses a library relies on for each.</summary>
    public static readonly IReadOnlyList<(string Step, string Title, IReadOnlyList<SpecReference> References)> Steps =
    [
        ("discovery", "discovery and JWKS", [new(SpecDocument.OpenIdConnectDiscovery, "3"), new(SpecDocument.OpenIdConnectDiscovery, "4"), new(SpecDocument.Rfc7517, "5")]),
        ("login", "login and code exchange", [new(SpecDocument.OpenIdConnectCore, "3.1.2"), new(SpecDocument.OpenIdConnectCore, "3.1.3"), new(SpecDocument.Rfc7636, "4")]),
        ("id-token", "ID token validation", [new(SpecDocument.OpenIdConnectCore, "3.1.3.7")]),
        ("userinfo", "userinfo claims merged", [new(SpecDocument.OpenIdConnectCore, "5.3")]),
        ("claims", "the claims the app sees", [new(SpecDocument.OpenIdConnectCore, "5.1"), new(SpecDocument.OpenIdConnectCore, "5.3.2")]),
        ("refresh", "refresh through the saved refresh token", [new(SpecDocument.OpenIdConnectCore, "12"), new(SpecDocument.Rfc6749, "6")]),
        ("introspection", "introspection", [new(SpecDocument.Rfc7662, "2")]),
        ("revocation", "revocation", [new(SpecDocument.Rfc7009, "2")]),
        ("logout", "RP-initiated sign-out", [new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2"), new(SpecDocument.OpenIdConnectRpInitiatedLogout, "3")]),
    ];

    /// <summary>
    /// The steps of the hybrid rows, where they differ from the code flow: the login is the front-channel hybrid response
    /// (code and id_token, form_post), the ID token step covers the front-channel ID token (c_hash, nonce), the code
    /// exchange and the token endpoint's ID token. Refresh, introspection, revocation and sign-out do not depend on the
    /// response type: the code rows cover them.
    /// </summary>
    public static readonly IReadOnlyList<(string Step, string Title, IReadOnlyList<SpecReference> References)> HybridSteps =
    [
        ("login", "hybrid authorization response (code id_token, form_post)", [new(SpecDocument.OpenIdConnectCore, "3.3.2.5"), new(SpecDocument.OAuthFormPostResponseMode, "2")]),
        ("id-token", "front-channel ID token (c_hash, nonce), code exchange and token ID token validation", [new(SpecDocument.OpenIdConnectCore, "3.3.2.11"), new(SpecDocument.OpenIdConnectCore, "3.3.2.12"), new(SpecDocument.OpenIdConnectCore, "3.3.3.7")]),
        ("userinfo", "userinfo claims merged", [new(SpecDocument.OpenIdConnectCore, "5.3")]),
        ("claims", "the claims the app sees", [new(SpecDocument.OpenIdConnectCore, "5.1"), new(SpecDocument.OpenIdConnectCore, "5.3.2")]),
    ];

    private static CheckDefinition Def(InteropLibrary library, string step)
    {
        var s = (library.Hybrid ? HybridSteps : Steps).First(x => x.Step == step);
        return new CheckDefinition($"interop.{library.Id}.{step}", $"{library.Name}: {s.Title}", Area, s.References, RequirementLevel.Should);
    }

    public static readonly CheckDefinition AspNetCoreDiscovery = Def(InteropLibraries.AspNetCore, "discovery");
    public static readonly CheckDefinition AspNetCoreLogin = Def(InteropLibraries.AspNetCore, "login");
    public static readonly CheckDefinition AspNetCoreIdToken = Def(InteropLibraries.AspNetCore, "id-token");
    public static readonly CheckDefinition AspNetCoreUserInfo = Def(InteropLibraries.AspNetCore, "userinfo");
    public static readonly CheckDefinition AspNetCoreClaims = Def(InteropLibraries.AspNetCore, "claims");
    public static readonly CheckDefinition AspNetCoreRefresh = Def(InteropLibraries.AspNetCore, "refresh");
    public static readonly CheckDefinition AspNetCoreLogout = Def(InteropLibraries.AspNetCore, "logout");

    public static readonly CheckDefinition OpenIdClientDiscovery = Def(InteropLibraries.OpenIdClient, "discovery");
    public static readonly CheckDefinition OpenIdClientLogin = Def(InteropLibraries.OpenIdClient, "login");
    public static readonly CheckDefinition OpenIdClientIdToken = Def(InteropLibraries.OpenIdClient, "id-token");
    public static readonly CheckDefinition OpenIdClientUserInfo = Def(InteropLibraries.OpenIdClient, "userinfo");
    public static readonly CheckDefinition OpenIdClientClaims = Def(InteropLibraries.OpenIdClient, "claims");
    public static readonly CheckDefinition OpenIdClientRefresh = Def(InteropLibraries.OpenIdClient, "refresh");
    public static readonly CheckDefinition OpenIdClientIntrospection = Def(InteropLibraries.OpenIdClient, "introspection");
    public static readonly CheckDefinition OpenIdClientRevocation = Def(InteropLibraries.OpenIdClient, "revocation");
    public static readonly CheckDefinition OpenIdClientLogout = Def(InteropLibraries.OpenIdClient, "logout");

    public static readonly CheckDefinition AspNetCoreHybridLogin = Def(InteropLibraries.AspNetCoreHybrid, "login");
    public static readonly CheckDefinition AspNetCoreHybridIdToken = Def(InteropLibraries.AspNetCoreHybrid, "id-token");
    public static readonly CheckDefinition AspNetCoreHybridUserInfo = Def(InteropLibraries.AspNetCoreHybrid, "userinfo");
    public static readonly CheckDefinition AspNetCoreHybridClaims = Def(InteropLibraries.AspNetCoreHybrid, "claims");

    public static readonly CheckDefinition OpenIdClientHybridLogin = Def(InteropLibraries.OpenIdClientHybrid, "login");
    public static readonly CheckDefinition OpenIdClientHybridIdToken = Def(InteropLibraries.OpenIdClientHybrid, "id-token");
    public static readonly CheckDefinition OpenIdClientHybridUserInfo = Def(InteropLibraries.OpenIdClientHybrid, "userinfo");
    public static readonly CheckDefinition OpenIdClientHybridClaims = Def(InteropLibraries.OpenIdClientHybrid, "claims");

    /// <summary>Every interop check of a library, in step order.</summary>
    public static IReadOnlyList<CheckDefinition> Of(InteropLibrary library) =>
        Steps.Select(s => $"interop.{library.Id}.{s.Step}").Where(CheckCatalog.Exists).Select(CheckCatalog.Get).ToList();

    /// <summary>(library, step) of an interop check id, or null for any other check.</summary>
    public static (InteropLibrary Library, string Step)? Parse(string checkId)
    {
        if (!checkId.StartsWith("interop.", StringComparison.Ordinal)) return null;
        foreach (var library in InteropLibraries.All.OrderByDescending(l => l.Id.Length))
            if (checkId.StartsWith($"interop.{library.Id}.", StringComparison.Ordinal))
                return (library, checkId[($"interop.{library.Id}.".Length)..]);
        return null;
    }

    /// <summary>The verdict of a cell: a pure function of what the library did in that attempt.</summary>
    public static CheckResult Evaluate(CheckDefinition check, InteropCell? cell) => cell switch
    {
        null => check.NotApplicable("not reached: the library's run produced no outcome for this step"),
        { Status: InteropStatus.Works } => check.Pass($"works: {cell.Detail}"),
        { Status: InteropStatus.Broken } => check.Violation($"broken: {cell.Detail}"),
        { Status: InteropStatus.NotOffered } => check.NotApplicable($"not offered: {cell.Detail}"),
        _ => check.NotApplicable($"not reached: {cell.Detail}"),
    };

    /// <summary>The cell status a reported verdict stands for (null for an Error, which is no statement about the provider).</summary>
    public static string? StatusOf(string verdict, string reason) => verdict switch
    {
        nameof(Verdict.Passed) => "Works",
        nameof(Verdict.Warning) or nameof(Verdict.Failed) => "Broken",
        nameof(Verdict.Inconclusive) => reason.StartsWith("not offered", StringComparison.Ordinal) ? "Not offered" : "Not reached",
        _ => null,
    };
}
