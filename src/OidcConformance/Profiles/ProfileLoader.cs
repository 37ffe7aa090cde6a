using System.Text.Json;
using System.Text.RegularExpressions;

namespace OidcConformance.Profiles;

/// <summary>A profile that cannot be used; the message names the file and the JSON path of the field.</summary>
public sealed class ProfileException(string file, string path, string problem)
    : Exception($"provider profile {file}: {path}: {problem}")
{
    public string File { get; } = file;
    public string FieldPath { get; } = path;
}

/// <summary>
/// Reads a provider profile and checks every field before anything starts, so a typo stops the run at once with
/// the file and the field instead of surfacing later as a confusing protocol failure.
/// </summary>
public static class ProfileLoader
{
    /// <summary>The top-level members a profile may have (fixtures/providers/profile.schema.json lists the same; ProfileSchemaTests).</summary>
    public static readonly IReadOnlyList<string> KnownTopLevel =
    [
        "$schema", "name", "version", "description", "issuer", "discoveryUrl", "applicationDiscovery", "start", "callback",
        "browser", "loginDriver", "loginPages", "clients", "users", "features", "lifetimes", "timeouts", "deviations",
    ];

    /// <summary>The <c>loginDriver</c> value that selects the generic driver over <c>loginPages</c>.</summary>
    public const string DeclarativeDriver = "declarative";

    /// <summary>The device authorization grant's grant_type (RFC 8628 §3.4).</summary>
    public const string DeviceCodeGrantType = "urn:ietf:params:oauth:grant-type:device_code";

    public static readonly IReadOnlyList<string> KnownAuthMethods = ["client_secret_basic", "client_secret_post", "none", "private_key_jwt", "client_secret_jwt"];

    /// <summary>The client roles a profile may register (the suites pick clients by role).</summary>
    public static readonly IReadOnlyList<string> ClientRoles =
    [
        "confidential", "secondConfidential", "public", "clientCredentials", "shortLived",
        // client authentication with JWTs (OIDC Core 1.0 §9): a client registered for private_key_jwt (privateKeyFile) and one for client_secret_jwt
        "privateKeyJwt", "clientSecretJwt",
        // the JWT bearer authorization grant (RFC 7523 §2.1): a client whose own key (privateKeyFile) signs the assertion
        "jwtBearer",
        // device
        "device", "deviceShortLived",
        // backchannel
        "backchannel",
    ];

