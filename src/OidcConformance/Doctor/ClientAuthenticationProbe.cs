using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Doctor;

/// <summary>
/// Does each client of the profile authenticate at the token endpoint, with each method it lists? A client with the
/// client_credentials grant asks for a token; any other sends a deliberately invalid code, whose answer must be
/// <c>invalid_grant</c> (RFC 6749 §5.2: the client authenticated, the grant was bad). <c>invalid_client</c> means the id,
/// secret or method is wrong: the provider never looked at the grant.
/// </summary>
public static class ClientAuthenticationProbe
{
    /// <summary>A code no provider issued: the request can only fail on the grant, after client authentication.</summary>
    public const string InvalidCode = "oidc-conformance-doctor-invalid-code";

    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(ConformanceRun run, string tokenEndpoint)
    {
        var findings = new List<DoctorFinding>();
        foreach (var (role, client) in run.Profile.Clients)
            foreach (var methodName in client.TokenEndpointAuthMethods)
            {
                var method = ClientAuthenticationNames.Parse(methodName);
                var clientCredentials = client.GrantTypes.Contains("client_credentials") && method != ClientAuthentication.None;
                var request = clientCredentials
                    ? TokenRequest.For(tokenEndpoint, client, method).Set("grant_type", "client_credentials").Set("scope", client.Scope)
                    : TokenRequest.AuthorizationCode(tokenEndpoint, client, InvalidCode, run.RedirectUri(client), client.PkceRequired ? Pkce.NewVerifier() : null, method);
                var response = await run.TokenAsync(request, $"doctor: {role} authenticates ({methodName})");
                findings.Add(Judge(role, client, methodName, clientCredentials, response));
            }
        return findings;
    }

    /// <summary>Pure: what a token response says about the client's authentication (see the class comment).</summary>
    public static DoctorFinding Judge(string role, ClientProfile client, string method, bool clientCredentials, TokenResponse response)
    {
        const string step = "client-auth";
        var key = $"$.clients.{role}";
        var grant = clientCredentials ? "client_credentials grant" : "invalid authorization code";
        if (response.Exchange.TransportError is { } transport)
            return DoctorFinding.Problem(step, key, $"the token endpoint could not be reached: {transport}",
                "make the provider reachable from this machine, or correct the issuer / discoveryUrl so that discovery names a reachable token_endpoint");
        if (response.IsSuccess)
            return DoctorFinding.Ok(step, key, $"'{client.ClientId}' authenticated with {method} (client_credentials token issued)");
        switch (response.Error)
        {
            case "invalid_client":
                return DoctorFinding.Problem(step, method == "none" ? $"{key}.clientId" : $"{key}.clientSecret",
                    $"'{client.ClientId}' with {method} ({grant}) was answered invalid_client (HTTP {response.Exchange.StatusCode}): the provider does not accept this client's credentials",
                    method == "none"
                        ? $"check {key}.clientId and that the provider registers it as a public client (token_endpoint_auth_method none), or change {key}.tokenEndpointAuthMethods"
                        : $"copy the client's secret from the provider's client registration into {key}.clientSecret, or remove '{method}' from {key}.tokenEndpointAuthMethods if the provider registers another method");
            case "invalid_grant" when !clientCredentials:
                return DoctorFinding.Ok(step, key, $"'{client.ClientId}' authenticated with {method} (invalid code answered invalid_grant)");
            case "unauthorized_client":
                return DoctorFinding.Problem(step, $"{key}.grantTypes",
                    $"'{client.ClientId}' with {method} authenticated, but the {grant} was answered unauthorized_client: the provider does not allow this client that grant",
                    $"make {key}.grantTypes list only the grants the provider registers for '{client.ClientId}' (or allow the grant in the provider)");
            case { } other when clientCredentials:
                return DoctorFinding.Ok(step, key,
                    $"'{client.ClientId}' authenticated with {method}: the client_credentials request was answered {other} (not invalid_client){Described(response)}");
            case { } other:
                return DoctorFinding.Note(step, key,
                    $"'{client.ClientId}' with {method}: an invalid code was answered {other}, not invalid_grant (nor invalid_client){Described(response)}",
                    $"likely authenticated; if a conformance check fails on this client, check {key}.clientSecret and {key}.tokenEndpointAuthMethods");
            default:
                return DoctorFinding.Problem(step, key,
                    $"'{client.ClientId}' with {method}: the token endpoint answered no OAuth error ({response.Describe()})",
                    "check that discovery's token_endpoint is the provider's token endpoint (issuer / discoveryUrl)");
        }
    }

    private static string Described(TokenResponse response) =>
        response.Body.String("error_description") is { Length: > 0 } d ? $" ('{d}')" : "";
}
