using System.Text.Json.Nodes;
using OidcConformance.Checks;
using OidcConformance.Protocol;
using OidcConformance.Tests.Support;
using OidcConformance.Tokens;

namespace OidcConformance.Tests.Proofs;

public sealed class RefreshProofs : IFailureProofs, IPassProofs
{
    private static TokenResponse R(string purpose) => RecordedPkceRefresh.Token(purpose);
    private static string Body(string purpose) => RecordedPkceRefresh.Exchange(purpose).ResponseBody;
    private static TokenResponse Error(string error, int status = 400) => Make.Token($"{{\"error\":\"{error}\"}}", status);

    private static TokenResponse ConfInitial => R("refresh scenario: code exchange (confidential)");
    private static TokenResponse ConfFirst => R("refresh: first (confidential)");
    private static TokenResponse PublicInitial => R("refresh scenario: code exchange (public)");
    private static TokenResponse PublicFirst => R("refresh: first (public)");
    private static TokenResponse InvalidGrant => R("refresh: invalid token (public)");

    // Signed test tokens (Make.TestKey) for the ID token comparison.
    private static readonly JwksDocument TestJwks = Make.Jwks(Make.JwksFor(Make.TestKey));
    private static DecodedJwt Signed(JsonObject claims, System.Security.Cryptography.RSA? key = null) => DecodedJwt.Decode(Make.Jwt(Make.Header(), claims, key));
    private static DecodedJwt Original => Signed(Make.IdTokenClaims(1_700_000_000).With("auth_time", 1_699_999_990));
    private static JsonObject RefreshedClaims => Make.IdTokenClaims(1_700_000_600).With("auth_time", 1_699_999_990).Without("nonce");

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(RefreshChecks.Issued, "no refresh_token for a refresh_token client", () =>
            RefreshChecks.EvaluateIssued(Make.Token(Make.Edit(Body("refresh scenario: code exchange (confidential)"), o => o.Remove("refresh_token"))), true), "no refresh_token");
        yield return new(RefreshChecks.Issued, "refresh_token empty", () =>
            RefreshChecks.EvaluateIssued(Make.Token(Make.Edit(Body("refresh scenario: code exchange (confidential)"), o => o["refresh_token"] = "")), true), "not a non-empty string");

        yield return new(RefreshChecks.Succeeds, "valid refresh token refused", () => RefreshChecks.EvaluateSucceeds(InvalidGrant), "refused");
        yield return new(RefreshChecks.Succeeds, "200 without access_token", () =>
            RefreshChecks.EvaluateSucceeds(Make.Token(Make.Edit(Body("refresh: first (confidential)"), o => o.Remove("access_token")))), "without an access_token");
        yield return new(RefreshChecks.Succeeds, "error body with HTTP 200", () =>
            RefreshChecks.EvaluateSucceeds(Error("invalid_grant", 200)), "refused");

        yield return new(RefreshChecks.AccessTokenWorks, "refreshed access token refused at UserInfo", () =>
            RefreshChecks.EvaluateAccessTokenWorks(Make.Exchange(401, "", "", headers: ("WWW-Authenticate", "Bearer error=\"invalid_token\"")), "alice"), "refused the refreshed access token");
        yield return new(RefreshChecks.AccessTokenWorks, "refreshed access token belongs to another subject", () =>
            RefreshChecks.EvaluateAccessTokenWorks(RecordedPkceRefresh.Exchange("userinfo GET after refresh (public)"), "bob"), "sub is 'alice'");

