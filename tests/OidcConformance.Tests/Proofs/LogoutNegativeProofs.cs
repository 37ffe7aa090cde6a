using System.Text.Json;
using OidcConformance.Browser;
using OidcConformance.Callback;
using OidcConformance.Checks;
using OidcConformance.Flows;
using OidcConformance.Tests.Support;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Proofs;

public sealed class LogoutNegativeProofs : IFailureProofs, IPassProofs
{
    private const string Registered = "http://127.0.0.1:5555/logout-callback";

    private static CallbackHit Hit(string path, params (string, string)[] query) => new()
    {
        Id = "h1", Method = "GET", Path = path, Host = "127.0.0.1:5555", Received = DateTimeOffset.UtcNow,
        Query = query.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList(),
    };

    private static AuthorizationOutcome Redirect(string path, params (string, string)[] query) =>
        new(AuthorizationEnd.Redirected, path) { Hit = Hit(path, query) };

    private static readonly AuthorizationOutcome ErrorPage = new(AuthorizationEnd.ProviderError, "invalid_request post_logout_redirect_uri not registered");
    private static readonly AuthorizationOutcome Prompt = new(AuthorizationEnd.Stalled, "logout confirmation shown");

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(LogoutNegativeChecks.UnregisteredUri, "open redirect to the unregistered URI", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.UnregisteredUri, Redirect("/unregistered-post-logout", ("state", "s")), [], true),
            "redirected the browser to the RP at /unregistered-post-logout?state for a post_logout_redirect_uri that is not registered");
        yield return new(LogoutNegativeChecks.UnregisteredUri, "redirect seen by the listener though the page ended elsewhere", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.UnregisteredUri, ErrorPage, [Hit("/unregistered-post-logout", ("state", "s"))], true),
            "seen by the callback listener");
        yield return new(LogoutNegativeChecks.QueryModifiedUri, "query-added URI honored (prefix match)", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.QueryModifiedUri, Redirect("/logout-callback", ("foo", "bar"), ("state", "s")), [], true),
            "redirected the browser to the RP at /logout-callback?foo&state for a post_logout_redirect_uri that is the registered one with an added query");
        yield return new(LogoutNegativeChecks.TamperedIdTokenHint, "alg none hint accepted (Casdoor-style lookup without signature check)", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.TamperedIdTokenHint, Redirect("/logout-callback", ("state", "s")), [], true, "alg-none"),
            "redirected the browser to the RP at /logout-callback?state for an id_token_hint whose signature is not the issuer's");
        yield return new(LogoutNegativeChecks.NoIdTokenHint, "silent redirect without hint", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.NoIdTokenHint, Redirect("/logout-callback", ("state", "s")), [], false),
            "sent without id_token_hint or client_id, without asking the user");
        yield return new(LogoutNegativeChecks.ClientIdWithoutHint, "silent redirect with client_id only", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.ClientIdWithoutHint, Redirect("/logout-callback"), [], false),
            "with client_id but without id_token_hint, without asking the user");
        yield return new(LogoutNegativeChecks.RedirectWithoutState, "no redirect without state (state required)", () =>
            LogoutNegativeChecks.EvaluateRedirectWithoutState(new AuthorizationOutcome(AuthorizationEnd.ProviderError, "missing required parameter state"), Registered),
            "no redirect to the RP for a logout without state");
        yield return new(LogoutNegativeChecks.RedirectWithoutState, "redirect to the login callback", () =>
            LogoutNegativeChecks.EvaluateRedirectWithoutState(Redirect("/callback"), Registered), "not to the post_logout_redirect_uri");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(LogoutNegativeChecks.UnregisteredUri, "error page", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.UnregisteredUri, ErrorPage, [], true));
        yield return new(LogoutNegativeChecks.NoIdTokenHint, "confirmation prompt", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.NoIdTokenHint, Prompt, [], false));
        yield return new(LogoutNegativeChecks.TamperedIdTokenHint, "logged out without redirect", () =>
            LogoutNegativeChecks.EvaluateNoRedirect(LogoutNegativeChecks.TamperedIdTokenHint,
                new AuthorizationOutcome(AuthorizationEnd.ProviderError, "logged out, no redirect"), [], true, "signature-broken"));
        yield return new(LogoutNegativeChecks.RedirectWithoutState, "redirect without state", () =>
            LogoutNegativeChecks.EvaluateRedirectWithoutState(Redirect("/logout-callback"), Registered));
    }
}

/// <summary>The hint tampering itself: each variant must no longer carry the issuer's valid signature.</summary>
public sealed class LogoutTamperTests
{
    private static string Valid => Make.Jwt(Make.Header(), Make.IdTokenClaims());

    [NUnit.Framework.TestCaseSource(typeof(LogoutNegativeChecks), nameof(LogoutNegativeChecks.TamperCases))]
    public void Tampered_hint_keeps_the_payload_and_breaks_the_signature(string @case)
    {
        var valid = Valid;
        var tampered = LogoutNegativeFlow.Tamper(valid, @case);
        var parts = tampered.Split('.');
        NUnit.Framework.Assert.That(parts, NUnit.Framework.Has.Length.EqualTo(3));
        NUnit.Framework.Assert.That(parts[1], NUnit.Framework.Is.EqualTo(valid.Split('.')[1]), "the payload is the real one");
        NUnit.Framework.Assert.That(tampered, NUnit.Framework.Is.Not.EqualTo(valid));
        var input = System.Text.Encoding.ASCII.GetBytes(parts[0] + "." + parts[1]);
        var sig = parts[2].Length == 0 ? [] : Tokens.DecodedJwt.Base64UrlDecode(parts[2]);
        NUnit.Framework.Assert.That(Make.TestKey.VerifyData(input, sig, System.Security.Cryptography.HashAlgorithmName.SHA256,
            System.Security.Cryptography.RSASignaturePadding.Pkcs1), NUnit.Framework.Is.False, "the issuer's key must not verify it");
        var header = JsonDocument.Parse(LogoutNegativeFlow.HeaderOf(tampered)).RootElement.GetProperty("alg").GetString();
        NUnit.Framework.Assert.That(header, @case == "alg-none" ? NUnit.Framework.Is.EqualTo("none") : NUnit.Framework.Is.EqualTo("RS256"));
    }
}
