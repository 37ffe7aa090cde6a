using System.Reflection;
using System.Text.RegularExpressions;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Flows;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// Issue #16 "one room per job", enforced by reading the repository's sources: checks judge outcomes without knowing the
/// browser, fixtures wire flows to checks without building HTTP requests, and every shared artifact is a named, typed member.
/// </summary>
public sealed class OneRoomPerJobTests
{
    private static readonly string Root = RunSettings.FindRepositoryRoot(AppContext.BaseDirectory);

    private static IEnumerable<(string Path, string[] Lines)> Sources(string folder) =>
        Directory.GetFiles(Path.Combine(Root, folder), "*.cs", SearchOption.AllDirectories)
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}") && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}"))
            .Select(f => (Path.GetRelativePath(Root, f).Replace('\\', '/'), File.ReadAllLines(f)));

    /// <summary>Lines that match, as "file:line: text", for a failure message that says where.</summary>
    private static List<string> Offending(string folder, Regex pattern) =>
        [.. from source in Sources(folder)
            from numbered in source.Lines.Select((text, i) => (text, line: i + 1))
            where !numbered.text.TrimStart().StartsWith("//", StringComparison.Ordinal) && pattern.IsMatch(numbered.text)
            select $"{source.Path}:{numbered.line}: {numbered.text.Trim()}"];

    // The browser namespace, imported, aliased or named in full; Playwright itself.
    private static readonly Regex BrowserReference = new(@"using\s+(static\s+)?(\w+\s*=\s*)?OidcConformance\.Browser\b|\bOidcConformance\.Browser\.|\bMicrosoft\.Playwright\b");

    [Test]
    public void No_check_depends_on_the_browser()
    {
        Sources("src/OidcConformance/Checks").Should().NotBeEmpty("the checks are read from the repository");
        Offending("src/OidcConformance/Checks", BrowserReference).Should().BeEmpty(
            "checks judge an outcome of the protocol layer (OidcConformance.Protocol.AuthorizationOutcome), never the browser that produced it");
    }

    [Test]
    public void The_browser_rule_sees_an_import()
    {
        // The rule itself, on lines a check file must not contain (so that the test above cannot pass by matching nothing).
        BrowserReference.IsMatch("using OidcConformance.Browser;").Should().BeTrue();
        BrowserReference.IsMatch("using B = OidcConformance.Browser;").Should().BeTrue();
        BrowserReference.IsMatch("    Browser.UserAgent ua = OidcConformance.Browser.UserAgent.None;").Should().BeTrue();
        BrowserReference.IsMatch("using OidcConformance.Protocol;").Should().BeFalse();
    }

    // Building an HTTP request by hand: the protocol HTTP client and the flows do it.
    private static readonly Regex HandBuiltRequest = new(
        @"\bHttpRequestMessage\b|\bnew\s+HttpClient\b|\bSendAsync\s*\(|\bFormUrlEncodedContent\b|\bStringContent\b|\bByteArrayContent\b|\bHttpMethod\.|\bSystem\.Net\.Http\b|\bAuthenticationHeaderValue\b|\bHttp\.(GetAsync|PostFormAsync)\s*\(");

    [Test]
    public void No_fixture_builds_an_http_request()
    {
        Sources("tests/Conformance").Should().NotBeEmpty();
        Offending("tests/Conformance", HandBuiltRequest).Should().BeEmpty(
            "a fixture wires flows (src/OidcConformance/Flows) to checks; requests are built by the flows and the protocol HTTP client");
    }

    [Test]
    public void The_request_rule_sees_a_hand_built_request()
    {
        HandBuiltRequest.IsMatch("var request = new HttpRequestMessage(HttpMethod.Post, endpoint)").Should().BeTrue();
        HandBuiltRequest.IsMatch("Content = new FormUrlEncodedContent([new(\"token\", value)]),").Should().BeTrue();
        HandBuiltRequest.IsMatch("var exchange = await r.Http.SendAsync(request, \"introspection\");").Should().BeTrue();
        HandBuiltRequest.IsMatch("var exchange = await r.Http.GetAsync(url, \"userinfo GET ?accessToken=\");").Should().BeTrue();
        HandBuiltRequest.IsMatch("var exchange = await CasdoorFlows.IntrospectWithBasicAsync(r, endpoint, client, value, tokenType);").Should().BeFalse();
    }

    // A memo key spelled at the call site ("…" or $"…") instead of a member of SharedArtifacts.
    private static readonly Regex StringKeyedArtifact = new(@"\bSharedAsync\s*(<[^()]*>)?\s*\(\s*(\$|@)?""|\bSharedAsync\s*(<[^()]*>)?\s*\(\s*\w+\s*\+");

    [Test]
    public void Shared_artifacts_are_named_members()
    {
        StringKeyedArtifact.IsMatch("r.SharedAsync($\"casdoor/flow/{role}\", () =>").Should().BeTrue();
        StringKeyedArtifact.IsMatch("run.SharedAsync<IReadOnlyList<X>>(\"revocation/unauthenticated\", async () =>").Should().BeTrue();
        StringKeyedArtifact.IsMatch("run.SharedAsync(SharedArtifacts.ReferenceCodeFlow, () => RunAsync(run))").Should().BeFalse();
        Offending("src/OidcConformance", StringKeyedArtifact).Concat(Offending("tests/Conformance", StringKeyedArtifact)).Should().BeEmpty(
            "every shared artifact is a member of Flows/SharedArtifacts (its name and type in one place)");
    }

    /// <summary>Every artifact SharedArtifacts declares, the parameterised ones with sample arguments.</summary>
    private static List<object> DeclaredArtifacts()
    {
        var all = new List<object>();
        var type = typeof(SharedArtifacts);
        foreach (var field in type.GetFields(BindingFlags.Public | BindingFlags.Static)) all.Add(field.GetValue(null)!);
        foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static).Where(m => m.DeclaringType == type))
        {
            var target = method.IsGenericMethodDefinition ? method.MakeGenericMethod(typeof(object)) : method;
            var args = target.GetParameters().Select(p => p.ParameterType switch
            {
                var t when t == typeof(string) => (object?)"sample",
                var t when t == typeof(int) => 1,
                var t when t == typeof(bool) => true,
                var t when t.IsEnum => Enum.GetValues(t).GetValue(0),
                _ => null,
            }).ToArray();
            all.Add(target.Invoke(null, args)!);
        }
        return all;
    }

    private static string NameOf(object artifact) => (string)artifact.GetType().GetProperty("Name")!.GetValue(artifact)!;

    [Test]
    public void Each_artifact_has_its_own_name()
    {
        var artifacts = DeclaredArtifacts();
        artifacts.Should().HaveCountGreaterThan(50);
        artifacts.Select(NameOf).Should().OnlyHaveUniqueItems("two members with one memo key would share one artifact (and one type)");
    }

    [Test]
    public void A_spending_scenario_says_what_it_spends()
    {
        var spending = DeclaredArtifacts().Where(a => a.GetType().IsGenericType && a.GetType().GetGenericTypeDefinition() == typeof(SpendingScenario<>)).ToList();
        // The refresh, revocation, introspection-of-revoked-tokens, code-reuse, logout and Casdoor refresh scenarios.
        spending.Select(NameOf).Should().Contain(["refresh/sample", "revocation/refresh-sample", "revocation/access-sample", "introspection/revoked-sample",
            "token-endpoint/code-reuse", "logout/standard", "casdoor/refresh-chain"]);
        foreach (var artifact in spending)
            ((string)artifact.GetType().GetProperty("Spends")!.GetValue(artifact)!).Should().NotBeNullOrWhiteSpace(NameOf(artifact));
    }
}
