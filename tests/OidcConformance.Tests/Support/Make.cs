using System.Net;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using OidcConformance.Http;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Support;

/// <summary>Builds artifacts for checks: recorded real responses, and precise mutations of them.</summary>
public static class Make
{
    public static HttpExchange Exchange(int status, string body, string contentType = "application/json; charset=utf-8",
        string url = "http://op.test/endpoint", string method = "GET", params (string Key, string Value)[] headers)
    {
        var list = new List<KeyValuePair<string, string>>();
        if (contentType.Length > 0) list.Add(new("Content-Type", contentType));
        list.AddRange(headers.Select(h => new KeyValuePair<string, string>(h.Key, h.Value)));
        return new HttpExchange
        {
            Purpose = "test", Method = method, Url = new Uri(url), RequestHeaders = [], Status = (HttpStatusCode)status,
            ResponseBody = body, ResponseHeaders = list, Started = DateTimeOffset.UtcNow,
        };
    }

    public static HttpExchange Unreachable(string url = "http://op.test/endpoint") => new()
    {
        Purpose = "test", Method = "GET", Url = new Uri(url), RequestHeaders = [], Started = DateTimeOffset.UtcNow,
        TransportError = "connection refused (is the provider running?)",
    };

    public static DiscoveryDocument Discovery(string json, string url = "http://op.test/.well-known/openid-configuration", int status = 200,
        string contentType = "application/json")
    {
        var exchange = Exchange(status, json, contentType, url);
        return new DiscoveryDocument(url, exchange, JsonBody.From(exchange));
    }

    public static JwksDocument Jwks(string json, int status = 200, string url = "http://op.test/jwks")
    {
        var exchange = Exchange(status, json, url: url);
        return new JwksDocument(url, exchange, JsonBody.From(exchange));
    }

    public static TokenResponse Token(string json, int status = 200, params (string, string)[] headers)
    {
        var exchange = Exchange(status, json, url: "http://op.test/token", method: "POST", headers: headers);
        return new TokenResponse(exchange, JsonBody.From(exchange));
    }

    /// <summary>Changes a JSON document: <paramref name="edit"/> gets the root object.</summary>
    public static string Edit(string json, Action<JsonObject> edit)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        edit(node);
        return node.ToJsonString();
    }

    // ---- JWTs -------------------------------------------------------------------------------------------------

    public static readonly RSA TestKey = RSA.Create(2048);
    public static readonly RSA OtherKey = RSA.Create(2048);

    public static string JwksFor(RSA key, string kid = "test-key", string? alg = "RS256", int keys = 1)
    {
        var p = key.ExportParameters(false);
        var jwk = new JsonObject
        {
            ["kty"] = "RSA", ["use"] = "sig", ["kid"] = kid, ["n"] = DecodedJwt.Base64UrlEncode(p.Modulus!), ["e"] = DecodedJwt.Base64UrlEncode(p.Exponent!),
        };
        if (alg is not null) jwk["alg"] = alg;
        var array = new JsonArray(jwk);
        for (var i = 1; i < keys; i++) array.Add(JsonNode.Parse(jwk.ToJsonString().Replace($"\"{kid}\"", $"\"{kid}-{i}\"")));
        return new JsonObject { ["keys"] = array }.ToJsonString();
    }

    /// <summary>Signs header + payload with RS256 (or leaves the signature empty for alg none).</summary>
    public static string Jwt(JsonObject header, JsonObject payload, RSA? key = null)
    {
        var input = B64(header.ToJsonString()) + "." + B64(payload.ToJsonString());
        if (header["alg"]?.GetValue<string>() == "none") return input + ".";
        var signature = (key ?? TestKey).SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        return input + "." + DecodedJwt.Base64UrlEncode(signature);
    }

    public static string B64(string s) => DecodedJwt.Base64UrlEncode(Encoding.UTF8.GetBytes(s));

    public static JsonObject Header(string kid = "test-key", string alg = "RS256") => new() { ["alg"] = alg, ["kid"] = kid, ["typ"] = "JWT" };

    /// <summary>A valid ID token's claims for client "client-1" at issuer http://op.test, issued now.</summary>
    public static JsonObject IdTokenClaims(long? now = null)
    {
        var t = now ?? DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        return new JsonObject
        {
            ["iss"] = "http://op.test", ["sub"] = "alice", ["aud"] = "client-1", ["exp"] = t + 300, ["iat"] = t, ["nonce"] = "n-0S6_WzA2Mj",
        };
    }

    public static JsonObject With(this JsonObject o, string name, JsonNode? value)
    {
        o[name] = value;
        return o;
    }

    public static JsonObject Without(this JsonObject o, string name)
    {
        o.Remove(name);
        return o;
    }
}
