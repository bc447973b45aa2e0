// The shapes of shared/BENCHMARKS.md with the same assertions and counters as the C# shapes
// (benchmarks/ReactiveStore.Benchmarks/Signals/Shapes). build(fw) returns { iter, counts, dispose }.

function check(ok, shape, what) {
  if (!ok) throw new Error(`${shape}: assertion failed: ${what}`);
}

function counters() {
  return { computed: 0, effects: 0 };
}

export const kairo = {
  deepPropagation(fw) {
    const n = counters();
    const len = 50;
    const head = fw.signal(0);
    let current = head;
    for (let i = 0; i < len; i++) {
      const prev = current;
      current = fw.computed(() => { n.computed++; return prev.read() + 1; });
    }
    const tail = current;
    const dispose = fw.effect(() => { tail.read(); n.effects++; });
    const iter = () => {
      fw.batch(() => head.write(1));
      const start = n.effects;
      for (let i = 0; i < len; i++) {
        fw.batch(() => head.write(i));
        check(tail.read() === len + i, 'deepPropagation', 'tail');
      }
      check(n.effects - start === len, 'deepPropagation', 'effect count');
    };
    return { iter, n, dispose: [dispose] };
  },

  broadPropagation(fw) {
    const n = counters();
    const width = 50;
    const head = fw.signal(0);
    let last;
    const disposers = [];
    for (let i = 0; i < width; i++) {
      const a = fw.computed(() => { n.computed++; return head.read() + i; });
      const b = fw.computed(() => { n.computed++; return a.read() + 1; });
      disposers.push(fw.effect(() => { b.read(); n.effects++; }));
      last = b;
    }
    const iter = () => {
      fw.batch(() => head.write(1));
      const start = n.effects;
      for (let i = 0; i < width; i++) {
        fw.batch(() => head.write(i));
        check(last.read() === i + width, 'broadPropagation', 'last');
      }
      check(n.effects - start === width * width, 'broadPropagation', 'effect count');
    };
    return { iter, n, dispose: disposers };
  },

  diamond(fw) {
    const n = counters();
    const width = 5;
    const head = fw.signal(0);
    const arms = [];
    for (let i = 0; i < width; i++) arms.push(fw.computed(() => { n.computed++; return head.read() + 1; }));
    const sum = fw.computed(() => {
      n.computed++;
      let s = 0;
      for (const a of arms) s += a.read();
      return s;
    });
    const dispose = fw.effect(() => { sum.read(); n.effects++; });
    const iter = () => {
      fw.batch(() => head.write(1));
      check(sum.read() === 2 * width, 'diamond', 'sum after head=1');
      const start = n.effects;
      for (let i = 0; i < 500; i++) {
        fw.batch(() => head.write(i));
        check(sum.read() === (i + 1) * width, 'diamond', 'sum');
      }
      check(n.effects - start === 500, 'diamond', 'effect count');
    };
    return { iter, n, dispose: [dispose] };
  },

  triangle(fw) {
    const n = counters();
    const width = 10;
    const head = fw.signal(0);
    let current = head;
    const list = [];
    for (let i = 0; i < width; i++) {
      const prev = current;
      list.push(prev);
      current = fw.computed(() => { n.computed++; return prev.read() + 1; });
    }
    const sum = fw.computed(() => {
      n.computed++;
      let s = 0;
      for (const x of list) s += x.read();
      return s;
    });
    const dispose = fw.effect(() => { sum.read(); n.effects++; });
    const iter = () => {
      fw.batch(() => head.write(1));
      check(sum.read() === 55, 'triangle', 'sum after head=1');
      const start = n.effects;
      for (let i = 0; i < 100; i++) {
        fw.batch(() => head.write(i));
        check(sum.read() === 45 + 10 * i, 'triangle', 'sum');
      }
      check(n.effects - start === 100, 'triangle', 'effect count');
    };
    return { iter, n, dispose: [dispose] };
  },

  mux(fw) {
    const n = counters();
    const count = 100;
    const heads = [];
    for (let i = 0; i < count; i++) heads.push(fw.signal(0));
    const mux = fw.computed(() => {
      n.computed++;
      const values = new Array(count); // a fresh object every time: never equal to the previous one
      for (let i = 0; i < count; i++) values[i] = heads[i].read();
      return values;
    });
    const outputs = [];
    const disposers = [];
    for (let i = 0; i < count; i++) {
      const pick = fw.computed(() => { n.computed++; return mux.read()[i]; });
      const out = fw.computed(() => { n.computed++; return pick.read() + 1; });
      outputs.push(out);
      disposers.push(fw.effect(() => { out.read(); n.effects++; }));
    }
    const iter = () => {
      for (let i = 0; i < 10; i++) {
        fw.batch(() => heads[i].write(i));
        check(outputs[i].read() === i + 1, 'mux', 'output');
      }
      for (let i = 0; i < 10; i++) {
        fw.batch(() => heads[i].write(i * 2));
        check(outputs[i].read() === i * 2 + 1, 'mux', 'output doubled');
      }
    };
    return { iter, n, dispose: disposers };
  },

  repeatedObservers(fw) {
    const n = counters();
    const size = 30;
    const head = fw.signal(0);
    const current = fw.computed(() => {
      n.computed++;
      let r = 0;
      for (let i = 0; i < size; i++) r += head.read();
      return r;
    });
    const dispose = fw.effect(() => { current.read(); n.effects++; });
    const iter = () => {
      fw.batch(() => head.write(1));
      check(current.read() === size, 'repeatedObservers', 'current after head=1');
      const start = n.effects;
      for (let i = 0; i < 100; i++) {
        fw.batch(() => head.write(i));
        check(current.read() === i * size, 'repeatedObservers', 'current');
      }
      check(n.effects - start === 100, 'repeatedObservers', 'effect count');
    };
    return { iter, n, dispose: [dispose] };
  },

  unstable(fw) {
    const n = counters();
    const head = fw.signal(0);
    const doubled = fw.computed(() => { n.computed++; return head.read() * 2; });
    const inverse = fw.computed(() => { n.computed++; return -head.read(); });
    const current = fw.computed(() => {
      n.computed++;
      let r = 0;
      for (let i = 0; i < 20; i++) r += head.read() % 2 !== 0 ? doubled.read() : inverse.read();
      return r;
    });
    const dispose = fw.effect(() => { current.read(); n.effects++; });
    const iter = () => {
      fw.batch(() => head.write(1));
      check(current.read() === 40, 'unstable', 'current after head=1');
      const start = n.effects;
      for (let i = 0; i < 100; i++) {
        fw.batch(() => head.write(i));
        check(current.read() === (i % 2 !== 0 ? i * 40 : i * -20), 'unstable', 'current');
      }
      check(n.effects - start === 100, 'unstable', 'effect count');
    };
    return { iter, n, dispose: [dispose] };
  },

  avoidablePropagation(fw) {
    const n = counters();
    const head = fw.signal(0);
    const c1 = fw.computed(() => { n.computed++; return head.read(); });
    const c2 = fw.computed(() => { n.computed++; c1.read(); return 0; });
    const c3 = fw.computed(() => { n.computed++; busy(); return c2.read() + 1; });
    const c4 = fw.computed(() => { n.computed++; return c3.read() + 2; });
    const c5 = fw.computed(() => { n.computed++; return c4.read() + 3; });
    const dispose = fw.effect(() => { c5.read(); n.effects++; busy(); });
    const iter = () => {
      fw.batch(() => head.write(1));
      check(c5.read() === 6, 'avoidablePropagation', 'c5 after head=1');
      for (let i = 0; i < 1000; i++) {
        fw.batch(() => head.write(i));
        check(c5.read() === 6, 'avoidablePropagation', 'c5');
      }
    };
    return { iter, n, dispose: [dispose] };
  },
};

