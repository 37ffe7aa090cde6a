using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

public sealed class PkceProofs : IFailureProofs, IPassProofs
{
    private static AuthorizationOutcome Redirect(params (string, string)[] query) =>
        new(AuthorizationEnd.Redirected, "/callback")
        {
            Response = new AuthorizationResponse(ResponseLocation.Query, query.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList(),
                new Uri("http://127.0.0.1:5555/callback")),
        };

    private static AuthorizationOutcome Code => Redirect(("code", "c-1"), ("state", "s"));
    private static AuthorizationOutcome ErrorRedirect(string error) => Redirect(("error", error), ("state", "s"));
    private static AuthorizationOutcome ErrorPage => new(AuthorizationEnd.ProviderError, "invalid_request: code_challenge_method not supported");

    private static TokenResponse S256Success => RecordedPkceRefresh.Token("pkce: s256 code exchange (public)");
    private static TokenResponse InvalidGrant => RecordedPkceRefresh.Token("pkce: refused code exchange (invalid_grant)");
    private static TokenResponse Error(string error, int status = 400) => Make.Token($"{{\"error\":\"{error}\"}}", status);
    private static readonly string[] S256Only = ["S256"];

    /// <summary>Controls: the unmutated twin of a negative attempt, same session (recorded node-oidc-provider S256 exchange).</summary>
    private static PkceControl Worked => new("the control (S256 with its verifier)", Code, S256Success);
    private static PkceControl NoChallengeWorked => new("the control (no code_challenge, no code_verifier)", Code, S256Success);
    private static PkceControl ControlRefused(TokenResponse token) => new("the control", Code, token);
    private static PkceControl ControlNoCode(AuthorizationOutcome outcome) => new("the control", outcome, null);
    private static readonly string[] WithPlain = ["S256", "plain"];

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(PkceChecks.S256Accepted, "exchange with the matching verifier refused", () =>
            PkceChecks.EvaluateS256Accepted(Code, InvalidGrant), "code exchange with the matching code_verifier failed");
        yield return new(PkceChecks.S256Accepted, "S256 challenge refused at the authorization endpoint", () =>
            PkceChecks.EvaluateS256Accepted(ErrorRedirect("invalid_request"), null), "error 'invalid_request'");
        yield return new(PkceChecks.S256Accepted, "S256 challenge refused on an error page", () =>
            PkceChecks.EvaluateS256Accepted(ErrorPage, null), "was refused");

        yield return new(PkceChecks.InvalidVerifierRejected, "wrong verifier redeemed (no PKCE check at all)", () =>
            PkceChecks.EvaluateInvalidVerifierRejected(Code, S256Success, verifierMissing: false, Worked), "code_verifier that does not match the code's PKCE code_challenge: the token endpoint answered HTTP 200 and issued an access token");
        yield return new(PkceChecks.InvalidVerifierRejected, "missing verifier redeemed (Casdoor-style: verifier only checked when sent)", () =>
            PkceChecks.EvaluateInvalidVerifierRejected(Code, S256Success, verifierMissing: true, Worked), "without code_verifier for a code bound to a PKCE code_challenge: the token endpoint answered HTTP 200 and issued an access token");
        yield return new(PkceChecks.InvalidVerifierRejected, "mismatch answered invalid_request instead of invalid_grant", () =>
            PkceChecks.EvaluateInvalidVerifierRejected(Code, Error("invalid_request"), verifierMissing: false, Worked), "expected invalid_grant");
        yield return new(PkceChecks.InvalidVerifierRejected, "invalid_grant with HTTP 401", () =>
            PkceChecks.EvaluateInvalidVerifierRejected(Code, Error("invalid_grant", 401), verifierMissing: false, Worked), "requires 400");
        yield return new(PkceChecks.InvalidVerifierRejected, "refused with an HTML 500 page", () =>
            PkceChecks.EvaluateInvalidVerifierRejected(Code, Make.Token("<html><title>Internal error</title></html>", 500, ("Content-Type", "text/html")), verifierMissing: true, Worked),
            "without an RFC 6749 §5.2 error body");

