#!/usr/bin/env bash
# Benchmark of the README's test command: builds, runs `./run.sh test` (its exit code is this script's), and records
# its wall time per project and per phase in artifacts/bench/bench.json (member "testCommand"; the member "conformance"
# that bench/run.sh writes is kept) and artifacts/bench/test.txt.
#   bash bench/test.sh [DOTNET-TEST-ARGS…]   (./run.sh bench test does the set-up first; arguments go to ./run.sh test, e.g. a --filter)
# Phases: build; the fault catalog (artifacts/faults-timing.json, written by tests/OidcConformance.Tests/Faults/FaultRuns.cs);
# the other tests of tests/OidcConformance.Tests (unit, proofs, harness: that project's wall time minus the fault catalog);
# the conformance suite against the embedded provider (tests/Conformance's wall time). Project walls come from each
# project's TRX (<Times start/finish>); `dotnet test` on the solution runs the projects side by side, so the phases overlap.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
CONFIGURATION=${CONFIGURATION:-Debug}
out=${BENCH_DIR:-$PWD/artifacts/bench}
mkdir -p "$out"
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
marker=$(mktemp); trap 'rm -f "$marker"' EXIT
# The build: timed by ./run.sh bench test (BENCH_BUILD_SECONDS), else here.
if [ -n "${BENCH_BUILD_SECONDS:-}" ]; then
  # printf, not print: awk prints numbers with 6 significant digits, which turns an epoch time into 1.79691e+09 (off by
  # up to an hour; the bench once reported a 46-minute build for a 37-second one).
  built=$(date +%s.%N); start=$(awk "BEGIN{printf \"%.3f\", $built - $BENCH_BUILD_SECONDS}")
else
  start=$(date +%s.%N)
  dotnet build OidcConformance.sln -c "$CONFIGURATION" -nologo -v quiet >&2
  built=$(date +%s.%N)
fi
status=0
# The console output goes on to the caller too (CI shows the failing tests), and to the log the phases are read from.
set -o pipefail
RUN_SH_SKIP_PREPARE=1 ./run.sh test "$@" 2>&1 | tee "$out/test-console.log" || status=$?
end=$(date +%s.%N)
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
# (the console output was shown above)
# This run's TRX files and fault timing only: files older than the marker belong to earlier runs.
trx=$(find "$ROOT/artifacts/test-results" -maxdepth 1 -name '*.trx' -newer "$marker" 2>/dev/null | tr '\n' ' ')
faults="$ROOT/artifacts/faults-timing.json"
[ -f "$faults" ] && [ "$faults" -nt "$marker" ] || faults=""
node - "$out" "$start" "$built" "$end" "$status" "$load_before" "$load_after" "$faults" $trx <<'JS'
const [dir, start, built, end, status, loadBefore, loadAfter, faultsFile, ...trx] = process.argv.slice(2);
const fs = require('fs');
const projects = {};
for (const file of trx) {
  const s = fs.readFileSync(file, 'utf8');
  const times = /<Times [^>]*start="([^"]+)"[^>]*finish="([^"]+)"/.exec(s);
  const dll = /codeBase="([^"]+?\.dll)"/i.exec(s);
  if (!times || !dll) continue;
  const name = dll[1].split(/[\\/]/).pop().replace(/\.dll$/i, '');
  const counters = /<Counters [^>]*total="(\d+)"[^>]*passed="(\d+)"[^>]*failed="(\d+)"/.exec(s);
  projects[name] = {
    wallSeconds: +((Date.parse(times[2]) - Date.parse(times[1])) / 1000).toFixed(1),
    tests: counters ? +counters[1] : null, passed: counters ? +counters[2] : null, failed: counters ? +counters[3] : null,
  };
}
const faults = faultsFile ? JSON.parse(fs.readFileSync(faultsFile, 'utf8')) : null;
const r1 = (x) => x == null ? null : +x.toFixed(1);
const unitProject = projects['OidcConformance.Tests'];
const phases = {
  build: r1(built - start),
  unitAndHarnessTests: unitProject ? r1(unitProject.wallSeconds - (faults ? faults.wallSeconds : 0)) : null,
  faultCatalog: faults ? faults.wallSeconds : null,
  conformanceSuite: projects['Conformance'] ? projects['Conformance'].wallSeconds : null,
};
const testCommand = {
  measured: new Date().toISOString(),
  wallSeconds: r1(end - start),
  testWallSeconds: r1(end - built),
  exitCode: +status,
  projects,
  phases,
  faultCatalog: faults ? { faults: faults.faults, parallelism: faults.parallelism, suiteHosts: faults.suiteHosts ?? false, wallSecondsPerFault: faults.wallSecondsPerFault, controlSeconds: faults.controlSeconds, scoped: faults.scoped } : null,
  loadAverageBefore: loadBefore, loadAverageAfter: loadAfter, cpus: require('os').cpus().length,
};
const benchFile = dir + '/bench.json';
let bench = {};
try { bench = JSON.parse(fs.readFileSync(benchFile, 'utf8')); } catch { }
bench.schema = 'oidc-conformance-bench/1';
bench.testCommand = testCommand;
fs.writeFileSync(benchFile, JSON.stringify(bench, null, 2) + '\n');
const f = (x) => x == null ? '?' : x.toFixed(1) + ' s';
const lines = [
  `test command, whole (build + ./run.sh test)  ${f(testCommand.wallSeconds)}   (tests ${f(testCommand.testWallSeconds)}; exit code ${status})`,
  `  build                                      ${f(phases.build)}`,
  ...Object.entries(projects).map(([n, p]) => `  project ${n.padEnd(34)} ${f(p.wallSeconds)}   (${p.tests} tests, ${p.failed} failed)`),
  `  phase unit, proof and harness tests        ${f(phases.unitAndHarnessTests)}`,
  `  phase fault catalog                        ${f(phases.faultCatalog)}${faults ? `   (${faults.faults} faults, ${faults.wallSecondsPerFault} s per fault, ${faults.parallelism} at once${faults.suiteHosts ? ' in warm suite hosts' : ''})` : ''}`,
  `  phase conformance suite                    ${f(phases.conformanceSuite)}`,
  `load average before / after                  ${loadBefore} / ${loadAfter}   (${testCommand.cpus} CPUs)`,
];
const text = lines.join('\n');
console.log(text);
fs.writeFileSync(dir + '/test.txt', text + '\n');
console.log(`(${benchFile})`);
JS
exit "$status"
