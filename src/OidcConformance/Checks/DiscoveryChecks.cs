using System.Text.Json;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>OpenID Connect Discovery 1.0 metadata checks (pure functions over the fetched document).</summary>
public static class DiscoveryChecks
{
    private const string Area = "Discovery";

    public static readonly CheckDefinition Json = new("discovery.json-object",
        "Discovery answers 200 with a JSON object as application/json", Area, [new(SpecDocument.OpenIdConnectDiscovery, "4.2")], RequirementLevel.Must);

    public static readonly CheckDefinition RequiredMetadata = new("discovery.required-metadata",
        "Required provider metadata present with the right JSON types", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition RecommendedMetadata = new("discovery.recommended-metadata",
        "Recommended metadata present (userinfo_endpoint, scopes_supported, claims_supported)", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3")], RequirementLevel.Should);

    public static readonly CheckDefinition IssuerMatchesDiscoveryUrl = new("discovery.issuer-matches-url",
        "issuer is identical to the URL the document was fetched from, minus /.well-known/openid-configuration", Area,
        [new(SpecDocument.OpenIdConnectDiscovery, "4.3")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition IssuerMatchesProfile = new("discovery.issuer-matches-profile",
        "issuer equals the issuer the provider profile expects", Area, [new(SpecDocument.OpenIdConnectDiscovery, "4.3")], RequirementLevel.Must);

    public static readonly CheckDefinition IssuerUrlForm = new("discovery.issuer-https-no-query",
        "issuer is an https URL without query or fragment", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3", "issuer")], RequirementLevel.Must);

    public static readonly CheckDefinition EndpointsAbsolute = new("discovery.endpoints-absolute-urls",
        "Every endpoint and jwks_uri is an absolute https URL", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3"), new(SpecDocument.Rfc6749, "3.1"), new(SpecDocument.Rfc6749, "3.2")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition ResponseTypeCode = new("discovery.response-types-code",
        "response_types_supported contains code", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3"), new(SpecDocument.OpenIdConnectCore, "3")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition Rs256 = new("discovery.id-token-alg-rs256",
        "id_token_signing_alg_values_supported contains RS256", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition ScopesOpenid = new("discovery.scopes-openid",
        "scopes_supported, where present, contains openid", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3", "scopes_supported")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition SubjectTypes = new("discovery.subject-types-valid",
        "subject_types_supported lists only pairwise and public", Area, [new(SpecDocument.OpenIdConnectDiscovery, "3"), new(SpecDocument.OpenIdConnectCore, "8")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition JwksFetched = new("jwks.fetch",
        "jwks_uri answers 200 with a JWK Set (a JSON object with a keys array)", "JWKS", [new(SpecDocument.Rfc7517, "5"), new(SpecDocument.OpenIdConnectDiscovery, "3", "jwks_uri")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition JwksUsableKey = new("jwks.usable-signing-key",
        "The JWK Set holds at least one public signing key a standard library can use", "JWKS", [new(SpecDocument.OpenIdConnectCore, "10.1"), new(SpecDocument.Rfc7517, "4")], RequirementLevel.Must) { OidfModules = ["oidcc-discovery-endpoint-verification"] };

    public static readonly CheckDefinition JwksUniqueKid = new("jwks.unique-kid",
        "Keys carry distinct kid values", "JWKS", [new(SpecDocument.Rfc7517, "4.5"), new(SpecDocument.OpenIdConnectCore, "10.1")], RequirementLevel.Should);

    public static readonly CheckDefinition JwksRsaSize = new("jwks.rsa-key-size",
        "RSA signing keys are at least 2048 bits", "JWKS", [new(SpecDocument.Rfc7518, "3.3")], RequirementLevel.Must);

    public static readonly CheckDefinition JwksNoPrivateMaterial = new("jwks.no-private-key-material",
        "Published keys contain no private key members (d, p, q, dp, dq, qi, k)", "JWKS", [new(SpecDocument.Rfc7517, "5"), new(SpecDocument.Rfc7518, "6.3.2"), new(SpecDocument.Rfc7518, "6.4")], RequirementLevel.Must);

    private static readonly string[] RequiredStrings = ["issuer", "authorization_endpoint", "jwks_uri"];
    private static readonly string[] RequiredArrays = ["response_types_supported", "subject_types_supported", "id_token_signing_alg_values_supported"];

    public static CheckResult EvaluateJson(DiscoveryDocument d) =>
        JudgeJson(d).Observed("HTTP status", "200", Observe.StatusOf(d.Exchange)).Observed("Content-Type", "application/json", d.Exchange.ContentType);

    private static CheckResult JudgeJson(DiscoveryDocument d)
    {
        if (d.Exchange.TransportError is not null) return Json.Violation($"no response from {d.Url}: {d.Exchange.TransportError}");
        if (d.Exchange.StatusCode != 200) return Json.Violation($"{d.Exchange.Summary}: HTTP {d.Exchange.StatusCode}, expected 200");
        if (!d.Body.IsObject) return Json.Violation($"{d.Exchange.Summary}: {d.Body.Problem}");
        if (!d.Exchange.IsJsonContentType) return Json.Violation($"Content-Type is '{d.Exchange.ContentType ?? "(none)"}', expected application/json");
        return Json.Pass();
    }

    public static CheckResult EvaluateRequiredMetadata(DiscoveryDocument d)
    {
        if (!d.Body.IsObject) return RequiredMetadata.NotApplicable($"no discovery document: {d.Body.Problem}");
        var problems = new List<string>();
        foreach (var name in RequiredStrings)
            if (d.Body.Get(name) is not { ValueKind: JsonValueKind.String } v || string.IsNullOrEmpty(v.GetString()))
                problems.Add(d.Body.Has(name) ? $"{name} is not a non-empty string" : $"{name} is missing");
        // token_endpoint is required unless only the implicit flow is offered.
        var implicitOnly = d.StringArray("response_types_supported") is { } rts && rts.All(rt => !rt.Split(' ').Contains("code"));
        if (!implicitOnly && d.Body.Get("token_endpoint") is not { ValueKind: JsonValueKind.String })
            problems.Add(d.Body.Has("token_endpoint") ? "token_endpoint is not a string" : "token_endpoint is missing");
        foreach (var name in RequiredArrays)
        {
            if (d.Body.Get(name) is not { ValueKind: JsonValueKind.Array } arr) { problems.Add(d.Body.Has(name) ? $"{name} is not a JSON array" : $"{name} is missing"); continue; }
            if (arr.GetArrayLength() == 0) problems.Add($"{name} is empty");
            else if (arr.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String)) problems.Add($"{name} has non-string members");
        }
        return RequiredMetadata.Require(problems.Count == 0, string.Join("; ", problems))
            .Observed("missing or malformed required members", "none", problems.Count == 0 ? "none" : string.Join("; ", problems));
    }

    public static CheckResult EvaluateRecommendedMetadata(DiscoveryDocument d)
    {
        if (!d.Body.IsObject) return RecommendedMetadata.NotApplicable($"no discovery document: {d.Body.Problem}");
        var missing = new[] { "userinfo_endpoint", "scopes_supported", "claims_supported" }.Where(n => !d.Body.Has(n)).ToList();
        return RecommendedMetadata.Require(missing.Count == 0, "missing: " + string.Join(", ", missing))
            .Observed("missing recommended members", "none", missing.Count == 0 ? "none" : string.Join(", ", missing));
    }

    public static CheckResult EvaluateIssuerMatchesUrl(DiscoveryDocument d)
    {
        if (d.Issuer is not { } issuer) return IssuerMatchesDiscoveryUrl.NotApplicable("no issuer in the document");
        if (IssuerRule.UrlBase(d.Url) is not { } expected)
            return IssuerMatchesDiscoveryUrl.NotApplicable($"the document was not fetched from an {IssuerRule.WellKnownSuffix} URL ({d.Url})");
        return IssuerMatchesDiscoveryUrl.RequireEqual("issuer", expected, issuer,
            $"issuer '{issuer}' differs from '{expected}', the URL the document was fetched from; relying parties must reject it");
    }

    public static CheckResult EvaluateIssuerMatchesProfile(DiscoveryDocument d, string expectedIssuer)
    {
        if (d.Issuer is not { } issuer) return IssuerMatchesProfile.NotApplicable("no issuer in the document");
        return IssuerMatchesProfile.RequireEqual("issuer", expectedIssuer, issuer, $"issuer '{issuer}' is not the expected '{expectedIssuer}'");
    }

    public static CheckResult EvaluateIssuerForm(DiscoveryDocument d)
    {
        if (d.Issuer is not { } issuer) return IssuerUrlForm.NotApplicable("no issuer in the document");
        if (!Urls.TryAbsolute(issuer, out var u)) return IssuerUrlForm.Violation($"issuer '{issuer}' is not an absolute URL");
        if (u.Query.Length > 0 || issuer.Contains('#')) return IssuerUrlForm.Violation($"issuer '{issuer}' has a query or fragment");
        if (u.Scheme != "https")
            return Urls.IsLoopback(u)
                ? IssuerUrlForm.NotApplicable($"issuer '{issuer}' is a loopback test deployment over http; https cannot be judged here")
                : IssuerUrlForm.Violation($"issuer '{issuer}' does not use https");
        return IssuerUrlForm.Pass();
    }

    private static readonly string[] EndpointFields =
    [
        "authorization_endpoint", "token_endpoint", "userinfo_endpoint", "jwks_uri", "registration_endpoint", "introspection_endpoint",
        "revocation_endpoint", "end_session_endpoint", "device_authorization_endpoint", "pushed_authorization_request_endpoint",
    ];

    public static CheckResult EvaluateEndpointsAbsolute(DiscoveryDocument d)
    {
        if (!d.Body.IsObject) return EndpointsAbsolute.NotApplicable($"no discovery document: {d.Body.Problem}");
        var problems = new List<string>();
        var loopbackHttp = new List<string>();
        foreach (var name in EndpointFields.Where(d.Body.Has))
        {
            var value = d.String(name);
            if (!Urls.TryAbsolute(value, out var u)) { problems.Add($"{name} '{value}' is not an absolute http(s) URL"); continue; }
            if (u.Fragment.Length > 0) problems.Add($"{name} has a fragment");
            if (u.Scheme != "https") (Urls.IsLoopback(u) ? loopbackHttp : problems).Add($"{name} uses {u.Scheme}");
        }
        if (problems.Count > 0) return EndpointsAbsolute.Violation(string.Join("; ", problems));
        return EndpointsAbsolute.Pass(loopbackHttp.Count > 0 ? "absolute URLs; http accepted only because the deployment is on loopback" : "as required");
    }

    public static CheckResult EvaluateResponseTypeCode(DiscoveryDocument d) =>
        d.StringArray("response_types_supported") is not { } types
            ? ResponseTypeCode.NotApplicable("response_types_supported missing or malformed (see discovery.required-metadata)")
            : ResponseTypeCode.Require(types.Contains("code"), $"response_types_supported is [{string.Join(", ", types)}] without code")
                .Observed("response_types_supported", "contains code", string.Join(", ", types));

    public static CheckResult EvaluateRs256(DiscoveryDocument d) =>
        d.StringArray("id_token_signing_alg_values_supported") is not { } algs
            ? Rs256.NotApplicable("id_token_signing_alg_values_supported missing or malformed (see discovery.required-metadata)")
            : Rs256.Require(algs.Contains("RS256"), $"id_token_signing_alg_values_supported is [{string.Join(", ", algs)}] without RS256")
                .Observed("id_token_signing_alg_values_supported", "contains RS256", string.Join(", ", algs));

    public static CheckResult EvaluateScopesOpenid(DiscoveryDocument d)
    {
        if (!d.Body.Has("scopes_supported")) return ScopesOpenid.NotApplicable("scopes_supported is not published (it is only RECOMMENDED)");
        if (d.StringArray("scopes_supported") is not { } scopes) return ScopesOpenid.Violation("scopes_supported is not an array of strings");
        return ScopesOpenid.Require(scopes.Contains("openid"), $"scopes_supported is [{string.Join(", ", scopes)}] without openid")
            .Observed("scopes_supported", "contains openid", string.Join(", ", scopes));
    }

    public static CheckResult EvaluateSubjectTypes(DiscoveryDocument d)
    {
        if (d.StringArray("subject_types_supported") is not { } types)
            return SubjectTypes.NotApplicable("subject_types_supported missing or malformed (see discovery.required-metadata)");
        var bad = types.Where(t => t is not ("public" or "pairwise")).ToList();
        return SubjectTypes.Require(bad.Count == 0, $"unknown subject types: {string.Join(", ", bad)}")
            .Observed("subject_types_supported", "public and/or pairwise", string.Join(", ", types));
    }

    public static CheckResult EvaluateJwksFetched(JwksDocument j) => JudgeJwksFetched(j).Observed("HTTP status", "200", Observe.StatusOf(j.Exchange));

    private static CheckResult JudgeJwksFetched(JwksDocument j)
    {
        if (j.Exchange.TransportError is not null) return JwksFetched.Violation($"no response from {j.Url}: {j.Exchange.TransportError}");
        if (j.Exchange.StatusCode != 200) return JwksFetched.Violation($"{j.Exchange.Summary}: expected 200");
        if (!j.Body.IsObject) return JwksFetched.Violation($"{j.Exchange.Summary}: {j.Body.Problem}");
        if (j.Body.Get("keys") is not { ValueKind: JsonValueKind.Array }) return JwksFetched.Violation("the JSON object has no 'keys' array");
        return JwksFetched.Pass();
    }

    public static CheckResult EvaluateUsableKey(JwksDocument j)
    {
        if (j.Body.Get("keys") is not { ValueKind: JsonValueKind.Array }) return JwksUsableKey.NotApplicable("no JWK Set (see jwks.fetch)");
        var set = j.KeySet;
        if (set is null) return JwksUsableKey.Violation("Microsoft.IdentityModel cannot read the JWK Set");
        var signing = set.GetSigningKeys();
        return JwksUsableKey.Require(signing.Count > 0,
            $"none of the {j.Keys.Count} keys is a usable public signing key (kty RSA/EC with public parameters, use 'sig' or absent)",
            $"{signing.Count} usable signing key(s)").Observed("usable signing keys", "at least 1", signing.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public static CheckResult EvaluateUniqueKid(JwksDocument j)
    {
        if (j.Keys.Count == 0) return JwksUniqueKid.NotApplicable("no keys (see jwks.fetch)");
        var kids = j.Keys.Select(k => k.TryGetProperty("kid", out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null).ToList();
        if (j.Keys.Count > 1 && kids.Any(k => k is null)) return JwksUniqueKid.Violation($"{kids.Count(k => k is null)} of {j.Keys.Count} keys have no kid");
        var dup = kids.Where(k => k is not null).GroupBy(k => k).FirstOrDefault(g => g.Count() > 1);
        return JwksUniqueKid.Require(dup is null, $"kid '{dup?.Key}' is used by {dup?.Count()} keys");
    }

    public static CheckResult EvaluateRsaSize(JwksDocument j)
    {
        var rsa = j.Keys.Where(k => k.TryGetProperty("kty", out var t) && t.GetString() == "RSA").ToList();
        if (rsa.Count == 0) return JwksRsaSize.NotApplicable("no RSA keys published");
        var small = new List<string>();
        foreach (var k in rsa)
        {
            if (!k.TryGetProperty("n", out var n) || n.ValueKind != JsonValueKind.String) { small.Add("a key without modulus n"); continue; }
            byte[] bytes;
            try { bytes = Tokens.DecodedJwt.Base64UrlDecode(n.GetString()!); }
            catch (FormatException) { small.Add("a key whose n is not base64url"); continue; }
            var bits = bytes.SkipWhile(b => b == 0).Count() * 8;
            if (bits < 2048) small.Add($"{(k.TryGetProperty("kid", out var kid) ? kid.GetString() : "(no kid)")}: {bits} bits");
        }
        return JwksRsaSize.Require(small.Count == 0, "RSA keys below 2048 bits: " + string.Join("; ", small))
            .Observed("RSA keys below 2048 bits", "none", small.Count == 0 ? "none" : string.Join("; ", small));
    }

    private static readonly string[] PrivateMembers = ["d", "p", "q", "dp", "dq", "qi", "oth", "k"];

    public static CheckResult EvaluateNoPrivateMaterial(JwksDocument j)
    {
        if (j.Keys.Count == 0) return JwksNoPrivateMaterial.NotApplicable("no keys (see jwks.fetch)");
        var leaks = j.Keys.SelectMany((k, i) => PrivateMembers.Where(m => k.TryGetProperty(m, out _)).Select(m => $"key {i} has '{m}'")).ToList();
        // Names of the private members only, never their values.
        return JwksNoPrivateMaterial.Require(leaks.Count == 0, "private key material published: " + string.Join("; ", leaks))
            .Observed("private key members", "none", leaks.Count == 0 ? "none" : string.Join("; ", leaks));
    }
}
