using System.Collections.Concurrent;
using System.Text.Json.Nodes;

using static OidcConformance.Faults.FaultCatalog;

namespace OidcConformance.Faults;

/// <summary>
/// Faults of the device authorization grant (RFC 8628): the device authorization response, its discovery metadata and the
/// token endpoint's answers to device_code polls. Each is one provider bug, injected by rewriting an answer (or, for the
/// replay and the unbound code, by answering from what the proxy remembers / presenting the poll as the code's owner).
/// </summary>
public static class DeviceFaults
{
    private const string Category = "Device";
    private const string GrantType = "urn:ietf:params:oauth:grant-type:device_code";

    private static readonly string[] AllDeviceChecks =
    [
        "device.authorization-response", "device.discovery-advertised", "device.pending-before-approval", "device.slow-down",
        "device.approved-yields-tokens", "device.denied-access-denied", "device.expired-refused", "device.expired-token",
        "device.code-single-use", "device.code-bound-to-client",
    ];

    private static string[] AllBut(params string[] killed) => [.. AllDeviceChecks.Except(killed)];

    private static bool IsPoll(FaultContext c, ProxyRequest q) =>
        c.Is(q, Endpoint.Token) && q.IsForm && q.Param("grant_type") == GrantType && q.Param("device_code") is not null;

    /// <summary>The error of a device_code poll's answer <paramref name="from"/> becomes <paramref name="to"/> (same status).</summary>
    private static Action<FaultContext, ProxyRequest, ProxyResponse> PollError(string from, string to) => (c, q, r) =>
    {
        if (IsPoll(c, q) && r.Status >= 400 && r.Json?["error"]?.GetValue<string>() == from) r.EditJson(j => j["error"] = to);
    };

    /// <summary>The client a request names (HTTP Basic user or client_id in the form).</summary>
    private static string? Caller(ProxyRequest q) => BackChannelFaults.Credentials.Of(q).Client;

    private static ConcurrentDictionary<string, string> CodeOwners(FaultContext c) =>
        (ConcurrentDictionary<string, string>)c.State.GetOrAdd("device:owners", _ => new ConcurrentDictionary<string, string>());

    private static ConcurrentDictionary<string, ProxyResponse> Redeemed(FaultContext c) =>
        (ConcurrentDictionary<string, ProxyResponse>)c.State.GetOrAdd("device:redeemed", _ => new ConcurrentDictionary<string, ProxyResponse>());

    private static ConcurrentDictionary<string, DateTimeOffset> LastPolls(FaultContext c) =>
        (ConcurrentDictionary<string, DateTimeOffset>)c.State.GetOrAdd("device:last-polls", _ => new ConcurrentDictionary<string, DateTimeOffset>());

    private static ProxyResponse Copy(ProxyResponse r)
    {
        var copy = new ProxyResponse(r.Status, [.. r.Body]);
        copy.Headers.AddRange(r.Headers);
        return copy;
    }

