using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Browser;
using OidcConformance.Callback;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tokens;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

/// <summary>Failure and pass proofs of the implicit/hybrid checks and of at_hash / c_hash.</summary>
public sealed class ImplicitHybridProofs : IFailureProofs, IPassProofs
{
    // OIDC Core Appendix A values; their hashes are verified in TokenHashTests.
    private const string AccessToken = "jHkWEdUXMU1BwAsC4vtUsZwnNvTIxEl0z9K3vx5KF0Y";
    private const string Code = "Qcb0Orv1zh30vL1MPRsbm-diHiMwcLyZvn1arpZv-Jxf_11jnpEX3Tgfvk";
    private const string AtHash = "77QmUPtjPfzWtF2AnpK9RQ";
    private const string CHash = "LDktKdoQak3Pk0cnXxCltA";
    private static readonly Uri Callback = new("http://127.0.0.1:5555/callback");

    private static DecodedJwt IdToken(Func<JsonObject, JsonObject>? claims = null, string alg = "RS256") =>
        DecodedJwt.Decode(Make.Jwt(Make.Header(alg: alg), (claims ?? (c => c))(Make.IdTokenClaims())));

    private static DecodedJwt Hybrid => IdToken(c => c.With("at_hash", AtHash).With("c_hash", CHash));

    private static List<KeyValuePair<string, string>> Pairs(params (string, string)[] p) => p.Select(x => new KeyValuePair<string, string>(x.Item1, x.Item2)).ToList();

    private static AuthorizationResponse Response(ResponseLocation where, (string, string)[] parameters, (string, string)[]? other = null) =>
        new(where, Pairs(parameters), Callback) { OtherParameters = Pairs(other ?? []) };

    private static AuthorizationOutcome Redirect(ResponseLocation where, (string, string)[] parameters, (string, string)[]? other = null) =>
        new(AuthorizationEnd.Redirected, "/callback") { Response = Response(where, parameters, other) };

    private static AuthorizationOutcome FormPostRedirect((string, string)[] form, (string, string)[]? query = null) =>
        new(AuthorizationEnd.Redirected, "/callback")
        {
            Response = Response(ResponseLocation.FormPost, form, query),
            Hit = new CallbackHit { Id = "h1", Method = "POST", Path = "/callback", Host = "127.0.0.1:5555", Query = Pairs(query ?? []), Form = Pairs(form) },
        };

    private static AuthorizationRequest Request(string responseType, string? mode = null, bool nonce = true)
    {
        var r = new AuthorizationRequest { Endpoint = "http://op.test/auth" };
        r.Set("response_type", responseType).Set("client_id", "client-1").Set("state", "s-1").Set("scope", "openid profile email");
        if (nonce) r.Set("nonce", "n-0S6_WzA2Mj");
        if (mode is not null) r.Set("response_mode", mode);
        return r;
    }

    private static readonly (string, string)[] CodeIdTokenToken =
        [("code", Code), ("id_token", "x.y.z"), ("access_token", AccessToken), ("token_type", "Bearer"), ("expires_in", "300"), ("state", "s-1")];

    private static IReadOnlyDictionary<string, JsonElement> Table(string json) =>
        JsonDocument.Parse(json).RootElement.EnumerateObject().ToDictionary(p => p.Name, p => p.Value.Clone());

    /// <summary>Test data: the user has an email address (the claim table read as "which attributes the user has").</summary>
    private static readonly IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> EmailTable =
        new Dictionary<string, IReadOnlyDictionary<string, JsonElement>> { ["email"] = Table("""{"email":"alice@example.com","email_verified":true}""") };

