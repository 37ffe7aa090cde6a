using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Suites.Implicit;

namespace OidcConformance.Suites.Hybrid;

/// <summary>
/// The hybrid flow (OIDC Core 1.0 §3.3): response_type code id_token, code token and code id_token token, in the
/// fragment and with form_post; nonce required where an ID token comes from the authorization endpoint; c_hash and
/// at_hash; the code exchange and the iss/sub of both ID tokens.
/// </summary>
[TestFixture, Category("Hybrid"), Parallelizable(ParallelScope.Self)]
public sealed class HybridFlowTests : FrontChannelTests<HybridFamily>
{
    [TestCaseSource(nameof(IdTokenTypes))]
    public Task C_hash_matches_the_code(string rt) => Verify(IdTokenHashChecks.CHash, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        var jwt = flow.RequireFrontIdToken();
        return IdTokenHashChecks.EvaluateCHash(jwt, flow.Response!.Code, required: true)
            .WithCase($"{rt} (authorization endpoint)").WithEvidence(new Evidence("ID token", jwt.DescribeForEvidence()));
    });

    /// <summary>OIDC Core §3.3.3.1–3: the code from the front channel is redeemed as in the code flow.</summary>
    [TestCaseSource(nameof(Types))]
    public Task Code_exchanges_at_the_token_endpoint(string rt) => Verify(TokenResponseChecks.Success, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        return TokenResponseChecks.EvaluateSuccess(flow.RequireToken()).WithCase(flow.Case);
    });

    [TestCaseSource(nameof(Types))]
    public Task Code_exchange_returns_an_id_token(string rt) => Verify(TokenResponseChecks.IdTokenIssued, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        return TokenResponseChecks.EvaluateIdTokenIssued(flow.RequireToken(), flow.Request.Get("scope") ?? "").WithCase(flow.Case);
    });

    /// <summary>OIDC Core §3.3.3.6 → §3.1.3.6: the token endpoint's ID token carries the request's nonce too.</summary>
    [TestCaseSource(nameof(Types))]
    public Task Token_endpoint_id_token_nonce(string rt) => Verify(IdTokenChecks.Nonce, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        var token = flow.RequireToken();
        if (token.IdToken is null) throw new OidcConformance.Run.PrerequisiteException($"the code exchange returned no id_token ({token.Describe()})");
        return IdTokenChecks.EvaluateNonce(flow.BackIdToken, flow.Expectations(r.Issuer)).WithCase($"{rt} (token endpoint)");
    });

    [TestCaseSource(nameof(IdTokenTypes))]
    public Task Both_id_tokens_have_the_same_iss_and_sub(string rt) => Verify(ImplicitHybridChecks.IssSubIdentical, async r =>
    {
        var flow = await FrontChannelFlow.SharedAsync(r, rt);
        var front = flow.RequireFrontIdToken();
        var token = flow.RequireToken();
        if (token.IdToken is null) throw new OidcConformance.Run.PrerequisiteException($"the code exchange returned no id_token ({token.Describe()})");
        return ImplicitHybridChecks.EvaluateIssSubIdentical(front, flow.BackIdToken).WithCase(flow.Case);
    });

}

/// <summary>The hybrid response types (<see cref="ResponseTypes.Hybrid"/>).</summary>
public sealed class HybridFamily : IFrontChannelFamily
{
    public static IReadOnlyList<string> Family => [.. ResponseTypes.Hybrid];
}
