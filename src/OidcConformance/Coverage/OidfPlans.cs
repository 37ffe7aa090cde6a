namespace OidcConformance.Coverage;

/// <summary>An OpenID Foundation certification test plan: its name in the conformance suite and its test modules, in plan order.</summary>
/// <param name="Variant">what the plan varies for its modules (response type, response mode), as the plan's class states it.</param>
/// <param name="Source">the conformance-suite file the module list was read from.</param>
public sealed record OidfPlan(string Name, string Title, string Variant, IReadOnlyList<string> Modules, string Source);

/// <summary>
/// The OP certification plans of the OpenID Foundation conformance suite (openid-certification/conformance-suite) that
/// docs/coverage.md maps the catalog onto. Facts only, read from the suite's source: each plan class
/// (src/main/java/net/openid/conformance/openid/OIDCC*TestPlan.java, method testModulesWithVariants) lists module
/// classes, and each module class names its module in @PublishTestModule(testName = "..."). Modules that a plan runs
/// more than once (per response type, or once with client_secret_post) are listed once.
/// </summary>
public static class OidfPlans
{
    private const string Dir = "openid-certification/conformance-suite src/main/java/net/openid/conformance/openid/";

    /// <summary>OIDCCBasicTestPlan: the code flow, in the order of the plan (its comments map them to the older python suite's OP-* tests).</summary>
    private static readonly string[] BasicModules =
    [
        "oidcc-server", "oidcc-response-type-missing", "oidcc-idtoken-signature", "oidcc-idtoken-unsigned",
        "oidcc-userinfo-get", "oidcc-userinfo-post-header", "oidcc-userinfo-post-body",
        "oidcc-ensure-request-without-nonce-succeeds-for-code-flow",
        "oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all",
        "oidcc-ensure-other-scope-order-succeeds", "oidcc-display-page", "oidcc-display-popup", "oidcc-prompt-login",
        "oidcc-prompt-none-not-logged-in", "oidcc-prompt-none-logged-in", "oidcc-max-age-1", "oidcc-max-age-10000",
        "oidcc-ensure-request-with-unknown-parameter-succeeds", "oidcc-id-token-hint", "oidcc-login-hint",
        "oidcc-ui-locales", "oidcc-claims-locales", "oidcc-ensure-request-with-acr-values-succeeds",
        "oidcc-codereuse", "oidcc-codereuse-30seconds", "oidcc-ensure-registered-redirect-uri",
        "oidcc-ensure-post-request-succeeds", "oidcc-server-client-secret-post",
        "oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported",
        "oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
        "oidcc-claims-essential", "oidcc-ensure-request-object-with-redirect-uri", "oidcc-refresh-token",
        "oidcc-ensure-request-with-valid-pkce-succeeds",
    ];

    public static readonly IReadOnlyList<OidfPlan> All =
    [
        new("oidcc-basic-certification-test-plan", "Basic OP", "response_type code; response_mode default",
            BasicModules, Dir + "OIDCCBasicTestPlan.java"),
        new("oidcc-implicit-certification-test-plan", "Implicit OP", "response_type id_token and id_token token; the UserInfo modules and response-type-missing with id_token token only",
        [
            "oidcc-server", "oidcc-idtoken-signature", "oidcc-ensure-request-without-nonce-fails",
            "oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all",
            "oidcc-ensure-other-scope-order-succeeds", "oidcc-display-page", "oidcc-display-popup", "oidcc-prompt-login",
            "oidcc-prompt-none-not-logged-in", "oidcc-prompt-none-logged-in", "oidcc-max-age-1", "oidcc-max-age-10000",
            "oidcc-ensure-request-with-unknown-parameter-succeeds", "oidcc-id-token-hint", "oidcc-login-hint",
            "oidcc-ui-locales", "oidcc-claims-locales", "oidcc-ensure-request-with-acr-values-succeeds",
            "oidcc-ensure-registered-redirect-uri",
            "oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported",
            "oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
            "oidcc-ensure-request-object-with-redirect-uri", "oidcc-claims-essential",
            "oidcc-userinfo-get", "oidcc-userinfo-post-header", "oidcc-userinfo-post-body", "oidcc-response-type-missing",
        ], Dir + "OIDCCImplicitTestPlan.java"),
        new("oidcc-hybrid-certification-test-plan", "Hybrid OP", "response_type code id_token, code token and code id_token token (the nonce module per type: without-nonce-fails for the types returning an ID token, without-nonce-succeeds for code token)",
        [
            "oidcc-server", "oidcc-response-type-missing", "oidcc-idtoken-signature",
            "oidcc-userinfo-get", "oidcc-userinfo-post-header", "oidcc-userinfo-post-body",
            "oidcc-ensure-request-without-nonce-fails", "oidcc-ensure-request-without-nonce-succeeds-for-code-flow",
            "oidcc-scope-profile", "oidcc-scope-email", "oidcc-scope-address", "oidcc-scope-phone", "oidcc-scope-all",
            "oidcc-ensure-other-scope-order-succeeds", "oidcc-display-page", "oidcc-display-popup", "oidcc-prompt-login",
            "oidcc-prompt-none-not-logged-in", "oidcc-prompt-none-logged-in", "oidcc-max-age-1", "oidcc-max-age-10000",
            "oidcc-ensure-request-with-unknown-parameter-succeeds", "oidcc-id-token-hint", "oidcc-login-hint",
            "oidcc-ui-locales", "oidcc-claims-locales", "oidcc-ensure-request-with-acr-values-succeeds",
            "oidcc-codereuse", "oidcc-codereuse-30seconds", "oidcc-ensure-registered-redirect-uri",
            "oidcc-server-client-secret-post",
            "oidcc-request-uri-unsigned-supported-correctly-or-rejected-as-unsupported",
            "oidcc-unsigned-request-object-supported-correctly-or-rejected-as-unsupported",
            "oidcc-claims-essential", "oidcc-ensure-request-object-with-redirect-uri", "oidcc-refresh-token",
            "oidcc-ensure-request-with-valid-pkce-succeeds",
        ], Dir + "OIDCCHybridTestPlan.java"),
        new("oidcc-config-certification-test-plan", "Config OP", "server metadata from discovery",
            ["oidcc-discovery-endpoint-verification"], Dir + "OIDCCConfigTestPlan.java"),
        // OIDCCFormPostBasicTestPlan: the Basic plan's modules with response_mode form_post (AbstractFormPostTestPlan.changeResponseTypeToFormPost).
        new("oidcc-formpost-basic-certification-test-plan", "Form Post OP (basic)", "the Basic plan's modules with response_mode form_post",
            BasicModules, Dir + "OIDCCFormPostBasicTestPlan.java, AbstractFormPostTestPlan.java"),
        new("oidcc-rp-initiated-logout-certification-test-plan", "RP-Initiated Logout OP", "server metadata from discovery; client_secret_basic",
        [
            "oidcc-rp-initiated-logout-discovery-endpoint-verification", "oidcc-rp-initiated-logout",
            "oidcc-rp-initiated-logout-bad-post-logout-redirect-uri", "oidcc-rp-initiated-logout-modified-id-token-hint",
            "oidcc-rp-initiated-logout-no-id-token-hint", "oidcc-rp-initiated-logout-no-params",
            "oidcc-rp-initiated-logout-no-post-logout-redirect-uri", "oidcc-rp-initiated-logout-no-state",
            "oidcc-rp-initiated-logout-only-state",
        ], Dir + "OIDCCRpInitiatedLogoutTestPlan.java"),
    ];
}
