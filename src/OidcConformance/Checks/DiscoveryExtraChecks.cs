using System.Text.Json;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>What a real request says about whether a grant type or endpoint works: true, false, or null (undetermined).</summary>
public sealed record FeatureProbe(bool? Works, string Evidence)
{
    public static FeatureProbe Yes(string evidence) => new(true, evidence);
    public static FeatureProbe No(string evidence) => new(false, evidence);
    public static FeatureProbe Unclear(string evidence) => new(null, evidence);
}

/// <summary>A per-application discovery document (profile applicationDiscovery) with what was obtained for it.</summary>
public sealed record AppDiscoveryArtifacts(ApplicationDiscovery App, DiscoveryDocument Document)
{
    public JwksDocument? Jwks { get; init; }
    /// <summary>The ID token of a login with the application's client, or why there is none.</summary>
    public DecodedJwt? IdToken { get; init; }
    public string? IdTokenProblem { get; init; }
}

/// <summary>
/// Discovery extras (OIDC Discovery 1.0, RFC 8414, RFC 7517): JWK members, advertised vs actual features, client
/// authentication methods, response modes, claims_supported, and per-application discovery documents.
/// </summary>
public static class DiscoveryExtraChecks
{
    private const string Area = "Discovery";
    private const string JwksArea = "JWKS";

    // ---- JWK members ----------------------------------------------------------------------------------------------

    public static readonly CheckDefinition KtyPresent = new("jwks.kty-present",
        "Every key in the JWK Set has a kty member (a string)", JwksArea, [new(SpecDocument.Rfc7517, "4.1", "\"This member MUST be present in a JWK\"")], RequirementLevel.Must);

