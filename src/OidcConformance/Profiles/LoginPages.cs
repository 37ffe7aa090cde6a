using System.Text.Json;
using System.Text.Json.Serialization;

namespace OidcConformance.Profiles;

/// <summary>
/// The provider's interactive pages as data (profile member <c>loginPages</c>, used with <c>"loginDriver": "declarative"</c>;
/// docs/login-drivers.md). Every value is a Playwright selector: CSS by default (<c>form#login input[name=user]</c>), or a
/// selector engine such as <c>role=button[name="Sign in"]</c>, <c>text=Continue</c>, <c>xpath=…</c>, chained with <c>&gt;&gt;</c>.
/// </summary>
public sealed record LoginPages
{
    /// <summary>The login form; also the re-authentication page where <see cref="Reauthentication"/> is not given.</summary>
    public required LoginFormPage Login { get; init; }
    /// <summary>A page that asks the user to approve the client's access (scopes).</summary>
    public ConsentPage? Consent { get; init; }
    /// <summary>An account chooser / "continue as" page of an existing session: approving it continues the session.</summary>
    public ChooserPage? AccountChooser { get; init; }
    /// <summary>A re-authentication page (prompt=login, max_age) that differs from the login form.</summary>
    public LoginFormPage? Reauthentication { get; init; }
    /// <summary>The banner or text a refused login shows (on the login page).</summary>
    public MessagePage? FailedLogin { get; init; }
    /// <summary>The provider's own error page (a rejected request that is not redirected to the client).</summary>
    public MessagePage? Error { get; init; }
    public LogoutConfirmPage? LogoutConfirm { get; init; }
    /// <summary>The page shown after logout without a redirect to the client.</summary>
    public string? LoggedOut { get; init; }
    // device
    /// <summary>The device authorization grant's user-code pages (RFC 8628 §3.3): enter the code, approve or deny, the outcome.</summary>
    public DeviceVerificationPages? DeviceVerification { get; init; }
}

/// <summary>
/// The verification_uri pages of the device authorization grant (RFC 8628 §3.3), as Playwright selectors: the code input
/// (<see cref="Page"/>, <see cref="UserCode"/>, <see cref="Submit"/>), the confirmation that asks the user to approve or deny
/// the device (<see cref="ConfirmPage"/>, <see cref="Approve"/>, <see cref="Deny"/>), and what marks the end: approved
/// (<see cref="Success"/>), denied (<see cref="Denied"/>) or a refused code (<see cref="Error"/>). The login and consent pages
/// met between them are the ones of <see cref="LoginPages"/>.
/// </summary>
public sealed record DeviceVerificationPages
{
    public required string Page { get; init; }
    public required string UserCode { get; init; }
    public required string Submit { get; init; }
    /// <summary>What marks the approve/deny page; null when the provider asks nothing after the code (then no denial can be driven).</summary>
    public string? ConfirmPage { get; init; }
    public string? Approve { get; init; }
    public string? Deny { get; init; }
    public required string Success { get; init; }
    public string? Denied { get; init; }
    public string? Error { get; init; }
}

public sealed record LoginFormPage
{
    /// <summary>What marks the page (default: the username field, or the password field of a re-authentication page).</summary>
    public string? Page { get; init; }
    /// <summary>The username field; left as it is when it is disabled or read-only (a re-authentication page pre-fills it).</summary>
    public string? Username { get; init; }
    public required string Password { get; init; }
    public required string Submit { get; init; }
}

public sealed record ConsentPage
{
    public required string Page { get; init; }
    /// <summary>The button that approves; used when <see cref="Steps"/> is not given.</summary>
    public string? Approve { get; init; }
    /// <summary>Several actions in order, for consent pages that need more than one click.</summary>
    public IReadOnlyList<ConsentStep>? Steps { get; init; }
}

/// <summary>
/// One action of a consent page: exactly one of <see cref="Click"/>, <see cref="CheckAll"/>, <see cref="WaitFor"/>. With
/// <see cref="When"/>, the step runs only when that selector is visible at that moment (never a guess: a step that cannot
/// run fails the attempt with the selector's name).
/// </summary>
public sealed record ConsentStep
{
    public string? Click { get; init; }
    public string? CheckAll { get; init; }
    public string? WaitFor { get; init; }
    public string? When { get; init; }
}

public sealed record ChooserPage
{
    public required string Page { get; init; }
    /// <summary>What to click to continue with the existing session (default: the page selector itself).</summary>
    public string? Continue { get; init; }
}

public sealed record MessagePage
{
    public required string Page { get; init; }
    /// <summary>Where the message text is (default: the page selector's text).</summary>
    public string? Message { get; init; }
}

public sealed record LogoutConfirmPage
{
    public required string Page { get; init; }
    public string? Confirm { get; init; }
}

public static class LoginPagesReader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        RespectRequiredConstructorParameters = true,
        // The element's raw text keeps the profile's comments and trailing commas, which the profile format allows.
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
    };

    /// <summary>Reads <c>loginPages</c>; every problem names the file and the JSON path.</summary>
    public static LoginPages Read(JsonElement e, string file)
    {
        const string path = "$.loginPages";
        if (e.ValueKind != JsonValueKind.Object) throw new ProfileException(file, path, "must be an object");
        LoginPages pages;
        try { pages = e.Deserialize<LoginPages>(Options)!; }
        catch (JsonException ex)
        {
            var at = string.IsNullOrEmpty(ex.Path) || ex.Path == "$" ? path : path + ex.Path.TrimStart('$');
            throw new ProfileException(file, at, FirstSentence(ex.Message));
        }
        if (pages.Login.Username is null && pages.Login.Page is null)
            throw new ProfileException(file, path + ".login.username", "is required (the field the username is typed into)");
        var i = 0;
        foreach (var step in pages.Consent?.Steps ?? [])
        {
            var actions = new[] { step.Click, step.CheckAll, step.WaitFor }.Count(a => a is not null);
            if (actions != 1) throw new ProfileException(file, $"{path}.consent.steps[{i}]", "needs exactly one of click, checkAll, waitFor");
            i++;
        }
        if (pages.DeviceVerification is { ConfirmPage: not null, Approve: null })
            throw new ProfileException(file, path + ".deviceVerification.approve", "is required with confirmPage (the button that approves the device)");
        if (pages.Consent is { Approve: null, Steps: null or [] })
            throw new ProfileException(file, path + ".consent", "needs approve (the button to click) or steps");
        return pages;
    }

    private static string FirstSentence(string message)
    {
        var cut = message.IndexOf(". Path:", StringComparison.Ordinal);
        return cut > 0 ? message[..cut] : message;
    }
}