function busy() {
  let a = 0;
  for (let i = 0; i < 100; i++) a++;
  return a;
}

export function cellx(fw, layers) {
  const start = { p1: fw.signal(1), p2: fw.signal(2), p3: fw.signal(3), p4: fw.signal(4) };
  let layer = start;
  const disposers = [];
  for (let i = 0; i < layers; i++) {
    const m = layer;
    const s = {
      p1: fw.computed(() => m.p2.read()),
      p2: fw.computed(() => m.p1.read() - m.p3.read()),
      p3: fw.computed(() => m.p2.read() + m.p4.read()),
      p4: fw.computed(() => m.p3.read()),
    };
    disposers.push(fw.effect(() => { s.p1.read(); }));
    disposers.push(fw.effect(() => { s.p2.read(); }));
    disposers.push(fw.effect(() => { s.p3.read(); }));
    disposers.push(fw.effect(() => { s.p4.read(); }));
    layer = s;
  }
  const end = layer;
  const pass = () => {
    const before = [end.p1.read(), end.p2.read(), end.p3.read(), end.p4.read()];
    fw.batch(() => { start.p1.write(4); start.p2.write(3); start.p3.write(2); start.p4.write(1); });
    const after = [end.p1.read(), end.p2.read(), end.p3.read(), end.p4.read()];
    return { before, after };
  };
  return { pass, dispose: disposers };
}
