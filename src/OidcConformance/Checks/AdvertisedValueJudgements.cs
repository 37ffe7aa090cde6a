using OidcConformance.Protocol;

namespace OidcConformance.Checks;

/// <summary>
/// Turns the artifacts of one request (an authorization attempt, a token response) into a <see cref="ProbeOutcome"/> for
/// <see cref="AdvertisedValueChecks"/>. Pure functions: the failure proofs call them with hand-made artifacts.
/// </summary>
public static class AdvertisedValueJudgements
{
    /// <summary>
    /// An authorization attempt with <paramref name="responseType"/> (and <paramref name="responseMode"/>, when one was sent).
    /// Worked: a redirect without error, judged for the parameter names the response type defines (RFC 6749 §4.1.2, §4.2.2;
    /// OIDC Core §3.2.2.5, §3.3.2.5; Multiple Response Types §3 for none), state, where the parameters arrived, and (for a code)
    /// that the code was redeemed. Refused: an error redirect or the provider's error page. Anything else is no evidence.
    /// </summary>
    public static ProbeOutcome Authorization(AuthorizationAttempt attempt, string responseType, string? responseMode)
    {
        var o = attempt.Outcome;
        if (o.End == AuthorizationEnd.ProviderError) return ProbeOutcome.Refused($"the provider showed an error page ({o.Detail})") with { ErrorPage = true };
        if (o.End != AuthorizationEnd.Redirected || o.Response is not { } r || o.TargetUnreachable is not null)
            return ProbeOutcome.NoEvidence(o.Describe());
        if (r.Error is { } error)
            return ProbeOutcome.Refused($"error '{error}' redirected in the {Where(r.Location)}" +
                                        (r.Get("error_description") is { } d ? $" ({Http.Redactor.Redact(d)})" : ""), error);

        var problems = new List<string>();
        var parts = responseType.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var none = parts is ["none"];
        foreach (var name in none ? [] : ResponseTypes.RequiredParameters(responseType))
            if (string.IsNullOrEmpty(r.Get(name))) problems.Add($"no {name} in the response (response_type {responseType} returns it)");
        // Parameters of a response type that was not requested: a plain OAuth 'token' carries no id_token, 'id_token' no
        // access token (OIDC Core §3.2.2.5), 'code' and 'none' no token at all.
        if (!ResponseTypes.HasIdToken(responseType) && r.Has("id_token")) problems.Add($"an id_token came with response_type {responseType}, which does not ask for one");
        if (!ResponseTypes.HasToken(responseType) && r.Has("access_token")) problems.Add($"an access_token came with response_type {responseType}, which does not ask for one");
        if (!ResponseTypes.HasCode(responseType) && r.Has("code")) problems.Add($"a code came with response_type {responseType}, which does not ask for one");
        var state = attempt.Request.State;
        if (state is not null && r.State != state)
            problems.Add(r.State is null ? "state was not returned (RFC 6749 §4.1.2, §4.2.2: REQUIRED when the request had one)" : "state differs from the request's");
        if (ResponseTypes.HasToken(responseType) && r.Get("token_type") is { } tt && tt.Length == 0) problems.Add("token_type is empty");

        var expected = ExpectedLocation(responseType, responseMode);
        if (expected is { } where && r.Location != where)
            problems.Add($"the parameters arrived in the {Where(r.Location)}, not in the {Where(where)} " +
                         (responseMode is null ? $"(the default response mode of {responseType})" : $"(response_mode={responseMode})"));
        if (ResponseTypes.HasCode(responseType) && r.Code is not null && attempt.Token is { } token && !token.IsSuccess)
            problems.Add($"the code was not redeemed at the token endpoint ({token.Describe()})");

        var names = string.Join(", ", r.Parameters.Select(p => p.Key).Distinct());
        var expiresNote = ResponseTypes.HasToken(responseType) && !r.Has("expires_in") ? "; no expires_in (RECOMMENDED, RFC 6749 §4.2.2)" : "";
        var exchange = attempt.Token is { IsSuccess: true } ? "; the code was redeemed" : "";
        return ProbeOutcome.Worked($"redirected with {names} in the {Where(r.Location)}{exchange}{expiresNote}", problems);
    }

    /// <summary>Where the response must arrive: response_mode when sent, else query for code and none, fragment for the rest (Multiple Response Types §2.1, §3, §5).</summary>
    public static ResponseLocation? ExpectedLocation(string responseType, string? responseMode) => responseMode switch
    {
        "query" => ResponseLocation.Query,
        "fragment" => ResponseLocation.Fragment,
        "form_post" => ResponseLocation.FormPost,
        null => ResponseTypes.Normalize(responseType) is "code" or "none" ? ResponseLocation.Query : ResponseLocation.Fragment,
        _ => null,
    };

    /// <summary>A token endpoint answer: success with an access token is Worked, an OAuth error is Refused, anything else no evidence.</summary>
    public static ProbeOutcome Token(TokenResponse? token, string what)
    {
        if (token is null) return ProbeOutcome.NoEvidence($"no {what} request was made");
        if (token.IsSuccess)
            return ProbeOutcome.Worked($"{what}: HTTP {token.Exchange.StatusCode}, token_type {token.TokenType ?? "(none)"}" +
                                       (token.Scope is { } s ? $", scope '{s}'" : ""));
        if (token.Exchange.TransportError is not null || token.Exchange.StatusCode >= 500 && token.Error is null)
            return ProbeOutcome.NoEvidence($"{what}: {token.Describe()}");
        return ProbeOutcome.Refused($"{what}: {token.Describe()}", token.Error);
    }

    private static string Where(ResponseLocation l) => l switch
    {
        ResponseLocation.Query => "query",
        ResponseLocation.Fragment => "fragment",
        _ => "form_post body",
    };
}
