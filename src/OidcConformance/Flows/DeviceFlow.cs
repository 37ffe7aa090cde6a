using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Flows;

/// <summary>
/// The device authorization grant (RFC 8628) with the profile's device client (<c>clients.device</c>, a public client: a
/// device such as a TV cannot keep a secret, RFC 8628 §5.6): the device authorization request, polls of the token endpoint
/// that honour the interval (plus 5 s after each slow_down, §3.5), and the user's part in a browser session of its own
/// (<see cref="DeviceVerifier"/>). Each scenario gets its own device code; nothing waits a fixed time: every wait is the
/// provider's interval or its expires_in.
/// </summary>
public static class DeviceFlow
{
    private const string Purpose = "device: ";
    public const string GrantType = DeviceChecks.GrantType;

    public static ClientProfile RequireClient(ConformanceRun r)
    {
        if (!r.Profile.Features.DeviceAuthorization)
            throw new PrerequisiteException("the provider does not offer the device authorization grant (profile features.deviceAuthorization)");
        return r.Profile.Device ?? throw new PrerequisiteException("the profile has no device client (clients.device)");
    }

    /// <summary>Another client registered for the device grant (<c>clients.deviceShortLived</c> first), for the binding case.</summary>
    public static ClientProfile RequireOtherClient(ConformanceRun r, ClientProfile owner) =>
        new[] { r.Profile.DeviceShortLived }.Concat(r.Profile.Clients.Values)
            .FirstOrDefault(c => c is not null && c.ClientId != owner.ClientId && c.GrantTypes.Contains(GrantType))
        ?? throw new PrerequisiteException("the profile has no second client with the device grant (clients.deviceShortLived)");

    /// <summary>The device authorization request (RFC 8628 §3.1): client authentication (client_id for a public client) and scope.</summary>
    public static async Task<DeviceAuthorizationResponse> AuthorizeAsync(ConformanceRun r, ClientProfile client, string label)
    {
        var endpoint = await r.EndpointAsync("device_authorization_endpoint");
        var request = TokenPipeline.For(client).Add(new TokenScopeStep(string.IsNullOrWhiteSpace(client.Scope) ? null : client.Scope)).Build(endpoint);
        var exchange = await r.Http.SendAsync(request.Build(), $"{Purpose}{label}: device authorization request ({client.ClientId})");
        return new DeviceAuthorizationResponse(exchange, JsonBody.From(exchange));
    }

    /// <summary>A usable device authorization response, else the reason the scenario cannot go on.</summary>
    public static async Task<DeviceAuthorizationResponse> RequireAuthorizationAsync(ConformanceRun r, ClientProfile client, string label)
    {
        var a = await AuthorizeAsync(r, client, label);
        if (a.IsUsable) return a;
        var missing = new[] { ("device_code", a.DeviceCode), ("user_code", a.UserCode) }.Where(m => string.IsNullOrEmpty(m.Item2)).Select(m => m.Item1).ToList();
        var what = a.Exchange.IsSuccess && a.Error is null && missing.Count > 0 ? $"{a.Describe()} without {string.Join(" and ", missing)}" : a.Describe();
        throw new PrerequisiteException($"no usable device authorization response for {client.ClientId} ({what}; device.authorization-response judges it)");
    }

    /// <summary>The device access token request (RFC 8628 §3.4) of <paramref name="client"/>.</summary>
    public static TokenPipeline PollPipeline(ClientProfile client, string deviceCode) =>
        TokenPipeline.For(client).Add(new GrantTypeStep(GrantType)).Add(new DeviceCodeStep(deviceCode));

    /// <summary>
    /// The polling device of one device code: each poll waits until the interval since the previous one has passed (5 s more
    /// after a slow_down), except <see cref="PollNowAsync"/>, which a test uses on purpose.
    /// </summary>
    public sealed class Poller(ConformanceRun r, ClientProfile client, DeviceAuthorizationResponse authorization, string label)
    {
        private TimeSpan interval = authorization.PollInterval;
        public DateTimeOffset? LastPoll { get; private set; }
        public TimeSpan Interval => interval;
        public DeviceAuthorizationResponse Authorization => authorization;
        public DateTimeOffset ExpiresAt => authorization.ReceivedAt + TimeSpan.FromSeconds(authorization.ExpiresIn ?? 0);

