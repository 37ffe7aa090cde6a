using System.Text.Json;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>
/// The device authorization grant (RFC 8628): the device authorization response, its discovery metadata, and the answers
/// of the token endpoint while the device polls (pending, too fast, approved, denied, expired, replayed, another client).
/// Every refusal is judged against a control in the same attempt: a poll of the same device code by its own client that
/// got authorization_pending or tokens.
/// </summary>
public static class DeviceChecks
{
    private const string Area = "Device authorization grant";

    public const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    public static readonly CheckDefinition AuthorizationResponse = new("device.authorization-response",
        "The device authorization response is 200 JSON with device_code, user_code, verification_uri and expires_in (interval, when given, a positive number)",
        Area, [new(SpecDocument.Rfc8628, "3.2", "device_code, user_code, verification_uri, expires_in REQUIRED; verification_uri_complete, interval OPTIONAL")],
        RequirementLevel.Must);

    public static readonly CheckDefinition DiscoveryAdvertised = new("device.discovery-advertised",
        "A provider that offers the device grant advertises device_authorization_endpoint (and the grant in grant_types_supported, when it lists grants)",
        Area, [new(SpecDocument.Rfc8628, "4"), new(SpecDocument.Rfc8414, "2", "grant_types_supported")], RequirementLevel.Should)
    {
        Note = "the metadata member is OPTIONAL, but without it a client cannot find the endpoint: the suite grades its absence SHOULD",
    };

    public static readonly CheckDefinition PendingBeforeApproval = new("device.pending-before-approval",
        "While the user has not acted, a poll is answered 400 authorization_pending (or slow_down)", Area,
        [new(SpecDocument.Rfc8628, "3.5", "authorization_pending: the authorization request is still pending as the end user hasn't yet completed the user-interaction steps"),
         new(SpecDocument.Rfc6749, "5.2")],
        RequirementLevel.Must);

    public static readonly CheckDefinition SlowDown = new("device.slow-down",
        "A poll sooner than the interval is answered slow_down (authorization_pending where the provider does not rate-limit; never tokens or another error)",
        Area, [new(SpecDocument.Rfc8628, "3.5", "slow_down: a variant of authorization_pending, the interval MUST be increased by 5 seconds"), new(SpecDocument.Rfc8628, "3.2", "interval")],
        RequirementLevel.Must)
    {
        Note = "the client MUST honour interval; the server MAY enforce it with slow_down. A provider that answers authorization_pending does not enforce it: Inconclusive, not a violation",
    };

    public static readonly CheckDefinition ApprovedYieldsTokens = new("device.approved-yields-tokens",
        "After the user approved on the verification page, the poll yields tokens (and a valid ID token for scope openid)", Area,
        [new(SpecDocument.Rfc8628, "3.5", "after the user approved, the authorization server issues an access token"), new(SpecDocument.Rfc6749, "5.1"),
         new(SpecDocument.OpenIdConnectCore, "3.1.3.7")],
        RequirementLevel.Must);

    public static readonly CheckDefinition DeniedAccessDenied = new("device.denied-access-denied",
        "After the user denied on the verification page, the poll is answered access_denied", Area,
        [new(SpecDocument.Rfc8628, "3.5", "access_denied: the authorization request was denied")], RequirementLevel.Must);

    public static readonly CheckDefinition ExpiredRefused = new("device.expired-refused",
        "After expires_in has passed, the device code yields no tokens and is no longer pending", Area,
        [new(SpecDocument.Rfc8628, "3.2", "expires_in: the lifetime in seconds of the device_code and user_code"),
         new(SpecDocument.Rfc8628, "3.5", "expired_token: the device_code has expired, and the device authorization session has concluded")],
        RequirementLevel.Must);

    public static readonly CheckDefinition ExpiredToken = new("device.expired-token",
        "A poll with an expired device code is answered with the error code expired_token", Area,
        [new(SpecDocument.Rfc8628, "3.5", "expired_token")], RequirementLevel.Should)
    {
        Note = "the error code is specified for this state without a MUST; any refusal is judged by device.expired-refused, so the code itself is graded SHOULD",
    };

    public static readonly CheckDefinition CodeSingleUse = new("device.code-single-use",
        "A device code that yielded tokens is refused when redeemed again", Area,
        [new(SpecDocument.Rfc8628, "3.5", "once tokens are issued the device authorization session has concluded"), new(SpecDocument.Rfc6749, "10.5", "by analogy with authorization codes: single-use")],
        RequirementLevel.Should)
    {
        Note = "no sentence of the device grant says MUST for a second redemption: graded SHOULD",
    };