    public IEnumerable<FailureProof> Proofs()
    {
        // ---- at_hash / c_hash ----
        yield return new(IdTokenHashChecks.AtHash, "at_hash missing with id_token token", () =>
            IdTokenHashChecks.EvaluateAtHash(IdToken(), AccessToken, required: true), "missing");
        yield return new(IdTokenHashChecks.AtHash, "at_hash of another token", () =>
            IdTokenHashChecks.EvaluateAtHash(Hybrid, AccessToken + "x", required: true), "left half");
        yield return new(IdTokenHashChecks.AtHash, "optional at_hash present but wrong (code flow)", () =>
            IdTokenHashChecks.EvaluateAtHash(IdToken(c => c.With("at_hash", CHash)), AccessToken, required: false), "left half");
        yield return new(IdTokenHashChecks.AtHash, "full hash instead of the left half", () =>
            IdTokenHashChecks.EvaluateAtHash(IdToken(c => c.With("at_hash", Pkce.S256(AccessToken))), AccessToken, required: true), "left half");
        yield return new(IdTokenHashChecks.AtHash, "SHA-256 used with RS384", () =>
            IdTokenHashChecks.EvaluateAtHash(IdToken(c => c.With("at_hash", AtHash), alg: "RS384"), AccessToken, required: true), "RS384");
        yield return new(IdTokenHashChecks.AtHash, "at_hash as number", () =>
            IdTokenHashChecks.EvaluateAtHash(IdToken(c => c.With("at_hash", 42)), AccessToken, required: true), "not a string");
        yield return new(IdTokenHashChecks.CHash, "c_hash missing with code id_token", () =>
            IdTokenHashChecks.EvaluateCHash(IdToken(), Code, required: true), "missing");
        yield return new(IdTokenHashChecks.CHash, "c_hash of the access token", () =>
            IdTokenHashChecks.EvaluateCHash(IdToken(c => c.With("c_hash", AtHash)), Code, required: true), "left half");

        // ---- response parameters ----
        yield return new(ImplicitHybridChecks.ResponseParameters, "id_token token without access_token", () =>
            ImplicitHybridChecks.EvaluateResponseParameters("id_token token",
                Redirect(ResponseLocation.Fragment, [("id_token", "x.y.z"), ("state", "s-1")])), "access_token, token_type missing");
        yield return new(ImplicitHybridChecks.ResponseParameters, "code id_token without code", () =>
            ImplicitHybridChecks.EvaluateResponseParameters("code id_token",
                Redirect(ResponseLocation.Fragment, [("id_token", "x.y.z"), ("state", "s-1")])), "code missing");
        yield return new(ImplicitHybridChecks.ResponseParameters, "code put in the query of a fragment response", () =>
            ImplicitHybridChecks.EvaluateResponseParameters("code id_token",
                Redirect(ResponseLocation.Fragment, [("id_token", "x.y.z")], [("code", Code)])), "arrived elsewhere");
        yield return new(ImplicitHybridChecks.ResponseParameters, "error instead", () =>
            ImplicitHybridChecks.EvaluateResponseParameters("id_token",
                Redirect(ResponseLocation.Fragment, [("error", "unauthorized_client"), ("state", "s-1")])), "unauthorized_client");
        yield return new(ImplicitHybridChecks.ResponseParameters, "error page", () =>
            ImplicitHybridChecks.EvaluateResponseParameters("id_token", new AuthorizationOutcome(AuthorizationEnd.ProviderError, "unsupported_response_type")), "error page");

        // ---- encoding ----
        yield return new(ImplicitHybridChecks.FragmentEncoding, "implicit answer in the query", () =>
            ImplicitHybridChecks.EvaluateFragmentEncoding(Request("id_token token"), Response(ResponseLocation.Query, CodeIdTokenToken[1..])), "not in the fragment");
        yield return new(ImplicitHybridChecks.FragmentEncoding, "hybrid code leaked into the query", () =>
            ImplicitHybridChecks.EvaluateFragmentEncoding(Request("code id_token"),
                Response(ResponseLocation.Fragment, [("id_token", "x.y.z"), ("code", Code)], [("code", Code)])), "in the query");
        yield return new(ImplicitHybridChecks.FormPost, "form_post ignored: fragment", () =>
            ImplicitHybridChecks.EvaluateFormPost(Request("id_token", "form_post"), Redirect(ResponseLocation.Fragment, [("id_token", "x.y.z")])), "instead of an HTTP POST");
        yield return new(ImplicitHybridChecks.FormPost, "form_post plus fragment copy", () =>
            ImplicitHybridChecks.EvaluateFormPost(Request("code id_token", "form_post"),
                FormPostRedirect([("code", Code), ("id_token", "x.y.z")], [("code", Code)])), "query or fragment");
        yield return new(ImplicitHybridChecks.FormPost, "error page instead", () =>
            ImplicitHybridChecks.EvaluateFormPost(Request("id_token", "form_post"), new AuthorizationOutcome(AuthorizationEnd.ProviderError, "invalid_request")), "error page");

        // ---- nonce ----
        yield return new(ImplicitHybridChecks.NonceRequired, "id_token issued without nonce", () =>
            ImplicitHybridChecks.EvaluateNonceRequired(Request("id_token", nonce: false),
                Redirect(ResponseLocation.Fragment, [("id_token", "x.y.z"), ("state", "s-1")])), "succeeded");
        yield return new(ImplicitHybridChecks.NonceRequired, "redirect without error and without artifacts", () =>
            ImplicitHybridChecks.EvaluateNonceRequired(Request("code id_token", nonce: false),
                Redirect(ResponseLocation.Fragment, [("state", "s-1")])), "not rejected");

        // ---- access token in the front channel ----
        yield return new(ImplicitHybridChecks.TokenType, "token_type missing", () =>
            ImplicitHybridChecks.EvaluateTokenType(Response(ResponseLocation.Fragment, [("access_token", AccessToken), ("id_token", "x.y.z")])), "missing");
        yield return new(ImplicitHybridChecks.TokenType, "token_type mac", () =>
            ImplicitHybridChecks.EvaluateTokenType(Response(ResponseLocation.Fragment, [("access_token", AccessToken), ("token_type", "mac")])), "not Bearer");
        yield return new(ImplicitHybridChecks.ExpiresIn, "expires_in missing", () =>
            ImplicitHybridChecks.EvaluateExpiresIn(Response(ResponseLocation.Fragment, [("access_token", AccessToken), ("token_type", "Bearer")])), "missing");
        yield return new(ImplicitHybridChecks.ExpiresIn, "expires_in negative", () =>
            ImplicitHybridChecks.EvaluateExpiresIn(Response(ResponseLocation.Fragment, [("access_token", AccessToken), ("expires_in", "-5")])), "not a positive integer");
        yield return new(ImplicitHybridChecks.NoRefreshToken, "refresh_token in the fragment", () =>
            ImplicitHybridChecks.EvaluateNoRefreshToken(Response(ResponseLocation.Fragment, [.. CodeIdTokenToken, ("refresh_token", "rt-1")])), "carries a refresh_token");
        yield return new(ImplicitHybridChecks.IdTokenOnly, "id_token plus access token", () =>
            ImplicitHybridChecks.EvaluateIdTokenOnly(Response(ResponseLocation.Fragment, [("id_token", "x.y.z"), ("access_token", AccessToken), ("token_type", "Bearer")])),
            "access_token, token_type");

        // ---- ID token content ----
        yield return new(ImplicitHybridChecks.IdTokenScopeClaims, "email claims left out of the ID token", () =>
            ImplicitHybridChecks.EvaluateIdTokenScopeClaims(IdToken(), "email", EmailTable, granted: true), "email missing");
        yield return new(ImplicitHybridChecks.IdTokenScopeClaims, "email_verified as string", () =>
            ImplicitHybridChecks.EvaluateIdTokenScopeClaims(IdToken(c => c.With("email", "alice@example.com").With("email_verified", "true")), "email", EmailTable, granted: true),
            "email_verified is a JSON string");
        yield return new(ImplicitHybridChecks.IssSubIdentical, "other sub at the token endpoint", () =>
            ImplicitHybridChecks.EvaluateIssSubIdentical(IdToken(), IdToken(c => c.With("sub", "bob"))), "sub is");
        yield return new(ImplicitHybridChecks.IssSubIdentical, "issuer with trailing slash at the token endpoint", () =>
            ImplicitHybridChecks.EvaluateIssSubIdentical(IdToken(), IdToken(c => c.With("iss", "http://op.test/"))), "iss is");
        yield return new(ImplicitHybridChecks.SubStable, "sub reassigned at the next login", () =>
            ImplicitHybridChecks.EvaluateSubStable("alice", "4f1c2a"), "at another");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(IdTokenHashChecks.AtHash, "OIDC Core example at_hash", () => IdTokenHashChecks.EvaluateAtHash(Hybrid, AccessToken, required: true));
        yield return new(IdTokenHashChecks.CHash, "OIDC Core example c_hash", () => IdTokenHashChecks.EvaluateCHash(Hybrid, Code, required: true));
        yield return new(ImplicitHybridChecks.ResponseParameters, "code id_token token in the fragment", () =>
            ImplicitHybridChecks.EvaluateResponseParameters("code id_token token", Redirect(ResponseLocation.Fragment, CodeIdTokenToken)));
        yield return new(ImplicitHybridChecks.FragmentEncoding, "fragment", () =>
            ImplicitHybridChecks.EvaluateFragmentEncoding(Request("code id_token token"), Response(ResponseLocation.Fragment, CodeIdTokenToken)));
        yield return new(ImplicitHybridChecks.FormPost, "form_post", () =>
            ImplicitHybridChecks.EvaluateFormPost(Request("code id_token token", "form_post"), FormPostRedirect(CodeIdTokenToken)));
        yield return new(ImplicitHybridChecks.NonceRequired, "invalid_request", () =>
            ImplicitHybridChecks.EvaluateNonceRequired(Request("id_token", nonce: false),
                Redirect(ResponseLocation.Fragment, [("error", "invalid_request"), ("state", "s-1")])));
        yield return new(ImplicitHybridChecks.NonceRequired, "error page", () =>
            ImplicitHybridChecks.EvaluateNonceRequired(Request("id_token", nonce: false), new AuthorizationOutcome(AuthorizationEnd.ProviderError, "missing nonce")));
        yield return new(ImplicitHybridChecks.TokenType, "Bearer", () => ImplicitHybridChecks.EvaluateTokenType(Response(ResponseLocation.Fragment, CodeIdTokenToken)));
        yield return new(ImplicitHybridChecks.ExpiresIn, "300", () => ImplicitHybridChecks.EvaluateExpiresIn(Response(ResponseLocation.Fragment, CodeIdTokenToken)));
        yield return new(ImplicitHybridChecks.NoRefreshToken, "code id_token token", () =>
            ImplicitHybridChecks.EvaluateNoRefreshToken(Response(ResponseLocation.Fragment, CodeIdTokenToken)));
        yield return new(ImplicitHybridChecks.IdTokenOnly, "id_token and state", () =>
            ImplicitHybridChecks.EvaluateIdTokenOnly(Response(ResponseLocation.Fragment, [("id_token", "x.y.z"), ("state", "s-1")])));
        yield return new(ImplicitHybridChecks.IdTokenScopeClaims, "email claims in the ID token", () =>
            ImplicitHybridChecks.EvaluateIdTokenScopeClaims(IdToken(c => c.With("email", "alice@example.com").With("email_verified", true)), "email", EmailTable, granted: true));
        yield return new(ImplicitHybridChecks.IssSubIdentical, "same iss and sub", () => ImplicitHybridChecks.EvaluateIssSubIdentical(Hybrid, IdToken()));
        yield return new(ImplicitHybridChecks.SubStable, "same sub", () => ImplicitHybridChecks.EvaluateSubStable("alice", "alice"));
    }
}