    public static readonly CheckDefinition KtyRegistered = new("jwks.kty-registered",
        "Every kty value is a registered key type (EC, RSA, oct, OKP); others are ignored by relying parties", JwksArea,
        [
            new(SpecDocument.Rfc7517, "4.1", "kty values \"should either be registered\""),
            new(SpecDocument.Rfc7517, "5", "unknown kty ignored"),
            new(SpecDocument.Rfc7518, "6.1"),
            new(SpecDocument.Rfc8037, "2"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition UseWhenMixed = new("jwks.use-required-when-mixed",
        "When the JWK Set holds signing and encryption keys, every key has a use member (and its value is sig or enc)", JwksArea,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "jwks_uri: \"a use (public key use) parameter value is REQUIRED for all keys\""),
            new(SpecDocument.Rfc7517, "4.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition IdTokenKeyUse = new("jwks.id-token-key-use-sig",
        "The key that signs ID tokens (by kid) is published with use sig or without use, never for encryption only", JwksArea,
        [
            new(SpecDocument.Rfc7517, "4.2", "\"sig\" (signature)"),
            new(SpecDocument.Rfc7517, "4.3"),
            new(SpecDocument.OpenIdConnectCore, "10.1"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition AlgConsistent = new("jwks.alg-consistent-with-kty",
        "alg, where present, is a JOSE algorithm for that key type (RS*/PS* ↔ RSA, ES256 ↔ EC P-256, EdDSA ↔ OKP…) and a signing alg for use sig", JwksArea,
        [
            new(SpecDocument.Rfc7517, "4.4"),
            new(SpecDocument.Rfc7518, "3.1"),
            new(SpecDocument.Rfc7518, "3.3"),
            new(SpecDocument.Rfc7518, "3.4"),
            new(SpecDocument.Rfc7518, "3.5"),
            new(SpecDocument.Rfc7518, "4.1"),
            new(SpecDocument.Rfc8037, "3.1"),
        ], RequirementLevel.Must);

    private static readonly HashSet<string> RegisteredKty = ["EC", "RSA", "oct", "OKP"];

    private static string KeyName(JsonElement k, int i) =>
        k.TryGetProperty("kid", out var kid) && kid.ValueKind == JsonValueKind.String ? $"key '{kid.GetString()}'" : $"key #{i}";

    private static string? Str(JsonElement k, string name) =>
        k.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

    public static CheckResult EvaluateKtyPresent(JwksDocument j)
    {
        if (j.Keys.Count == 0) return KtyPresent.NotApplicable("no keys (see jwks.fetch)");
        var bad = j.Keys.Select((k, i) => (k, i)).Where(x => x.k.ValueKind != JsonValueKind.Object || Str(x.k, "kty") is not { Length: > 0 })
            .Select(x => KeyName(x.k, x.i) + (x.k.ValueKind == JsonValueKind.Object && x.k.TryGetProperty("kty", out _) ? " has a non-string kty" : " has no kty")).ToList();
        return KtyPresent.Require(bad.Count == 0, string.Join("; ", bad), $"all {j.Keys.Count} keys have kty");
    }

    public static CheckResult EvaluateKtyRegistered(JwksDocument j)
    {
        var typed = j.Keys.Select((k, i) => (k, i, kty: k.ValueKind == JsonValueKind.Object ? Str(k, "kty") : null)).Where(x => x.kty is not null).ToList();
        if (typed.Count == 0) return KtyRegistered.NotApplicable("no keys with kty (see jwks.kty-present)");
        var unknown = typed.Where(x => !RegisteredKty.Contains(x.kty!)).Select(x => $"{KeyName(x.k, x.i)} kty '{x.kty}'").ToList();
        return KtyRegistered.Require(unknown.Count == 0, "key types relying parties do not understand (and ignore): " + string.Join("; ", unknown),
            "kty: " + string.Join(", ", typed.Select(x => x.kty).Distinct()));
    }

    private static bool IsEncryptionAlg(string alg) =>
        alg.StartsWith("RSA-OAEP", StringComparison.Ordinal) || alg is "RSA1_5" or "dir" or "A128KW" or "A192KW" or "A256KW"
            or "A128GCMKW" or "A192GCMKW" or "A256GCMKW" || alg.StartsWith("ECDH-ES", StringComparison.Ordinal) || alg.StartsWith("PBES2", StringComparison.Ordinal);

    public static CheckResult EvaluateUseWhenMixed(JwksDocument j)
    {
        var keys = j.Keys.Where(k => k.ValueKind == JsonValueKind.Object).ToList();
        if (keys.Count == 0) return UseWhenMixed.NotApplicable("no keys (see jwks.fetch)");
        var badUse = keys.Select((k, i) => (k, i)).Where(x => Str(x.k, "use") is { } u && u is not ("sig" or "enc"))
            .Select(x => $"{KeyName(x.k, x.i)} use '{Str(x.k, "use")}'").ToList();
        var encryption = keys.Where(k => Str(k, "use") == "enc" || (Str(k, "alg") is { } a && IsEncryptionAlg(a))).ToList();
        var signing = keys.Where(k => Str(k, "use") == "sig" || (Str(k, "alg") is { } a && !IsEncryptionAlg(a))).ToList();
        if (encryption.Count == 0 || signing.Count == 0)
            return badUse.Count == 0
                ? UseWhenMixed.Pass(encryption.Count == 0 ? "only signing keys are published" : "only encryption keys are published")
                : UseWhenMixed.Violation("use values other than sig/enc: " + string.Join("; ", badUse));
        var withoutUse = keys.Select((k, i) => (k, i)).Where(x => Str(x.k, "use") is null).Select(x => KeyName(x.k, x.i)).ToList();
        var problems = withoutUse.Select(n => $"{n} has no use").Concat(badUse).ToList();
        return UseWhenMixed.Require(problems.Count == 0,
            $"signing and encryption keys are both published, but: {string.Join("; ", problems)}", "every key states its use");
    }

    public static CheckResult EvaluateIdTokenKeyUse(JwksDocument j, DecodedJwt idToken)
    {
        if (!idToken.IsValid) return IdTokenKeyUse.NotApplicable($"no ID token to take the kid from ({idToken.Problem})");
        if (j.Keys.Count == 0) return IdTokenKeyUse.NotApplicable("no keys (see jwks.fetch)");
        var kid = idToken.Kid;
        var candidates = j.Keys.Select((k, i) => (k, i)).Where(x => x.k.ValueKind == JsonValueKind.Object)
            .Where(x => kid is null ? Str(x.k, "kty") is "RSA" or "EC" or "OKP" : Str(x.k, "kid") == kid).ToList();
        if (candidates.Count == 0)
            return IdTokenKeyUse.NotApplicable(kid is null ? "the ID token has no kid and no asymmetric key is published" : $"no published key has the ID token's kid '{kid}' (see idtoken.signature-jwks)");
        var bad = candidates.Where(x => Str(x.k, "use") is { } u && u != "sig")
            .Select(x => $"{KeyName(x.k, x.i)} has use '{Str(x.k, "use")}'").ToList();
        var opsBad = candidates.Where(x => x.k.TryGetProperty("key_ops", out var ops) && ops.ValueKind == JsonValueKind.Array
                                           && !ops.EnumerateArray().Any(o => o.ValueKind == JsonValueKind.String && o.GetString() == "verify"))
            .Select(x => $"{KeyName(x.k, x.i)} has key_ops without verify").ToList();
        var problems = bad.Concat(opsBad).ToList();
        return IdTokenKeyUse.Require(problems.Count == 0, $"the ID token's signing key (kid '{kid ?? "(none)"}'): " + string.Join("; ", problems),
            $"signing key {(kid is null ? "" : $"'{kid}' ")}is usable for signatures");
    }

    /// <summary>The key type (and EC curve) each JWS algorithm needs (RFC 7518 §3.1; RFC 8037 §3.1).</summary>
    private static (string Kty, string? Crv)? SigningAlgKey(string alg) => alg switch
    {
        "RS256" or "RS384" or "RS512" or "PS256" or "PS384" or "PS512" => ("RSA", null),
        "ES256" => ("EC", "P-256"),
        "ES384" => ("EC", "P-384"),
        "ES512" => ("EC", "P-521"),
        "ES256K" => ("EC", "secp256k1"),
        "EdDSA" => ("OKP", null),
        "Ed25519" => ("OKP", "Ed25519"),
        "Ed448" => ("OKP", "Ed448"),
        "HS256" or "HS384" or "HS512" => ("oct", null),
        _ => null,
    };

    private static string? EncryptionAlgKty(string alg) =>
        !IsEncryptionAlg(alg) ? null
        : alg.StartsWith("RSA", StringComparison.Ordinal) ? "RSA"
        : alg.StartsWith("ECDH-ES", StringComparison.Ordinal) ? "EC|OKP"
        : "oct";

    public static CheckResult EvaluateAlgConsistent(JwksDocument j)
    {
        var keys = j.Keys.Select((k, i) => (k, i)).Where(x => x.k.ValueKind == JsonValueKind.Object && Str(x.k, "alg") is not null).ToList();
        if (j.Keys.Count == 0) return AlgConsistent.NotApplicable("no keys (see jwks.fetch)");
        if (keys.Count == 0) return AlgConsistent.Pass("no key states an alg (it is optional)");
        var problems = new List<string>();
        foreach (var (k, i) in keys)
        {
            var alg = Str(k, "alg")!;
            var kty = Str(k, "kty");
            var use = Str(k, "use");
            var name = KeyName(k, i);
            if (alg == "none") { problems.Add($"{name} has alg 'none'"); continue; }
            if (SigningAlgKey(alg) is { } need)
            {
                if (use == "enc") problems.Add($"{name} has use 'enc' but the signing alg '{alg}'");
                if (kty != need.Kty) problems.Add($"{name} has alg '{alg}', which needs kty {need.Kty}, but kty is '{kty}'");
                else if (need.Kty == "EC" && Str(k, "crv") is { } crv && crv != need.Crv) problems.Add($"{name} has alg '{alg}' (curve {need.Crv}) but crv '{crv}'");
                else if (need.Crv is not null && need.Kty == "OKP" && Str(k, "crv") is { } okp && okp != need.Crv) problems.Add($"{name} has alg '{alg}' but crv '{okp}'");
                else if (alg == "EdDSA" && Str(k, "crv") is { } c && c is not ("Ed25519" or "Ed448")) problems.Add($"{name} has alg 'EdDSA' but crv '{c}' is not a signature curve");
            }
            else if (EncryptionAlgKty(alg) is { } encKty)
            {
                if (use == "sig") problems.Add($"{name} has use 'sig' but the encryption alg '{alg}'");
                if (kty is null || !encKty.Split('|').Contains(kty)) problems.Add($"{name} has alg '{alg}', which needs kty {encKty.Replace("|", " or ")}, but kty is '{kty}'");
            }
            else problems.Add($"{name} has alg '{alg}', which is not a registered JOSE algorithm");
        }
        return AlgConsistent.Require(problems.Count == 0, string.Join("; ", problems), $"{keys.Count} key(s) with a consistent alg");
    }

    // ---- advertised vs actual ------------------------------------------------------------------------------------

    public static readonly CheckDefinition AdvertisedGrantWorks = new("discovery.advertised-grant-type-works",
        "Each grant type in grant_types_supported (default authorization_code, implicit) works: a real request with it gets tokens", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "grant_types_supported: \"Grant Type values that this OP supports\""),
            new(SpecDocument.Rfc8414, "2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition OfferedGrantAdvertised = new("discovery.offered-grant-type-advertised",
        "Each grant type the provider offers (per profile) is listed in grant_types_supported", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "grant_types_supported: OPTIONAL; if omitted, [\"authorization_code\", \"implicit\"]"),
            new(SpecDocument.Rfc8414, "2"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition AdvertisedEndpointWorks = new("discovery.advertised-endpoint-works",
        "Each advertised endpoint (userinfo, introspection, revocation, end_session) works: a real request gets that endpoint's kind of answer", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3"),
            new(SpecDocument.Rfc8414, "2", "introspection_endpoint, revocation_endpoint"),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2.1"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition OfferedEndpointAdvertised = new("discovery.offered-endpoint-advertised",
        "Each endpoint the provider offers (per profile) is advertised in the discovery document", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "userinfo_endpoint RECOMMENDED"),
            new(SpecDocument.Rfc8414, "2"),
            new(SpecDocument.OpenIdConnectRpInitiatedLogout, "2.1"),
        ], RequirementLevel.Should);

    public static readonly IReadOnlyList<string> GrantTypes = ["authorization_code", "implicit", "refresh_token", "client_credentials", "password"];
    public static readonly IReadOnlyList<string> Endpoints = ["userinfo", "introspection", "revocation", "end_session"];

    public static bool Offered(FeatureSet f, string feature) => feature switch
    {
        "authorization_code" => f.AuthorizationCode,
        "implicit" => f.Implicit,
        "refresh_token" => f.RefreshToken,
        "client_credentials" => f.ClientCredentials,
        "password" => f.Password,
        "userinfo" => f.Userinfo,
        "introspection" => f.Introspection,
        "revocation" => f.Revocation,
        "end_session" => f.RpInitiatedLogout,
        _ => throw new ArgumentOutOfRangeException(nameof(feature), feature, "unknown feature"),
    };

    public static string ProfileFeatureName(string feature) => feature switch
    {
        "authorization_code" => "authorizationCode", "implicit" => "implicit", "refresh_token" => "refreshToken",
        "client_credentials" => "clientCredentials", "password" => "password", "userinfo" => "userinfo",
        "introspection" => "introspection", "revocation" => "revocation", "end_session" => "rpInitiatedLogout", _ => feature,
    };

    /// <summary>grant_types_supported, or the Discovery §3 default when it is omitted; null when malformed.</summary>
    public static (IReadOnlyList<string>? Values, bool Defaulted) AdvertisedGrantTypes(DiscoveryDocument d) =>
        d.Body.Has("grant_types_supported") ? (d.StringArray("grant_types_supported"), false) : (["authorization_code", "implicit"], true);

    public static bool GrantAdvertised(DiscoveryDocument d, string grant) => AdvertisedGrantTypes(d).Values?.Contains(grant) == true;

    public static bool EndpointAdvertised(DiscoveryDocument d, string endpoint) => d.String(endpoint + "_endpoint") is not null;

    /// <summary>
    /// Judged on the probe alone: Passed only on a working grant (tokens came back) or endpoint (its kind of answer to a
    /// real request), Failed on a real "not supported" answer, Inconclusive with the probe's cause when it could not
    /// decide. The profile never stands in for the evidence: it only names a contradiction (a working feature the
    /// profile calls off) in the reason.
    /// </summary>
    private static CheckResult AdvertisedWorks(CheckDefinition def, string feature, string what, bool advertised, bool offered, FeatureProbe? probe)
    {
        if (!advertised) return def.NotApplicable($"{what} is not advertised; nothing to verify").WithCase(feature);
        if (probe is null) return def.NotApplicable($"{what} is advertised but could not be probed").WithCase(feature);
        var profile = $"profile features.{ProfileFeatureName(feature)}={offered.ToString().ToLowerInvariant()}";
        return probe.Works switch
        {
            false => def.Violation($"{what} is advertised, but a real request shows the provider does not support it ({profile}): {probe.Evidence}").WithCase(feature),
            true when !offered => def.Pass($"advertised and working: {probe.Evidence} (the {profile} contradicts this: fix the profile)").WithCase(feature),
            true => def.Pass($"advertised and working: {probe.Evidence}").WithCase(feature),
            null => def.NotApplicable($"{what} is advertised ({profile}), but no real request showed whether it works: {probe.Evidence}").WithCase(feature),
        };
    }

    public static CheckResult EvaluateAdvertisedGrantWorks(DiscoveryDocument d, FeatureSet features, string grant, FeatureProbe? probe)
    {
        if (!d.Body.IsObject) return AdvertisedGrantWorks.NotApplicable($"no discovery document: {d.Body.Problem}").WithCase(grant);
        var (values, defaulted) = AdvertisedGrantTypes(d);
        if (values is null) return AdvertisedGrantWorks.Violation("grant_types_supported is not an array of strings").WithCase(grant);
        return AdvertisedWorks(AdvertisedGrantWorks, grant, $"grant type {grant}{(defaulted ? " (by the Discovery §3 default, grant_types_supported is omitted)" : "")}",
            values.Contains(grant), Offered(features, grant), probe);
    }

    public static CheckResult EvaluateAdvertisedEndpointWorks(DiscoveryDocument d, FeatureSet features, string endpoint, FeatureProbe? probe)
    {
        if (!d.Body.IsObject) return AdvertisedEndpointWorks.NotApplicable($"no discovery document: {d.Body.Problem}").WithCase(endpoint);
        return AdvertisedWorks(AdvertisedEndpointWorks, endpoint, $"{endpoint}_endpoint", EndpointAdvertised(d, endpoint), Offered(features, endpoint), probe);
    }

    public static CheckResult EvaluateOfferedGrantAdvertised(DiscoveryDocument d, FeatureSet features, string grant)
    {
        if (!Offered(features, grant)) return OfferedGrantAdvertised.NotApplicable($"the provider does not offer {grant} (profile features.{ProfileFeatureName(grant)})").WithCase(grant);
        if (!d.Body.IsObject) return OfferedGrantAdvertised.NotApplicable($"no discovery document: {d.Body.Problem}").WithCase(grant);
        var (values, defaulted) = AdvertisedGrantTypes(d);
        if (values is null) return OfferedGrantAdvertised.Violation("grant_types_supported is not an array of strings").WithCase(grant);
        return OfferedGrantAdvertised.Require(values.Contains(grant),
            defaulted ? $"the provider offers {grant}, but grant_types_supported is omitted and its default [authorization_code, implicit] does not include it"
                      : $"the provider offers {grant}, but grant_types_supported is [{string.Join(", ", values)}]; clients that read the metadata will not use it",
            $"{grant} is advertised").WithCase(grant);
    }

    public static CheckResult EvaluateOfferedEndpointAdvertised(DiscoveryDocument d, FeatureSet features, string endpoint)
    {
        if (!Offered(features, endpoint)) return OfferedEndpointAdvertised.NotApplicable($"the provider does not offer {endpoint} (profile features.{ProfileFeatureName(endpoint)})").WithCase(endpoint);
        if (!d.Body.IsObject) return OfferedEndpointAdvertised.NotApplicable($"no discovery document: {d.Body.Problem}").WithCase(endpoint);
        return OfferedEndpointAdvertised.Require(EndpointAdvertised(d, endpoint),
            $"the provider offers {endpoint} (profile), but {endpoint}_endpoint is not in the discovery document", $"{endpoint}_endpoint is advertised").WithCase(endpoint);
    }

    // ---- client authentication, response modes, claims -----------------------------------------------------------

    public static readonly CheckDefinition AuthMethodsCoverClients = new("discovery.token-auth-methods-cover-clients",
        "token_endpoint_auth_methods_supported (default client_secret_basic) lists every method the profile's clients authenticate with", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "token_endpoint_auth_methods_supported: \"If omitted, the default is client_secret_basic\""),
            new(SpecDocument.Rfc8414, "2"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition ResponseModesKnown = new("discovery.response-modes-known",
        "response_modes_supported, where present, lists only response modes (query, fragment, form_post, JARM *.jwt, web_message)", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "response_modes_supported"),
            new(SpecDocument.OAuthMultipleResponseTypes, "2.1"),
            new(SpecDocument.OAuthFormPostResponseMode, "2"),
            new(SpecDocument.Jarm, "2.3"),
        ],
        RequirementLevel.Should) { Note = "SHOULD: extension modes exist, so unknown values warn" };

    public static readonly CheckDefinition ClaimsSupportedSub = new("discovery.claims-supported-sub",
        "claims_supported, where present, contains sub (the one claim every ID token and UserInfo response carries)", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "claims_supported: RECOMMENDED"),
            new(SpecDocument.OpenIdConnectCore, "2"),
            new(SpecDocument.OpenIdConnectCore, "5.3.2", "sub REQUIRED"),
        ], RequirementLevel.Should);

    public static readonly IReadOnlyList<string> ClientRoles = ["confidential", "secondConfidential", "public", "clientCredentials"];

    public static readonly IReadOnlySet<string> KnownResponseModes = new HashSet<string>
    {
        "query", "fragment", "form_post", "query.jwt", "fragment.jwt", "form_post.jwt", "jwt", "web_message",
    };

    public static CheckResult EvaluateAuthMethodsCoverClients(DiscoveryDocument d, string role, ClientProfile? client)
    {
        if (client is null) return AuthMethodsCoverClients.NotApplicable($"the profile has no {role} client").WithCase(role);
        if (!d.Body.IsObject) return AuthMethodsCoverClients.NotApplicable($"no discovery document: {d.Body.Problem}").WithCase(role);
        var defaulted = !d.Body.Has("token_endpoint_auth_methods_supported");
        var listed = defaulted ? ["client_secret_basic"] : d.StringArray("token_endpoint_auth_methods_supported");
        if (listed is null) return AuthMethodsCoverClients.Violation("token_endpoint_auth_methods_supported is not an array of strings").WithCase(role);
        var missing = client.TokenEndpointAuthMethods.Where(m => !listed.Contains(m)).ToList();
        return AuthMethodsCoverClients.Require(missing.Count == 0,
            $"client '{client.ClientId}' authenticates with {string.Join(", ", missing)}, which " +
            (defaulted ? "the omitted token_endpoint_auth_methods_supported does not cover (its default is client_secret_basic only)"
                       : $"token_endpoint_auth_methods_supported [{string.Join(", ", listed)}] does not list"),
            $"[{string.Join(", ", client.TokenEndpointAuthMethods)}] listed").WithCase(role);
    }

    public static CheckResult EvaluateResponseModesKnown(DiscoveryDocument d)
    {
        if (!d.Body.IsObject) return ResponseModesKnown.NotApplicable($"no discovery document: {d.Body.Problem}");
        if (!d.Body.Has("response_modes_supported")) return ResponseModesKnown.NotApplicable("response_modes_supported is omitted (OPTIONAL)");
        if (d.StringArray("response_modes_supported") is not { } modes) return ResponseModesKnown.Violation("response_modes_supported is not an array of strings");
        var unknown = modes.Where(m => !KnownResponseModes.Contains(m)).ToList();
        return ResponseModesKnown.Require(unknown.Count == 0,
            $"response_modes_supported [{string.Join(", ", modes)}] contains values that are not response modes: {string.Join(", ", unknown)} (clients such as openid-client reject the document)",
            $"[{string.Join(", ", modes)}]");
    }

    public static CheckResult EvaluateClaimsSupportedSub(DiscoveryDocument d)
    {
        if (!d.Body.IsObject) return ClaimsSupportedSub.NotApplicable($"no discovery document: {d.Body.Problem}");
        if (!d.Body.Has("claims_supported")) return ClaimsSupportedSub.NotApplicable("claims_supported is omitted (see discovery.recommended-metadata)");
        if (d.StringArray("claims_supported") is not { } claims) return ClaimsSupportedSub.Violation("claims_supported is not an array of strings");
        return ClaimsSupportedSub.Require(claims.Contains("sub"), $"claims_supported has {claims.Count} claims but not sub");
    }

    // ---- per-application discovery -------------------------------------------------------------------------------

    public static readonly CheckDefinition AppDocumentJson = new("discovery.app-document-json",
        "Every per-application discovery document (profile applicationDiscovery) answers 200 with a JSON object", Area,
        [new(SpecDocument.OpenIdConnectDiscovery, "4.2")], RequirementLevel.Must);

    /// <summary>
    /// A relaxation, graded as one, for documents outside Discovery §4.3: a per-application document served at a URL that
    /// §4.1 does not produce (Casdoor: /.well-known/{app}/openid-configuration) has no URL base its issuer must equal; what a
    /// relying party still needs is an issuer it can expect — the provider's global issuer — and the tokens to carry it
    /// (discovery.app-id-token-iss, a MUST). A document at a §4.1 URL gets no relaxation: its issuer must be its URL base,
    /// the rule discovery.issuer-matches-url applies (both ask <see cref="IssuerRule"/>).
    /// </summary>
    public static readonly CheckDefinition AppIssuer = new("discovery.app-issuer",
        "Every per-application document names an issuer a relying party can expect: the global issuer or its own URL base", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "4.3", "its MUST is judged by discovery.issuer-matches-url; this is a relaxation for documents outside that rule, graded SHOULD"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "step 2"),
        ],
        RequirementLevel.Should);

