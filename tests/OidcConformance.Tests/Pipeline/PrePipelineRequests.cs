using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Tests.Pipeline;

/// <summary>
/// How requests were built before the request pipeline (this repository's Requests.cs, PkceFlows.Mutate and
/// TokenEndpointFlows up to commit 2125e6a), kept verbatim except that the random values are parameters: the pipeline
/// tests build the same request both ways and compare the bytes on the wire.
/// </summary>
internal static partial class PrePipelineRequests
{
    public static AuthorizationRequest Create(string endpoint, ClientProfile client, string redirectUri, string state, string nonce,
        string responseType = "code", string? scope = null)
    {
        var request = new AuthorizationRequest { Endpoint = endpoint };
        request.Set("response_type", responseType).Set("client_id", client.ClientId).Set("redirect_uri", redirectUri)
            .Set("scope", scope ?? client.Scope).Set("state", state).Set("nonce", nonce);
        return request;
    }

    public static AuthorizationRequest WithPkceOf(this AuthorizationRequest request, string verifier, string method = "S256")
    {
        request.CodeVerifier = verifier;
        return request.Set("code_challenge", method == "plain" ? verifier : Pkce.S256(verifier)).Set("code_challenge_method", method);
    }

    public static TokenRequest For(string endpoint, ClientProfile client, ClientAuthentication? method = null) =>
        new TokenRequest { Endpoint = endpoint }.AuthenticateAs(client, method ?? ClientAuthenticationNames.Preferred(client));

    public static TokenRequest AuthorizationCode(string endpoint, ClientProfile client, string code, string redirectUri,
        string? codeVerifier, ClientAuthentication? method = null)
    {
        var request = For(endpoint, client, method).Set("grant_type", "authorization_code").Set("code", code).Set("redirect_uri", redirectUri);
        if (codeVerifier is not null) request.Set("code_verifier", codeVerifier);
        return request;
    }

    public static TokenRequest Refresh(string endpoint, ClientProfile client, string refreshToken, string? scope = null,
        ClientAuthentication? method = null)
    {
        var request = For(endpoint, client, method).Set("grant_type", "refresh_token").Set("refresh_token", refreshToken);
        if (scope is not null) request.Set("scope", scope);
        return request;
    }

    public static TokenRequest ClientCredentials(string endpoint, ClientProfile client, string? scope = null) =>
        For(endpoint, client).Set("grant_type", "client_credentials").Set("scope", scope ?? client.Scope);

    public static TokenRequest Password(string endpoint, ClientProfile client, TestUser user, string? scope = null) =>
        For(endpoint, client).Set("grant_type", "password").Set("username", user.Username).Set("password", user.Password)
            .Set("scope", scope ?? client.Scope);

    /// <summary>
    /// TokenManagementCalls.PostAsync before the pipeline (up to commit c0b61e3): the introspection / revocation request
    /// (<paramref name="client"/> null: no credentials) and its exchange purpose.
    /// </summary>
    public static (TokenRequest Request, string Purpose) TokenManagementPost(string endpoint, string purpose, string token, string? hint,
        ClientProfile? client, ClientAuthentication? method = null, string? secretOverride = null, bool clientIdOnly = false)
    {
        var request = new TokenRequest { Endpoint = endpoint };
        if (client is not null)
        {
            if (clientIdOnly) request.AuthenticateAs(client, ClientAuthentication.None);
            else request.AuthenticateAs(client, method ?? ClientAuthenticationNames.Preferred(client), secretOverride);
        }
        else request.Authentication = ClientAuthentication.None;
        request.Set("token", token);
        if (hint is not null) request.Set("token_type_hint", hint);
        var who = client is null ? "no credentials" : clientIdOnly ? $"{client.ClientId}, no secret" : $"{client.ClientId}{(secretOverride is null ? "" : ", wrong secret")}";
        return (request, $"{purpose} ({who}, hint {hint ?? "none"})");
    }

    /// <summary>TokenEndpointFlows.GetRequestAsync before the pipeline (up to commit c0b61e3): the GET it sent through ProtocolHttpClient.GetAsync.</summary>
    public static HttpRequestMessage GetRequest(string endpoint, ClientProfile client)
    {
        var query = new List<KeyValuePair<string, string>> { new("grant_type", "client_credentials") };
        if (!string.IsNullOrWhiteSpace(client.Scope)) query.Add(new("scope", client.Scope));
        var url = endpoint + (endpoint.Contains('?') ? "&" : "?") + Http.FormCodec.Encode(query);
        var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Authorization = new Duende.IdentityModel.Client.BasicAuthenticationOAuthHeaderValue(client.ClientId, client.ClientSecret ?? "");
        return request;
    }

    /// <summary>TokenEndpointFlows.NewTarget's client credentials request (scope only when the client has one).</summary>
    public static TokenRequest ClientCredentialsTarget(string endpoint, ClientProfile cc)
    {
        var request = For(endpoint, cc).Set("grant_type", "client_credentials");
        if (!string.IsNullOrWhiteSpace(cc.Scope)) request.Set("scope", cc.Scope);
        return request;
    }
}
