using System.Text.Json.Nodes;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;
using static OidcConformance.Checks.ClaimsFollowUserChecks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Claims that follow the user: hard-coded email_verified (Casdoor's UserInfo, A-50), a claim filled from another attribute
/// (Casdoor's ID token name = login name, recorded), a claim for an attribute the user lacks, and user 1's data in user 2's
/// answer; passes on the recorded node-oidc-provider and Casdoor UserInfo of alice.
/// </summary>
public sealed class ClaimsFollowUserProofs : IFailureProofs, IPassProofs
{
    private static ProviderProfile Profile(string name) =>
        ProfileLoader.Load(Path.Combine(Run.RunSettings.FindRepositoryRoot(AppContext.BaseDirectory), $"fixtures/providers/{name}/profile.json"));

    private static TestUser NodeAlice => Profile("node-oidc-provider").Users[0];
    private static TestUser NodeBob => Profile("node-oidc-provider").Users[1];

    /// <summary>What the embedded provider answers for bob (profile data), edited.</summary>
    private static JsonBody BobUserInfo(Action<JsonObject>? edit = null)
    {
        var o = new JsonObject
        {
            ["sub"] = "bob", ["name"] = "Bob Brown", ["given_name"] = "Bob", ["family_name"] = "Brown", ["preferred_username"] = "bob",
            ["gender"] = "male", ["zoneinfo"] = "Europe/Berlin", ["locale"] = "de-DE", ["updated_at"] = 1710000000,
            ["email"] = "bob@example.com", ["email_verified"] = false,
        };
        edit?.Invoke(o);
        return JsonBody.Parse(o.ToJsonString());
    }

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(UserInfoFollowsUser, "email_verified true for bob, whose e-mail is unverified (hard-coded, as Casdoor's GetUserInfo, A-50)",
            () => EvaluateUserInfo(BobUserInfo(o => o["email_verified"] = true), NodeBob, "user 2 (bob)"), "email_verified is true, but bob's is false");
        yield return new(UserInfoFollowsUser, "user 1's name in user 2's UserInfo",
            () => EvaluateUserInfo(BobUserInfo(o => { o["name"] = "Alice Adams"; o["given_name"] = "Alice"; }), NodeBob, "user 2 (bob)"), "name is \"Alice Adams\"");
        yield return new(UserInfoFollowsUser, "a phone number for bob, who has none (profile: null)",
            () => EvaluateUserInfo(BobUserInfo(o => o["phone_number"] = "+1 555 0100"), NodeBob, "user 2 (bob)"), "bob has no phone_number");
        yield return new(UserInfoFollowsUser, "name filled from the login name",
            () => EvaluateUserInfo(BobUserInfo(o => o["name"] = "bob"), NodeBob, "user 2 (bob)"), "name is \"bob\"");
        yield return new(IdTokenFollowsUser, "recorded Casdoor 3.158.0 ID token: name is the login name 'alice', not her full name (object/token_jwt.go getClaimsWithoutThirdIdp, A-44)",
            () => EvaluateIdToken(CasdoorRecording.ReferenceIdToken, CasdoorRecording.Alice, "user 1 (alice)"), "name is \"alice\", but alice's is \"Alice Adams\"");
        yield return new(IdTokenFollowsUser, "email_verified true in bob's ID token",
            () => EvaluateIdToken(IdToken(o => o.With("email", "bob@example.com").With("email_verified", true)), NodeBob, "user 2 (bob)"), "email_verified is true");
    }

    private static DecodedJwt IdToken(Func<JsonObject, JsonObject> edit) =>
        DecodedJwt.Decode(Make.Jwt(Make.Header(), edit(Make.IdTokenClaims().With("sub", "bob"))));

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(UserInfoFollowsUser, "recorded node-oidc-provider UserInfo of alice", () => EvaluateUserInfo(JsonBody.Parse(Recorded.UserInfo.ResponseBody), NodeAlice, "user 1 (alice)"));
        yield return new(UserInfoFollowsUser, "recorded Casdoor 3.158.0 UserInfo of alice (verified: the hard-coded true happens to be right)",
            () => EvaluateUserInfo(CasdoorRecording.ReferenceUserInfo, CasdoorRecording.Alice, "user 1 (alice)"));
        yield return new(UserInfoFollowsUser, "bob's own data, no phone or address", () => EvaluateUserInfo(BobUserInfo(), NodeBob, "user 2 (bob)"));
        yield return new(IdTokenFollowsUser, "bob's ID token with his unverified e-mail",
            () => EvaluateIdToken(IdToken(o => o.With("email", "bob@example.com").With("email_verified", false)), NodeBob, "user 2 (bob)"));
    }
}
