using OidcConformance.Callback;

namespace OidcConformance.Protocol;

// The outcome model of one authorization or logout attempt in a user agent: what checks judge. It lives in the protocol
// layer so that checks depend on what happened, not on the browser that made it happen (issue #16); the browser's
// BrowserAuthorizer produces it.

/// <summary>How the end of an attempt is classified.</summary>
public enum AuthorizationEnd
{
    /// <summary>The provider sent the browser to the relying party's callback.</summary>
    Redirected,
    /// <summary>The provider showed an error page of its own.</summary>
    ProviderError,
    /// <summary>The provider asked for credentials where no login was allowed (prompt=none / SSO expected).</summary>
    LoginRequired,
    /// <summary>Credentials were submitted and refused.</summary>
    LoginRejected,
    /// <summary>Nothing recognizable happened before the navigation deadline.</summary>
    Stalled,
    /// <summary>
    /// The provider's page loaded (its document and API requests answered, none in flight) and then showed nothing the
    /// driver recognizes: the provider answered without redirecting and without an error page. Detail lists the answered
    /// requests. Unlike <see cref="Stalled"/> this is evidence of what the provider did, decided within seconds.
    /// </summary>
    BlankPage,
}

/// <summary>What one authorization attempt in the browser ended with.</summary>
public sealed record AuthorizationOutcome(AuthorizationEnd End, string Detail)
{
    public AuthorizationResponse? Response { get; init; }
    public CallbackHit? Hit { get; init; }
    public bool CredentialsSubmitted { get; init; }
    public bool ConsentShown { get; init; }
    public string? FinalUrl { get; init; }
    public TimeSpan Duration { get; init; }
    /// <summary>The provider pages the attempt took, in order, each once the page had settled (the login driver's page watch).</summary>
    public IReadOnlyList<ProviderPage> PagesMet { get; init; } = [];
    /// <summary>Redirected, but the browser could not load the target (e.g. its host does not resolve): the request it was
    /// sent on is the evidence (<see cref="FinalUrl"/>, <see cref="Response"/>), there is no callback hit.</summary>
    public string? TargetUnreachable { get; init; }

    /// <summary>
    /// The user-agent session state this attempt met, for the evidence of every check that drove it (issue #11 class 4: a
    /// verdict that depends on consent or a login must say whether they happened in that very attempt).
    /// </summary>
    public string SessionState()
    {
        static string YesNo(bool b) => b ? "yes" : "no";
        var loginShown = CredentialsSubmitted || End is AuthorizationEnd.LoginRequired or AuthorizationEnd.LoginRejected || PagesMet.Contains(ProviderPage.Login);
        return $"login form shown: {YesNo(loginShown)}, credentials submitted: {YesNo(CredentialsSubmitted)}; " +
               $"consent shown: {YesNo(ConsentShown || PagesMet.Contains(ProviderPage.Consent))}; ended: {End}";
    }

    public string Describe() => End switch
    {
        AuthorizationEnd.Redirected when TargetUnreachable is { } failure =>
            $"redirected the browser to {Http.Redactor.Redact(FinalUrl?.Split('?')[0])} ({Response?.Describe()}), which the browser could not load ({failure})",
        AuthorizationEnd.Redirected => $"redirected to the relying party ({Response?.Describe()})",
        AuthorizationEnd.BlankPage => $"the provider's page loaded and showed nothing recognizable, without redirecting (URL {Http.Redactor.Redact(FinalUrl)}): {Detail}",
        AuthorizationEnd.ProviderError => $"the provider showed an error page: {Detail}",
        AuthorizationEnd.LoginRequired => "the provider asked for a login",
        AuthorizationEnd.LoginRejected => $"the provider refused the credentials: {Detail}",
        _ when Detail.Contains("net::ERR_", StringComparison.Ordinal) =>
            $"the browser could not load the provider's page (URL {Http.Redactor.Redact(FinalUrl)}): {Detail}",
        _ => $"no redirect and no recognizable provider page within the navigation timeout (last URL {Http.Redactor.Redact(FinalUrl)}): {Detail}",
    };
}

/// <summary>How the browser should send the authorization request.</summary>
public enum RequestMethod { Get, Post }

/// <summary>The provider pages a login driver recognizes (and an outcome's <see cref="AuthorizationOutcome.PagesMet"/> lists).</summary>
public enum ProviderPage { Login, Consent, LogoutConfirm, LoggedOut, Error }
