using OidcConformance.Http;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// Client authentication with JWTs (OIDC Core 1.0 §9 private_key_jwt and client_secret_jwt; RFC 7523 §2.2 and §3) at the
/// token, introspection and revocation endpoints, and what discovery says about it (RFC 8414 §2). A refusal only counts
/// when the same request with the normal assertion was honoured in the same test (the control): every refusal check takes
/// both answers.
/// </summary>
public static class ClientAuthJwtChecks
{
    private const string Area = "Client authentication (JWT)";

    public static readonly CheckDefinition PrivateKeyJwt = new("clientauth.private-key-jwt",
        "A client registered for private_key_jwt authenticates at the token endpoint with an assertion signed by its key", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "9", "private_key_jwt: the client signs a JWT with its private key"),
            new(SpecDocument.Rfc7523, "2.2", "client_assertion_type urn:ietf:params:oauth:client-assertion-type:jwt-bearer"),
            new(SpecDocument.Rfc7523, "3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition ClientSecretJwt = new("clientauth.client-secret-jwt",
        "A client registered for client_secret_jwt authenticates at the token endpoint with an assertion MACed (HS256) with its secret", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "9", "client_secret_jwt: an HMAC SHA algorithm with the client_secret as the shared key"),
            new(SpecDocument.Rfc7523, "2.2"),
            new(SpecDocument.Rfc7523, "3"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition AtIntrospection = new("clientauth.jwt-at-introspection",
        "The client's JWT authentication is honoured at the introspection endpoint too: its own access token introspects active", Area,
        [
            new(SpecDocument.Rfc7662, "2.1", "the endpoint requires client authentication as the client registered it"),
            new(SpecDocument.OpenIdConnectCore, "9", "the methods are for any endpoint where the client authenticates"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition AtRevocation = new("clientauth.jwt-at-revocation",
        "The client's JWT authentication is honoured at the revocation endpoint too: revoking its own token is answered 200", Area,
        [
            new(SpecDocument.Rfc7009, "2.1", "the client includes its authentication credentials as described in RFC 6749 §2.3"),
            new(SpecDocument.OpenIdConnectCore, "9"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition WrongAudience = new("clientauth.wrong-audience-refused",
        "An assertion whose aud names another server is refused with invalid_client", Area,
        [
            new(SpecDocument.Rfc7523, "3", "item 3: the authorization server MUST reject any JWT that does not contain its own identity as the intended audience"),
            new(SpecDocument.Rfc7523, "3.2", "error invalid_client"),
            new(SpecDocument.OpenIdConnectCore, "9", "aud: the Authorization Server MUST verify that it is an intended audience"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition Expired = new("clientauth.expired-assertion-refused",
        "An assertion whose exp has passed is refused with invalid_client", Area,
        [
            new(SpecDocument.Rfc7523, "3", "item 4: the authorization server MUST reject any JWT with an expiration time that has passed"),
            new(SpecDocument.Rfc7523, "3.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition Unsigned = new("clientauth.unsigned-assertion-refused",
        "An assertion with alg none and no signature is refused with invalid_client", Area,
        [
            new(SpecDocument.Rfc7523, "3", "item 9: the JWT MUST be digitally signed or have a MAC applied; the server MUST reject a JWT with an invalid signature or MAC"),
            new(SpecDocument.Rfc7523, "3.2"),
            new(SpecDocument.Rfc8725, "3.1", "alg none is not accepted where a signature is expected"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition WrongKey = new("clientauth.wrong-key-refused",
        "An assertion signed with a key the client did not register (private_key_jwt) or MACed with a wrong secret (client_secret_jwt) is refused with invalid_client", Area,
        [
            new(SpecDocument.Rfc7523, "3", "item 9: MUST reject JWTs with an invalid signature or MAC"),
            new(SpecDocument.Rfc7523, "3.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition IssuerNotClient = new("clientauth.issuer-not-client-refused",
        "An assertion whose iss is not the client_id is refused with invalid_client", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "9", "iss: it MUST contain the client_id of the OAuth Client"),
            new(SpecDocument.Rfc7523, "3", "items 1 and 3.2: for client authentication the subject and issuer identify the client"),
            new(SpecDocument.Rfc7523, "3.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition Replayed = new("clientauth.replayed-assertion-refused",
        "An assertion that already authenticated the client is refused when sent again (same jti)", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "9", "jti: these tokens MUST only be used once, unless conditions for reuse were negotiated"),
            new(SpecDocument.Rfc7523, "3", "item 7: the authorization server MAY ensure that JWTs are not replayed; graded SHOULD"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition MethodAdvertised = new("clientauth.method-advertised",
        "A JWT client authentication method that works is listed in token_endpoint_auth_methods_supported", Area,
        [
            new(SpecDocument.Rfc8414, "2", "token_endpoint_auth_methods_supported"),
            new(SpecDocument.OpenIdConnectDiscovery, "3", "OPTIONAL; a client relies on it to choose a method: graded SHOULD"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition SigningAlgsAdvertised = new("clientauth.signing-algs-advertised",
        "When a JWT client authentication method is advertised, token_endpoint_auth_signing_alg_values_supported is present, non-empty and without none", Area,
        [
            new(SpecDocument.Rfc8414, "2", "this metadata entry MUST be present if either of these authentication methods are specified; the value none MUST NOT be used"),
            new(SpecDocument.OpenIdConnectDiscovery, "3", "the value none MUST NOT be used"),
        ], RequirementLevel.Must);

    /// <summary>The two methods, as OIDC Core §9 names them.</summary>
    public static readonly string[] Methods = ["private_key_jwt", "client_secret_jwt"];

    // ------------------------------------------------------------------ the method works

    /// <param name="method">private_key_jwt or client_secret_jwt.</param>
    /// <param name="response">The client credentials grant authenticated with the normal assertion, or null when the profile registers no client for the method.</param>
    /// <param name="form">The form of that assertion (RFC 7523 or draft-ietf-oauth-rfc7523bis), for the reason.</param>
    /// <param name="rfc7523Refusal">The refused RFC 7523 form, when only the rfc7523bis form was accepted: said, not judged (both forms are standard).</param>
    public static CheckResult EvaluateMethodWorks(string method, TokenResponse? response, string? form = null, TokenResponse? rfc7523Refusal = null)
    {
        var check = method == "private_key_jwt" ? PrivateKeyJwt : ClientSecretJwt;
        if (response is null)
            return check.NotApplicable($"the profile registers no client for {method} (clients.{(method == "private_key_jwt" ? "privateKeyJwt" : "clientSecretJwt")})");
        if (response.Exchange.TransportError is not null) return check.Violation($"token endpoint: no response ({response.Exchange.TransportError})");
        var accepted = $"tokens issued for a {method} assertion" + (form is null ? "" : $" in the {form} form")
            + (rfc7523Refusal is null ? "" : $"; the RFC 7523 / OIDC Core form was refused ({rfc7523Refusal.Describe()})");
        var result = check.Require(response.IsSuccess,
                $"the client credentials grant with a valid {method} assertion was refused ({response.Describe()})"
                + (form is null ? "" : " in the RFC 7523 / OIDC Core 1.0 §9 form and in the draft-ietf-oauth-rfc7523bis form") + $"; the client is registered for {method}",
                accepted)
            .ObservedAnswer(response, "200", null);
        return form is null ? result : result.Observed("assertion form", null, form);
    }

    /// <param name="control">The client's own token, obtained with the normal assertion.</param>
    /// <param name="introspection">Its introspection, authenticated with the normal assertion (aud: the token endpoint).</param>
    public static CheckResult EvaluateAtIntrospection(string method, TokenResponse control, HttpExchange introspection)
    {
        if (!control.IsSuccess) return AtIntrospection.NotApplicable($"the client got no token with {method} to introspect ({control.Describe()})");
        if (introspection.TransportError is not null) return AtIntrospection.Violation($"introspection: no response ({introspection.TransportError})");
        var body = JsonBody.From(introspection);
        var active = body.Get("active") is { ValueKind: System.Text.Json.JsonValueKind.True };
        var result = introspection.StatusCode != 200
            ? AtIntrospection.Violation($"introspection with a valid {method} assertion answered {Describe(introspection)}; the same assertion works at the token endpoint")
            : AtIntrospection.Require(active, $"introspection with {method} answered 200 but the client's own fresh access token is not active",
                $"{method} accepted; the client's own token introspects active");
        return result.Observed("introspection HTTP status", "200", Observe.StatusOf(introspection))
            .Observed("active", "true", body.Get("active") is { } a ? Observe.Json(a) : null);
    }

    public static CheckResult EvaluateAtRevocation(string method, TokenResponse control, HttpExchange revocation)
    {
        if (!control.IsSuccess) return AtRevocation.NotApplicable($"the client got no token with {method} to revoke ({control.Describe()})");
        if (revocation.TransportError is not null) return AtRevocation.Violation($"revocation: no response ({revocation.TransportError})");
        return AtRevocation.Require(revocation.StatusCode == 200,
                $"revocation with a valid {method} assertion answered {Describe(revocation)}; the same assertion works at the token endpoint",
                $"{method} accepted; the revocation answered 200")
            .Observed("revocation HTTP status", "200", Observe.StatusOf(revocation))
            .Observed("error", null, revocation.StatusCode == 200 ? null : JsonBody.From(revocation).String("error"));
    }

    // ------------------------------------------------------------------ refusals

    /// <summary>
    /// A refusal check: <paramref name="control"/> is the same client credentials request with the normal assertion (it must
    /// have succeeded), <paramref name="mutated"/> the request with the assertion changed as <paramref name="change"/> says.
    /// RFC 7523 §3.2: an invalid client JWT MUST get error invalid_client.
    /// </summary>
    public static CheckResult EvaluateRefused(CheckDefinition check, string method, string change, TokenResponse control, TokenResponse mutated)
    {
        if (!control.IsSuccess)
            return check.NotApplicable($"the normal {method} assertion was refused too ({control.Describe()}), so a refusal of {change} shows nothing");
        if (mutated.Exchange.TransportError is not null) return check.Violation($"token endpoint: no response to {change} ({mutated.Exchange.TransportError})");
        CheckResult result;
        if (mutated.IsSuccess)
            result = check.Violation($"tokens were issued for {change} ({method}); the normal assertion also works, so the server did not validate what changed");
        else if (mutated.Error == "invalid_client")
            result = check.Pass($"{change} refused with invalid_client (HTTP {mutated.Exchange.StatusCode})");
        else
            result = check.Violation($"{change} was refused with {mutated.Describe()}; RFC 7523 §3.2 requires error invalid_client for an invalid client JWT");
        return result.ObservedAnswer(mutated, "400 or 401", "invalid_client");
    }

    // ------------------------------------------------------------------ discovery

    /// <param name="worked">Whether the method authenticated the client in this test (null: the profile has no client for it).</param>
    public static CheckResult EvaluateMethodAdvertised(DiscoveryDocument discovery, string method, bool? worked)
    {
        var listed = discovery.StringArray("token_endpoint_auth_methods_supported");
        if (worked is null) return MethodAdvertised.NotApplicable($"the profile registers no client for {method}");
        if (worked == false) return MethodAdvertised.NotApplicable($"{method} did not authenticate the client here (clientauth.{(method == "private_key_jwt" ? "private-key-jwt" : "client-secret-jwt")} says why)");
        var present = listed?.Contains(method) == true;
        return MethodAdvertised.Require(present,
                listed is null
                    ? $"{method} works, but token_endpoint_auth_methods_supported is absent, which means client_secret_basic only (RFC 8414 §2)"
                    : $"{method} works, but token_endpoint_auth_methods_supported [{string.Join(", ", listed)}] does not list it",
                $"{method} works and is advertised")
            .Observed("token_endpoint_auth_methods_supported", $"contains {method}", listed is null ? null : string.Join(" ", listed));
    }

    public static CheckResult EvaluateSigningAlgsAdvertised(DiscoveryDocument discovery)
    {
        var methods = discovery.StringArray("token_endpoint_auth_methods_supported") ?? [];
        var jwtMethods = methods.Where(Methods.Contains).ToList();
        if (jwtMethods.Count == 0)
            return SigningAlgsAdvertised.NotApplicable("token_endpoint_auth_methods_supported lists neither private_key_jwt nor client_secret_jwt");
        var member = discovery.Body.Get("token_endpoint_auth_signing_alg_values_supported");
        var algs = discovery.StringArray("token_endpoint_auth_signing_alg_values_supported");
        CheckResult result;
        if (member is null)
            result = SigningAlgsAdvertised.Violation($"{string.Join(" and ", jwtMethods)} advertised, but token_endpoint_auth_signing_alg_values_supported is absent");
        else if (algs is null)
            result = SigningAlgsAdvertised.Violation("token_endpoint_auth_signing_alg_values_supported is not an array of strings");
        else if (algs.Count == 0)
            result = SigningAlgsAdvertised.Violation("token_endpoint_auth_signing_alg_values_supported is empty");
        else if (algs.Contains("none"))
            result = SigningAlgsAdvertised.Violation("token_endpoint_auth_signing_alg_values_supported lists none");
        else
            result = SigningAlgsAdvertised.Pass($"[{string.Join(", ", algs)}] for {string.Join(" and ", jwtMethods)}");
        return result.Observed("token_endpoint_auth_signing_alg_values_supported", "present, non-empty, no none", algs is null ? Observe.Json(member) : string.Join(" ", algs));
    }

    private static string Describe(HttpExchange e) =>
        JsonBody.From(e).String("error") is { } error ? $"HTTP {e.StatusCode}, error '{error}'" : $"HTTP {e.StatusCode}";
}
