// Hand-picked cases whose expected values follow directly from the RISC-V ISA manual (F/D
// chapters: NaN boxing, canonical NaN, fmin/fmax, fclass table, fcvt saturation table, reserved
// rounding modes) and IEEE 754-2019 (rounding-direction attributes, tininess after rounding).

import { describe, expect, it } from 'vitest';
import { CpuState, FFLAG_DZ, FFLAG_NV, FFLAG_NX, FFLAG_OF, FFLAG_UF } from '../cpu/state.ts';
import { IllegalInstruction } from '../cpu/traps.ts';
import { fpuOps } from './index.ts';

const RNE = 0, RTZ = 1, RDN = 2, RUP = 3, RMM = 4, DYN = 7;
const CANON_S = 0xffffffff7fc00000n; // canonical single NaN, NaN-boxed
const CANON_D = 0x7ff8000000000000n;
const box = (bits: number) => 0xffffffff00000000n | BigInt(bits >>> 0);
const dbits = (v: number) => new BigUint64Array(new Float64Array([v]).buffer)[0];
const sbits = (v: number) => box(new Uint32Array(new Float32Array([v]).buffer)[0]);
const u64 = (v: bigint) => BigInt.asUintN(64, v);

/** Run op with float operands (raw 64-bit register patterns) into f10; returns [bits, fflags]. */
function runF(op: string, rm: number, ...fs: bigint[]): [bigint, number] {
  const s = new CpuState();
  fs.forEach((v, i) => s.setFBits(1 + i, v));
  fpuOps[op](s, 10, 1, 2, 3, rm);
  return [u64(s.getFBits(10)), s.fflags];
}
/** Run op with float operands into integer register x10. */
function runX(op: string, rm: number, ...fs: bigint[]): [bigint, number] {
  const s = new CpuState();
  fs.forEach((v, i) => s.setFBits(1 + i, v));
  fpuOps[op](s, 10, 1, 2, 3, rm);
  return [u64(s.getX(10)), s.fflags];
}

describe('rounding modes (IEEE 754 §4.3)', () => {
  const one = dbits(1);
  const halfUlp = dbits(2 ** -53); // 1 + 2^-53 is the midpoint of 1 and 1 + 2^-52
  it('a tie: RNE to even, RMM away, directed by direction', () => {
    expect(runF('fadd.d', RNE, one, halfUlp)).toEqual([one, FFLAG_NX]);
    expect(runF('fadd.d', RMM, one, halfUlp)).toEqual([dbits(1 + 2 ** -52), FFLAG_NX]);
    expect(runF('fadd.d', RTZ, one, halfUlp)).toEqual([one, FFLAG_NX]);
    expect(runF('fadd.d', RDN, one, halfUlp)).toEqual([one, FFLAG_NX]);
    expect(runF('fadd.d', RUP, one, halfUlp)).toEqual([dbits(1 + 2 ** -52), FFLAG_NX]);
    expect(runF('fsub.d', RMM, dbits(-1), halfUlp)).toEqual([dbits(-1 - 2 ** -52), FFLAG_NX]);
  });
  it('a dynamic rm uses frm', () => {
    const s = new CpuState();
    s.frm = RUP;
    s.setFBits(1, one);
    s.setFBits(2, halfUlp);
    fpuOps['fadd.d'](s, 3, 1, 2, 0, DYN);
    expect(u64(s.getFBits(3))).toBe(dbits(1 + 2 ** -52));
  });
  it('overflow gives infinity or the largest finite value by mode (§7.4)', () => {
    const max = dbits(Number.MAX_VALUE);
    const negMax = dbits(-Number.MAX_VALUE);
    const flags = FFLAG_OF | FFLAG_NX;
    expect(runF('fadd.d', RNE, max, max)).toEqual([dbits(Infinity), flags]);
    expect(runF('fadd.d', RMM, max, max)).toEqual([dbits(Infinity), flags]);
    expect(runF('fadd.d', RTZ, max, max)).toEqual([max, flags]);
    expect(runF('fadd.d', RDN, max, max)).toEqual([max, flags]);
    expect(runF('fadd.d', RUP, max, max)).toEqual([dbits(Infinity), flags]);
    expect(runF('fmul.d', RUP, negMax, dbits(2))).toEqual([negMax, flags]);
    expect(runF('fmul.d', RDN, negMax, dbits(2))).toEqual([dbits(-Infinity), flags]);
    expect(runF('fmul.s', RTZ, sbits(2 ** 127), sbits(2))).toEqual([sbits(3.4028234663852886e38), flags]);
  });
  it('x - x is +0, except -0 in RDN (§6.3)', () => {
    expect(runF('fsub.d', RNE, one, one)).toEqual([0n, 0]);
    expect(runF('fsub.d', RDN, one, one)).toEqual([dbits(-0), 0]);
    expect(runF('fadd.s', RDN, sbits(0), sbits(-0))).toEqual([sbits(-0), 0]);
    expect(runF('fmadd.d', RNE, dbits(-0), one, dbits(-0))).toEqual([dbits(-0), 0]);
  });
});

