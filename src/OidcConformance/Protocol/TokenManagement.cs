using System.Text.Json;
using OidcConformance.Http;

namespace OidcConformance.Protocol;

/// <summary>An introspection answer (RFC 7662 §2.2 / §2.3): the exchange and its JSON object when it is one.</summary>
public sealed record IntrospectionResponse(HttpExchange Exchange, JsonBody Body)
{
    public static IntrospectionResponse From(HttpExchange exchange) => new(exchange, JsonBody.From(exchange));

    /// <summary>
    /// The step of the normal introspection request this one changed ("introspection request / client authentication:
    /// no credentials"), or null for a normal request; shown as the case's "mutates" evidence.
    /// </summary>
    public string? MutatedStep { get; init; }

    /// <summary>The "active" member when it is a JSON boolean; null when missing or of another type.</summary>
    public bool? Active => Body.Get("active") is { ValueKind: JsonValueKind.True or JsonValueKind.False } a ? a.GetBoolean() : null;

    public bool IsActive => Exchange.StatusCode == 200 && Active == true;

    public string? Error => Body.String("error");

    public string Describe() =>
        Exchange.TransportError is not null ? $"no response: {Exchange.TransportError}"
        : !Body.IsObject ? $"HTTP {Exchange.StatusCode}, {Body.Problem}"
        : Error is not null ? $"HTTP {Exchange.StatusCode}, error '{Error}'"
        : Body.Get("active") is { } a ? $"HTTP {Exchange.StatusCode}, active {a.GetRawText()}"
        : $"HTTP {Exchange.StatusCode} without an active member";
}

/// <summary>
/// One use of an access token that shows whether the provider still honours it: a UserInfo GET (200 = works,
/// 401/400/403 = refused) or, where there is no UserInfo, an introspection (active true/false).
/// </summary>
public sealed record AccessTokenProbe(string Via, HttpExchange Exchange)
{
    public const string UserInfo = "userinfo";
    public const string Introspection = "introspection";

    /// <summary>true: the token worked; false: it was refused; null: the answer says neither (5xx, no response).</summary>
    public bool? Works
    {
        get
        {
            if (Exchange.TransportError is not null) return null;
            if (Via == Introspection)
            {
                var r = IntrospectionResponse.From(Exchange);
                return Exchange.StatusCode == 200 && r.Active is { } active ? active : null;
            }
            return Exchange.StatusCode switch
            {
                200 => true,
                400 or 401 or 403 => false,
                _ => null,
            };
        }
    }

    public string Describe() => Via == Introspection
        ? $"introspection {IntrospectionResponse.From(Exchange).Describe()}"
        : $"UserInfo {(Exchange.TransportError is not null ? "no response" : $"HTTP {Exchange.StatusCode}")}";
}
