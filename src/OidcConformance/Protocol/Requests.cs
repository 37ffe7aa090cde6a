using System.Net.Http.Headers;
using System.Security.Cryptography;
using System.Text;
using Duende.IdentityModel.Client;
using OidcConformance.Http;
using OidcConformance.Profiles;

namespace OidcConformance.Protocol;

/// <summary>How a client authenticates at the token, introspection and revocation endpoints (RFC 6749 §2.3.1).</summary>
/// <summary>How a client authenticates at the token, introspection and revocation endpoints (RFC 6749 §2.3, OIDC Core 1.0 §9).</summary>
public enum ClientAuthentication { ClientSecretBasic, ClientSecretPost, None, PrivateKeyJwt, ClientSecretJwt }

public static class ClientAuthenticationNames
{
    public static string Name(this ClientAuthentication a) => a switch
    {
        ClientAuthentication.ClientSecretBasic => "client_secret_basic",
        ClientAuthentication.ClientSecretPost => "client_secret_post",
        ClientAuthentication.PrivateKeyJwt => "private_key_jwt",
        ClientAuthentication.ClientSecretJwt => "client_secret_jwt",
        _ => "none",
    };

    public static ClientAuthentication Parse(string name) => name switch
    {
        "client_secret_basic" => ClientAuthentication.ClientSecretBasic,
        "client_secret_post" => ClientAuthentication.ClientSecretPost,
        "none" => ClientAuthentication.None,
        "private_key_jwt" => ClientAuthentication.PrivateKeyJwt,
        "client_secret_jwt" => ClientAuthentication.ClientSecretJwt,
        _ => throw new ArgumentException($"unknown client authentication method '{name}'"),
    };

    /// <summary>
    /// The method a client prefers: basic where registered (the RFC 6749 MUST), else post, else a JWT method (a client
    /// registered only for private_key_jwt or client_secret_jwt), else none.
    /// </summary>
    public static ClientAuthentication Preferred(ClientProfile client) =>
        client.Supports("client_secret_basic") ? ClientAuthentication.ClientSecretBasic
        : client.Supports("client_secret_post") ? ClientAuthentication.ClientSecretPost
        : client.Supports("private_key_jwt") ? ClientAuthentication.PrivateKeyJwt
        : client.Supports("client_secret_jwt") ? ClientAuthentication.ClientSecretJwt
        : ClientAuthentication.None;
}

/// <summary>
/// An ordered, mutable parameter list that the steps of a request pipeline fill (<see cref="AuthorizationPipeline"/>,
/// <see cref="TokenPipeline"/>); negative cases change a named step of the pipeline instead of copying HTTP code.
/// </summary>
public abstract class ParameterRequest<TSelf> where TSelf : ParameterRequest<TSelf>
{
    public List<KeyValuePair<string, string>> Parameters { get; } = [];

    public string? Get(string name) => Parameters.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();

    public TSelf Set(string name, string? value)
    {
        Parameters.RemoveAll(p => p.Key == name);
        if (value is not null) Parameters.Add(new(name, value));
        return (TSelf)this;
    }

    public TSelf Remove(string name) => Set(name, null);

    /// <summary>Adds a parameter even if it is present already (duplicate-parameter tests).</summary>
    public TSelf Append(string name, string value)
    {
        Parameters.Add(new(name, value));
        return (TSelf)this;
    }
}

public sealed class AuthorizationRequest : ParameterRequest<AuthorizationRequest>
{
    public required string Endpoint { get; init; }

    public string? State => Get("state");
    public string? Nonce => Get("nonce");
    public string? RedirectUri => Get("redirect_uri");
    public string? ResponseType => Get("response_type");

    /// <summary>The verifier matching the code_challenge sent, kept for the token request.</summary>
    public string? CodeVerifier { get; set; }

    public Uri ToUri()
    {
        var query = FormCodec.Encode(Parameters);
        var separator = Endpoint.Contains('?') ? "&" : "?";
        return new Uri(Endpoint + (query.Length == 0 ? "" : separator + query));
    }

    /// <summary>A standard request: response_type, client_id, redirect_uri, scope, a fresh state and nonce.</summary>
    public static AuthorizationRequest Create(string endpoint, ClientProfile client, string redirectUri, string responseType = "code",
        string? scope = null) =>
        AuthorizationPipeline.Standard(client, redirectUri, responseType, scope).Build(endpoint);

    /// <summary>Adds a fresh PKCE challenge to a built request (<see cref="PkceChallengeStep"/>).</summary>
    public AuthorizationRequest WithPkce(string method = "S256")
    {
        new PkceChallengeStep(method).Apply(this);
        return this;
    }
}

public sealed class TokenRequest : ParameterRequest<TokenRequest>
{
    public required string Endpoint { get; init; }
    public ClientAuthentication Authentication { get; set; }
    public string? ClientId { get; set; }
    public string? ClientSecret { get; set; }
    /// <summary>The key a JWT method signs its client assertion with (private_key_jwt: the client's key; client_secret_jwt: the secret).</summary>
    public Tokens.ClientSigningKey? AssertionKey { get; set; }
    /// <summary>How the client assertion is made (the normal one, or one changed member).</summary>
    public ClientAssertionOptions Assertion { get; set; } = ClientAssertionOptions.Normal;

