#!/usr/bin/env bash
# Runs the signals benchmark shapes on every implementation in one go and prints one table:
# C# engine (ReactiveStore.Signals), C# floor (hand-written), alien-signals and @preact/signals-core.
# Protocol (shared/BENCHMARKS.md): kairo = fastest of 10 samples of 500 iter() on a fresh warmed-up graph;
# cellx = sum of one update pass over 10 fresh graphs. Milliseconds; lower is better.
# Usage: benchmarks/run-signals.sh            (about a minute)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

echo "building (Release)..." >&2
dotnet build -c Release "$root/benchmarks/ReactiveStore.Benchmarks/ReactiveStore.Benchmarks.csproj" -nologo -v quiet >&2

if [ ! -d "$root/benchmarks/peers/js/node_modules" ]; then
  echo "installing JS peers (npm ci)..." >&2
  (cd "$root/benchmarks/peers/js" && npm ci --no-audit --no-fund >&2)
fi

echo "running C# engine + floor..." >&2
dotnet run -c Release --no-build --project "$root/benchmarks/ReactiveStore.Benchmarks" -- signals-quick --json > "$out/csharp.json"
echo "running alien-signals..." >&2
node "$root/benchmarks/peers/js/bench.mjs" alien-signals --json > "$out/alien.json"
echo "running preact..." >&2
node "$root/benchmarks/peers/js/bench.mjs" preact --json > "$out/preact.json"

node - "$out" <<'JS'
const fs = require('fs');
const dir = process.argv[2];
const rows = [];
for (const f of ['csharp.json', 'alien.json', 'preact.json']) rows.push(...JSON.parse(fs.readFileSync(`${dir}/${f}`, 'utf8')));
const by = {};
for (const r of rows) (by[r.shape] ??= {})[r.impl] = r.min;
const shapes = Object.keys(by).sort((a, b) => (a.startsWith('cellx') - b.startsWith('cellx')) || a.localeCompare(b));
const cols = ['csharp', 'csharp-floor', 'alien-signals', 'preact'];
const fmt = (v) => (v === undefined ? '-' : v.toFixed(2));
const ratio = (a, b) => (a === undefined || b === undefined || b === 0 ? '-' : (a / b).toFixed(2));
console.log(`node ${process.version}, ${new Date().toISOString()}; ms (kairo: fastest of 10 x 500 iter(); cellx: sum of 10 passes)`);
console.log('');
console.log('| shape | C# engine | C# floor | alien-signals | preact | C#/alien | C#/preact | C#/floor |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
let geo = 0, n = 0;
for (const s of shapes) {
  const v = by[s];
  console.log(`| ${s} | ${cols.map((c) => fmt(v[c])).join(' | ')} | ${ratio(v.csharp, v['alien-signals'])} | ${ratio(v.csharp, v.preact)} | ${ratio(v.csharp, v['csharp-floor'])} |`);
  if (v.csharp && v['alien-signals']) { geo += Math.log(v.csharp / v['alien-signals']); n++; }
}
console.log('');
console.log(`geometric mean C#/alien-signals: ${Math.exp(geo / n).toFixed(2)}`);
JS
