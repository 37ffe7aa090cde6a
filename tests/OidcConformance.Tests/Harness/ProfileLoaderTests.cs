using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Profiles;
using OidcConformance.Run;

namespace OidcConformance.Tests.Harness;

public sealed class ProfileLoaderTests
{
    private static readonly string Root = RunSettings.FindRepositoryRoot(AppContext.BaseDirectory);
    private static string NodeProfile => Path.Combine(Root, "fixtures/providers/node-oidc-provider/profile.json");
    private string dir = "";

    [SetUp] public void CreateDir() => dir = Directory.CreateTempSubdirectory("profile-").FullName;
    [TearDown] public void RemoveDir() => Directory.Delete(dir, true);

    public static IEnumerable<string> ShippedProfiles() =>
        Directory.GetFiles(Path.Combine(Root, "fixtures/providers"), "profile.json", SearchOption.AllDirectories)
            .Select(p => Path.GetRelativePath(Root, p));

    [TestCaseSource(nameof(ShippedProfiles))]
    public void Shipped_profile_loads(string relative)
    {
        var profile = ProfileLoader.Load(Path.Combine(Root, relative));
        profile.Users.Should().NotBeEmpty();
        profile.Confidential.ClientSecret.Should().NotBeNullOrEmpty();
    }

    private string Write(Action<JsonObject> edit)
    {
        var json = JsonNode.Parse(File.ReadAllText(NodeProfile))!.AsObject();
        edit(json);
        var file = Path.Combine(dir, "profile.json");
        File.WriteAllText(file, Support.ProfileCopies.KeepKeyFiles(json).ToJsonString());
        return file;
    }

    public static IEnumerable<TestCaseData> Breakages()
    {
        TestCaseData Case(string name, Action<JsonObject> edit, string path, string words) =>
            new TestCaseData(edit, path, words).SetName($"Broken profile names the field: {name}");
        yield return Case("secret missing", o => o["clients"]!["confidential"]!.AsObject().Remove("clientSecret"), "$.clients.confidential.clientSecret", "required");
        yield return Case("feature not boolean", o => o["features"]!["implicit"] = "yes", "$.features.implicit", "true or false");
        yield return Case("unknown feature", o => o["features"]!["implict"] = true, "$.features.implict", "unknown feature");
        yield return Case("unknown top-level field", o => o["clinets"] = new JsonObject(), "$.clinets", "unknown field");
        yield return Case("no users", o => o["users"] = new JsonArray(), "$.users", "at least one");
        yield return Case("user without password", o => o["users"]![0]!.AsObject().Remove("password"), "$.users[0].password", "required");
        yield return Case("bad auth method", o => o["clients"]!["confidential"]!["tokenEndpointAuthMethods"] = new JsonArray("private_key_jwt2"), "$.clients.confidential.tokenEndpointAuthMethods", "not one of");
        yield return Case("bad ready pattern", o => o["start"]!["readyPattern"] = "READY (", "$.start.readyPattern", "regular expression");
        yield return Case("bad mode", o => o["start"]!["mode"] = "docker", "$.start.mode", "embedded");
        yield return Case("issuer not a URL", o => { o["issuer"] = "op.example.com"; o["start"] = new JsonObject { ["mode"] = "external" }; }, "$.issuer", "absolute");
        yield return Case("callback port out of range", o => o["callback"]!["port"] = 70000, "$.callback.port", "0..65535");
        yield return Case("timeout negative", o => o["timeouts"]!["requestSeconds"] = -1, "$.timeouts.requestSeconds", "positive");
        yield return Case("shortLived client without its lifetime", o => o["clients"]!["shortLived"] = o["clients"]!["confidential"]!.DeepClone(), "$.clients.shortLived.accessTokenSeconds", "required");
        yield return Case("client application type unknown", o => o["clients"]!["confidential"]!["applicationType"] = "desktop", "$.clients.confidential.applicationType", "'web' or 'native'");
        yield return Case("client lifetime not positive", o => o["clients"]!["confidential"]!["accessTokenSeconds"] = 0, "$.clients.confidential.accessTokenSeconds", "positive");
        yield return Case("shortLived client public", o => o["clients"]!["shortLived"] = new JsonObject { ["clientId"] = "s", ["tokenEndpointAuthMethods"] = new JsonArray("none"), ["scope"] = "openid", ["accessTokenSeconds"] = 5 }, "$.clients.shortLived.tokenEndpointAuthMethods", "confidential");
        // backchannel
        yield return Case("backchannel client without its logout URI", o => o["clients"]!["backchannel"]!.AsObject().Remove("backchannelLogoutUri"), "$.clients.backchannel.backchannelLogoutUri", "required");
        yield return Case("backchannel client without its secret", o => o["clients"]!["backchannel"]!.AsObject().Remove("clientSecret"), "$.clients.backchannel.clientSecret", "required");
        yield return Case("backchannel session flag not boolean", o => o["clients"]!["backchannel"]!["backchannelLogoutSessionRequired"] = "yes", "$.clients.backchannel.backchannelLogoutSessionRequired", "true or false");
        yield return Case("dpop feature not boolean", o => o["features"]!["dpop"] = "on", "$.features.dpop", "true or false");
        yield return Case("webOrigin with a path", o => o["clients"]!["public"]!["webOrigin"] = "http://127.0.0.1:5555/app", "$.clients.public.webOrigin", "not an origin");
        yield return Case("claims not an object", o => o["users"]![0]!["claims"]!["email"] = "alice@example.com", "$.users[0].claims.email", "object");
        // JWT client authentication (issue #12): a missing key or secret is named precisely
        yield return Case("private_key_jwt without its key file", o => o["clients"]!["privateKeyJwt"]!.AsObject().Remove("privateKeyFile"), "$.clients.privateKeyJwt.privateKeyFile", "required for private_key_jwt");
        yield return Case("private_key_jwt key file not found", o => o["clients"]!["privateKeyJwt"]!["privateKeyFile"] = "keys/no-such-key.pem", "$.clients.privateKeyJwt.privateKeyFile", "file not found");
        yield return Case("private_key_jwt key file not a key", o => o["clients"]!["privateKeyJwt"]!["privateKeyFile"] = Path.Combine(Root, "fixtures/providers/node-oidc-provider/package.json"), "$.clients.privateKeyJwt.privateKeyFile", "not a PEM private key");
        yield return Case("client_secret_jwt without its secret", o => o["clients"]!["clientSecretJwt"]!.AsObject().Remove("clientSecret"), "$.clients.clientSecretJwt.clientSecret", "required for client_secret_jwt");
        yield return Case("key file without private_key_jwt", o => o["clients"]!["confidential"]!["privateKeyFile"] = "keys/private-key-jwt-client.pem", "$.clients.confidential.privateKeyFile", "only used with private_key_jwt");
        // device
        yield return Case("device client without the device grant", o => o["clients"]!["device"]!["grantTypes"] = new JsonArray("refresh_token"), "$.clients.device.grantTypes", "urn:ietf:params:oauth:grant-type:device_code");
        yield return Case("deviceShortLived client without its lifetime", o => o["clients"]!["deviceShortLived"]!.AsObject().Remove("deviceCodeSeconds"), "$.clients.deviceShortLived.deviceCodeSeconds", "required");
        yield return Case("device-code lifetime not positive", o => o["lifetimes"]!["deviceCodeSeconds"] = 0, "$.lifetimes.deviceCodeSeconds", "positive");
        yield return Case("device pages without the approve button", o => o["loginPages"]!["deviceVerification"]!.AsObject().Remove("approve"), "$.loginPages.deviceVerification.approve", "required");
        yield return Case("device pages without the code field", o => o["loginPages"]!["deviceVerification"]!.AsObject().Remove("userCode"), "$.loginPages.deviceVerification", "userCode");
        // resource
        yield return Case("resource relative", o => o["clients"]!["clientCredentials"]!["resource"] = "/api", "$.clients.clientCredentials.resource", "absolute URI");
        yield return Case("resource with a fragment", o => o["clients"]!["clientCredentials"]!["resource"] = "https://api.example.test/#x", "$.clients.clientCredentials.resource", "fragment");
    }

