using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Checks;

/// <summary>
/// RFC 6749 §5.1 sets Cache-Control: no-store and Pragma: no-cache for "any response containing tokens, credentials, or
/// other sensitive information". Before, the checks judged any token endpoint answer, so an error response without the
/// headers (a refused code exchange) came out Failed although the spec sets no rule for it.
/// </summary>
public sealed class CachingHeaderScopeTests
{
    private const string Refused = """{"error":"invalid_grant","error_description":"grant request is invalid"}""";

    [Test]
    public void An_error_response_without_tokens_is_not_judged()
    {
        var refused = Make.Token(Refused, 400);
        TokenResponseChecks.EvaluateNoStore(refused).Verdict.Should().Be(Verdict.Inconclusive);
        TokenResponseChecks.EvaluatePragma(refused).Verdict.Should().Be(Verdict.Inconclusive);
        TokenResponseChecks.EvaluateNoStore(refused).Reason.Should().Contain("no token");
    }

    [Test]
    public void A_response_with_tokens_is_still_judged()
    {
        var issued = Make.Token("""{"access_token":"a","token_type":"Bearer","expires_in":300}""");
        TokenResponseChecks.EvaluateNoStore(issued).Verdict.Should().Be(Verdict.Failed);
        TokenResponseChecks.EvaluatePragma(issued).Verdict.Should().Be(Verdict.Warning);
    }
}
