using System.Text.Json;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>What the suite's back-channel receiver got after an RP-initiated logout of a client registered for it.</summary>
/// <param name="LogoutCompleted">the logout itself ended at the post-logout redirect URI (the control: the provider did log the user out).</param>
/// <param name="Method">the HTTP method of the request that reached the receiver, or null when none arrived before the deadline.</param>
/// <param name="LogoutToken">its logout_token form parameter, or null.</param>
public sealed record BackchannelDelivery(bool LogoutCompleted, string LogoutDescription, string? Method, string? LogoutToken, double WaitedSeconds)
{
    public DecodedJwt Token => DecodedJwt.Decode(LogoutToken);
}

/// <summary>OpenID Connect Back-Channel Logout 1.0: the logout token the provider POSTs to the client's backchannel_logout_uri.</summary>
public static class BackchannelLogoutChecks
{
    private const string Area = "Back-channel logout";
    public const string EventMember = "http://schemas.openid.net/event/backchannel-logout";

    public static readonly CheckDefinition DiscoveryAdvertised = new("backchannel.discovery-advertised",
        "backchannel_logout_supported is true where the provider offers back-channel logout", Area,
        [new(SpecDocument.OpenIdConnectBackChannelLogout, "2.1", "OPTIONAL member; graded SHOULD: RPs learn the support from it")], RequirementLevel.Should);

    public static readonly CheckDefinition Delivered = new("backchannel.logout-token-delivered",
        "An RP-initiated logout makes the provider POST a logout_token (form-encoded) to the client's backchannel_logout_uri", Area,
        [new(SpecDocument.OpenIdConnectBackChannelLogout, "2.5", "the OP sends an HTTP POST with logout_token to each RP's backchannel_logout_uri")],
        RequirementLevel.Must);

    public static readonly CheckDefinition Signature = new("backchannel.signature",
        "The logout token is signed and verifies with the provider's JWK Set", Area,
        [new(SpecDocument.OpenIdConnectBackChannelLogout, "2.4", "Logout Tokens MUST be signed"), new(SpecDocument.OpenIdConnectBackChannelLogout, "2.6")],
        RequirementLevel.Must);

    public static readonly CheckDefinition Claims = new("backchannel.claims",
        "The logout token carries iss (the issuer), aud (the client), iat, exp and jti", Area,
        [new(SpecDocument.OpenIdConnectBackChannelLogout, "2.4", "iss, aud, iat, exp and jti REQUIRED (exp since errata set 1, 2023)"), new(SpecDocument.OpenIdConnectBackChannelLogout, "2.6")],
        RequirementLevel.Must);

    public static readonly CheckDefinition Events = new("backchannel.events",
        "events is a JSON object with the member http://schemas.openid.net/event/backchannel-logout, itself a JSON object", Area,
        [new(SpecDocument.OpenIdConnectBackChannelLogout, "2.4", "events REQUIRED")], RequirementLevel.Must);

    public static readonly CheckDefinition SubOrSid = new("backchannel.sub-or-sid",
        "The logout token carries sub or sid (or both)", Area,
        [new(SpecDocument.OpenIdConnectBackChannelLogout, "2.4", "A Logout Token MUST contain either a sub or a sid Claim")], RequirementLevel.Must);

    public static readonly CheckDefinition NoNonce = new("backchannel.no-nonce",
        "The logout token has no nonce claim", Area,
        [new(SpecDocument.OpenIdConnectBackChannelLogout, "2.4", "A nonce Claim MUST NOT be used"), new(SpecDocument.OpenIdConnectBackChannelLogout, "2.6")],
        RequirementLevel.Must);

    public static readonly CheckDefinition SidMatchesIdToken = new("backchannel.sid-matches-id-token",
        "For a client registered with backchannel_logout_session_required, the logout token's sid (and sub) are the logged-out ID token's", Area,
        [
            new(SpecDocument.OpenIdConnectBackChannelLogout, "2.2", "backchannel_logout_session_required: the sid Claim is included in the Logout Token"),
            new(SpecDocument.OpenIdConnectBackChannelLogout, "2.4", "sid identifies the session at the OP"),
        ], RequirementLevel.Must);

    public static CheckResult EvaluateDiscoveryAdvertised(DiscoveryDocument d, FeatureSet features)
    {
        var value = d.Body.Get("backchannel_logout_supported");
        if (!features.BackchannelLogout) return DiscoveryAdvertised.NotApplicable("the provider does not offer back-channel logout (profile features.backchannelLogout)");
        if (value is null) return DiscoveryAdvertised.Violation("the profile says the provider offers back-channel logout, but backchannel_logout_supported is not advertised")
            .Observed("backchannel_logout_supported", "true", null);
        return DiscoveryAdvertised.Require(value.Value.ValueKind == JsonValueKind.True,
            $"backchannel_logout_supported is {JsonCompare.Short(value.Value)}, not the JSON boolean true", "backchannel_logout_supported: true")
            .Observed("backchannel_logout_supported", "true", JsonCompare.Short(value.Value));
    }

    public static CheckResult EvaluateDelivered(BackchannelDelivery d)
    {
        if (!d.LogoutCompleted) return Delivered.NotApplicable($"the RP-initiated logout did not complete ({d.LogoutDescription}), so no logout token is due");
        if (d.Method is null)
            return Delivered.Violation($"the logout completed, but no request reached the backchannel_logout_uri within {d.WaitedSeconds:0.#} s").Observed("logout_token POST", "received", null);
        if (d.Method != "POST") return Delivered.Violation($"the back-channel request is a {d.Method}, not a POST").Observed("method", "POST", d.Method);
        if (d.LogoutToken is null)
            return Delivered.Violation("the POST carries no logout_token in a form-encoded body").Observed("logout_token", "present", null);
        return Delivered.Pass($"logout_token POSTed after {d.WaitedSeconds:0.#} s");
    }