    public static readonly CheckDefinition CodeBoundToClient = new("device.code-bound-to-client",
        "Another client cannot redeem a device code issued to a client (invalid_grant)", Area,
        [new(SpecDocument.Rfc8628, "3.4", "client_id REQUIRED if the client is not authenticating"), new(SpecDocument.Rfc6749, "5.2", "invalid_grant: ... was issued to another client")],
        RequirementLevel.Must);

    /// <summary>The poll says the request is still pending (authorization_pending or its variant slow_down), whatever the status.</summary>
    public static bool IsPending(TokenResponse r) => r.Error is "authorization_pending" or "slow_down";

    private static string Status(TokenResponse r) => r.Exchange.Status is null ? "no response" : $"HTTP {r.Exchange.StatusCode}";

    // ---- device authorization response ------------------------------------------------------------------------------

    public static CheckResult EvaluateAuthorizationResponse(DeviceAuthorizationResponse a)
    {
        if (a.Exchange.TransportError is not null) return AuthorizationResponse.NotApplicable(a.Describe());
        if (!a.Exchange.IsSuccess || a.Error is not null)
            return AuthorizationResponse.Violation($"the device authorization request of a registered device client was refused ({a.Describe()})");
        if (a.Exchange.StatusCode != 200)
            return AuthorizationResponse.Violation($"the device authorization response is HTTP {a.Exchange.StatusCode}, not 200");
        if (!a.Body.IsObject) return AuthorizationResponse.Violation($"the device authorization response is not a JSON object ({a.Body.Problem})");
        var problems = new List<string>();
        void NonEmptyString(string name)
        {
            var v = a.Body.Get(name);
            if (v is null) problems.Add($"{name} is missing");
            else if (v.Value.ValueKind != JsonValueKind.String || string.IsNullOrEmpty(v.Value.GetString())) problems.Add($"{name} is not a non-empty string");
        }
        NonEmptyString("device_code");
        NonEmptyString("user_code");
        NonEmptyString("verification_uri");
        if (a.VerificationUri is { Length: > 0 } uri && !IsWebUri(uri)) problems.Add($"verification_uri '{uri}' is not an absolute http(s) URI");
        if (a.Body.Get("verification_uri_complete") is { } complete)
        {
            if (complete.ValueKind != JsonValueKind.String || !IsWebUri(complete.GetString()!))
                problems.Add("verification_uri_complete is not an absolute http(s) URI");
        }
        switch (a.Body.Get("expires_in"))
        {
            case null: problems.Add("expires_in is missing"); break;
            case { ValueKind: JsonValueKind.Number } n when n.TryGetInt64(out var s) && s > 0: break;
            default: problems.Add("expires_in is not a positive integer number of seconds"); break;
        }
        if (a.Body.Get("interval") is { } interval && !(interval.ValueKind == JsonValueKind.Number && interval.TryGetInt64(out var i) && i > 0))
            problems.Add("interval is not a positive integer number of seconds");
        return AuthorizationResponse.Require(problems.Count == 0, string.Join("; ", problems),
                $"device_code, user_code, verification_uri and expires_in ({a.ExpiresIn} s) present" + (a.Interval is { } iv ? $", interval {iv} s" : ", no interval (5 s)"))
            .Observed("device_code", "present", a.DeviceCode is null ? null : Observation.Redacted)
            .Observed("user_code", "present", a.UserCode is null ? null : Observation.Redacted)
            .Observed("verification_uri", "absolute URI", a.VerificationUri)
            .Observed("expires_in", "positive integer", a.Body.Get("expires_in")?.GetRawText());
    }

    private static bool IsWebUri(string value) =>
        Uri.TryCreate(value, UriKind.Absolute, out var u) && u.Scheme is "http" or "https";

    // ---- discovery ---------------------------------------------------------------------------------------------------

