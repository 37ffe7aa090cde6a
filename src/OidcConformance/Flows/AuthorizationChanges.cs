using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;

namespace OidcConformance.Flows;

/// <summary>A named change of the normal authorization request (<see cref="AuthorizationPipeline"/>): what it mutates, and how.</summary>
public sealed record AuthorizationChange(string Mutates, Action<AuthorizationPipeline> Apply)
{
    /// <summary>The case's "mutates" evidence: "authorization request / client_id: left out".</summary>
    public Evidence Evidence => new("mutates", Mutates);
}

/// <summary>
/// The authorization endpoint's negative cases as changes of one named step of the normal request. Values set over the
/// built request use <see cref="AuthorizationPipeline.Then{TStep}"/>, so the wire request is the one the flows sent when
/// they changed the built request directly.
/// </summary>
public static class AuthorizationChanges
{
    public static AuthorizationChange Without<TStep>() where TStep : RequestStep<AuthorizationRequest> => Named(p => p.Without<TStep>());

    public static AuthorizationChange ClientId(string clientId, string change) => Named(p => p.Then<ClientIdStep>(new ClientIdStep(clientId), change));

    /// <summary>response_type set over the built request (it then goes last on the wire, as the earlier fixture's Set put it).</summary>
    public static AuthorizationChange ResponseType(string responseType, string change) =>
        Named(p => p.Then<ResponseTypeStep>(new ResponseTypeStep(responseType), change));

    public static AuthorizationChange RedirectUri(string redirectUri, string change) =>
        Named(p => p.Then<RedirectUriStep>(new RedirectUriStep(redirectUri), change));

    /// <summary>The parameter sent twice with its value (the second copy follows all other parameters).</summary>
    public static AuthorizationChange Repeated(string parameter) => parameter switch
    {
        "response_type" => Repeat<ResponseTypeStep>(parameter),
        "client_id" => Repeat<ClientIdStep>(parameter),
        "redirect_uri" => Repeat<RedirectUriStep>(parameter),
        "scope" => Repeat<ScopeStep>(parameter),
        "state" => Repeat<StateStep>(parameter),
        "nonce" => Repeat<NonceStep>(parameter),
        _ => throw new ArgumentException($"no step of the authorization request adds '{parameter}'"),
    };

    private static AuthorizationChange Repeat<TStep>(string parameter) where TStep : RequestStep<AuthorizationRequest> =>
        Named(p => p.Then<TStep>(new RepeatedParameterStep(parameter), "sent twice with the same value"));

    private static readonly ClientProfile Probe = new() { Role = "probe", ClientId = "probe", Scope = "openid", TokenEndpointAuthMethods = [] };

    /// <summary>The change's name is what the pipeline records when the change is applied (here to a throwaway standard request).</summary>
    private static AuthorizationChange Named(Action<AuthorizationPipeline> apply)
    {
        var probe = AuthorizationPipeline.Standard(Probe, "https://rp.invalid/callback");
        apply(probe);
        return new AuthorizationChange(probe.MutatedStep!, apply);
    }
}
