using System.Text.Json;

namespace OidcConformance.Profiles;

/// <summary>Everything the suite needs to know about one provider; loaded and validated by <see cref="ProfileLoader"/>.</summary>
public sealed record ProviderProfile
{
    public required string SourceFile { get; init; }
    public required string Name { get; init; }
    public required string Version { get; init; }
    public string? Description { get; init; }
    /// <summary>Issuer template; may contain <c>{start.issuer}</c> until the embedded provider reported it.</summary>
    public required string Issuer { get; init; }
    public string? DiscoveryUrl { get; init; }
    public IReadOnlyList<ApplicationDiscovery> ApplicationDiscovery { get; init; } = [];
    public required StartSettings Start { get; init; }
    public required CallbackSettings Callback { get; init; }
    public string? HostResolverRules { get; init; }
    /// <summary>A C# login driver's name (<c>[LoginDriver("name")]</c>), or <c>declarative</c> for <see cref="LoginPages"/>.</summary>
    public required string LoginDriver { get; init; }
    /// <summary>The login pages as data, for the declarative driver (profile <c>loginPages</c>).</summary>
    public LoginPages? LoginPages { get; init; }
    public required IReadOnlyDictionary<string, ClientProfile> Clients { get; init; }
    public required IReadOnlyList<TestUser> Users { get; init; }
    public required FeatureSet Features { get; init; }
    public Lifetimes Lifetimes { get; init; } = new();
    public Timeouts Timeouts { get; init; } = new();
    public IReadOnlyList<KnownDeviation> Deviations { get; init; } = [];

    public ClientProfile Confidential => Clients["confidential"];
    public ClientProfile? SecondConfidential => Clients.GetValueOrDefault("secondConfidential");
    public ClientProfile? Public => Clients.GetValueOrDefault("public");
    public ClientProfile? ClientCredentials => Clients.GetValueOrDefault("clientCredentials");
    /// <summary>A confidential client whose access tokens expire within seconds (<c>clients.shortLived</c>), for the expired-token cases.</summary>
    public ClientProfile? ShortLived => Clients.GetValueOrDefault("shortLived");
    /// <summary>A client registered for private_key_jwt (<c>clients.privateKeyJwt</c>), for the JWT client authentication checks.</summary>
    public ClientProfile? PrivateKeyJwt => Clients.GetValueOrDefault("privateKeyJwt");
    /// <summary>A client registered for client_secret_jwt (<c>clients.clientSecretJwt</c>).</summary>
    public ClientProfile? ClientSecretJwt => Clients.GetValueOrDefault("clientSecretJwt");
    /// <summary>A client for the JWT bearer grant (<c>clients.jwtBearer</c>): its key signs assertions about users[0].</summary>
    public ClientProfile? JwtBearer => Clients.GetValueOrDefault("jwtBearer");
    // device
    /// <summary>The client of the device authorization grant (RFC 8628; <c>clients.device</c>).</summary>
    public ClientProfile? Device => Clients.GetValueOrDefault("device");
    /// <summary>A second device client whose device codes expire within seconds (<c>clients.deviceShortLived</c>, <c>deviceCodeSeconds</c>).</summary>
    public ClientProfile? DeviceShortLived => Clients.GetValueOrDefault("deviceShortLived");
    // backchannel
    /// <summary>A confidential code-flow client registered with a backchannel_logout_uri (<c>clients.backchannel</c>).</summary>
    public ClientProfile? Backchannel => Clients.GetValueOrDefault("backchannel");
    public TestUser PrimaryUser => Users[0];
    public string ProfileDirectory => Path.GetDirectoryName(SourceFile)!;

    /// <summary>Every secret value the profile holds, so that output can be redacted.</summary>
    public IEnumerable<string> Secrets() =>
        Clients.Values.Select(c => c.ClientSecret).Concat(Users.Select(u => (string?)u.Password))
            .Where(s => !string.IsNullOrEmpty(s))!;
}