    public static CheckResult EvaluateDiscoveryAdvertised(DiscoveryDocument discovery, bool offered)
    {
        if (!offered) return DiscoveryAdvertised.NotApplicable("the profile says the provider does not offer the device authorization grant (features.deviceAuthorization)");
        if (!discovery.Body.IsObject) return DiscoveryAdvertised.NotApplicable($"no discovery document to judge ({discovery.Body.Problem})");
        var problems = new List<string>();
        var endpoint = discovery.Body.Get("device_authorization_endpoint");
        if (endpoint is null) problems.Add("device_authorization_endpoint is not advertised although the provider offers the device grant");
        else if (endpoint.Value.ValueKind != JsonValueKind.String || !IsWebUri(endpoint.Value.GetString()!))
            problems.Add($"device_authorization_endpoint {endpoint.Value.GetRawText()} is not an absolute http(s) URL");
        var grants = discovery.StringArray("grant_types_supported");
        if (grants is not null && !grants.Contains(GrantType))
            problems.Add($"grant_types_supported [{string.Join(", ", grants)}] does not list {GrantType}");
        return DiscoveryAdvertised.Require(problems.Count == 0, string.Join("; ", problems), "device_authorization_endpoint advertised" + (grants is null ? "" : ", grant listed"))
            .Observed("device_authorization_endpoint", "advertised", discovery.String("device_authorization_endpoint"))
            .Observed("grant_types_supported contains the device grant", grants is null ? null : "yes", grants is null ? null : grants.Contains(GrantType) ? "yes" : "no");
    }

    // ---- polling -----------------------------------------------------------------------------------------------------

    /// <param name="poll">the first poll right after the device authorization response, before any user action</param>
    public static CheckResult EvaluatePendingBeforeApproval(TokenResponse poll)
    {
        if (poll.Exchange.TransportError is not null) return PendingBeforeApproval.NotApplicable(poll.Describe());
        if (poll.AccessToken is not null)
            return PendingBeforeApproval.Violation($"a poll before the user acted got tokens ({Status(poll)}, access_token issued): the device code was usable without approval");
        if (!poll.Body.IsObject) return PendingBeforeApproval.Violation($"a poll before the user acted got {poll.Describe()}, expected 400 authorization_pending");
        if (!IsPending(poll)) return PendingBeforeApproval.Violation($"a poll before the user acted got {poll.Describe()}, expected authorization_pending");
        return PendingBeforeApproval.Require(poll.Exchange.StatusCode == 400,
                $"authorization_pending came with HTTP {poll.Exchange.StatusCode}; an error response is HTTP 400 (RFC 6749 §5.2)",
                $"{poll.Error} with HTTP 400")
            .Observed("error", "authorization_pending", poll.Error).Observed("status", "400", poll.Exchange.StatusCode.ToString());
    }

    /// <param name="control">a poll honouring the interval that got authorization_pending</param>
    /// <param name="fast">the same poll again, sent at once after the control</param>
    public static CheckResult EvaluateSlowDown(TokenResponse control, TokenResponse fast, TimeSpan gap, TimeSpan interval)
    {
        if (!IsPending(control)) return SlowDown.NotApplicable($"the control poll was not pending ({control.Describe()})");
        if (gap >= interval) return SlowDown.NotApplicable($"the second poll came {gap.TotalSeconds:0.0} s after the first, not sooner than the interval ({interval.TotalSeconds:0} s)");
        var observed = SlowDown.Pass().Observed("answer to a poll sooner than the interval", "slow_down", fast.Error ?? (fast.AccessToken is null ? null : "tokens"));
        if (fast.Exchange.TransportError is not null) return SlowDown.NotApplicable(fast.Describe());
        if (fast.AccessToken is not null)
            return SlowDown.Violation($"a poll {gap.TotalSeconds:0.0} s after the previous one (interval {interval.TotalSeconds:0} s) on a pending device code got tokens") with { Observations = observed.Observations };
        if (fast.Error == "slow_down")
            return (fast.Exchange.StatusCode == 400
                ? SlowDown.Pass($"slow_down with HTTP 400 for a poll {gap.TotalSeconds:0.0} s after the previous one")
                : SlowDown.Violation($"slow_down came with HTTP {fast.Exchange.StatusCode}; an error response is HTTP 400 (RFC 6749 §5.2)")) with { Observations = observed.Observations };
        if (fast.Error == "authorization_pending")
            return SlowDown.NotApplicable($"a poll {gap.TotalSeconds:0.0} s after the previous one was answered authorization_pending: the provider does not enforce the interval (slow_down is an answer it may give)")
                with { Observations = observed.Observations };
        return SlowDown.Violation($"a poll sooner than the interval on a pending device code got {fast.Describe()}; RFC 8628 §3.5 answers it with slow_down (or authorization_pending)")
            with { Observations = observed.Observations };
    }

