using System.Text.Json.Nodes;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Migration;
using OidcConformance.Reporting;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// Expected and actual values as data (issue #16 item 3): the helpers, the values a sample of checks records on the
/// recorded Casdoor 3.158.0 exchanges (Recorded/casdoor-3.158.0/exchanges.json), the reports that show them, and the
/// migration diff that compares them instead of reason texts.
/// </summary>
public sealed class ObservationTests
{
    [Test]
    public void RequireEqual_records_both_values_and_keeps_the_verdict_rule()
    {
        var check = TokenEndpointChecks.InvalidCode;
        var pass = check.RequireEqual("error", "invalid_grant", "invalid_grant", "differs");
        pass.Verdict.Should().Be(Verdict.Passed);
        pass.Observations.Should().Equal(new Observation("error", "invalid_grant", "invalid_grant"));
        var fail = check.RequireEqual("error", "invalid_grant", "invalid_request", "differs");
        fail.Verdict.Should().Be(Verdict.Failed);
        fail.Reason.Should().Be("differs");
        fail.Observations.Single().Actual.Should().Be("invalid_request");
    }

    [Test]
    public void Observed_appends_and_survives_case_and_evidence()
    {
        var r = TokenEndpointChecks.InvalidCode.Pass().Observed("a", "1", "1").Observed("b", null, null).WithCase("x").WithEvidence(new Evidence("l", "c"));
        r.Observations.Select(o => o.What).Should().Equal("a", "b");
        r.Observations[1].Describe().Should().Be("b: (absent)");
        r.Observations[0].Describe().Should().Be("a: expected 1, actual 1");
    }

    [Test]
    public void Values_are_redacted_for_output()
    {
        var secret = "observation-secret-" + Guid.NewGuid().ToString("N");
        Redactor.Register(secret, "test secret");
        var o = new Observation("WWW-Authenticate", null, $"Basic realm=\"{secret}\"").Redact();
        o.Actual.Should().NotContain(secret);
        new Observation("id_token", null, "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2ln").Redact().Actual.Should().StartWith("[redacted jwt");
    }

    [Test]
    public void A_refused_token_request_records_status_and_error_code_on_the_recorded_casdoor_answer()
    {
        var r = TokenEndpointChecks.EvaluateCodeSingleUse(CasdoorRecording.Token("token: authorization_code (client_secret_basic)"),
            CasdoorRecording.Token("token-endpoint: code redeemed twice"));
        r.Verdict.Should().Be(Verdict.Passed, r.Reason);
        r.Observations.Should().ContainEquivalentOf(new Observation("error", "invalid_grant", "invalid_grant"));
        r.Observations.Should().ContainEquivalentOf(new Observation("HTTP status", null, "400"));

        var wrongSecret = TokenEndpointChecks.EvaluateInvalidClient(CasdoorRecording.Token("token-endpoint: wrong secret (client_secret_basic)"));
        wrongSecret.Observations.Should().ContainEquivalentOf(new Observation("HTTP status", "400 or 401", "401"));
        wrongSecret.Observations.Should().ContainEquivalentOf(new Observation("error", "invalid_client", "invalid_client"));
    }

    [Test]
    public void Id_token_claims_and_discovery_issuer_are_recorded_on_the_recorded_casdoor_artifacts()
    {
        var jwt = CasdoorRecording.ReferenceIdToken;
        var clientId = jwt.Audiences[0];
        var e = new IdTokenExpectations("http://localhost:8000", clientId, null, DateTimeOffset.FromUnixTimeSeconds(jwt.NumericDate("iat")!.Value));
        IdTokenChecks.EvaluateIssuer(jwt, e).Observations.Should().Equal(new Observation("iss", "http://localhost:8000", "http://localhost:8000"));
        IdTokenChecks.EvaluateAudience(jwt, e).Observations.Single().Expected.Should().Be($"contains {clientId}");
        var issuer = DiscoveryChecks.EvaluateIssuerMatchesUrl(CasdoorRecording.Discovery);
        issuer.Observations.Should().Equal(new Observation("issuer", "http://localhost:8000", "http://localhost:8000"));
        // A hash claim is compared, never shown: "matches"/"differs".
        var atHash = IdTokenHashChecks.EvaluateAtHash(jwt, CasdoorRecording.ReferenceAccessToken, required: true);
        atHash.Observations.Should().ContainSingle(o => o.What == "at_hash").Which.Actual.Should().BeOneOf("matches", "differs", null);
        atHash.Observations.Should().NotContain(o => o.Actual != null && o.Actual.Contains(CasdoorRecording.ReferenceAccessToken));
    }