    public static readonly IReadOnlyList<Fault> All =
    [
        new("device-discovery-endpoint-dropped", "discovery leaves out device_authorization_endpoint although the device grant is served", [Category],
            [K("device.discovery-advertised", "device_authorization_endpoint is not advertised")])
        {
            Source = "models providers that add the device grant without publishing its metadata (RFC 8628 §4)",
            // without the endpoint no device check can start: they turn Inconclusive, naming the missing endpoint
            MayTurnInconclusive = AllBut("device.discovery-advertised"),
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.Discovery) && r.Status == 200) r.EditJson(j => j.Remove("device_authorization_endpoint"));
            },
        },
        new("device-user-code-dropped", "the device authorization response carries no user_code", [Category],
            [K("device.authorization-response", "user_code is missing")])
        {
            Source = "models a device authorization endpoint that stores the user code but forgets to return it (RFC 8628 §3.2 REQUIRED)",
            MayTurnInconclusive = AllBut("device.authorization-response", "device.discovery-advertised"),
            OnResponse = (c, q, r) =>
            {
                if (c.Is(q, Endpoint.DeviceAuthorization) && r.Status == 200) r.EditJson(j => j.Remove("user_code"));
            },
        },
        new("device-pending-http-200", "authorization_pending is answered with HTTP 200", [Category],
            [K("device.pending-before-approval", "HTTP 200")])
        {
            Source = "models providers that answer a not-yet-approved poll with 200 and an error body (RFC 6749 §5.2: HTTP 400)",
            OnResponse = (c, q, r) =>
            {
                if (IsPoll(c, q) && r.Status == 400 && r.Json?["error"]?.GetValue<string>() == "authorization_pending") r.Status = 200;
            },
        },
        new("device-fast-poll-invalid-request", "a poll sooner than 2 s after the previous one of the same client is refused with invalid_request instead of slow_down", [Category],
            [K("device.slow-down", "invalid_request")])
        {
            Source = "models rate limiting with a generic error: the device would stop polling instead of slowing down (RFC 8628 §3.5 slow_down)",
            Around = async (c, q, next) =>
            {
                if (!IsPoll(c, q)) return await next(q);
                var key = q.Param("device_code") + "\n" + Caller(q);
                var now = DateTimeOffset.UtcNow;
                var previous = LastPolls(c).TryGetValue(key, out var t) ? t : (DateTimeOffset?)null;
                LastPolls(c)[key] = now;
                if (previous is { } last && now - last < TimeSpan.FromSeconds(2))
                    return BackChannelFaults.Error(400, "invalid_request", "too many requests");
                return await next(q);
            },
        },
        new("device-id-token-other-audience", "the ID token of the device grant is issued for another client (aud)", [Category],
            [K("device.approved-yields-tokens", "does not contain")])
        {
            Source = "models a device grant that builds the ID token from the verification page's session client instead of the device client",
            OnResponse = (c, q, r) =>
            {
                if (IsPoll(c, q) && r.Status == 200 && r.Json?["id_token"] is JsonValue v && v.TryGetValue<string>(out var token))
                    r.EditJson(j => j["id_token"] = c.RewriteJwt(token, (_, payload) => payload["aud"] = "verification-page"));
            },
        },
        new("device-denial-as-pending", "after the user denied, polls are still answered authorization_pending", [Category],
            [K("device.denied-access-denied", "still answered authorization_pending")])
        {
            Source = "models a verification page whose 'deny' only closes the page: the device polls until the code expires",
            OnResponse = PollError("access_denied", "authorization_pending"),
        },
        new("device-expired-as-pending", "an expired device code is still answered authorization_pending", [Category],
            [K("device.expired-refused", "still answered authorization_pending"), K("device.expired-token", "expected expired_token")])
        {
            Source = "models a poll handler that checks approval before expiry",
            OnResponse = PollError("expired_token", "authorization_pending"),
        },
        new("device-expired-invalid-grant", "an expired device code is refused with invalid_grant instead of expired_token", [Category],
            [K("device.expired-token", "expected expired_token")])
        {
            Source = "models a grant handler that treats an expired device code like an unknown one (RFC 8628 §3.5 defines expired_token)",
            OnResponse = PollError("expired_token", "invalid_grant"),
        },
        new("device-code-replay", "a device code that yielded tokens yields the same tokens again", [Category],
            [K("device.code-single-use", "yielded tokens a second time")])
        {
            Source = "models a provider that keeps the approved device session and answers every later poll from it",
            Around = async (c, q, next) =>
            {
                if (!IsPoll(c, q)) return await next(q);
                var code = q.Param("device_code")!;
                if (Redeemed(c).TryGetValue(code, out var earlier)) return Copy(earlier);
                var r = await next(q);
                if (r.Status == 200) Redeemed(c)[code] = Copy(r);
                return r;
            },
        },
        new("device-code-any-client", "a device code is redeemed by whichever client presents it", [Category],
            [K("device.code-bound-to-client", "not issued to yielded tokens")])
        {
            Source = "models a device grant that looks the code up without comparing its client (RFC 6749 §5.2 invalid_grant: issued to another client)",
            // the owner's poll after the other client's finds the code spent: the tokens went to the other client
            Around = async (c, q, next) =>
            {
                if (c.Is(q, Endpoint.DeviceAuthorization) && q.IsForm)
                {
                    var answer = await next(q);
                    if (answer.Status == 200 && answer.Json?["device_code"] is JsonValue v && v.TryGetValue<string>(out var issued) && Caller(q) is { } owner)
                        CodeOwners(c)[issued] = owner;
                    return answer;
                }
                if (IsPoll(c, q) && CodeOwners(c).TryGetValue(q.Param("device_code")!, out var codeOwner) && Caller(q) is { } caller && caller != codeOwner
                    && q.Header("Authorization") is null)
                    SetForm(q, "client_id", codeOwner); // a public device client names itself in the form
                return await next(q);
            },
        },
    ];
}