    /// <param name="tokens">the first poll after the user approved that was not pending (or the last pending one at the deadline)</param>
    /// <param name="idToken">the decoded id_token of <paramref name="tokens"/> (Decode(null) when there is none)</param>
    public static CheckResult EvaluateApprovedYieldsTokens(TokenResponse tokens, bool openidRequested, DecodedJwt idToken, JwksDocument jwks,
        string issuer, string clientId, string? expectedSubject)
    {
        if (tokens.Exchange.TransportError is not null) return ApprovedYieldsTokens.NotApplicable(tokens.Describe());
        if (IsPending(tokens))
            return ApprovedYieldsTokens.Violation($"the user approved on the verification page, yet every poll until the deadline was answered {tokens.Error}");
        if (!tokens.IsSuccess)
            return ApprovedYieldsTokens.Violation($"after the user approved, the poll got {tokens.Describe()} instead of tokens");
        var problems = new List<string>();
        if (string.IsNullOrEmpty(tokens.TokenType)) problems.Add("token_type is missing");
        if (openidRequested)
        {
            if (string.IsNullOrEmpty(tokens.IdToken)) problems.Add("no id_token although the device authorization request asked for scope openid");
            else if (!idToken.IsValid) problems.Add($"the id_token cannot be decoded: {idToken.Problem}");
            else
            {
                if (idToken.ClaimString("iss") != issuer) problems.Add($"id_token iss '{idToken.ClaimString("iss")}' is not the issuer '{issuer}'");
                if (!idToken.Audiences.Contains(clientId)) problems.Add($"id_token aud [{string.Join(", ", idToken.Audiences)}] does not contain '{clientId}'");
                if (expectedSubject is not null && idToken.ClaimString("sub") != expectedSubject)
                    problems.Add($"id_token sub '{idToken.ClaimString("sub")}' is not the approving user's '{expectedSubject}'");
                if (idToken.NumericDate("exp") is not { } exp) problems.Add("id_token exp is missing");
                else if (exp < DateTimeOffset.UtcNow.ToUnixTimeSeconds() - 60) problems.Add($"id_token exp {exp} is in the past");
                var signature = IdTokenChecks.EvaluateSignature(idToken, jwks);
                if (signature.Verdict is Verdict.Failed or Verdict.Warning) problems.Add("id_token signature: " + signature.Reason);
            }
        }
        return ApprovedYieldsTokens.Require(problems.Count == 0, string.Join("; ", problems),
                openidRequested ? "access token and a valid ID token (iss, aud, sub, signature) issued" : "access token issued")
            .Observed("access_token", "present", Observation.Redacted)
            .Observed("id_token", openidRequested ? "present" : null, tokens.IdToken is null ? null : Observation.Redacted);
    }

    /// <param name="control">a poll before the denial that was pending (the device code was live)</param>
    /// <param name="afterDenial">the first poll after the user denied</param>
    public static CheckResult EvaluateDeniedAccessDenied(TokenResponse control, TokenResponse afterDenial)
    {
        if (!IsPending(control)) return DeniedAccessDenied.NotApplicable($"the control poll before the denial was not pending ({control.Describe()})");
        if (afterDenial.Exchange.TransportError is not null) return DeniedAccessDenied.NotApplicable(afterDenial.Describe());
        var result = afterDenial.AccessToken is not null
            ? DeniedAccessDenied.Violation("after the user denied on the verification page, the poll got tokens")
            : afterDenial.Error == "access_denied"
                ? DeniedAccessDenied.Require(afterDenial.Exchange.StatusCode == 400, $"access_denied came with HTTP {afterDenial.Exchange.StatusCode}; an error response is HTTP 400 (RFC 6749 §5.2)", "access_denied with HTTP 400")
                : IsPending(afterDenial)
                    ? DeniedAccessDenied.Violation($"after the user denied on the verification page, the poll is still answered {afterDenial.Error}: the device would poll until expiry")
                    : DeniedAccessDenied.Violation($"after the user denied, the poll got {afterDenial.Describe()}, expected access_denied");
        return result.Observed("error after denial", "access_denied", afterDenial.Error);
    }

