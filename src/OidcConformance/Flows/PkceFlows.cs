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
            var steps = Steps(mutation);
            return await CodeFlow.RunAsync(run, client, run.Profile.PrimaryUser, userAgent: userAgent, pkce: true,
                authorizationSteps: steps.Authorization, tokenSteps: steps.Token);
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

    /// <summary>
    /// The PKCE steps of one attempt with <paramref name="mutation"/>: what it changes in the normal authorization request
    /// (S256 challenge, <see cref="PkceChallengeStep"/>) and in the normal code exchange (its verifier, <see cref="PkceVerifierStep"/>).
    /// A malformed verifier changes both: its own S256 hash is the challenge, so that only the verifier's form is wrong.
    /// Made afresh per attempt (each holds its own random verifier).
    /// </summary>
    public static PkceSteps Steps(PkceMutation mutation)
    {
        switch (mutation)
        {
            case PkceMutation.None:
                return PkceSteps.Unchanged;
            case PkceMutation.WrongVerifier:
                return new(null, t => t.Replace<PkceVerifierStep>(new PkceVerifierStep(Pkce.NewVerifier()), "a different well-formed verifier"));
            case PkceMutation.MissingVerifier:
                return new(null, t => t.Without<PkceVerifierStep>());
            case PkceMutation.Downgrade:
                return new(a => a.Without<PkceChallengeStep>(),
                    t => t.Replace<PkceVerifierStep>(new PkceVerifierStep(Pkce.NewVerifier()), "a verifier although no challenge was sent"));
            case PkceMutation.VerifierTooShort:
                return Malformed(Pkce.NewVerifier(42), "42 characters (RFC 7636 §4.1: 43 to 128)");
            case PkceMutation.VerifierTooLong:
                return Malformed(Pkce.NewVerifier(64) + Pkce.NewVerifier(64) + "x", "129 characters (RFC 7636 §4.1: 43 to 128)");
            case PkceMutation.VerifierIllegalCharacters:
                return Malformed(Pkce.NewVerifier(60) + "+/=!", "characters outside the unreserved set (RFC 7636 §4.1)");
            case PkceMutation.Plain:
                return new(a => a.Replace<PkceChallengeStep>(new PkceChallengeStep("plain"), "code_challenge_method=plain, the verifier as challenge"), null);
            case PkceMutation.UnknownMethod:
                return new(a => a.Replace<PkceChallengeStep>(new PkceChallengeStep(UnknownMethodName),
                    $"code_challenge_method={UnknownMethodName}, which no specification defines"), null);
            case PkceMutation.NoChallenge:
                return new(a => a.Without<PkceChallengeStep>("left out (the code exchange then sends no code_verifier)"), null);
            default:
                throw new ArgumentOutOfRangeException(nameof(mutation), mutation, null);
        }
    }

    private static PkceSteps Malformed(string verifier, string what) => new(
        a => a.Replace<PkceChallengeStep>(new PkceChallengeStep("S256", verifier), "the S256 challenge of the malformed verifier the code exchange sends"),
        t => t.Replace<PkceVerifierStep>(new PkceVerifierStep(verifier), "a verifier of " + what));
}

/// <summary>The changes one PKCE attempt makes to the normal authorization request and code exchange (null: that pipeline is unchanged).</summary>
public sealed record PkceSteps(Action<AuthorizationPipeline>? Authorization, Action<TokenPipeline>? Token)
{
    public static readonly PkceSteps Unchanged = new(null, null);
}