describe('underflow: tininess is detected after rounding (RISC-V choice)', () => {
  // (1 + 2^-52) * (2^-1022 - 2^-1074) = 2^-1022 * (1 - 2^-104): with unbounded exponent it
  // rounds to 2^-1022 under RNE (not tiny: NX only) but below it under RTZ (tiny: UF too).
  const a = 0x3ff0000000000001n;
  const maxSub = 0x000fffffffffffffn;
  it('binary64', () => {
    expect(runF('fmul.d', RNE, a, maxSub)).toEqual([0x0010000000000000n, FFLAG_NX]);
    expect(runF('fmul.d', RTZ, a, maxSub)).toEqual([maxSub, FFLAG_NX | FFLAG_UF]);
  });
  it('binary32 via fcvt.s.d', () => {
    const x = dbits(2 ** -126 * (1 - 2 ** -30));
    expect(runF('fcvt.s.d', RNE, x)).toEqual([sbits(2 ** -126), FFLAG_NX]);
    expect(runF('fcvt.s.d', RTZ, x)).toEqual([sbits(2 ** -126 - 2 ** -149), FFLAG_NX | FFLAG_UF]);
  });
  it('an exact subnormal result raises nothing', () => {
    expect(runF('fmul.d', RNE, dbits(2 ** -1000), dbits(2 ** -70))).toEqual([dbits(2 ** -1070), 0]);
  });
});

describe('NaNs', () => {
  it('arithmetic returns the canonical NaN; only signalling inputs or invalid ops raise NV', () => {
    expect(runF('fadd.d', RNE, 0xfff8000000000123n, dbits(1))).toEqual([CANON_D, 0]);
    expect(runF('fadd.d', RNE, 0x7ff0000000000001n, dbits(1))).toEqual([CANON_D, FFLAG_NV]);
    expect(runF('fsub.d', RNE, dbits(Infinity), dbits(Infinity))).toEqual([CANON_D, FFLAG_NV]);
    expect(runF('fdiv.s', RNE, sbits(0), sbits(0))).toEqual([CANON_S, FFLAG_NV]);
    expect(runF('fsqrt.s', RNE, sbits(-1))).toEqual([CANON_S, FFLAG_NV]);
    expect(runF('fdiv.d', RNE, dbits(1), dbits(-0))).toEqual([dbits(-Infinity), FFLAG_DZ]);
  });
  it('fmadd: inf * 0 + qNaN raises NV', () => {
    expect(runF('fmadd.d', RNE, dbits(Infinity), dbits(0), CANON_D)).toEqual([CANON_D, FFLAG_NV]);
    expect(runF('fmadd.s', RNE, sbits(0), sbits(-Infinity), CANON_S)).toEqual([CANON_S, FFLAG_NV]);
    expect(runF('fmadd.d', RNE, dbits(2), dbits(3), CANON_D)).toEqual([CANON_D, 0]);
  });
  it('a single that is not NaN-boxed reads as the canonical NaN', () => {
    const unboxedOne = 0x000000003f800000n;
    expect(runF('fadd.s', RNE, unboxedOne, sbits(1))).toEqual([CANON_S, 0]);
    expect(runF('fsgnjn.s', RNE, unboxedOne, sbits(1))).toEqual([box(0xffc00000), 0]);
    expect(runX('fclass.s', RNE, unboxedOne)).toEqual([1n << 9n, 0]);
    // fmv.x.w moves the low word regardless, sign-extended.
    expect(runX('fmv.x.w', RNE, 0x00000000bf800000n)).toEqual([0xffffffffbf800000n, 0]);
  });
  it('sign injection keeps NaN payloads', () => {
    expect(runF('fsgnjx.d', RNE, 0x7ff0000000000001n, dbits(-1))).toEqual([0xfff0000000000001n, 0]);
    expect(runF('fsgnj.s', RNE, box(0x7f800001), sbits(-0))).toEqual([box(0xff800001), 0]);
  });
});

