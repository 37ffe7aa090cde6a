using OidcConformance.Browser;
using OidcConformance.Checks;
using OidcConformance.Profiles;
using OidcConformance.Protocol;
using OidcConformance.Run;

namespace OidcConformance.Flows;

/// <summary>How a PKCE attempt departs from a correct S256 request and exchange (the pipeline step each negative test mutates).</summary>
public enum PkceMutation
{
    /// <summary>S256 challenge, matching verifier.</summary>
    None,
    /// <summary>S256 challenge, a different well-formed verifier.</summary>
    WrongVerifier,
    /// <summary>S256 challenge, no code_verifier in the token request.</summary>
    MissingVerifier,
    /// <summary>No code_challenge in the authorization request, a code_verifier in the token request (RFC 9700 §4.8.2).</summary>
    Downgrade,
    /// <summary>42-character verifier; its S256 hash is the challenge.</summary>
    VerifierTooShort,
    /// <summary>129-character verifier; its S256 hash is the challenge.</summary>
    VerifierTooLong,
    /// <summary>Verifier with characters outside the unreserved set; its S256 hash is the challenge.</summary>
    VerifierIllegalCharacters,
    /// <summary>code_challenge_method=plain, matching verifier.</summary>
    Plain,
    /// <summary>A code_challenge_method no specification defines.</summary>
    UnknownMethod,
    /// <summary>No PKCE parameters at all.</summary>
    NoChallenge,
}

public static class PkceFlows
{
    public const string UnknownMethodName = "S512";

    /// <summary>One browser session for the PKCE suite: the first attempt logs in, later ones use SSO.</summary>
    public static Task<UserAgent> UserAgentAsync(ConformanceRun run) => run.SharedAsync(SharedArtifacts.PkceUserAgent, run.NewUserAgentAsync);

    /// <summary>The attempt of <paramref name="client"/> with <paramref name="mutation"/>, made once per run.</summary>
    public static Task<CodeFlowResult> AttemptAsync(ConformanceRun run, ClientProfile client, PkceMutation mutation) =>
        run.SharedAsync(SharedArtifacts.PkceAttempt(client.Role, mutation), async () =>
        {
            if (!run.Profile.Features.Pkce) throw new PrerequisiteException("the profile does not offer PKCE (features.pkce)");
            if (!client.ResponseTypes.Contains("code")) throw new PrerequisiteException($"the {client.Role} client is not registered for response_type=code");
            var userAgent = await UserAgentAsync(run);
            // Every negative attempt follows the client's unmutated S256 attempt in the same session, whatever order the tests
            // run in: the session state it meets is then known (logged in, consent given), and a refusal shown on the
            // provider's page is met the same way each time (Casdoor: the "Continue with" tile, then its toast, instead of a
            // credential form whose submission the toast would answer). The unmutated attempt is also the negative's control.
            if (mutation != PkceMutation.None) await AttemptAsync(run, client, PkceMutation.None);
            return await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser, userAgent: userAgent, pkce: true, customize: r => Mutate(r, mutation));
        });

    /// <summary>
    /// The control of a negative attempt: the same client's attempt with <paramref name="mutation"/> (None: S256 with its
    /// verifier; NoChallenge: no PKCE at all), made once per run in the same browser session as the negative attempts.
    /// </summary>
    public static async Task<PkceControl> ControlAsync(ConformanceRun run, ClientProfile client, PkceMutation mutation)
    {
        var flow = await AttemptAsync(run, client, mutation);
        var what = mutation switch
        {
            PkceMutation.None => $"the control (the same {client.Role} client's request with an S256 challenge and its verifier)",
            PkceMutation.NoChallenge => $"the control (the same {client.Role} client's request without code_challenge, redeemed without code_verifier)",
            _ => $"the control ({client.Role}: {mutation})",
        };
        return new PkceControl(what, flow.Outcome, flow.Token);
    }

    public static void Mutate(AuthorizationRequest request, PkceMutation mutation)
    {
        switch (mutation)
        {
            case PkceMutation.None:
                request.WithPkce();
                break;
            case PkceMutation.WrongVerifier:
                request.WithPkce();
                request.CodeVerifier = Pkce.NewVerifier();
                break;
            case PkceMutation.MissingVerifier:
                request.WithPkce();
                request.CodeVerifier = null;
                break;
            case PkceMutation.Downgrade:
                request.WithPkce();
                request.Remove("code_challenge").Remove("code_challenge_method");
                break;
            case PkceMutation.VerifierTooShort:
                WithS256Verifier(request, Pkce.NewVerifier(42));
                break;
            case PkceMutation.VerifierTooLong:
                WithS256Verifier(request, Pkce.NewVerifier(64) + Pkce.NewVerifier(64) + "x");
                break;
            case PkceMutation.VerifierIllegalCharacters:
                WithS256Verifier(request, Pkce.NewVerifier(60) + "+/=!");
                break;
            case PkceMutation.Plain:
                request.WithPkce("plain");
                break;
            case PkceMutation.UnknownMethod:
                request.WithPkce();
                request.Set("code_challenge_method", UnknownMethodName);
                break;
            case PkceMutation.NoChallenge:
                request.Remove("code_challenge").Remove("code_challenge_method");
                request.CodeVerifier = null;
                break;
        }
    }

    private static void WithS256Verifier(AuthorizationRequest request, string verifier)
    {
        request.CodeVerifier = verifier;
        request.Set("code_challenge", Pkce.S256(verifier)).Set("code_challenge_method", "S256");
    }
}
