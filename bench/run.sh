#!/usr/bin/env bash
# Benchmark: one full conformance run against the embedded provider (node-oidc-provider), then the figures:
# wall time, time waiting on the provider, their ratio (harness overhead), browser logins, check executions.
# It is a measurement, not a test: it fails only when the run itself cannot produce its artifacts.
#   bash bench/run.sh [RUNSETTINGS] [-- dotnet test arguments, e.g. NUnit.NumberOfTestWorkers=8]   (./run.sh bench does the set-up first)
# Output folder: artifacts/bench (override with BENCH_DIR): bench.txt, and bench.json (member "conformance"; bench/test.sh adds "testCommand"). Other load on the machine skews the figures; the script prints the load average.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=${CONFIGURATION:-Debug}
settings=${1:-runsettings/node-oidc-provider.runsettings}
shift || true
[ "${1:-}" = "--" ] && shift
extra=("$@")
out=${BENCH_DIR:-$PWD/artifacts/bench}
# bench.json keeps the test command's figures (bench/test.sh) across a conformance benchmark.
kept=$(cat "$out/bench.json" 2>/dev/null || true)
rm -rf "$out"; mkdir -p "$out"
[ -z "$kept" ] || printf '%s\n' "$kept" >"$out/bench.json"
[ -f "tests/Conformance/bin/$CONFIGURATION/net10.0/Conformance.dll" ] || dotnet build OidcConformance.sln -c "$CONFIGURATION" -nologo -v quiet >&2
load_before=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
start=$(date +%s.%N)
status=0
OIDC_ARTIFACTS="$out" dotnet test tests/Conformance -c "$CONFIGURATION" --no-build --settings "$settings" \
  --results-directory "$out" --logger "console;verbosity=minimal" ${extra[@]:+-- "${extra[@]}"} >"$out/console.log" 2>&1 || status=$?
end=$(date +%s.%N)
load_after=$(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo "?")
[ -f "$out/latency.json" ] && [ -f "$out/report.json" ] || { tail -40 "$out/console.log" >&2; echo "bench: the run wrote no latency.json/report.json" >&2; exit 2; }
node - "$out" "$start" "$end" "$status" "$load_before" "$load_after" <<'JS'
const [dir, start, end, status, loadBefore, loadAfter] = process.argv.slice(2);
const fs = require('fs');
const lat = JSON.parse(fs.readFileSync(dir + '/latency.json', 'utf8'));
const rep = JSON.parse(fs.readFileSync(dir + '/report.json', 'utf8'));
const results = rep.results || [];
const verdicts = {};
for (const r of results) verdicts[r.verdict] = (verdicts[r.verdict] || 0) + 1;
const wall = (parseFloat(end) - parseFloat(start));
const runWall = lat.runWallMs / 1000, busy = lat.providerBusyMs / 1000, sum = lat.providerWaitSumMs / 1000;
const f = (x) => x.toFixed(1);
const lines = [
  `wall time (dotnet test, whole process)   ${f(wall)} s`,
  `wall time (provider ready → run end)     ${f(runWall)} s`,
  `time waiting on the provider (busy)      ${f(busy)} s   (≥1 request in flight; the sum over parallel requests is ${f(sum)} s)`,
  `harness overhead ratio (run wall / busy) ${(runWall / busy).toFixed(2)}   (whole process / busy: ${(wall / busy).toFixed(2)}; target ≤ 2.0)`,
  `browser logins performed                 ${lat.browserLogins}   (in ${lat.userAgentSessions} browser contexts)`,
  `check executions                         ${results.length}   (${Object.entries(verdicts).map(([k, v]) => k + ' ' + v).join(', ')})`,
  `provider requests                        ${lat.requests}   (${lat.httpExchanges} back-channel, ${lat.browserRequests} browser)`,
  `load average before / after              ${loadBefore} / ${loadAfter}   (${require('os').cpus().length} CPUs)`,
  `dotnet test exit code                    ${status}`,
];
const text = lines.join('\n');
console.log(text);
fs.writeFileSync(dir + '/bench.txt', text + '\n');
// artifacts/bench/bench.json, member "conformance" (bench/test.sh writes "testCommand"): the figures above, for a trend.
let bench = {};
try { bench = JSON.parse(fs.readFileSync(dir + '/bench.json', 'utf8')); } catch { }
bench.schema = 'oidc-conformance-bench/1';
bench.conformance = {
  measured: new Date().toISOString(),
  wallSeconds: +wall.toFixed(1), runWallSeconds: +runWall.toFixed(1), busySeconds: +busy.toFixed(1),
  ratio: +(runWall / busy).toFixed(2), ratioWholeProcess: +(wall / busy).toFixed(2),
  logins: lat.browserLogins, browserContexts: lat.userAgentSessions, checks: results.length, verdicts,
  requests: lat.requests, exitCode: +status,
  loadAverageBefore: loadBefore, loadAverageAfter: loadAfter, cpus: require('os').cpus().length,
};
fs.writeFileSync(dir + '/bench.json', JSON.stringify(bench, null, 2) + '\n');
console.log(`\nslowest endpoints by total wait (details: ${dir}/latency.md):`);
for (const e of lat.endpoints.slice(0, 8))
  console.log(`  ${e.channel.padEnd(7)} ${e.method.padEnd(4)} ${e.endpoint.padEnd(60)} n=${String(e.count).padStart(4)} median ${f(e.medianMs)} ms  p95 ${f(e.p95Ms)} ms`);
JS
