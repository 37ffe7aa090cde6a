using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using F = OidcConformance.Flows.TokenEndpointFlows;

namespace OidcConformance.Suites.TokenEndpoint;

/// <summary>
/// The client credentials grant (RFC 6749 §4.4) with the profile's client-credentials client and its preferred
/// authentication method; Inconclusive where the provider does not offer it (features.clientCredentials).
/// </summary>
[TestFixture, Category("TokenEndpoint"), Parallelizable(ParallelScope.Self)]
public sealed class ClientCredentialsTests : ConformanceTest
{
    private const string Case = "client_credentials";

    [Test] public Task Response_is_json() => Verify(TokenResponseChecks.Success, async r =>
        TokenResponseChecks.EvaluateSuccess(await F.ClientCredentialsAsync(r)).WithCase(Case));
    [Test] public Task Access_token_is_issued() => Verify(TokenResponseChecks.AccessToken, async r =>
        TokenResponseChecks.EvaluateAccessToken(await F.ClientCredentialsAsync(r)).WithCase(Case));
    [Test] public Task Token_type_is_bearer() => Verify(TokenResponseChecks.TokenTypeBearer, async r =>
        TokenResponseChecks.EvaluateTokenType(await F.ClientCredentialsAsync(r)).WithCase(Case));
    [Test] public Task Expires_in_is_present() => Verify(TokenResponseChecks.ExpiresInPresent, async r =>
        TokenResponseChecks.EvaluateExpiresInPresent(await F.ClientCredentialsAsync(r)).WithCase(Case));
    [Test] public Task Expires_in_is_numeric() => Verify(TokenResponseChecks.ExpiresInNumeric, async r =>
        TokenResponseChecks.EvaluateExpiresInNumeric(await F.ClientCredentialsAsync(r)).WithCase(Case));
    [Test] public Task Cache_control_no_store() => Verify(TokenResponseChecks.NoStore, async r =>
        TokenResponseChecks.EvaluateNoStore(await F.ClientCredentialsAsync(r)).WithCase(Case));

    [Test] public Task No_refresh_token() => Verify(ClientCredentialsChecks.NoRefreshToken, async r =>
        ClientCredentialsChecks.EvaluateNoRefreshToken(await F.ClientCredentialsAsync(r)));
    [Test] public Task No_id_token() => Verify(ClientCredentialsChecks.NoIdToken, async r =>
        ClientCredentialsChecks.EvaluateNoIdToken(await F.ClientCredentialsAsync(r)));

    [Test] public Task Granted_scope_is_stated() => Verify(ClientCredentialsChecks.ScopeReported, async r =>
    {
        var token = await F.ClientCredentialsAsync(r);
        var requested = F.RequireClientCredentialsClient(r).Scope;
        return ClientCredentialsChecks.EvaluateScopeReported(token, requested, await F.ClientCredentialsIntrospectedScopeAsync(r)).WithCase(Case);
    });
}