    [Test]
    public void Reports_carry_the_observations()
    {
        var dir = Directory.CreateTempSubdirectory("observation-report-").FullName;
        var report = new RunReport(dir, new RunInfo("p", "1", "http://issuer", "profile.json", "chromium"));
        report.Add(TokenEndpointChecks.InvalidCode.RequireEqual("error", "invalid_grant", "invalid_request", "error 'invalid_request'; expected 'invalid_grant'"));
        report.Add(TokenEndpointChecks.UnsupportedGrantType.RequireEqual("error", "unsupported_grant_type", "unsupported_grant_type", "x"));
        report.Complete();

        var json = JsonNode.Parse(File.ReadAllText(report.JsonPath))!["results"]!.AsArray();
        var failed = json.Single(r => (string?)r!["id"] == TokenEndpointChecks.InvalidCode.Id)!;
        failed["observations"]!.AsArray().Single()!.ToJsonString().Should().Be("""{"what":"error","expected":"invalid_grant","actual":"invalid_request"}""");
        ReportFile.Load(report.JsonPath).Results.Single(r => r.Id == TokenEndpointChecks.InvalidCode.Id).Observations
            .Should().Equal(new Observation("error", "invalid_grant", "invalid_request"));
        File.ReadAllText(report.MarkdownPath).Should().Contain("error: expected invalid_grant, actual invalid_request");
        var html = File.ReadAllText(Path.Combine(dir, "report.html"));
        html.Should().Contain("<table class=\"obs\"><tr><th>observed</th><th>expected</th><th>actual</th></tr><tr><td>error</td><td>invalid_grant</td><td>invalid_request</td></tr></table>");
        html.Should().Contain("<td>unsupported_grant_type</td><td>unsupported_grant_type</td>", "a passed result shows its values in its evidence");
    }

    private static ReportFile Run(string provider, params ReportedResult[] results) => new()
    {
        Path = Path.Combine(Path.GetTempPath(), provider, "report.json"), Provider = provider, Version = "1", Issuer = $"http://{provider}",
        Complete = true, Results = results,
    };

    private static ReportedResult Result(string verdict, string reason, params Observation[] observations) =>
        new(TokenEndpointChecks.CodeSingleUse.Id, null, TokenEndpointChecks.CodeSingleUse.Title, "Token endpoint", TokenEndpointChecks.CodeSingleUse.Spec, "MUST",
            verdict, reason, null, null) { Observations = observations };

    [Test]
    public void Migration_diff_reports_a_changed_error_code_as_values()
    {
        var a = Run("provider-a", Result("Passed", "the second redemption of a code: HTTP 400, error 'invalid_grant'",
            new Observation("HTTP status", null, "400"), new Observation("error", "invalid_grant", "invalid_grant")));
        var b = Run("provider-b", Result("Failed", "the second redemption of a code: HTTP 400, error 'invalid_request' (code already used); expected 'invalid_grant'",
            new Observation("HTTP status", null, "400"), new Observation("error", "invalid_grant", "invalid_request")));
        var diff = MigrationDiff.Compare(a, b);

        var change = diff.VerdictChanges.Should().ContainSingle().Subject;
        change.Values.Should().ContainEquivalentOf(new ValueChange("error", "invalid_grant", "invalid_grant", "invalid_grant", "invalid_request"));
        var md = diff.ToMarkdown();
        md.Should().Contain("## Observed values (1 executions)");
        md.Should().Contain("| `token.code-single-use` | Passed → Failed | error | invalid_grant | invalid_grant | invalid_request |");
        var json = JsonNode.Parse(diff.ToJson())!;
        json["verdictChanges"]![0]!["values"]!.AsArray().Should().Contain(v => (string?)v!["what"] == "error" && (string?)v["b"] == "invalid_request");
    }

    [Test]
    public void Migration_diff_compares_values_when_the_verdict_is_the_same_and_not_reason_strings()
    {
        // Both accepted by the check (either code allowed), so the verdict is the same: the answer still changed.
        var a = Run("provider-a", Result("Passed", "reason worded one way", new Observation("error", "invalid_request or invalid_grant", "invalid_grant")));
        var b = Run("provider-b", Result("Passed", "reason worded another way", new Observation("error", "invalid_request or invalid_grant", "invalid_request")));
        var diff = MigrationDiff.Compare(a, b);
        diff.VerdictChanges.Should().BeEmpty();
        diff.ValueChanges.Should().ContainSingle().Which.Values.Should().Equal(
            new ValueChange("error", "invalid_request or invalid_grant", "invalid_request or invalid_grant", "invalid_grant", "invalid_request"));
        diff.Headline.Should().Contain(l => l.Contains("error invalid_grant → invalid_request"));
        diff.ToMarkdown().Should().Contain("| `token.code-single-use` | Passed (both) | error | invalid_request or invalid_grant | invalid_grant | invalid_request |");

        // Different reason texts alone, with the same values, are no change; nor is a value that met each run's own expectation.
        var c = Run("provider-c", Result("Passed", "reason worded a third way", new Observation("error", "invalid_request or invalid_grant", "invalid_grant")));
        MigrationDiff.Compare(a, c).ValueChanges.Should().BeEmpty();
        var issA = Run("a", Result("Passed", "x", new Observation("iss", "http://a", "http://a")));
        var issB = Run("b", Result("Passed", "x", new Observation("iss", "http://b", "http://b")));
        MigrationDiff.Compare(issA, issB).ValueChanges.Should().BeEmpty();
    }
}
