using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>UserInfo GET with the reference login's live access token, and the login that token came from.</summary>
public sealed record UserInfoAnswer(CodeFlowResult Flow, HttpExchange Exchange);

/// <summary>The login of one profile user in its own user agent, and its UserInfo answer (null: no UserInfo or no access token).</summary>
public sealed record UserLogin(TestUser User, CodeFlowResult Flow, HttpExchange? UserInfo);

/// <summary>The UserInfo artifacts of the UserInfo and claims-per-user suites (OIDC Core 1.0 §5.3).</summary>
public static class UserInfoFlows
{
    public static Task<UserInfoAnswer> GetWithReferenceTokenAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.UserInfoGet, async () =>
    {
        if (!r.Profile.Features.Userinfo) throw new PrerequisiteException("the provider does not offer UserInfo (profile features.userinfo)");
        var flow = await CodeFlow.ReferenceWithLiveAccessTokenAsync(r);
        var token = flow.RequireSuccessfulToken();
        return new UserInfoAnswer(flow, await r.UserInfoGetAsync(await r.EndpointAsync("userinfo_endpoint"), token.AccessToken!));
    });

    /// <summary>One login per user in its own user agent, then a UserInfo GET with its access token.</summary>
    public static Task<UserLogin> UserLoginAsync(ConformanceRun r, int position) => r.SharedAsync(SharedArtifacts.UserLogin(position), async () =>
    {
        if (position > r.Profile.Users.Count)
            throw new PrerequisiteException($"the profile has {r.Profile.Users.Count} user(s): no user {position} to compare claims with", $"user {position}");
        var user = r.Profile.Users[position - 1];
        // Where discovery advertises the claims parameter (OIDC Core §5.5), the standard claims are also requested in the
        // ID token, so that its values can be compared too (a provider that conforms its ID token to the minimum
        // otherwise leaves nothing to compare); without it the ID token carries what the provider puts there by default.
        var claimsParameter = (await r.DiscoveryAsync()).Body.Get("claims_parameter_supported")?.ValueKind == System.Text.Json.JsonValueKind.True;
        var idTokenClaims = "{\"id_token\":{" + string.Join(",", StandardClaims.Types.Keys.Where(c => c != "sub").Select(c => $"\"{c}\":null")) + "}}";
        var flow = await CodeFlow.RunAsync(r, r.Profile.Confidential, user, userAgent: await r.NewUserAgentAsync(),
            customize: claimsParameter ? q => q.Set("claims", idTokenClaims) : null);
        var token = flow.RequireSuccessfulToken();
        HttpExchange? userinfo = null;
        if (r.Profile.Features.Userinfo && token.AccessToken is { } at)
            userinfo = await r.UserInfoGetAsync(await r.EndpointAsync("userinfo_endpoint"), at);
        return new UserLogin(user, flow, userinfo);
    });
}
