using OidcConformance.Profiles;

namespace OidcConformance.Protocol;

/// <summary>
/// The steps of an introspection request (RFC 7662 §2.1) or a revocation request (RFC 7009 §2.1): client
/// authentication (the token request's step: header or body, <see cref="TokenRequest.Build"/>), then <c>token</c> and
/// <c>token_type_hint</c> in the order they go on the wire. Negative cases change one step through the methods below,
/// each named in <see cref="RequestPipeline{TRequest,TSelf}.Mutations"/> ("revocation request / client authentication: no credentials").
/// </summary>
public sealed class TokenManagementPipeline : RequestPipeline<TokenRequest, TokenManagementPipeline>
{
    public const string IntrospectionRequest = "introspection request";
    public const string RevocationRequest = "revocation request";

    public const string NoCredentialsChange = "no credentials";
    public const string ClientIdOnlyChange = "client_id without secret";
    public const string OtherClientChange = "another client than the one the token was issued to";
    public const string GarbageTokenChange = "a token the provider never issued";

    private TokenManagementPipeline(string requestName) => RequestName = requestName;

    public override string RequestName { get; }

    /// <summary>The normal introspection request: <paramref name="token"/> (and its hint, none when null) introspected by <paramref name="client"/>.</summary>
    public static TokenManagementPipeline Introspection(ClientProfile client, string token, string? hint, ClientAuthentication? method = null,
        ClientAssertionOptions? assertion = null) =>
        Standard(IntrospectionRequest, client, token, hint, method, assertion);

    /// <summary>The normal revocation request: <paramref name="client"/> revokes its <paramref name="token"/> (hint none when null).</summary>
    public static TokenManagementPipeline Revocation(ClientProfile client, string token, string? hint, ClientAuthentication? method = null,
        ClientAssertionOptions? assertion = null) =>
        Standard(RevocationRequest, client, token, hint, method, assertion);

    private static TokenManagementPipeline Standard(string name, ClientProfile client, string token, string? hint, ClientAuthentication? method,
        ClientAssertionOptions? assertion) =>
        new TokenManagementPipeline(name)
            .Add(new ClientAuthenticationStep(client, method ?? ClientAuthenticationNames.Preferred(client), assertion: assertion))
            .Add(new TokenParameterStep(token))
            .Add(new TokenTypeHintStep(hint));

    // ---- the negative cases' changes ------------------------------------------------------------------------

    /// <summary>No client authentication at all: no Authorization header, no client_id, no secret.</summary>
    public TokenManagementPipeline WithoutCredentials() =>
        Replace<ClientAuthenticationStep>(new NoClientAuthenticationStep(), NoCredentialsChange);

    /// <summary>The client identifies itself (client_id in the body) but sends no secret.</summary>
    public TokenManagementPipeline ClientIdOnly(ClientProfile client) =>
        Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, ClientAuthentication.None, sendSecret: false), ClientIdOnlyChange);

    /// <summary>The client authenticates with <paramref name="method"/> but presents <paramref name="wrongSecret"/>.</summary>
    public TokenManagementPipeline WrongSecret(ClientProfile client, ClientAuthentication method, string wrongSecret) =>
        Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, method, wrongSecret), $"a wrong secret ({method.Name()})");

    /// <summary><paramref name="other"/> (with its preferred method) sends the request for a token issued to someone else.</summary>
    public TokenManagementPipeline AsOtherClient(ClientProfile other) =>
        Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(other, ClientAuthenticationNames.Preferred(other)), OtherClientChange);

    public TokenManagementPipeline GarbageToken(string garbage) =>
        Replace<TokenParameterStep>(new TokenParameterStep(garbage), GarbageTokenChange);

    /// <summary>token_type_hint <paramref name="wrongHint"/>, the other type than the token's.</summary>
    public TokenManagementPipeline WrongHint(string wrongHint) =>
        Replace<TokenTypeHintStep>(new TokenTypeHintStep(wrongHint), $"{wrongHint}, not the token's type");

    // ---- what the request shows -----------------------------------------------------------------------------

    /// <summary>Who sends the request, as the exchange purpose names it: "client-1", "client-1, wrong secret", "client-1, no secret", "no credentials".</summary>
    public string Caller => Steps.OfType<ClientAuthenticationStep>().SingleOrDefault()?.Caller ?? "no credentials";

    /// <summary>The token_type_hint sent, or null.</summary>
    public string? Hint => Steps.OfType<TokenTypeHintStep>().SingleOrDefault()?.Hint;

    public TokenRequest Build(string endpoint) => Run(new TokenRequest { Endpoint = endpoint });
}

/// <summary>The token introspected or revoked (RFC 7662 §2.1, RFC 7009 §2.1 "token").</summary>
public sealed class TokenParameterStep(string token) : RequestStep<TokenRequest>
{
    public override string Part => "token";
    public override void Apply(TokenRequest request) => request.Set("token", token);
}

/// <summary>token_type_hint (RFC 7662 §2.1, RFC 7009 §2.1, OPTIONAL); nothing when <paramref name="hint"/> is null.</summary>
public sealed class TokenTypeHintStep(string? hint) : RequestStep<TokenRequest>
{
    public override string Part => "token_type_hint";

    public string? Hint => hint;

    public override void Apply(TokenRequest request)
    {
        if (hint is not null) request.Set("token_type_hint", hint);
    }
}

/// <summary>
/// No client authentication in the slot of <see cref="ClientAuthenticationStep"/>: no header, no client_id (the
/// request's default would be HTTP Basic, so leaving the step out is not the same request).
/// </summary>
public sealed class NoClientAuthenticationStep : RequestStep<TokenRequest>
{
    public override string Part => "client authentication";

    public override void Apply(TokenRequest request)
    {
        request.Authentication = ClientAuthentication.None;
        request.ClientId = null;
        request.ClientSecret = null;
    }
}
