using OidcConformance.Profiles;

namespace OidcConformance.Protocol;

/// <summary>
/// The steps of an authorization request (OpenID Connect Core 1.0 §3.1.2.1, RFC 7636 §4.3), in the order their
/// parameters go on the wire: response_type, client_id, redirect_uri, scope, state, nonce, then the PKCE challenge.
/// </summary>
public sealed class AuthorizationPipeline : RequestPipeline<AuthorizationRequest, AuthorizationPipeline>
{
    public override string RequestName => "authorization request";

    /// <summary>The standard request: response_type, client_id, redirect_uri, scope, a fresh state and nonce (no PKCE).</summary>
    public static AuthorizationPipeline Standard(ClientProfile client, string redirectUri, string responseType = "code", string? scope = null) =>
        new AuthorizationPipeline()
            .Add(new ResponseTypeStep(responseType)).Add(new ClientIdStep(client.ClientId)).Add(new RedirectUriStep(redirectUri))
            .Add(new ScopeStep(scope ?? client.Scope)).Add(new StateStep()).Add(new NonceStep());

    /// <summary>Adds the PKCE challenge step (a fresh verifier; S256 unless <paramref name="method"/> says otherwise).</summary>
    public AuthorizationPipeline WithPkce(string method = "S256") => Add(new PkceChallengeStep(method));

    public AuthorizationRequest Build(string endpoint) => Run(new AuthorizationRequest { Endpoint = endpoint });
}

public sealed class ResponseTypeStep(string responseType) : RequestStep<AuthorizationRequest>
{
    public override string Part => "response_type";
    public override void Apply(AuthorizationRequest request) => request.Set("response_type", responseType);
}

public sealed class ClientIdStep(string clientId) : RequestStep<AuthorizationRequest>
{
    public override string Part => "client_id";
    public override void Apply(AuthorizationRequest request) => request.Set("client_id", clientId);
}

public sealed class RedirectUriStep(string redirectUri) : RequestStep<AuthorizationRequest>
{
    public override string Part => "redirect_uri";
    public override void Apply(AuthorizationRequest request) => request.Set("redirect_uri", redirectUri);
}

public sealed class ScopeStep(string? scope) : RequestStep<AuthorizationRequest>
{
    public override string Part => "scope";
    public override void Apply(AuthorizationRequest request) => request.Set("scope", scope);
}

/// <summary>response_mode (OAuth 2.0 Multiple Response Type Encoding Practices §2.1, Form Post Response Mode §2).</summary>
public sealed class ResponseModeStep(string responseMode) : RequestStep<AuthorizationRequest>
{
    public override string Part => "response_mode";
    public override void Apply(AuthorizationRequest request) => request.Set("response_mode", responseMode);
}

/// <summary>A fresh state per request (OAuth 2.0 CSRF protection, RFC 6749 §10.12), unless a value is given.</summary>
public sealed class StateStep(string? value = null) : RequestStep<AuthorizationRequest>
{
    public override string Part => "state";
    public override void Apply(AuthorizationRequest request) => request.Set("state", value ?? Random.Token(16));
}

/// <summary>A fresh nonce per request (OpenID Connect Core 1.0 §3.1.2.1), unless a value is given.</summary>
public sealed class NonceStep(string? value = null) : RequestStep<AuthorizationRequest>
{
    public override string Part => "nonce";
    public override void Apply(AuthorizationRequest request) => request.Set("nonce", value ?? Random.Token(16));
}

/// <summary>
/// code_challenge and code_challenge_method (RFC 7636 §4.2–4.3) for <paramref name="verifier"/> (a fresh 64-character one
/// when null); the verifier is kept on the request (<see cref="AuthorizationRequest.CodeVerifier"/>) for the token
/// request's <see cref="PkceVerifierStep"/>. The challenge is the verifier itself for "plain", else its S256 hash
/// (a method name no specification defines is sent with the S256 hash, so that only the method name is wrong).
/// </summary>
public sealed class PkceChallengeStep(string method = "S256", string? verifier = null) : RequestStep<AuthorizationRequest>
{
    public override string Part => "PKCE challenge";

    public override void Apply(AuthorizationRequest request)
    {
        request.CodeVerifier = verifier ?? Pkce.NewVerifier();
        request.Set("code_challenge", method == "plain" ? request.CodeVerifier : Pkce.S256(request.CodeVerifier)).Set("code_challenge_method", method);
    }
}

/// <summary>Repeats <paramref name="parameter"/> with the value it already has (duplicate-parameter tests, OAuth 2.0 RFC 6749 §3.1).</summary>
public sealed class RepeatedParameterStep(string parameter) : RequestStep<AuthorizationRequest>
{
    public override string Part => parameter + " repeated";
    public override void Apply(AuthorizationRequest request) => request.Append(parameter, request.Get(parameter)!);
}

/// <summary>prompt (OpenID Connect Core 1.0 §3.1.2.1): none, login, … — added by positive attempts after the normal steps.</summary>
public sealed class PromptStep(string prompt) : RequestStep<AuthorizationRequest>
{
    public override string Part => "prompt";
    public override void Apply(AuthorizationRequest request) => request.Set("prompt", prompt);
}

/// <summary>max_age in seconds (OpenID Connect Core 1.0 §3.1.2.1) — added by positive attempts after the normal steps.</summary>
public sealed class MaxAgeStep(int seconds) : RequestStep<AuthorizationRequest>
{
    public override string Part => "max_age";
    public override void Apply(AuthorizationRequest request) => request.Set("max_age", seconds.ToString(System.Globalization.CultureInfo.InvariantCulture));
}
