using System.Net;
using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Authentication.OpenIdConnect;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Protocols.OpenIdConnect;
using Microsoft.IdentityModel.Tokens;

namespace OidcConformance.Interop;

/// <summary>
/// A minimal ASP.NET Core web app (real Kestrel on an ephemeral loopback port) protected by Microsoft's OpenID Connect
/// handler, configured as its documentation says: Authority/MetadataAddress, client id and secret, the client's scopes,
/// response type code, PKCE, SaveTokens, GetClaimsFromUserInfoEndpoint, the default inbound claim mapping, and sign-out
/// through the provider's end_session_endpoint. What the handler does is recorded in a <see cref="Journal"/> through its
/// own events, so each step's outcome is the handler's, with its own exception text.
/// Deviations from the defaults, each because of the test set-up, not the provider: cookies are SameSite=Lax and not
/// Secure (plain-http loopback), the response mode is query (so the browser's Lax cookies travel with the redirect), and
/// redirect_uri / post_logout_redirect_uri are the client's registered URIs (the callback listener relays them here).
/// </summary>
public sealed class AspNetCoreRelyingParty : IAsyncDisposable
{
    public const string Scheme = OpenIdConnectDefaults.AuthenticationScheme;
    private readonly WebApplication app;

    public string Origin { get; }
    public Journal Record { get; }

    /// <summary>What the handler did, from its events (thread-safe: Kestrel and the runner read and write it).</summary>
    public sealed class Journal
    {
        private readonly object gate = new();
        private Exception? failure;
        public bool CodeRedeemed { get; set; }
        /// <summary>Hybrid: the parameter names of the authorization response the handler received (form_post), values never.</summary>
        public IReadOnlyList<string>? AuthorizationResponse { get; set; }
        public bool IdTokenValidated { get; set; }
        public string? IdTokenSubject { get; set; }
        public bool UserInfoReceived { get; set; }
        public IReadOnlyList<string>? UserInfoClaims { get; set; }
        public IReadOnlyList<(string Type, string Value)>? AppClaims { get; set; }
        public InteropCell? Refresh { get; set; }
        public bool SignOutRedirected { get; set; }
        public bool SignedOutCallback { get; set; }
        public Exception? LogoutFailure { get; set; }
        /// <summary>The URLs the handler's back channel requested (discovery, JWKS, token, userinfo), in order.</summary>
        public IReadOnlyList<string> BackchannelRequests { get { lock (gate) return [.. requests]; } }
        private readonly List<string> requests = [];
        public void Requested(Uri? uri) { lock (gate) requests.Add(uri?.GetLeftPart(UriPartial.Path) ?? ""); }
        public Exception? Failure { get { lock (gate) return failure; } }
        public void Fail(Exception e) { lock (gate) failure ??= e; }
    }

    private AspNetCoreRelyingParty(WebApplication app, string origin, Journal journal)
    {
        this.app = app;
        Origin = origin;
        Record = journal;
    }

