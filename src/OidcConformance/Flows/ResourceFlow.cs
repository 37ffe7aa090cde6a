using OidcConformance.Checks;
using OidcConformance.Http;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>resource (RFC 8707 §2): one resource indicator in a token request.</summary>
public sealed class ResourceStep(string resource) : RequestStep<TokenRequest>
{
    public override string Part => "resource";
    public override void Apply(TokenRequest request) => request.Set("resource", resource);
}

/// <summary>
/// Resource indicators (RFC 8707) with the client credentials grant of the profile client that names a resource
/// (<c>clients.*.resource</c>): the token request with that resource, the audience it got (the JWT's aud, else introspection),
/// and the same request with a malformed resource in its place.
/// </summary>
public static class ResourceFlow
{
    private const string Purpose = "resource: ";

    public static ClientProfile RequireClient(ConformanceRun r)
    {
        if (!r.Profile.Features.ResourceIndicators)
            throw new PrerequisiteException("the provider does not offer resource indicators (profile features.resourceIndicators)");
        if (!r.Profile.Features.ClientCredentials)
            throw new PrerequisiteException("the resource checks use the client credentials grant (profile features.clientCredentials)");
        return r.Profile.Clients.Values.FirstOrDefault(c => c.Resource is not null && !c.IsPublic && c.GrantTypes.Contains("client_credentials"))
            ?? throw new PrerequisiteException("no profile client with the client credentials grant names a resource (clients.*.resource)");
    }

    private static TokenPipeline Pipeline(ClientProfile client) =>
        TokenPipeline.ClientCredentials(client, string.IsNullOrWhiteSpace(client.Scope) ? null : client.Scope).Add(new ResourceStep(client.Resource!));

    public sealed record Issued(TokenResponse Token, JsonBody? Introspection, string Resource);

    /// <summary>The token for the profile's resource, and (for an opaque token) its introspection.</summary>
    public static Task<Issued> IssuedAsync(ConformanceRun r) => r.SharedAsync(SharedArtifacts.ResourceToken, async () =>
    {
        var client = RequireClient(r);
        var token = await r.TokenAsync(Pipeline(client).Build(await r.EndpointAsync("token_endpoint")), Purpose + $"client_credentials with resource {client.Resource}");
        JsonBody? introspection = null;
        var isJwt = token.AccessToken?.Count(ch => ch == '.') == 2;
        if (token.IsSuccess && !isJwt && r.Profile.Features.Introspection && (await r.DiscoveryAsync()).IntrospectionEndpoint is { } endpoint)
        {
            var exchange = await r.Http.SendAsync(TokenRequest.For(endpoint, client).Set("token", token.AccessToken).Build(), Purpose + "introspect the token issued for the resource");
            introspection = JsonBody.From(exchange);
        }
        return new Issued(token, introspection, client.Resource!);
    });

    /// <summary>The malformed resources of <c>resource.invalid-target</c>, by case name.</summary>
    public static string Malformed(string @case, string resource) => @case switch
    {
        "relative" => new Uri(resource).AbsolutePath,
        "fragment" => resource + "#section",
        _ => throw new ArgumentOutOfRangeException(nameof(@case)),
    };

    public sealed record MalformedAttempt(TokenResponse Control, TokenResponse Malformed, string Value, string? MutatedStep);

    /// <summary>The normal request (the control), then the same request with <see cref="ResourceStep"/> replaced by a malformed resource.</summary>
    public static async Task<MalformedAttempt> MalformedAsync(ConformanceRun r, string @case)
    {
        var client = RequireClient(r);
        var endpoint = await r.EndpointAsync("token_endpoint");
        var control = await r.TokenAsync(Pipeline(client).Build(endpoint), Purpose + $"control: client_credentials with resource {client.Resource}");
        var value = Malformed(@case, client.Resource!);
        var pipeline = Pipeline(client).Replace<ResourceStep>(new ResourceStep(value), $"a {@case} resource ({value})");
        var malformed = await r.TokenAsync(pipeline.Build(endpoint), Purpose + $"client_credentials with a {@case} resource");
        return new(control, malformed, value, pipeline.MutatedStep);
    }
}
