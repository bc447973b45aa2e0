// Timing protocol of shared/BENCHMARKS.md, identical to `signals-quick` in the C# benchmarks:
// kairo: fresh graph, warm-up, fastest and median of 10 samples of 500 iter();
// cellx: 10 fresh graphs (after one uncounted warm-up graph), one update pass each, summed.
// Usage: node bench.mjs [alien-signals|preact|all] [--json] [--counts]
import { frameworks } from './adapters.mjs';
import { kairo, cellx } from './shapes.mjs';

const args = process.argv.slice(2);
const which = args.find((a) => !a.startsWith('--')) ?? 'all';
const json = args.includes('--json');
const countsOnly = args.includes('--counts');
const SAMPLES = 10;
const ITERS = 500;
const expectedCounts = {
  avoidablePropagation: [2002, 0], broadPropagation: [5100, 2550], deepPropagation: [2550, 51],
  diamond: [3006, 501], mux: [1836, 18], repeatedObservers: [101, 101], triangle: [1010, 101], unstable: [202, 101],
};

function timeKairo(fw, name) {
  const shape = kairo[name](fw);
  shape.iter();
  const c0 = shape.n.computed, e0 = shape.n.effects;
  shape.iter();
  const counts = [shape.n.computed - c0, shape.n.effects - e0];
  const [ec, ee] = expectedCounts[name];
  if (counts[0] !== ec || counts[1] !== ee) {
    throw new Error(`${name}: counts ${counts} differ from BENCHMARKS.md ${[ec, ee]}`);
  }
  if (countsOnly) return { min: 0, median: 0, counts };
  const warmStart = performance.now();
  let warm = 0;
  while (warm < 2 * ITERS || performance.now() - warmStart < 200) { shape.iter(); warm++; }
  const times = [];
  for (let s = 0; s < SAMPLES; s++) {
    const t0 = performance.now();
    for (let i = 0; i < ITERS; i++) shape.iter();
    times.push(performance.now() - t0);
  }
  for (const d of shape.dispose) d();
  times.sort((a, b) => a - b);
  return { min: times[0], median: times[Math.floor(SAMPLES / 2)], counts };
}

function timeCellx(fw, layers) {
  const expected = { before: [-3, -6, -2, 2], after: [-2, -4, 2, 3] };
  let total = 0;
  for (let g = -1; g < SAMPLES; g++) {
    const graph = cellx(fw, layers);
    const t0 = performance.now();
    const { before, after } = graph.pass();
    const elapsed = performance.now() - t0;
    if (JSON.stringify(before) !== JSON.stringify(expected.before) || JSON.stringify(after) !== JSON.stringify(expected.after)) {
      throw new Error(`cellx${layers}: wrong end values ${before} / ${after}`);
    }
    for (const d of graph.dispose) d();
    if (g >= 0) total += elapsed;
  }
  return { min: total, median: total };
}

const results = [];
for (const [fwName, fw] of Object.entries(frameworks)) {
  if (which !== 'all' && which !== fwName) continue;
  for (const name of Object.keys(kairo).sort()) {
    const r = timeKairo(fw, name);
    results.push({ impl: fwName, shape: name, min: r.min, median: r.median });
  }
  if (!countsOnly) {
    for (const layers of [1000, 2500]) {
      const r = timeCellx(fw, layers);
      results.push({ impl: fwName, shape: `cellx${layers}`, min: r.min, median: r.median });
    }
  }
}

if (json) {
  console.log(JSON.stringify(results.map((r) => ({ ...r, min: +r.min.toFixed(3), median: +r.median.toFixed(3) })), null, 1));
} else {
  console.log(`${'impl'.padEnd(14)} ${'shape'.padEnd(22)} ${'min ms'.padStart(10)} ${'median ms'.padStart(10)}`);
  for (const r of results) {
    console.log(`${r.impl.padEnd(14)} ${r.shape.padEnd(22)} ${r.min.toFixed(3).padStart(10)} ${r.median.toFixed(3).padStart(10)}`);
  }
}
