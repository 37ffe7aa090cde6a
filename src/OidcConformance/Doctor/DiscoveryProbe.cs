using OidcConformance.Run;

namespace OidcConformance.Doctor;

/// <summary>The discovery document answers JSON, its issuer is the profile's, and it names the endpoints the login needs.</summary>
public static class DiscoveryProbe
{
    public static async Task<IReadOnlyList<DoctorFinding>> RunAsync(ConformanceRun run)
    {
        const string step = "discovery";
        var key = run.Profile.DiscoveryUrl is null ? "$.issuer" : "$.discoveryUrl";
        var discovery = await run.DiscoveryAsync();
        var exchange = discovery.Exchange;
        if (exchange.TransportError is { } transport)
            return [DoctorFinding.Problem(step, key, $"GET {run.DiscoveryUrl} failed: {transport}",
                $"correct {key}, or start the provider: this machine must reach {run.DiscoveryUrl}")];
        if (!exchange.IsSuccess || !discovery.Body.IsObject)
            return [DoctorFinding.Problem(step, key,
                $"GET {run.DiscoveryUrl} answered {exchange.Summary}, not a JSON discovery document ({discovery.Body.Problem ?? "no JSON object"})",
                $"correct {key}: the discovery document is at <issuer>/.well-known/openid-configuration unless discoveryUrl names another URL")];
        var findings = new List<DoctorFinding>();
        var issuer = discovery.Issuer;
        if (issuer is null)
            findings.Add(DoctorFinding.Problem(step, key, $"the document at {run.DiscoveryUrl} has no issuer", $"correct {key}: it does not point at an OpenID Provider's discovery document"));
        else if (issuer.TrimEnd('/') != run.Issuer)
            findings.Add(DoctorFinding.Problem(step, "$.issuer",
                $"discovery says issuer '{issuer}', the profile expects '{run.Issuer}'; every ID token would fail its iss check",
                $"set $.issuer to \"{issuer}\" (exactly as the provider publishes it)"));
        foreach (var field in new[] { "authorization_endpoint", "token_endpoint" })
            if (discovery.String(field) is null)
                findings.Add(DoctorFinding.Problem(step, key, $"the discovery document names no {field}", $"check that {key} points at the provider's OpenID discovery document"));
        if (findings.Count == 0)
            findings.Add(DoctorFinding.Ok(step, key, $"{run.DiscoveryUrl} answers JSON with issuer '{issuer}'"));
        return findings;
    }
}
