using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.ClientAuth;

/// <summary>
/// Client authentication with JWTs (OIDC Core 1.0 §9, RFC 7523 §2.2 and §3), per method: the profile's privateKeyJwt and
/// clientSecretJwt clients run the client credentials grant with a normal assertion and with one member changed. Every
/// execution sends its own control, so no verdict depends on another test.
/// </summary>
[TestFixture, Category("ClientAuthJwt"), Parallelizable(ParallelScope.Self)]
public sealed class JwtClientAuthenticationTests : ConformanceTest
{
    private static readonly string[] Methods = ClientAuthJwtChecks.Methods;

    [TestCaseSource(nameof(Methods))]
    public Task Method_authenticates_at_the_token_endpoint(string method) =>
        Verify(method == "private_key_jwt" ? ClientAuthJwtChecks.PrivateKeyJwt : ClientAuthJwtChecks.ClientSecretJwt, async r =>
        {
            var probe = await ClientAuthJwtFlow.NormalAsync(r, method);
            return ClientAuthJwtChecks.EvaluateMethodWorks(method, probe?.Response, probe?.Form.Name, probe?.Rfc7523Refusal)
                .Because(("token request (RFC 7523 form)", probe?.Rfc7523Refusal?.Exchange), ("token request", probe?.Response.Exchange)).WithCase(method);
        });

    [TestCaseSource(nameof(Methods))]
    public Task Method_authenticates_at_introspection(string method) => Verify(ClientAuthJwtChecks.AtIntrospection, async r =>
    {
        var (control, introspection) = await ClientAuthJwtFlow.IntrospectionAsync(r, method);
        return ClientAuthJwtChecks.EvaluateAtIntrospection(method, control, introspection)
            .Because(("token request", control.Exchange), ("introspection", introspection)).WithCase(method);
    });

    [TestCaseSource(nameof(Methods))]
    public Task Method_authenticates_at_revocation(string method) => Verify(ClientAuthJwtChecks.AtRevocation, async r =>
    {
        var (control, revocation) = await ClientAuthJwtFlow.RevocationAsync(r, method);
        return ClientAuthJwtChecks.EvaluateAtRevocation(method, control, revocation)
            .Because(("token request", control.Exchange), ("revocation", revocation)).WithCase(method);
    });

    private static IEnumerable<TestCaseData> Refusals() =>
        from method in ClientAuthJwtChecks.Methods
        from c in new[]
        {
            ("aud of another server", "wrong-audience"), ("expired", "expired"), ("alg none, no signature", "unsigned"),
            ("wrong key or secret", "wrong-key"), ("iss not the client_id", "issuer"),
        }
        select new TestCaseData(method, c.Item1).SetArgDisplayNames(method, c.Item2);

    private static CheckDefinition CheckOf(string @case) => @case switch
    {
        "aud of another server" => ClientAuthJwtChecks.WrongAudience,
        "expired" => ClientAuthJwtChecks.Expired,
        "alg none, no signature" => ClientAuthJwtChecks.Unsigned,
        "wrong key or secret" => ClientAuthJwtChecks.WrongKey,
        _ => ClientAuthJwtChecks.IssuerNotClient,
    };

    [TestCaseSource(nameof(Refusals))]
    public Task Invalid_assertion_is_refused(string method, string @case) => Verify(CheckOf(@case), async r =>
    {
        var a = await ClientAuthJwtFlow.RefusalAsync(r, method, @case);
        return ClientAuthJwtChecks.EvaluateRefused(CheckOf(@case), method, ClientAuthJwtFlow.Describe(@case), a.Control, a.Mutated)
            .Because(("control: normal assertion", a.Control.Exchange), ("changed assertion", a.Mutated.Exchange)).Mutates(a.MutatedStep)
            .WithCase($"{method}, {@case}"); // as the test's arguments name it, so a prerequisite failure gets the same case
    });

    [TestCaseSource(nameof(Methods))]
    public Task Replayed_assertion_is_refused(string method) => Verify(ClientAuthJwtChecks.Replayed, async r =>
    {
        var a = await ClientAuthJwtFlow.ReplayAsync(r, method);
        return ClientAuthJwtChecks.EvaluateRefused(ClientAuthJwtChecks.Replayed, method, "an assertion already used (same jti)", a.Control, a.Mutated)
            .Because(("first use", a.Control.Exchange), ("second use", a.Mutated.Exchange)).Mutates(a.MutatedStep).WithCase(method);
    });

    [TestCaseSource(nameof(Methods))]
    public Task Working_method_is_advertised(string method) => Verify(ClientAuthJwtChecks.MethodAdvertised, async r =>
    {
        var probe = await ClientAuthJwtFlow.NormalAsync(r, method);
        return ClientAuthJwtChecks.EvaluateMethodAdvertised(await r.DiscoveryAsync(), method, probe?.Response.IsSuccess).WithCase(method);
    });

    [Test]
    public Task Signing_algorithms_are_advertised() => Verify(ClientAuthJwtChecks.SigningAlgsAdvertised, async r =>
        ClientAuthJwtChecks.EvaluateSigningAlgsAdvertised(await r.DiscoveryAsync()));
}