    public static readonly CheckDefinition AppJwks = new("discovery.app-jwks-fetchable",
        "Every per-application document's jwks_uri answers 200 with a JWK Set", Area,
        [new(SpecDocument.OpenIdConnectDiscovery, "3", "jwks_uri"), new(SpecDocument.Rfc7517, "5")], RequirementLevel.Must);

    public static readonly CheckDefinition AppIdTokenIss = new("discovery.app-id-token-iss",
        "An ID token obtained with each application's client carries iss equal to that application's document issuer", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "step 2: iss MUST exactly match the Issuer Identifier obtained by Discovery"),
            new(SpecDocument.OpenIdConnectDiscovery, "4.3"),
        ], RequirementLevel.Must);

    private const string NoApps = "the profile lists no per-application discovery documents (applicationDiscovery)";

    private static string Case(IReadOnlyList<AppDiscoveryArtifacts> apps) => string.Join(",", apps.Select(a => a.App.Name));

    public static CheckResult EvaluateAppDocumentJson(IReadOnlyList<AppDiscoveryArtifacts> apps)
    {
        if (apps.Count == 0) return AppDocumentJson.NotApplicable(NoApps);
        var problems = new List<string>();
        foreach (var a in apps)
        {
            var e = a.Document.Exchange;
            if (e.TransportError is not null) problems.Add($"{a.App.Name}: no response: {e.TransportError}");
            else if (e.StatusCode != 200) problems.Add($"{a.App.Name}: {e.Summary}, expected 200");
            else if (!a.Document.Body.IsObject) problems.Add($"{a.App.Name}: {a.Document.Body.Problem}");
            else if (!e.IsJsonContentType) problems.Add($"{a.App.Name}: Content-Type '{e.ContentType ?? "(none)"}' is not application/json");
        }
        return AppDocumentJson.Require(problems.Count == 0, string.Join("; ", problems), $"{apps.Count} document(s)").WithCase(Case(apps));
    }

    public static CheckResult EvaluateAppIssuer(IReadOnlyList<AppDiscoveryArtifacts> apps, string globalIssuer)
    {
        if (apps.Count == 0) return AppIssuer.NotApplicable(NoApps);
        var problems = new List<string>();
        var judged = 0;
        foreach (var a in apps)
        {
            if (!a.Document.Body.IsObject) continue;
            judged++;
            var issuer = a.Document.Issuer;
            var own = IssuerRule.UrlBase(a.Document.Url);
            if (issuer is null) problems.Add($"{a.App.Name}: no issuer");
            // A document at a §4.1 URL is governed by §4.3 (the rule discovery.issuer-matches-url applies): no relaxation, so
            // the two checks never disagree about it. Only a document at another URL may name the global issuer instead.
            else if (own is not null && IssuerRule.IssuerIsUrlBase(a.Document) != true)
                problems.Add($"{a.App.Name}: issuer '{issuer}' differs from '{own}', the URL base of {a.Document.Url} (OIDC Discovery 1.0 §4.3; discovery.issuer-matches-url)");
            else if (own is null && issuer != globalIssuer)
                problems.Add($"{a.App.Name}: issuer '{issuer}' is not the global issuer '{globalIssuer}', and its URL ({a.Document.Url}) gives no other issuer to expect");
        }
        if (judged == 0) return AppIssuer.NotApplicable("no per-application document could be read (see discovery.app-document-json)").WithCase(Case(apps));
        return AppIssuer.Require(problems.Count == 0, string.Join("; ", problems), $"{judged} issuer(s) as expected").WithCase(Case(apps));
    }

    public static CheckResult EvaluateAppJwks(IReadOnlyList<AppDiscoveryArtifacts> apps)
    {
        if (apps.Count == 0) return AppJwks.NotApplicable(NoApps);
        var problems = new List<string>();
        var judged = 0;
        foreach (var a in apps)
        {
            if (!a.Document.Body.IsObject) continue;
            judged++;
            if (a.Document.JwksUri is null) { problems.Add($"{a.App.Name}: no jwks_uri"); continue; }
            if (a.Jwks is not { } j) { problems.Add($"{a.App.Name}: jwks_uri was not fetched"); continue; }
            if (j.Exchange.TransportError is not null) problems.Add($"{a.App.Name}: no response from {j.Url}: {j.Exchange.TransportError}");
            else if (j.Exchange.StatusCode != 200) problems.Add($"{a.App.Name}: {j.Exchange.Summary}, expected 200");
            else if (j.Body.Get("keys") is not { ValueKind: JsonValueKind.Array }) problems.Add($"{a.App.Name}: {j.Body.Problem ?? "the JSON object has no 'keys' array"}");
        }
        if (judged == 0) return AppJwks.NotApplicable("no per-application document could be read (see discovery.app-document-json)").WithCase(Case(apps));
        return AppJwks.Require(problems.Count == 0, string.Join("; ", problems), $"{judged} JWK Set(s) fetched").WithCase(Case(apps));
    }

    public static CheckResult EvaluateAppIdTokenIss(IReadOnlyList<AppDiscoveryArtifacts> apps)
    {
        if (apps.Count == 0) return AppIdTokenIss.NotApplicable(NoApps);
        var problems = new List<string>();
        var skipped = new List<string>();
        var judged = 0;
        foreach (var a in apps)
        {
            if (a.IdToken is not { IsValid: true } jwt) { skipped.Add($"{a.App.Name}: {a.IdTokenProblem ?? a.IdToken?.Problem ?? "no ID token"}"); continue; }
            judged++;
            var iss = jwt.ClaimString("iss");
            switch (IssuerRule.CompareWithToken(a.Document, jwt))
            {
                case IssuerRule.TokenMatch.DocumentHasNoIssuer:
                    problems.Add($"{a.App.Name}: its document names no issuer, so the ID token's iss '{iss ?? "(none)"}' matches no Issuer Identifier; relying parties configured with this document reject the token");
                    break;
                case IssuerRule.TokenMatch.Differs:
                    problems.Add($"{a.App.Name}: the ID token's iss '{iss ?? "(none)"}' differs from the document's issuer '{a.Document.Issuer}'; relying parties configured with this document reject the token");
                    break;
            }
        }
        if (problems.Count > 0) return AppIdTokenIss.Violation(string.Join("; ", problems)).WithCase(Case(apps));
        if (judged == 0) return AppIdTokenIss.NotApplicable("no ID token to compare: " + string.Join("; ", skipped)).WithCase(Case(apps));
        return AppIdTokenIss.Pass($"{judged} application(s) consistent" + (skipped.Count > 0 ? $"; not judged: {string.Join("; ", skipped)}" : "")).WithCase(Case(apps));
    }
}