    /// <summary>The prerequisite of the token checks: a logout token arrived and decodes as a JWT.</summary>
    private static CheckResult? NoToken(CheckDefinition check, BackchannelDelivery d)
    {
        if (d.LogoutToken is null) return check.NotApplicable(d.LogoutCompleted ? "no logout token arrived (see backchannel.logout-token-delivered)" : "the logout did not complete");
        if (!d.Token.IsValid) return check.Violation($"the logout token is not a JWT: {d.Token.Problem}");
        return null;
    }

    public static CheckResult EvaluateSignature(BackchannelDelivery d, JwksDocument jwks) =>
        NoToken(Signature, d) ?? IdTokenChecks.JudgeSignature(d.Token, jwks, Signature).Observed("alg", "an asymmetric JWS alg", d.Token.Alg);

    public static CheckResult EvaluateClaims(BackchannelDelivery d, string issuer, string clientId)
    {
        if (NoToken(Claims, d) is { } no) return no;
        var t = d.Token;
        var problems = new List<string>();
        var iss = t.ClaimString("iss");
        if (iss is null) problems.Add("iss is missing");
        else if (iss != issuer) problems.Add($"iss is '{iss}', not the issuer '{issuer}'");
        if (t.Claim("aud") is null) problems.Add("aud is missing");
        else if (!t.Audiences.Contains(clientId)) problems.Add($"aud ({string.Join(", ", t.Audiences)}) does not contain the client '{clientId}'");
        if (t.Claim("iat") is not { ValueKind: JsonValueKind.Number }) problems.Add(t.Claim("iat") is null ? "iat is missing" : "iat is not a number");
        if (t.Claim("exp") is not { ValueKind: JsonValueKind.Number }) problems.Add(t.Claim("exp") is null ? "exp is missing" : "exp is not a number");
        if (t.Claim("jti") is not { ValueKind: JsonValueKind.String } jti || string.IsNullOrEmpty(jti.GetString()))
            problems.Add(t.Claim("jti") is null ? "jti is missing" : "jti is not a non-empty string");
        return Claims.Require(problems.Count == 0, string.Join("; ", problems), "iss, aud, iat, exp and jti as required")
            .Observed("iss", issuer, iss).Observed("aud", clientId, string.Join(" ", t.Audiences));
    }

    public static CheckResult EvaluateEvents(BackchannelDelivery d)
    {
        if (NoToken(Events, d) is { } no) return no;
        var events = d.Token.Claim("events");
        if (events is null) return Events.Violation("events is missing").Observed("events", EventMember, null);
        if (events.Value.ValueKind != JsonValueKind.Object) return Events.Violation($"events is a JSON {JsonCompare.TypeName(events.Value)}, not an object");
        if (!events.Value.TryGetProperty(EventMember, out var member))
            return Events.Violation($"events has no member {EventMember} (members: {string.Join(", ", events.Value.EnumerateObject().Select(p => p.Name))})");
        return Events.Require(member.ValueKind == JsonValueKind.Object, $"events[{EventMember}] is a JSON {JsonCompare.TypeName(member)}, not an object",
            "the back-channel logout event is declared");
    }

    public static CheckResult EvaluateSubOrSid(BackchannelDelivery d)
    {
        if (NoToken(SubOrSid, d) is { } no) return no;
        var sub = d.Token.ClaimString("sub");
        var sid = d.Token.ClaimString("sid");
        return SubOrSid.Require(!string.IsNullOrEmpty(sub) || !string.IsNullOrEmpty(sid), "the logout token has neither sub nor sid: the RP cannot tell whom to log out",
            string.Join(" and ", new[] { sub is null ? null : "sub", sid is null ? null : "sid" }.OfType<string>()) + " present");
    }

    public static CheckResult EvaluateNoNonce(BackchannelDelivery d)
    {
        if (NoToken(NoNonce, d) is { } no) return no;
        var nonce = d.Token.Claim("nonce");
        return NoNonce.Require(nonce is null, "the logout token carries a nonce claim: it could be confused with an ID token", "no nonce")
            .Observed("nonce", "absent", nonce is null ? null : "present");
    }

    /// <param name="idToken">the ID token of the login that was logged out.</param>
    /// <param name="sessionRequired">the client is registered with backchannel_logout_session_required.</param>
    public static CheckResult EvaluateSidMatches(BackchannelDelivery d, DecodedJwt idToken, bool sessionRequired)
    {
        if (NoToken(SidMatchesIdToken, d) is { } no) return no;
        if (!sessionRequired) return SidMatchesIdToken.NotApplicable("the client is not registered with backchannel_logout_session_required (profile clients.backchannel.backchannelLogoutSessionRequired)");
        var sid = d.Token.ClaimString("sid");
        var idSid = idToken.ClaimString("sid");
        if (sid is null) return SidMatchesIdToken.Violation("the client requires the session id, but the logout token has no sid").Observed("sid", idSid, null);
        if (idSid is null) return SidMatchesIdToken.NotApplicable("the ID token of the login carries no sid to compare with");
        if (sid != idSid) return SidMatchesIdToken.Violation($"the logout token's sid '{sid}' is not the logged-out session's ('{idSid}', from the ID token)").Observed("sid", idSid, sid);
        var sub = d.Token.ClaimString("sub");
        var idSub = idToken.ClaimString("sub");
        if (sub is not null && sub != idSub) return SidMatchesIdToken.Violation($"the logout token's sub '{sub}' is not the ID token's '{idSub}'").Observed("sub", idSub, sub);
        return SidMatchesIdToken.Pass("sid (and sub) are the logged-out ID token's").Observed("sid", idSid, sid);
    }
}
