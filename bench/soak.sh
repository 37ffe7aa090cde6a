#!/usr/bin/env bash
# Soak: the full suite N times against the embedded provider; reports every check (id + case) whose verdict changed
# between runs, comparing the runs' report.json files. Exit code 1 when any verdict changed, 2 when a run wrote no report.
#   bash bench/soak.sh [N=20] [RUNSETTINGS]       (./run.sh soak N does the set-up first)
# Output: artifacts/soak/run-<i>/ (report.json, latency.json, console.log) and artifacts/soak/soak.md.
set -euo pipefail
cd "$(dirname "$0")/.."
CONFIGURATION=${CONFIGURATION:-Debug}
n=${1:-20}
settings=${2:-runsettings/node-oidc-provider.runsettings}
out=${SOAK_DIR:-$PWD/artifacts/soak}
rm -rf "$out"; mkdir -p "$out"
[ -f "tests/Conformance/bin/$CONFIGURATION/net10.0/Conformance.dll" ] || dotnet build OidcConformance.sln -c "$CONFIGURATION" -nologo -v quiet >&2
for i in $(seq 1 "$n"); do
  dir="$out/run-$i"; mkdir -p "$dir"
  s=$(date +%s)
  OIDC_ARTIFACTS="$dir" dotnet test tests/Conformance -c "$CONFIGURATION" --no-build --settings "$settings" \
    --results-directory "$dir" --logger "console;verbosity=minimal" >"$dir/console.log" 2>&1 || true
  echo "[soak] run $i/$n: $(( $(date +%s) - s )) s, $(grep -Eo '(Passed|Failed)!.*' "$dir/console.log" | head -1)" >&2
  [ -f "$dir/report.json" ] || { echo "[soak] run $i wrote no report.json; see $dir/console.log" >&2; exit 2; }
done
node - "$out" "$n" <<'JS'
const [dir, n] = process.argv.slice(2);
const fs = require('fs');
const runs = [];
for (let i = 1; i <= +n; i++) runs.push(JSON.parse(fs.readFileSync(`${dir}/run-${i}/report.json`, 'utf8')).results || []);
// A check id + case that two tests evaluate (e.g. a provider-specific suite reusing an id) is compared as a multiset of
// verdicts, since the order in which parallel tests finish changes between runs.
const byKey = new Map();
runs.forEach((results, i) => {
  for (const r of results) {
    const key = r.id + (r.case ? ` [${r.case}]` : '');
    if (!byKey.has(key)) byKey.set(key, runs.map(() => []));
    byKey.get(key)[i].push({ verdict: r.verdict, reason: r.reason });
  }
});
const label = (list) => list.length === 0 ? 'missing' : list.map(x => x.verdict).sort().join('+');
const changed = [...byKey].filter(([, v]) => new Set(v.map(label)).size > 1);
const lines = [`# Soak: ${runs.length} runs, ${byKey.size} checks (id + case)`, '',
  changed.length === 0 ? 'No verdict changed between runs.' : `${changed.length} checks (id + case) changed verdict between runs:`, ''];
for (const [key, v] of changed) {
  lines.push(`- \`${key}\`: ${v.map((x, i) => `run ${i + 1} ${label(x)}`).join(', ')}`);
  const seen = new Set();
  for (const x of v.flat()) if (!seen.has(x.verdict)) { seen.add(x.verdict); lines.push(`  - ${x.verdict}: ${String(x.reason).slice(0, 400)}`); }
}
// The NUnit outcome per test too (conformance.trx): a harness exception after the verdict was recorded shows only there.
const outcomes = new Map();
for (let i = 1; i <= +n; i++) {
  const trx = fs.existsSync(`${dir}/run-${i}/conformance.trx`) ? fs.readFileSync(`${dir}/run-${i}/conformance.trx`, 'utf8') : '';
  for (const m of trx.matchAll(/<UnitTestResult [^>]*?testName="([^"]*)"[^>]*?outcome="([^"]*)"/g)) {
    if (!outcomes.has(m[1])) outcomes.set(m[1], Array(+n).fill('missing'));
    outcomes.get(m[1])[i - 1] = m[2];
  }
}
const changedTests = [...outcomes].filter(([, v]) => new Set(v).size > 1);
lines.push('', changedTests.length === 0 ? 'No NUnit test outcome changed between runs.' : `${changedTests.length} NUnit test outcomes changed between runs:`);
for (const [name, v] of changedTests) lines.push(`- \`${name.replace(/&quot;/g, '"')}\`: ${v.map((o, i) => `run ${i + 1} ${o}`).join(', ')}`);
const counts = runs.map(r => r.length);
lines.push('', `executions per run: ${counts.join(', ')}`);
fs.writeFileSync(`${dir}/soak.md`, lines.join('\n') + '\n');
console.log(lines.join('\n'));
process.exit(changed.length || changedTests.length ? 1 : 0);
JS
