#!/usr/bin/env bash
# OidcConformance: the two commands of the README, each doing its own set-up on a fresh machine.
#   ./run.sh conformance [RUNSETTINGS [DOTNET-TEST-ARGS…]]  main job: conformance run (default: the embedded node-oidc-provider), report in artifacts/
#   ./run.sh test [DOTNET-TEST-ARGS…]   the project's own tests: unit tests, harness tests, and the suite against the embedded provider
#   ./run.sh test --fast                the inner loop: unit tests and failure proofs only (no suite processes, no browser, no fault catalog)
#   ./run.sh bench test                 runs ./run.sh test and records its wall time per project and per phase (bench/test.sh)
#   ./run.sh bench [RUNSETTINGS]        benchmark: wall time, time waiting on the provider, overhead ratio, logins, checks (bench/run.sh)
#   ./run.sh soak [N] [RUNSETTINGS]     the full suite N times (default 20); lists every verdict that changed (bench/soak.sh)
#   ./run.sh baseline-update [RUNSETTINGS] [--report FILE]  rewrite the run's baseline (fixtures/baselines/<provider>-<version>.json) from its last report.json (or FILE)
#   ./run.sh diff A/report.json B/report.json [--out DIR]  migration diff of two runs → DIR/migration.md + .json (default artifacts/)
#   ./run.sh coverage                   regenerates docs/coverage.md: the checks against the OIDF certification plans' modules (tools/OidcReport)
#   ./run.sh new-provider NAME          commented skeleton profile + runsettings for a new provider (tools/new-provider/new-provider.sh)
#   ./run.sh doctor [RUNSETTINGS]       checks the profile against the live provider (started when embedded): per problem what, which profile key, what to change (tools/OidcDoctor)
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD
CONFIGURATION=${CONFIGURATION:-Debug}

# The categories `./run.sh test --fast` leaves out (each needs a provider, a browser or a suite process).
FAST_FILTER='Category!=Faults&Category!=SuiteProcess&Category!=Browser&Category!=FailureModes'

say() { printf '[run.sh] %s\n' "$*" >&2; }
die() { say "error: $*"; exit 2; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null; then sudo -n "$@"; else return 1; fi; }

apt_install() {
  command -v apt-get >/dev/null || return 1
  say "installing Debian packages: $*"
  if [ -z "${APT_UPDATED:-}" ]; then as_root apt-get update -qq >&2 || return 1; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >&2
}

require_dotnet() {
  command -v dotnet >/dev/null || die ".NET SDK 10 is required (https://dotnet.microsoft.com/download)"
  dotnet --list-sdks | grep -q '^10\.' || die ".NET SDK 10 is required; found: $(dotnet --list-sdks | tr '\n' ' ')"
}

require_node() {
  if ! command -v node >/dev/null; then apt_install nodejs npm || true; fi
  command -v node >/dev/null || die "Node.js >= 20 is required for the embedded provider (node-oidc-provider)"
  local major; major=$(node -p 'process.versions.node.split(".")[0]')
  [ "$major" -ge 20 ] || die "Node.js >= 20 is required for the embedded provider; found $(node --version)"
  command -v npm >/dev/null || die "npm is required to install the embedded provider's packages"
}

build() {
  say "restoring and building ($CONFIGURATION)"
  dotnet build OidcConformance.sln -c "$CONFIGURATION" -nologo -v quiet >&2
}

# A browser for the login flows: an explicit OIDC_BROWSER, Playwright's own Chromium, a system Chromium,
# else Playwright's download (needs internet), else Debian's chromium package (needs root).
ensure_browser() {
  if [ -n "${OIDC_BROWSER:-}" ]; then [ -x "$OIDC_BROWSER" ] || die "OIDC_BROWSER=$OIDC_BROWSER is not an executable"; return; fi
  if ls "${PLAYWRIGHT_BROWSERS_PATH:-$HOME/.cache/ms-playwright}"/chromium*/ >/dev/null 2>&1; then say "browser: Playwright's Chromium"; return; fi
  # The headless shell first (BrowserHost.SystemCandidatesFor: the same order), the full browsers after it.
  for c in /usr/bin/chromium-headless-shell /usr/bin/chromium /usr/bin/chromium-browser /usr/bin/google-chrome /usr/bin/google-chrome-stable; do
    if [ -x "$c" ]; then say "browser: $c"; return; fi
  done
  local pw="tests/Conformance/bin/$CONFIGURATION/net10.0/.playwright"
  if [ -x "$pw/node/linux-x64/node" ] && timeout 300 "$pw/node/linux-x64/node" "$pw/package/cli.js" install chromium >&2 2>&1; then
    say "browser: installed Playwright's Chromium"; return
  fi
  say "Playwright's browser download is not available here; trying the system package"
  apt_install chromium-headless-shell chromium || die "no browser: install Chromium (Debian/Ubuntu: apt-get install chromium-headless-shell chromium) or set OIDC_BROWSER"
}

