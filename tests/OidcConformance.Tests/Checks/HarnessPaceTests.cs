using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// A verdict must not depend on how long the harness took to get to it. Found on a loaded CI machine (load average 19 on
/// 2 cores): the run outlasted the embedded provider's 300 s access-token lifetime, so UserInfo answered 401 for the shared
/// reference token and userinfo.get-bearer came out Failed; the ID token's exp was judged against the time the check ran.
/// Tokens are judged from when they arrived, and a check that spends an access token gets one that is still live.
/// </summary>
public sealed class HarnessPaceTests
{
    private static readonly DateTimeOffset Arrived = DateTimeOffset.UtcNow.AddSeconds(-400);

    private static OidcConformance.Protocol.TokenResponse TokenArrivedAt(DateTimeOffset at, string json)
    {
        var t = Make.Token(json);
        return t with { Exchange = t.Exchange with { Started = at, Duration = TimeSpan.FromMilliseconds(20) } };
    }

    [Test]
    public void An_access_token_is_stale_by_its_own_expires_in_counted_from_its_arrival()
    {
        var token = TokenArrivedAt(Arrived, """{"access_token":"a","token_type":"Bearer","expires_in":300}""");
        token.ReceivedAt.Should().Be(Arrived.AddMilliseconds(20));
        token.AccessTokenExpiresWithin(TimeSpan.FromSeconds(60), DateTimeOffset.UtcNow).Should().BeTrue("400 s after arrival a 300 s token is gone");
        token.AccessTokenExpiresWithin(TimeSpan.FromSeconds(60), Arrived.AddSeconds(100)).Should().BeFalse("100 s after arrival it has 200 s left");
        token.AccessTokenExpiresWithin(TimeSpan.FromSeconds(60), Arrived.AddSeconds(250)).Should().BeTrue("250 s after arrival it has less than the margin left");
    }

    [Test]
    public void Without_expires_in_nothing_is_known_and_the_token_is_not_called_stale()
    {
        var token = TokenArrivedAt(Arrived.AddDays(-1), """{"access_token":"a","token_type":"Bearer"}""");
        token.ExpiresIn.Should().BeNull();
        token.AccessTokenExpiresWithin(TimeSpan.FromSeconds(60), DateTimeOffset.UtcNow).Should().BeFalse();
    }

    [Test]
    public void An_id_token_valid_when_it_arrived_passes_exp_however_late_the_check_runs()
    {
        var jwt = DecodedJwt.Decode(Make.Jwt(Make.Header(), Make.IdTokenClaims(Arrived.ToUnixTimeSeconds())));
        var atArrival = new IdTokenExpectations("http://op.test", "client-1", "n-0S6_WzA2Mj", Arrived);
        IdTokenChecks.EvaluateExpiry(jwt, atArrival).Verdict.Should().Be(Verdict.Passed);
        // The proof that the time matters: judged 400 s later (what the checks did before), the same token "fails".
        var late = atArrival with { Now = DateTimeOffset.UtcNow };
        IdTokenChecks.EvaluateExpiry(jwt, late).Verdict.Should().Be(Verdict.Failed);
    }

    [Test]
    public void Microsoft_identitymodel_validation_judges_lifetime_at_the_tokens_arrival()
    {
        // Found by the order-independence test: seed 11 Passed, seed 20261207 Failed with IDX10223 "The token is expired",
        // because JsonWebTokenHandler compared exp with the clock of the moment the check ran.
        var jwks = Make.Jwks(Make.JwksFor(Make.TestKey));
        var jwt = DecodedJwt.Decode(Make.Jwt(Make.Header(), Make.IdTokenClaims(Arrived.ToUnixTimeSeconds())));
        var atArrival = new IdTokenExpectations("http://op.test", "client-1", "n-0S6_WzA2Mj", Arrived);
        IdTokenChecks.EvaluateLibraryValidation(jwt, jwks, atArrival).Verdict.Should().Be(Verdict.Passed);
        var late = atArrival with { Now = DateTimeOffset.UtcNow };
        IdTokenChecks.EvaluateLibraryValidation(jwt, jwks, late).Reason.Should().Contain("IDX10223", "400 s later the same token is expired");
    }

    [Test]
    public void An_id_token_from_an_unknown_key_is_refused_for_its_signature_not_by_the_arrival_clock()
    {
        // The library also runs the lifetime rule while it explains a signature failure, with DateTime.MinValue for an
        // absent nbf: shifting that by the skew threw "un-representable DateTime" and hid IDX10503 (faults jwks-unrelated-key,
        // id-token-unknown-key).
        var jwks = Make.Jwks(Make.JwksFor(Make.TestKey));
        var jwt = DecodedJwt.Decode(Make.Jwt(Make.Header(kid: "rotated-away"), Make.IdTokenClaims(Arrived.ToUnixTimeSeconds()), Make.OtherKey));
        var atArrival = new IdTokenExpectations("http://op.test", "client-1", "n-0S6_WzA2Mj", Arrived);
        var r = IdTokenChecks.EvaluateLibraryValidation(jwt, jwks, atArrival);
        r.Verdict.Should().Be(Verdict.Failed);
        r.Reason.Should().MatchRegex("IDX10503|IDX10500|IDX10517|kid|signature").And.NotContain("un-representable");
    }
}
