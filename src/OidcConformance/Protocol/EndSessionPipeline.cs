using OidcConformance.Http;

namespace OidcConformance.Protocol;

/// <summary>An RP-initiated logout request (OpenID Connect RP-Initiated Logout 1.0 §2): parameters sent as a GET query to the end_session_endpoint.</summary>
public sealed class EndSessionRequest : ParameterRequest<EndSessionRequest>
{
    public required string Endpoint { get; init; }

    public string? State => Get("state");
    public string? IdTokenHint => Get("id_token_hint");

    /// <summary>
    /// The logout URL: the endpoint (a query it has already is kept, the parameters follow after '&amp;') and the
    /// form-encoded parameters, in the order the steps added them.
    /// </summary>
    public Uri ToUri() => new(Endpoint + (Endpoint.Contains('?') ? "&" : "?") + FormCodec.Encode(Parameters));
}

/// <summary>
/// The steps of a logout request, in wire order: id_token_hint, post_logout_redirect_uri, state, then client_id where
/// the flow sends it (RP-Initiated Logout 1.0 §2 lists all four; client_id is "used when" the hint is absent or to
/// name the client alongside it).
/// </summary>
public sealed class EndSessionPipeline : RequestPipeline<EndSessionRequest, EndSessionPipeline>
{
    public override string RequestName => "logout request";

    /// <summary>
    /// The normal logout: id_token_hint, post_logout_redirect_uri, a fresh state (unless <paramref name="state"/> is
    /// given) and, when <paramref name="clientId"/> is given, client_id last. The standard logout (LogoutFlow) sends
    /// client_id; the logout negatives' normal request does not (it was built that way before the pipeline).
    /// </summary>
    public static EndSessionPipeline Standard(string idToken, string postLogoutRedirectUri, string? clientId = null, string? state = null)
    {
        var pipeline = new EndSessionPipeline()
            .Add(new IdTokenHintStep(idToken)).Add(new PostLogoutRedirectUriStep(postLogoutRedirectUri)).Add(new EndSessionStateStep(state));
        return clientId is null ? pipeline : pipeline.Add(new EndSessionClientIdStep(clientId));
    }

    public EndSessionRequest Build(string endpoint) => Run(new EndSessionRequest { Endpoint = endpoint });
}

/// <summary>id_token_hint: the ID token the provider issued to the client (RP-Initiated Logout 1.0 §2).</summary>
public sealed class IdTokenHintStep(string idToken) : RequestStep<EndSessionRequest>
{
    public override string Part => "id_token_hint";
    public override void Apply(EndSessionRequest request) => request.Set("id_token_hint", idToken);
}

/// <summary>post_logout_redirect_uri: where the provider sends the browser after the logout (RP-Initiated Logout 1.0 §2, §3).</summary>
public sealed class PostLogoutRedirectUriStep(string uri) : RequestStep<EndSessionRequest>
{
    public override string Part => "post_logout_redirect_uri";
    public override void Apply(EndSessionRequest request) => request.Set("post_logout_redirect_uri", uri);
}

/// <summary>state, echoed on the post-logout redirect (RP-Initiated Logout 1.0 §2, §3): a fresh 12-byte token unless a value is given.</summary>
public sealed class EndSessionStateStep(string? value = null) : RequestStep<EndSessionRequest>
{
    public override string Part => "state";
    public override void Apply(EndSessionRequest request) => request.Set("state", value ?? Random.Token(12));
}

/// <summary>client_id of the client asking for the logout (RP-Initiated Logout 1.0 §2).</summary>
public sealed class EndSessionClientIdStep(string clientId) : RequestStep<EndSessionRequest>
{
    public override string Part => "client_id";
    public override void Apply(EndSessionRequest request) => request.Set("client_id", clientId);
}