describe('fmin / fmax (F 2.2: minimumNumber / maximumNumber)', () => {
  it('-0 is less than +0', () => {
    expect(runF('fmin.d', RNE, dbits(0), dbits(-0))).toEqual([dbits(-0), 0]);
    expect(runF('fmax.s', RNE, sbits(-0), sbits(0))).toEqual([sbits(0), 0]);
  });
  it('one NaN gives the other operand; a signalling one still raises NV', () => {
    expect(runF('fmin.d', RNE, CANON_D, dbits(3))).toEqual([dbits(3), 0]);
    expect(runF('fmax.s', RNE, sbits(-2), box(0x7f800001))).toEqual([sbits(-2), FFLAG_NV]);
  });
  it('two NaNs give the canonical NaN', () => {
    expect(runF('fmax.d', RNE, 0xfff8000000000005n, 0x7ff0000000000001n)).toEqual([CANON_D, FFLAG_NV]);
  });
});

describe('comparisons', () => {
  it('feq is quiet, flt/fle signal on any NaN', () => {
    expect(runX('feq.d', RNE, CANON_D, dbits(1))).toEqual([0n, 0]);
    expect(runX('feq.d', RNE, 0x7ff0000000000001n, dbits(1))).toEqual([0n, FFLAG_NV]);
    expect(runX('flt.d', RNE, CANON_D, dbits(1))).toEqual([0n, FFLAG_NV]);
    expect(runX('fle.s', RNE, sbits(1), CANON_S)).toEqual([0n, FFLAG_NV]);
    expect(runX('feq.s', RNE, sbits(-0), sbits(0))).toEqual([1n, 0]);
    expect(runX('fle.d', RNE, dbits(-0), dbits(0))).toEqual([1n, 0]);
    expect(runX('flt.d', RNE, dbits(-0), dbits(0))).toEqual([0n, 0]);
  });
});

describe('fclass (one bit per class)', () => {
  const d: [number | bigint, number][] = [
    [-Infinity, 0], [-1, 1], [-(2 ** -1074), 2], [-0, 3], [0, 4], [2 ** -1074, 5], [1, 6], [Infinity, 7], [0x7ff0000000000001n, 8], [CANON_D, 9],
  ];
  it.each(d)('fclass.d %s -> bit %i', (v, bit) => {
    expect(runX('fclass.d', RNE, typeof v === 'bigint' ? v : dbits(v))).toEqual([1n << BigInt(bit), 0]);
  });
  const s: [number | bigint, number][] = [
    [-Infinity, 0], [-1, 1], [-(2 ** -149), 2], [-0, 3], [0, 4], [2 ** -149, 5], [1, 6], [Infinity, 7], [box(0x7f800001), 8], [CANON_S, 9],
  ];
  it.each(s)('fclass.s %s -> bit %i', (v, bit) => {
    expect(runX('fclass.s', RNE, typeof v === 'bigint' ? v : sbits(v))).toEqual([1n << BigInt(bit), 0]);
  });
});

