using System.Text.Json;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// OAuth 2.0 Demonstrating Proof of Possession (DPoP, RFC 9449): sender-constrained access and refresh tokens. Every
/// refusal is judged against a control (the same request with a valid proof, sent in the same scenario): a refusal
/// counts only when the control was accepted.
/// </summary>
public static class DpopChecks
{
    private const string Area = "DPoP";

    public static readonly CheckDefinition TokenType = new("dpop.token-type",
        "A token request with a valid DPoP proof is answered with token_type DPoP", Area,
        [new(SpecDocument.Rfc9449, "5", "the token_type DPoP in the response signals that the access token is bound to the proof's key")],
        RequirementLevel.Must);

    public static readonly CheckDefinition CnfJkt = new("dpop.cnf-jkt",
        "The bound access token's cnf.jkt (introspection or JWT) is the RFC 7638 thumbprint of the proof's key", Area,
        [new(SpecDocument.Rfc9449, "6.1"), new(SpecDocument.Rfc9449, "6.2")], RequirementLevel.Must);

    public static readonly CheckDefinition UserInfoRequiresProof = new("dpop.userinfo-requires-proof",
        "A DPoP-bound access token presented at UserInfo without a proof (DPoP or Bearer scheme) is refused", Area,
        [new(SpecDocument.Rfc9449, "7.1"), new(SpecDocument.Rfc9449, "7.2", "a DPoP-bound token must not be accepted as a bearer token")],
        RequirementLevel.Must);

    public static readonly CheckDefinition OtherKeyRefused = new("dpop.other-key-refused",
        "A DPoP-bound access token with a valid proof signed by another key is refused at UserInfo", Area,
        [new(SpecDocument.Rfc9449, "4.3", "step 12: the proof's public key must match the key the access token is bound to"), new(SpecDocument.Rfc9449, "7.1")],
        RequirementLevel.Must);

    public static readonly CheckDefinition WrongAthRefused = new("dpop.wrong-ath-refused",
        "A proof whose ath is not the hash of the presented access token is refused at UserInfo", Area,
        [new(SpecDocument.Rfc9449, "4.3", "step 12: ath must be the hash of the access token"), new(SpecDocument.Rfc9449, "7.1")],
        RequirementLevel.Must);

    public static readonly CheckDefinition WrongHtmRefused = new("dpop.wrong-htm-refused",
        "A token request whose proof names another HTTP method (htm) is refused", Area,
        [new(SpecDocument.Rfc9449, "4.3", "step 8: htm must match the request's method")], RequirementLevel.Must);

    public static readonly CheckDefinition WrongHtuRefused = new("dpop.wrong-htu-refused",
        "A token request whose proof names another URI (htu, here another endpoint of the provider) is refused", Area,
        [new(SpecDocument.Rfc9449, "4.3", "step 9: htu must match the request's URI without query and fragment")], RequirementLevel.Must);

    public static readonly CheckDefinition StaleIatRefused = new("dpop.stale-iat-refused",
        "A token request whose proof was created an hour ago (iat, no server nonce) is refused", Area,
        [
            new(SpecDocument.Rfc9449, "4.3", "step 11: the creation time must be within an acceptable window"),
            new(SpecDocument.Rfc9449, "11.1", "servers MUST only accept proofs for a limited time after their creation, on the order of seconds or minutes"),
        ],
        RequirementLevel.Must) { Note = "An hour is far beyond any window of seconds or minutes; a nonce-based freshness (§8) would refuse the proof as well, since it carries none." };

    public static readonly CheckDefinition ReplayedJtiRefused = new("dpop.replayed-jti-refused",
        "The very same proof (same jti) sent a second time to the token endpoint is refused", Area,
        [new(SpecDocument.Rfc9449, "11.1", "servers can store the jti of each proof for its acceptance window and decline a second use")],
        RequirementLevel.Should) { Note = "§11.1 describes single-use jti checking as the protection against replay within the window without mandating it: graded SHOULD." };

    public static readonly CheckDefinition NonceChallenge = new("dpop.nonce-challenge",
        "A use_dpop_nonce challenge carries a DPoP-Nonce header, and the request retried with that nonce is accepted", Area,
        [new(SpecDocument.Rfc9449, "8", "authorization server-provided nonce"), new(SpecDocument.Rfc9449, "9", "resource server-provided nonce")],
        RequirementLevel.Must);

    public static readonly CheckDefinition RefreshBoundPublicClient = new("dpop.refresh-bound-public-client",
        "A public client's refresh token is refused with a proof of another key or without a proof, and works with the original key", Area,
        [new(SpecDocument.Rfc9449, "5", "refresh tokens issued to public clients are bound to the proof's key; a refresh request must carry a proof of that key")],
        RequirementLevel.Must);

    public static readonly CheckDefinition DiscoveryAdvertised = new("dpop.discovery-advertised",
        "dpop_signing_alg_values_supported is advertised as a non-empty array of algorithm names where the provider offers DPoP", Area,
        [new(SpecDocument.Rfc9449, "5.1", "metadata member; graded SHOULD: clients need it to pick a proof algorithm")], RequirementLevel.Should);

