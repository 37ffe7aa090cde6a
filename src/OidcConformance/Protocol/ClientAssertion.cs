using System.Text.Json.Nodes;
using OidcConformance.Tokens;

namespace OidcConformance.Protocol;

/// <summary>
/// How a client assertion (RFC 7523 §2.2 and §3, OIDC Core 1.0 §9 private_key_jwt / client_secret_jwt) is made: the normal
/// one (iss = sub = client_id, aud = the audience the flow names, a fresh jti, exp a minute ahead), or one with a single
/// member changed, which the negative cases name as their pipeline change.
/// </summary>
public sealed record ClientAssertionOptions
{
    /// <summary>RFC 7523 §2.2 client_assertion_type.</summary>
    public const string AssertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

    /// <summary>
    /// aud. Null: the request's endpoint. The client authentication flows set the token endpoint, which OIDC Core §9 says
    /// the audience SHOULD be, at every endpoint.
    /// </summary>
    public string? Audience { get; init; }
    public string? Issuer { get; init; }
    public string? Subject { get; init; }
    /// <summary>exp relative to now; negative: the assertion has expired.</summary>
    public int ExpiresInSeconds { get; init; } = 60;
    /// <summary>iat (and nbf) relative to now.</summary>
    public int IssuedAtOffsetSeconds { get; init; }
    /// <summary>nbf relative to now, when set (the not-yet-valid case of the JWT bearer grant).</summary>
    public int? NotBeforeOffsetSeconds { get; init; }
    /// <summary>Signs with alg none and no signature.</summary>
    public bool Unsigned { get; init; }
    /// <summary>Signs with this key instead of the client's (an unregistered key, a wrong secret).</summary>
    public ClientSigningKey? KeyOverride { get; init; }
    public string? Jti { get; init; }
    /// <summary>The JWS header's typ; null: JWT. draft-ietf-oauth-rfc7523bis types client assertions client-authentication+jwt.</summary>
    public string? Type { get; init; }
    /// <summary>A complete assertion sent as is (the replay case sends one assertion twice).</summary>
    public string? Fixed { get; init; }

    public static readonly ClientAssertionOptions Normal = new();

    /// <summary>The signed assertion of <paramref name="clientId"/> with <paramref name="key"/>; <paramref name="endpoint"/> is the default audience.</summary>
    public string Create(string clientId, ClientSigningKey key, string endpoint)
    {
        if (Fixed is not null) return Fixed;
        var now = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        var payload = new JsonObject
        {
            ["iss"] = Issuer ?? clientId,
            ["sub"] = Subject ?? clientId,
            ["aud"] = Audience ?? endpoint,
            ["jti"] = Jti ?? Random.Token(16),
            ["exp"] = now + ExpiresInSeconds,
            ["iat"] = now + IssuedAtOffsetSeconds,
        };
        if (NotBeforeOffsetSeconds is { } nbf) payload["nbf"] = now + nbf;
        var signer = KeyOverride ?? key;
        var header = Type is null ? null : new Dictionary<string, string> { ["typ"] = Type };
        return signer.Sign(payload, Unsigned ? "none" : null, header);
    }
}