public sealed record ApplicationDiscovery(string Name, string Url, string Client);

public sealed record StartSettings
{
    public required bool Embedded { get; init; }
    public string WorkingDirectory { get; init; } = ".";
    public IReadOnlyList<string>? InstallCommand { get; init; }
    public string? InstallSkipWhenExists { get; init; }
    public IReadOnlyList<string> Command { get; init; } = [];
    public IReadOnlyDictionary<string, string> Environment { get; init; } = new Dictionary<string, string>();
    public string? ReadyPattern { get; init; }
    public int StartupTimeoutSeconds { get; init; } = 60;
}

/// <param name="BackchannelHost">
/// profile <c>callback.backchannelHost</c>: the host name the provider uses to reach the suite's back-channel receiver when
/// it cannot reach the listener's loopback address (a provider in a container: <c>host.docker.internal</c>). Set, it is the
/// host of <c>{callback.backchannelLogoutUri}</c> and the listener also accepts connections from other addresses, for
/// back-channel logout POSTs only (<see cref="Callback.CallbackListener"/>). Null (the default): loopback only, as before.
/// </param>
public sealed record CallbackSettings(string Host, int Port, string Path, string PostLogoutPath, string? BackchannelHost = null);

public sealed record ClientProfile
{
    public required string Role { get; init; }
    public required string ClientId { get; init; }
    public string? ClientSecret { get; init; }
    public required IReadOnlyList<string> TokenEndpointAuthMethods { get; init; }
    public required string Scope { get; init; }
    public IReadOnlyList<string> GrantTypes { get; init; } = [];
    public IReadOnlyList<string> ResponseTypes { get; init; } = [];
    public bool PkceRequired { get; init; }
    public string? RedirectUri { get; init; }
    public string? PostLogoutRedirectUri { get; init; }
    /// <summary>This client's access-token lifetime in seconds when it differs from the profile's <c>lifetimes.accessTokenSeconds</c>.</summary>
    public int? AccessTokenSeconds { get; init; }
    /// <summary>
    /// OpenID Connect Dynamic Client Registration 1.0 §2 <c>application_type</c> as the client is registered at the provider:
    /// "web" (the default there) or "native". It is stated, never inferred from how the suite runs: only a native client's
    /// loopback IP redirect URI may change its port (RFC 8252 §7.3).
    /// </summary>
    public string ApplicationType { get; init; } = "web";
    /// <summary>The browser origin (scheme://host[:port]) of this client's single-page app as registered with the provider
    /// (profile <c>webOrigin</c>, placeholders allowed); the CORS checks send it as Origin. Declared, never inferred.</summary>
    public string? WebOrigin { get; init; }
    // device
    /// <summary>This client's device-code lifetime in seconds (RFC 8628 §3.2 expires_in) when it differs from <c>lifetimes.deviceCodeSeconds</c>.</summary>
    public int? DeviceCodeSeconds { get; init; }
    // resource
    /// <summary>The resource indicator (RFC 8707 §2, an absolute URI) this client asks tokens for; the provider serves it.</summary>
    public string? Resource { get; init; }

    /// <summary>The PEM private key file (absolute) of a private_key_jwt client (profile <c>privateKeyFile</c>).</summary>
    public string? PrivateKeyFile { get; init; }
    /// <summary>The key of <see cref="PrivateKeyFile"/>, read by the loader: what the client signs its assertions with.</summary>
    public Tokens.ClientSigningKey? AssertionKey { get; init; }

    // backchannel
    /// <summary>OIDC Back-Channel Logout 1.0 §2.2 backchannel_logout_uri as registered (placeholders allowed), or null.</summary>
    public string? BackchannelLogoutUri { get; init; }
    /// <summary>§2.2 backchannel_logout_session_required as registered: the logout token then carries sid.</summary>
    public bool BackchannelLogoutSessionRequired { get; init; }

