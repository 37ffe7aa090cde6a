using NUnit.Framework;
using OidcConformance.Checks;
using OidcConformance.Flows;

namespace OidcConformance.Suites.Registration;

/// <summary>
/// Dynamic client registration (RFC 7591, OIDC Dynamic Client Registration 1.0, RFC 7592 client read and update). Each
/// test registers its own clients; each refusal is judged against a normal registration made in the same test.
/// </summary>
[TestFixture, Category("Registration"), Parallelizable(ParallelScope.Self)]
public sealed class RegistrationTests : ConformanceTest
{
    [Test] public Task Endpoint_is_advertised() => Verify(RegistrationChecks.EndpointAdvertised, async r =>
        RegistrationChecks.EvaluateEndpointAdvertised(await r.DiscoveryAsync(), r.Profile.Features));

    [Test] public Task Valid_metadata_registers_a_client() => Verify(RegistrationChecks.ClientRegistered, async r =>
    {
        var a = await RegistrationFlow.RegisterAsync(r, "normal");
        return RegistrationChecks.EvaluateRegistered(a.Response, "client_secret_basic").Because(("registration", a.Response.Exchange));
    });

    [Test] public Task Registered_metadata_is_returned() => Verify(RegistrationChecks.MetadataEchoed, async r =>
    {
        var a = await RegistrationFlow.RegisterAsync(r, "normal");
        return RegistrationChecks.EvaluateMetadataEchoed(a.Response, a.Sent).Because(("registration", a.Response.Exchange));
    });

    [Test] public Task Registered_client_logs_in_with_a_browser() => Verify(RegistrationChecks.RegisteredClientLogsIn, async r =>
    {
        var (registration, flow) = await RegistrationFlow.LoginAsync(r);
        return RegistrationChecks.EvaluateRegisteredClientLogsIn(registration.Response, flow?.Outcome, flow?.Token, flow?.IdToken)
            .Because(("registration", registration.Response.Exchange), ("code exchange", flow?.Token?.Exchange));
    });

    [Test] public Task Fragment_in_redirect_uri_is_invalid_redirect_uri() => Verify(RegistrationChecks.InvalidRedirectUri, async r =>
    {
        var (control, changed) = await RegistrationFlow.FragmentRedirectAsync(r);
        return RegistrationChecks.EvaluateInvalidRedirectUri(control.Response, changed.Response)
            .Because(("control: normal registration", control.Response.Exchange), ("changed registration", changed.Response.Exchange))
            .Mutates(RegistrationFlow.FragmentChange);
    });

    [Test] public Task Invalid_metadata_is_refused_or_replaced() => Verify(RegistrationChecks.InvalidMetadata, async r =>
    {
        var (control, changed) = await RegistrationFlow.InvalidMetadataAsync(r);
        return RegistrationChecks.EvaluateInvalidMetadata(control.Response, changed.Response, RegistrationFlow.InvalidMember, RegistrationFlow.InvalidValue)
            .Because(("control: normal registration", control.Response.Exchange), ("changed registration", changed.Response.Exchange))
            .Mutates(RegistrationFlow.InvalidMetadataChange);
    });

    [Test] public Task Registration_is_read_with_its_token() => Verify(RegistrationChecks.ReadWithToken, async r =>
    {
        var a = await RegistrationFlow.RegisterAsync(r, "normal");
        var read = a.Response.IsRegistered ? await RegistrationFlow.ReadAsync(r, a.Response) : null;
        return RegistrationChecks.EvaluateRead(a.Response, read).Because(("registration", a.Response.Exchange), ("client read", read));
    });

    [Test] public Task Wrong_registration_access_token_is_refused() => Verify(RegistrationChecks.ReadNeedsToken, async r =>
    {
        var a = await RegistrationFlow.RegisterAsync(r, "normal");
        if (!a.Response.IsRegistered) return RegistrationChecks.ReadNeedsToken.NotApplicable($"no client was registered ({a.Response.Describe()})");
        var control = await RegistrationFlow.ReadAsync(r, a.Response);
        var wrong = await RegistrationFlow.ReadAsync(r, a.Response, "wrong-" + OidcConformance.Protocol.Random.Token(16), "client read (wrong registration access token)");
        return RegistrationChecks.EvaluateReadNeedsToken(control, wrong).Because(("control: read with the token", control), ("read with a wrong token", wrong))
            .Mutates(RegistrationFlow.WrongTokenChange);
    });

    [Test] public Task Registration_is_updated_with_its_token() => Verify(RegistrationChecks.Update, async r =>
    {
        var a = await RegistrationFlow.RegisterAsync(r, "normal");
        var (newName, update) = a.Response.IsRegistered ? await RegistrationFlow.UpdateAsync(r, a) : ("", null);
        return RegistrationChecks.EvaluateUpdate(a.Response, update, newName).Because(("registration", a.Response.Exchange), ("client update", update));
    });
}