    /// <param name="hybrid">
    /// The handler's documented hybrid setting: ResponseType "code id_token" with its default response mode form_post (a
    /// hybrid response MUST NOT use the query, OAuth 2.0 Multiple Response Types §5, and a server never sees a fragment).
    /// The form_post reaches the app with its SameSite=Lax cookies only when the provider's pages are same-site with the
    /// app's host (on the loopback providers both are 127.0.0.1); a cross-site provider would need Secure SameSite=None cookies.
    /// </param>
    public static async Task<AspNetCoreRelyingParty> StartAsync(InteropSetup setup, string relayToken, bool hybrid = false)
    {
        var journal = new Journal();
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.ConfigureKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var redirect = new Uri(setup.RedirectUri);
        var postLogout = new Uri(setup.PostLogoutRedirectUri);
        builder.Services.AddAuthorization();
        builder.Services.AddAuthentication(o =>
            {
                o.DefaultScheme = CookieAuthenticationDefaults.AuthenticationScheme;
                o.DefaultChallengeScheme = Scheme;
            })
            .AddCookie(c =>
            {
                c.Cookie.Name = "interop-aspnetcore";
                c.Cookie.SameSite = SameSiteMode.Lax;
                c.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            })
            .AddOpenIdConnect(Scheme, o =>
            {
                o.Authority = setup.Issuer;
                o.MetadataAddress = setup.DiscoveryUrl;
                o.RequireHttpsMetadata = setup.Issuer.StartsWith("https:", StringComparison.OrdinalIgnoreCase);
                o.ClientId = setup.Client.ClientId;
                o.ClientSecret = setup.Client.ClientSecret;
                o.ResponseType = hybrid ? OpenIdConnectResponseType.CodeIdToken : OpenIdConnectResponseType.Code;
                o.ResponseMode = hybrid ? OpenIdConnectResponseMode.FormPost : OpenIdConnectResponseMode.Query;
                o.UsePkce = setup.Features.Pkce;
                o.Scope.Clear();
                foreach (var s in setup.Scopes) o.Scope.Add(s);
                o.SaveTokens = true;
                o.GetClaimsFromUserInfoEndpoint = setup.Features.Userinfo;
                o.CallbackPath = redirect.AbsolutePath;
                o.SignedOutCallbackPath = postLogout.AbsolutePath;
                o.SignedOutRedirectUri = "/signed-out";
                o.BackchannelTimeout = setup.RequestTimeout;
                // Records where the handler's back channel went, so that a failure is blamed on the step it happened in
                // (hybrid: a userinfo failure comes after the ID tokens were validated).
                o.BackchannelHttpHandler = new RecordingHandler(journal) { InnerHandler = new HttpClientHandler() };
                foreach (var cookie in new[] { o.CorrelationCookie, o.NonceCookie })
                {
                    cookie.SameSite = SameSiteMode.Lax;
                    cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
                }
                o.Events = new OpenIdConnectEvents
                {
                    OnRedirectToIdentityProvider = ctx =>
                    {
                        ctx.ProtocolMessage.RedirectUri = setup.RedirectUri; // the registered URI; the listener relays it here
                        // OIDC Core §11: a request for offline_access must carry prompt=consent (else the provider may ignore it).
                        if (setup.Scopes.Contains("offline_access")) ctx.ProtocolMessage.Prompt = "consent";
                        ctx.Response.Cookies.Append(Callback.CallbackListener.RelayCookieName, relayToken,
                            new CookieOptions { SameSite = SameSiteMode.Lax, HttpOnly = true, Path = "/" });
                        return Task.CompletedTask;
                    },
                    OnMessageReceived = ctx =>
                    {
                        journal.AuthorizationResponse = ctx.ProtocolMessage.Parameters.Keys.Order(StringComparer.Ordinal).ToList();
                        return Task.CompletedTask;
                    },
                    OnTokenResponseReceived = _ => { journal.CodeRedeemed = true; return Task.CompletedTask; },
                    OnTokenValidated = ctx =>
                    {
                        journal.IdTokenValidated = true;
                        journal.IdTokenSubject = ctx.SecurityToken?.Subject;
                        return Task.CompletedTask;
                    },
                    OnUserInformationReceived = ctx =>
                    {
                        journal.UserInfoReceived = true;
                        journal.UserInfoClaims = ctx.User.RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
                        return Task.CompletedTask;
                    },
                    OnAuthenticationFailed = ctx => { journal.Fail(ctx.Exception); return Task.CompletedTask; },
                    OnRemoteFailure = ctx =>
                    {
                        if (ctx.Failure is not null) journal.Fail(ctx.Failure);
                        ctx.Response.Redirect("/failed");
                        ctx.HandleResponse();
                        return Task.CompletedTask;
                    },
                    OnRedirectToIdentityProviderForSignOut = ctx =>
                    {
                        ctx.ProtocolMessage.PostLogoutRedirectUri = setup.PostLogoutRedirectUri;
                        journal.SignOutRedirected = true;
                        return Task.CompletedTask;
                    },
                    OnSignedOutCallbackRedirect = _ => { journal.SignedOutCallback = true; return Task.CompletedTask; },
                };
            });
        var app = builder.Build();
        app.UseAuthentication();
        app.MapGet("/protected", async ctx =>
        {
            if (ctx.User.Identity?.IsAuthenticated != true)
                await ctx.ChallengeAsync(Scheme, new AuthenticationProperties { RedirectUri = "/claims" });
            else ctx.Response.Redirect("/claims");
        });
        app.MapGet("/claims", async ctx =>
        {
            if (ctx.User.Identity?.IsAuthenticated != true) { await Page(ctx, "interop-result", "not signed in", ""); return; }
            journal.AppClaims = ctx.User.Claims.Select(c => (c.Type, c.Value)).ToList();
            // The app shows what it got: each claim as the handler mapped it, with its value (the profile's test user; tokens
            // are never claims, and the page is HTML-encoded and redacted in failure bundles like any page).
            await Page(ctx, "interop-result", "signed in", string.Join("", ctx.User.Claims.Select(c =>
                $"<li>{WebUtility.HtmlEncode(ShortType(c.Type))}: {WebUtility.HtmlEncode(Http.Redactor.Redact(c.Value))}</li>")));
        });
        app.MapGet("/failed", ctx => Page(ctx, "interop-result", "sign-in failed", WebUtility.HtmlEncode(journal.Failure?.GetType().Name ?? "")));
        app.MapGet("/refresh", async ctx =>
        {
            journal.Refresh = await RefreshAsync(ctx, setup);
            await Page(ctx, "interop-refreshed", "refresh", WebUtility.HtmlEncode(journal.Refresh.Status.ToString()));
        });
        app.MapGet("/logout", async ctx =>
        {
            try
            {
                await ctx.SignOutAsync(CookieAuthenticationDefaults.AuthenticationScheme);
                await ctx.SignOutAsync(Scheme, new AuthenticationProperties { RedirectUri = "/signed-out" });
            }
            catch (Exception e) when (e is not OutOfMemoryException)
            {
                journal.LogoutFailure = e;
                if (!ctx.Response.HasStarted) await Page(ctx, "interop-signed-out", "sign-out failed", WebUtility.HtmlEncode(e.GetType().Name));
            }
        });
        app.MapGet("/signed-out", ctx => Page(ctx, "interop-signed-out", "signed out", ""));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        var port = new Uri(address).Port;
        return new AspNetCoreRelyingParty(app, $"http://{setup.AppHost}:{port}", journal);
    }

