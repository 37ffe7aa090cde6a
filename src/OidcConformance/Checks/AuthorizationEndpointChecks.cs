using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Checks;

/// <summary>One request the browser made while an authorization attempt ran (Playwright request events), or one the callback listener received.</summary>
public sealed record ObservedRequest(string Url, IReadOnlyList<KeyValuePair<string, string>> Parameters, string Source)
{
    public bool Has(string name) => Parameters.Any(p => p.Key == name);
    public string? Get(string name) => Parameters.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();

    /// <summary>Query (and form body) parameters of a URL.</summary>
    public static ObservedRequest From(string url, string source, string? formBody = null, string? fragment = null)
    {
        var parameters = FormCodec.ParseRedirect(url);
        parameters.AddRange(FormCodec.Parse(formBody));
        parameters.AddRange(FormCodec.Parse(fragment));
        return new ObservedRequest(url, parameters, source);
    }
}

/// <summary>
/// Everything observed during one authorization attempt in the browser: the request sent, how the browser flow ended, every
/// request the browser made afterwards (including ones that never connected) and the callback-listener hits carrying the
/// attempt's state. Negative checks judge this record, so they are testable without a browser.
/// </summary>
public sealed record AuthorizationAttempt(AuthorizationRequest Request, AuthorizationOutcome Outcome, IReadOnlyList<ObservedRequest> Observed)
{
    public TokenResponse? Token { get; init; }
    /// <summary>Visible text of the page where an unrecognized (stalled) attempt ended, for evidence.</summary>
    public string? PageText { get; init; }
    public DateTimeOffset Started { get; init; } = DateTimeOffset.UtcNow;

    public DecodedJwt IdToken => DecodedJwt.Decode(Token?.IdToken);

    /// <summary>Observed requests that left the provider (another origin than the authorization endpoint's).</summary>
    public IEnumerable<ObservedRequest> AwayFromProvider =>
        Observed.Where(o => Uri.TryCreate(o.Url, UriKind.Absolute, out var u) && u.Scheme is "http" or "https" &&
                            !AuthorizationEndpointChecks.SameOrigin(u, new Uri(Request.Endpoint)));
}

/// <summary>Negative and security cases of the authorization endpoint (RFC 6749 §3.1, §4.1.2.1; OpenID Connect Core §3.1.2).</summary>
public static class AuthorizationEndpointChecks
{
    private const string Area = "Authorization endpoint";
    private static readonly string[] Credentials = ["code", "access_token", "id_token"];

    public static readonly CheckDefinition ResponseTypeMissing = new("authz.response-type-missing-rejected",
        "A request without response_type gets invalid_request or unsupported_response_type (redirect or error page), never a code",
        Area, [
            new(SpecDocument.Rfc6749, "3.1.1"),
            new(SpecDocument.Rfc6749, "4.1.2.1"),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1"),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.6"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-response-type-missing"] };

    public static readonly CheckDefinition ResponseTypeUnknown = new("authz.response-type-unknown-rejected",
        "An unknown response_type gets unsupported_response_type (or invalid_request), never a code",
        Area, [new(SpecDocument.Rfc6749, "3.1.1", "\"MUST ... return an error response\""), new(SpecDocument.Rfc6749, "4.1.2.1")], RequirementLevel.Must);

    public static readonly CheckDefinition RedirectUriUnregistered = new("authz.redirect-uri-unregistered-no-redirect",
        "An unregistered redirect_uri is not redirected to: the provider shows an error page",
        Area, [
            new(SpecDocument.Rfc6749, "3.1.2.4"),
            new(SpecDocument.Rfc6749, "4.1.2.1", "\"MUST NOT automatically redirect\""),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1"),
        ],
        RequirementLevel.Must) { OidfModules = ["oidcc-ensure-registered-redirect-uri"] };

    public static readonly CheckDefinition RedirectUriNearMiss = new("authz.redirect-uri-near-miss-rejected",
        "A redirect_uri that differs from the registered one (path, query, fragment, host, userinfo, scheme, encoding) is never redirected to and gets no code",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "\"MUST exactly match\", RFC 3986 §6.2.1 simple string comparison"),
            new(SpecDocument.Rfc6749, "3.1.2.4"),
            new(SpecDocument.Rfc6749, "4.1.2.1"),
            new(SpecDocument.Rfc8252, "7.3", "only the port of a loopback IP redirect URI may vary"),
        ], RequirementLevel.Must);