        public async Task<TokenResponse> PollAsync(string what)
        {
            if (LastPoll is { } last && last + interval - DateTimeOffset.UtcNow is { } wait && wait > TimeSpan.Zero) await Task.Delay(wait);
            return await PollNowAsync(what);
        }

        public async Task<TokenResponse> PollNowAsync(string what, ClientProfile? asClient = null)
        {
            var pipeline = PollPipeline(client, authorization.DeviceCode!);
            if (asClient is not null)
                pipeline.Replace<ClientAuthenticationStep>(new ClientAuthenticationStep(asClient, ClientAuthenticationNames.Preferred(asClient)),
                    $"another device client ({asClient.ClientId})");
            var response = await r.TokenAsync(pipeline.Build(await r.EndpointAsync("token_endpoint")),
                $"{Purpose}{label}: {what} ({(asClient ?? client).ClientId})");
            if (asClient is null)
            {
                LastPoll = DateTimeOffset.UtcNow;
                if (response.Error == "slow_down") interval += TimeSpan.FromSeconds(5);
            }
            MutatedStep = pipeline.MutatedStep ?? MutatedStep;
            return response;
        }

        /// <summary>Polls (honouring the interval) while the answer is pending, until the device code's expiry.</summary>
        public async Task<TokenResponse> PollWhilePendingAsync(string what)
        {
            var answer = await PollAsync(what);
            while (DeviceChecks.IsPending(answer) && DateTimeOffset.UtcNow + interval < ExpiresAt)
                answer = await PollAsync(what + " (again)");
            return answer;
        }

        /// <summary>The step a poll with another client changed (evidence).</summary>
        public string? MutatedStep { get; private set; }
    }

    /// <summary>The user's part in a new browser session of its own; anything but the intended end is a missing prerequisite.</summary>
    public static async Task<DeviceVerificationOutcome> VerifyAsync(ConformanceRun r, DeviceAuthorizationResponse a, bool approve)
    {
        var verifier = DeviceVerifier.For(r.Driver, r.NavigationTimeout)
            ?? throw new PrerequisiteException("the profile's login driver describes no device user-code pages (loginPages.deviceVerification)");
        var uri = a.VerificationUri ?? throw new PrerequisiteException("the device authorization response has no verification_uri");
        // Without a deny button the pages offer no denial (e.g. glewlwyd: code, login, consent, done); driving them would approve.
        if (!approve && r.Driver is DeclarativeLoginDriver { Pages.DeviceVerification.Deny: null })
            throw new PrerequisiteException("the provider's verification pages offer no way to deny the device (loginPages.deviceVerification names no deny button)");
        await using var ua = await r.NewUserAgentAsync();
        var user = r.Profile.PrimaryUser;
        var outcome = await verifier.VerifyAsync(ua, uri, a.UserCode!, approve, (user.Username, user.Password));
        Reporting.CheckScope.RecordAttempt($"device verification ({(approve ? "approve" : "deny")})", outcome.Describe());
        var wanted = approve ? DeviceVerificationEnd.Approved : DeviceVerificationEnd.Denied;
        return outcome.End == wanted ? outcome
            : throw new PrerequisiteException($"the user's part on the verification page did not complete ({Redactor.Redact(outcome.Describe())})");
    }

    // ---- scenarios -----------------------------------------------------------------------------------------------------

    public sealed record PendingScenario(DeviceAuthorizationResponse Authorization, TokenResponse Poll);

    public static async Task<PendingScenario> PendingAsync(ConformanceRun r)
    {
        var client = RequireClient(r);
        var a = await RequireAuthorizationAsync(r, client, "pending");
        var poll = await new Poller(r, client, a, "pending").PollNowAsync("poll before the user acted");
        return new(a, poll);
    }

    public sealed record SlowDownScenario(TokenResponse Control, TokenResponse Fast, TimeSpan Gap, TimeSpan Interval);

    /// <summary>A poll, then at once the same poll again (sooner than the interval: the client's fault on purpose).</summary>
    public static async Task<SlowDownScenario> SlowDownAsync(ConformanceRun r)
    {
        var client = RequireClient(r);
        var a = await RequireAuthorizationAsync(r, client, "slow-down");
        var poller = new Poller(r, client, a, "slow-down");
        var control = await poller.PollNowAsync("poll");
        var first = poller.LastPoll!.Value;
        var fast = await poller.PollNowAsync("poll again at once, sooner than the interval");
        return new(control, fast, fast.Exchange.Started - first, a.PollInterval);
    }