        yield return new(PkceChecks.DowngradeRejected, "verifier accepted for a code without challenge", () =>
            PkceChecks.EvaluateDowngradeRejected(Code, S256Success, Worked, NoChallengeWorked), "PKCE downgrade: code exchange with a code_verifier for a code requested without code_challenge: the token endpoint answered HTTP 200 and issued an access token");
        yield return new(PkceChecks.DowngradeRejected, "refused with an unrelated error code", () =>
            PkceChecks.EvaluateDowngradeRejected(Code, Error("unsupported_grant_type"), Worked, NoChallengeWorked), "PKCE downgrade");

        yield return new(PkceChecks.VerifierFormatEnforced, "42-character verifier redeemed", () =>
            PkceChecks.EvaluateVerifierFormatEnforced(Code, S256Success, Worked), "code_verifier outside the RFC 7636 ABNF: the token endpoint answered HTTP 200 and issued an access token");

        yield return new(PkceChecks.UnsupportedMethodRejected, "plain accepted although only S256 is advertised", () =>
            PkceChecks.EvaluateUnsupportedMethodRejected("plain", S256Only, Code, S256Success, Worked), "was accepted at the authorization endpoint");
        yield return new(PkceChecks.UnsupportedMethodRejected, "plain accepted at the authorization endpoint, refused only at the token endpoint", () =>
            PkceChecks.EvaluateUnsupportedMethodRejected("plain", S256Only, Code, InvalidGrant, Worked), "a code was issued");
        yield return new(PkceChecks.UnsupportedMethodRejected, "unknown method refused with the wrong error code", () =>
            PkceChecks.EvaluateUnsupportedMethodRejected("S512", S256Only, ErrorRedirect("server_error"), null, Worked), "requires invalid_request");

        yield return new(PkceChecks.UnsupportedMethodRejected, "Casdoor: refused with a toast on its own page, the client never told (pages/05)", () =>
            PkceChecks.EvaluateUnsupportedMethodRejected("plain", CasdoorRecording.Discovery.StringArray("code_challenge_methods_supported"),
                new AuthorizationOutcome(AuthorizationEnd.ProviderError, "Failed to sign in: Challenge method should be S256") { ConsentShown = true },
                null, Worked), "the client was never told");
        yield return new(PkceChecks.VerifierFormatEnforced, "Casdoor recorded: a 42-character verifier redeemed (failures/pkce.verifier-format-enforced__VerifierTooShort)", () =>
            PkceChecks.EvaluateVerifierFormatEnforced(Code, CasdoorRecording.Token("token: authorization_code (none)", "21:57:00"), Worked),
            "outside the RFC 7636 ABNF: the token endpoint answered HTTP 200 and issued an access token");
        yield return new(PkceChecks.DowngradeRejected, "Casdoor recorded: the confidential client's challenge-less code redeemed with a verifier", () =>
            PkceChecks.EvaluateDowngradeRejected(Code, CasdoorRecording.Token("token: authorization_code (client_secret_basic)", "21:58:37"), Worked, NoChallengeWorked),
            "PKCE downgrade: code exchange with a code_verifier for a code requested without code_challenge: the token endpoint answered HTTP 200");
        yield return new(PkceChecks.PlainAcceptedWhenAdvertised, "plain advertised but refused", () =>
            PkceChecks.EvaluatePlainAcceptedWhenAdvertised(WithPlain, ErrorRedirect("invalid_request"), null), "answered with error 'invalid_request'");
        yield return new(PkceChecks.PlainAcceptedWhenAdvertised, "plain advertised, code not redeemable", () =>
            PkceChecks.EvaluatePlainAcceptedWhenAdvertised(WithPlain, Code, InvalidGrant), "code exchange failed");

