// The compiled single-precision fast paths (codegen.ts: fmv.w.x, feq.s/flt.s/fle.s, and
// fcvt.s.d under round-to-nearest-even) against the interpreter's FPU, which the ISA
// differential holds to qemu-riscv64: over doubles at every edge the fast paths must tell
// apart (zeros, the smallest normal single and the values around it, the largest single and
// the values that round to it or overflow, NaNs, infinities, subnormals), the compiled loop
// must leave the same results and the same fflags after each instruction.

import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpu/state.ts';
import { Interpreter, STOP_EBREAK } from '../cpu/interpreter.ts';
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.ts';
import { assemble, assemblerMissing } from '../testing/gnu-as.ts';

const CODE = 0x10000;
const DATA = 0x20000;
const OUT = DATA + 0x200; // 13 dwords per input
const skipped = assemblerMissing ? ` [SKIPPED: ${assemblerMissing}]` : '';

const FLT_MIN = 2 ** -126;
const FLT_MAX = (2 - 2 ** -23) * 2 ** 127;
const bitsOf = (x: number) => new BigUint64Array(new Float64Array([x]).buffer)[0];
const INPUTS: bigint[] = [
  ...[0, -0, 1, -1, 1.1, -1 / 3, 0.1, 16777217, 3e38, -3.5e38, 1e-40, 1e-45, 1e-50, 123456.789, Infinity, -Infinity, NaN].map(bitsOf),
  ...[FLT_MIN, -FLT_MIN, FLT_MIN * (1 - 2 ** -30), FLT_MIN * (1 + 2 ** -30), FLT_MIN * (1 - 2 ** -24), FLT_MIN * (1 - 2 ** -25), 2 ** -127, 2 ** -149, 2 ** -150, 2 ** -151].map(bitsOf),
  ...[FLT_MAX, -FLT_MAX, FLT_MAX + 2 ** 103, FLT_MAX + 2 ** 102, FLT_MAX + 2 ** 103 - 2 ** 60, 2 ** 128, -(2 ** 128), 2 ** 1000].map(bitsOf),
  0x7ff0000000000001n, // signalling NaN
  0xfff8000000000000n, // negative quiet NaN
  0xffffffff3f800000n, // 1.0f NaN-boxed (as a double: a NaN)
  0xffffffff7f800001n, // a boxed single signalling NaN
  0x000000003f800000n, // 1.0f not boxed
  0x0000000000000001n, // the smallest subnormal double
];

// For each input: its bits into f1 and t1; fcvt.s.d with the dynamic mode (frm = RNE) and with
// a static rne; fmv.w.x of the low word; comparisons among boxed singles (fast path) and with
// the raw double (unboxed unless it is a boxed pattern: the JS op); fflags after each.
const PROGRAM = `
  li s5, 0
  li s6, 30
pass:
  li s1, 0
  li s2, ${INPUTS.length}
  li s3, ${DATA}
  li s4, ${OUT}
loop:
  slli t0, s1, 3
  add t0, t0, s3
  fld f1, 0(t0)
  ld t1, 0(t0)
  fsflags zero
  fcvt.s.d f2, f1
  frflags t2
  fsd f2, 0(s4)
  sd t2, 8(s4)
  fsflags zero
  fcvt.s.d f3, f1, rne
  frflags t2
  fsd f3, 16(s4)
  sd t2, 24(s4)
  fmv.w.x f4, t1
  fsd f4, 32(s4)
  fsflags zero
  feq.s t3, f2, f4
  flt.s t4, f4, f2
  fle.s t5, f2, f2
  frflags t2
  sd t3, 40(s4)
  sd t4, 48(s4)
  sd t5, 56(s4)
  sd t2, 64(s4)
  fsflags zero
  feq.s t3, f1, f2
  flt.s t4, f2, f1
  fle.s t5, f1, f4
  frflags t2
  add t3, t3, t4
  add t3, t3, t5
  sd t3, 72(s4)
  sd t2, 80(s4)
  fsflags zero
  fcvt.s.d f1, f1
  frflags t2
  fsd f1, 88(s4)
  sd t2, 96(s4)
  addi s4, s4, 104
  addi s1, s1, 1
  blt s1, s2, loop
  addi s5, s5, 1
  blt s5, s6, pass
`;

function run(code: Uint8Array, jit: boolean): { out: bigint[]; instret: number; regions: number; m: Memory } {
  const m = new Memory();
  const s = new CpuState(m.buffer);
  m.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  m.writeUnchecked(CODE, code);
  m.map(DATA, 0x2000, PROT_READ | PROT_WRITE);
  const interp = new Interpreter(s, m, 'wasm');
  interp.jit = jit;
  interp.hot = 4;
  if (interp.wasm) interp.wasm.batch = 1;
  m.writeUnchecked(DATA, new Uint8Array(new BigUint64Array(INPUTS).buffer));
  s.pc = CODE;
  let stop = 0;
  // Small budgets: the run loop re-enters compiled regions many times, mid-loop too.
  for (let i = 0; i < 100_000 && stop !== STOP_EBREAK; i++) stop = interp.run(61);
  expect(stop).toBe(STOP_EBREAK);
  const out = [...new BigUint64Array(m.read(OUT, INPUTS.length * 104).buffer)];
  return { out, instret: s.instret, regions: interp.wasm?.stats.regions ?? 0, m };
}

describe(`compiled single-precision fast paths${skipped}`, () => {
  it.skipIf(!!skipped)('fcvt.s.d, fmv.w.x, feq.s, flt.s, fle.s: the same results and fflags as the interpreter at every edge', () => {
    const code = assemble(PROGRAM, CODE);
    const ref = run(code, false);
    const got = run(code, true);
    expect(got.regions).toBeGreaterThan(0);
    // Spot checks against IEEE 754 itself, so an FPU bug shared by both tiers shows too:
    // 1.1 rounds (NX = 1), the boxed result is 0x3f8ccccd; FLT_MAX + 2^103 overflows (OF|NX = 5).
    const at = (k: number, w: number) => ref.out[k * 13 + w];
    expect(at(4, 0)).toBe(0xffffffff3f8ccccdn);
    expect(at(4, 1)).toBe(1n);
    expect(at(29, 0)).toBe(0xffffffff7f800000n);
    expect(at(29, 1)).toBe(5n);
    for (let k = 0; k < INPUTS.length; k++) {
      expect(got.out.slice(k * 13, k * 13 + 13), `input ${k}: 0x${INPUTS[k].toString(16)}`).toEqual(ref.out.slice(k * 13, k * 13 + 13));
    }
    expect(got.instret).toBe(ref.instret);
    ref.m.dispose();
    got.m.dispose();
  });
});
