using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using static OidcConformance.Checks.AdvertisedValueChecks;
using static OidcConformance.Checks.AdvertisedValueJudgements;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// Advertised values (issue #19, blind spot 2): hand-made refusals and mishandled responses after a working control fail;
/// the recorded Casdoor 3.158.0 discovery document (its lists) and its recorded token responses (password, client
/// credentials, refresh, code exchange with client_secret_post: exchanges.json) pass.
/// </summary>
public sealed class AdvertisedValueProofs : IFailureProofs, IPassProofs
{
    private const string Callback = "http://127.0.0.1:5555/callback";

    /// <summary>An authorization attempt that ended at the callback with <paramref name="parameters"/> in <paramref name="location"/>.</summary>
    public static AuthorizationAttempt Redirect(string responseType, ResponseLocation location, params (string Key, string Value)[] parameters)
    {
        var request = new AuthorizationRequest { Endpoint = "http://op.test/auth" }
            .Set("response_type", responseType).Set("client_id", "c").Set("redirect_uri", Callback).Set("state", "st-1").Set("scope", "openid");
        var outcome = new AuthorizationOutcome(AuthorizationEnd.Redirected, "/callback")
        {
            Response = new AuthorizationResponse(location, parameters.Select(p => new KeyValuePair<string, string>(p.Key, p.Value)).ToList(), new Uri(Callback + "?x")),
        };
        return new AuthorizationAttempt(request, outcome, []);
    }

    /// <summary>An attempt that never reached a verdict-worthy end (a navigation error, a stall).</summary>
    public static AuthorizationAttempt Stalled(string responseType) =>
        new(new AuthorizationRequest { Endpoint = "http://op.test/auth" }.Set("response_type", responseType).Set("state", "st-1"),
            new AuthorizationOutcome(AuthorizationEnd.Stalled, "net::ERR_CONNECTION_RESET at http://op.test/auth"), []);

    private static TokenResponse GoodToken => Make.Token("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"expires_in\":300}");

    /// <summary>The control: a code flow whose code was redeemed.</summary>
    public static ProbeOutcome WorkingControl =>
        Authorization(Redirect("code", ResponseLocation.Query, ("code", "c1"), ("state", "st-1")) with { Token = GoodToken }, "code", null);

    public static AdvertisedProbe Probe(string field, string value, ProbeOutcome attempt, ProbeOutcome? control = null, IReadOnlyList<string>? listed = null) =>
        new(field, value)
        {
            Listed = listed ?? [value], Advertised = true, ControlLabel = "the control (code flow)", Control = control ?? WorkingControl, Attempt = attempt,
        };