    /// <summary>POST with a form body (RFC 6749 §3.2); GET puts the parameters into the URL instead (the POST-only negative case).</summary>
    public HttpMethod Method { get; set; } = HttpMethod.Post;

    /// <summary>Authenticates as <paramref name="client"/> with <paramref name="method"/>, replacing any earlier client authentication.</summary>
    public TokenRequest AuthenticateAs(ClientProfile client, ClientAuthentication method, string? secretOverride = null)
    {
        Authentication = method;
        ClientId = client.ClientId;
        ClientSecret = secretOverride ?? client.ClientSecret;
        AssertionKey = method switch
        {
            ClientAuthentication.PrivateKeyJwt => client.AssertionKey,
            ClientAuthentication.ClientSecretJwt when ClientSecret is not null => Tokens.ClientSigningKey.FromSecret(ClientSecret),
            _ => null,
        };
        return this;
    }

    public HttpRequestMessage Build()
    {
        var form = new List<KeyValuePair<string, string>>(Parameters);
        AuthenticationHeaderValue? header = null;
        switch (Authentication)
        {
            case ClientAuthentication.ClientSecretBasic:
                // RFC 6749 §2.3.1: id and secret are form-urlencoded before Base64; Duende's helper does exactly that.
                header = new BasicAuthenticationOAuthHeaderValue(ClientId ?? "", ClientSecret ?? "");
                break;
            case ClientAuthentication.ClientSecretPost:
                form.RemoveAll(p => p.Key is "client_id" or "client_secret");
                form.Add(new("client_id", ClientId ?? ""));
                form.Add(new("client_secret", ClientSecret ?? ""));
                break;
            case ClientAuthentication.PrivateKeyJwt or ClientAuthentication.ClientSecretJwt:
                // RFC 7523 §2.2; client_id is optional there and must then name the assertion's client (RFC 7521 §4.2).
                form.RemoveAll(p => p.Key is "client_id" or "client_secret" or "client_assertion" or "client_assertion_type");
                form.Add(new("client_id", ClientId ?? ""));
                form.Add(new("client_assertion_type", ClientAssertionOptions.AssertionType));
                form.Add(new("client_assertion", Assertion.Create(ClientId ?? "", AssertionKey
                    ?? throw new InvalidOperationException($"client {ClientId}: no key for {Authentication.Name()} (profile privateKeyFile / clientSecret)"), Endpoint)));
                break;
            case ClientAuthentication.None when ClientId is not null && form.All(p => p.Key != "client_id"):
                form.Add(new("client_id", ClientId));
                break;
        }
        var request = Method == HttpMethod.Get
            ? new HttpRequestMessage(HttpMethod.Get, Endpoint + (Endpoint.Contains('?') ? "&" : "?") + FormCodec.Encode(form))
            : new HttpRequestMessage(Method, Endpoint) { Content = new FormUrlEncodedContent(form) };
        request.Headers.Authorization = header;
        return request;
    }

    // The factories build through the token pipeline (TokenPipeline); negative cases take the pipeline itself and change one step.
    public static TokenRequest For(string endpoint, ClientProfile client, ClientAuthentication? method = null) =>
        TokenPipeline.For(client, method).Build(endpoint);

    public static TokenRequest AuthorizationCode(string endpoint, ClientProfile client, string code, string redirectUri,
        string? codeVerifier, ClientAuthentication? method = null) =>
        TokenPipeline.AuthorizationCode(client, code, redirectUri, codeVerifier, method).Build(endpoint);

    public static TokenRequest Refresh(string endpoint, ClientProfile client, string refreshToken, string? scope = null,
        ClientAuthentication? method = null) =>
        TokenPipeline.Refresh(client, refreshToken, scope, method).Build(endpoint);

    public static TokenRequest ClientCredentials(string endpoint, ClientProfile client, string? scope = null) =>
        TokenPipeline.ClientCredentials(client, scope ?? client.Scope).Build(endpoint);

    public static TokenRequest Password(string endpoint, ClientProfile client, TestUser user, string? scope = null) =>
        TokenPipeline.Password(client, user, scope ?? client.Scope).Build(endpoint);
}

/// <summary>RFC 7636 verifier and challenge.</summary>
public static class Pkce
{
    /// <summary>A 64-character verifier from the unreserved alphabet (§4.1 allows 43–128).</summary>
    public static string NewVerifier(int length = 64) => Random.Token(48)[..Math.Min(length, 64)].PadRight(length, 'A');

    public static string S256(string verifier) =>
        Tokens.DecodedJwt.Base64UrlEncode(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));
}

public static class Random
{
    /// <summary>Base64url of <paramref name="bytes"/> random bytes (state, nonce, verifiers).</summary>
    public static string Token(int bytes) => Tokens.DecodedJwt.Base64UrlEncode(RandomNumberGenerator.GetBytes(bytes));
}
