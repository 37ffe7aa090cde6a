namespace OidcConformance.Protocol;

/// <summary>The steps of a token exchange request (RFC 8693 §2.1) after the grant_type of <see cref="TokenPipeline"/>.</summary>
public static class TokenExchangePipeline
{
    public const string GrantType = "urn:ietf:params:oauth:grant-type:token-exchange";

    /// <summary>client authentication, grant_type, subject_token, subject_token_type, requested_token_type (when given).</summary>
    public static TokenPipeline For(Profiles.ClientProfile client, string subjectToken, string subjectTokenType, string? requestedTokenType) =>
        TokenPipeline.For(client).Add(new GrantTypeStep(GrantType)).Add(new SubjectTokenStep(subjectToken))
            .Add(new SubjectTokenTypeStep(subjectTokenType)).Add(new RequestedTokenTypeStep(requestedTokenType));
}

/// <summary>subject_token: the token that represents the party on whose behalf the request is made.</summary>
public sealed class SubjectTokenStep(string subjectToken) : RequestStep<TokenRequest>
{
    public override string Part => "subject_token";
    public override void Apply(TokenRequest request) => request.Set("subject_token", subjectToken);
}

/// <summary>subject_token_type: a token type identifier (RFC 8693 §3).</summary>
public sealed class SubjectTokenTypeStep(string type) : RequestStep<TokenRequest>
{
    public override string Part => "subject_token_type";
    public override void Apply(TokenRequest request) => request.Set("subject_token_type", type);
}

/// <summary>requested_token_type; nothing when null.</summary>
public sealed class RequestedTokenTypeStep(string? type) : RequestStep<TokenRequest>
{
    public override string Part => "requested_token_type";
    public override void Apply(TokenRequest request)
    {
        if (type is not null) request.Set("requested_token_type", type);
    }
}

/// <summary>audience: the logical name of the target service (RFC 8693 §2.1).</summary>
public sealed class TokenExchangeAudienceStep(string audience) : RequestStep<TokenRequest>
{
    public override string Part => "audience";
    public override void Apply(TokenRequest request) => request.Set("audience", audience);
}
