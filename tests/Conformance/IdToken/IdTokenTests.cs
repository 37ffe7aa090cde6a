using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Suites.IdToken;

/// <summary>The ID token of the reference code flow, validated as a relying party must (OIDC Core 1.0 §3.1.3.7).</summary>
[TestFixture, Category("IdToken"), Parallelizable(ParallelScope.Self)]
public sealed class IdTokenTests : ConformanceTest
{
    private static async Task<(DecodedJwt Jwt, IdTokenExpectations Expect)> Token(ConformanceRun r)
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        var raw = flow.RequireSuccessfulToken().IdToken ?? throw new PrerequisiteException("the token response has no id_token (see token.id-token-issued)");
        var expect = new IdTokenExpectations(r.Issuer, flow.Client.ClientId, flow.Request.Nonce, flow.IdTokenReceivedAt)
        {
            ExpectedSubject = flow.User.Subject,
        };
        return (DecodedJwt.Decode(raw), expect);
    }

    [Test] public Task Is_a_jws() => Verify(IdTokenChecks.WellFormed, async r => IdTokenChecks.EvaluateWellFormed((await Token(r)).Jwt));
    [Test] public Task Signature_verifies_with_jwks() => Verify(IdTokenChecks.Signature, async r => IdTokenChecks.EvaluateSignature((await Token(r)).Jwt, await r.JwksAsync()));
    [Test] public Task Alg_is_advertised() => Verify(IdTokenChecks.AlgAdvertised, async r => IdTokenChecks.EvaluateAlgAdvertised((await Token(r)).Jwt, await r.DiscoveryAsync()));
    [Test] public Task Iss_is_the_issuer() => Verify(IdTokenChecks.Issuer, async r => { var (j, e) = await Token(r); return IdTokenChecks.EvaluateIssuer(j, e); });
    [Test] public Task Aud_contains_client() => Verify(IdTokenChecks.Audience, async r => { var (j, e) = await Token(r); return IdTokenChecks.EvaluateAudience(j, e); });
    [Test] public Task Azp_is_the_client() => Verify(IdTokenChecks.Azp, async r => { var (j, e) = await Token(r); return IdTokenChecks.EvaluateAzp(j, e); });
    [Test] public Task Azp_with_multiple_audiences() => Verify(IdTokenChecks.AzpMultipleAudiences, async r => IdTokenChecks.EvaluateAzpMultipleAudiences((await Token(r)).Jwt));
    [Test] public Task Exp_is_in_the_future() => Verify(IdTokenChecks.Expiry, async r => { var (j, e) = await Token(r); return IdTokenChecks.EvaluateExpiry(j, e); });
    [Test] public Task Iat_is_not_in_the_future() => Verify(IdTokenChecks.IssuedAt, async r => { var (j, e) = await Token(r); return IdTokenChecks.EvaluateIssuedAt(j, e); });
    [Test] public Task Sub_is_valid() => Verify(IdTokenChecks.Subject, async r => { var (j, e) = await Token(r); return IdTokenChecks.EvaluateSubject(j, e); });
    [Test] public Task Nonce_is_echoed() => Verify(IdTokenChecks.Nonce, async r => { var (j, e) = await Token(r); return IdTokenChecks.EvaluateNonce(j, e); });
    [Test] public Task Standard_claims_have_their_types() => Verify(TokenContentChecks.IdTokenStandardTypes, async r =>
        TokenContentChecks.EvaluateIdTokenStandardTypes((await Token(r)).Jwt));

    [Test] public Task No_credential_material() => Verify(TokenContentChecks.IdTokenNoCredentials, async r =>
    {
        var (jwt, _) = await Token(r);
        return TokenContentChecks.EvaluateIdTokenNoCredentials(jwt, (await CodeFlow.ReferenceAsync(r)).User.Password);
    });

    /// <summary>The reference flow's access token: a JWT access token is readable by the client (RFC 9068 §6).</summary>
    [Test] public Task Access_token_carries_no_credential_material() => Verify(TokenContentChecks.AccessTokenNoCredentials, async r =>
    {
        var flow = await CodeFlow.ReferenceAsync(r);
        var token = flow.RequireSuccessfulToken();
        return TokenContentChecks.EvaluateAccessTokenNoCredentials(token.AccessToken, flow.User.Password);
    });

    [Test] public Task Microsoft_identitymodel_accepts_it() => Verify(IdTokenChecks.LibraryValidation, async r =>
    {
        var (j, e) = await Token(r);
        return IdTokenChecks.EvaluateLibraryValidation(j, await r.JwksAsync(), e);
    });
}
