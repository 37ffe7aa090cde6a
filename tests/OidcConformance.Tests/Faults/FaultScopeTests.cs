using FluentAssertions;
using NUnit.Framework;
using OidcConformance.Faults;

namespace OidcConformance.Tests.Faults;

/// <summary>
/// Which tests a fault run keeps (FaultScope): the control tests that report one of the fault's declared checks; the check
/// ids come from the verdict lines of the TRX or from the suite host's answer.
/// </summary>
[TestFixture]
public sealed class FaultScopeTests
{
    // A TRX as vstest writes it for the conformance suite: definitions (class + method with case arguments) and results
    // with their duration and the verdict lines ConformanceTest.Apply prints.
    private const string Trx = """
        <?xml version="1.0" encoding="utf-8"?>
        <TestRun xmlns="http://microsoft.com/schemas/VisualStudio/TeamTest/2010">
          <Results>
            <UnitTestResult testId="a1" testName="Logout_redirects_with_state" duration="00:00:28.2098110"><Output><StdOut>Passed: logout.redirect-with-state (MUST, OIDC RP-Initiated Logout 1.0 §2): as required
        --- exchange
        GET /session/end</StdOut></Output></UnitTestResult>
            <UnitTestResult testId="a2" testName="Tampered(&quot;alg-none&quot;)" duration="00:00:09.6"><Output><StdOut>Passed: logout.tampered-id-token-hint-no-redirect [alg-none] (MUST, x): ok</StdOut></Output></UnitTestResult>
            <UnitTestResult testId="a3" testName="Tampered(&quot;foreign-key&quot;)" duration="00:00:10.1"><Output><StdOut>Inconclusive: logout.tampered-id-token-hint-no-redirect [foreign-key] (MUST, x): no key</StdOut></Output></UnitTestResult>
            <UnitTestResult testId="a4" testName="End_session_endpoint_is_advertised" duration="00:00:00.2269980"><Output><StdOut>Passed: logout.end-session-endpoint (MUST, x): as required</StdOut></Output></UnitTestResult>
            <UnitTestResult testId="a5" testName="Logout_redirects" duration="00:00:05"><Output><StdOut>Warning: logout.redirect-plain (SHOULD, x): no</StdOut></Output></UnitTestResult>
            <UnitTestResult testId="a6" testName="Preflight" duration="00:00:03"/>
          </Results>
          <TestDefinitions>
            <UnitTest name="Logout_redirects_with_state" id="a1"><TestMethod className="S.LogoutTests" name="Logout_redirects_with_state" /></UnitTest>
            <UnitTest name="Tampered(&quot;alg-none&quot;)" id="a2"><TestMethod className="S.Tampered" name="Tampered(&quot;alg-none&quot;)" /></UnitTest>
            <UnitTest name="Tampered(&quot;foreign-key&quot;)" id="a3"><TestMethod className="S.Tampered" name="Tampered(&quot;foreign-key&quot;)" /></UnitTest>
            <UnitTest name="End_session_endpoint_is_advertised" id="a4"><TestMethod className="S.LogoutTests" name="End_session_endpoint_is_advertised" /></UnitTest>
            <UnitTest name="Logout_redirects" id="a5"><TestMethod className="S.LogoutTests" name="Logout_redirects" /></UnitTest>
            <UnitTest name="Preflight" id="a6"><TestMethod className="S.PreflightTests" name="Preflight" /></UnitTest>
          </TestDefinitions>
        </TestRun>
        """;

    private static IReadOnlyList<ControlTest> Control()
    {
        var path = Path.Combine(Path.GetTempPath(), $"fault-scope-{Guid.NewGuid():N}.trx");
        File.WriteAllText(path, Trx);
        try { return FaultScope.ReadControl(path)!; }
        finally { File.Delete(path); }
    }

    private static Fault FaultOn(params string[] checks) => new("f", "test fault", ["Logout"], checks.Select(c => new Kill(c, ".")).ToArray());

    [Test]
    public void The_control_TRX_gives_each_method_its_time_and_the_checks_of_its_verdict_lines()
    {
        var control = Control().ToDictionary(t => t.Method);
        control.Keys.Should().BeEquivalentTo("S.LogoutTests.Logout_redirects_with_state", "S.Tampered.Tampered", "S.LogoutTests.End_session_endpoint_is_advertised",
            "S.LogoutTests.Logout_redirects", "S.PreflightTests.Preflight");
        control["S.Tampered.Tampered"].Seconds.Should().BeApproximately(19.7, 0.01, "the cases of a method add up");
        control["S.Tampered.Tampered"].Checks.Should().BeEquivalentTo(["logout.tampered-id-token-hint-no-redirect"]);
        control["S.LogoutTests.Logout_redirects_with_state"].Checks.Should().BeEquivalentTo(["logout.redirect-with-state"], "evidence lines are no verdicts");
        control["S.PreflightTests.Preflight"].Checks.Should().BeEmpty();
    }