    public sealed record ApprovedScenario(DeviceAuthorizationResponse Authorization, TokenResponse Control, TokenResponse First, TokenResponse Second,
        DecodedJwt IdToken, bool OpenId);

    /// <summary>Approve in the browser, poll until the tokens come, then send the very same request again.</summary>
    public static Task<ApprovedScenario> ApprovedAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.DeviceApproved, async () =>
    {
        var client = RequireClient(r);
        var a = await RequireAuthorizationAsync(r, client, "approved");
        var poller = new Poller(r, client, a, "approved");
        var control = await poller.PollNowAsync("poll before the user acted");
        await VerifyAsync(r, a, approve: true);
        var first = await poller.PollWhilePendingAsync("poll after the user approved");
        var second = first.IsSuccess ? await poller.PollNowAsync("the same request again after tokens were issued") : first;
        var openid = client.Scope.Split(' ').Contains("openid");
        return new(a, control, first, second, DecodedJwt.Decode(first.IdToken), openid);
    });

    public sealed record BoundScenario(TokenResponse OtherClient, TokenResponse Owner, string? MutatedStep);

    /// <summary>Approve in the browser, then another device client presents the device code, then its owner.</summary>
    public static async Task<BoundScenario> BoundToClientAsync(ConformanceRun r)
    {
        var client = RequireClient(r);
        var other = RequireOtherClient(r, client);
        var a = await RequireAuthorizationAsync(r, client, "bound to client");
        var poller = new Poller(r, client, a, "bound to client");
        await VerifyAsync(r, a, approve: true);
        var otherPoll = await poller.PollNowAsync("the approved device code presented by another client", other);
        var owner = await poller.PollWhilePendingAsync("the owner's poll after the other client's");
        return new(otherPoll, owner, poller.MutatedStep);
    }

    public sealed record DeniedScenario(TokenResponse Control, TokenResponse AfterDenial);

    public static async Task<DeniedScenario> DeniedAsync(ConformanceRun r)
    {
        var client = RequireClient(r);
        var a = await RequireAuthorizationAsync(r, client, "denied");
        var poller = new Poller(r, client, a, "denied");
        var control = await poller.PollNowAsync("poll before the user acted");
        await VerifyAsync(r, a, approve: false);
        var after = await poller.PollAsync("poll after the user denied");
        return new(control, after);
    }

    public sealed record ExpiredScenario(TokenResponse Control, TokenResponse AfterExpiry, TimeSpan PastExpiry);

    /// <summary>The longest device-code lifetime the expiry case waits out.</summary>
    public static readonly TimeSpan LongestWait = TimeSpan.FromSeconds(90);

    /// <summary>
    /// The short-lived device client (<c>clients.deviceShortLived</c>): a poll (the control), then the first poll the interval
    /// allows once expires_in has passed. The wait is the provider's own expires_in, never a guess.
    /// </summary>
    public static async Task<ExpiredScenario> ExpiredAsync(ConformanceRun r)
    {
        RequireClient(r);
        var client = r.Profile.DeviceShortLived
            ?? throw new PrerequisiteException("the profile has no short-lived device client (clients.deviceShortLived with deviceCodeSeconds)");
        var a = await RequireAuthorizationAsync(r, client, "expired");
        if (a.ExpiresIn is not { } lifetime || TimeSpan.FromSeconds(lifetime) > LongestWait)
            throw new PrerequisiteException($"the short-lived device client's device code lives {a.ExpiresIn?.ToString() ?? "an unknown number of"} s (expires_in); the expiry case waits {LongestWait.TotalSeconds:0} s at most");
        var poller = new Poller(r, client, a, "expired");
        var control = await poller.PollNowAsync("poll before expiry");
        var wait = poller.ExpiresAt + TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        var turn = poller.LastPoll!.Value + poller.Interval - DateTimeOffset.UtcNow;
        if (turn > wait) wait = turn;
        if (wait > TimeSpan.Zero) await Task.Delay(wait);
        var after = await poller.PollNowAsync("poll after expires_in passed");
        return new(control, after, after.Exchange.Started - poller.ExpiresAt);
    }
}
