using Microsoft.IdentityModel.JsonWebTokens;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>
/// OAuth 2.0 Token Exchange (RFC 8693): the exchanging client is the first client with a secret whose grantTypes list the
/// token exchange grant; its subject token is an access token it holds (the reference login's when it is the confidential
/// client, else its own client credentials token). The control is the normal exchange of that token; each negative case
/// is the control's pipeline with one step changed (<see cref="TokenExchangeAttempt.MutatedStep"/>).
/// </summary>
public static class TokenExchangeFlow
{
    private const string Purpose = "token-exchange: ";

    /// <summary>A token type identifier no server knows (RFC 8693 §3 identifiers are URIs).</summary>
    public const string UnknownTokenType = "urn:oidc-conformance:token-type:unknown";
    /// <summary>An audience no provider has registered.</summary>
    public const string UnknownAudience = "urn:oidc-conformance:audience:unknown";
    /// <summary>A subject_token the server never issued (neither a JWT nor a reference it stored).</summary>
    public const string GarbageToken = "not-a-token-oidc-conformance-0000000000000000";

    public const string Garbage = "garbage subject_token";
    public const string UnknownType = "unknown subject_token_type";
    public const string MissingToken = "subject_token left out";
    public const string OtherClient = "client not registered for the grant";
    public const string Audience = "unknown audience";

    public static ClientProfile ExchangingClient(ConformanceRun r)
    {
        if (!r.Profile.Features.TokenExchange)
            throw new PrerequisiteException("the provider does not offer OAuth 2.0 Token Exchange (profile features.tokenExchange)");
        return r.Profile.Clients.Values.FirstOrDefault(c => c.ClientSecret is not null && c.GrantTypes.Contains(TokenExchangePipeline.GrantType))
            ?? throw new PrerequisiteException($"no client with a secret lists {TokenExchangePipeline.GrantType} in its grantTypes (profile clients)");
    }

    /// <summary>An authenticated client that the profile does not register for the grant.</summary>
    public static ClientProfile NotAllowedClient(ConformanceRun r)
    {
        var exchanging = ExchangingClient(r);
        return r.Profile.Clients.Values.FirstOrDefault(c => c.ClientId != exchanging.ClientId && c.ClientSecret is not null
                   && !c.GrantTypes.Contains(TokenExchangePipeline.GrantType))
            ?? throw new PrerequisiteException("no other client with a secret that is not registered for the token exchange grant (profile clients)");
    }

    /// <summary>The subject token: an access token the exchanging client holds.</summary>
    private static async Task<string> SubjectTokenAsync(ConformanceRun r, ClientProfile client)
    {
        if (client.ClientId == r.Profile.Confidential.ClientId)
        {
            var flow = await CodeFlow.ReferenceWithLiveAccessTokenAsync(r);
            return flow.RequireSuccessfulToken().AccessToken ?? throw new PrerequisiteException("the reference login issued no access token");
        }
        if (client.GrantTypes.Contains("client_credentials") && r.Profile.Features.ClientCredentials)
        {
            var cc = await r.TokenAsync(TokenPipeline.ClientCredentials(client, string.IsNullOrWhiteSpace(client.Scope) ? null : client.Scope)
                .Build(await r.EndpointAsync("token_endpoint")), Purpose + "the subject token (client_credentials)");
            return cc.IsSuccess ? cc.AccessToken! : throw new PrerequisiteException($"the exchanging client's client_credentials request failed: {cc.Describe()}");
        }
        throw new PrerequisiteException($"no access token of '{client.ClientId}' to exchange: it is neither the confidential client nor a client credentials client");
    }

    private static async Task<(ClientProfile Client, string SubjectToken)> PreparedAsync(ConformanceRun r)
    {
        var client = ExchangingClient(r);
        var token = await r.SharedAsync(SharedArtifacts.TokenExchangeSubject, async () => new Boxed<string>(await SubjectTokenAsync(r, client)));
        return (client, token.Value);
    }

    private static async Task<TokenPipeline> NormalAsync(ConformanceRun r)
    {
        var (client, token) = await PreparedAsync(r);
        return TokenExchangePipeline.For(client, token, TokenExchangeChecks.AccessTokenType, TokenExchangeChecks.AccessTokenType);
    }

    /// <summary>The normal exchange: the control of every negative case.</summary>
    public static Task<TokenExchangeAttempt> ControlAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.TokenExchange("control"), async () =>
    {
        var pipeline = await NormalAsync(r);
        var response = await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + "the normal exchange");
        return new TokenExchangeAttempt(ExchangingClient(r).ClientId, response, null);
    });

    public static async Task<TokenExchangeControl> ControlResultAsync(ConformanceRun r)
    {
        var control = await ControlAsync(r);
        return new TokenExchangeControl(control.ClientId, control.Response);
    }

    /// <summary>The normal exchange with one step changed (<paramref name="name"/>: one of the constants above).</summary>
    public static Task<TokenExchangeAttempt> ChangedAsync(ConformanceRun r, string name) => r.SharedAsync(SharedArtifacts.TokenExchange(name), async () =>
    {
        var pipeline = await NormalAsync(r);
        var client = ExchangingClient(r);
        switch (name)
        {
            case Garbage: pipeline.Replace<SubjectTokenStep>(new SubjectTokenStep(GarbageToken), "a string the server never issued"); break;
            case UnknownType: pipeline.Replace<SubjectTokenTypeStep>(new SubjectTokenTypeStep(UnknownTokenType), $"'{UnknownTokenType}', a type no server knows"); break;
            case MissingToken: pipeline.Without<SubjectTokenStep>("left out"); break;
            case OtherClient:
                client = NotAllowedClient(r);
                pipeline.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(client, ClientAuthenticationNames.Preferred(client)),
                    $"'{client.ClientId}', a registered client the profile does not register for the grant");
                break;
            case Audience: pipeline.AddAfter<RequestedTokenTypeStep>(new TokenExchangeAudienceStep(UnknownAudience), $"'{UnknownAudience}', an audience the provider does not know"); break;
            default: throw new ArgumentOutOfRangeException(nameof(name), name, "unknown token exchange change");
        }
        var response = await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")), Purpose + name);
        return new TokenExchangeAttempt(client.ClientId, response, pipeline.MutatedStep);
    });

    /// <summary>The aud of an issued access token that is a JWT, else null (an opaque or encrypted token).</summary>
    public static IReadOnlyList<string>? JwtAudiences(string? accessToken)
    {
        if (accessToken is null || accessToken.Count(c => c == '.') != 2) return null;
        try { return new JsonWebToken(accessToken).Audiences.ToList(); }
        catch (ArgumentException) { return null; }
    }
}

/// <summary>One token exchange request: who sent it, the answer, and the step it changed in the normal request (or null).</summary>
public sealed record TokenExchangeAttempt(string ClientId, TokenResponse Response, string? MutatedStep);
