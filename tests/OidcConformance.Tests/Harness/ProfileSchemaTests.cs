using System.Text.Json;
using System.Text.Json.Nodes;
using FluentAssertions;
using Json.Schema;
using NUnit.Framework;
using OidcConformance.Profiles;
using OidcConformance.Run;
using OidcConformance.Tests.Harness;

namespace OidcConformance.Tests.Harness;

/// <summary>
/// fixtures/providers/profile.schema.json lets editors complete and validate profiles (issue #16). It must say what the
/// loader says: every shipped profile and the new-provider skeleton are valid, the member names are the loader's, and a
/// mistake the loader refuses (with its JSON path) the schema refuses too.
/// </summary>
public sealed class ProfileSchemaTests
{
    private static readonly string Root = RunSettings.FindRepositoryRoot(AppContext.BaseDirectory);
    private static readonly string SchemaFile = Path.Combine(Root, "fixtures/providers/profile.schema.json");
    private static readonly JsonDocumentOptions Jsonc = new() { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true };
    private static readonly Lazy<JsonSchema> Schema = new(() => JsonSchema.FromText(File.ReadAllText(SchemaFile)));
    private static JsonObject SchemaJson => JsonNode.Parse(File.ReadAllText(SchemaFile))!.AsObject();

    private static EvaluationResults Evaluate(JsonNode profile) =>
        Schema.Value.Evaluate(JsonSerializer.SerializeToElement(profile), new EvaluationOptions { OutputFormat = OutputFormat.List });

    private static string Errors(EvaluationResults r) => string.Join("; ",
        (r.Details ?? []).Where(d => d.Errors is { Count: > 0 }).SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Value}")));

    public static IEnumerable<string> ShippedProfiles() => ProfileLoaderTests.ShippedProfiles();

