using System.Text;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>What a logout case's request is made of: the fresh login's ID token, the client's registered post-logout URI and its client_id.</summary>
public sealed record LogoutInputs(string IdToken, string RegisteredPostLogoutRedirectUri, string ClientId);

/// <summary>A named change of the logout negatives' normal request (<see cref="LogoutChanges.Normal"/>): what it mutates, and how.</summary>
public sealed record LogoutChange(string Mutates, Action<EndSessionPipeline, LogoutInputs> Apply)
{
    /// <summary>The case's "mutates" evidence: "logout request / id_token_hint: left out".</summary>
    public Evidence Evidence => new("mutates", Mutates);
}

/// <summary>
/// The RP-initiated logout negatives as changes of one named step of the normal logout request. Each replaced step
/// keeps its place, so the parameters stay in the order the cases sent them before the pipeline.
/// </summary>
public static class LogoutChanges
{
    // Declared first: the named changes below are built from it when the class initializes (fields initialize in order).
    /// <summary>A structurally valid, JWS-shaped token to name a change with (<see cref="LogoutNegativeFlow.Tamper"/> parses it).</summary>
    private static readonly LogoutInputs Probe = new(
        $"{B64("{\"alg\":\"RS256\",\"kid\":\"probe\"}")}.{B64("{\"sub\":\"probe\"}")}.{B64("probe-signature")}",
        "https://rp.invalid/logged-out", "probe");

    /// <summary>
    /// The negatives' normal request: id_token_hint, the registered post_logout_redirect_uri and a fresh state, without
    /// client_id (the standard logout adds it; the negatives never sent it with the hint).
    /// </summary>
    public static EndSessionPipeline Normal(LogoutInputs inputs) =>
        EndSessionPipeline.Standard(inputs.IdToken, inputs.RegisteredPostLogoutRedirectUri);

    public static readonly LogoutChange UnregisteredPostLogoutUri = Named((p, i) =>
        p.Replace<PostLogoutRedirectUriStep>(new PostLogoutRedirectUriStep(LogoutNegativeFlow.Unregistered(i.RegisteredPostLogoutRedirectUri)),
            "an unregistered URI on the relying party's origin"));

    public static readonly LogoutChange QueryAddedPostLogoutUri = Named((p, i) =>
        p.Replace<PostLogoutRedirectUriStep>(new PostLogoutRedirectUriStep(LogoutNegativeFlow.WithAddedQuery(i.RegisteredPostLogoutRedirectUri)),
            "the registered URI with foo=bar added to its query"));

    public static readonly LogoutChange WithoutIdTokenHint = Named((p, _) => p.Without<IdTokenHintStep>());

    /// <summary>client_id in the hint's place: the client is named, but nothing proves the user's session belongs to it.</summary>
    public static readonly LogoutChange ClientIdInsteadOfHint = Named((p, i) =>
        p.Replace<IdTokenHintStep>(new EndSessionClientIdStep(i.ClientId), "client_id sent in its place"));

    public static readonly LogoutChange WithoutState = Named((p, _) => p.Without<EndSessionStateStep>());

    /// <summary>The ID token changed as <see cref="LogoutNegativeFlow.Tamper"/> does for <paramref name="case"/> (signature-broken, alg-none, foreign-key).</summary>
    public static LogoutChange TamperedIdTokenHint(string @case) => Named((p, i) =>
        p.Replace<IdTokenHintStep>(new IdTokenHintStep(LogoutNegativeFlow.Tamper(i.IdToken, @case)), TamperDescription(@case)));

    private static string TamperDescription(string @case) => @case switch
    {
        "signature-broken" => "its signature broken",
        "alg-none" => "re-headed with alg none, signature removed",
        "foreign-key" => "re-signed with a key that is not the provider's",
        _ => throw new ArgumentOutOfRangeException(nameof(@case), @case, "unknown tamper case"),
    };

    private static string B64(string s) => DecodedJwt.Base64UrlEncode(Encoding.UTF8.GetBytes(s));

    /// <summary>The change's name is what the pipeline records when the change is applied (here to a throwaway normal request).</summary>
    private static LogoutChange Named(Action<EndSessionPipeline, LogoutInputs> apply)
    {
        var probe = Normal(Probe);
        apply(probe, Probe);
        return new LogoutChange(probe.MutatedStep!, apply);
    }
}
