// M-extension arithmetic on 32-bit halves against the ISA manual's definitions, evaluated
// exactly with BigInt (the manual defines MULH* as the high XLEN bits of the 2*XLEN-bit
// product and gives the division-by-zero / overflow table).

import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { mul, mulh, mulhsu, mulhu, divrem, mulhu32 } from './int64.ts';

const SEED = 0x5eed64;
const U64 = (v: bigint) => BigInt.asUintN(64, v);
const S64 = (v: bigint) => BigInt.asIntN(64, v);

function regs(a: bigint, b: bigint): Int32Array {
  const x = new Int32Array(6);
  x[0] = Number(BigInt.asIntN(32, a));
  x[1] = Number(BigInt.asIntN(32, a >> 32n));
  x[2] = Number(BigInt.asIntN(32, b));
  x[3] = Number(BigInt.asIntN(32, b >> 32n));
  return x;
}
const result = (x: Int32Array) => U64((BigInt(x[5]) << 32n) | BigInt(x[4] >>> 0));

const edges = [0n, 1n, -1n, 2n, -2n, 0x7fffffffn, 0x80000000n, 0xffffffffn, 0x100000000n, -0x80000000n, (1n << 52n) - 1n, 1n << 52n, -(1n << 52n), (1n << 53n) + 1n, (1n << 63n) - 1n, -(1n << 63n), 0x123456789abcdefn, -0x123456789abcdefn];
const arb64 = fc.oneof(fc.constantFrom(...edges), fc.bigInt({ min: -(1n << 63n), max: (1n << 63n) - 1n }), fc.bigInt({ min: -(1n << 54n), max: 1n << 54n }));

type Op = (x: Int32Array, d: number, a: number, b: number) => void;
const refs: Array<[string, Op, (a: bigint, b: bigint) => bigint]> = [
  ['mul', mul, (a, b) => U64(a * b)],
  ['mulh', mulh, (a, b) => U64((S64(a) * S64(b)) >> 64n)],
  ['mulhu', mulhu, (a, b) => U64((U64(a) * U64(b)) >> 64n)],
  ['mulhsu', mulhsu, (a, b) => U64((S64(a) * U64(b)) >> 64n)],
  ['div', (x, d, a, b) => divrem(x, d, a, b, 0), (a, b) => (b === 0n ? U64(-1n) : S64(a) === -(1n << 63n) && S64(b) === -1n ? U64(a) : U64(S64(a) / S64(b)))],
  ['divu', (x, d, a, b) => divrem(x, d, a, b, 1), (a, b) => (U64(b) === 0n ? U64(-1n) : U64(a) / U64(b))],
  ['rem', (x, d, a, b) => divrem(x, d, a, b, 2), (a, b) => (b === 0n ? U64(a) : S64(a) === -(1n << 63n) && S64(b) === -1n ? 0n : U64(S64(a) % S64(b)))],
  ['remu', (x, d, a, b) => divrem(x, d, a, b, 3), (a, b) => (U64(b) === 0n ? U64(a) : U64(a) % U64(b))],
];

describe('64-bit M ops on 32-bit halves', () => {
  it('mulhu32 matches the exact product', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 0xffffffff }), (a, b) => {
        expect(mulhu32(a | 0, b | 0)).toBe(Number((BigInt(a) * BigInt(b)) >> 32n));
      }),
      { seed: SEED, numRuns: 2000 },
    );
  });
  for (const [name, op, ref] of refs) {
    it(`${name} matches the ISA definition (seed ${SEED})`, () => {
      fc.assert(
        fc.property(arb64, arb64, (a, b) => {
          const x = regs(a, b);
          op(x, 4, 0, 2);
          expect(result(x)).toBe(ref(a, b));
        }),
        { seed: SEED, numRuns: 3000 },
      );
    });
  }
  it('division table of the ISA manual (x/0, MIN/-1)', () => {
    const MIN = -(1n << 63n);
    const x = regs(MIN, -1n);
    divrem(x, 4, 0, 2, 0);
    expect(result(x)).toBe(U64(MIN));
    divrem(x, 4, 0, 2, 2);
    expect(result(x)).toBe(0n);
    const z = regs(12345n, 0n);
    divrem(z, 4, 0, 2, 1);
    expect(result(z)).toBe(U64(-1n));
    divrem(z, 4, 0, 2, 3);
    expect(result(z)).toBe(12345n);
  });
});
