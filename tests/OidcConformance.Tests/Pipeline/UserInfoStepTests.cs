using System.Net.Http.Headers;
using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using static OidcConformance.Tests.Pipeline.RequestPipelineTests;

namespace OidcConformance.Tests.Pipeline;

/// <summary>
/// The UserInfo requests built by <see cref="UserInfoPipeline"/> are the ones built before it (ConformanceRun.UserInfoGetAsync and
/// UserInfoVariantFlow up to commit c67108b: ProtocolHttpClient.GetAsync / PostFormAsync with a Bearer header), and each negative
/// names the step it changes.
/// </summary>
[TestFixture]
public sealed class UserInfoStepTests
{
    private const string Endpoint = "http://127.0.0.1:4000/me";
    private const string Token = "at-Ab3_x.y~z";

    // The constructions before the pipeline, verbatim but for the helpers' inlining.
    private static HttpRequestMessage OldGet(string token) =>
        new(HttpMethod.Get, Endpoint) { Headers = { Authorization = new AuthenticationHeaderValue("Bearer", token) } };

    private static HttpRequestMessage OldPost(IEnumerable<KeyValuePair<string, string>> form, AuthenticationHeaderValue? auth) =>
        new(HttpMethod.Post, Endpoint) { Content = new FormUrlEncodedContent(form), Headers = { Authorization = auth } };

    [Test]
    public void Get_post_with_header_and_post_with_body_are_the_requests_of_before()
    {
        Wire(UserInfoPipeline.Get(Token).Build(Endpoint)).Should().Be(Wire(OldGet(Token)));
        Wire(UserInfoPipeline.Post(Token, BearerLocation.Header).Build(Endpoint))
            .Should().Be(Wire(OldPost([], new AuthenticationHeaderValue("Bearer", Token))));
        Wire(UserInfoPipeline.Post(Token, BearerLocation.FormBody).Build(Endpoint))
            .Should().Be(Wire(OldPost([new("access_token", Token)], null)));
        UserInfoPipeline.Get(Token).MutatedStep.Should().BeNull("the normal request changes nothing");
    }

    [Test]
    public void No_token_leaves_out_only_the_access_token()
    {
        var changed = UserInfoVariantFlow.NoToken();
        Wire(changed.Build(Endpoint)).Should().Be(Wire(new HttpRequestMessage(HttpMethod.Get, Endpoint)));
        changed.MutatedStep.Should().Be("userinfo request / access token: left out");
    }

    [TestCase("random-string", "a random string")]
    [TestCase("modified-valid-token", "the valid token with one character changed")]
    public void An_invalid_token_replaces_only_the_access_token(string @case, string label)
    {
        var invalid = UserInfoVariantFlow.InvalidToken(@case, Token);
        var changed = UserInfoVariantFlow.WithInvalidToken(Token, invalid, @case);
        Wire(changed.Build(Endpoint)).Should().Be(Wire(OldGet(invalid)));
        changed.MutatedStep.Should().Be($"userinfo request / access token: {label}");
    }

    [Test]
    public void The_id_token_as_bearer_token_replaces_only_the_access_token()
    {
        var changed = UserInfoVariantFlow.WithIdToken(Token, "eyJh.eyJz.sig");
        Wire(changed.Build(Endpoint)).Should().Be(Wire(OldGet("eyJh.eyJz.sig")));
        changed.MutatedStep.Should().Be("userinfo request / access token: the ID token instead of the access token");
    }
}
