using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Http;

namespace OidcConformance.Tests.Harness;

public sealed class RedactorTests
{
    [Test]
    public void Redaction_while_other_threads_register_secrets_does_not_throw()
    {
        // Seen in a glewlwyd run: a test registered a token while the report was being redacted (ArgumentException from LINQ's
        // copy of the live ConcurrentDictionary).
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < 2000; i++) Redactor.Register($"concurrent-secret-{i:D6}-{Guid.NewGuid():N}", "stress");
        });
        var redactions = 0;
        while (!writer.IsCompleted)
        {
            FluentAssertions.FluentActions.Invoking(() => Redactor.Redact("text with concurrent-secret-000001 in it")).Should().NotThrow();
            redactions++;
        }
        writer.Wait();
        redactions.Should().BeGreaterThan(0);
    }

    [Test]
    public void Registered_secret_is_removed_also_url_encoded()
    {
        Redactor.Register("s3cr3t/with+chars", "fixture secret");
        var text = Redactor.Redact("password=s3cr3t%2Fwith%2Bchars and raw s3cr3t/with+chars");
        text.Should().NotContain("s3cr3t");
    }

    [TestCase("Authorization: Bearer 2YotnFZFEjr1zCsicMWpAA", "2YotnFZFEjr1zCsicMWpAA")]
    [TestCase("Authorization: Basic Y29uZi1jbGllbnQ6Y29uZi1zZWNyZXQ=", "Y29uZi1jbGllbnQ6Y29uZi1zZWNyZXQ")]
    [TestCase("grant_type=authorization_code&code=SplxlOBeZQQYbYS6WxSbIA&redirect_uri=x", "SplxlOBeZQQYbYS6WxSbIA")]
    [TestCase("{\"access_token\":\"opaque-token-value-123\",\"token_type\":\"Bearer\"}", "opaque-token-value-123")]
    [TestCase("{\"refresh_token\": \"rt-opaque-value-456\"}", "rt-opaque-value-456")]
    [TestCase("{\"device_code\":\"dc-opaque-789\",\"user_code\":\"WDJB-MJHT\"}", "WDJB-MJHT")]
    [TestCase("{\"verification_uri_complete\":\"http://op.test/device?user_code=WDJB-MJHT\"}", "WDJB-MJHT")]
    [TestCase("http://rp/cb#id_token=abc.def.ghi&state=x", "abc.def.ghi")]
    [TestCase("token eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJhbGljZSJ9.c2lnbmF0dXJl in text", "eyJzdWIiOiJhbGljZSJ9")]
    [TestCase("client_secret=conf-secret-xyz&client_id=a", "conf-secret-xyz")]
    public void Credentials_are_redacted(string input, string secret)
    {
        var output = Redactor.Redact(input);
        output.Should().NotContain(secret);
        output.Should().Contain("redacted");
    }

    [TestCase("Authorization: DPoP eyJhbGciOiJFUzI1NiJ9x", "eyJhbGciOiJFUzI1NiJ9x")]
    [TestCase("Authorization: Bearer abcdefghijklmnop1", "abcdefghijklmnop1")]
    [TestCase("Authorization: Bearer ABCDEFGHIJ", "ABCDEFGHIJ")]
    [TestCase("Authorization: Basic dXNlcjpwYXNz==", "dXNlcjpwYXNz")]
    [TestCase("Authorization: Bearer some-token", "some-token")]
    [TestCase("password=falsehood&x=1", "falsehood")]
    public void Credentials_that_look_like_words_or_params_are_still_redacted(string input, string secret)
    {
        var output = Redactor.Redact(input);
        output.Should().NotContain(secret);
        output.Should().Contain("redacted");
    }

    // Found in the reports: the evidence of WWW-Authenticate checks and the advertised-grant probe was garbled.
    [TestCase("WWW-Authenticate: Bearer realm=\"http://127.0.0.1:33729\", error=\"invalid_token\"")]
    [TestCase("WWW-Authenticate: Bearer error=invalid_token, DPoP algs=\"ES256 RS256\"")]
    [TestCase("Failed HTTP Basic authentication is answered 401")]
    [TestCase("features.password=false in the provider's configuration")]
    public void Challenges_prose_and_booleans_are_left_alone(string text) => Redactor.Redact(text).Should().Be(text);

    [Test]
    public void Harmless_text_is_left_alone()
    {
        const string text = "GET http://op.test/.well-known/openid-configuration → 200 (application/json), state=abc";
        Redactor.Redact(text).Should().Be(text);
    }
}
