// Property tests: the fast paths (error-free transformations in host double arithmetic) against
// an independent exact computation (BigInt significands, one rounding by the IEEE 754 rules in
// exact.ts), for all five rounding modes, including result and fflags. Plus the host's own IEEE
// arithmetic as the reference for round-to-nearest-even.

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpu/state.ts';
import { addD, divD, fmaD, mulD, sqrtD } from './double.ts';
import { addS, divS, doubleToS, fmaS, mulS, sqrtS } from './single.ts';
import { BINARY32, BINARY64, addExact, divExact, fmaExact, mulExact, roundExact, sqrtExact, type Format } from './exact.ts';
import { int64ToD, int64ToS } from './convert.ts';
import { zeroSum } from './rounding.ts';

const SEED = 20240611;
const RUNS = 3000;
const MODES = [0, 1, 2, 3, 4];

/** A finite value built from sign, leading-bit exponent and a significand of `sig` bits. */
function build(fmt: Format, neg: boolean, top: number, sig: number, bits: bigint): number {
  const p = fmt.p;
  const sg = Math.min(sig, p);
  const m = (1n << BigInt(sg - 1)) | (bits & ((1n << BigInt(sg - 1)) - 1n));
  const t = Math.max(Math.min(top, fmt.emax), fmt.emin - p + 1);
  const e = t - sg + 1;
  // Rounding while building (subnormal range) is fine: any finite value is a valid operand.
  let v = Number(m) * 2 ** Math.max(e, -1000) * 2 ** Math.min(e + 1000, 0);
  if (fmt === BINARY32) v = Math.fround(v);
  return neg ? -v : v;
}

/** Leading-bit exponents: anywhere, near 0, near the subnormal range, near overflow. */
function exponent(fmt: Format) {
  return fc.oneof(
    fc.integer({ min: fmt.emin - fmt.p, max: fmt.emax }),
    fc.integer({ min: -30, max: 30 }),
    fc.integer({ min: fmt.emin - fmt.p, max: fmt.emin + 5 }),
    fc.integer({ min: fmt.emax - 5, max: fmt.emax }),
  );
}
const shape = (fmt: Format) =>
  fc.record({ neg: fc.boolean(), sig: fc.integer({ min: 1, max: fmt.p }), bits: fc.bigInt({ min: 0n, max: (1n << 53n) - 1n }) });

/** n operands; later ones get exponents relative to the first (close, or far apart). */
function operands(fmt: Format, n: number) {
  return fc
    .tuple(exponent(fmt), fc.array(fc.integer({ min: -fmt.p - 8, max: fmt.p + 8 }), { minLength: n, maxLength: n }), fc.array(shape(fmt), { minLength: n, maxLength: n }), fc.boolean())
    .map(([top, deltas, shapes, related]) =>
      shapes.map((sh, i) => build(fmt, sh.neg, related || i === 0 ? top + deltas[i] : top - deltas[i] * 20, sh.sig, sh.bits)),
    );
}

const bitsOf = (v: number) => {
  const d = new Float64Array([v]);
  return new BigUint64Array(d.buffer)[0];
};

/** Run both computations from clean flags and compare results (bitwise) and flags. */
function same(fast: (s: CpuState) => number, ref: (s: CpuState) => number): void {
  const s1 = new CpuState();
  const s2 = new CpuState();
  const a = fast(s1);
  const b = ref(s2);
  expect({ bits: bitsOf(a).toString(16), flags: s1.fflags }).toEqual({ bits: bitsOf(b).toString(16), flags: s2.fflags });
}

function prop<T>(arb: fc.Arbitrary<T>, check: (v: T, mode: number) => void): void {
  fc.assert(
    fc.property(arb, fc.constantFrom(...MODES), (v, mode) => check(v, mode)),
    { seed: SEED, numRuns: RUNS },
  );
}

