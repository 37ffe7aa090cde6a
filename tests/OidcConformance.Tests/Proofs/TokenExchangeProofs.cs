using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// OAuth 2.0 Token Exchange (RFC 8693). The conformant answers are shaped as OpenIddict 7.9 gave them on the suite's run
/// (fixtures/providers/openiddict): the exchange 200 {access_token, token_type Bearer, issued_token_type access_token,
/// expires_in}, and the refusals 400 with invalid_grant / invalid_request / unauthorized_client / invalid_target.
/// </summary>
public sealed class TokenExchangeProofs : IFailureProofs, IPassProofs
{
    private const string AccessType = TokenExchangeChecks.AccessTokenType;

    private static TokenResponse Issued(string? tokenType = "Bearer", string? issuedType = AccessType, string accessToken = "\"eyJ.abc.def\"")
    {
        var members = new List<string> { $"\"access_token\":{accessToken}", "\"expires_in\":299" };
        if (tokenType is not null) members.Add($"\"token_type\":\"{tokenType}\"");
        if (issuedType is not null) members.Add($"\"issued_token_type\":\"{issuedType}\"");
        return Make.Token("{" + string.Join(",", members) + "}");
    }

    private static TokenResponse Error(string code, int status = 400) =>
        Make.Token($"{{\"error\":\"{code}\",\"error_description\":\"test\"}}", status);

    private static TokenExchangeControl Worked => new("conf-client", Issued());
    private static TokenExchangeControl Refused => new("conf-client", Error("unauthorized_client"));

    private static DiscoveryDocument Discovery(string grants) =>
        Make.Discovery($"{{\"issuer\":\"http://op.test\",\"token_endpoint\":\"http://op.test/token\"{grants}}}");

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(TokenExchangeChecks.AccessTokenExchanged, "refused with 400", () =>
            TokenExchangeChecks.EvaluateAccessTokenExchanged(Error("invalid_request")), "was not answered with a token");
        yield return new(TokenExchangeChecks.AccessTokenExchanged, "HTML 500", () =>
            TokenExchangeChecks.EvaluateAccessTokenExchanged(Make.Token("<html>oops</html>", 500)), "was not answered with a token");

        yield return new(TokenExchangeChecks.IssuedTokenType, "issued_token_type missing", () =>
            TokenExchangeChecks.EvaluateIssuedTokenType(Issued(issuedType: null), AccessType), "no issued_token_type");
        yield return new(TokenExchangeChecks.IssuedTokenType, "issued_token_type not a URI", () =>
            TokenExchangeChecks.EvaluateIssuedTokenType(Issued(issuedType: "access_token"), AccessType), "is not a URI");

        yield return new(TokenExchangeChecks.TokenType, "token_type missing", () =>
            TokenExchangeChecks.EvaluateTokenType(Issued(tokenType: null)), "no token_type");
        yield return new(TokenExchangeChecks.TokenType, "N_A for an access token", () =>
            TokenExchangeChecks.EvaluateTokenType(Issued(tokenType: "N_A")), "token_type is N_A");

        yield return new(TokenExchangeChecks.BadSubjectToken, "garbage accepted", () =>
            TokenExchangeChecks.EvaluateBadSubjectToken(Worked, Issued()), "issued a token");
        yield return new(TokenExchangeChecks.BadSubjectToken, "garbage refused with server_error 500", () =>
            TokenExchangeChecks.EvaluateBadSubjectToken(Worked, Error("server_error", 500)), "error 'server_error'");

        yield return new(TokenExchangeChecks.UnknownSubjectTokenType, "unknown type accepted", () =>
            TokenExchangeChecks.EvaluateUnknownSubjectTokenType(Worked, Issued()), "issued a token");
        yield return new(TokenExchangeChecks.UnknownSubjectTokenType, "refused with invalid_grant", () =>
            TokenExchangeChecks.EvaluateUnknownSubjectTokenType(Worked, Error("invalid_grant")), "expected invalid_request");

        yield return new(TokenExchangeChecks.MissingSubjectToken, "missing token accepted", () =>
            TokenExchangeChecks.EvaluateMissingSubjectToken(Worked, Issued()), "issued a token");
        yield return new(TokenExchangeChecks.MissingSubjectToken, "refused without an error code", () =>
            TokenExchangeChecks.EvaluateMissingSubjectToken(Worked, Make.Token("", 400)), "no error code");

        yield return new(TokenExchangeChecks.ClientNotAllowed, "another client may exchange", () =>
            TokenExchangeChecks.EvaluateClientNotAllowed(Worked, Issued(), "conf-client-2"), "issued a token");
        yield return new(TokenExchangeChecks.ClientNotAllowed, "refused with invalid_request", () =>
            TokenExchangeChecks.EvaluateClientNotAllowed(Worked, Error("invalid_request"), "conf-client-2"), "expected unauthorized_client");
        yield return new(TokenExchangeChecks.ClientNotAllowed, "invalid_client with 403", () =>
            TokenExchangeChecks.EvaluateClientNotAllowed(Worked, Error("unauthorized_client", 403), "conf-client-2"), "HTTP 403");