    public static ProviderProfile Load(string file)
    {
        var full = Path.GetFullPath(file);
        if (!System.IO.File.Exists(full))
            throw new ProfileException(full, "$", "file not found");
        JsonDocument doc;
        try
        {
            doc = JsonDocument.Parse(System.IO.File.ReadAllText(full),
                new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        }
        catch (JsonException e)
        {
            throw new ProfileException(full, "$", $"not valid JSON (line {e.LineNumber + 1}, byte {e.BytePositionInLine}): {e.Message}");
        }
        using (doc)
            return new Reader(full).Profile(doc.RootElement);
    }

    private sealed class Reader(string file)
    {
        private ProfileException Error(string path, string problem) => new(file, path, problem);

        /// <summary>A member the format does not know is a typo the loader names, at any depth (the schema says the same).</summary>
        private void OnlyKnown(JsonElement e, string path, params string[] known)
        {
            if (e.ValueKind != JsonValueKind.Object) return;
            foreach (var p in e.EnumerateObject())
                if (!known.Contains(p.Name))
                    throw Error($"{path}.{p.Name}", $"unknown field (known: {string.Join(", ", known)})");
        }

        public ProviderProfile Profile(JsonElement root)
        {
            if (root.ValueKind != JsonValueKind.Object) throw Error("$", "must be a JSON object");
            foreach (var p in root.EnumerateObject())
                if (!KnownTopLevel.Contains(p.Name))
                    throw Error($"$.{p.Name}", $"unknown field (known: {string.Join(", ", KnownTopLevel.Skip(1))})");

            var start = Start(Required(root, "$", "start", JsonValueKind.Object));
            var issuer = String(root, "$", "issuer")!;
            if (!issuer.Contains("{start.issuer}")) AbsoluteUrl(issuer, "$.issuer");
            else if (!start.Embedded || start.ReadyPattern?.Contains("?<issuer>") != true)
                throw Error("$.issuer", "{start.issuer} needs start.mode 'embedded' and a readyPattern with a named group 'issuer'");

            var discovery = OptionalString(root, "$", "discoveryUrl");
            if (discovery is not null && !discovery.Contains('{')) AbsoluteUrl(discovery, "$.discoveryUrl");

            var callback = Callback(Required(root, "$", "callback", JsonValueKind.Object));
            string? rules = null;
            if (root.TryGetProperty("browser", out var browser))
            {
                if (browser.ValueKind != JsonValueKind.Object) throw Error("$.browser", "must be an object");
                OnlyKnown(browser, "$.browser", "hostResolverRules");
                rules = OptionalString(browser, "$.browser", "hostResolverRules");
            }

            var clients = Clients(Required(root, "$", "clients", JsonValueKind.Object));
            var users = Users(Required(root, "$", "users", JsonValueKind.Array));
            var features = Features(Required(root, "$", "features", JsonValueKind.Object));

            var appDiscovery = new List<ApplicationDiscovery>();
            if (root.TryGetProperty("applicationDiscovery", out var apps))
            {
                if (apps.ValueKind != JsonValueKind.Array) throw Error("$.applicationDiscovery", "must be an array");
                var i = 0;
                foreach (var a in apps.EnumerateArray())
                {
                    var path = $"$.applicationDiscovery[{i++}]";
                    if (a.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
                    OnlyKnown(a, path, "name", "url", "client");
                    var url = String(a, path, "url")!;
                    AbsoluteUrl(url, path + ".url");
                    var client = String(a, path, "client")!;
                    if (!clients.ContainsKey(client)) throw Error(path + ".client", $"no client '{client}' in $.clients");
                    appDiscovery.Add(new ApplicationDiscovery(String(a, path, "name")!, url, client));
                }
            }

            var driver = String(root, "$", "loginDriver")!;
            LoginPages? pages = root.TryGetProperty("loginPages", out var pagesElement) ? LoginPagesReader.Read(pagesElement, file) : null;
            if (driver == DeclarativeDriver && pages is null)
                throw Error("$.loginPages", "is required with \"loginDriver\": \"declarative\" (the selectors of the login form; docs/login-drivers.md)");
            if (driver != DeclarativeDriver && pages is not null)
                throw Error("$.loginPages", $"is read only by \"loginDriver\": \"declarative\", not by '{driver}'");

            var deviations = new List<KnownDeviation>();
            if (root.TryGetProperty("deviations", out var devs))
            {
                if (devs.ValueKind != JsonValueKind.Array) throw Error("$.deviations", "must be an array");
                var i = 0;
                foreach (var d in devs.EnumerateArray())
                {
                    var path = $"$.deviations[{i++}]";
                    if (d.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
                    OnlyKnown(d, path, "check", "reason");
                    deviations.Add(new KnownDeviation(String(d, path, "check")!, String(d, path, "reason")!));
                }
            }

            return new ProviderProfile
            {
                SourceFile = file,
                Name = String(root, "$", "name")!,
                Version = String(root, "$", "version")!,
                Description = OptionalString(root, "$", "description"),
                Issuer = issuer,
                DiscoveryUrl = discovery,
                ApplicationDiscovery = appDiscovery,
                Start = start,
                Callback = callback,
                HostResolverRules = rules,
                LoginDriver = driver,
                LoginPages = pages,
                Clients = clients,
                Users = users,
                Features = features,
                Lifetimes = Lifetimes(root),
                Timeouts = Timeouts(root),
                Deviations = deviations,
            };
        }

        private StartSettings Start(JsonElement e)
        {
            const string path = "$.start";
            OnlyKnown(e, path, "mode", "workingDirectory", "install", "command", "environment", "readyPattern", "startupTimeoutSeconds");
            var mode = String(e, path, "mode");
            if (mode is not ("embedded" or "external"))
                throw Error(path + ".mode", $"must be 'embedded' or 'external', not '{mode}'");
            if (mode == "external") return new StartSettings { Embedded = false };

            var command = StringArray(Required(e, path, "command", JsonValueKind.Array), path + ".command");
            if (command.Count == 0) throw Error(path + ".command", "must name a program");
            var pattern = String(e, path, "readyPattern")!;
            try { _ = new Regex(pattern); }
            catch (ArgumentException ex) { throw Error(path + ".readyPattern", $"not a valid regular expression: {ex.Message}"); }

            IReadOnlyList<string>? install = null;
            string? skip = null;
            if (e.TryGetProperty("install", out var inst))
            {
                OnlyKnown(inst, path + ".install", "command", "skipWhenExists");
                install = StringArray(Required(inst, path + ".install", "command", JsonValueKind.Array), path + ".install.command");
                skip = OptionalString(inst, path + ".install", "skipWhenExists");
            }
            var env = new Dictionary<string, string>();
            if (e.TryGetProperty("environment", out var envEl))
            {
                if (envEl.ValueKind != JsonValueKind.Object) throw Error(path + ".environment", "must be an object of strings");
                foreach (var p in envEl.EnumerateObject())
                {
                    if (p.Value.ValueKind != JsonValueKind.String)
                        throw Error($"{path}.environment.{p.Name}", "must be a string");
                    env[p.Name] = p.Value.GetString()!;
                }
            }
            var timeout = OptionalInt(e, path, "startupTimeoutSeconds") ?? 60;
            if (timeout <= 0) throw Error(path + ".startupTimeoutSeconds", "must be positive");
            return new StartSettings
            {
                Embedded = true,
                WorkingDirectory = OptionalString(e, path, "workingDirectory") ?? ".",
                InstallCommand = install,
                InstallSkipWhenExists = skip,
                Command = command,
                Environment = env,
                ReadyPattern = pattern,
                StartupTimeoutSeconds = timeout,
            };
        }

        private CallbackSettings Callback(JsonElement e)
        {
            const string path = "$.callback";
            OnlyKnown(e, path, "host", "port", "path", "postLogoutPath", "backchannelHost");
            var host = String(e, path, "host")!;
            if (Uri.CheckHostName(host) == UriHostNameType.Unknown) throw Error(path + ".host", $"'{host}' is not a host name");
            var port = OptionalInt(e, path, "port") ?? throw Error(path + ".port", "is required (0 = ephemeral)");
            if (port is < 0 or > 65535) throw Error(path + ".port", "must be 0..65535");
            var cb = String(e, path, "path")!;
            var logout = String(e, path, "postLogoutPath")!;
            if (!cb.StartsWith('/')) throw Error(path + ".path", "must start with '/'");
            if (!logout.StartsWith('/')) throw Error(path + ".postLogoutPath", "must start with '/'");
            var backchannelHost = OptionalString(e, path, "backchannelHost");
            if (backchannelHost is not null && Uri.CheckHostName(backchannelHost) is not (UriHostNameType.Dns or UriHostNameType.IPv4))
                throw Error(path + ".backchannelHost", $"'{backchannelHost}' is not a host name (a DNS name or IPv4 address only, no scheme, port or path; e.g. host.docker.internal)");
            return new CallbackSettings(host, port, cb, logout, backchannelHost);
        }

        private Dictionary<string, ClientProfile> Clients(JsonElement e)
        {
            var result = new Dictionary<string, ClientProfile>();
            var roles = ClientRoles;
            foreach (var p in e.EnumerateObject())
            {
                var path = $"$.clients.{p.Name}";
                if (!roles.Contains(p.Name)) throw Error(path, $"unknown client role (known: {string.Join(", ", roles)})");
                if (p.Value.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
                OnlyKnown(p.Value, path, "clientId", "clientSecret", "tokenEndpointAuthMethods", "scope", "grantTypes", "responseTypes",
                    "pkceRequired", "redirectUri", "postLogoutRedirectUri", "accessTokenSeconds", "applicationType", "webOrigin", "privateKeyFile",
                    // device
                    "deviceCodeSeconds",
                    // resource
                    "resource",
                    // backchannel
                    "backchannelLogoutUri", "backchannelLogoutSessionRequired");
                var methods = StringArray(Required(p.Value, path, "tokenEndpointAuthMethods", JsonValueKind.Array), path + ".tokenEndpointAuthMethods");
                if (methods.Count == 0) throw Error(path + ".tokenEndpointAuthMethods", "must not be empty");
                foreach (var m in methods)
                    if (!KnownAuthMethods.Contains(m))
                        throw Error(path + ".tokenEndpointAuthMethods", $"'{m}' is not one of {string.Join(", ", KnownAuthMethods)}");
                var secret = OptionalString(p.Value, path, "clientSecret");
                var isPublic = methods.SequenceEqual(["none"]);
                if (methods.Contains("none") && !isPublic) throw Error(path + ".tokenEndpointAuthMethods", "'none' (a public client) cannot be combined with other methods");
                var assertionKey = AssertionKey(p.Value, path, methods);
                if (methods.Contains("client_secret_jwt") && string.IsNullOrEmpty(secret))
                    throw Error(path + ".clientSecret", "is required for client_secret_jwt (the secret is the HMAC key of the client assertion, OIDC Core 1.0 §9)");
                if (methods.Any(m => m is "client_secret_basic" or "client_secret_post") && string.IsNullOrEmpty(secret))
                    throw Error(path + ".clientSecret", "is required for a client that authenticates with a secret");
                if (isPublic && secret is not null) throw Error(path + ".clientSecret", "a public client (auth method 'none') has no secret");
                if (p.Name == "public" && !isPublic) throw Error(path + ".tokenEndpointAuthMethods", "the public client must use [\"none\"]");
                if (p.Name is "confidential" or "secondConfidential" or "shortLived" or "backchannel" && !methods.Any(m => m is "client_secret_basic" or "client_secret_post"))
                    throw Error(path + ".tokenEndpointAuthMethods", "a confidential client needs client_secret_basic or client_secret_post");
                if (p.Name == "privateKeyJwt" && !methods.Contains("private_key_jwt"))
                    throw Error(path + ".tokenEndpointAuthMethods", "the privateKeyJwt client must be registered for [\"private_key_jwt\"]");
                if (p.Name == "clientSecretJwt" && !methods.Contains("client_secret_jwt"))
                    throw Error(path + ".tokenEndpointAuthMethods", "the clientSecretJwt client must be registered for [\"client_secret_jwt\"]");
                result[p.Name] = new ClientProfile
                {
                    Role = p.Name,
                    ClientId = String(p.Value, path, "clientId")!,
                    ClientSecret = secret,
                    TokenEndpointAuthMethods = methods,
                    Scope = String(p.Value, path, "scope")!,
                    GrantTypes = p.Value.TryGetProperty("grantTypes", out var g) ? StringArray(g, path + ".grantTypes") : [],
                    ResponseTypes = p.Value.TryGetProperty("responseTypes", out var r) ? StringArray(r, path + ".responseTypes") : [],
                    PkceRequired = OptionalBool(p.Value, path, "pkceRequired") ?? false,
                    RedirectUri = OptionalString(p.Value, path, "redirectUri"),
                    PostLogoutRedirectUri = OptionalString(p.Value, path, "postLogoutRedirectUri"),
                    AccessTokenSeconds = Positive(p.Value, path, "accessTokenSeconds"),
                    ApplicationType = OptionalString(p.Value, path, "applicationType") switch
                    {
                        null => "web",
                        "web" => "web",
                        "native" => "native",
                        var other => throw Error(path + ".applicationType", $"'{other}' is not 'web' or 'native' (OIDC Dynamic Client Registration 1.0 §2 application_type)"),
                    },
                    WebOrigin = WebOrigin(p.Value, path),
                    PrivateKeyFile = assertionKey?.File,
                    AssertionKey = assertionKey?.Key,
                    DeviceCodeSeconds = Positive(p.Value, path, "deviceCodeSeconds"),
                    Resource = ResourceIndicator(p.Value, path),
                    // backchannel
                    BackchannelLogoutUri = OptionalString(p.Value, path, "backchannelLogoutUri"),
                    BackchannelLogoutSessionRequired = OptionalBool(p.Value, path, "backchannelLogoutSessionRequired") ?? false,
                };
                if (p.Name == "backchannel" && result[p.Name].BackchannelLogoutUri is null)
                    throw Error(path + ".backchannelLogoutUri", "is required for the backchannel client (the URI the provider POSTs logout tokens to, e.g. {callback.backchannelLogoutUri})");
                if (p.Name == "shortLived" && result[p.Name].AccessTokenSeconds is null)
                    throw Error(path + ".accessTokenSeconds", "is required for the shortLived client (its access-token lifetime in seconds)");
                // device
                if (p.Name == "jwtBearer" && !result[p.Name].GrantTypes.Contains(Checks.JwtBearerChecks.GrantType))
                    throw Error(path + ".grantTypes", $"the jwtBearer client must be registered for {Checks.JwtBearerChecks.GrantType}");
                if (p.Name is "device" or "deviceShortLived" && !result[p.Name].GrantTypes.Contains(DeviceCodeGrantType))
                    throw Error(path + ".grantTypes", $"must contain {DeviceCodeGrantType} (the {p.Name} client is the device authorization grant's client)");
                if (p.Name == "deviceShortLived" && result[p.Name].DeviceCodeSeconds is null)
                    throw Error(path + ".deviceCodeSeconds", "is required for the deviceShortLived client (its device-code lifetime in seconds, a few seconds)");
            }
            if (!result.ContainsKey("confidential")) throw Error("$.clients.confidential", "is required");
            return result;
        }

        /// <summary>
        /// clients.*.privateKeyFile: the PEM private key a private_key_jwt client signs its assertions with, relative to the
        /// profile's folder; required with private_key_jwt, refused without it, and read now so a bad key stops the run here.
        /// </summary>
        private (string File, Tokens.ClientSigningKey Key)? AssertionKey(JsonElement client, string path, IReadOnlyList<string> methods)
        {
            var value = OptionalString(client, path, "privateKeyFile");
            var bearer = path.EndsWith(".jwtBearer", StringComparison.Ordinal);
            if (value is null)
                return methods.Contains("private_key_jwt") || bearer
                    ? throw Error(path + ".privateKeyFile", bearer
                        ? "is required for the jwtBearer client (a PEM private key file, relative to the profile, whose public key the provider trusts for the client's JWT bearer assertions)"
                        : "is required for private_key_jwt (a PEM private key file, relative to the profile, whose public key the provider has registered for the client)")
                    : null;
            if (!methods.Contains("private_key_jwt") && !bearer) throw Error(path + ".privateKeyFile", "is only used with private_key_jwt, which tokenEndpointAuthMethods does not list, and by the jwtBearer client");
            var full = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(file)!, value));
            if (!System.IO.File.Exists(full)) throw Error(path + ".privateKeyFile", $"file not found: {full}");
            try { return (full, Tokens.ClientSigningKey.FromPemFile(full)); }
            catch (FormatException e) { throw Error(path + ".privateKeyFile", e.Message); }
        }

        /// <summary>clients.*.resource: an absolute URI without a fragment (RFC 8707 §2).</summary>
        private string? ResourceIndicator(JsonElement client, string path)
        {
            var value = OptionalString(client, path, "resource");
            if (value is null) return null;
            // a scheme first: on Unix, .NET takes "/api" for an absolute file URI
            if (!System.Text.RegularExpressions.Regex.IsMatch(value, "^[A-Za-z][A-Za-z0-9+.-]*:") || !Uri.TryCreate(value, UriKind.Absolute, out _) || value.Contains('#'))
                throw Error(path + ".resource", $"'{value}' is not an absolute URI without a fragment (RFC 8707 §2 resource indicator)");
            return value;
        }

        /// <summary>clients.*.webOrigin: scheme://host[:port] with no path, or a placeholder such as {callback.origin}.</summary>
        private string? WebOrigin(JsonElement client, string path)
        {
            var value = OptionalString(client, path, "webOrigin");
            if (value is null || value.StartsWith('{')) return value;
            if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || u.Scheme is not ("http" or "https") || u.AbsolutePath != "/" || value.EndsWith('/') || u.Query.Length > 0)
                throw Error(path + ".webOrigin", $"'{value}' is not an origin (scheme://host[:port], no path, no trailing slash) or a placeholder like {{callback.origin}}");
            return value;
        }

        private List<TestUser> Users(JsonElement e)
        {
            var users = new List<TestUser>();
            var i = 0;
            foreach (var u in e.EnumerateArray())
            {
                var path = $"$.users[{i++}]";
                if (u.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
                OnlyKnown(u, path, "username", "password", "subject", "claims");
                var claimsEl = Required(u, path, "claims", JsonValueKind.Object);
                var claims = new Dictionary<string, IReadOnlyDictionary<string, JsonElement>>();
                foreach (var scope in claimsEl.EnumerateObject())
                {
                    if (scope.Value.ValueKind != JsonValueKind.Object)
                        throw Error($"{path}.claims.{scope.Name}", "must be an object of claim name → expected value");
                    claims[scope.Name] = scope.Value.EnumerateObject().ToDictionary(c => c.Name, c => c.Value.Clone());
                }
                string? subject = null;
                if (u.TryGetProperty("subject", out var s) && s.ValueKind != JsonValueKind.Null)
                {
                    if (s.ValueKind != JsonValueKind.String) throw Error(path + ".subject", "must be a string or null");
                    subject = s.GetString();
                }
                users.Add(new TestUser
                {
                    Username = String(u, path, "username")!,
                    Password = String(u, path, "password")!,
                    Subject = subject,
                    Claims = claims,
                });
            }
            if (users.Count == 0) throw Error("$.users", "needs at least one test user");
            return users;
        }

        private FeatureSet Features(JsonElement e)
        {
            foreach (var p in e.EnumerateObject())
            {
                if (!FeatureSet.Names.Contains(p.Name))
                    throw Error($"$.features.{p.Name}", $"unknown feature (known: {string.Join(", ", FeatureSet.Names)})");
                if (p.Value.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
                    throw Error($"$.features.{p.Name}", "must be true or false");
            }
            bool F(string n) => e.TryGetProperty(n, out var v) && v.ValueKind == JsonValueKind.True;
            return new FeatureSet
            {
                AuthorizationCode = F("authorizationCode"), Implicit = F("implicit"), Hybrid = F("hybrid"),
                Password = F("password"), ClientCredentials = F("clientCredentials"), RefreshToken = F("refreshToken"),
                Pkce = F("pkce"), Introspection = F("introspection"), Revocation = F("revocation"), Userinfo = F("userinfo"),
                RpInitiatedLogout = F("rpInitiatedLogout"), FormPost = F("formPost"),
                CasdoorApi = F("casdoorApi"),
                Registration = F("registration"),
                DeviceAuthorization = F("deviceAuthorization"),
                ResourceIndicators = F("resourceIndicators"),
                // dpop
                Dpop = F("dpop"),
                // backchannel
                BackchannelLogout = F("backchannelLogout"),
                TokenExchange = F("tokenExchange"),
            };
        }

        private Lifetimes Lifetimes(JsonElement root)
        {
            if (!root.TryGetProperty("lifetimes", out var e)) return new Lifetimes();
            const string path = "$.lifetimes";
            if (e.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
            OnlyKnown(e, path, "authorizationCodeSeconds", "accessTokenSeconds", "idTokenSeconds", "refreshTokenSeconds", "deviceCodeSeconds");
            return new Lifetimes
            {
                AuthorizationCodeSeconds = Positive(e, path, "authorizationCodeSeconds"),
                AccessTokenSeconds = Positive(e, path, "accessTokenSeconds"),
                IdTokenSeconds = Positive(e, path, "idTokenSeconds"),
                RefreshTokenSeconds = Positive(e, path, "refreshTokenSeconds"),
                DeviceCodeSeconds = Positive(e, path, "deviceCodeSeconds"),
            };
        }

        private Timeouts Timeouts(JsonElement root)
        {
            if (!root.TryGetProperty("timeouts", out var e)) return new Timeouts();
            const string path = "$.timeouts";
            if (e.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
            OnlyKnown(e, path, "requestSeconds", "navigationSeconds");
            double Seconds(string name, double fallback)
            {
                if (!e.TryGetProperty(name, out var v)) return fallback;
                if (v.ValueKind != JsonValueKind.Number || v.GetDouble() <= 0) throw Error($"{path}.{name}", "must be a positive number of seconds");
                return v.GetDouble();
            }
            return new Timeouts { RequestSeconds = Seconds("requestSeconds", 10), NavigationSeconds = Seconds("navigationSeconds", 15) };
        }

        private int? Positive(JsonElement e, string path, string name)
        {
            var v = OptionalInt(e, path, name);
            if (v is <= 0) throw Error($"{path}.{name}", "must be a positive number of seconds");
            return v;
        }

        private void AbsoluteUrl(string value, string path)
        {
            if (!Uri.TryCreate(value, UriKind.Absolute, out var u) || (u.Scheme != "http" && u.Scheme != "https"))
                throw Error(path, $"'{value}' is not an absolute http(s) URL");
        }

        private JsonElement Required(JsonElement e, string path, string name, JsonValueKind kind)
        {
            if (e.ValueKind != JsonValueKind.Object) throw Error(path, "must be an object");
            if (!e.TryGetProperty(name, out var v)) throw Error($"{path}.{name}", "is required");
            if (v.ValueKind != kind) throw Error($"{path}.{name}", $"must be {Describe(kind)}, not {Describe(v.ValueKind)}");
            return v;
        }

        private string? String(JsonElement e, string path, string name)
        {
            var v = Required(e, path, name, JsonValueKind.String).GetString();
            if (string.IsNullOrWhiteSpace(v)) throw Error($"{path}.{name}", "must not be empty");
            return v;
        }

        private string? OptionalString(JsonElement e, string path, string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.String) throw Error($"{path}.{name}", $"must be a string, not {Describe(v.ValueKind)}");
            return v.GetString();
        }

        private int? OptionalInt(JsonElement e, string path, string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind != JsonValueKind.Number || !v.TryGetInt32(out var i)) throw Error($"{path}.{name}", "must be a whole number");
            return i;
        }

        private bool? OptionalBool(JsonElement e, string path, string name)
        {
            if (!e.TryGetProperty(name, out var v) || v.ValueKind == JsonValueKind.Null) return null;
            if (v.ValueKind is not (JsonValueKind.True or JsonValueKind.False)) throw Error($"{path}.{name}", "must be true or false");
            return v.GetBoolean();
        }

        private List<string> StringArray(JsonElement e, string path)
        {
            if (e.ValueKind != JsonValueKind.Array) throw Error(path, "must be an array of strings");
            var list = new List<string>();
            var i = 0;
            foreach (var item in e.EnumerateArray())
            {
                if (item.ValueKind != JsonValueKind.String) throw Error($"{path}[{i}]", "must be a string");
                list.Add(item.GetString()!);
                i++;
            }
            return list;
        }

        private static string Describe(JsonValueKind k) => k switch
        {
            JsonValueKind.Object => "an object", JsonValueKind.Array => "an array", JsonValueKind.String => "a string",
            JsonValueKind.Number => "a number", JsonValueKind.True or JsonValueKind.False => "a boolean",
            JsonValueKind.Null => "null", _ => k.ToString(),
        };
    }
}
