using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;
using static OidcConformance.Checks.AdvertisedValueChecks;
using static OidcConformance.Flows.AdvertisedValueFlows;

namespace OidcConformance.Suites.Advertised;

/// <summary>
/// Advertised but not working (issue #19, blind spot 2): one check per discovery list, one case per value the suite knows
/// how to exercise (Inconclusive "not advertised" when the provider does not list it) and one case for the advertised values
/// it has no request for. Each case makes its own control request (shared per run) before judging a refusal.
/// A profile's features.* never skip a case: the contradiction is named in the reason.
/// </summary>
[TestFixture, Category("Advertised"), Parallelizable(ParallelScope.Self)]
public sealed class AdvertisedValueTests : ConformanceTest
{
    private static string Label(string value, string? mode) => mode is null ? value : $"{value}, {mode}";

    [TestCase("code", null)]
    [TestCase("token", null)]
    [TestCase("token", "form_post")]
    [TestCase("id_token", null)]
    [TestCase("id_token token", null)]
    [TestCase("code id_token", null)]
    [TestCase("code token", null)]
    [TestCase("code id_token token", null)]
    [TestCase("none", null)]
    public Task Advertised_response_type_works(string responseType, string? responseMode) => Verify(ResponseTypesWork, async r =>
        Evaluate(ResponseTypesWork, await ResponseTypeAsync(r, responseType, responseMode)).WithCase(Label(responseType, responseMode)));

    [TestCase("query")]
    [TestCase("fragment")]
    [TestCase("form_post")]
    public Task Advertised_response_mode_works(string mode) => Verify(ResponseModesWork, async r =>
        Evaluate(ResponseModesWork, await ResponseModeAsync(r, mode)).WithCase(mode));

    [TestCase("authorization_code")]
    [TestCase("implicit")]
    [TestCase("refresh_token")]
    [TestCase("password")]
    [TestCase("client_credentials")]
    [TestCase(DeviceCode)]
    [TestCase(TokenExchange)]
    [TestCase(JwtBearer)]
    [TestCase(Saml2Bearer)]
    [TestCase(Ciba)]
    public Task Advertised_grant_type_works(string grant) => Verify(GrantTypesWork, async r =>
        Evaluate(GrantTypesWork, await GrantTypeAsync(r, grant)).WithCase(grant));

    [TestCase("S256")]
    [TestCase("plain")]
    public Task Advertised_code_challenge_method_works(string method) => Verify(CodeChallengeMethodsWork, async r =>
        Evaluate(CodeChallengeMethodsWork, await CodeChallengeMethodAsync(r, method)).WithCase(method));

    [TestCase("client_secret_basic")]
    [TestCase("client_secret_post")]
    [TestCase("client_secret_jwt")]
    [TestCase("private_key_jwt")]
    [TestCase("none")]
    [TestCase("tls_client_auth")]
    [TestCase("self_signed_tls_client_auth")]
    public Task Advertised_token_auth_method_works(string method) => Verify(TokenAuthMethodsWork, async r =>
        Evaluate(TokenAuthMethodsWork, await TokenAuthMethodAsync(r, method)).WithCase(method));

    [TestCase("openid")]
    [TestCase("profile")]
    [TestCase("email")]
    [TestCase("address")]
    [TestCase("phone")]
    [TestCase("offline_access")]
    [TestCase(OtherValues)]
    public Task Advertised_scope_works(string scope) => Verify(ScopesWork, async r =>
    {
        var probe = await ScopeAsync(r, scope);
        // No scope beyond the standard ones is advertised: the list itself is the evidence that every value has its case.
        var result = scope == OtherValues && probe.Listed is not null && !probe.Advertised
            ? EvaluateOthers(ScopesWork, ScopesField, probe.Listed, KnownScopes)
            : Evaluate(ScopesWork, probe);
        return result.WithCase(scope);
    });

    /// <summary>Advertised values no case above exercises: Inconclusive "unknown value, not exercised", naming them.</summary>
    [TestCase(ResponseTypesField)]
    [TestCase(ResponseModesField)]
    [TestCase(GrantTypesField)]
    [TestCase(CodeChallengeMethodsField)]
    [TestCase(TokenAuthMethodsField)]
    public Task Advertised_values_without_a_case_are_named(string field) => Verify(CheckFor(field), async r =>
    {
        var listed = Listed(await r.DiscoveryAsync(), field);
        var result = field switch
        {
            ResponseTypesField => EvaluateOthers(ResponseTypesWork, field, listed, KnownResponseTypes, ResponseTypes.SameSet),
            ResponseModesField => EvaluateOthers(ResponseModesWork, field, listed, KnownResponseModes),
            GrantTypesField => EvaluateOthers(GrantTypesWork, field, listed, KnownGrantTypes),
            CodeChallengeMethodsField => EvaluateOthers(CodeChallengeMethodsWork, field, listed, KnownCodeChallengeMethods),
            _ => EvaluateOthers(TokenAuthMethodsWork, field, listed, KnownTokenAuthMethods),
        };
        return result.WithCase(OtherValues);
    });

    private static CheckDefinition CheckFor(string field) => field switch
    {
        ResponseTypesField => ResponseTypesWork,
        ResponseModesField => ResponseModesWork,
        GrantTypesField => GrantTypesWork,
        CodeChallengeMethodsField => CodeChallengeMethodsWork,
        _ => TokenAuthMethodsWork,
    };
}