        yield return new(TokenExchangeChecks.InvalidTarget, "refused with invalid_request", () =>
            TokenExchangeChecks.EvaluateInvalidTarget(Worked, Error("invalid_request"), TokenExchangeFlow.UnknownAudience, null), "expected invalid_target");
        yield return new(TokenExchangeChecks.InvalidTarget, "issued, audience dropped", () =>
            TokenExchangeChecks.EvaluateInvalidTarget(Worked, Issued(), TokenExchangeFlow.UnknownAudience, ["http://op.test/api"]), "silently dropped");

        yield return new(TokenExchangeChecks.DiscoveryAdvertised, "not listed", () =>
            TokenExchangeChecks.EvaluateDiscoveryAdvertised(Worked, Discovery(",\"grant_types_supported\":[\"authorization_code\",\"refresh_token\"]")), "does not list");
        yield return new(TokenExchangeChecks.DiscoveryAdvertised, "no grant_types_supported", () =>
            TokenExchangeChecks.EvaluateDiscoveryAdvertised(Worked, Discovery("")), "no grant_types_supported");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(TokenExchangeChecks.AccessTokenExchanged, "OpenIddict's exchange", () => TokenExchangeChecks.EvaluateAccessTokenExchanged(Issued()));
        yield return new(TokenExchangeChecks.IssuedTokenType, "OpenIddict's issued_token_type", () => TokenExchangeChecks.EvaluateIssuedTokenType(Issued(), AccessType));
        yield return new(TokenExchangeChecks.TokenType, "Bearer", () => TokenExchangeChecks.EvaluateTokenType(Issued()));
        yield return new(TokenExchangeChecks.BadSubjectToken, "invalid_grant (OpenIddict)", () => TokenExchangeChecks.EvaluateBadSubjectToken(Worked, Error("invalid_grant")));
        yield return new(TokenExchangeChecks.BadSubjectToken, "invalid_request (RFC 8693 §2.2.2)", () => TokenExchangeChecks.EvaluateBadSubjectToken(Worked, Error("invalid_request")));
        yield return new(TokenExchangeChecks.UnknownSubjectTokenType, "invalid_request", () => TokenExchangeChecks.EvaluateUnknownSubjectTokenType(Worked, Error("invalid_request")));
        yield return new(TokenExchangeChecks.MissingSubjectToken, "invalid_request", () => TokenExchangeChecks.EvaluateMissingSubjectToken(Worked, Error("invalid_request")));
        yield return new(TokenExchangeChecks.ClientNotAllowed, "unauthorized_client", () => TokenExchangeChecks.EvaluateClientNotAllowed(Worked, Error("unauthorized_client"), "conf-client-2"));
        yield return new(TokenExchangeChecks.InvalidTarget, "invalid_target", () => TokenExchangeChecks.EvaluateInvalidTarget(Worked, Error("invalid_target"), TokenExchangeFlow.UnknownAudience, null));
        yield return new(TokenExchangeChecks.InvalidTarget, "honoured", () => TokenExchangeChecks.EvaluateInvalidTarget(Worked, Issued(), TokenExchangeFlow.UnknownAudience, [TokenExchangeFlow.UnknownAudience]));
        yield return new(TokenExchangeChecks.DiscoveryAdvertised, "listed", () => TokenExchangeChecks.EvaluateDiscoveryAdvertised(Worked,
            Discovery($",\"grant_types_supported\":[\"authorization_code\",\"{TokenExchangeChecks.GrantType}\"]")));
    }
}

/// <summary>A refusal counts only against a control that worked: with a failed control the negative cases are Inconclusive.</summary>
[NUnit.Framework.TestFixture]
public sealed class TokenExchangeControlTests
{
    private static TokenResponse Error(string code) => Make.Token($"{{\"error\":\"{code}\"}}", 400);

    [NUnit.Framework.Test]
    public void A_failed_control_makes_every_negative_case_inconclusive()
    {
        var control = new TokenExchangeControl("conf-client", Error("unauthorized_client"));
        var results = new[]
        {
            TokenExchangeChecks.EvaluateBadSubjectToken(control, Error("invalid_request")),
            TokenExchangeChecks.EvaluateUnknownSubjectTokenType(control, Error("invalid_request")),
            TokenExchangeChecks.EvaluateMissingSubjectToken(control, Error("invalid_request")),
            TokenExchangeChecks.EvaluateClientNotAllowed(control, Error("unauthorized_client"), "other"),
            TokenExchangeChecks.EvaluateInvalidTarget(control, Error("invalid_target"), "urn:x", null),
            TokenExchangeChecks.EvaluateDiscoveryAdvertised(control, Make.Discovery("{\"issuer\":\"http://op.test\"}")),
        };
        FluentAssertions.AssertionExtensions.Should(results.Select(r => r.Verdict)).AllBeEquivalentTo(Verdict.Inconclusive);
        FluentAssertions.AssertionExtensions.Should(results[0].Reason).Contain("did not succeed");
    }
}