describe('fcvt to integer: saturation table', () => {
  // [op, too negative / -inf result, too positive / +inf / NaN result]; 32-bit results sign-extended.
  const table: [string, bigint, bigint][] = [
    ['w', 0xffffffff80000000n, 0x000000007fffffffn],
    ['wu', 0n, 0xffffffffffffffffn],
    ['l', 0x8000000000000000n, 0x7fffffffffffffffn],
    ['lu', 0n, 0xffffffffffffffffn],
  ];
  for (const [t, lo, hi] of table) {
    for (const p of ['s', 'd'] as const) {
      const v = p === 's' ? sbits : dbits;
      const nan = p === 's' ? CANON_S : CANON_D;
      it(`fcvt.${t}.${p}`, () => {
        const op = `fcvt.${t}.${p}`;
        expect(runX(op, RNE, v(-Infinity))).toEqual([lo, FFLAG_NV]);
        expect(runX(op, RNE, v(-1e30))).toEqual([lo, FFLAG_NV]);
        expect(runX(op, RNE, v(Infinity))).toEqual([hi, FFLAG_NV]);
        expect(runX(op, RNE, v(1e30))).toEqual([hi, FFLAG_NV]);
        expect(runX(op, RNE, nan)).toEqual([hi, FFLAG_NV]);
        expect(runX(op, RTZ, v(-0.75))).toEqual([0n, FFLAG_NX]); // rounds to 0: in range
      });
    }
  }
  it('rounds in the requested mode and raises NX when inexact', () => {
    expect(runX('fcvt.w.d', RNE, dbits(2.5))).toEqual([2n, FFLAG_NX]);
    expect(runX('fcvt.w.d', RMM, dbits(2.5))).toEqual([3n, FFLAG_NX]);
    expect(runX('fcvt.w.d', RDN, dbits(-2.5))).toEqual([u64(-3n), FFLAG_NX]);
    expect(runX('fcvt.l.s', RUP, sbits(-2.5))).toEqual([u64(-2n), FFLAG_NX]);
    expect(runX('fcvt.wu.d', RNE, dbits(3e9))).toEqual([0xffffffffb2d05e00n, 0]); // sign-extended
    expect(runX('fcvt.wu.d', RNE, dbits(-1))).toEqual([0n, FFLAG_NV]);
    expect(runX('fcvt.l.d', RNE, dbits(-(2 ** 63)))).toEqual([0x8000000000000000n, 0]);
  });
});

describe('reserved rounding modes are illegal instructions', () => {
  it.each([5, 6])('static rm %i', (rm) => {
    const s = new CpuState();
    s.pc = 0x4000;
    expect(() => fpuOps['fadd.s'](s, 1, 2, 3, 0, rm)).toThrow(IllegalInstruction);
    expect(() => fpuOps['fcvt.d.w'](s, 1, 2, 3, 0, rm)).toThrow(IllegalInstruction);
  });
  it.each([5, 6, 7])('dynamic rm with frm = %i', (frm) => {
    const s = new CpuState();
    s.pc = 0x4000;
    s.frm = frm;
    let err: unknown;
    try {
      fpuOps['fmadd.d'](s, 1, 2, 3, 4, DYN);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(IllegalInstruction);
    expect((err as IllegalInstruction).pc).toBe(0x4000);
  });
  it('ops without rounding ignore the field', () => {
    const s = new CpuState();
    s.frm = 7;
    expect(() => fpuOps['fmin.d'](s, 1, 2, 3, 0, DYN)).not.toThrow();
    expect(() => fpuOps['fmv.x.d'](s, 1, 2, 0, 0, DYN)).not.toThrow();
  });
});

describe('every F/D mnemonic (except loads/stores) is present', () => {
  const names: string[] = [];
  for (const p of ['s', 'd']) {
    for (const n of ['fadd', 'fsub', 'fmul', 'fdiv', 'fsqrt', 'fmin', 'fmax', 'fmadd', 'fmsub', 'fnmadd', 'fnmsub', 'fsgnj', 'fsgnjn', 'fsgnjx', 'feq', 'flt', 'fle', 'fclass']) names.push(`${n}.${p}`);
    for (const t of ['w', 'wu', 'l', 'lu']) names.push(`fcvt.${t}.${p}`, `fcvt.${p}.${t}`);
  }
  names.push('fcvt.s.d', 'fcvt.d.s', 'fmv.x.w', 'fmv.w.x', 'fmv.x.d', 'fmv.d.x');
  it.each(names)('%s', (n) => expect(typeof fpuOps[n]).toBe('function'));
});
