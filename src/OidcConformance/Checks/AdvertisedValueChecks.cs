namespace OidcConformance.Checks;

/// <summary>How one request that exercises an advertised value (or its control) ended.</summary>
public enum ProbeEnd
{
    /// <summary>The provider did what the value promises (a successful response; <see cref="ProbeOutcome.Problems"/> lists what it mishandled).</summary>
    Worked,
    /// <summary>The provider answered with an error (an error redirect, its own error page, an OAuth error from the token endpoint).</summary>
    Refused,
    /// <summary>No evidence either way: a navigation error, timeout, stall, blank page, or a prerequisite that did not happen.</summary>
    NoEvidence,
}

/// <summary>What one request ended with; <see cref="Error"/> is the OAuth error code of a refusal, when there is one.</summary>
public sealed record ProbeOutcome(ProbeEnd End, string Description)
{
    public IReadOnlyList<string> Problems { get; init; } = [];
    public string? Error { get; init; }
    /// <summary>The refusal was the provider's own error page, not an error returned to the client.</summary>
    public bool ErrorPage { get; init; }

    public static ProbeOutcome Worked(string description, IReadOnlyList<string>? problems = null) => new(ProbeEnd.Worked, description) { Problems = problems ?? [] };
    public static ProbeOutcome Refused(string description, string? error = null) => new(ProbeEnd.Refused, description) { Error = error };
    public static ProbeOutcome NoEvidence(string description) => new(ProbeEnd.NoEvidence, description);
}

/// <summary>
/// The evidence for one advertised value: the metadata list it was read from, the control request of the same client and
/// session (a baseline value that must work for a refusal to count), and the request that used the value.
/// </summary>
public sealed record AdvertisedProbe(string Field, string Value)
{
    /// <summary>The field's values as discovery gave them (or the spec's default when the field is omitted); null: absent, no default.</summary>
    public IReadOnlyList<string>? Listed { get; init; }
    /// <summary>Whether <see cref="Value"/> is in <see cref="Listed"/> (response types compare as sets).</summary>
    public bool Advertised { get; init; }
    /// <summary>Why the advertised value cannot be exercised (material the profile lacks, a value the suite does not know).</summary>
    public string? NotExercised { get; init; }
    public string ControlLabel { get; init; } = "the control";
    public ProbeOutcome? Control { get; init; }
    public ProbeOutcome? Attempt { get; init; }
    /// <summary>
    /// Why a refusal other than an explicit "unsupported_*" error may be the client's registration rather than the provider
    /// (e.g. the profile registers no client for the value): such a refusal is Inconclusive, naming this.
    /// </summary>
    public string? RegistrationCaveat { get; init; }
    /// <summary>Facts reported with the verdict (e.g. that the profile says "not offered" while discovery advertises the value).</summary>
    public IReadOnlyList<string> Notes { get; init; } = [];

    public string ListText => Listed is null ? "(absent)" : "[" + string.Join(", ", Listed) + "]";
}

/// <summary>
/// Issue #19, blind spot 2: every value the provider advertises in its metadata lists is exercised, one check per list and
/// one case per value. Relying parties pick from these lists, so a listed value that the provider refuses or mishandles is
/// the first thing they hit.
/// Grading: OpenID Connect Discovery 1.0 §3 and RFC 8414 §2 define each list as the values "that this OP/authorization
/// server supports". The wording is declarative, without an RFC 2119 keyword that softens it, so a metadata document that
/// lists a value the provider does not support is false: a refused value is graded MUST (Failed). Listing fewer values
/// than are supported is allowed (Discovery §3: "Servers MAY choose not to advertise some supported scope values"), so
/// only what is listed is judged. A refusal counts only when the control (same client and session, a baseline value)
/// worked in that same execution. When the profile registers no client for the value, a redirected or token-endpoint error
/// may be the registration (unauthorized_client, or a provider's own code for it) and is Inconclusive naming both facts, except
/// an explicit unsupported_* error; the provider's own error page still counts, because RFC 6749 §4.1.2.1 requires a provider to
/// redirect every error but a bad client_id or redirect_uri, so no conformant registration answer looks like that.
/// Navigation errors, timeouts and blank pages are Inconclusive.
/// Relation to discovery.advertised-grant-type-works (DiscoveryExtraChecks): that older probe covers five grants with a
/// request of its own and no control; <see cref="GrantTypesWork"/> covers every listed grant (token exchange, device code,
/// unknown values included) under the control and registration rules above, so the two may both report one broken grant.
/// </summary>
public static class AdvertisedValueChecks
{
    private const string Grading = "Declarative (no RFC 2119 keyword softens it): a listed value that is refused makes the metadata false, graded MUST.";

