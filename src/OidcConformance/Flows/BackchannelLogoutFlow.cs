using OidcConformance.Callback;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>The login of the back-channel client, its RP-initiated logout, and what reached the back-channel receiver.</summary>
public sealed record BackchannelLogoutResult(CodeFlowResult Login, BackchannelDelivery Delivery);

public static class BackchannelLogoutFlow
{
    /// <summary>Longest wait for the logout token after the logout completed (a provider may send it asynchronously).</summary>
    public static readonly TimeSpan DeliveryDeadline = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Logs the primary user in with <c>clients.backchannel</c> (a user agent of its own), logs out at the end-session endpoint
    /// with id_token_hint, post_logout_redirect_uri and state, and polls the callback listener for the POST to the
    /// client's backchannel_logout_uri until <see cref="DeliveryDeadline"/> after the logout ended.
    /// </summary>
    public static Task<BackchannelLogoutResult> LogoutAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.BackchannelLogout, async () =>
    {
        if (!run.Profile.Features.BackchannelLogout)
            throw new PrerequisiteException("the provider does not offer back-channel logout (profile features.backchannelLogout)");
        if (!run.Profile.Features.RpInitiatedLogout)
            throw new PrerequisiteException("the suite triggers back-channel logout with an RP-initiated logout, which the provider does not offer (profile features.rpInitiatedLogout)");
        var client = run.Profile.Backchannel ?? throw new PrerequisiteException("the profile has no client registered for back-channel logout (clients.backchannel)");
        var receiver = ConformanceRun.ExpandPlaceholders(client.BackchannelLogoutUri!, run.Callback, run.Issuer);
        // The receiver is the callback listener, at its own origin or (profile callback.backchannelHost) at the host name the
        // provider reaches it by.
        if (!Uri.TryCreate(receiver, UriKind.Absolute, out var receiverUri)
            || receiverUri.GetLeftPart(UriPartial.Authority) is var authority && authority != run.Callback.Origin && authority != run.Callback.BackchannelOrigin)
            throw new PrerequisiteException($"clients.backchannel.backchannelLogoutUri '{receiver}' is not at the suite's callback listener ({run.Callback.BackchannelLogoutUri}): the suite cannot see what the provider sends there");
        var endpoint = await run.EndpointAsync("end_session_endpoint");
        var login = await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser);
        var idToken = login.RequireSuccessfulToken().IdToken ?? throw new PrerequisiteException("the login issued no id_token to use as id_token_hint");
        var request = EndSessionPipeline.Standard(idToken, run.PostLogoutRedirectUri(client), client.ClientId).Build(endpoint);
        var since = DateTimeOffset.UtcNow;
        var logout = await run.Authorizer.LogoutAsync(login.UserAgent, request.ToUri());
        var completed = logout.End == AuthorizationEnd.Redirected;

        // Poll with a deadline from the end of the logout; the hit may have arrived during it already.
        var deadline = DateTimeOffset.UtcNow + DeliveryDeadline;
        CallbackHit? hit = null;
        while (true)
        {
            hit = run.Callback.HitsSince(since).FirstOrDefault(h => h.Path == receiverUri.AbsolutePath);
            if (hit is not null || !completed || DateTimeOffset.UtcNow >= deadline) break;
            await Task.Delay(TimeSpan.FromMilliseconds(100));
        }
        var token = hit?.Form.FirstOrDefault(p => p.Key == "logout_token").Value;
        Http.Redactor.Register(token, "logout_token");
        if (run.FaultProxy is { Fault.OnLogoutToken: { } rewrite } proxy && token is not null)
        {
            token = rewrite(proxy.Context, token);
            if (token is null) hit = null;
        }
        var delivery = new BackchannelDelivery(completed, logout.Describe(), hit?.Method, token, (DateTimeOffset.UtcNow - since).TotalSeconds);
        return new BackchannelLogoutResult(login, delivery);
    });
}
