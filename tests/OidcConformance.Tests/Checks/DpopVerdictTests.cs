using System.Net;
using FluentAssertions;
using Microsoft.IdentityModel.Tokens;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// The DPoP proofs the suite signs (RFC 9449 §4.2) and the verdict rules around them: a refusal counts only against an
/// accepted control, a server error or a missing answer is no refusal, and a provider that never asks for a nonce leaves
/// the nonce check Inconclusive.
/// </summary>
public sealed class DpopVerdictTests
{
    private static DpopExchange Once(int status, string body) =>
        new(Make.Exchange(status, body, url: "http://op.test/token", method: "POST"), null);

    private static readonly DpopExchange Accepted = Once(200, "{\"access_token\":\"at-0123456789\",\"token_type\":\"DPoP\"}");
    private static readonly DpopExchange Refused = Once(400, "{\"error\":\"invalid_dpop_proof\"}");

    [Test]
    public void Proof_has_the_header_and_claims_of_section_4_2_and_verifies_with_its_key()
    {
        using var key = new DpopKey("A");
        var proof = DpopProofPipeline.For(key, "GET", "http://op.test/me", "at-0123456789").Build("server-nonce");
        key.Verifies(proof!).Should().BeTrue();
        var jwt = DecodedJwt.Decode(proof);
        jwt.HeaderString("typ").Should().Be("dpop+jwt");
        jwt.Alg.Should().Be("ES256");
        jwt.Header.GetProperty("jwk").TryGetProperty("d", out _).Should().BeFalse("the jwk header carries the public key only");
        jwt.ClaimString("htm").Should().Be("GET");
        jwt.ClaimString("htu").Should().Be("http://op.test/me");
        jwt.ClaimString("nonce").Should().Be("server-nonce");
        jwt.ClaimString("ath").Should().Be(DpopKey.AccessTokenHash("at-0123456789"));
        jwt.ClaimString("jti").Should().NotBeNullOrEmpty();
        jwt.NumericDate("iat")!.Value.Should().BeCloseTo(DateTimeOffset.UtcNow.ToUnixTimeSeconds(), 5UL);
    }

    [Test]
    public void Every_proof_has_a_new_jti()
    {
        using var key = new DpopKey("A");
        var pipeline = DpopProofPipeline.For(key, "POST", "http://op.test/token");
        DecodedJwt.Decode(pipeline.Build(null)).ClaimString("jti").Should().NotBe(DecodedJwt.Decode(pipeline.Build(null)).ClaimString("jti"));
    }

    [Test]
    public void Thumbprint_is_the_RFC_7638_one_IdentityModel_computes()
    {
        using var key = new DpopKey("A");
        var jwk = new JsonWebKey(key.PublicJwk.ToJsonString());
        key.Thumbprint.Should().Be(Base64UrlEncoder.Encode(jwk.ComputeJwkThumbprint()));
    }

    [Test]
    public void A_changed_step_is_named_and_changes_only_that_claim()
    {
        using var a = new DpopKey("A");
        var changed = DpopProofPipeline.For(a, "POST", "http://op.test/token")
            .Replace<DpopIatStep>(new DpopIatStep(DateTimeOffset.UtcNow.AddHours(-1)), "an hour ago")
            .Replace<DpopNonceStep>(DpopNonceStep.Withheld, "none");
        var jwt = DecodedJwt.Decode(changed.Build("server-nonce"));
        jwt.NumericDate("iat")!.Value.Should().BeCloseTo(DateTimeOffset.UtcNow.AddHours(-1).ToUnixTimeSeconds(), 5UL);
        jwt.Claim("nonce").Should().BeNull();
        jwt.ClaimString("htm").Should().Be("POST");
        changed.MutatedStep.Should().Be("DPoP proof / iat: an hour ago; DPoP proof / nonce: none");
    }

    [Test]
    public void The_private_key_is_registered_as_a_secret()
    {
        using var key = new DpopKey("A");
        // The public coordinates are no secret; the proof (a JWT) is redacted as any JWT is.
        Redactor.Redact(key.PublicJwk.ToJsonString()).Should().Contain(key.PublicJwk["x"]!.GetValue<string>());
        Redactor.Redact(DpopProofPipeline.For(key, "POST", "http://op.test/token").Build(null)).Should().NotContain(".ey");
    }

    [Test]
    public void A_refusal_without_an_accepted_control_is_inconclusive()
    {
        var result = DpopChecks.EvaluateRefused(DpopChecks.WrongHtmRefused, Refused, Refused, "a proof for another HTTP method");
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("was not accepted either");
    }

    [Test]
    public void A_server_error_or_no_answer_is_no_refusal()
    {
        DpopChecks.EvaluateRefused(DpopChecks.WrongHtuRefused, Accepted, Once(500, "{}"), "x").Verdict.Should().Be(Verdict.Inconclusive);
        var unreachable = new DpopExchange(Make.Unreachable("http://op.test/token"), null);
        DpopChecks.EvaluateRefused(DpopChecks.WrongHtuRefused, Accepted, unreachable, "x").Verdict.Should().Be(Verdict.Inconclusive);
    }

    [Test]
    public void Replay_acceptance_is_a_warning_because_section_11_1_does_not_mandate_jti_checks()
    {
        DpopChecks.EvaluateRefused(DpopChecks.ReplayedJtiRefused, Accepted, Accepted, "the same proof").Verdict.Should().Be(Verdict.Warning);
    }

    [Test]
    public void No_nonce_challenge_is_inconclusive()
    {
        var result = DpopChecks.EvaluateNonceChallenge(Accepted, "token endpoint");
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("did not ask for a DPoP nonce");
    }

    [Test]
    public void Resource_server_nonce_challenge_is_recognised()
    {
        var challenge = Make.Exchange(401, "", url: "http://op.test/me", headers: ("WWW-Authenticate", "DPoP error=\"use_dpop_nonce\""));
        DpopNonces.IsChallenge(challenge).Should().BeTrue();
        DpopNonces.IsChallenge(Make.Exchange(401, "", url: "http://op.test/me", headers: ("WWW-Authenticate", "DPoP error=\"invalid_token\""))).Should().BeFalse();
        challenge.StatusCode.Should().Be((int)HttpStatusCode.Unauthorized);
    }

    [Test]
    public void Opaque_access_token_without_introspection_is_inconclusive()
    {
        DpopChecks.EvaluateCnfJkt(null, "opaque-token-value", "jkt").Verdict.Should().Be(Verdict.Inconclusive);
    }
}