    private static ProbeOutcome TokenRefused(string error) => Token(Make.Token($"{{\"error\":\"{error}\"}}", 400), "the request");

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(ResponseTypesWork, "response_type=token advertised, answered unsupported_response_type", () =>
            Evaluate(ResponseTypesWork, Probe("response_types_supported", "token",
                Authorization(Redirect("token", ResponseLocation.Fragment, ("error", "unsupported_response_type"), ("state", "st-1")), "token", null))),
            "refused: error 'unsupported_response_type'");
        yield return new(ResponseTypesWork, "plain response_type=token answered with an id_token and without token_type", () =>
            Evaluate(ResponseTypesWork, Probe("response_types_supported", "token",
                Authorization(Redirect("token", ResponseLocation.Fragment, ("access_token", "at"), ("id_token", "x.y.z"), ("state", "st-1")), "token", null))),
            "no token_type");
        yield return new(ResponseTypesWork, "response_type=token with response_mode=form_post answered in the fragment", () =>
            Evaluate(ResponseTypesWork, Probe("response_types_supported", "token",
                Authorization(Redirect("token", ResponseLocation.Fragment, ("access_token", "at"), ("token_type", "Bearer"), ("state", "st-1")), "token", "form_post"))),
            "not in the form_post body");
        yield return new(ResponseTypesWork, "hybrid 'code id_token' advertised, the provider shows an error page", () =>
            Evaluate(ResponseTypesWork, Probe("response_types_supported", "code id_token",
                Authorization(new AuthorizationAttempt(new AuthorizationRequest { Endpoint = "http://op.test/auth" },
                    new AuthorizationOutcome(AuthorizationEnd.ProviderError, "Error: response_type not supported"), []), "code id_token", null))),
            "error page");
        yield return new(ResponseModesWork, "response_mode=form_post advertised, the code arrives in the query", () =>
            Evaluate(ResponseModesWork, Probe("response_modes_supported", "form_post",
                Authorization(Redirect("code", ResponseLocation.Query, ("code", "c1"), ("state", "st-1")) with { Token = GoodToken }, "code", "form_post"))),
            "not in the form_post body");
        yield return new(GrantTypesWork, "password advertised, answered unsupported_grant_type", () =>
            Evaluate(GrantTypesWork, Probe("grant_types_supported", "password", TokenRefused("unsupported_grant_type"))), "unsupported_grant_type");
        yield return new(CodeChallengeMethodsWork, "plain advertised, the code is not redeemed with the plain verifier", () =>
            Evaluate(CodeChallengeMethodsWork, Probe("code_challenge_methods_supported", "plain",
                Authorization(Redirect("code", ResponseLocation.Query, ("code", "c1"), ("state", "st-1")) with { Token = Make.Token("{\"error\":\"invalid_grant\"}", 400) }, "code", null))),
            "not redeemed");
        yield return new(TokenAuthMethodsWork, "client_secret_post advertised and registered, answered invalid_client", () =>
            Evaluate(TokenAuthMethodsWork, Probe("token_endpoint_auth_methods_supported", "client_secret_post", TokenRefused("invalid_client"))), "invalid_client");
        yield return new(ScopesWork, "phone advertised, refused with invalid_scope", () =>
            Evaluate(ScopesWork, Probe("scopes_supported", "phone",
                Authorization(Redirect("code", ResponseLocation.Query, ("error", "invalid_scope"), ("state", "st-1")), "code", null))), "invalid_scope");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        var casdoor = CasdoorRecording.Discovery;
        IReadOnlyList<string>? Listed(string f) => Flows.AdvertisedValueFlows.Listed(casdoor, f);
        yield return new(GrantTypesWork, "Casdoor 3.158.0's recorded password grant response (password is in its grant_types_supported)", () =>
            Evaluate(GrantTypesWork, Probe("grant_types_supported", "password", Token(CasdoorRecording.Token("token-endpoint: password grant"), "the password grant"),
                listed: Listed("grant_types_supported"))));
        yield return new(GrantTypesWork, "Casdoor 3.158.0's recorded client_credentials response", () =>
            Evaluate(GrantTypesWork, Probe("grant_types_supported", "client_credentials", Token(CasdoorRecording.Token("token: client_credentials"), "the client_credentials grant"),
                listed: Listed("grant_types_supported"))));
        yield return new(GrantTypesWork, "Casdoor 3.158.0's recorded refresh at the token endpoint", () =>
            Evaluate(GrantTypesWork, Probe("grant_types_supported", "refresh_token", Token(CasdoorRecording.Token("token: refresh_token (token endpoint)"), "the refresh_token grant"),
                listed: Listed("grant_types_supported"))));
        yield return new(TokenAuthMethodsWork, "Casdoor 3.158.0's recorded code exchange with client_secret_post", () =>
            Evaluate(TokenAuthMethodsWork, Probe("token_endpoint_auth_methods_supported", "client_secret_post",
                Token(CasdoorRecording.Token("token: authorization_code (client_secret_post)"), "the code exchange with client_secret_post"))));
        yield return new(ResponseTypesWork, "plain token in the fragment with access_token, token_type, expires_in, state", () =>
            Evaluate(ResponseTypesWork, Probe("response_types_supported", "token",
                Authorization(Redirect("token", ResponseLocation.Fragment, ("access_token", "at"), ("token_type", "Bearer"), ("expires_in", "300"), ("state", "st-1")), "token", null))));
        yield return new(ResponseTypesWork, "token with form_post answered in the form_post body", () =>
            Evaluate(ResponseTypesWork, Probe("response_types_supported", "token",
                Authorization(Redirect("token", ResponseLocation.FormPost, ("access_token", "at"), ("token_type", "Bearer"), ("state", "st-1")), "token", "form_post"))));
        yield return new(ResponseTypesWork, "none: only state in the query", () =>
            Evaluate(ResponseTypesWork, Probe("response_types_supported", "none", Authorization(Redirect("none", ResponseLocation.Query, ("state", "st-1")), "none", null))));
        yield return new(ResponseModesWork, "fragment honoured", () =>
            Evaluate(ResponseModesWork, Probe("response_modes_supported", "fragment",
                Authorization(Redirect("code", ResponseLocation.Fragment, ("code", "c1"), ("state", "st-1")) with { Token = GoodToken }, "code", "fragment"))));
        yield return new(CodeChallengeMethodsWork, "S256 code redeemed", () =>
            Evaluate(CodeChallengeMethodsWork, Probe("code_challenge_methods_supported", "S256",
                Authorization(Redirect("code", ResponseLocation.Query, ("code", "c1"), ("state", "st-1")) with { Token = GoodToken }, "code", null))));
        yield return new(ScopesWork, "phone ignored (granted scope openid): RFC 6749 §3.3 allows it", () =>
            Evaluate(ScopesWork, Probe("scopes_supported", "phone",
                Authorization(Redirect("code", ResponseLocation.Query, ("code", "c1"), ("state", "st-1")) with { Token = Make.Token("{\"access_token\":\"at\",\"token_type\":\"Bearer\",\"scope\":\"openid\"}") }, "code", null))));
    }
}
