using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// at_hash / c_hash computation (OIDC Core 1.0 §3.1.3.6, §3.3.2.11). The expected values were computed independently
/// with Python's hashlib (left half of the digest, base64url without padding); the first two inputs are the access
/// token and code of OIDC Core Appendix A, whose at_hash/c_hash the spec's examples show with the same values.
/// </summary>
public sealed class TokenHashTests
{
    private const string SpecAccessToken = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
    private const string SpecCode = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";

    [TestCase(SpecAccessToken, "RS256", "77QmUPtjPfzWtF2AnpK9RQ")]
    [TestCase(SpecCode, "RS256", "LDktKdoQak3Pk0cnXxCltA")]
    [TestCase(SpecAccessToken, "ES256", "77QmUPtjPfzWtF2AnpK9RQ")]
    [TestCase(SpecAccessToken, "PS256", "77QmUPtjPfzWtF2AnpK9RQ")]
    [TestCase(SpecAccessToken, "HS256", "77QmUPtjPfzWtF2AnpK9RQ")]
    [TestCase(SpecAccessToken, "RS384", "jtAeDp945y1dDqU3nkIVGNZP1HjH_MFs")]
    [TestCase(SpecAccessToken, "ES384", "jtAeDp945y1dDqU3nkIVGNZP1HjH_MFs")]
    [TestCase(SpecAccessToken, "RS512", "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM")]
    [TestCase(SpecAccessToken, "PS512", "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM")]
    [TestCase(SpecAccessToken, "EdDSA", "q7nS86GgvvFaZkzALLWqJYaJIKw2wCDAVfCAsm5CrBM")]
    [TestCase(SpecCode, "ES384", "Mq-knyaEMtWGfnBi2POEZb1kiLx10_DF")]
    [TestCase(SpecCode, "ES512", "E9z1C-c0Az4eTEzE0Nm3OQ3BS2BhMgxuP7x5JAQj1_4")]
    [TestCase("abc", "RS256", "ungWv48Bz-pBQUDeXa4iIw")]
    [TestCase("abc", "RS384", "ywB1P0WjXou1oD1pmsZQBycsMqsO3tFj")]
    [TestCase("abc", "RS512", "3a81oZNherrMQXNJriBBMRLm-k6JqX6iCp7u5ktV05o")]
    public void Left_half_of_the_algs_hash(string value, string alg, string expected) =>
        TokenHash.Compute(value, alg).Should().Be(expected);

    [TestCase("none")]
    [TestCase(null)]
    [TestCase("RSA-OAEP")]
    public void No_hash_for_algs_without_one(string? alg) => TokenHash.Compute("abc", alg).Should().BeNull();

    [Test]
    public void Ed448_is_not_guessed() => TokenHash.Compute("abc", "EdDSA", "Ed448").Should().BeNull();

    [Test]
    public void Half_length_per_hash_size()
    {
        // 16, 24 and 32 octets → 22, 32 and 43 base64url characters.
        TokenHash.Compute("x", "RS256")!.Length.Should().Be(22);
        TokenHash.Compute("x", "RS384")!.Length.Should().Be(32);
        TokenHash.Compute("x", "RS512")!.Length.Should().Be(43);
    }
}