    public static readonly CheckDefinition DiscoveryAlgsAsymmetric = new("dpop.discovery-algs-asymmetric",
        "dpop_signing_alg_values_supported lists neither none nor a symmetric (MAC) algorithm", Area,
        [new(SpecDocument.Rfc9449, "4.2", "alg MUST NOT be none or an identifier for a symmetric algorithm"), new(SpecDocument.Rfc9449, "4.3", "step 5")],
        RequirementLevel.Must);

    // ------------------------------------------------------------------ token endpoint

    public static CheckResult EvaluateTokenType(DpopExchange exchange)
    {
        var token = new TokenResponse(exchange.Final, exchange.Body);
        if (!token.IsSuccess) return TokenType.NotApplicable($"no token was issued to judge ({exchange.Describe()})");
        var type = token.TokenType;
        // RFC 6749 §5.1: the token_type value is case insensitive.
        return TokenType.Require(string.Equals(type, "DPoP", StringComparison.OrdinalIgnoreCase),
                type is null ? "token_type is missing from a response to a request with a DPoP proof"
                    : $"token_type is '{type}', not DPoP, although the request carried a valid DPoP proof: the client cannot know the token is bound",
                "token_type DPoP")
            .Observed("token_type", "DPoP", type);
    }

    /// <param name="introspection">the access token introspected by its client (null when the provider offers no introspection).</param>
    /// <param name="accessToken">the access token itself (its cnf is judged when it is a JWT and there is no introspection).</param>
    /// <param name="thumbprint">the RFC 7638 thumbprint of the key that signed the token request's proof.</param>
    public static CheckResult EvaluateCnfJkt(IntrospectionResponse? introspection, string? accessToken, string thumbprint)
    {
        JsonElement? cnf;
        string source;
        if (introspection is not null)
        {
            if (!introspection.IsActive) return CnfJkt.NotApplicable($"no active introspection response ({introspection.Describe()})");
            cnf = introspection.Body.Get("cnf");
            source = "the introspection response";
        }
        else
        {
            var jwt = DecodedJwt.Decode(accessToken);
            if (!jwt.IsValid) return CnfJkt.NotApplicable($"the access token is not a JWT ({jwt.Problem}) and the provider offers no introspection: its binding cannot be seen");
            cnf = jwt.Claim("cnf");
            source = "the JWT access token";
        }
        return JudgeCnf(cnf, source, thumbprint);
    }

    private static CheckResult JudgeCnf(JsonElement? cnf, string source, string thumbprint)
    {
        if (cnf is null) return CnfJkt.Violation($"{source} has no cnf member: the binding to the proof's key is not expressed").Observed("cnf.jkt", thumbprint, null);
        if (cnf.Value.ValueKind != JsonValueKind.Object)
            return CnfJkt.Violation($"cnf in {source} is a JSON {JsonCompare.TypeName(cnf.Value)}, not an object").Observed("cnf.jkt", thumbprint, null);
        if (!cnf.Value.TryGetProperty("jkt", out var jkt))
            return CnfJkt.Violation($"cnf in {source} has no jkt member").Observed("cnf.jkt", thumbprint, null);
        if (jkt.ValueKind != JsonValueKind.String)
            return CnfJkt.Violation($"cnf.jkt in {source} is a JSON {JsonCompare.TypeName(jkt)}, not a string").Observed("cnf.jkt", thumbprint, JsonCompare.Short(jkt));
        var value = jkt.GetString();
        return CnfJkt.RequireEqual("cnf.jkt", thumbprint, value,
            $"cnf.jkt in {source} is '{value}', not the thumbprint of the proof's key ('{thumbprint}')", $"cnf.jkt in {source} is the proof key's thumbprint");
    }

    // ------------------------------------------------------------------ refusals against a control

    /// <summary>
    /// A request changed in one way (<paramref name="mutated"/>) must be refused, judged only when the same request without
    /// the change (<paramref name="control"/>) was accepted in the same scenario. Acceptance of the changed request is a
    /// violation whatever the control did: no valid request would have been refused that way.
    /// </summary>
    /// <param name="what">what the changed request is, for the reasons ("a proof signed by another key").</param>
    public static CheckResult EvaluateRefused(CheckDefinition check, DpopExchange? control, DpopExchange mutated, string what)
    {
        var result = JudgeRefused(check, control, mutated, what);
        return result.Observed("HTTP status", "4xx", Observe.StatusOf(mutated.Final)).Observed("error", null, mutated.Error);
    }