    public bool IsNative => ApplicationType == "native";
    /// <summary>A public client: it does not authenticate (RFC 6749 §2.1; method "none"). A private_key_jwt client has no secret but is confidential.</summary>
    public bool IsPublic => TokenEndpointAuthMethods.SequenceEqual(["none"]);
    public bool Supports(string authMethod) => TokenEndpointAuthMethods.Contains(authMethod);
}

public sealed record TestUser
{
    public required string Username { get; init; }
    public required string Password { get; init; }
    /// <summary>Expected <c>sub</c>; null when the provider assigns an opaque one.</summary>
    public string? Subject { get; init; }
    /// <summary>scope → claim → expected JSON value (the claim-mapping table).</summary>
    public required IReadOnlyDictionary<string, IReadOnlyDictionary<string, JsonElement>> Claims { get; init; }
}

public sealed record FeatureSet
{
    public bool AuthorizationCode { get; init; }
    public bool Implicit { get; init; }
    public bool Hybrid { get; init; }
    public bool Password { get; init; }
    public bool ClientCredentials { get; init; }
    public bool RefreshToken { get; init; }
    public bool Pkce { get; init; }
    public bool Introspection { get; init; }
    public bool Revocation { get; init; }
    public bool Userinfo { get; init; }
    public bool RpInitiatedLogout { get; init; }
    public bool FormPost { get; init; }
    /// <summary>
    /// Casdoor's own API surface (per-application discovery, /api/get-account, /api/userinfo?accessToken=, Casdoor's refresh
    /// endpoint): switches the provider-specific Casdoor checks on. Off (the default), they are left out of the run, not
    /// reported. A profile feature, not the login driver's name, so that a Casdoor profile may use any driver.
    /// </summary>
    public bool CasdoorApi { get; init; }
    /// <summary>Dynamic client registration (RFC 7591, OIDC Dynamic Client Registration 1.0) open to the suite: no initial access token.</summary>
    public bool Registration { get; init; }
    // device
    /// <summary>The device authorization grant (RFC 8628): a device_authorization_endpoint and the device_code grant.</summary>
    public bool DeviceAuthorization { get; init; }
    // resource
    /// <summary>Resource indicators (RFC 8707): the resource parameter at the token endpoint, audience-restricted access tokens.</summary>
    public bool ResourceIndicators { get; init; }
    // dpop
    /// <summary>OAuth 2.0 DPoP (RFC 9449): the provider binds tokens to a client's proof key when a DPoP proof is sent.</summary>
    public bool Dpop { get; init; }
    // backchannel
    /// <summary>OpenID Connect Back-Channel Logout 1.0: the provider POSTs a logout token to a client's backchannel_logout_uri.</summary>
    public bool BackchannelLogout { get; init; }
    /// <summary>OAuth 2.0 Token Exchange (RFC 8693) at the token endpoint, by a client whose grantTypes list its grant type.</summary>
    public bool TokenExchange { get; init; }

    public static readonly IReadOnlyList<string> Names =
    [
        "authorizationCode", "implicit", "hybrid", "password", "clientCredentials", "refreshToken", "pkce",
        "introspection", "revocation", "userinfo", "rpInitiatedLogout", "formPost", "casdoorApi",
        "registration",
        // device
        "deviceAuthorization",
        // resource
        "resourceIndicators",
        // dpop
        "dpop",
        // backchannel
        "backchannelLogout",
        "tokenExchange",
    ];
}

public sealed record Lifetimes
{
    public int? AuthorizationCodeSeconds { get; init; }
    public int? AccessTokenSeconds { get; init; }
    public int? IdTokenSeconds { get; init; }
    public int? RefreshTokenSeconds { get; init; }
    // device
    /// <summary>Device-code lifetime (RFC 8628 §3.2 expires_in) the provider is configured with.</summary>
    public int? DeviceCodeSeconds { get; init; }
}

public sealed record Timeouts
{
    public double RequestSeconds { get; init; } = 10;
    public double NavigationSeconds { get; init; } = 15;
}

public sealed record KnownDeviation(string Check, string Reason);