    public static readonly CheckDefinition ClientIdMissing = new("authz.client-id-missing-no-redirect",
        "A request without client_id is not redirected to the client: error page",
        Area, [new(SpecDocument.Rfc6749, "4.1.2.1", "\"client identifier is missing or invalid ... MUST NOT automatically redirect\"")], RequirementLevel.Must);

    public static readonly CheckDefinition ClientIdUnknown = new("authz.client-id-unknown-no-redirect",
        "A request with an unknown client_id is not redirected: error page",
        Area, [new(SpecDocument.Rfc6749, "4.1.2.1", "\"client identifier is missing or invalid ... MUST NOT automatically redirect\"")], RequirementLevel.Must);

    public static readonly CheckDefinition UnknownParametersIgnored = new("authz.unknown-parameters-ignored",
        "Unrecognized request parameters are ignored: the flow still returns a code",
        Area, [
            new(SpecDocument.Rfc6749, "3.1", "\"MUST ignore unrecognized request parameters\""),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-ensure-request-with-unknown-parameter-succeeds"] };

    public static readonly CheckDefinition PromptNoneWithoutSession = new("authz.prompt-none-login-required",
        "prompt=none without a session redirects an error (login_required or another §3.1.2.6 code) and shows no login page",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "prompt=none \"MUST NOT display any authentication or consent user interface\""),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.6"),
        ],
        RequirementLevel.Must) { OidfModules = ["oidcc-prompt-none-not-logged-in"] };