    [Test]
    public void Casdoor_profile_names_a_short_lived_client_for_the_expired_token_case()
    {
        // The expired-token introspection case uses clients.shortLived with its own lifetime (IntrospectionFlow.ExpiredAsync).
        var profile = ProfileLoader.Load(Path.Combine(Root, "fixtures/providers/casdoor/profile.json"));
        profile.ShortLived.Should().NotBeNull();
        profile.ShortLived!.AccessTokenSeconds.Should().BePositive().And.BeLessThanOrEqualTo(OidcConformance.Flows.IntrospectionFlow.MaxExpiryWaitSeconds);
        profile.Confidential.AccessTokenSeconds.Should().BeNull("the other clients share lifetimes.accessTokenSeconds");
    }

    [Test]
    public void A_null_claim_says_the_user_lacks_the_attribute()
    {
        // docs/profile-format.md: null = the user does not have the attribute; scope-claims must not expect it.
        var bob = ProfileLoader.Load(NodeProfile).Users[1];
        var none = OidcConformance.Checks.StandardClaims.JudgeScope("phone", _ => null, bob.Claims);
        none.UserHasData.Should().BeFalse();
        none.Problems.Should().BeEmpty();
        OidcConformance.Checks.ClaimsFollowUserChecks.Declared(bob)["phone_number"].ValueKind.Should().Be(System.Text.Json.JsonValueKind.Null);
    }

    [TestCaseSource(nameof(Breakages))]
    public void Broken_profile_fails_naming_file_and_field(Action<JsonObject> edit, string path, string words)
    {
        var file = Write(edit);
        var act = () => ProfileLoader.Load(file);
        var error = act.Should().Throw<ProfileException>().Which;
        error.FieldPath.Should().Be(path);
        error.Message.Should().Contain(file).And.Contain(path).And.ContainEquivalentOf(words);
    }

    [Test]
    public void Invalid_json_names_the_line()
    {
        var file = Path.Combine(dir, "profile.json");
        File.WriteAllText(file, "{\n  \"name\": \"x\",\n  \"version\": \n}");
        var act = () => ProfileLoader.Load(file);
        act.Should().Throw<ProfileException>().WithMessage($"*{file}*not valid JSON (line 4*");
    }

    [Test]
    public void Missing_file_is_named()
    {
        var act = () => ProfileLoader.Load(Path.Combine(dir, "nope.json"));
        act.Should().Throw<ProfileException>().WithMessage("*nope.json*file not found*");
    }
}
