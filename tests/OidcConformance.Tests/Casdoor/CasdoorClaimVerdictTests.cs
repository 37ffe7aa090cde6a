using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// The claim verdicts the recorded Casdoor 3.158.0 run got wrong (Recorded/casdoor-3.158.0/README.md, "Verdicts that this
/// evidence shows to be wrong"), re-judged on the very artifacts that fooled them (exchanges.json), with the Casdoor
/// profile's claim table that listed the non-standard shapes. The spec-judged checks now see the deviation; the
/// documented-mapping regression check still passes, as it should (it is not a spec verdict).
/// fixtures/baselines/pending/claims.json predicts the same verdicts.
/// </summary>
public sealed class CasdoorClaimVerdictTests
{
    private static readonly string All = "openid profile email address phone";

    [TestCase("profile", Verdict.Passed, "preferred_username")]
    [TestCase("email", Verdict.Passed, "email_verified")]
    [TestCase("address", Verdict.Warning, "address is a JSON string")]
    [TestCase("phone", Verdict.Warning, "the response carries phone instead")]
    public void Userinfo_scope_claims_on_the_recorded_reference_userinfo(string scope, Verdict expected, string reason)
    {
        var r = UserInfoChecks.EvaluateScopeClaims(CasdoorRecording.ReferenceUserInfo, scope, CasdoorRecording.Alice.Claims, granted: true);
        r.Verdict.Should().Be(expected, r.Reason);
        r.Reason.Should().Contain(reason);
    }

    [TestCase("profile")]
    [TestCase("email")]
    [TestCase("address")]
    [TestCase("phone")]
    public void The_documented_mapping_still_matches_the_recorded_userinfo(string scope)
    {
        var r = UserInfoChecks.EvaluateClaimMapping(CasdoorRecording.ReferenceUserInfo, scope, CasdoorRecording.Alice.Claims[scope], granted: true);
        r.Verdict.Should().Be(Verdict.Passed, r.Reason);
    }

    [TestCase("openid", "openid", Verdict.Passed, "no standard scope")]
    [TestCase("openid+profile", "openid profile", Verdict.Passed, "name")]
    [TestCase("openid+email", "openid email", Verdict.Passed, "email")]
    [TestCase("openid+address", "openid address", Verdict.Warning, "address is a JSON string")]
    [TestCase("openid+phone", "openid phone", Verdict.Warning, "the response carries phone instead")]
    [TestCase("all", "openid profile email address phone", Verdict.Warning, "address is a JSON string")]
    public void Scope_matrix_on_the_recorded_subset_flows(string label, string scope, Verdict expected, string reason)
    {
        var s = CasdoorRecording.Subset(scope);
        var r = UserInfoVariantChecks.EvaluateMatrixGrantedClaims(label, s.UserInfo, scope, CasdoorRecording.Alice.Claims);
        r.Verdict.Should().Be(expected, r.Reason);
        r.Reason.Should().Contain(reason);
    }

    [TestCase("openid", "openid", Verdict.Warning, "email (scope email)")]
    [TestCase("openid+profile", "openid profile", Verdict.Warning, "address (scope address)")]
    [TestCase("openid+email", "openid email", Verdict.Warning, "name (scope profile)")]
    [TestCase("openid+address", "openid address", Verdict.Warning, "email (scope email)")]
    [TestCase("openid+phone", "openid phone", Verdict.Warning, "address (scope address)")]
    [TestCase("all", "openid profile email address phone", Verdict.Passed, "no claims of other standard scopes")]
    public void Id_token_of_each_recorded_subset_flow(string label, string scope, Verdict expected, string reason)
    {
        var r = TokenContentChecks.EvaluateIdTokenOnlyGrantedScopeClaims(label, CasdoorRecording.Subset(scope).IdToken, scope);
        r.Verdict.Should().Be(expected, r.Reason);
        r.Reason.Should().Contain(reason);
    }

    /// <summary>
    /// response_type=id_token: the recorded run kept no front-channel ID token, but Casdoor builds it with the same claims
    /// as the token endpoint's (object/token_jwt.go generateJwtToken; the recorded [address] reason quotes the same array),
    /// so the recorded token-endpoint ID token stands in for it.
    /// </summary>
    [TestCase("profile", Verdict.Warning, "preferred_username missing")]
    [TestCase("email", Verdict.Passed, "email_verified")]
    [TestCase("address", Verdict.Warning, "address is a JSON array")]
    [TestCase("phone", Verdict.Warning, "phone instead")]
    public void Implicit_id_token_scope_claims(string scope, Verdict expected, string reason)
    {
        var r = ImplicitHybridChecks.EvaluateIdTokenScopeClaims(CasdoorRecording.ReferenceIdToken, scope, CasdoorRecording.Alice.Claims, granted: true);
        r.Verdict.Should().Be(expected, r.Reason);
        r.Reason.Should().Contain(reason);
    }

    [Test]
    public void Standard_types_credentials_on_the_recorded_reference_flow()
    {
        TokenContentChecks.EvaluateUserInfoStandardTypes(CasdoorRecording.ReferenceUserInfo).Verdict.Should().Be(Verdict.Failed);
        TokenContentChecks.EvaluateIdTokenStandardTypes(CasdoorRecording.ReferenceIdToken).Verdict.Should().Be(Verdict.Failed);
        var id = TokenContentChecks.EvaluateIdTokenNoCredentials(CasdoorRecording.ReferenceIdToken, CasdoorRecording.Alice.Password);
        id.Verdict.Should().Be(Verdict.Failed);
        id.Reason.Should().NotContain("be6b18e3795db770c616", "the salt's value is never quoted");
        id.Reason.Should().Contain("without data: password, recoveryCodes, totpSecret", "empty credential-named claims are reported, not judged");
        TokenContentChecks.EvaluateAccessTokenNoCredentials(CasdoorRecording.ReferenceAccessToken, CasdoorRecording.Alice.Password).Verdict.Should().Be(Verdict.Failed);
        TokenContentChecks.EvaluateUserInfoNoCredentials(CasdoorRecording.ReferenceUserInfo, CasdoorRecording.Alice.Password).Verdict.Should().Be(Verdict.Passed);
    }
}
