using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Doctor;
using OidcConformance.Profiles;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Doctor;

/// <summary>The doctor's pure judgements, without a provider (run by ./run.sh test --fast too).</summary>
[TestFixture]
public sealed class DoctorJudgementTests
{
    private static readonly ClientProfile Client = new()
    {
        Role = "confidential", ClientId = "acme-app", ClientSecret = "s", TokenEndpointAuthMethods = ["client_secret_basic"], Scope = "openid",
        GrantTypes = ["authorization_code"],
    };

    [TestCase(401, """{"error":"invalid_client"}""", DoctorStatus.Problem, "$.clients.confidential.clientSecret")]
    [TestCase(400, """{"error":"invalid_grant"}""", DoctorStatus.Ok, "$.clients.confidential")]
    [TestCase(400, """{"error":"unauthorized_client"}""", DoctorStatus.Problem, "$.clients.confidential.grantTypes")]
    [TestCase(403, """{"error":"invalid_code"}""", DoctorStatus.Note, "$.clients.confidential")]
    [TestCase(404, "<html>not found</html>", DoctorStatus.Problem, "$.clients.confidential")]
    public void An_invalid_code_tells_client_authentication_by_the_error(int status, string body, DoctorStatus expected, string key)
    {
        var finding = ClientAuthenticationProbe.Judge("confidential", Client, "client_secret_basic", clientCredentials: false, Make.Token(body, status));
        finding.Status.Should().Be(expected);
        finding.ProfileKey.Should().Be(key);
        if (expected == DoctorStatus.Problem) finding.Fix.Should().NotBeEmpty();
    }

    [Test]
    public void A_client_credentials_error_other_than_invalid_client_means_the_client_authenticated()
    {
        var finding = ClientAuthenticationProbe.Judge("confidential", Client, "client_secret_post", clientCredentials: true, Make.Token("""{"error":"invalid_scope"}""", 400));
        finding.Status.Should().Be(DoctorStatus.Ok);
        finding.What.Should().Contain("invalid_scope");
    }

    private static readonly TestUser Alice = new()
    {
        Username = "alice", Password = "p", Subject = "alice",
        Claims = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>
        {
            ["profile"] = new Dictionary<string, JsonElement> { ["name"] = Json("\"Alice\""), ["nickname"] = Json("\"ali\"") },
            ["phone"] = new Dictionary<string, JsonElement> { ["phone_number"] = Json("\"+1\"") },
        },
    };

    private static JsonElement Json(string raw) => JsonDocument.Parse(raw).RootElement.Clone();

    [Test]
    public void The_claim_table_is_compared_claim_by_claim_with_userinfo_then_the_id_token()
    {
        var findings = ClaimTableProbe.Compare(0, Alice, new HashSet<string> { "openid", "profile" },
            idToken: Json("""{"sub":"alice","nickname":"ali"}"""), userinfo: Json("""{"sub":"alice","name":"Alice B"}"""));
        findings.Where(f => f.Status == DoctorStatus.Problem).Should().ContainSingle()
            .Which.Should().Match<DoctorFinding>(f => f.ProfileKey == "$.users[0].claims.profile.name" && f.Fix.Contains("\"Alice B\""));
        findings.Should().Contain(f => f.Status == DoctorStatus.Note && f.ProfileKey == "$.users[0].claims.phone", "a scope not granted is not compared");
    }

    [Test]
    public void A_claim_the_provider_does_not_return_and_a_different_sub_are_named()
    {
        var findings = ClaimTableProbe.Compare(0, Alice, new HashSet<string> { "openid", "profile" },
            idToken: Json("""{"sub":"4f1c-opaque"}"""), userinfo: Json("""{"sub":"4f1c-opaque","name":"Alice"}"""));
        findings.Where(f => f.Status == DoctorStatus.Problem).Select(f => f.ProfileKey)
            .Should().BeEquivalentTo(["$.users[0].subject", "$.users[0].claims.profile.nickname"]);
    }

    [Test]
    public void The_printed_report_names_status_step_key_file_what_and_fix_and_redacts_secrets()
    {
        Http.Redactor.Register("doctor-test-secret-81f3", "fixture secret");
        var report = new DoctorReport("fixtures/providers/acme/profile.json",
            [DoctorFinding.Problem("client-auth", "$.clients.confidential.clientSecret", "refused doctor-test-secret-81f3", "copy the secret")], "artifacts/doctor");
        var text = report.Render();
        text.Should().Contain("PROBLEM [client-auth] $.clients.confidential.clientSecret (fixtures/providers/acme/profile.json)")
            .And.Contain("fix:  copy the secret").And.NotContain("doctor-test-secret-81f3");
        report.Healthy.Should().BeFalse();
    }
}
