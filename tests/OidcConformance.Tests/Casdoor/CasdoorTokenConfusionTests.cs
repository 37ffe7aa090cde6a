using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// The token-confusion checks (issue #19, blind spot 3) run on every successful token response of the recorded Casdoor
/// 3.158.0 run (Recorded/casdoor-3.158.0/exchanges.json): the verdicts that fixtures/baselines/casdoor-3.158.0.json predicts.
/// </summary>
[TestFixture, Category("Casdoor")]
public sealed class CasdoorTokenConfusionTests
{
    /// <summary>Every recorded 200 token response that carries an id_token (code exchanges, refresh, password grant).</summary>
    private static List<(string Purpose, string AccessToken, string IdToken)> TokenResponses()
    {
        var file = Path.Combine(AppContext.BaseDirectory, "Recorded", "casdoor-3.158.0", "exchanges.json");
        var found = new List<(string, string, string)>();
        foreach (var e in JsonDocument.Parse(File.ReadAllText(file)).RootElement.EnumerateArray())
        {
            if (e.GetProperty("status").GetInt32() != 200) continue;
            JsonElement body;
            try { body = JsonDocument.Parse(e.GetProperty("body").GetString()!).RootElement; }
            catch (JsonException) { continue; }
            if (body.ValueKind == JsonValueKind.Object && body.TryGetProperty("id_token", out var id) && body.TryGetProperty("access_token", out var at)
                && id.GetString() is { Length: > 0 } idToken && at.GetString() is { Length: > 0 } accessToken)
                found.Add((e.GetProperty("purpose").GetString()!, accessToken, idToken));
        }
        return found;
    }

    [Test]
    public void Every_recorded_token_response_returns_the_id_token_as_the_access_token()
    {
        var responses = TokenResponses();
        responses.Should().HaveCountGreaterThan(40, "the recorded run exchanged codes, refreshed and used the password grant");
        foreach (var (purpose, at, id) in responses)
        {
            var r = TokenConfusionChecks.EvaluateAccessTokenIsNotIdToken(at, id);
            r.Verdict.Should().Be(Verdict.Warning, $"{purpose}: {r.Reason}");
            r.Reason.Should().Contain("same string").And.Contain("tokenType is \"access-token\"");
        }
    }

    [Test]
    public void Every_recorded_jwt_access_token_is_typed_JWT_not_at_jwt()
    {
        foreach (var (purpose, at, _) in TokenResponses())
        {
            var r = TokenConfusionChecks.EvaluateJwtAccessTokenTyp(at);
            r.Verdict.Should().Be(Verdict.Warning, $"{purpose}: {r.Reason}");
            r.Reason.Should().Contain("\"JWT\"");
        }
    }

    [Test]
    public void UserInfo_with_the_id_token_cannot_be_judged_when_it_is_the_access_token()
    {
        var at = CasdoorRecording.ReferenceAccessToken;
        var userinfo = CasdoorRecording.Exchange("userinfo GET (no token)"); // any exchange: the check stops before reading it
        var r = TokenConfusionChecks.EvaluateUserInfoRejectsIdToken(userinfo, userinfo, at, at);
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("the ID token is the access token itself");
    }
}
