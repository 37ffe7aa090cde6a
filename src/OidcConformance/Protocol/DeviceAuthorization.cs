using System.Text.Json;
using OidcConformance.Http;

namespace OidcConformance.Protocol;

/// <summary>
/// The device authorization response (RFC 8628 §3.2) as received: the exchange, its JSON object when it is one, and when
/// it arrived (the device code's expires_in and the polling interval count from then).
/// </summary>
public sealed record DeviceAuthorizationResponse(HttpExchange Exchange, JsonBody Body)
{
    public string? DeviceCode => Body.String("device_code");
    public string? UserCode => Body.String("user_code");
    public string? VerificationUri => Body.String("verification_uri");
    public string? VerificationUriComplete => Body.String("verification_uri_complete");
    public int? ExpiresIn => Body.Get("expires_in") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var v) ? v : null;
    public int? Interval => Body.Get("interval") is { ValueKind: JsonValueKind.Number } n && n.TryGetInt32(out var v) ? v : null;
    public string? Error => Body.String("error");

    /// <summary>The polling interval the client must honour: interval, else 5 seconds (RFC 8628 §3.2).</summary>
    public TimeSpan PollInterval => TimeSpan.FromSeconds(Interval is > 0 ? Interval.Value : DefaultIntervalSeconds);

    public const int DefaultIntervalSeconds = 5;

    public DateTimeOffset ReceivedAt => Exchange.Started + Exchange.Duration;

    /// <summary>A device code to poll with and a user code to enter were issued (whatever else is wrong with the response).</summary>
    public bool IsUsable => Exchange.IsSuccess && !string.IsNullOrEmpty(DeviceCode) && !string.IsNullOrEmpty(UserCode) && Error is null;

    public string Describe() =>
        Exchange.TransportError is not null ? $"no response from the device authorization endpoint: {Exchange.TransportError}"
        : !Body.IsObject ? $"HTTP {Exchange.StatusCode}, {Body.Problem}"
        : Error is not null ? $"HTTP {Exchange.StatusCode}, error '{Error}'" + (Body.String("error_description") is { } d ? $" ({Redactor.Redact(d)})" : "")
        : $"HTTP {Exchange.StatusCode}";
}

/// <summary>device_code of the device access token request (RFC 8628 §3.4).</summary>
public sealed class DeviceCodeStep(string deviceCode) : RequestStep<TokenRequest>
{
    public override string Part => "device_code";
    public override void Apply(TokenRequest request) => request.Set("device_code", deviceCode);
}