    public static readonly CheckDefinition PromptLogin = new("authz.prompt-login-reauthenticates",
        "prompt=login asks an already logged-in user to log in again (or returns an error such as login_required)",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "prompt=login: \"SHOULD prompt the End-User for reauthentication\"; otherwise \"MUST return an error\""),
        ],
        RequirementLevel.Should) { OidfModules = ["oidcc-prompt-login"] };

    public static readonly CheckDefinition MaxAgeReauthenticates = new("authz.max-age-reauthenticates",
        "max_age=0 with an older session makes the provider re-authenticate the user",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "max_age: \"MUST attempt to actively re-authenticate\""),
            new(SpecDocument.OpenIdConnectCore, "15.1"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-max-age-1"] };

    public static readonly CheckDefinition MaxAgeAuthTime = new("authz.max-age-auth-time",
        "When max_age was requested, the ID token contains a numeric auth_time that is not in the future",
        Area, [
            new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "\"MUST include an auth_time Claim\""),
            new(SpecDocument.OpenIdConnectCore, "2"),
        ], RequirementLevel.Must) { OidfModules = ["oidcc-max-age-1"] };

    public static readonly CheckDefinition LoginHintAccepted = new("authz.login-hint-accepted",
        "A request with login_hint for the logged-in user succeeds",
        Area, [new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "login_hint"), new(SpecDocument.Rfc6749, "3.1")], RequirementLevel.Must) { OidfModules = ["oidcc-login-hint"] };

    public static readonly CheckDefinition PostRequest = new("authz.post-request-supported",
        "The authorization request sent by HTTP POST (form-encoded) returns a code",
        Area, [new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "\"MUST support the use of the HTTP GET and POST methods\"")],
        RequirementLevel.Must) { OidfModules = ["oidcc-ensure-post-request-succeeds"] };

    public static readonly CheckDefinition ResponseMode = new("authz.response-mode-honoured",
        "An advertised response_mode (query, fragment, form_post) delivers the code the way it names",
        Area, [
            new(SpecDocument.OAuthMultipleResponseTypes, "2.1"),
            new(SpecDocument.OAuthMultipleResponseTypes, "5"),
            new(SpecDocument.OAuthFormPostResponseMode, "2"),
            new(SpecDocument.OpenIdConnectDiscovery, "3", "response_modes_supported"),
        ],
        RequirementLevel.Must);

    public static readonly CheckDefinition NonceOptionalForCode = new("authz.nonce-optional-code-flow",
        "A code-flow request without nonce succeeds (nonce is OPTIONAL for response_type=code)",
        Area, [new(SpecDocument.OpenIdConnectCore, "3.1.2.1", "nonce OPTIONAL")], RequirementLevel.Must) { OidfModules = ["oidcc-ensure-request-without-nonce-succeeds-for-code-flow"] };

    public static readonly CheckDefinition DuplicateParameters = new("authz.duplicate-parameters-rejected",
        "A request repeating a parameter gets invalid_request (redirect or error page), not a code",
        Area, [
            new(SpecDocument.Rfc6749, "3.1", "\"MUST NOT be included more than once\""),
            new(SpecDocument.Rfc6749, "4.1.2.1", "invalid_request: \"includes a parameter more than once\""),
        ], RequirementLevel.Should) { Note = "SHOULD here: §4.1.2.1 names the error but no MUST obliges the server to reject" };

    public static readonly CheckDefinition ErrorStateEchoed = new("authz.error-response-state-echoed",
        "An error redirected to the client carries the request's state exactly",
        Area, [
            new(SpecDocument.Rfc6749, "4.1.2.1", "state \"REQUIRED if a state parameter was present\""),
            new(SpecDocument.OpenIdConnectCore, "3.1.2.6"),
        ], RequirementLevel.Must);

    // ---- helpers ---------------------------------------------------------------------------------------------

    public static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme.Equals(b.Scheme, StringComparison.OrdinalIgnoreCase) && HostEquals(a.Host, b.Host) && a.Port == b.Port;

    private static bool HostEquals(string a, string b) => a.Equals(b, StringComparison.OrdinalIgnoreCase);

    private static string PathKey(Uri u)
    {
        try { return Uri.UnescapeDataString(u.AbsolutePath); }
        catch (UriFormatException) { return u.AbsolutePath; }
    }

    private static readonly HashSet<string> ResponseParameters =
        ["code", "state", "error", "error_description", "error_uri", "iss", "id_token", "access_token", "token_type", "expires_in", "scope", "session_state"];

    /// <summary>
    /// Whether a browser request went to <paramref name="target"/>: same scheme, host, port and (percent-decoded) path, with every
    /// query parameter of the target present. Both sides are parsed the way a browser does (dot segments removed, host lower-cased).
    /// </summary>
    public static bool Reaches(string requested, string target)
    {
        if (!Uri.TryCreate(requested, UriKind.Absolute, out var r) || !Uri.TryCreate(target, UriKind.Absolute, out var t)) return false;
        if (!SameOrigin(r, t) || PathKey(r) != PathKey(t)) return false;
        var have = FormCodec.Parse(r.Query.TrimStart('?'));
        return FormCodec.Parse(t.Query.TrimStart('?')).All(p => have.Contains(p));
    }

    /// <summary>A request to exactly <paramref name="registered"/> (its own query only, plus response parameters).</summary>
    public static bool AtRegistered(string requested, string registered)
    {
        if (!Reaches(requested, registered)) return false;
        var r = new Uri(requested);
        var t = new Uri(registered);
        if (r.AbsolutePath != t.AbsolutePath) return false;
        var extra = FormCodec.Parse(r.Query.TrimStart('?')).Where(p => !ResponseParameters.Contains(p.Key)).ToHashSet();
        return extra.SetEquals(FormCodec.Parse(t.Query.TrimStart('?')));
    }

    private static string Where(string url) => Redactor.Redact(url.Split('?')[0]);

    /// <summary>A code or token that reached anything outside the provider, in the browser or at the callback.</summary>
    private static (string Name, string Url)? Leak(AuthorizationAttempt a)
    {
        if (a.Outcome.Response is { } response)
            foreach (var name in Credentials)
                if (!string.IsNullOrEmpty(response.Get(name))) return (name, response.CallbackUrl.ToString());
        foreach (var o in a.AwayFromProvider)
            foreach (var name in Credentials)
                if (!string.IsNullOrEmpty(o.Get(name))) return (name, o.Url);
        return null;
    }

    private static bool InitialNavigationFailed(AuthorizationAttempt a) =>
        a.Outcome.End == AuthorizationEnd.Stalled && a.Outcome.Detail.StartsWith("net::ERR_", StringComparison.Ordinal) && !a.AwayFromProvider.Any();

    // ---- evaluators ------------------------------------------------------------------------------------------

    /// <summary>
    /// The provider must not send the browser to <paramref name="forbiddenUri"/> nor hand out a code or token anywhere. An error
    /// redirected to <paramref name="registeredUri"/> (the client's real redirect URI) is tolerated; with <paramref name="registeredUri"/>
    /// null (unknown or missing client) every redirect to the forbidden URI counts.
    /// </summary>
    public static CheckResult EvaluateNoRedirect(CheckDefinition check, AuthorizationAttempt a, string forbiddenUri, string? registeredUri)
    {
        var result = JudgeNoRedirect(check, a, forbiddenUri, registeredUri);
        var redirected = a.AwayFromProvider.FirstOrDefault(o => Reaches(o.Url, forbiddenUri) && !(registeredUri is not null && AtRegistered(o.Url, registeredUri) && o.Has("error")));
        return result.Observed("redirect to the unverified URI", "none", redirected is null ? "none" : redirected.Get("error") is { } e ? $"yes, error {e}" : "yes")
            .Observed("outcome", null, OutcomeValue(a));
    }

    /// <summary>
    /// What an authorization attempt ended in, as an observation value: "redirect with error X", "redirect with code",
    /// "error page", "login page", "stalled" … (never the code or a token itself).
    /// </summary>
    internal static string OutcomeValue(AuthorizationAttempt a) => Leak(a) is { } leak ? $"{leak.Name} issued" : OutcomeValue(a.Outcome);

    internal static string OutcomeValue(AuthorizationOutcome o)
    {
        return o.End switch
        {
            AuthorizationEnd.Redirected when o.Response?.Error is { } error => $"redirect with error {error}",
            AuthorizationEnd.Redirected when !string.IsNullOrEmpty(o.Response?.Code) => "redirect with code",
            AuthorizationEnd.Redirected => $"redirect without error ({o.Response?.Describe()})",
            _ => o.End switch
            {
                AuthorizationEnd.ProviderError => "error page",
                AuthorizationEnd.LoginRequired => "login page",
                AuthorizationEnd.BlankPage => "blank page",
                var end => end.ToString(),
            },
        };
    }

    private static CheckResult JudgeNoRedirect(CheckDefinition check, AuthorizationAttempt a, string forbiddenUri, string? registeredUri)
    {
        if (Leak(a) is { } leak)
            return check.Violation($"the provider issued {leak.Name} and sent it to {Where(leak.Url)} ({a.Outcome.Describe()})");
        ObservedRequest? toleratedError = null;
        foreach (var o in a.AwayFromProvider)
        {
            if (registeredUri is not null && AtRegistered(o.Url, registeredUri) && o.Has("error"))
            {
                toleratedError ??= o;
                continue;
            }
            if (Reaches(o.Url, forbiddenUri))
                return check.Violation($"the provider redirected the browser to {Where(o.Url)} ({o.Source}" +
                                       (o.Get("error") is { } e ? $", error '{e}'" : "") + "); it MUST NOT redirect automatically");
        }
        if (InitialNavigationFailed(a))
            return check.NotApplicable($"the authorization endpoint could not be loaded: {a.Outcome.Detail}");
        if (toleratedError is not null)
            return check.Pass($"no redirect to the unverified URI; the error '{toleratedError.Get("error")}' went to the registered redirect URI");
        // A stall is no evidence that the provider refused: it may still have been about to redirect (Recorded/casdoor-3.158.0:
        // this check once passed by a 40 s wait). Nor is a blank page (issue #11 class 1): a single-page app whose bundle did not
        // run looks the same as one that decided not to redirect, and the fault authz-refusals-blank (the provider's refusal
        // replaced by such a page) passed this check before. A refusal is an error page or an error redirect.
        if (a.Outcome.End is AuthorizationEnd.Stalled or AuthorizationEnd.BlankPage)
            return check.NotApplicable($"no evidence of what the provider did (no error page, no redirect): {a.Outcome.Describe()}");
        return check.Pass($"no redirect: {a.Outcome.Describe()}");
    }

    /// <summary>The request must fail: an error in <paramref name="allowedErrors"/> redirected to the client, or (when allowed) an error page; never a code.</summary>
    public static CheckResult EvaluateErrorNoCode(CheckDefinition check, AuthorizationAttempt a, IReadOnlyCollection<string> allowedErrors, bool errorPageAllowed = true) =>
        JudgeErrorNoCode(check, a, allowedErrors, errorPageAllowed)
            .Observed("outcome", $"redirect with error {string.Join(" or ", allowedErrors)}{(errorPageAllowed ? ", or error page" : "")}", OutcomeValue(a));

    private static CheckResult JudgeErrorNoCode(CheckDefinition check, AuthorizationAttempt a, IReadOnlyCollection<string> allowedErrors, bool errorPageAllowed)
    {
        var expected = string.Join(" or ", allowedErrors);
        if (Leak(a) is { } leak)
            return check.Violation($"the provider issued {leak.Name} ({Where(leak.Url)}) instead of an error ({expected})");
        var o = a.Outcome;
        switch (o.End)
        {
            case AuthorizationEnd.Redirected when o.Response!.Error is { } error:
                return check.Require(allowedErrors.Contains(error),
                    $"the provider redirected error '{error}' instead of {expected}", $"error '{error}' redirected to the client");
            case AuthorizationEnd.Redirected:
                return check.Violation($"the provider redirected without an error ({o.Response!.Describe()}); expected {expected}");
            case AuthorizationEnd.ProviderError:
                return check.Require(errorPageAllowed, $"the provider showed an error page ({o.Detail}) instead of redirecting {expected} to the client",
                    $"error page: {o.Detail}");
            case AuthorizationEnd.LoginRequired:
                return check.Violation($"the provider showed its login page instead of returning {expected}");
            default:
                return check.NotApplicable($"no recognizable outcome: {o.Describe()}");
        }
    }

    /// <summary>A request that must succeed: redirected to the client with a code (in <paramref name="location"/> when given).</summary>
    public static CheckResult EvaluateCodeReturned(CheckDefinition check, AuthorizationAttempt a, ResponseLocation? location = null)
    {
        var result = JudgeCodeReturned(check, a, location);
        var response = a.Outcome.End == AuthorizationEnd.Redirected ? a.Outcome.Response : null;
        result = result.Observed("outcome", "redirect with code", response is { Error: null } && !string.IsNullOrEmpty(response.Code) ? "redirect with code" : OutcomeValue(a));
        return location is { } l && response is not null ? result.Observed("response location", Name(l), Name(response.Location)) : result;
    }

    private static CheckResult JudgeCodeReturned(CheckDefinition check, AuthorizationAttempt a, ResponseLocation? location)
    {
        var o = a.Outcome;
        if (o.End != AuthorizationEnd.Redirected)
            return o.End == AuthorizationEnd.Stalled && InitialNavigationFailed(a)
                ? check.NotApplicable($"the authorization endpoint could not be loaded: {o.Detail}")
                : check.Violation($"no code: {o.Describe()}");
        var response = o.Response!;
        if (response.Error is { } error)
            return check.Violation($"the provider answered error '{error}'" + (response.Get("error_description") is { } d ? $" ({Redactor.Redact(d)})" : ""));
        if (string.IsNullOrEmpty(response.Code)) return check.Violation($"redirect without code: {response.Describe()}");
        if (location is { } l && response.Location != l)
            return check.Violation($"the code arrived in the {Name(response.Location)}, not in the {Name(l)}");
        return check.Pass(location is null ? "code returned" : $"code returned in the {Name(response.Location)}");
    }

    private static string Name(ResponseLocation l) => l switch
    {
        ResponseLocation.FormPost => "form_post body",
        _ => l.ToString().ToLowerInvariant(),
    };

    /// <summary>
    /// Re-authentication after prompt=login / max_age: the login page was shown, or auth_time is fresh, or the provider returned an
    /// error such as login_required (allowed when it cannot re-authenticate).
    /// </summary>
    public static CheckResult EvaluateReauthentication(CheckDefinition check, AuthorizationAttempt a, long? authTime)
    {
        var result = JudgeReauthentication(check, a, authTime);
        var o = a.Outcome;
        if (o.End != AuthorizationEnd.Redirected || o.Response!.Error is not null) return result.Observed("outcome", null, OutcomeValue(a));
        // auth_time relative to the request, not as a timestamp: two runs compare equal unless the behaviour differs.
        result = result.Observed("login page shown", null, o.CredentialsSubmitted ? "yes" : "no");
        return authTime is { } t ? result.Observed("auth_time − request", "≥ −1 s (fresh), or the login page shown", $"{t - a.Started.ToUnixTimeSeconds()} s") : result;
    }

    private static CheckResult JudgeReauthentication(CheckDefinition check, AuthorizationAttempt a, long? authTime)
    {
        var o = a.Outcome;
        if (o.End == AuthorizationEnd.Redirected && o.Response!.Error is { } error)
            return error switch
            {
                "login_required" or "interaction_required" => check.Pass($"the provider returned '{error}' instead of re-authenticating, as allowed"),
                // Any non-negative max_age is valid (Core §3.1.2.1: "max_age=0 is equivalent to prompt=login"): refusing it as a
                // malformed request is no failed re-authentication attempt. (For prompt=login §3.1.2.1 lets the OP return an error.)
                "invalid_request" when check == MaxAgeReauthenticates =>
                    check.Violation("the provider refused max_age as invalid_request" +
                                    (o.Response.Get("error_description") is { Length: > 0 } d ? $" ({Redactor.Redact(d)})" : "") +
                                    "; OIDC Core 1.0 §3.1.2.1 defines max_age as any number of seconds, max_age=0 included (equivalent to prompt=login)"),
                _ => check.NotApplicable($"the request failed with '{error}'"),
            };
        if (o.End == AuthorizationEnd.LoginRejected) return check.NotApplicable($"the login was refused: {o.Detail}");
        if (o.End != AuthorizationEnd.Redirected) return check.NotApplicable($"no code: {o.Describe()}");
        if (o.CredentialsSubmitted) return check.Pass("the login page was shown again in this attempt and the user's credentials were submitted");
        // Only a login form shown and submitted in this attempt is evidence of re-authentication (issue #11 class 4). A fresh
        // auth_time is not: a session established moments before the request, or a provider's re-authentication grace window
        // (a few seconds), gives one without any prompt, so it can neither pass nor excuse the check.
        var started = a.Started.ToUnixTimeSeconds();
        return check.Violation("the provider returned a code for the existing session without showing its login page" +
                               (authTime is { } t ? $" (auth_time {t}, {started - t} s before the request; only a submitted login form shows re-authentication)" : ""));
    }

    public static CheckResult EvaluateAuthTime(CheckDefinition check, AuthorizationAttempt a)
    {
        if (a.Token is null) return check.NotApplicable($"no token response: {a.Outcome.Describe()}");
        if (!a.Token.IsSuccess) return check.NotApplicable($"the code exchange failed: {a.Token.Describe()}");
        var jwt = a.IdToken;
        if (!jwt.IsValid) return check.NotApplicable($"no usable ID token: {jwt.Problem}");
        if (jwt.Claim("auth_time") is not { } claim) return check.Violation("max_age was requested but the ID token has no auth_time");
        if (claim.ValueKind != System.Text.Json.JsonValueKind.Number || !claim.TryGetDouble(out var value))
            return check.Violation($"auth_time is a {claim.ValueKind}, not a number of seconds");
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return check.Require(value <= now + 60, $"auth_time {value} lies {value - now:0} s in the future", $"auth_time {value}")
            .Observed("auth_time", "present, a number of seconds not in the future", value <= now + 60 ? "present, not in the future" : $"{value - now:0} s in the future");
    }

    public static CheckResult EvaluateErrorStateEchoed(AuthorizationAttempt a)
    {
        var check = ErrorStateEchoed;
        if (a.Outcome is not { End: AuthorizationEnd.Redirected, Response: { Error: not null } response })
            return check.NotApplicable($"no error was redirected to the client ({a.Outcome.Describe()})");
        if (a.Request.State is not { } sent) return check.NotApplicable("the request carried no state");
        var count = response.Count("state");
        if (count == 0) return check.Violation($"the error '{response.Error}' came back without state").Observed("state", sent, null);
        if (count > 1) return check.Violation($"state appears {count} times").Observed("state", "once", $"{count} times");
        return check.RequireEqual("state", sent, response.State, $"state came back as '{response.State}' instead of '{sent}'");
    }
}