    /// <param name="control">a poll before expiry that was pending</param>
    /// <param name="afterExpiry">a poll sent after expires_in had passed</param>
    /// <param name="pastExpiry">how long after expiry <paramref name="afterExpiry"/> was sent</param>
    public static CheckResult EvaluateExpiredRefused(TokenResponse control, TokenResponse afterExpiry, TimeSpan pastExpiry)
    {
        if (!IsPending(control)) return ExpiredRefused.NotApplicable($"the control poll before expiry was not pending ({control.Describe()})");
        if (afterExpiry.Exchange.TransportError is not null) return ExpiredRefused.NotApplicable(afterExpiry.Describe());
        var result = afterExpiry.AccessToken is not null
            ? ExpiredRefused.Violation($"a poll {pastExpiry.TotalSeconds:0.0} s after the device code expired got tokens")
            : IsPending(afterExpiry)
                ? ExpiredRefused.Violation($"a poll {pastExpiry.TotalSeconds:0.0} s after the device code expired is still answered {afterExpiry.Error}")
                : afterExpiry.Error is not null && afterExpiry.Exchange.StatusCode is >= 400 and < 500
                    ? ExpiredRefused.Pass($"refused with {afterExpiry.Describe()} {pastExpiry.TotalSeconds:0.0} s after expiry")
                    : ExpiredRefused.Violation($"a poll after expiry got {afterExpiry.Describe()}, not an error response (RFC 6749 §5.2)");
        return result.Observed("answer after expiry", "an error other than authorization_pending", afterExpiry.Error ?? (afterExpiry.AccessToken is null ? null : "tokens"));
    }

    public static CheckResult EvaluateExpiredToken(TokenResponse control, TokenResponse afterExpiry, TimeSpan pastExpiry)
    {
        if (!IsPending(control)) return ExpiredToken.NotApplicable($"the control poll before expiry was not pending ({control.Describe()})");
        if (afterExpiry.Exchange.TransportError is not null) return ExpiredToken.NotApplicable(afterExpiry.Describe());
        return ExpiredToken.Require(afterExpiry.Error == "expired_token",
                $"a poll {pastExpiry.TotalSeconds:0.0} s after the device code expired got {afterExpiry.Describe()}, expected expired_token",
                $"expired_token {pastExpiry.TotalSeconds:0.0} s after expiry")
            .Observed("error after expiry", "expired_token", afterExpiry.Error ?? (afterExpiry.AccessToken is null ? null : "tokens"));
    }

    /// <param name="first">the redemption after approval (the control: it must have yielded tokens)</param>
    /// <param name="second">the same request again</param>
    public static CheckResult EvaluateCodeSingleUse(TokenResponse first, TokenResponse second)
    {
        if (!first.IsSuccess) return CodeSingleUse.NotApplicable($"the device code never yielded tokens ({first.Describe()})");
        if (second.Exchange.TransportError is not null) return CodeSingleUse.NotApplicable(second.Describe());
        var result = second.AccessToken is not null
            ? CodeSingleUse.Violation("the device code yielded tokens a second time: the same device access token request got an access token again")
            : IsPending(second)
                ? CodeSingleUse.Violation($"a redeemed device code is answered {second.Error} again, as if its session had not concluded")
                : second.Error is not null && second.Exchange.StatusCode is >= 400 and < 500
                    ? CodeSingleUse.Pass($"the second redemption was refused ({second.Describe()})")
                    : CodeSingleUse.Violation($"the second redemption got {second.Describe()}, not an error response");
        return result.Observed("second redemption", "invalid_grant", second.Error ?? (second.AccessToken is null ? null : "tokens"));
    }

    /// <param name="otherClient">a poll with the approved device code presented by another client</param>
    /// <param name="owner">the owner's poll right after it (the control: it must have yielded tokens for a refusal to count)</param>
    public static CheckResult EvaluateCodeBoundToClient(TokenResponse otherClient, TokenResponse owner)
    {
        if (otherClient.Exchange.TransportError is not null) return CodeBoundToClient.NotApplicable(otherClient.Describe());
        if (otherClient.AccessToken is not null)
            return CodeBoundToClient.Violation("a device code presented by a client it was not issued to yielded tokens")
                .Observed("other client's poll", "invalid_grant", "tokens");
        if (!owner.IsSuccess)
            return CodeBoundToClient.NotApplicable($"the owner's own poll after the other client's did not yield tokens either ({owner.Describe()}), so the refusal ({otherClient.Describe()}) proves nothing");
        var result = otherClient.Error is "invalid_grant" or "invalid_client" or "unauthorized_client"
            ? CodeBoundToClient.Pass($"the other client was refused ({otherClient.Describe()}), the owner then got tokens")
            : IsPending(otherClient)
                ? CodeBoundToClient.Violation($"the approved device code presented by another client is answered {otherClient.Error}, as if it were that client's pending request")
                : CodeBoundToClient.Violation($"the other client's poll got {otherClient.Describe()}, expected invalid_grant");
        return result.Observed("other client's poll", "invalid_grant", otherClient.Error);
    }
}
