using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// The unmutated twin of a negative PKCE attempt, made in the same browser session: a refusal of the mutated request
/// says something about the mutation only when this request, identical but for the mutation, succeeded. Casdoor 3.158.0
/// taught why: its public client cannot redeem a code requested without code_challenge at all (HTTP 401 invalid_client,
/// with and without code_verifier), so the "refused" downgrade said nothing about downgrade protection.
/// </summary>
/// <param name="What">The control request in words, e.g. "the same request with an S256 challenge".</param>
public sealed record PkceControl(string What, AuthorizationOutcome Outcome, TokenResponse? Token)
{
    /// <summary>The authorization endpoint redirected a code to the client (the authorization step succeeded).</summary>
    public bool CodeIssued => Outcome.End == AuthorizationEnd.Redirected && Outcome.Response is { Error: null, Code: { Length: > 0 } };

    /// <summary>The code was also redeemed for tokens (the whole request succeeded).</summary>
    public bool Redeemed => CodeIssued && Token is { IsSuccess: true };

    /// <summary>What the control got, for Inconclusive reasons.</summary>
    public string Describe()
    {
        if (Outcome.End != AuthorizationEnd.Redirected) return $"{What}: {Outcome.Describe()}";
        if (Outcome.Response!.Error is { } error)
            return $"{What} was answered with error '{error}'" + (Outcome.Response.Get("error_description") is { } d ? $" ({Http.Redactor.Redact(d)})" : "");
        if (!CodeIssued) return $"{What}: redirected without a code";
        if (Token is null) return $"{What}: a code was issued but not exchanged";
        return Token.IsSuccess ? $"{What}: code issued and redeemed" : $"{What}: a code was issued, and its exchange was refused with {Token.Describe()}";
    }
}