    [TestCaseSource(nameof(ShippedProfiles))]
    public void Shipped_profile_is_valid_and_names_the_schema(string relative)
    {
        var file = Path.Combine(Root, relative);
        var json = JsonNode.Parse(File.ReadAllText(file), documentOptions: Jsonc)!;
        var result = Evaluate(json);
        result.IsValid.Should().BeTrue(Errors(result));
        var named = json["$schema"]?.GetValue<string>();
        named.Should().NotBeNull("editors find the schema through $schema");
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, named!)).Should().Be(SchemaFile);
    }

    [Test]
    public void The_new_provider_skeleton_is_valid_and_names_the_schema()
    {
        var outDir = Directory.CreateTempSubdirectory("schema-skeleton-").FullName;
        var psi = new System.Diagnostics.ProcessStartInfo("bash") { RedirectStandardError = true, RedirectStandardOutput = true };
        psi.ArgumentList.Add(Path.Combine(SuiteProcess.Root, "run.sh"));
        psi.ArgumentList.Add("new-provider");
        psi.ArgumentList.Add("acme");
        psi.Environment["OUT"] = outDir;
        using (var p = System.Diagnostics.Process.Start(psi)!)
        {
            var output = p.StandardError.ReadToEnd() + p.StandardOutput.ReadToEnd();
            p.WaitForExit();
            p.ExitCode.Should().Be(0, output);
        }
        var file = Path.Combine(outDir, "fixtures/providers/acme/profile.json");
        var json = JsonNode.Parse(File.ReadAllText(file), documentOptions: Jsonc)!;
        var result = Evaluate(json);
        result.IsValid.Should().BeTrue(Errors(result));
        json["$schema"]!.GetValue<string>().Should().Be("../profile.schema.json");
        Directory.Delete(outDir, true);
    }

    [Test]
    public void The_schema_knows_exactly_the_loaders_member_names()
    {
        var s = SchemaJson;
        s["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(ProfileLoader.KnownTopLevel);
        s["properties"]!["features"]!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(FeatureSet.Names);
        s["properties"]!["clients"]!["properties"]!.AsObject().Select(p => p.Key).Should().BeEquivalentTo(ProfileLoader.ClientRoles);
        s["$defs"]!["client"]!["properties"]!["tokenEndpointAuthMethods"]!["items"]!["enum"]!.AsArray()
            .Select(n => n!.GetValue<string>()).Should().BeEquivalentTo(ProfileLoader.KnownAuthMethods);
        // loginPages is read by a deserializer that refuses unknown members: the schema lists the record's properties
        s["properties"]!["loginPages"]!["properties"]!.AsObject().Select(p => p.Key)
            .Should().BeEquivalentTo(typeof(LoginPages).GetProperties().Select(p => JsonNamingPolicy.CamelCase.ConvertName(p.Name)));
    }

    private static JsonObject Node() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(Root, "fixtures/providers/node-oidc-provider/profile.json")))!.AsObject();

    public static IEnumerable<TestCaseData> Mistakes()
    {
        TestCaseData Case(string name, Action<JsonObject> edit, string path) => new TestCaseData(edit, path).SetName($"Schema and loader both refuse: {name}");
        JsonObject Conf(JsonObject o) => o["clients"]!["confidential"]!.AsObject();
        yield return Case("unknown top-level field", o => o["clinets"] = new JsonObject(), "$.clinets");
        yield return Case("misspelt client field", o => Conf(o)["clientSecrit"] = "x", "$.clients.confidential.clientSecrit");
        yield return Case("misspelt callback field", o => o["callback"]!["postLogoutPth"] = "/x", "$.callback.postLogoutPth");
        yield return Case("misspelt start field", o => o["start"]!["readyPatern"] = "x", "$.start.readyPatern");
        yield return Case("misspelt user field", o => o["users"]![0]!["pasword"] = "x", "$.users[0].pasword");
        yield return Case("misspelt lifetime", o => o["lifetimes"]!["accessTokenSecs"] = 5, "$.lifetimes.accessTokenSecs");
        yield return Case("unknown feature", o => o["features"]!["implict"] = true, "$.features.implict");
        yield return Case("feature not boolean", o => o["features"]!["implicit"] = "yes", "$.features.implicit");
        yield return Case("secret missing", o => Conf(o).Remove("clientSecret"), "$.clients.confidential.clientSecret");
        yield return Case("public client with a secret", o => o["clients"]!["public"]!["clientSecret"] = "s3cret", "$.clients.public.clientSecret");
        yield return Case("public role authenticating with a secret", o => { o["clients"]!["public"]!["tokenEndpointAuthMethods"] = new JsonArray("client_secret_basic"); o["clients"]!["public"]!["clientSecret"] = "s3cret"; }, "$.clients.public.tokenEndpointAuthMethods");
        yield return Case("unknown client role", o => o["clients"]!["spa"] = Conf(o).DeepClone(), "$.clients.spa");
        yield return Case("no users", o => o["users"] = new JsonArray(), "$.users");
        yield return Case("user without password", o => o["users"]![0]!.AsObject().Remove("password"), "$.users[0].password");
        yield return Case("bad auth method", o => Conf(o)["tokenEndpointAuthMethods"] = new JsonArray("private_key_jwt2"), "$.clients.confidential.tokenEndpointAuthMethods");
        yield return Case("bad start mode", o => o["start"]!["mode"] = "docker", "$.start.mode");
        yield return Case("callback port out of range", o => o["callback"]!["port"] = 70000, "$.callback.port");
        yield return Case("callback path relative", o => o["callback"]!["path"] = "callback", "$.callback.path");
        yield return Case("timeout negative", o => o["timeouts"]!["requestSeconds"] = -1, "$.timeouts.requestSeconds");
        yield return Case("shortLived client without its lifetime", o => o["clients"]!["shortLived"] = Conf(o).DeepClone(), "$.clients.shortLived.accessTokenSeconds");
        yield return Case("application type unknown", o => Conf(o)["applicationType"] = "desktop", "$.clients.confidential.applicationType");
        yield return Case("declarative driver without loginPages", o => o.Remove("loginPages"), "$.loginPages");
        yield return Case("login page member unknown", o => o["loginPages"]!["login"]!["usernme"] = "#u", "$.loginPages");
        yield return Case("claims of a scope not an object", o => o["users"]![0]!["claims"]!["email"] = "alice@example.com", "$.users[0].claims.email");
        yield return Case("private_key_jwt without its key file", o => o["clients"]!["privateKeyJwt"]!.AsObject().Remove("privateKeyFile"), "$.clients.privateKeyJwt.privateKeyFile");
        yield return Case("client_secret_jwt without its secret", o => o["clients"]!["clientSecretJwt"]!.AsObject().Remove("clientSecret"), "$.clients.clientSecretJwt.clientSecret");
        yield return Case("deviation without reason", o => o["deviations"] = new JsonArray(new JsonObject { ["check"] = "x" }), "$.deviations[0].reason");
        yield return Case("backchannel host with a scheme and port", o => o["callback"]!["backchannelHost"] = "http://host.docker.internal:47800", "$.callback.backchannelHost");
        yield return Case("backchannel host empty", o => o["callback"]!["backchannelHost"] = "", "$.callback.backchannelHost");
    }

    [TestCaseSource(nameof(Mistakes))]
    public void A_mistake_is_refused_by_both(Action<JsonObject> edit, string path)
    {
        var json = Node();
        edit(json);
        Evaluate(json).IsValid.Should().BeFalse("the schema must flag what the loader refuses");
        var dir = Directory.CreateTempSubdirectory("schema-mistake-").FullName;
        try
        {
            var file = Path.Combine(dir, "profile.json");
            File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
            var act = () => ProfileLoader.Load(file);
            act.Should().Throw<ProfileException>().Which.FieldPath.Should().StartWith(path);
        }
        finally { Directory.Delete(dir, true); }
    }
}
