using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Checks;

/// <summary>authz.code-response-in-query passes only on a code that arrived in the query (issue #11, vacuous passes).</summary>
public sealed class CodeInQueryTests
{
    private static AuthorizationRequest Request() => new AuthorizationRequest { Endpoint = "http://op.test/auth" }.Set("response_type", "code").Set("state", "s");

    private static AuthorizationResponse Response(ResponseLocation where, params (string, string)[] parameters) =>
        new(where, parameters.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList(), new Uri("http://rp.test/callback"));

    [Test]
    public void An_error_in_the_query_is_no_code_in_the_query()
    {
        var result = AuthorizationResponseChecks.EvaluateCodeInQuery(Request(), Response(ResponseLocation.Query, ("error", "access_denied"), ("state", "s")));
        result.Verdict.Should().Be(Verdict.Inconclusive);
        result.Reason.Should().Contain("access_denied");
    }

    [Test]
    public void A_redirect_without_parameters_is_no_code_in_the_query() =>
        AuthorizationResponseChecks.EvaluateCodeInQuery(Request(), Response(ResponseLocation.Query, ("state", "s"))).Verdict.Should().Be(Verdict.Inconclusive);

    [Test]
    public void A_code_in_the_query_passes_and_says_so()
    {
        var result = AuthorizationResponseChecks.EvaluateCodeInQuery(Request(), Response(ResponseLocation.Query, ("code", "c"), ("state", "s")));
        result.Verdict.Should().Be(Verdict.Passed);
        result.Reason.Should().Contain("code arrived in the query");
    }

    [Test]
    public void A_code_in_the_fragment_fails() =>
        AuthorizationResponseChecks.EvaluateCodeInQuery(Request(), Response(ResponseLocation.Fragment, ("code", "c"))).Verdict.Should().Be(Verdict.Failed);
}