# One plain closing line over all test assemblies, from the JUnit files: "N passed, N failed, N skipped".
summarize() {
  local tests=0 failed=0 skipped=0 t f e s
  for f_ in artifacts/junit/*.xml; do
    [ -f "$f_" ] || continue
    read -r t f e s < <(grep -o '<testsuite [^>]*>' "$f_" | head -1 |
      sed -E 's/.* tests="([0-9]+)" skipped="([0-9]+)" failures="([0-9]+)" errors="([0-9]+)".*/\1 \3 \4 \2/')
    tests=$((tests + t)); failed=$((failed + f + e)); skipped=$((skipped + s))
  done
  echo "$((tests - failed - skipped)) passed, $failed failed, $skipped skipped"
}

# The artifacts directory a runsettings file names (parameter "artifacts", relative to the repository root); OIDC_ARTIFACTS wins.
artifacts_of() {
  local a
  a=${OIDC_ARTIFACTS:-$(sed -n 's/.*<Parameter name="artifacts" value="\([^"]*\)".*/\1/p' "$1" | head -1)}
  a=${a:-artifacts}
  case "$a" in /*) echo "$a" ;; *) echo "$ROOT/$a" ;; esac
}

# Authlib (Debian's python3-authlib + python3-flask): the JWT bearer grant provider of the test command
# (fixtures/providers/authlib; AuthlibRunTests and the jwtbearer-* faults). Installed when missing and apt-get can.
ensure_authlib() {
  /usr/bin/python3 -c 'import authlib, flask' 2>/dev/null && return
  apt_install python3-authlib python3-flask || true
  /usr/bin/python3 -c 'import authlib, flask' 2>/dev/null \
    || say "warning: /usr/bin/python3 cannot import authlib and flask (Debian: apt-get install python3-authlib python3-flask): the Authlib tests and the jwtbearer-* faults will fail"
}

prepare() {
  if [ -n "${RUN_SH_SKIP_PREPARE:-}" ]; then return; fi # the harness tests call run.sh on a solution they have just built
  require_dotnet
  require_node
  build
  ensure_browser
}

case "${1:-}" in
  conformance)
    prepare
    settings=${2:-runsettings/node-oidc-provider.runsettings}
    [ -f "$settings" ] || die "runsettings file '$settings' not found"
    out=$(artifacts_of "$settings")
    say "conformance run with $settings; reports: $out/report.md, report.html, report.json, conformance.trx, conformance.junit.xml"
    export OIDC_RUNSETTINGS=$settings
    log=$(mktemp)
    status=0
    dotnet test tests/Conformance -c "$CONFIGURATION" --no-build --settings "$settings" --results-directory "$out" \
      --logger "trx;LogFileName=conformance.trx" --logger "junit;LogFilePath=$out/conformance.junit.xml" \
      --logger "console;verbosity=normal" "${@:3}" 2>&1 | tee "$log" || status=$?
    # vstest rejects a malformed settings file without naming it: name it here.
    if grep -q "Settings file provided does not conform" "$log"; then
      reason=$(grep -m1 -o 'Settings file provided does not conform.*' "$log")
      rm -f "$log"
      die "runsettings file '$settings' is malformed: $reason"
    fi
    rm -f "$log"
    # Exit codes (README, "Exit codes"): 0 conformant/as the baseline expects, 1 non-conformant or regressed, 2 usage or set-up
    # error, 3 the provider was unreachable at the start or became unreachable during the run (its Errors are no verdicts: provider down, not non-conformant).
    if [ -f "$out/report.json" ] && grep -Eq '"providerOutage": true|"setupError": "provider .* is unreachable' "$out/report.json"; then
      say "the provider became unreachable during the run (see the first lines of $out/report.md): exit 3, not a conformance result"
      exit 3
    fi
    exit $status
    ;;
  bench)
    if [ "${2:-}" = "test" ]; then
      # The build is timed here (the browser set-up may need its output); bench/test.sh times the test command.
      require_dotnet; require_node
      t0=$(date +%s.%N); build; t1=$(date +%s.%N)
      ensure_browser; ensure_authlib
      BENCH_BUILD_SECONDS=$(awk "BEGIN{printf \"%.3f\", $t1 - $t0}") exec bash bench/test.sh "${@:3}"
    fi
    prepare
    exec bash bench/run.sh "${2:-runsettings/node-oidc-provider.runsettings}"
    ;;
  soak)
    prepare
    exec bash bench/soak.sh "${2:-20}" "${3:-runsettings/node-oidc-provider.runsettings}"
    ;;
  baseline-update)
    require_dotnet
    settings=${2:-runsettings/node-oidc-provider.runsettings}
    [ -f "$settings" ] || die "runsettings file '$settings' not found"
    dotnet build tools/OidcReport -c "$CONFIGURATION" -nologo -v quiet >&2
    dotnet run --project tools/OidcReport -c "$CONFIGURATION" --no-build -- baseline-update "$settings" "${@:3}"
    ;;
  coverage)
    require_dotnet
    dotnet build tools/OidcReport -c "$CONFIGURATION" -nologo -v quiet >&2
    dotnet run --project tools/OidcReport -c "$CONFIGURATION" --no-build -- coverage
    ;;
  diff)
    require_dotnet
    [ $# -ge 3 ] || die "usage: ./run.sh diff A/report.json B/report.json [--out DIR]"
    dotnet build tools/OidcReport -c "$CONFIGURATION" -nologo -v quiet >&2
    dotnet run --project tools/OidcReport -c "$CONFIGURATION" --no-build -- diff "${@:2}"
    ;;
  doctor)
    # Exit 0: no problem; 1: the profile needs changes (each printed with its key and fix); 2: usage or set-up error.
    require_dotnet
    settings=${2:-runsettings/node-oidc-provider.runsettings}
    [ -f "$settings" ] || die "runsettings file '$settings' not found"
    if [ -z "${RUN_SH_SKIP_PREPARE:-}" ]; then
      say "building tools/OidcDoctor ($CONFIGURATION)"
      dotnet build tools/OidcDoctor -c "$CONFIGURATION" -nologo -v quiet >&2
      ensure_browser
    fi
    exec dotnet tools/OidcDoctor/bin/"$CONFIGURATION"/net10.0/OidcDoctor.dll "$settings"
    ;;
  new-provider)
    [ $# -ge 2 ] || die "usage: ./run.sh new-provider NAME"
    exec bash tools/new-provider/new-provider.sh "$2"
    ;;
  test)
    if [ "${2:-}" = "--fast" ]; then
      # Unit tests and failure proofs of tests/OidcConformance.Tests only. Left out, by category: the fault catalog (Faults),
      # tests that start the suite as a process (SuiteProcess), and tests that drive a browser or an in-process fake
      # provider (Browser, FailureModes; the doctor's tests are Browser too); tests/Conformance needs a provider and is not run either.
      require_dotnet
      [ -n "${RUN_SH_SKIP_PREPARE:-}" ] || build
      rm -rf artifacts/junit
      status=0
      dotnet test tests/OidcConformance.Tests -c "$CONFIGURATION" --no-build --filter "$FAST_FILTER" --logger "trx;LogFilePrefix=tests-fast" \
        --logger "junit;LogFilePath=$ROOT/artifacts/junit/{assembly}.xml" --results-directory "$ROOT/artifacts/test-results" || status=$?
      summarize
      exit $status
    fi
    prepare
    [ -n "${RUN_SH_SKIP_PREPARE:-}" ] || ensure_authlib
    rm -rf artifacts/junit
    status=0
    dotnet test OidcConformance.sln -c "$CONFIGURATION" --no-build --logger "trx;LogFilePrefix=tests" \
      --logger "junit;LogFilePath=$ROOT/artifacts/junit/{assembly}.xml" --results-directory "$ROOT/artifacts/test-results" "${@:2}" || status=$?
    summarize
    exit $status
    ;;
  *)
    echo "usage: ./run.sh conformance [RUNSETTINGS] | ./run.sh test [--fast] | ./run.sh bench test | ./run.sh bench [RUNSETTINGS] | ./run.sh soak [N] [RUNSETTINGS] | ./run.sh baseline-update [RUNSETTINGS] [--report FILE] | ./run.sh diff A/report.json B/report.json [--out DIR] | ./run.sh coverage | ./run.sh new-provider NAME | ./run.sh doctor [RUNSETTINGS]" >&2
    exit 2
    ;;
esac
