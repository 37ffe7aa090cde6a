using System.Text.Json;
using OidcConformance.Browser;
using OidcConformance.Callback;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;

namespace OidcConformance.Tests.Proofs;

public sealed class UserInfoLogoutProofs : IFailureProofs, IPassProofs
{
    private static string RealUserInfo => Recorded.UserInfo.ResponseBody;

    private static IReadOnlyDictionary<string, JsonElement> Alice(string scope) =>
        ProfileLoader.Load(Path.Combine(Run.RunSettings.FindRepositoryRoot(AppContext.BaseDirectory), "fixtures/providers/node-oidc-provider/profile.json"))
            .PrimaryUser.Claims[scope];

    private static IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> AliceTable =>
        ProfileLoader.Load(Path.Combine(Run.RunSettings.FindRepositoryRoot(AppContext.BaseDirectory), "fixtures/providers/node-oidc-provider/profile.json"))
            .PrimaryUser.Claims;

    private static JsonBody Body(string json) => JsonBody.Parse(json);

    private static AuthorizationOutcome LogoutRedirect(string path, params (string, string)[] query) =>
        new(AuthorizationEnd.Redirected, path)
        {
            Hit = new CallbackHit
            {
                Id = "h1", Method = "GET", Path = path, Host = "127.0.0.1:5555", Received = DateTimeOffset.UtcNow,
                Query = query.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList(),
            },
        };

    private static AuthorizationOutcome AuthRedirect(params (string, string)[] query) =>
        new(AuthorizationEnd.Redirected, "/callback")
        {
            Response = new AuthorizationResponse(ResponseLocation.Query, query.Select(p => new KeyValuePair<string, string>(p.Item1, p.Item2)).ToList(),
                new Uri("http://127.0.0.1:5555/callback")),
        };

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(UserInfoChecks.GetBearer, "Casdoor-style 200 envelope is fine, but 401 is not", () =>
            UserInfoChecks.EvaluateGetBearer(Make.Exchange(401, "{\"error\":\"invalid_token\"}")), "expected 200");
        yield return new(UserInfoChecks.GetBearer, "HTML login page", () =>
            UserInfoChecks.EvaluateGetBearer(Make.Exchange(200, "<html><title>Sign in</title></html>", "text/html")), "HTML instead of JSON");
        yield return new(UserInfoChecks.GetBearer, "no content type", () =>
            UserInfoChecks.EvaluateGetBearer(Make.Exchange(200, RealUserInfo, "")), "no Content-Type");
        yield return new(UserInfoChecks.SubMatches, "sub differs", () =>
            UserInfoChecks.EvaluateSubMatches(Body(RealUserInfo), "bob"), "differs");
        yield return new(UserInfoChecks.SubMatches, "sub wrapped in data (Casdoor #443)", () =>
            UserInfoChecks.EvaluateSubMatches(Body("{\"status\":\"ok\",\"data\":" + RealUserInfo + "}"), "alice"), "missing");
        yield return new(UserInfoChecks.ScopeClaims, "email renamed", () =>
            UserInfoChecks.EvaluateScopeClaims(Body(RealUserInfo.Replace("\"email\":", "\"mail\":")), "email", AliceTable, true), "email missing");
        yield return new(UserInfoChecks.ScopeClaims, "email_verified as string", () =>
            UserInfoChecks.EvaluateScopeClaims(Body(Make.Edit(RealUserInfo, o => o["email_verified"] = "true")), "email", AliceTable, true), "defines a boolean");
        yield return new(UserInfoChecks.ScopeClaims, "address as a string (Casdoor Location)", () =>
            UserInfoChecks.EvaluateScopeClaims(Body(Make.Edit(RealUserInfo, o => o["address"] = "Springfield")), "address", AliceTable, true), "Address Claim as a JSON object");
        yield return new(UserInfoChecks.ClaimMappingAsDocumented, "wrong name value", () =>
            UserInfoChecks.EvaluateClaimMapping(Body(Make.Edit(RealUserInfo, o => o["name"] = "Bob")), "profile", Alice("profile"), true), "name is");
        yield return new(UserInfoChecks.ClaimMappingAsDocumented, "email_verified as string", () =>
            UserInfoChecks.EvaluateClaimMapping(Body(Make.Edit(RealUserInfo, o => o["email_verified"] = "true")), "email", Alice("email"), true), "expected boolean");

        yield return new(LogoutChecks.EndpointAdvertised, "offered but not advertised", () =>
            LogoutChecks.EvaluateEndpointAdvertised(Make.Discovery(Make.Edit(Recorded.DiscoveryJson, o => o.Remove("end_session_endpoint"))),
                new FeatureSet { RpInitiatedLogout = true }), "not advertised");
        yield return new(LogoutChecks.RedirectWithState, "state dropped", () =>
            LogoutChecks.EvaluateRedirectWithState(LogoutRedirect("/logout-callback"), "http://127.0.0.1:5555/logout-callback", "st"), "without state");
        yield return new(LogoutChecks.RedirectWithState, "no redirect, success page", () =>
            LogoutChecks.EvaluateRedirectWithState(new AuthorizationOutcome(AuthorizationEnd.ProviderError, "logged out"), "http://127.0.0.1:5555/logout-callback", "st"), "error page");
        yield return new(LogoutChecks.RedirectWithState, "redirect to login callback", () =>
            LogoutChecks.EvaluateRedirectWithState(LogoutRedirect("/callback", ("state", "st")), "http://127.0.0.1:5555/logout-callback", "st"), "not to the post_logout_redirect_uri");
        yield return new(LogoutChecks.SessionEnded, "code issued after logout", () =>
            LogoutChecks.EvaluateSessionEnded(AuthRedirect(("code", "c"), ("state", "s"))), "session survived");
        yield return new(LogoutChecks.SessionEnded, "consent_required after logout", () =>
            LogoutChecks.EvaluateSessionEnded(AuthRedirect(("error", "consent_required"))), "session survived");

        yield return new(EndToEndChecks.SeedArticleFlow, "nonce step failed", () => EndToEndChecks.EvaluateJourney(
        [
            ("discovery", DiscoveryChecks.Json.Pass()), ("nonce", IdTokenChecks.Nonce.Violation("nonce is missing")),
        ]), "step 'nonce' failed");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        foreach (var scope in new[] { "profile", "email", "address", "phone" })
        {
            yield return new(UserInfoChecks.ScopeClaims, $"recorded userinfo, scope {scope}", () =>
                UserInfoChecks.EvaluateScopeClaims(Body(RealUserInfo), scope, AliceTable, true));
            yield return new(UserInfoChecks.ClaimMappingAsDocumented, $"recorded userinfo, scope {scope}", () =>
                UserInfoChecks.EvaluateClaimMapping(Body(RealUserInfo), scope, Alice(scope), true));
        }
        yield return new(UserInfoChecks.GetBearer, "recorded", () => UserInfoChecks.EvaluateGetBearer(Recorded.UserInfo));
        yield return new(UserInfoChecks.SubMatches, "recorded", () => UserInfoChecks.EvaluateSubMatches(Body(RealUserInfo), "alice"));
        yield return new(LogoutChecks.RedirectWithState, "redirect with state", () =>
            LogoutChecks.EvaluateRedirectWithState(LogoutRedirect("/logout-callback", ("state", "st")), "http://127.0.0.1:5555/logout-callback", "st"));
        yield return new(LogoutChecks.SessionEnded, "login_required", () => LogoutChecks.EvaluateSessionEnded(AuthRedirect(("error", "login_required"))));
    }
}