    private static CheckResult JudgeRefused(CheckDefinition check, DpopExchange? control, DpopExchange mutated, string what)
    {
        if (mutated.Final.TransportError is not null) return check.NotApplicable($"no answer to {what}: {mutated.Final.TransportError}");
        if (mutated.Accepted) return check.Violation($"{what} is accepted: {mutated.Describe()}");
        if (mutated.RefusedInSuccessBody)
            return check.Violation($"{what} is refused only inside a success answer ({mutated.Describe()}): a refusal must carry an error status " +
                "(RFC 6749 §5.2, RFC 6750 §3: 400 or 401), which is what clients and resource servers act on");
        if (control is null) return check.NotApplicable("no control request was made");
        if (!control.Accepted)
            return check.NotApplicable($"the same request with a valid proof was not accepted either ({control.Describe()}), so the refusal says nothing about {what}");
        var status = mutated.Final.StatusCode;
        if (status is >= 400 and < 500) return check.Pass($"refused ({mutated.Describe()}); the valid request was accepted");
        return check.NotApplicable($"{what} is answered {mutated.Describe()}: neither an acceptance nor a refusal");
    }

    // ------------------------------------------------------------------ nonces

    /// <param name="exchange">a valid DPoP request as the suite's client sent it, with its retry when the server asked for a nonce.</param>
    /// <param name="where">the endpoint ("token endpoint", "UserInfo").</param>
    public static CheckResult EvaluateNonceChallenge(DpopExchange exchange, string where)
    {
        if (exchange.First.TransportError is not null) return NonceChallenge.NotApplicable($"no answer from the {where}: {exchange.First.TransportError}");
        if (!exchange.Challenged) return NonceChallenge.NotApplicable($"the {where} did not ask for a DPoP nonce (the provider may not use nonces there)");
        var nonce = DpopNonces.NonceOf(exchange.First);
        if (nonce is null)
            return NonceChallenge.Violation($"the {where} answered use_dpop_nonce (HTTP {exchange.First.StatusCode}) without a DPoP-Nonce header: the client cannot learn the nonce it must use")
                .Observed("DPoP-Nonce header", "present", null);
        if (exchange.Retried is null) return NonceChallenge.NotApplicable("the request was not retried with the nonce");
        if (exchange.Retried.IsSuccess) return NonceChallenge.Pass($"use_dpop_nonce with a DPoP-Nonce header; the retry with the nonce was accepted (HTTP {exchange.Retried.StatusCode})")
            .Observed("DPoP-Nonce header", "present", "present");
        if (DpopNonces.IsChallenge(exchange.Retried))
            return NonceChallenge.Violation($"the request retried with the nonce the {where} gave is challenged again (use_dpop_nonce): the nonce from the DPoP-Nonce header is not honoured")
                .Observed("retry", "accepted", $"HTTP {exchange.Retried.StatusCode}, use_dpop_nonce");
        return NonceChallenge.NotApplicable($"the retry with the nonce was refused for another reason ({exchange.Describe()})");
    }

    // ------------------------------------------------------------------ discovery

    public const string AlgsMember = "dpop_signing_alg_values_supported";

    public static CheckResult EvaluateDiscoveryAdvertised(DiscoveryDocument d, FeatureSet features)
    {
        var value = d.Body.Get(AlgsMember);
        if (value is null)
            return features.Dpop
                ? DiscoveryAdvertised.Violation($"the profile says the provider offers DPoP, but {AlgsMember} is not advertised").Observed(AlgsMember, "non-empty array", null)
                : DiscoveryAdvertised.NotApplicable("the provider does not offer DPoP (profile features.dpop)");
        if (value.Value.ValueKind != JsonValueKind.Array)
            return DiscoveryAdvertised.Violation($"{AlgsMember} is a JSON {JsonCompare.TypeName(value.Value)}, not an array").Observed(AlgsMember, "non-empty array", JsonCompare.Short(value.Value));
        var items = value.Value.EnumerateArray().ToList();
        if (items.Count == 0) return DiscoveryAdvertised.Violation($"{AlgsMember} is an empty array").Observed(AlgsMember, "non-empty array", "[]");
        if (items.Any(i => i.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(i.GetString())))
            return DiscoveryAdvertised.Violation($"{AlgsMember} holds values that are not algorithm names: {JsonCompare.Short(value.Value)}");
        return DiscoveryAdvertised.Pass($"{AlgsMember}: {string.Join(", ", items.Select(i => i.GetString()))}");
    }

    public static CheckResult EvaluateDiscoveryAlgs(DiscoveryDocument d)
    {
        if (d.StringArray(AlgsMember) is not { Count: > 0 } algs) return DiscoveryAlgsAsymmetric.NotApplicable($"{AlgsMember} is not advertised as an array of names");
        var bad = algs.Where(a => a.Equals("none", StringComparison.OrdinalIgnoreCase) || a.StartsWith("HS", StringComparison.OrdinalIgnoreCase)).ToList();
        return DiscoveryAlgsAsymmetric.Require(bad.Count == 0,
                $"{AlgsMember} lists {string.Join(", ", bad)}: a proof must be signed with an asymmetric algorithm, so the provider claims to accept proofs no one can rely on",
                $"only asymmetric algorithms: {string.Join(", ", algs)}")
            .Observed("none / MAC algorithms", "none", bad.Count == 0 ? "none" : string.Join(", ", bad));
    }
}