    /// <summary>The handler's configuration manager, the same object the handler reads discovery and the JWKS through.</summary>
    public Task<OpenIdConnectConfiguration> ConfigurationAsync(CancellationToken ct) =>
        app.Services.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(Scheme).ConfigurationManager!.GetConfigurationAsync(ct);

    /// <summary>
    /// The refresh an app does with the handler's saved refresh token (SaveTokens): a refresh_token grant to the token
    /// endpoint of the handler's configuration, over its back channel, with the handler's client authentication
    /// (client_secret_post); a new ID token in the answer is validated with the handler's token handler and key set.
    /// </summary>
    private static async Task<InteropCell> RefreshAsync(HttpContext ctx, InteropSetup setup)
    {
        var refreshToken = await ctx.GetTokenAsync("refresh_token");
        if (string.IsNullOrEmpty(refreshToken))
            return new("refresh", InteropStatus.Broken, $"the handler saved no refresh_token (scope \"{setup.Client.Scope}\"): the app has nothing to refresh with");
        Http.Redactor.Register(refreshToken, "refresh_token");
        var options = ctx.RequestServices.GetRequiredService<IOptionsMonitor<OpenIdConnectOptions>>().Get(Scheme);
        try
        {
            var config = await options.ConfigurationManager!.GetConfigurationAsync(ctx.RequestAborted);
            using var request = new HttpRequestMessage(HttpMethod.Post, config.TokenEndpoint)
            {
                Content = new FormUrlEncodedContent(new Dictionary<string, string>
                {
                    ["grant_type"] = "refresh_token", ["refresh_token"] = refreshToken,
                    ["client_id"] = options.ClientId!, ["client_secret"] = options.ClientSecret ?? "",
                }),
            };
            using var response = await options.Backchannel.SendAsync(request, ctx.RequestAborted);
            var body = await response.Content.ReadAsStringAsync(ctx.RequestAborted);
            OpenIdConnectMessage message;
            try { message = new OpenIdConnectMessage(body); }
            catch (Exception e) when (e is JsonException or ArgumentException)
            {
                return new("refresh", InteropStatus.Broken, $"HTTP {(int)response.StatusCode}, not a JSON token response: {e.Message}");
            }
            foreach (var t in new[] { message.AccessToken, message.RefreshToken, message.IdToken }) if (!string.IsNullOrEmpty(t)) Http.Redactor.Register(t, "token");
            if (!response.IsSuccessStatusCode || !string.IsNullOrEmpty(message.Error))
                return new("refresh", InteropStatus.Broken, $"HTTP {(int)response.StatusCode} error '{message.Error}'{(string.IsNullOrEmpty(message.ErrorDescription) ? "" : $": {message.ErrorDescription}")}");
            if (string.IsNullOrEmpty(message.AccessToken))
                return new("refresh", InteropStatus.Broken, $"HTTP {(int)response.StatusCode} without access_token");
            var idNote = "";
            if (!string.IsNullOrEmpty(message.IdToken))
            {
                var parameters = options.TokenValidationParameters.Clone();
                parameters.ValidIssuer = config.Issuer;
                parameters.ValidAudience = options.ClientId;
                parameters.IssuerSigningKeys = config.SigningKeys;
                var result = await options.TokenHandler.ValidateTokenAsync(message.IdToken, parameters);
                if (!result.IsValid)
                    return new("refresh", InteropStatus.Broken, $"new ID token rejected by the handler's token handler: {result.Exception?.Message}");
                idNote = "; the new ID token validated";
            }
            return new("refresh", InteropStatus.Works, $"HTTP {(int)response.StatusCode}: new access_token{(string.IsNullOrEmpty(message.RefreshToken) ? "" : ", refresh_token")}{idNote}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return new("refresh", InteropStatus.Broken, $"{e.GetType().Name}: {e.Message}");
        }
    }

    private sealed class RecordingHandler(Journal journal) : DelegatingHandler
    {
        protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            journal.Requested(request.RequestUri);
            return base.SendAsync(request, cancellationToken);
        }
    }

    /// <summary>A claim type as the app shows it: the last segment of the mapped URI types (…/nameidentifier).</summary>
    public static string ShortType(string type) => type.Contains('/') ? type[(type.LastIndexOf('/') + 1)..] : type;

    private static Task Page(HttpContext ctx, string id, string title, string body)
    {
        ctx.Response.ContentType = "text/html; charset=utf-8";
        ctx.Response.Headers.CacheControl = "no-store";
        return ctx.Response.WriteAsync($"<!doctype html><html><head><meta charset=\"utf-8\"><title>{title}</title></head><body id=\"{id}\"><h1>ASP.NET Core relying party: {title}</h1><ul>{body}</ul></body></html>");
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