describe(`double fast paths vs exact rounding (fast-check seed ${SEED})`, () => {
  it('fadd.d', () => prop(operands(BINARY64, 2), ([a, b], m) => same((s) => addD(s, a, b, m), (s) => addExact(s, a, b, m, zeroSum(a, b, m)))));
  it('fmul.d', () => prop(operands(BINARY64, 2), ([a, b], m) => same((s) => mulD(s, a, b, m), (s) => mulExact(s, a, b, m))));
  it('fdiv.d', () => prop(operands(BINARY64, 2), ([a, b], m) => same((s) => divD(s, a, b, m), (s) => divExact(s, a, b, m))));
  it('fsqrt.d', () => prop(operands(BINARY64, 1), ([a], m) => same((s) => sqrtD(s, Math.abs(a), m), (s) => sqrtExact(s, Math.abs(a), m))));
  it('fmadd.d', () =>
    prop(operands(BINARY64, 3), ([a, b, c], m) =>
      same((s) => fmaD(s, a, b, c, m), (s) => fmaExact(s, a, b, c, m, zeroSum(a * b, c, m))),
    ));
  it('fmadd.d with heavy cancellation (c close to -a*b)', () =>
    prop(fc.tuple(operands(BINARY64, 2), fc.integer({ min: -64, max: 64 })), ([[a, b], k], m) => {
      const c = -(a * b) + k * Math.abs(a * b) * 2 ** -60;
      if (!Number.isFinite(c)) return;
      same((s) => fmaD(s, a, b, c, m), (s) => fmaExact(s, a, b, c, m, zeroSum(a * b, c, m)));
    }));
  it('fcvt.d.l / fcvt.d.lu', () =>
    prop(fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 63 }), fc.boolean()), ([v, shift, signed], m) => {
      const x = v >> BigInt(shift);
      const val = signed ? BigInt.asIntN(64, x) : x;
      same((s) => (s.setX(5, x), int64ToD(s, 5, signed, m)), (s) => roundExact(s, BINARY64, val < 0n, val < 0n ? -val : val, 0, false, m));
    }));
});

describe(`single ops vs exact rounding (fast-check seed ${SEED})`, () => {
  it('fadd.s', () => prop(operands(BINARY32, 2), ([a, b], m) => same((s) => addS(s, a, b, m), (s) => addExact(s, a, b, m, zeroSum(a, b, m), BINARY32))));
  it('fmul.s', () => prop(operands(BINARY32, 2), ([a, b], m) => same((s) => mulS(s, a, b, m), (s) => mulExact(s, a, b, m, BINARY32))));
  it('fdiv.s', () => prop(operands(BINARY32, 2), ([a, b], m) => same((s) => divS(s, a, b, m), (s) => divExact(s, a, b, m, BINARY32))));
  it('fsqrt.s', () => prop(operands(BINARY32, 1), ([a], m) => same((s) => sqrtS(s, Math.abs(a), m), (s) => sqrtExact(s, Math.abs(a), m, BINARY32))));
  it('fmadd.s', () =>
    prop(operands(BINARY32, 3), ([a, b, c], m) =>
      same((s) => fmaS(s, a, b, c, m), (s) => fmaExact(s, a, b, c, m, zeroSum(a * b, c, m), BINARY32)),
    ));
  it('fcvt.s.d', () => prop(operands(BINARY64, 1), ([a], m) => same((s) => doubleToS(s, a, m), (s) => addExact(s, a, 0, m, a, BINARY32))));
  it('fcvt.s.l / fcvt.s.lu', () =>
    prop(fc.tuple(fc.bigInt({ min: 0n, max: (1n << 64n) - 1n }), fc.integer({ min: 0, max: 63 }), fc.boolean()), ([v, shift, signed], m) => {
      const x = v >> BigInt(shift);
      const val = signed ? BigInt.asIntN(64, x) : x;
      same((s) => (s.setX(5, x), int64ToS(s, 5, signed, m)), (s) => roundExact(s, BINARY32, val < 0n, val < 0n ? -val : val, 0, false, m));
    }));
});

describe(`round-to-nearest-even equals the host's IEEE arithmetic (fast-check seed ${SEED})`, () => {
  const rne = <T extends number[]>(arb: fc.Arbitrary<T>, f: (s: CpuState, v: T) => number, host: (v: T) => number) =>
    fc.assert(
      fc.property(arb, (v) => {
        expect(Object.is(f(new CpuState(), v), host(v)) || (Number.isNaN(host(v)) && Number.isNaN(f(new CpuState(), v)))).toBe(true);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  const anyD = fc.tuple(fc.double(), fc.double());
  it('double +, *, /, sqrt', () => {
    rne(anyD, (s, [a, b]) => addD(s, a, b, 0), ([a, b]) => a + b);
    rne(anyD, (s, [a, b]) => mulD(s, a, b, 0), ([a, b]) => a * b);
    rne(anyD, (s, [a, b]) => divD(s, a, b, 0), ([a, b]) => a / b);
    rne(anyD, (s, [a]) => sqrtD(s, a, 0), ([a]) => Math.sqrt(a));
  });
  // Double rounding through binary64 is innocuous for these binary32 operations (53 >= 2*24+2).
  const anyS = fc.tuple(fc.float(), fc.float());
  it('single +, *, /, sqrt via Math.fround', () => {
    rne(anyS, (s, [a, b]) => addS(s, a, b, 0), ([a, b]) => Math.fround(a + b));
    rne(anyS, (s, [a, b]) => mulS(s, a, b, 0), ([a, b]) => Math.fround(a * b));
    rne(anyS, (s, [a, b]) => divS(s, a, b, 0), ([a, b]) => Math.fround(a / b));
    rne(anyS, (s, [a]) => sqrtS(s, a, 0), ([a]) => Math.fround(Math.sqrt(a)));
  });
});
