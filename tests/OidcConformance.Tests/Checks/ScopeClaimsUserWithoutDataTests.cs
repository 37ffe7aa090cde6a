using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// userinfo.scope-claims credits a user's attributes coming back under the §5.4 names. For a user the profile says has
/// none of the scope's attributes (user 2 of the embedded providers: phone and address null) there is nothing to credit:
/// data coming back anyway is a claims-follow-user failure, not a Passed scope-claims (found by fault
/// userinfo-ungranted-claims, which adds a phone_number to every UserInfo answer).
/// </summary>
public sealed class ScopeClaimsUserWithoutDataTests
{
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> BobTable =
        new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>
        {
            ["openid"] = new Dictionary<string, JsonElement> { ["sub"] = JsonDocument.Parse("\"bob\"").RootElement },
            ["phone"] = new Dictionary<string, JsonElement>
            {
                ["phone_number"] = JsonDocument.Parse("null").RootElement,
                ["phone_number_verified"] = JsonDocument.Parse("null").RootElement,
            },
        };

    private static JsonBody Body(string json) => JsonBody.From(Make.Exchange(200, json));

    [Test]
    public void A_phone_number_returned_for_a_user_without_one_is_not_credited()
    {
        var r = UserInfoChecks.EvaluateScopeClaims(Body("""{"sub":"bob","phone_number":"+1 555 0100"}"""), "phone", BobTable, true);
        r.Verdict.Should().Be(Verdict.Inconclusive);
        r.Reason.Should().Contain("returned anyway: phone_number").And.Contain("claims-follow-user");
    }

    [Test]
    public void Nothing_returned_for_a_user_without_one_is_nothing_to_judge()
    {
        var r = UserInfoChecks.EvaluateScopeClaims(Body("""{"sub":"bob"}"""), "phone", BobTable, true);
        r.Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void A_wrong_type_is_still_a_violation_for_a_user_without_data()
    {
        var r = UserInfoChecks.EvaluateScopeClaims(Body("""{"sub":"bob","phone_number_verified":"yes"}"""), "phone", BobTable, true);
        r.Verdict.Should().NotBe(Verdict.Passed);
    }
}
