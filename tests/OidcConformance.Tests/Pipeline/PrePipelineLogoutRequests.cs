using OidcConformance.Flows;
using OidcConformance.Http;

namespace OidcConformance.Tests.Pipeline;

/// <summary>
/// How logout URLs were built before the end-session pipeline (LogoutFlow.EndSessionUrl, LogoutFlow.StandardAsync,
/// LogoutWithoutSessionFlow and the lambdas of tests/Conformance/Logout/LogoutNegativeTests.cs up to commit c0b61e3),
/// kept verbatim except that the random state is a parameter.
/// </summary>
internal static partial class PrePipelineRequests
{
    public static Uri EndSessionUrl(string endpoint, IEnumerable<KeyValuePair<string, string>> parameters) =>
        new(endpoint + (endpoint.Contains('?') ? "&" : "?") + FormCodec.Encode(parameters));

    public static List<KeyValuePair<string, string>> Params(params (string Key, string? Value)[] pairs) =>
        pairs.Where(p => p.Value is not null).Select(p => new KeyValuePair<string, string>(p.Key, p.Value!)).ToList();

    /// <summary>LogoutFlow.StandardAsync and LogoutWithoutSessionFlow: hint, post-logout URI, state, client_id.</summary>
    public static Uri StandardLogout(string endpoint, string idToken, string postLogout, string state, string clientId) =>
        EndSessionUrl(endpoint, [new("id_token_hint", idToken), new("post_logout_redirect_uri", postLogout), new("state", state), new("client_id", clientId)]);

    /// <summary>The parameters each LogoutNegativeTests case built (given the ID token, the registered URI, the client and the state it drew).</summary>
    public static List<KeyValuePair<string, string>> LogoutNegative(string @case, string idToken, string registered, string clientId, string state) => @case switch
    {
        "unregistered" => Params(("id_token_hint", idToken), ("post_logout_redirect_uri", LogoutNegativeFlow.Unregistered(registered)), ("state", state)),
        "query-added" => Params(("id_token_hint", idToken), ("post_logout_redirect_uri", LogoutNegativeFlow.WithAddedQuery(registered)), ("state", state)),
        "no-hint" => Params(("post_logout_redirect_uri", registered), ("state", state)),
        "client-id-only" => Params(("client_id", clientId), ("post_logout_redirect_uri", registered), ("state", state)),
        "no-state" => Params(("id_token_hint", idToken), ("post_logout_redirect_uri", registered)),
        "signature-broken" or "alg-none" or "foreign-key" =>
            Params(("id_token_hint", LogoutNegativeFlow.Tamper(idToken, @case)), ("post_logout_redirect_uri", registered), ("state", state)),
        _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, "unknown logout case"),
    };
}