    [Test]
    public void A_fault_runs_only_the_tests_that_report_one_of_its_declared_checks()
    {
        var fault = FaultOn("logout.tampered-id-token-hint-no-redirect");
        FaultScope.Kept(fault, Control()).Should().Equal("S.Tampered.Tampered");
        FaultScope.Filter(fault, Control()).Should().Be("(Category=Logout)&(FullyQualifiedName~S.Tampered.Tampered)");
        // NUnit's filter matches the method exactly (its cases' full names add "(arguments)"), not a method whose name starts with it.
        FaultScope.Where(fault, Control()).Should().Be(@"<filter><and><or><cat>Logout</cat></or><or><test re=""1"">^S\.Tampered\.Tampered(\(|$)</test></or></and></filter>");
    }

    [Test]
    public void A_check_that_may_turn_inconclusive_or_loses_evidence_keeps_its_tests_too()
    {
        var inconclusive = FaultOn("logout.end-session-endpoint") with { MayTurnInconclusive = ["logout.tampered-id-token-hint-no-redirect", "logout.redirect-plain"] };
        FaultScope.Kept(inconclusive, Control()).Should().Equal("S.LogoutTests.End_session_endpoint_is_advertised", "S.LogoutTests.Logout_redirects", "S.Tampered.Tampered");
        var losing = new Fault("f", "test fault", ["Logout"], []) { LosesEvidenceFor = ["logout.redirect-with-state"] };
        FaultScope.Kept(losing, Control()).Should().Equal("S.LogoutTests.Logout_redirects_with_state");
    }

    [Test]
    public void The_suite_hosts_answer_gives_the_same_control_as_a_TRX()
    {
        var cases = new[]
        {
            new Harness.SuiteHostPool.CaseResult("S.Tampered.Tampered", 9.6, new HashSet<string> { "logout.tampered-id-token-hint-no-redirect" }),
            new Harness.SuiteHostPool.CaseResult("S.Tampered.Tampered", 10.1, new HashSet<string> { "logout.tampered-id-token-hint-no-redirect" }),
            new Harness.SuiteHostPool.CaseResult("S.PreflightTests.Preflight", 3, new HashSet<string>()),
        };
        var control = FaultScope.FromCases(cases).ToDictionary(t => t.Method);
        control["S.Tampered.Tampered"].Seconds.Should().BeApproximately(19.7, 0.01);
        control["S.Tampered.Tampered"].Checks.Should().BeEquivalentTo(Control().Single(t => t.Method == "S.Tampered.Tampered").Checks);
        control["S.PreflightTests.Preflight"].Checks.Should().BeEmpty();
    }

    [Test]
    public void A_scoped_run_is_trusted_only_when_it_kills_exactly_the_declared_checks_with_their_reasons()
    {
        var fault = new Fault("f", "test fault", ["Logout"], [new Kill("logout.redirect-with-state", "state")]);
        var control = new FaultRun(FaultCatalog.None, [new("logout.redirect-with-state", null, "Passed", "ok"), new("logout.end-session-endpoint", null, "Passed", "ok")], true, null, TimeSpan.Zero, "");
        FaultRun Run(params Execution[] executions) => new(fault, executions, true, null, TimeSpan.Zero, "");

        FaultDiff.Of(Run(new Execution("logout.redirect-with-state", null, "Failed", "the redirect lacks state")), control).KillsExactly(fault).Should().BeTrue();
        FaultDiff.Of(Run(new Execution("logout.redirect-with-state", null, "Passed", "ok")), control).KillsExactly(fault).Should().BeFalse("nothing was killed");
        FaultDiff.Of(Run(new Execution("logout.redirect-with-state", null, "Failed", "timeout")), control).KillsExactly(fault).Should().BeFalse("the reason does not name the broken property");
        FaultDiff.Of(Run(new Execution("logout.redirect-with-state", null, "Failed", "no state"), new Execution("logout.end-session-endpoint", null, "Failed", "missing")), control)
            .KillsExactly(fault).Should().BeFalse("another check was killed too");
    }

    [Test]
    public void Without_a_control_TRX_a_fault_runs_on_its_whole_categories()
    {
        FaultScope.ReadControl(Path.Combine(Path.GetTempPath(), "no-such-control.trx")).Should().BeNull();
        var fault = FaultOn("logout.redirect-with-state") with { Categories = ["Logout", "Discovery", "Logout"] };
        FaultScope.Filter(fault, null).Should().Be("Category=Logout|Category=Discovery");
        FaultScope.Where(fault, null).Should().Be("<filter><or><cat>Logout</cat><cat>Discovery</cat></or></filter>");
        FaultScope.Kept(FaultOn("no.such-check"), Control()).Should().BeEmpty("no control test reported it: the whole categories run");
    }
}