        yield return new(RefreshChecks.IdTokenConsistent, "sub changed", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, Signed(RefreshedClaims.With("sub", "bob")), TestJwks, "client-1"), "sub changed");
        yield return new(RefreshChecks.IdTokenConsistent, "iss changed", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, Signed(RefreshedClaims.With("iss", "http://other.test")), TestJwks, "client-1"), "iss changed");
        yield return new(RefreshChecks.IdTokenConsistent, "aud changed", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, Signed(RefreshedClaims.With("aud", "client-2")), TestJwks, "client-1"), "aud changed");
        yield return new(RefreshChecks.IdTokenConsistent, "auth_time set to the refresh time", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, Signed(RefreshedClaims.With("auth_time", 1_700_000_600)), TestJwks, "client-1"), "auth_time changed");
        yield return new(RefreshChecks.IdTokenConsistent, "azp appears", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, Signed(RefreshedClaims.With("azp", "client-1")), TestJwks, "client-1"), "azp");
        yield return new(RefreshChecks.IdTokenConsistent, "signed with a key not in the JWKS", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, Signed(RefreshedClaims, Make.OtherKey), TestJwks, "client-1"), "signature");
        yield return new(RefreshChecks.IdTokenConsistent, "recorded refreshed token against another provider's JWKS", () =>
            RefreshChecks.EvaluateIdTokenConsistent(RecordedPkceRefresh.IdToken("refresh scenario: code exchange (public)"),
                RecordedPkceRefresh.IdToken("refresh: first (public)"), TestJwks, "public-client"), "signature");
        yield return new(RefreshChecks.IdTokenConsistent, "undecodable refreshed token", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, DecodedJwt.Decode("abc.def"), TestJwks, "client-1"), "cannot be decoded");

        yield return new(RefreshChecks.PublicClientRotation, "same refresh token returned", () =>
            RefreshChecks.EvaluatePublicClientRotation(true, PublicFirst.RefreshToken!, PublicFirst), "same refresh token");
        yield return new(RefreshChecks.PublicClientRotation, "no new refresh token", () =>
            RefreshChecks.EvaluatePublicClientRotation(true, PublicInitial.RefreshToken!,
                Make.Token(Make.Edit(Body("refresh: first (public)"), o => o.Remove("refresh_token")))), "no new refresh_token");

        yield return new(RefreshChecks.RotatedReuseRejected, "rotated-away token still works", () =>
            RefreshChecks.EvaluateRotatedReuseRejected(true, PublicFirst), "reuse of a rotated-away refresh token: the token endpoint answered HTTP 200 and issued an access token");
        yield return new(RefreshChecks.RotatedReuseRejected, "reuse answered invalid_request", () =>
            RefreshChecks.EvaluateRotatedReuseRejected(true, Error("invalid_request")), "expected invalid_grant");

        yield return new(RefreshChecks.ReuseRevokesActiveToken, "active token survives a detected replay", () =>
            RefreshChecks.EvaluateReuseRevokesActiveToken(InvalidGrant, PublicFirst), "still works");

        yield return new(RefreshChecks.BoundToClient, "another client redeems the token", () =>
            RefreshChecks.EvaluateBoundToClient(ConfFirst), "a refresh token presented by a client it was not issued to: the token endpoint answered HTTP 200 and issued an access token");
        yield return new(RefreshChecks.BoundToClient, "refused as unauthorized_client", () =>
            RefreshChecks.EvaluateBoundToClient(Error("unauthorized_client")), "expected invalid_grant");

        yield return new(RefreshChecks.ClientAuthenticationRequired, "refresh without client authentication succeeds", () =>
            RefreshChecks.EvaluateClientAuthenticationRequired(true, ConfFirst), "without valid client authentication");
        yield return new(RefreshChecks.ClientAuthenticationRequired, "wrong Basic secret answered 400", () =>
            RefreshChecks.EvaluateClientAuthenticationRequired(true, Error("invalid_client", 400), usedBasic: true), "requires 401");
        yield return new(RefreshChecks.ClientAuthenticationRequired, "answered invalid_grant", () =>
            RefreshChecks.EvaluateClientAuthenticationRequired(true, Error("invalid_grant")), "expected invalid_client");

        yield return new(RefreshChecks.ScopeNarrowing, "subset refused", () =>
            RefreshChecks.EvaluateScopeNarrowing("openid profile", "openid", Error("invalid_scope")), "was refused");
        yield return new(RefreshChecks.ScopeNarrowing, "narrowed refresh grants more than the original", () =>
            RefreshChecks.EvaluateScopeNarrowing("openid profile", "openid",
                Make.Token(Make.Edit(Body("refresh: narrowed scope (public)"), o => o["scope"] = "openid profile email"))), "did not contain");

        yield return new(RefreshChecks.ScopeNotWidened, "widened scope granted", () =>
            RefreshChecks.EvaluateScopeNotWidened("openid profile", "email",
                Make.Token(Make.Edit(Body("refresh: first (public)"), o => o["scope"] = "openid profile email"))), "widened the grant");
        // A 200 without a scope member is no longer read as "widened" on the omission alone (issue #11 class 3):
        // introspection or UserInfo of the issued token must show the added scope.
        yield return new(RefreshChecks.ScopeNotWidened, "200 without scope member, introspection reports the added scope", () =>
            RefreshChecks.EvaluateScopeNotWidened("openid profile", "email",
                Make.Token(Make.Edit(Body("refresh: first (public)"), o => o.Remove("scope"))),
                new IndependentScope("openid profile email", null, true, "introspection reports 'openid profile email'")), "introspection reports");
        yield return new(RefreshChecks.ScopeNotWidened, "200 without scope member, UserInfo returns the added scope's claims", () =>
            RefreshChecks.EvaluateScopeNotWidened("openid profile", "email",
                Make.Token(Make.Edit(Body("refresh: first (public)"), o => o.Remove("scope"))),
                new IndependentScope(null, OidcConformance.Protocol.JsonBody.Parse("""{"sub":"alice","email":"alice@example.com"}""", "application/json"), true,
                    "UserInfo HTTP 200")), "UserInfo with the issued token returns email");
        yield return new(RefreshChecks.ScopeNotWidened, "refused with invalid_grant", () =>
            RefreshChecks.EvaluateScopeNotWidened("openid profile", "email", InvalidGrant), "expected invalid_scope");

        yield return new(RefreshChecks.InvalidTokenRejected, "garbage token redeemed", () =>
            RefreshChecks.EvaluateInvalidTokenRejected(PublicFirst), "an invalid refresh token: the token endpoint answered HTTP 200 and issued an access token");
        yield return new(RefreshChecks.InvalidTokenRejected, "garbage token answered 500", () =>
            RefreshChecks.EvaluateInvalidTokenRejected(Error("server_error", 500)), "expected invalid_grant");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        foreach (var role in new[] { "confidential", "public" })
        {
            yield return new(RefreshChecks.Issued, $"recorded ({role})", () => RefreshChecks.EvaluateIssued(R($"refresh scenario: code exchange ({role})"), true));
            yield return new(RefreshChecks.Succeeds, $"recorded ({role})", () => RefreshChecks.EvaluateSucceeds(R($"refresh: first ({role})")));
            yield return new(RefreshChecks.AccessTokenWorks, $"recorded ({role})", () =>
                RefreshChecks.EvaluateAccessTokenWorks(RecordedPkceRefresh.Exchange($"userinfo GET after refresh ({role})"),
                    RecordedPkceRefresh.IdToken($"refresh scenario: code exchange ({role})").ClaimString("sub")));
            yield return new(RefreshChecks.IdTokenConsistent, $"recorded ({role})", () =>
                RefreshChecks.EvaluateIdTokenConsistent(RecordedPkceRefresh.IdToken($"refresh scenario: code exchange ({role})"),
                    RecordedPkceRefresh.IdToken($"refresh: first ({role})"), RecordedPkceRefresh.Jwks, role == "public" ? "public-client" : "conf-client"));
            yield return new(RefreshChecks.BoundToClient, $"recorded ({role})", () => RefreshChecks.EvaluateBoundToClient(R($"refresh: presented by another client ({role})")));
            yield return new(RefreshChecks.ScopeNarrowing, $"recorded ({role})", () =>
                RefreshChecks.EvaluateScopeNarrowing(R($"refresh scenario: code exchange ({role})").Scope!, "openid", R($"refresh: narrowed scope ({role})")));
            yield return new(RefreshChecks.ScopeNotWidened, $"recorded ({role})", () =>
                RefreshChecks.EvaluateScopeNotWidened(R($"refresh scenario: code exchange ({role})").Scope!, "email", R($"refresh: widened scope ({role})")));
            yield return new(RefreshChecks.InvalidTokenRejected, $"recorded ({role})", () => RefreshChecks.EvaluateInvalidTokenRejected(R($"refresh: invalid token ({role})")));
        }
        yield return new(RefreshChecks.PublicClientRotation, "recorded", () =>
            RefreshChecks.EvaluatePublicClientRotation(true, PublicInitial.RefreshToken!, PublicFirst));
        yield return new(RefreshChecks.RotatedReuseRejected, "recorded", () =>
            RefreshChecks.EvaluateRotatedReuseRejected(true, R("refresh: reuse of the rotated token (public)")));
        yield return new(RefreshChecks.ReuseRevokesActiveToken, "recorded", () =>
            RefreshChecks.EvaluateReuseRevokesActiveToken(R("refresh: reuse of the rotated token (public)"), R("refresh: active token after the reuse (public)")));
        yield return new(RefreshChecks.ClientAuthenticationRequired, "recorded: no client authentication", () =>
            RefreshChecks.EvaluateClientAuthenticationRequired(true, R("refresh: without client authentication (confidential)")));
        yield return new(RefreshChecks.ClientAuthenticationRequired, "recorded: wrong secret with Basic", () =>
            RefreshChecks.EvaluateClientAuthenticationRequired(true, R("refresh: wrong client secret (confidential)"), usedBasic: true));
        yield return new(RefreshChecks.IdTokenConsistent, "signed test tokens", () =>
            RefreshChecks.EvaluateIdTokenConsistent(Original, Signed(RefreshedClaims), TestJwks, "client-1"));
        yield return new(RefreshChecks.ScopeNotWidened, "extra scope ignored (RFC 6749 §3.3)", () =>
            RefreshChecks.EvaluateScopeNotWidened("openid profile", "email", R("refresh: first (public)")));
    }
}
