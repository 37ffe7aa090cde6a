using OidcConformance.Browser;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>An authorization code flow as it happened: request, browser outcome, token exchange.</summary>
public sealed record CodeFlowResult(ClientProfile Client, TestUser User, AuthorizationRequest Request, AuthorizationOutcome Outcome,
    TokenRequest? TokenRequest, TokenResponse? Token, UserAgent UserAgent)
{
    public AuthorizationResponse? Response => Outcome.Response;
    public DecodedJwt IdToken => DecodedJwt.Decode(Token?.IdToken);
    public string GrantedScope => Token?.Scope ?? Request.Get("scope") ?? "";

    /// <summary>The token response, or a prerequisite failure explaining why there is none.</summary>
    public TokenResponse RequireToken() => Token ?? throw new PrerequisiteException($"no token response: the authorization {Outcome.Describe()}");

    public TokenResponse RequireSuccessfulToken()
    {
        var token = RequireToken();
        return token.IsSuccess ? token : throw new PrerequisiteException($"the code exchange failed: {token.Describe()}");
    }
}

public static class CodeFlow
{
    /// <summary>
    /// Logs <paramref name="user"/> in through the browser with <paramref name="client"/>, then redeems the code.
    /// <paramref name="customize"/> changes the authorization request (the pipeline step negative tests mutate).
    /// </summary>
    public static async Task<CodeFlowResult> RunAsync(ConformanceRun run, ClientProfile client, TestUser user,
        ClientAuthentication? authentication = null, UserAgent? userAgent = null, Action<AuthorizationRequest>? customize = null,
        bool pkce = false, bool allowLogin = true, string responseType = "code")
    {
        var endpoint = await run.EndpointAsync("authorization_endpoint");
        var request = AuthorizationRequest.Create(endpoint, client, run.RedirectUri(client), responseType);
        if (pkce || client.PkceRequired) request.WithPkce();
        customize?.Invoke(request);
        userAgent ??= await run.NewUserAgentAsync();
        AuthorizationOutcome outcome;
        await userAgent.Lock.WaitAsync();
        try
        {
            outcome = await run.Authorizer.AuthorizeAsync(userAgent, request, allowLogin ? (user.Username, user.Password) : null);
        }
        finally { userAgent.Lock.Release(); }

        TokenRequest? tokenRequest = null;
        TokenResponse? token = null;
        if (outcome.Response?.Code is { } code)
        {
            var tokenEndpoint = await run.EndpointAsync("token_endpoint");
            tokenRequest = TokenRequest.AuthorizationCode(tokenEndpoint, client, code, request.RedirectUri!, request.CodeVerifier, authentication);
            token = await run.TokenAsync(tokenRequest, $"token: authorization_code ({tokenRequest.Authentication.Name()})");
        }
        return new CodeFlowResult(client, user, request, outcome, tokenRequest, token, userAgent);
    }

    /// <summary>The run's reference login: confidential client, primary user, client_secret_basic where registered.</summary>
    public static Task<CodeFlowResult> ReferenceAsync(ConformanceRun run) =>
        run.SharedAsync("code-flow/reference", () => RunAsync(run, run.Profile.Confidential, run.Profile.PrimaryUser));
}
