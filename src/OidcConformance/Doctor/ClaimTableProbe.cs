using System.Net.Http.Headers;
using System.Text.Json;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;
using OidcConformance.Tokens;

namespace OidcConformance.Doctor;

/// <summary>
/// Redeems the login's code and compares the user's claim table (<c>users[i].claims</c>, scope → claim → value) with what the
/// provider returned for that login: UserInfo first, the ID token where UserInfo lacks a claim. A scope the provider did not
/// grant is not compared (said as a note).
/// </summary>
public static class ClaimTableProbe
{
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(ConformanceRun run, int userIndex, string role, LoginProbeResult login)
    {
        var client = run.Profile.Clients[role];
        var tokenEndpoint = await run.EndpointAsync("token_endpoint");
        var tokenRequest = TokenRequest.AuthorizationCode(tokenEndpoint, client, login.Code!, login.Request.RedirectUri!, login.Request.CodeVerifier);
        var token = await run.TokenAsync(tokenRequest, "doctor: code exchange");
        if (!token.IsSuccess)
            return [DoctorFinding.Problem("claims", $"$.clients.{role}",
                $"the code of user '{run.Profile.Users[userIndex].Username}' could not be redeemed: {token.Describe()}",
                $"check $.clients.{role}.clientSecret and tokenEndpointAuthMethods (client-auth step above) and that the provider issues tokens to this client")];
        var idToken = DecodedJwt.Decode(token.IdToken);
        JsonElement? userinfo = null;
        var findings = new List<DoctorFinding>();
        if ((await run.DiscoveryAsync()).UserinfoEndpoint is { } endpoint && run.Profile.Features.Userinfo)
        {
            var exchange = await run.Http.GetAsync(endpoint, "doctor: userinfo", new AuthenticationHeaderValue("Bearer", token.AccessToken));
            var body = JsonBody.From(exchange);
            if (exchange.IsSuccess && body.IsObject) userinfo = body.Object;
            else findings.Add(DoctorFinding.Note("claims", "$.features.userinfo",
                $"UserInfo did not answer a JSON object ({exchange.Summary}); the table is compared with the ID token only"));
        }
        var granted = (token.Scope ?? login.Request.Get("scope") ?? "").Split(' ', StringSplitOptions.RemoveEmptyEntries).ToHashSet();
        findings.AddRange(Compare(userIndex, run.Profile.Users[userIndex], granted, idToken.IsValid ? idToken.Payload : null, userinfo));
        return findings;
    }

    /// <summary>Pure: each claim of the table against the returned value (UserInfo, else ID token); one finding per claim that differs.</summary>
    public static IReadOnlyList<DoctorFinding> Compare(int userIndex, TestUser user, IReadOnlySet<string> grantedScopes,
        JsonElement? idToken, JsonElement? userinfo)
    {
        const string step = "claims";
        var findings = new List<DoctorFinding>();
        var compared = 0;
        if (user.Subject is { } subject && Returned("sub", idToken, userinfo) is { } sub && sub.ValueKind == JsonValueKind.String && sub.GetString() != subject)
            findings.Add(DoctorFinding.Problem(step, $"$.users[{userIndex}].subject",
                $"user '{user.Username}': expected sub '{subject}', the provider returned '{sub.GetString()}'",
                $"set $.users[{userIndex}].subject to \"{sub.GetString()}\" (or null when the provider assigns an opaque sub)"));
        foreach (var (scope, claims) in user.Claims)
        {
            if (!grantedScopes.Contains(scope))
            {
                findings.Add(DoctorFinding.Note(step, $"$.users[{userIndex}].claims.{scope}",
                    $"scope '{scope}' was not granted to this login, so its claims were not compared"));
                continue;
            }
            foreach (var (claim, expected) in claims)
            {
                var key = $"$.users[{userIndex}].claims.{scope}.{claim}";
                compared++;
                // A null in the table says the user does NOT have this attribute (docs/profile-format.md, users[]): absence is
                // the match, and a returned value the mistake.
                var lacks = expected.ValueKind == JsonValueKind.Null;
                var returned = Returned(claim, idToken, userinfo);
                if (lacks)
                {
                    if (returned is { ValueKind: not JsonValueKind.Null } value)
                        findings.Add(DoctorFinding.Problem(step, key,
                            $"user '{user.Username}': the table says the user has no {claim} (null), the provider returned {JsonCompare.Short(value)}",
                            $"set {key} to {value.GetRawText()} if the user has this attribute, or remove it from the user in the provider"));
                }
                else if (returned is not { } actual)
                    findings.Add(DoctorFinding.Problem(step, key,
                        $"user '{user.Username}': the table expects {claim} = {JsonCompare.Short(expected)} under scope '{scope}', the provider returned no '{claim}' (UserInfo nor ID token)",
                        $"remove '{claim}' from {Parent(key)} if the provider does not release it for '{scope}', or give the user this attribute in the provider"));
                else if (!JsonCompare.Equal(expected, actual))
                    findings.Add(DoctorFinding.Problem(step, key,
                        $"user '{user.Username}': the table expects {claim} = {JsonCompare.Short(expected)} ({JsonCompare.TypeName(expected)}), the provider returned {JsonCompare.Short(actual)} ({JsonCompare.TypeName(actual)})",
                        $"set {key} to {actual.GetRawText()} if that is the provider's documented value, or correct the user's attribute in the provider"));
            }
        }
        if (!findings.Any(f => f.Status == DoctorStatus.Problem))
            findings.Insert(0, DoctorFinding.Ok(step, $"$.users[{userIndex}].claims",
                $"user '{user.Username}': all {compared} claim(s) of the table match UserInfo / the ID token"));
        return findings;
    }

    private static JsonElement? Returned(string claim, JsonElement? idToken, JsonElement? userinfo)
    {
        if (userinfo is { ValueKind: JsonValueKind.Object } u && u.TryGetProperty(claim, out var fromUserinfo)) return fromUserinfo;
        if (idToken is { ValueKind: JsonValueKind.Object } t && t.TryGetProperty(claim, out var fromIdToken)) return fromIdToken;
        return null;
    }

    private static string Parent(string key) => key[..key.LastIndexOf('.')];
}
