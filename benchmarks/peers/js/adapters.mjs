// Minimal adapters: each framework exposes signal(v) -> {read, write}, computed(fn) -> {read},
// effect(fn) -> dispose, batch(fn). The same thin shape as js-reactivity-benchmark's adapters.
import * as alien from 'alien-signals';
import * as preact from '@preact/signals-core';

export const frameworks = {
  'alien-signals': {
    signal(initial) {
      const s = alien.signal(initial);
      return { read: s, write: s };
    },
    computed(fn) {
      const c = alien.computed(fn);
      return { read: c };
    },
    effect: (fn) => alien.effect(fn),
    batch(fn) {
      alien.startBatch();
      try { fn(); } finally { alien.endBatch(); }
    },
  },
  preact: {
    signal(initial) {
      const s = preact.signal(initial);
      return { read: () => s.value, write: (v) => { s.value = v; } };
    },
    computed(fn) {
      const c = preact.computed(fn);
      return { read: () => c.value };
    },
    effect: (fn) => preact.effect(fn),
    batch: (fn) => preact.batch(fn),
  },
};
