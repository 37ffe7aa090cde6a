using OidcConformance.Http;
using OidcConformance.Tests.Support;
using static OidcConformance.Checks.CorsChecks;

namespace OidcConformance.Tests.Proofs;

/// <summary>
/// CORS answers as a browser judges them (Fetch Standard): no Access-Control-Allow-Origin, another origin, a preflight
/// refused or not listing Authorization (or only *), and * with credentials; passes on answers shaped as
/// node-oidc-provider's (origin echoed) and glewlwyd's (*).
/// </summary>
public sealed class CorsProofs : IFailureProofs, IPassProofs
{
    private const string Origin = "http://127.0.0.1:5555";

    private static HttpExchange Answer(int status, string method, params (string, string)[] headers) =>
        Make.Exchange(status, status == 204 ? "" : "{}", status == 204 ? "" : "application/json", "http://op.test/me", method, headers);

    private static HttpExchange PreflightAnswer(params (string, string)[] headers) => Answer(204, "OPTIONS", headers);

    public IEnumerable<FailureProof> Proofs()
    {
        yield return new(ResponseAllowsOrigin, "no Access-Control-Allow-Origin (CORS headers stripped)",
            () => EvaluateResponse("userinfo", Answer(200, "GET"), Origin), "no Access-Control-Allow-Origin");
        yield return new(ResponseAllowsOrigin, "another origin allowed",
            () => EvaluateResponse("token", Answer(400, "POST", ("Access-Control-Allow-Origin", "https://admin.op.test")), Origin), "is not the registered web origin");
        yield return new(Preflight, "preflight answered 405",
            () => EvaluatePreflight("userinfo", Answer(405, "OPTIONS"), Origin, "GET", ["authorization"]), "status 405");
        yield return new(Preflight, "Authorization not allowed",
            () => EvaluatePreflight("userinfo", PreflightAnswer(("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Headers", "content-type")), Origin, "GET", ["authorization"]),
            "'authorization' is not allowed");
        yield return new(Preflight, "Access-Control-Allow-Headers: * does not cover Authorization",
            () => EvaluatePreflight("userinfo", PreflightAnswer(("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Headers", "*")), Origin, "GET", ["authorization"]),
            "never covers Authorization");
        yield return new(NoWildcardWithCredentials, "* with Access-Control-Allow-Credentials: true",
            () => EvaluateNoWildcardWithCredentials("discovery", [Answer(200, "GET", ("Access-Control-Allow-Origin", "*"), ("Access-Control-Allow-Credentials", "true"))]),
            "Access-Control-Allow-Credentials: true");
    }

    public IEnumerable<PassProof> PassProofs()
    {
        yield return new(ResponseAllowsOrigin, "origin echoed (node-oidc-provider style)",
            () => EvaluateResponse("userinfo", Answer(200, "GET", ("Access-Control-Allow-Origin", Origin), ("Vary", "Origin")), Origin));
        yield return new(ResponseAllowsOrigin, "* (glewlwyd style, allow_origin=\"*\")", () => EvaluateResponse("discovery", Answer(200, "GET", ("Access-Control-Allow-Origin", "*")), Origin));
        yield return new(Preflight, "preflight allowing the origin and Authorization",
            () => EvaluatePreflight("userinfo", PreflightAnswer(("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Methods", "GET,POST"),
                ("Access-Control-Allow-Headers", "authorization")), Origin, "GET", ["authorization"]));
        yield return new(NoWildcardWithCredentials, "origin echoed with credentials",
            () => EvaluateNoWildcardWithCredentials("token", [Answer(400, "POST", ("Access-Control-Allow-Origin", Origin), ("Access-Control-Allow-Credentials", "true"))]));
    }
}
