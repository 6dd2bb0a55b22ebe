// The compiled binary64 fast paths against the interpreter's FPU (emulator/fpu/double.ts,
// itself checked against qemu-riscv64 and an exact BigInt reference): wherever a wasm helper
// answers (a non-NaN result), the value's bits and the fflags it raises must be the FPU's
// under round-to-nearest-even. Operands are drawn where the fast paths apply (moderate
// exponents, products and sums that round) and across the edges where they must decline.

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { encodeModule, type DefinedFunc } from './encoder.ts';
import { fpHelperFuncs, FP } from './fp-helpers.ts';
import { CpuState, FFLAG_NX } from '../cpu/state.ts';
import { STATE_FFLAGS } from '../layout.ts';
import { addD, divD, fmaD, mulD, sqrtD } from '../fpu/double.ts';
import { RNE } from '../fpu/rounding.ts';

const SEED = 20261204;
const RUNS = 4000;

/** A module exporting the FP helpers, over a small memory (fflags at STATE_FFLAGS). */
function helpers() {
  const mem = new WebAssembly.Memory({ initial: 1 });
  const funcs: DefinedFunc[] = fpHelperFuncs(0).map((f, i) => ({ ...f, export: `f${i}` }));
  const inst = new WebAssembly.Instance(new WebAssembly.Module(encodeModule([], funcs)), { m: { mem } });
  const flags = new Int32Array(mem.buffer, STATE_FFLAGS, 1);
  const fn = (k: number) => inst.exports[`f${k}`] as (...a: number[]) => number;
  return { flags, add: fn(FP.add), mul: fn(FP.mul), div: fn(FP.div), sqrt: fn(FP.sqrt), fma: fn(FP.fma) };
}

const bits = (x: number) => {
  const d = new DataView(new ArrayBuffer(8));
  d.setFloat64(0, x);
  return d.getBigUint64(0).toString(16);
};

/** Doubles with exponents near each other (sums and products that round), plus edges. */
const moderate = fc.tuple(fc.double({ min: 1, max: 2, noNaN: true }), fc.integer({ min: -60, max: 60 }), fc.boolean()).map(([m, e, neg]) => (neg ? -1 : 1) * m * 2 ** e);
const edge = fc.constantFrom(0, -0, 1, -1, 2 ** -1022, 2 ** -1074, 2 ** 1000, -(2 ** 1023), Infinity, -Infinity, NaN, 2 ** 500, 2 ** -500, 1 + 2 ** -52, 3, 0.1);
const wide = fc.double({ noNaN: false });
const operand = fc.oneof({ weight: 8, arbitrary: moderate }, { weight: 1, arbitrary: edge }, { weight: 1, arbitrary: wide });

describe('compiled binary64 fast paths match the interpreter FPU (RNE)', () => {
  const h = helpers();
  // From clear flags, and from flags already holding NX (the helpers then skip working out
  // whether this result is exact) or every flag.
  const check = (name: string, wasm: () => number, js: (s: CpuState) => number) => {
    let answered = false;
    for (const start of [0, FFLAG_NX, 0x1f]) {
      h.flags[0] = start;
      const got = wasm();
      if (got !== got) continue; // declined: the JS op runs instead
      const s = new CpuState();
      s.fflags = start;
      const want = js(s);
      expect(bits(got), `${name} from fflags ${start}`).toBe(bits(want));
      expect(h.flags[0], `${name} fflags from ${start}`).toBe(s.fflags);
      answered = true;
    }
    return answered;
  };

  it(`add, mul, div, sqrt, fma (seed ${SEED}, ${RUNS} runs)`, () => {
    let answered = 0;
    fc.assert(
      fc.property(operand, operand, operand, (a, b, c) => {
        const ctx = `a=${a} b=${b} c=${c}`;
        if (check(`add ${ctx}`, () => h.add(a, b), (s) => addD(s, a, b, RNE))) answered++;
        if (check(`mul ${ctx}`, () => h.mul(a, b), (s) => mulD(s, a, b, RNE))) answered++;
        if (check(`div ${ctx}`, () => h.div(a, b), (s) => divD(s, a, b, RNE))) answered++;
        if (check(`sqrt ${ctx}`, () => h.sqrt(Math.abs(a)), (s) => sqrtD(s, Math.abs(a), RNE))) answered++;
        if (check(`fma ${ctx}`, () => h.fma(a, b, c), (s) => fmaD(s, a, b, c, RNE))) answered++;
      }),
      { seed: SEED, numRuns: RUNS },
    );
    // Most draws must take the fast paths, or this would test little.
    expect(answered).toBeGreaterThan(RUNS * 3);
  });

  it('fma: exact and inexact cases where the residual sits in every term', () => {
    const cases: [number, number, number][] = [
      [1 + 2 ** -52, 1 + 2 ** -52, -1], // a*b - 1 exact
      [1 + 2 ** -30, 1 + 2 ** -30, -(1 + 2 ** -29)], // exact
      [0.1, 10, -1], // inexact, tiny residual
      [3, 1 / 3, -1],
      [2 ** 50 + 1, 2 ** 50 - 1, -(2 ** 100)],
      [1e10, 1e-10, 1e-300],
    ];
    for (const [a, b, c] of cases) check(`fma ${a} ${b} ${c}`, () => h.fma(a, b, c), (s) => fmaD(s, a, b, c, RNE));
  });
});

