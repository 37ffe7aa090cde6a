using System.Text;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Flows;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Casdoor;

/// <summary>
/// The Casdoor flows moved out of the CasdoorTests fixture (issue #16): the introspection request they send and the
/// redaction policy of get-account, on Casdoor's profile and the recorded 3.158.0 run (Casdoor cannot run here).
/// </summary>
public sealed class CasdoorFlowsTests
{
    private static ClientProfile Confidential =>
        ProfileLoader.Load(Path.Combine(Run.RunSettings.FindRepositoryRoot(AppContext.BaseDirectory), "fixtures/providers/casdoor/profile.json")).Confidential;

    [Test]
    public async Task Introspection_with_basic_sends_the_client_only_in_the_header()
    {
        var client = Confidential;
        var request = CasdoorFlows.BasicIntrospectionRequest("http://localhost:8000/api/login/oauth/introspect", client, "the-token", "refresh_token");
        request.Method.Should().Be(HttpMethod.Post);
        request.RequestUri!.ToString().Should().Be("http://localhost:8000/api/login/oauth/introspect");
        // Casdoor reads Basic only when the form has neither client_id nor client_secret (A-53).
        (await request.Content!.ReadAsStringAsync()).Should().Be("token=the-token&token_type_hint=refresh_token");
        request.Content.Headers.ContentType!.MediaType.Should().Be("application/x-www-form-urlencoded");
        request.Headers.Authorization!.Scheme.Should().Be("Basic");
        // RFC 6749 §2.3.1: id and secret form-urlencoded, then Base64.
        Encoding.UTF8.GetString(Convert.FromBase64String(request.Headers.Authorization.Parameter!))
            .Should().Be($"{Uri.EscapeDataString(client.ClientId)}:{Uri.EscapeDataString(client.ClientSecret ?? "")}");
    }

    [Test]
    public void The_recorded_get_account_record_prints_no_token_or_salt()
    {
        var exchange = CasdoorRecording.Exchange("casdoor get-account");
        var data = JsonBody.From(exchange).Get("data")!.Value;
        var accessToken = data.GetProperty("accessToken").GetString()!;
        var salt = data.GetProperty("passwordSalt").GetString()!;
        accessToken.Should().StartWith("eyJ", "the recorded record carries the live access token (A-44)");

        AccountRecordSecrets.Register(data);

        var printed = Redactor.Redact(exchange.ResponseBody);
        printed.Should().NotContain(accessToken).And.NotContain(salt);
        printed.Should().Contain("\"name\": \"alice\"", "only the secrets are hidden");
    }
}
