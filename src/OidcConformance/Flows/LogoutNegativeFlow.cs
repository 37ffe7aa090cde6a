using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using OidcConformance.Browser;
using OidcConformance.Callback;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>A logout attempt in its own logged-in user agent, and the callback requests tagged with its state.</summary>
public sealed record LogoutAttempt(string Case, Uri Url, string? State, bool Confirmed, AuthorizationOutcome Outcome,
    IReadOnlyList<CallbackHit> TaggedHits, string RegisteredPostLogoutRedirectUri)
{
    /// <summary>The logout request sent (its id_token_hint is the tampered token in the tampered-hint cases).</summary>
    public required EndSessionRequest Request { get; init; }

    /// <summary>"logout request / id_token_hint: left out": the step of the normal logout request the case changed.</summary>
    public required string MutatedStep { get; init; }
}

/// <summary>
/// RP-initiated logout negatives: each case logs in with a fresh user agent (the OP then has a session, so a provider
/// that asks for confirmation does ask), changes one named step of the normal logout request (<see cref="LogoutChanges"/>)
/// and records where the browser ends.
/// </summary>
public static class LogoutNegativeFlow
{
    /// <summary>
    /// Logs in, builds the normal logout request (<see cref="LogoutChanges.Normal"/>) with <paramref name="change"/> applied
    /// (given the ID token and the registered post-logout URI) and runs the logout; <paramref name="confirm"/> says whether
    /// a confirmation prompt is accepted.
    /// </summary>
    public static async Task<LogoutAttempt> RunAsync(ConformanceRun run, string @case, bool confirm, LogoutChange change)
    {
        var (endpoint, client, login, idToken) = await LogoutFlow.FreshLoginAsync(run);
        await using var ua = login.UserAgent;
        var registered = run.PostLogoutRedirectUri(client);
        var inputs = new LogoutInputs(idToken, registered, client.ClientId);
        var pipeline = LogoutChanges.Normal(inputs);
        change.Apply(pipeline, inputs);
        var request = pipeline.Build(endpoint);
        var state = request.State;
        var url = request.ToUri();
        var started = DateTimeOffset.UtcNow;
        var outcome = await run.Authorizer.LogoutAsync(ua, url, confirm);
        var tagged = state is null ? [] : run.Callback.HitsSince(started).Where(h => h.Query.Any(q => q.Key == "state" && q.Value == state)).ToList();
        return new LogoutAttempt(@case, url, state, confirm, outcome, tagged, registered) { Request = request, MutatedStep = pipeline.MutatedStep! };
    }

    /// <summary>The registered URI with <c>foo=bar</c> added to its query.</summary>
    public static string WithAddedQuery(string uri) => uri + (uri.Contains('?') ? "&" : "?") + "foo=bar";

    /// <summary>A URI on the RP's origin that is not registered: same origin, another path.</summary>
    public static string Unregistered(string registered)
    {
        var u = new Uri(registered);
        return $"{u.GetLeftPart(UriPartial.Authority)}/unregistered-post-logout";
    }

    private static readonly Lazy<RSA> ForeignKey = new(() => RSA.Create(2048));

    /// <summary>The ID token changed so that its issuer's signature no longer holds.</summary>
    public static string Tamper(string idToken, string @case)
    {
        var parts = idToken.Split('.');
        if (parts.Length != 3) throw new PrerequisiteException("the ID token is not a JWS compact serialization; it cannot be tampered with");
        switch (@case)
        {
            case "signature-broken":
            {
                var sig = parts[2].Length == 0 ? new byte[32] : DecodedJwt.Base64UrlDecode(parts[2]);
                sig[0] ^= 0x5A;
                sig[^1] ^= 0x5A;
                return $"{parts[0]}.{parts[1]}.{DecodedJwt.Base64UrlEncode(sig)}";
            }
            case "alg-none":
            {
                var header = new JsonObject { ["alg"] = "none", ["typ"] = "JWT" };
                return $"{B64(header.ToJsonString())}.{parts[1]}.";
            }
            case "foreign-key":
            {
                var original = DecodedJwt.Decode(idToken);
                var header = new JsonObject { ["alg"] = "RS256", ["typ"] = "JWT" };
                if (original.Kid is { } kid) header["kid"] = kid;
                var input = $"{B64(header.ToJsonString())}.{parts[1]}";
                var signature = ForeignKey.Value.SignData(Encoding.ASCII.GetBytes(input), HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
                return $"{input}.{DecodedJwt.Base64UrlEncode(signature)}";
            }
            default:
                throw new ArgumentOutOfRangeException(nameof(@case), @case, "unknown tamper case");
        }
    }

    private static string B64(string s) => DecodedJwt.Base64UrlEncode(Encoding.UTF8.GetBytes(s));

    /// <summary>The header of a tampered token, for evidence (the payload is the real one).</summary>
    public static string HeaderOf(string jwt) =>
        Encoding.UTF8.GetString(DecodedJwt.Base64UrlDecode(jwt.Split('.')[0]));
}
