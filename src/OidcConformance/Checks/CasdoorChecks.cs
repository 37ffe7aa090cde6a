using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// Checks of Casdoor's own surface (docs/casdoor.md §(e)): per-application discovery, the accessToken query parameter
/// at /api/userinfo, /api/get-account versus /api/userinfo, introspection with HTTP Basic, and Casdoor's extra refresh
/// endpoint. They apply only when the profile has the feature <c>casdoorApi</c> (<see cref="IsCasdoor"/>); the suite leaves
/// them out of the run for any other profile, and evaluated anyway they are Inconclusive (<see cref="NotCasdoor"/>).
/// </summary>
public static class CasdoorChecks
{
    private const string Area = "Casdoor";

    /// <summary>The profile feature that switches these checks on (profile <c>features.casdoorApi</c>).</summary>
    public const string Feature = "casdoorApi";

    public static readonly CheckDefinition AppDiscoveryIssuer = new("casdoor.app-discovery-issuer-matches-tokens",
        "A per-application discovery document's issuer equals the iss of ID tokens issued to that application's client", Area,
        [
            new(SpecDocument.OpenIdConnectDiscovery, "4.3", "issuer identical to the iss of issued ID tokens"),
            new(SpecDocument.OpenIdConnectCore, "3.1.3.7", "step 2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition AppJwks = new("casdoor.app-jwks-verifies-tokens",
        "The per-application document's jwks_uri serves a key that verifies the ID tokens issued to that application", Area,
        [new(SpecDocument.OpenIdConnectDiscovery, "3", "jwks_uri"), new(SpecDocument.OpenIdConnectCore, "10.1")], RequirementLevel.Must);

    public static readonly CheckDefinition UserinfoTokenLocation = new("casdoor.userinfo-token-location",
        "UserInfo returns the user's claims for the access token sent in the Authorization header (scheme \"Bearer\") and in Casdoor's accessToken query parameter", Area,
        [
            new(SpecDocument.Rfc6750, "2.1"),
            new(SpecDocument.Rfc6750, "2.3"),
            new(SpecDocument.OpenIdConnectCore, "5.3.1"),
            new(SpecDocument.CasdoorApi, "GET /api/userinfo?accessToken=", "docs/casdoor.md A-48"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition GetAccountFullUser = new("casdoor.get-account-full-user",
        "/api/get-account with the access token answers the ok envelope whose data is the user's full Casdoor record (id = sub)", Area,
        [new(SpecDocument.CasdoorApi, "GET /api/get-account", "controllers/account.go GetAccount; docs/casdoor.md A-48, §(e)"), new(SpecDocument.OpenIdConnectCore, "5.3", "compare")],
        RequirementLevel.Should);

    public static readonly CheckDefinition UserinfoGrantedScopesOnly = new("casdoor.userinfo-granted-scopes-only",
        "UserInfo returns only the OIDC claims of the granted scopes, not the Casdoor user record that /api/get-account returns", Area,
        [
            new(SpecDocument.OpenIdConnectCore, "5.3.2"),
            new(SpecDocument.OpenIdConnectCore, "5.4", "claims per requested scope"),
            new(SpecDocument.OpenIdConnectCore, "5.1"),
        ], RequirementLevel.Should);

    public static readonly CheckDefinition IntrospectionBasic = new("casdoor.introspection-basic-auth",
        "Introspection with client authentication by HTTP scheme \"Basic\" reports the caller's live token as active, with its client_id and sub", Area,
        [
            new(SpecDocument.Rfc7662, "2.1"),
            new(SpecDocument.Rfc7662, "2.2"),
            new(SpecDocument.Rfc6749, "2.3.1", "servers must support HTTP scheme \"Basic\""),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition RefreshEndpoints = new("casdoor.refresh-endpoints",
        "A refresh token is redeemed for a new access token of the same user at the token endpoint and at Casdoor's /api/login/oauth/refresh_token", Area,
        [
            new(SpecDocument.Rfc6749, "6"),
            new(SpecDocument.Rfc6749, "5.1"),
            new(SpecDocument.CasdoorApi, "POST /api/login/oauth/refresh_token", "controllers/token.go RefreshToken"),
        ], RequirementLevel.Must);

    /// <summary>Whether the profile offers Casdoor's API (feature <c>casdoorApi</c>), whatever its login driver.</summary>
    public static bool IsCasdoor(ProviderProfile profile) => profile.Features.CasdoorApi;

    /// <summary>Inconclusive for every profile without the <c>casdoorApi</c> feature; null for Casdoor.</summary>
    public static CheckResult? NotCasdoor(CheckDefinition check, ProviderProfile profile) =>
        IsCasdoor(profile)
            ? null
            : check.NotApplicable($"Casdoor-specific check: provider '{profile.Name}' does not offer Casdoor's API (profile feature {Feature} is off)");

    // ---- per-application discovery ----------------------------------------------------------------------------------

    private static string? Unusable(DiscoveryDocument d) =>
        d.Exchange.TransportError is not null ? $"no response from {d.Url}: {d.Exchange.TransportError}"
        : d.Exchange.StatusCode != 200 ? $"{d.Exchange.Summary}: expected 200"
        : !d.Body.IsObject ? $"{d.Exchange.Summary}: {d.Body.Problem}"
        : IsEnvelopeError(d.Body) ? $"Casdoor error envelope: {EnvelopeMessage(d.Body)}"
        : null;

    /// <param name="appDocument">The per-application discovery document (profile applicationDiscovery[].url).</param>
    /// <param name="idToken">An ID token issued to that application's client.</param>
    public static CheckResult EvaluateAppDiscoveryIssuer(string app, DiscoveryDocument appDocument, DecodedJwt idToken)
    {
        if (Unusable(appDocument) is { } problem)
            return AppDiscoveryIssuer.Violation($"the discovery document of application {app} cannot be used: {problem}").WithCase(app);
        if (appDocument.Issuer is not { } issuer)
            return AppDiscoveryIssuer.Violation($"the discovery document of application {app} has no issuer").WithCase(app);
        if (!idToken.IsValid) return AppDiscoveryIssuer.NotApplicable($"no ID token of application {app}: {idToken.Problem}").WithCase(app);
        var iss = idToken.ClaimString("iss");
        return AppDiscoveryIssuer.Require(IssuerRule.CompareWithToken(appDocument, idToken) == IssuerRule.TokenMatch.Same,
            $"{appDocument.Url} says issuer '{issuer}' but the ID token issued to application {app} carries iss '{iss ?? "(none)"}'; " +
            "a relying party configured with this document rejects the token",
            $"issuer '{issuer}' = iss of the application's ID token").WithCase(app);
    }

    public static CheckResult EvaluateAppJwks(string app, DiscoveryDocument appDocument, JwksDocument? appJwks, DecodedJwt idToken)
    {
        if (Unusable(appDocument) is { } problem)
            return AppJwks.Violation($"the discovery document of application {app} cannot be used: {problem}").WithCase(app);
        if (appDocument.JwksUri is null) return AppJwks.Violation($"the discovery document of application {app} has no jwks_uri").WithCase(app);
        if (appJwks is null) return AppJwks.NotApplicable("the application's key set was not fetched").WithCase(app);
        if (!idToken.IsValid) return AppJwks.NotApplicable($"no ID token of application {app}: {idToken.Problem}").WithCase(app);
        if (appJwks.Exchange.TransportError is not null || appJwks.Exchange.StatusCode != 200 || appJwks.Body.Get("keys") is not { ValueKind: JsonValueKind.Array })
            return AppJwks.Violation($"jwks_uri {appJwks.Url} of application {app} gives no JWK Set: " +
                                     (appJwks.Exchange.TransportError ?? $"{appJwks.Exchange.Summary}{(appJwks.Body.IsObject ? ", no keys array" : ", " + appJwks.Body.Problem)}")).WithCase(app);
        var signature = IdTokenChecks.EvaluateSignature(idToken, appJwks);
        return signature.Verdict switch
        {
            Verdict.Passed => AppJwks.Pass($"{appJwks.Url}: {signature.Reason}").WithCase(app),
            Verdict.Inconclusive => AppJwks.NotApplicable(signature.Reason).WithCase(app),
            _ => AppJwks.Violation($"{appJwks.Url} (jwks_uri of application {app}): {signature.Reason}").WithCase(app),
        };
    }

    // ---- userinfo -----------------------------------------------------------------------------------------------------

    public const string BearerHeaderCase = "Authorization header";
    public const string AccessTokenQueryCase = "accessToken query parameter";

    /// <param name="reference">The claims the Authorization-header call returned, to compare the query-parameter call with; null for the header case.</param>
    public static CheckResult EvaluateUserinfoTokenLocation(string @case, HttpExchange exchange, string? idTokenSub, JsonBody? reference = null)
    {
        var body = JsonBody.From(exchange);
        if (exchange.TransportError is not null) return UserinfoTokenLocation.Violation($"no response: {exchange.TransportError}").WithCase(@case);
        if (exchange.StatusCode != 200) return UserinfoTokenLocation.Violation($"{exchange.Summary}: expected 200").WithCase(@case);
        if (!body.IsObject) return UserinfoTokenLocation.Violation($"{exchange.Summary}: {body.Problem}").WithCase(@case);
        if (IsEnvelopeError(body))
            return UserinfoTokenLocation.Violation($"the token was not accepted: Casdoor error envelope '{EnvelopeMessage(body)}' (HTTP 200)").WithCase(@case);
        var sub = body.String("sub");
        if (sub is null) return UserinfoTokenLocation.Violation("the answer has no sub claim").WithCase(@case);
        if (idTokenSub is not null && sub != idTokenSub)
            return UserinfoTokenLocation.Violation($"sub '{sub}' differs from the ID token's '{idTokenSub}'").WithCase(@case);
        if (reference is { IsObject: true })
        {
            var mine = Properties(body);
            var theirs = Properties(reference);
            var differences = theirs.Keys.Union(mine.Keys).Order(StringComparer.Ordinal)
                .Where(k => !mine.TryGetValue(k, out var a) || !theirs.TryGetValue(k, out var b) || !JsonCompare.Equal(a, b))
                .Select(k => !mine.ContainsKey(k) ? $"{k} missing" : !theirs.ContainsKey(k) ? $"{k} extra" : $"{k} differs")
                .ToList();
            if (differences.Count > 0)
                return UserinfoTokenLocation.Violation("the claims differ from those for the Authorization header: " + string.Join("; ", differences)).WithCase(@case);
            return UserinfoTokenLocation.Pass($"the same {mine.Count} claims as with the Authorization header").WithCase(@case);
        }
        return UserinfoTokenLocation.Pass($"{Properties(body).Count} claims for sub {sub}").WithCase(@case);
    }

    /// <summary>Casdoor user-record fields that <c>/api/get-account</c> must return (object/user.go struct User, camelCase JSON).</summary>
    public static readonly IReadOnlyList<string> AccountRecordFields = ["owner", "name", "id", "displayName", "email", "avatar", "signupApplication"];

    public static CheckResult EvaluateGetAccount(HttpExchange account, string? sub, string username)
    {
        var body = JsonBody.From(account);
        if (account.TransportError is not null) return GetAccountFullUser.Violation($"no response: {account.TransportError}");
        if (account.StatusCode != 200) return GetAccountFullUser.Violation($"{account.Summary}: expected 200");
        if (!body.IsObject) return GetAccountFullUser.Violation($"{account.Summary}: {body.Problem}");
        if (body.String("status") is not "ok")
            return GetAccountFullUser.Violation(IsEnvelopeError(body)
                ? $"Casdoor error envelope '{EnvelopeMessage(body)}'"
                : "the answer is not a Casdoor envelope with status 'ok'");
        if (body.Get("data") is not { ValueKind: JsonValueKind.Object } data)
            return GetAccountFullUser.Violation("the envelope has no user object in data");
        var missing = AccountRecordFields.Where(f => !data.TryGetProperty(f, out _)).ToList();
        if (missing.Count > 0) return GetAccountFullUser.Violation("data is not a full user record: missing " + string.Join(", ", missing));
        var id = data.GetProperty("id").ValueKind == JsonValueKind.String ? data.GetProperty("id").GetString() : null;
        if (sub is not null && id != sub) return GetAccountFullUser.Violation($"data.id '{id}' is not the token's sub '{sub}'");
        var name = data.GetProperty("name").ValueKind == JsonValueKind.String ? data.GetProperty("name").GetString() : null;
        if (name != username) return GetAccountFullUser.Violation($"data.name '{name}' is not the signed-in user '{username}'");
        return GetAccountFullUser.Pass($"full user record with {data.EnumerateObject().Count()} fields for {username}");
    }

    /// <summary>Claim names of each standard scope (OIDC Core 1.0 §5.4), plus Casdoor's own name <c>phone</c> for the phone scope (A-50).</summary>
    public static readonly IReadOnlyDictionary<string, string[]> ScopeClaimNames = new Dictionary<string, string[]>
    {
        ["profile"] =
        [
            "name", "family_name", "given_name", "middle_name", "nickname", "preferred_username", "profile", "picture", "website",
            "gender", "birthdate", "zoneinfo", "locale", "updated_at",
        ],
        ["email"] = ["email", "email_verified"],
        ["address"] = ["address"],
        ["phone"] = ["phone_number", "phone_number_verified", "phone"],
    };

    /// <summary>Claims a UserInfo response may always carry whatever the scope (OIDC Core 1.0 §5.3.2, §2; JWT registered claims).</summary>
    private static readonly string[] AlwaysAllowed = ["sub", "iss", "aud"];

    /// <param name="userinfo">UserInfo for a token whose granted scope is <paramref name="grantedScope"/>.</param>
    /// <param name="account">/api/get-account for the same token (its data = the Casdoor user record), when available.</param>
    public static CheckResult EvaluateUserinfoGrantedScopesOnly(JsonBody userinfo, JsonBody? account, string grantedScope)
    {
        if (!userinfo.IsObject) return UserinfoGrantedScopesOnly.NotApplicable($"no UserInfo JSON ({userinfo.Problem})");
        if (IsEnvelopeError(userinfo)) return UserinfoGrantedScopesOnly.NotApplicable($"UserInfo answered a Casdoor error envelope '{EnvelopeMessage(userinfo)}'");
        var granted = grantedScope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var claims = Properties(userinfo).Keys.ToList();
        var problems = new List<string>();
        foreach (var (scope, names) in ScopeClaimNames)
        {
            if (granted.Contains(scope)) continue;
            var leaked = claims.Where(names.Contains).ToList();
            if (leaked.Count > 0) problems.Add($"claims of the ungranted scope {scope}: {string.Join(", ", leaked)}");
        }
        var standard = ScopeClaimNames.Values.SelectMany(n => n).Concat(AlwaysAllowed).ToHashSet(StringComparer.Ordinal);
        if (account?.Get("data") is { ValueKind: JsonValueKind.Object } record)
        {
            var recordOnly = record.EnumerateObject().Select(p => p.Name).Where(n => !standard.Contains(n)).ToHashSet(StringComparer.Ordinal);
            var copied = claims.Where(recordOnly.Contains).ToList();
            if (copied.Count > 0) problems.Add($"Casdoor user-record fields (as /api/get-account returns them): {string.Join(", ", copied)}");
        }
        return UserinfoGrantedScopesOnly.Require(problems.Count == 0,
            $"granted scope '{grantedScope}', but UserInfo returns " + string.Join("; ", problems),
            $"{claims.Count} claims, all within the granted scope '{grantedScope}'");
    }

    // ---- introspection ------------------------------------------------------------------------------------------------

    public static CheckResult EvaluateIntrospection(string @case, HttpExchange exchange, string clientId, string? sub)
    {
        var body = JsonBody.From(exchange);
        if (exchange.TransportError is not null) return IntrospectionBasic.Violation($"no response: {exchange.TransportError}").WithCase(@case);
        if (exchange.StatusCode == 401)
            return IntrospectionBasic.Violation($"{exchange.Summary}: client authentication by HTTP scheme \"Basic\" was refused" +
                                                (body.String("error") is { } e ? $" (error '{e}')" : "")).WithCase(@case);
        if (exchange.StatusCode != 200) return IntrospectionBasic.Violation($"{exchange.Summary}: expected 200" +
                                                                             (body.String("error") is { } e2 ? $", error '{e2}'" : "")).WithCase(@case);
        if (!body.IsObject) return IntrospectionBasic.Violation($"{exchange.Summary}: {body.Problem}").WithCase(@case);
        if (IsEnvelopeError(body)) return IntrospectionBasic.Violation($"Casdoor error envelope '{EnvelopeMessage(body)}'").WithCase(@case);
        if (body.Get("active") is not { } active) return IntrospectionBasic.Violation("the answer has no 'active' member (RFC 7662 §2.2 REQUIRED)").WithCase(@case);
        if (active.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
            return IntrospectionBasic.Violation($"'active' is a JSON {JsonCompare.TypeName(active)}, not a boolean").WithCase(@case);
        if (active.ValueKind == JsonValueKind.False) return IntrospectionBasic.Violation($"the live {@case} is reported as inactive").WithCase(@case);
        if (body.Get("client_id") is { } cid && (cid.ValueKind != JsonValueKind.String || cid.GetString() != clientId))
            return IntrospectionBasic.Violation($"client_id is {JsonCompare.Short(cid)}, expected '{clientId}'").WithCase(@case);
        if (sub is not null && body.Get("sub") is { } s && (s.ValueKind != JsonValueKind.String || s.GetString() != sub))
            return IntrospectionBasic.Violation($"sub is {JsonCompare.Short(s)}, expected '{sub}'").WithCase(@case);
        return IntrospectionBasic.Pass($"active {@case}" + (body.Has("client_id") ? $", client_id {clientId}" : "") + (body.Has("sub") ? ", sub as in the token" : "")).WithCase(@case);
    }

    // ---- refresh ------------------------------------------------------------------------------------------------------

    public const string TokenEndpointCase = "token endpoint";
    public const string RefreshEndpointCase = "/api/login/oauth/refresh_token";

    public static CheckResult EvaluateRefresh(string @case, TokenResponse? response, string? originalSub, string? previousRefreshToken)
    {
        if (response is null) return RefreshEndpoints.NotApplicable("no refresh token to redeem").WithCase(@case);
        var ex = response.Exchange;
        if (ex.TransportError is not null) return RefreshEndpoints.Violation($"no response: {ex.TransportError}").WithCase(@case);
        if (response.Body.IsObject && IsEnvelopeError(response.Body))
            return RefreshEndpoints.Violation($"Casdoor error envelope '{EnvelopeMessage(response.Body)}' (HTTP {ex.StatusCode})").WithCase(@case);
        if (!response.IsSuccess || ex.StatusCode != 200) return RefreshEndpoints.Violation($"the refresh failed: {response.Describe()}").WithCase(@case);
        if (response.TokenType is not { } type || !type.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return RefreshEndpoints.Violation($"token_type is '{response.TokenType ?? "(missing)"}', expected Bearer").WithCase(@case);
        var access = DecodedJwt.Decode(response.AccessToken);
        if (originalSub is not null && access.IsValid && access.ClaimString("sub") is { } sub && sub != originalSub)
            return RefreshEndpoints.Violation($"the new access token is for sub '{sub}', not the original '{originalSub}'").WithCase(@case);
        var rotated = response.RefreshToken is { Length: > 0 } rt && rt != previousRefreshToken;
        return RefreshEndpoints.Pass("new access token for the same user" + (rotated ? ", refresh token rotated" : "")).WithCase(@case);
    }

    // ---- Casdoor envelope ---------------------------------------------------------------------------------------------

    /// <summary>Casdoor's own reply {"status":"error","msg":…} (controllers/account.go / routers/base.go struct Response), always HTTP 200.</summary>
    public static bool IsEnvelopeError(JsonBody body) => body.IsStatusErrorEnvelope;

    private static string EnvelopeMessage(JsonBody body) => Redactor.Redact(body.String("msg") ?? "");

    private static Dictionary<string, JsonElement> Properties(JsonBody body) =>
        body.Object is { } o ? o.EnumerateObject().ToDictionary(p => p.Name, p => p.Value, StringComparer.Ordinal) : [];
}
