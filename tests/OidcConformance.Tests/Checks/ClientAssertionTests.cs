using System.Text.Json;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Tokens;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Checks;

/// <summary>The two forms of a normal client assertion (RFC 7523 / OIDC Core §9 and draft-ietf-oauth-rfc7523bis), and how a verdict names them.</summary>
public sealed class ClientAssertionTests
{
    private static (JsonElement Header, JsonElement Payload) Decode(string jws)
    {
        var parts = jws.Split('.');
        JsonElement Part(string s) => JsonDocument.Parse(Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Decode(s)).RootElement.Clone();
        return (Part(parts[0]), Part(parts[1]));
    }

    [Test]
    public void Rfc7523_form_is_typ_jwt_with_the_token_endpoint_as_audience()
    {
        var (header, payload) = Decode(new ClientAssertionOptions { Audience = "https://op.test/token" }.Create("client-1", ClientSigningKey.NewRsa(), "https://op.test/token"));
        header.GetProperty("typ").GetString().Should().Be("JWT");
        payload.GetProperty("aud").GetString().Should().Be("https://op.test/token");
        payload.GetProperty("iss").GetString().Should().Be("client-1");
    }

    [Test]
    public void Rfc7523bis_form_is_explicitly_typed_with_the_issuer_as_audience()
    {
        var form = AssertionForm.Rfc7523bis;
        var options = new ClientAssertionOptions { Audience = "https://op.test", Type = form.Type };
        var (header, payload) = Decode(options.Create("client-1", ClientSigningKey.NewRsa(), "https://op.test/token"));
        header.GetProperty("typ").GetString().Should().Be("client-authentication+jwt");
        payload.GetProperty("aud").GetString().Should().Be("https://op.test");
        form.AudienceIsIssuer.Should().BeTrue();
    }

    [Test]
    public void A_pass_in_the_rfc7523bis_form_names_the_form_and_the_refused_rfc7523_form()
    {
        var accepted = Make.Token("{\"access_token\":\"at-1\",\"token_type\":\"Bearer\",\"expires_in\":300}");
        var refused = Make.Token("{\"error\":\"invalid_client\",\"error_description\":\"The specified token is not of the expected type.\"}", 401);
        var result = ClientAuthJwtChecks.EvaluateMethodWorks("private_key_jwt", accepted, AssertionForm.Rfc7523bis.Name, refused);
        result.Verdict.Should().Be(Verdict.Passed);
        result.Reason.Should().Contain("rfc7523bis").And.Contain("RFC 7523 / OIDC Core form was refused").And.Contain("invalid_client");
    }

    [Test]
    public void Both_forms_refused_is_a_failure_that_says_both_were_tried()
    {
        var refused = Make.Token("{\"error\":\"invalid_client\"}", 401);
        var result = ClientAuthJwtChecks.EvaluateMethodWorks("private_key_jwt", refused, AssertionForm.Rfc7523.Name);
        result.Verdict.Should().Be(Verdict.Failed);
        result.Reason.Should().Contain("in the RFC 7523 / OIDC Core 1.0 §9 form and in the draft-ietf-oauth-rfc7523bis form");
    }
}
