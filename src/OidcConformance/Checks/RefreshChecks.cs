using System.Text.Json;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>The refresh token grant (RFC 6749 §6), its OIDC rules (OIDC Core 1.0 §12) and the Security BCP (RFC 9700 §4.14).</summary>
public static class RefreshChecks
{
    private const string Area = "Refresh token";

    public static readonly CheckDefinition Issued = new("refresh.token-issued",
        "A client registered for the refresh_token grant receives a refresh token from the code exchange", Area,
        [
            new(SpecDocument.Rfc6749, "1.5"),
            new(SpecDocument.Rfc6749, "5.1", "refresh_token is optional in general; required here because the profile registers the client for the refresh_token grant"),
        ],
        RequirementLevel.Must);

    public static readonly CheckDefinition Succeeds = new("refresh.grant-succeeds",
        "A refresh request with a valid refresh token returns 200 with a new access token", Area, [new(SpecDocument.Rfc6749, "6"), new(SpecDocument.Rfc6749, "5.1")], RequirementLevel.Must) { OidfModules = ["oidcc-refresh-token"] };

    public static readonly CheckDefinition AccessTokenWorks = new("refresh.access-token-works",
        "The access token from a refresh is accepted at the UserInfo endpoint for the same subject", Area,
        [
            new(SpecDocument.Rfc6749, "6"),
            new(SpecDocument.OpenIdConnectCore, "5.3.1"),
            new(SpecDocument.OpenIdConnectCore, "12.2"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition IdTokenConsistent = new("refresh.id-token-consistent",
        "An ID token from a refresh keeps iss, sub, aud, azp and auth_time of the original one, has a new iat and a valid signature", Area,
        [new(SpecDocument.OpenIdConnectCore, "12.2")], RequirementLevel.Must) { OidfModules = ["oidcc-refresh-token"] };

    public static readonly CheckDefinition PublicClientRotation = new("refresh.public-client-rotation",
        "A public client's refresh token (not sender-constrained) is rotated on use", Area,
        [new(SpecDocument.Rfc9700, "4.14.2"), new(SpecDocument.Rfc6749, "6", "MAY issue a new refresh token")], RequirementLevel.Must);

    public static readonly CheckDefinition RotatedReuseRejected = new("refresh.rotated-token-reuse-rejected",
        "A refresh token that was rotated away is refused (invalid_grant)", Area,
        [
            new(SpecDocument.Rfc9700, "4.14.2", "the previous refresh token is invalidated"),
            new(SpecDocument.Rfc6749, "6"),
            new(SpecDocument.Rfc6749, "5.2"),
        ],
        RequirementLevel.Must) {
            Note = "Reuse grace windows (e.g. FAPI 2.0's retry rule) are a known relaxation: list them as deviations",
        };

    public static readonly CheckDefinition ReuseRevokesActiveToken = new("refresh.reuse-revokes-active-token",
        "After a rotated-away refresh token was replayed, the active refresh token of that grant is revoked too", Area,
        [new(SpecDocument.Rfc9700, "4.14.2", "describes the revocation without an RFC 2119 keyword, hence SHOULD")], RequirementLevel.Should);

    public static readonly CheckDefinition BoundToClient = new("refresh.bound-to-client",
        "A refresh token presented by another authenticated client is refused (invalid_grant)", Area,
        [
            new(SpecDocument.Rfc6749, "6"),
            new(SpecDocument.Rfc6749, "10.4"),
            new(SpecDocument.Rfc6749, "5.2", "invalid_grant: issued to another client"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition ClientAuthenticationRequired = new("refresh.confidential-client-authentication",
        "A confidential client's refresh request without valid client authentication is refused (invalid_client)", Area,
        [new(SpecDocument.Rfc6749, "6", "MUST authenticate"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    public static readonly CheckDefinition ScopeNarrowing = new("refresh.scope-narrowing",
        "A refresh request for a subset of the granted scope succeeds and grants nothing beyond the original scope", Area,
        [new(SpecDocument.Rfc6749, "6"), new(SpecDocument.Rfc6749, "3.3"), new(SpecDocument.Rfc6749, "5.1")], RequirementLevel.Must);

    public static readonly CheckDefinition ScopeNotWidened = new("refresh.scope-not-widened",
        "A refresh request for a scope not originally granted is refused with invalid_scope, never granted", Area,
        [
            new(SpecDocument.Rfc6749, "6", "MUST NOT include any scope not originally granted"),
            new(SpecDocument.Rfc6749, "5.2", "invalid_scope"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition InvalidTokenRejected = new("refresh.invalid-token-rejected",
        "A refresh token the provider never issued is refused with invalid_grant", Area, [new(SpecDocument.Rfc6749, "6"), new(SpecDocument.Rfc6749, "5.2")], RequirementLevel.Must);

    private static readonly string[] InvalidGrant = ["invalid_grant"];

    /// <param name="registered">Whether the client is registered for the refresh_token grant (profile).</param>
    public static CheckResult EvaluateIssued(TokenResponse codeExchange, bool registered)
    {
        if (!registered) return Issued.NotApplicable("the client is not registered for the refresh_token grant");
        if (!codeExchange.IsSuccess) return Issued.NotApplicable($"the code exchange failed: {codeExchange.Describe()}");
        // The refresh token is a credential: its presence only.
        var present = codeExchange.Body.Get("refresh_token") is { } rt ? rt.ValueKind == JsonValueKind.String && rt.GetString()!.Length > 0 ? "present" : $"a JSON {JsonCompare.TypeName(rt)}" : null;
        return (codeExchange.Body.Get("refresh_token") switch
        {
            null => Issued.Violation("the code exchange returned no refresh_token although the client is registered for the refresh_token grant"),
            { ValueKind: JsonValueKind.String } s when s.GetString()!.Length > 0 => Issued.Pass(),
            var v => Issued.Violation($"refresh_token is a JSON {JsonCompare.TypeName(v.Value)}, not a non-empty string"),
        }).Observed("refresh_token", "present", present);
    }

    public static CheckResult EvaluateSucceeds(TokenResponse refresh)
    {
        var result = JudgeSucceeds(refresh).ObservedAnswer(refresh, "200", "(none: tokens issued)");
        return refresh.AccessToken is { Length: > 0 } ? result.Observed("token_type", "Bearer (case-insensitive)", refresh.TokenType) : result;
    }

    private static CheckResult JudgeSucceeds(TokenResponse refresh)
    {
        if (refresh.Exchange.TransportError is not null) return Succeeds.Violation($"no response: {refresh.Exchange.TransportError}");
        if (!refresh.Body.IsObject) return Succeeds.Violation($"HTTP {refresh.Exchange.StatusCode}: {refresh.Body.Problem}");
        if (refresh.Exchange.StatusCode != 200 || refresh.Error is not null) return Succeeds.Violation($"the refresh was refused: {refresh.Describe()}");
        if (refresh.AccessToken is not { Length: > 0 }) return Succeeds.Violation("HTTP 200 without an access_token");
        return Succeeds.Require(refresh.TokenType is { } t && t.Equals("Bearer", StringComparison.OrdinalIgnoreCase),
            $"token_type is '{refresh.TokenType ?? "(missing)"}', not Bearer", "new access token issued");
    }

    /// <param name="userinfo">GET /userinfo with the refreshed access token.</param>
    /// <param name="expectedSub">sub of the original ID token.</param>
    public static CheckResult EvaluateAccessTokenWorks(HttpExchange userinfo, string? expectedSub)
    {
        var result = JudgeAccessTokenWorks(userinfo, expectedSub);
        if (userinfo.TransportError is not null) return result;
        result = result.Observed("UserInfo HTTP status", "200", Observe.StatusOf(userinfo));
        var sub = JsonBody.From(userinfo).String("sub");
        return expectedSub is not null && userinfo.StatusCode == 200 ? result.Observed("sub", expectedSub, sub) : result;
    }

    private static CheckResult JudgeAccessTokenWorks(HttpExchange userinfo, string? expectedSub)
    {
        if (userinfo.TransportError is not null) return AccessTokenWorks.NotApplicable($"no response from UserInfo: {userinfo.TransportError}");
        var body = JsonBody.From(userinfo);
        if (userinfo.StatusCode != 200)
            return AccessTokenWorks.Violation($"UserInfo refused the refreshed access token: {userinfo.Summary}" +
                                              (userinfo.Header("WWW-Authenticate") is { } w ? $", WWW-Authenticate: {w}" : ""));
        if (userinfo.ContentType?.StartsWith("application/jwt", StringComparison.OrdinalIgnoreCase) == true)
            return AccessTokenWorks.Pass("accepted (signed UserInfo response)");
        if (!body.IsObject) return AccessTokenWorks.Violation($"UserInfo answered 200 without a JSON object: {body.Problem}");
        var sub = body.String("sub");
        if (expectedSub is not null && sub != expectedSub)
            return AccessTokenWorks.Violation($"UserInfo sub is '{sub ?? "(missing)"}' for the refreshed token, the original ID token's sub is '{expectedSub}'");
        return AccessTokenWorks.Pass("accepted at UserInfo for the same subject");
    }

    /// <summary>OIDC Core §12.2: the refreshed ID token against the one from the original authentication.</summary>
    public static CheckResult EvaluateIdTokenConsistent(DecodedJwt original, DecodedJwt refreshed, JwksDocument jwks, string clientId)
    {
        if (string.IsNullOrEmpty(refreshed.Raw)) return IdTokenConsistent.NotApplicable("the refresh response has no id_token (OIDC Core §12.2 allows that)");
        if (!original.IsValid) return IdTokenConsistent.NotApplicable($"no original ID token to compare with ({original.Problem})");
        if (!refreshed.IsValid) return IdTokenConsistent.Violation($"the refreshed id_token cannot be decoded: {refreshed.Problem}");
        var problems = new List<string>();
        foreach (var claim in new[] { "iss", "sub" })
        {
            var was = original.Claim(claim)?.GetRawText();
            var now = refreshed.Claim(claim)?.GetRawText();
            if (was != now) problems.Add($"{claim} changed from {was ?? "(absent)"} to {now ?? "(absent)"}");
        }
        var audWas = original.Audiences.OrderBy(a => a, StringComparer.Ordinal).ToList();
        var audNow = refreshed.Audiences.OrderBy(a => a, StringComparer.Ordinal).ToList();
        if (!audWas.SequenceEqual(audNow)) problems.Add($"aud changed from [{string.Join(", ", audWas)}] to [{string.Join(", ", audNow)}]");
        if (!audNow.Contains(clientId)) problems.Add($"aud [{string.Join(", ", audNow)}] does not contain '{clientId}'");
        var azpWas = original.Claim("azp")?.GetRawText();
        var azpNow = refreshed.Claim("azp")?.GetRawText();
        if (azpWas is null && azpNow is not null) problems.Add($"azp {azpNow} appeared although the original ID token had none");
        else if (azpWas is not null && azpWas != azpNow) problems.Add($"azp changed from {azpWas} to {azpNow ?? "(absent)"}");
        var authWas = original.NumericDate("auth_time");
        var authNow = refreshed.NumericDate("auth_time");
        if (authNow is not null && authWas is not null && authNow != authWas)
            problems.Add($"auth_time changed from {authWas} to {authNow}: it must stay the time of the original authentication");
        if (refreshed.NumericDate("iat") is not { } iatNow) problems.Add("iat is missing");
        else if (original.NumericDate("iat") is { } iatWas && iatNow < iatWas) problems.Add($"iat {iatNow} is before the original ID token's iat {iatWas}");
        if (refreshed.Claim("exp") is null) problems.Add("exp is missing");
        var signature = IdTokenChecks.EvaluateSignature(refreshed, jwks);
        if (signature.Verdict is Verdict.Failed or Verdict.Warning) problems.Add("signature: " + signature.Reason);
        return IdTokenConsistent.Require(problems.Count == 0, string.Join("; ", problems), "iss, sub, aud, azp, auth_time kept; new iat; signature verified")
            .Observed("iss", Observe.Json(original.Claim("iss")), Observe.Json(refreshed.Claim("iss")))
            .Observed("sub", Observe.Json(original.Claim("sub")), Observe.Json(refreshed.Claim("sub")))
            .Observed("aud", string.Join(", ", audWas), string.Join(", ", audNow))
            .Observed("auth_time", authWas is null ? null : "unchanged", authWas is null || authNow is null ? null : authNow == authWas ? "unchanged" : $"{authNow - authWas} s later")
            .Observed("problems", "none", problems.Count == 0 ? "none" : string.Join("; ", problems));
    }

    /// <param name="isPublic">Whether the client is public (no secret).</param>
    public static CheckResult EvaluatePublicClientRotation(bool isPublic, string previousRefreshToken, TokenResponse refresh)
    {
        if (!isPublic) return PublicClientRotation.NotApplicable("confidential client: rotation is optional (RFC 9700 §4.14.2)");
        if (!refresh.IsSuccess) return PublicClientRotation.NotApplicable($"the refresh failed: {refresh.Describe()}");
        if (refresh.TokenType is { } t && !t.Equals("Bearer", StringComparison.OrdinalIgnoreCase))
            return PublicClientRotation.NotApplicable($"token_type {t}: tokens may be sender-constrained, which RFC 9700 §4.14.2 accepts instead of rotation");
        if (refresh.RefreshToken is not { Length: > 0 } next)
            return PublicClientRotation.Violation("the refresh response carries no new refresh_token: the public client's refresh token is neither rotated nor sender-constrained (no proof of possession was presented)");
        return PublicClientRotation.Require(next != previousRefreshToken,
            "the refresh response returned the same refresh token: not rotated, and not sender-constrained (no proof of possession was presented)",
            "a new refresh token was issued").Observed("refresh_token", "differs from the previous one", next == previousRefreshToken ? "the same as the previous one" : "differs from the previous one");
    }

    /// <param name="rotated">Whether the first refresh issued a different refresh token.</param>
    /// <param name="reuse">The request with the rotated-away refresh token, or null when it was not sent.</param>
    public static CheckResult EvaluateRotatedReuseRejected(bool rotated, TokenResponse? reuse)
    {
        if (!rotated) return RotatedReuseRejected.NotApplicable("the refresh token was not rotated, so there is no rotated-away token to reuse");
        if (reuse is null) return RotatedReuseRejected.NotApplicable("the reuse request was not sent");
        return PkceChecks.EvaluateTokenRefusal(RotatedReuseRejected, reuse, InvalidGrant, "reuse of a rotated-away refresh token");
    }

    /// <param name="reuse">The replay of the rotated-away token.</param>
    /// <param name="activeAfterReuse">A refresh with the token that was active when the replay happened.</param>
    public static CheckResult EvaluateReuseRevokesActiveToken(TokenResponse? reuse, TokenResponse? activeAfterReuse)
    {
        if (reuse is null || activeAfterReuse is null) return ReuseRevokesActiveToken.NotApplicable("no rotated-away refresh token was replayed");
        if (reuse.IsSuccess || reuse.Error is null) return ReuseRevokesActiveToken.NotApplicable($"the replay itself was not refused ({reuse.Describe()}), so no reuse was detected");
        if (activeAfterReuse.Exchange.TransportError is not null) return ReuseRevokesActiveToken.NotApplicable($"no response: {activeAfterReuse.Exchange.TransportError}");
        if (activeAfterReuse.IsSuccess)
            return ReuseRevokesActiveToken.Violation("after the replay of a rotated-away refresh token was refused, the active refresh token of the same grant still works");
        return PkceChecks.EvaluateTokenRefusal(ReuseRevokesActiveToken, activeAfterReuse, InvalidGrant,
            "the active refresh token after a detected reuse of its rotated-away predecessor");
    }

    public static CheckResult EvaluateBoundToClient(TokenResponse otherClientRefresh) =>
        PkceChecks.EvaluateTokenRefusal(BoundToClient, otherClientRefresh, InvalidGrant, "a refresh token presented by a client it was not issued to");

    /// <summary>No or wrong client credentials: invalid_client (401 required with Basic, 400 or 401 otherwise), or invalid_request for a missing credential.</summary>
    /// <param name="usedBasic">Whether wrong credentials were sent in the Authorization header (then 401 is required).</param>
    public static CheckResult EvaluateClientAuthenticationRequired(bool isConfidential, TokenResponse refresh, bool usedBasic = false) =>
        !isConfidential ? JudgeClientAuthenticationRequired(isConfidential, refresh, usedBasic)
        : JudgeClientAuthenticationRequired(isConfidential, refresh, usedBasic).ObservedAnswer(refresh, usedBasic ? "401 (400 for invalid_request)" : "400 or 401", "invalid_client (or invalid_request)");

    private static CheckResult JudgeClientAuthenticationRequired(bool isConfidential, TokenResponse refresh, bool usedBasic)
    {
        if (!isConfidential) return ClientAuthenticationRequired.NotApplicable("public client: no client authentication");
        if (refresh.Exchange.TransportError is not null) return ClientAuthenticationRequired.NotApplicable($"no response: {refresh.Exchange.TransportError}");
        if (refresh.AccessToken is not null || refresh.Exchange.IsSuccess)
            return ClientAuthenticationRequired.Violation($"the refresh succeeded (HTTP {refresh.Exchange.StatusCode}) without valid client authentication");
        if (refresh.Error is not { } error)
            return ClientAuthenticationRequired.Violation($"refused with HTTP {refresh.Exchange.StatusCode} but without an RFC 6749 §5.2 error body ({refresh.Body.Problem ?? "no error member"})");
        if (error is not ("invalid_client" or "invalid_request"))
            return ClientAuthenticationRequired.Violation($"refused, but with {refresh.Describe()}; expected invalid_client");
        if (refresh.Exchange.StatusCode is not (400 or 401))
            return ClientAuthenticationRequired.Violation($"error '{error}' came with HTTP {refresh.Exchange.StatusCode}; RFC 6749 §5.2 allows 400 or 401");
        if (usedBasic && error == "invalid_client" && refresh.Exchange.StatusCode != 401)
            return ClientAuthenticationRequired.Violation($"invalid_client for credentials sent with HTTP Basic came with HTTP {refresh.Exchange.StatusCode}; RFC 6749 §5.2 requires 401");
        return ClientAuthenticationRequired.Pass($"refused: {refresh.Describe()}");
    }

    /// <param name="granted">The scope of the original grant.</param>
    /// <param name="requested">The narrower scope requested with the refresh.</param>
    /// <param name="independent">What introspection said of the issued token, when the response omitted scope.</param>
    public static CheckResult EvaluateScopeNarrowing(string granted, string requested, TokenResponse refresh, IndependentScope? independent = null)
    {
        if (refresh.Exchange.TransportError is not null) return ScopeNarrowing.NotApplicable($"no response: {refresh.Exchange.TransportError}");
        if (!refresh.IsSuccess) return ScopeNarrowing.Violation($"a refresh for the subset '{requested}' of the granted '{granted}' was refused: {refresh.Describe()}");
        var grantedSet = Split(granted);
        // An omitted scope means "as requested" by RFC 6749 §5.1, but absence is not evidence: the issued scope is taken
        // from introspection, or left undecided (the omission itself is judged by token.scope-reported).
        var stated = refresh.Scope;
        var source = stated is not null ? "issued scope" : "scope omitted; introspection reports";
        if ((stated ?? independent?.Introspected) is not { } issuedText)
            return ScopeNarrowing.NotApplicable($"the narrowed refresh succeeded but omitted scope, and the issued scope could not be established independently ({independent?.Evidence ?? "no introspection"}), so whether it stayed within '{granted}' is unknown");
        var issued = Split(issuedText);
        var beyond = issued.Where(x => !grantedSet.Contains(x)).ToList();
        var observed = new Observation(stated is not null ? "issued scope" : "introspected scope", $"within '{granted}'", issuedText);
        if (beyond.Count > 0) return ScopeNarrowing.Violation($"the narrowed refresh granted [{string.Join(" ", beyond)}], which the original grant '{granted}' did not contain ({source} '{issuedText}')").Observed(observed);
        var extra = issued.Where(x => !Split(requested).Contains(x)).ToList();
        return ScopeNarrowing.Pass(extra.Count == 0 ? $"{source} '{issuedText}'"
            : $"{source} '{issuedText}' keeps [{string.Join(" ", extra)}] of the original grant (RFC 6749 §3.3 lets the provider ignore the narrowing)").Observed(observed);
    }

    /// <param name="granted">The scope of the original grant.</param>
    /// <param name="added">The scope that was not granted and is requested now.</param>
    /// <param name="independent">Introspection and UserInfo for the issued token, when the response omitted scope.</param>
    public static CheckResult EvaluateScopeNotWidened(string granted, string added, TokenResponse refresh, IndependentScope? independent = null)
    {
        if (refresh.Exchange.TransportError is not null) return ScopeNotWidened.NotApplicable($"no response: {refresh.Exchange.TransportError}");
        if (refresh.IsSuccess)
        {
            // An omitted scope reads "as requested" (RFC 6749 §5.1), but a provider that ignored the extra scope and left the
            // member out broke §5.1, not §6: the widening is decided on independent evidence, the omission by token.scope-reported.
            if (refresh.Scope is not { } issued)
                return JudgeWideningWithoutScope(granted, added, independent);
            return ScopeNotWidened.Require(!Split(issued).Contains(added),
                $"a refresh widened the grant '{granted}' with '{added}' (issued scope '{issued}')",
                $"the extra scope '{added}' was ignored (issued scope '{issued}'; RFC 6749 §3.3 lets the provider ignore requested scope)")
                .Observed("issued scope", $"without '{added}'", issued);
        }
        return PkceChecks.EvaluateTokenRefusal(ScopeNotWidened, refresh, ["invalid_scope"], $"a refresh asking for scope '{added}' beyond the granted '{granted}'");
    }

    private static CheckResult JudgeWideningWithoutScope(string granted, string added, IndependentScope? independent)
    {
        var asked = $"a refresh asking for '{added}' beyond the granted '{granted}' succeeded without a scope member";
        if (independent?.Introspected is { } introspected)
            return ScopeNotWidened.Require(!Split(introspected).Contains(added),
                $"{asked}, and introspection reports the issued token's scope as '{introspected}': the grant was widened",
                $"{asked}; introspection reports '{introspected}', without '{added}': not widened (the omitted scope is judged by token.scope-reported)");
        if (independent?.UserInfo is { IsObject: true } userinfo && StandardClaims.ByScope.TryGetValue(added, out var names))
        {
            var carried = names.Where(n => userinfo.Get(n) is { } v && StandardClaims.Carries(v)).ToList();
            if (carried.Count > 0)
                return ScopeNotWidened.Violation($"{asked}, and UserInfo with the issued token returns {string.Join(", ", carried)}, the claims of '{added}': the grant was widened");
            if (independent.UserHasAddedScopeData)
                return ScopeNotWidened.Pass($"{asked}; UserInfo with the issued token returns none of the '{added}' claims the user has: not widened (the omitted scope is judged by token.scope-reported)");
        }
        return ScopeNotWidened.NotApplicable($"{asked}; the issued scope could not be established independently ({independent?.Evidence ?? "no introspection, no UserInfo"}), so the suite does not decide whether it was widened");
    }

    public static CheckResult EvaluateInvalidTokenRejected(TokenResponse refresh) =>
        PkceChecks.EvaluateTokenRefusal(InvalidTokenRejected, refresh, InvalidGrant, "an invalid refresh token");

    private static HashSet<string> Split(string scope) => scope.Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
}

/// <summary>
/// A token's granted scope learnt without the token response's own scope member: introspection's "scope" (RFC 7662
/// §2.2) and UserInfo's answer to the token (the claims of a standard scope, OIDC Core §5.4).
/// </summary>
/// <param name="UserHasAddedScopeData">The test user has attributes for the added scope, so their absence from UserInfo means something.</param>
public sealed record IndependentScope(string? Introspected, JsonBody? UserInfo, bool UserHasAddedScopeData, string Evidence);
