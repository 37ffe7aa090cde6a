using System.Text.Json;
using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// The artifacts of the run's core flow, step by step; a step that did not happen is null (with the reason why it could
/// not, in <see cref="NotReached"/>).
/// </summary>
public sealed record CoreFlowEvidence(DiscoveryDocument Discovery, JwksDocument? Jwks, AuthorizationOutcome? Login, TokenResponse? Token)
{
    /// <summary>Why the next step could not be taken (e.g. discovery advertises no jwks_uri), when a step is null.</summary>
    public string? NotReached { get; init; }
    /// <summary>The profile does not offer the authorization code flow: the core flow is discovery and JWKS only.</summary>
    public bool CodeFlowOffered { get; init; } = true;
}

/// <summary>
/// One check that fails loudly when the core flow breaks. Without it a broken login or code exchange turns hundreds of
/// checks Inconclusive ("prerequisite") and a run without a baseline looks mostly fine (issue #11 class 9); the reports
/// lead with this check when it fails.
/// </summary>
public static class CoreFlowChecks
{
    public static readonly CheckDefinition ReferenceFlow = new("core.reference-flow",
        "The core flow works end to end: discovery, the JWK Set, the reference login and its code exchange", "Core flow",
        [
            new(SpecDocument.OpenIdConnectDiscovery, "4"),
            new(SpecDocument.OpenIdConnectCore, "3.1", "authorization code flow: §3.1.2 authorization, §3.1.3 token endpoint"),
            new(SpecDocument.OpenIdConnectCore, "10.1", "JWK Set"),
        ],
        RequirementLevel.Must) { OidfModules = ["oidcc-server"] };

    public static CheckResult Evaluate(CoreFlowEvidence e)
    {
        var d = e.Discovery;
        if (d.Exchange.TransportError is not null) return Broken("discovery", $"no response from {d.Url}: {d.Exchange.TransportError}");
        if (d.Exchange.StatusCode != 200 || !d.Body.IsObject)
            return Broken("discovery", $"{d.Exchange.Summary}{(d.Body.IsObject ? "" : $": {d.Body.Problem}")}");
        if (e.Jwks is not { } jwks) return Broken("JWK Set", e.NotReached ?? "the JWK Set was not fetched");
        if (jwks.Exchange.TransportError is not null) return Broken("JWK Set", $"no response from {jwks.Url}: {jwks.Exchange.TransportError}");
        if (jwks.Exchange.StatusCode != 200 || jwks.Body.Get("keys") is not { ValueKind: JsonValueKind.Array } keys)
            return Broken("JWK Set", $"{jwks.Exchange.Summary}: {jwks.Body.Problem ?? "no 'keys' array"}");
        var keyCount = keys.GetArrayLength();
        if (keyCount == 0) return Broken("JWK Set", $"{jwks.Url} publishes no key, so no ID token can be verified");
        var discovered = $"discovery and the JWK Set ({keyCount} key{(keyCount == 1 ? "" : "s")})";
        if (!e.CodeFlowOffered) return ReferenceFlow.Pass($"{discovered}; the profile offers no authorization code flow, so no login was made");

        if (e.Login is not { } login) return Broken("login", e.NotReached ?? "the reference login did not run");
        // The same judgement as authz.code-returned, named by the step that broke.
        if (AuthorizationResponseChecks.EvaluateCodeReturned(login) is { Verdict: not Verdict.Passed } noCode)
            return Broken(login.End == AuthorizationEnd.Redirected ? "authorization" : "login", noCode.Reason);
        if (e.Token is not { } token) return Broken("code exchange", e.NotReached ?? "the code was not exchanged");
        if (!token.IsSuccess) return Broken("code exchange", token.Describe());
        if (token.IdToken is null) return Broken("code exchange", "the token response has no id_token although scope openid was requested");
        return ReferenceFlow.Pass($"{discovered}, the login ({(login.CredentialsSubmitted ? "login form submitted" : "no login form: an existing session")}), " +
                                  $"a code, and its exchange for an access token and an ID token");
    }

    private static CheckResult Broken(string step, string detail) =>
        ReferenceFlow.Violation($"core flow broken at {step}: {detail}. Checks that need this step are Inconclusive (prerequisite); fix it first");
}
