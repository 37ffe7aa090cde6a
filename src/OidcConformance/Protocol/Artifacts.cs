using System.Text.Json;
using Microsoft.IdentityModel.Tokens;
using OidcConformance.Http;

namespace OidcConformance.Protocol;

/// <summary>The provider's discovery document as fetched: the exchange, and its JSON object when it is one.</summary>
public sealed record DiscoveryDocument(string Url, HttpExchange Exchange, JsonBody Body)
{
    public string? String(string name) => Body.String(name);

    public IReadOnlyList<string>? StringArray(string name) =>
        Body.Get(name) is { ValueKind: JsonValueKind.Array } a && a.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? a.EnumerateArray().Select(e => e.GetString()!).ToList()
            : null;

    public bool Advertises(string arrayField, string value) => StringArray(arrayField)?.Contains(value) == true;

    public string? Issuer => String("issuer");
    public string? AuthorizationEndpoint => String("authorization_endpoint");
    public string? TokenEndpoint => String("token_endpoint");
    public string? UserinfoEndpoint => String("userinfo_endpoint");
    public string? JwksUri => String("jwks_uri");
    public string? IntrospectionEndpoint => String("introspection_endpoint");
    public string? RevocationEndpoint => String("revocation_endpoint");
    public string? EndSessionEndpoint => String("end_session_endpoint");
}

/// <summary>The JWK set as fetched, with the keys Microsoft.IdentityModel could turn into signing keys.</summary>
public sealed record JwksDocument(string Url, HttpExchange Exchange, JsonBody Body)
{
    public JsonWebKeySet? KeySet
    {
        get
        {
            if (Body.Object is null) return null;
            try { return new JsonWebKeySet(Body.Object.Value.GetRawText()); }
            catch (Exception e) when (e is ArgumentException or JsonException or InvalidOperationException) { return null; }
        }
    }

    public IReadOnlyList<JsonElement> Keys =>
        Body.Get("keys") is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().ToList() : [];
}

/// <summary>A token endpoint answer (success or error): RFC 6749 §5.1 / §5.2.</summary>
public sealed record TokenResponse(HttpExchange Exchange, JsonBody Body)
{
    public string? AccessToken => Body.String("access_token");
    public string? IdToken => Body.String("id_token");
    public string? RefreshToken => Body.String("refresh_token");
    public string? TokenType => Body.String("token_type");
    public string? Scope => Body.String("scope");
    public string? Error => Body.String("error");
    public bool IsSuccess => Exchange.IsSuccess && Body.IsObject && Error is null && AccessToken is not null;

    /// <summary>When the response arrived: the moment its tokens' lifetimes (expires_in, exp) are judged from.</summary>
    public DateTimeOffset ReceivedAt => Exchange.Started + Exchange.Duration;

    /// <summary>expires_in (RFC 6749 §5.1, RECOMMENDED) as a number of seconds, when the response carries one.</summary>
    public int? ExpiresIn => Body.Get("expires_in") is { ValueKind: System.Text.Json.JsonValueKind.Number } n && n.TryGetInt32(out var v) ? v : null;

    /// <summary>
    /// Whether the access token is known to have less than <paramref name="margin"/> left at <paramref name="now"/>
    /// (by expires_in, counted from arrival). Without expires_in nothing is known, and the token is not called stale.
    /// </summary>
    public bool AccessTokenExpiresWithin(TimeSpan margin, DateTimeOffset now) =>
        ExpiresIn is { } seconds && ReceivedAt + TimeSpan.FromSeconds(seconds) - now < margin;

    public string Describe() =>
        Exchange.TransportError is not null ? $"no response from the token endpoint: {Exchange.TransportError}"
        : !Body.IsObject ? $"HTTP {Exchange.StatusCode}, {Body.Problem}"
        : Error is not null ? $"HTTP {Exchange.StatusCode}, error '{Error}'" + (Body.String("error_description") is { } d ? $" ({Redactor.Redact(d)})" : "")
        : $"HTTP {Exchange.StatusCode}";
}

/// <summary>Where the authorization response parameters arrived (OAuth 2.0 Multiple Response Types §2, Form Post §2).</summary>
public enum ResponseLocation { Query, Fragment, FormPost }

/// <summary>Parameters the relying-party callback received from the authorization endpoint.</summary>
public sealed record AuthorizationResponse(ResponseLocation Location, IReadOnlyList<KeyValuePair<string, string>> Parameters,
    Uri CallbackUrl)
{
    /// <summary>Parameters that arrived elsewhere than <see cref="Location"/> (e.g. in the query of a fragment response).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> OtherParameters { get; init; } = [];

    public string? Get(string name) => Parameters.Where(p => p.Key == name).Select(p => p.Value).FirstOrDefault();
    public bool Has(string name) => Parameters.Any(p => p.Key == name);
    public int Count(string name) => Parameters.Count(p => p.Key == name);
    public string? Code => Get("code");
    public string? State => Get("state");
    public string? Error => Get("error");
    public string? IdToken => Get("id_token");
    public string? AccessToken => Get("access_token");

    public string Describe() =>
        Error is not null ? $"error '{Error}' in the {Location.ToString().ToLowerInvariant()}"
        : $"{Location.ToString().ToLowerInvariant()} with {string.Join(", ", Parameters.Select(p => p.Key).Distinct())}";
}