    public static readonly CheckDefinition ResponseTypesWork = new("discovery.advertised-response-types-work",
        "Every response_type in response_types_supported is accepted and answered with the parameters it names (code, access_token + token_type, id_token, state), nothing else",
        "Discovery",
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "response_types_supported: the response_type values that this OP supports"),
            new(SpecDocument.Rfc8414, "2"),
            new(SpecDocument.Rfc6749, "4.2.2", "token: access_token, token_type, expires_in RECOMMENDED, state"),
            new(SpecDocument.OAuthMultipleResponseTypes, "3", "none"),
            new(SpecDocument.OAuthMultipleResponseTypes, "5"),
            new(SpecDocument.OpenIdConnectCore, "3.2.2.5"),
            new(SpecDocument.OpenIdConnectCore, "3.3.2.5"),
            new(SpecDocument.OAuthFormPostResponseMode, "2"),
        ],
        RequirementLevel.Must) {
            Note = Grading,
        };

    public static readonly CheckDefinition ResponseModesWork = new("discovery.advertised-response-modes-work",
        "Every response_mode in response_modes_supported (default query, fragment) returns the authorization response where it says",
        "Discovery",
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "response_modes_supported: the response_mode values that this OP supports; default [\"query\", \"fragment\"]"),
            new(SpecDocument.Rfc8414, "2"),
            new(SpecDocument.OAuthMultipleResponseTypes, "2.1"),
            new(SpecDocument.OAuthFormPostResponseMode, "2"),
        ],
        RequirementLevel.Must) {
            Note = Grading,
        };

    public static readonly CheckDefinition GrantTypesWork = new("discovery.advertised-grant-types-work",
        "Every grant type in grant_types_supported (default authorization_code, implicit) issues tokens to a client that uses it",
        "Discovery",
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "grant_types_supported: the Grant Type values that this OP supports; default [\"authorization_code\", \"implicit\"]"),
            new(SpecDocument.Rfc8414, "2"),
            new(SpecDocument.Rfc6749, "4.1"),
            new(SpecDocument.Rfc6749, "4.2"),
            new(SpecDocument.Rfc6749, "4.3"),
            new(SpecDocument.Rfc6749, "4.4"),
            new(SpecDocument.Rfc6749, "6"),
            new(SpecDocument.Rfc8693, "2"),
        ],
        RequirementLevel.Must) {
            Note = Grading,
        };

    public static readonly CheckDefinition CodeChallengeMethodsWork = new("discovery.advertised-code-challenge-methods-work",
        "Every method in code_challenge_methods_supported is accepted at the authorization endpoint and its code is redeemed with the matching verifier",
        "Discovery",
        [
            new(SpecDocument.Rfc8414, "2", "code_challenge_methods_supported: the PKCE code challenge methods supported by this authorization server"),
            new(SpecDocument.Rfc7636, "4.3"),
            new(SpecDocument.Rfc7636, "4.6"),
        ],
        RequirementLevel.Must) {
            Note = Grading,
        };

    public static readonly CheckDefinition TokenAuthMethodsWork = new("discovery.advertised-token-auth-methods-work",
        "Every method in token_endpoint_auth_methods_supported (default client_secret_basic) authenticates a client at the token endpoint",
        "Discovery",
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "token_endpoint_auth_methods_supported: the Client Authentication methods supported by this Token Endpoint; default client_secret_basic"),
            new(SpecDocument.Rfc8414, "2"),
            new(SpecDocument.OpenIdConnectCore, "9"),
            new(SpecDocument.Rfc6749, "2.3.1"),
        ],
        RequirementLevel.Must) {
            Note = Grading,
        };

    public static readonly CheckDefinition ScopesWork = new("discovery.advertised-scopes-work",
        "Every scope in scopes_supported can be requested: the request is not refused (invalid_scope) and tokens are issued",
        "Discovery",
        [
            new(SpecDocument.OpenIdConnectDiscovery, "3", "scopes_supported: the scope values that this server supports"),
            new(SpecDocument.Rfc8414, "2"),
            new(SpecDocument.Rfc6749, "3.3", "the server MAY ignore a requested scope, so a value left out of the granted scope is reported, not failed"),
        ],
        RequirementLevel.Must) {
            Note = Grading,
        };

    /// <summary>The case label of the execution that covers the advertised values the suite has no case for.</summary>
    public const string OtherValues = "other advertised values";

    public static CheckResult Evaluate(CheckDefinition def, AdvertisedProbe p)
    {
        var notes = p.Notes.Count == 0 ? "" : " (" + string.Join("; ", p.Notes) + ")";
        if (p.Listed is null)
            return def.NotApplicable($"discovery has no {p.Field} (and the spec gives it no default): nothing is advertised to exercise{notes}");
        if (!p.Advertised)
            return def.NotApplicable($"'{p.Value}' is not advertised in {p.Field} {p.ListText}: nothing to exercise{notes}");
        if (p.NotExercised is { } why)
            return def.NotApplicable($"'{p.Value}' is advertised in {p.Field} but not exercised: {why}{notes}");
        if (p.Attempt is not { } a)
            return def.NotApplicable($"'{p.Value}' is advertised in {p.Field} but no attempt was made{notes}");
        switch (a.End)
        {
            case ProbeEnd.NoEvidence:
                return def.NotApplicable($"'{p.Value}' is advertised in {p.Field}, but the attempt gave no evidence either way: {a.Description}{notes}");
            case ProbeEnd.Worked when a.Problems.Count == 0:
                return def.Pass($"'{p.Value}' is advertised in {p.Field} and worked: {a.Description}{notes}");
            case ProbeEnd.Worked:
                return def.Violation($"'{p.Value}' is advertised in {p.Field} but mishandled: {string.Join("; ", a.Problems)} ({a.Description}){notes}");
        }
        if (p.Control is not { End: ProbeEnd.Worked } control)
            return def.NotApplicable($"'{p.Value}' is advertised in {p.Field} and was refused ({a.Description}), but {p.ControlLabel} did not work either " +
                                     $"({p.Control?.Description ?? "not made"}): the refusal proves nothing{notes}");
        var explicitlyUnsupported = a.Error is { } e && e.StartsWith("unsupported_", StringComparison.Ordinal);
        if (!explicitlyUnsupported && !a.ErrorPage && p.RegistrationCaveat is { } caveat)
            return def.NotApplicable($"'{p.Value}' is advertised in {p.Field} and was refused ({a.Description}) while {p.ControlLabel} worked, " +
                                     $"but {caveat}, so the refusal may be the client's registration rather than the provider{notes}");
        return def.Violation($"'{p.Value}' is advertised in {p.Field} {p.ListText} but refused: {a.Description}; {p.ControlLabel} worked ({control.Description}){notes}");
    }

    /// <summary>
    /// The advertised values of <paramref name="field"/> that no case of the suite exercises: Inconclusive "unknown value,
    /// not exercised", naming them; Passed when every advertised value has its own case (the evidence is the list itself).
    /// </summary>
    public static CheckResult EvaluateOthers(CheckDefinition def, string field, IReadOnlyList<string>? listed, IEnumerable<string> known,
        Func<string, string, bool>? same = null)
    {
        same ??= string.Equals;
        if (listed is null) return def.NotApplicable($"discovery has no {field} (and the spec gives it no default): nothing is advertised");
        var knownList = known.ToList();
        var unknown = listed.Where(v => !knownList.Any(k => same(k, v))).ToList();
        return unknown.Count == 0
            ? def.Pass($"every value advertised in {field} [{string.Join(", ", listed)}] has its own case")
            : def.NotApplicable($"unknown value{(unknown.Count == 1 ? "" : "s")} in {field}, not exercised: {string.Join(", ", unknown.Select(u => $"'{u}'"))} " +
                                "(the suite has no request for it; exercise it by hand or add a case)");
    }
}