        yield return new(PkceChecks.RequiredForPublicClient, "code issued without challenge", () =>
            PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, Code, S256Success, Worked), "redeemed without any verifier");
        yield return new(PkceChecks.RequiredForPublicClient, "refused with access_denied", () =>
            PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, ErrorRedirect("access_denied"), null, Worked), "requires invalid_request");

        yield return new(PkceChecks.MethodsAdvertised, "code_challenge_methods_supported omitted", () =>
            PkceChecks.EvaluateMethodsAdvertised(Make.Discovery(Make.Edit(RecordedPkceRefresh.Discovery.Body.Object!.Value.GetRawText(),
                o => o.Remove("code_challenge_methods_supported"))), true), "missing");
        yield return new(PkceChecks.MethodsAdvertised, "plain only", () =>
            PkceChecks.EvaluateMethodsAdvertised(Make.Discovery(Make.Edit(RecordedPkceRefresh.Discovery.Body.Object!.Value.GetRawText(),
                o => o["code_challenge_methods_supported"] = new System.Text.Json.Nodes.JsonArray("plain"))), true), "without S256");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(PkceChecks.S256Accepted, "recorded public S256 exchange", () => PkceChecks.EvaluateS256Accepted(Code, S256Success));
        yield return new(PkceChecks.S256Accepted, "recorded confidential S256 exchange", () =>
            PkceChecks.EvaluateS256Accepted(Code, RecordedPkceRefresh.Token("pkce: s256 code exchange (confidential)")));
        yield return new(PkceChecks.InvalidVerifierRejected, "recorded invalid_grant", () =>
            PkceChecks.EvaluateInvalidVerifierRejected(Code, InvalidGrant, verifierMissing: false, Worked));
        yield return new(PkceChecks.InvalidVerifierRejected, "missing verifier: invalid_request is acceptable", () =>
            PkceChecks.EvaluateInvalidVerifierRejected(Code, Error("invalid_request"), verifierMissing: true, Worked));
        yield return new(PkceChecks.DowngradeRejected, "recorded invalid_grant", () => PkceChecks.EvaluateDowngradeRejected(Code, InvalidGrant, Worked, NoChallengeWorked));
        yield return new(PkceChecks.DowngradeRejected, "PKCE-required client: refused at the authorization endpoint", () =>
            PkceChecks.EvaluateDowngradeRejected(ErrorRedirect("invalid_request"), null, Worked, NoChallengeWorked));
        foreach (var step in new[] { "too short", "too long", "illegal characters" })
            yield return new(PkceChecks.VerifierFormatEnforced, $"recorded: verifier {step}", () =>
                PkceChecks.EvaluateVerifierFormatEnforced(Code, RecordedPkceRefresh.Token($"pkce: verifier {step} (public)"), Worked));
        yield return new(PkceChecks.VerifierFormatEnforced, "refused at the authorization endpoint", () =>
            PkceChecks.EvaluateVerifierFormatEnforced(ErrorRedirect("invalid_request"), null, Worked));
        yield return new(PkceChecks.UnsupportedMethodRejected, "plain: invalid_request redirect", () =>
            PkceChecks.EvaluateUnsupportedMethodRejected("plain", RecordedPkceRefresh.Discovery.StringArray("code_challenge_methods_supported"), ErrorRedirect("invalid_request"), null, Worked));
        yield return new(PkceChecks.PlainAcceptedWhenAdvertised, "plain advertised and redeemed", () =>
            PkceChecks.EvaluatePlainAcceptedWhenAdvertised(WithPlain, Code, S256Success));
        yield return new(PkceChecks.RequiredForPublicClient, "invalid_request redirect", () =>
            PkceChecks.EvaluateRequiredWithoutChallengeRejected(true, ErrorRedirect("invalid_request"), null, Worked));
        yield return new(PkceChecks.MethodsAdvertised, "recorded discovery", () => PkceChecks.EvaluateMethodsAdvertised(RecordedPkceRefresh.Discovery, true));
    }
}
