// ISA profiles at decode: under rv64imac every F/D instruction (compressed forms included)
// and every access to fflags, frm or fcsr is an illegal instruction at its pc, in the
// interpreter and after the code before it was compiled by either tier; under rv64gc the
// same code runs. Expected counts and pcs come from the code as written (no relaxation, no
// compression outside the marked parcels).

import { describe, expect, it } from 'vitest';
import { CpuState } from './state.ts';
import { Interpreter, STOP_EBREAK, type Tier } from './interpreter.ts';
import { IllegalInstruction } from './traps.ts';
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.ts';
import { assemble, assemblerMissing } from '../testing/gnu-as.ts';
import { hwcapOf, type IsaName } from '../isa.ts';
import { DecodeCache } from './decode-cache.ts';
import { DECODED_PAGES } from '../layout.ts';

const skipped = assemblerMissing ? ` [SKIPPED: ${assemblerMissing}]` : '';
if (skipped) console.warn(`decode-cache.test.ts${skipped}`);

const CODE = 0x10000;
const DATA = 0x20000;

// 5 words, then the instruction under test at CODE + 20 after 2 + 3000 * 2 + 1 retired.
const PREAMBLE = `
  lui t0, 1
  addiw t0, t0, -1096     # t0 = 3000
1:addi t0, t0, -1
  bnez t0, 1b             # hot: compiled by either tier
  lui a1, ${DATA >> 12}   # a1 = DATA, for the loads and stores
`;
const AT = CODE + 20;
const BEFORE = 2 + 3000 * 2 + 1;

/** Instructions outside rv64imac (F, D, their compressed forms, the F extension's CSRs). */
const OUTSIDE_IMAC = [
  'flw ft0, 0(a1)',
  'fld ft0, 8(a1)',
  'fsw ft0, 0(a1)',
  'fsd ft0, 8(a1)',
  'c.fld fa0, 8(a1)',
  'c.fsd fa0, 8(a1)',
  'c.fldsp ft0, 0(sp)',
  'c.fsdsp ft0, 0(sp)',
  'fadd.d ft0, ft1, ft2',
  'fsqrt.s ft0, ft1',
  'fmadd.d ft0, ft1, ft2, ft3',
  'fnmsub.s ft0, ft1, ft2, ft3',
  'fcvt.w.d a0, ft0',
  'fcvt.s.d ft0, ft1',
  'fmv.x.w a0, ft0',
  'fmv.d.x ft0, a0',
  'feq.d a0, ft0, ft1',
  'fclass.s a0, ft0',
  'fsgnj.d ft0, ft1, ft2',
  'frcsr a0',
  'fscsr a0',
  'frflags a0',
  'fsrmi 1',
  'csrrci a0, fflags, 1',
  'csrrw zero, frm, a0',
];

/** Still legal under rv64imac: the counters, A, M, compressed integer ops. */
const INSIDE_IMAC = ['rdcycle a0', 'rdinstret a0', 'rdtime a0', 'mulh a0, a1, a2', 'amoadd.d a0, a2, (a1)', 'c.addi a0, 1'];

type Outcome = { kind: 'ebreak'; instret: number } | { kind: 'illegal'; pc: number; instret: number; bits: number; message: string };

function run(insn: string, isa: IsaName, tier: Tier, jit: boolean): Outcome {
  const compressed = insn.startsWith('c.');
  const code = assemble(`${PREAMBLE}${compressed ? `.option rvc\n  ${insn}\n.option norvc` : `  ${insn}`}`, CODE, false);
  const m = new Memory();
  const s = new CpuState(m.buffer);
  m.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  m.writeUnchecked(CODE, code);
  m.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  s.setX(2, BigInt(DATA + 0x800)); // sp for c.fldsp / c.fsdsp
  s.pc = CODE;
  const interp = new Interpreter(s, m, tier, isa);
  interp.jit = jit;
  interp.hot = 16;
  try {
    // Small budgets: the run loop enters the compiled loop many times.
    for (let i = 0; i < 1000; i++) if (interp.run(97) === STOP_EBREAK) return { kind: 'ebreak', instret: s.instret };
    throw new Error('no ebreak');
  } catch (e) {
    if (!(e instanceof IllegalInstruction)) throw e;
    const bits = compressed ? code[20] | (code[21] << 8) : new DataView(code.buffer, code.byteOffset).getUint32(20, true);
    expect(e.bits >>> 0, 'raw bits of the instruction').toBe(bits >>> 0);
    return { kind: 'illegal', pc: s.pc, instret: s.instret, bits, message: e.message };
  } finally {
    if (jit) expect(tier === 'wasm' ? interp.wasm!.stats.regions : interp.jitStats.blocks, 'the loop was compiled').toBeGreaterThan(0);
    m.dispose();
  }
}

const TIERS: Array<[Tier, boolean]> = [
  ['js', false],
  ['js', true],
  ['wasm', true],
];

describe.skipIf(!!skipped)(`ISA profiles at decode${skipped}`, () => {
  for (const [tier, jit] of TIERS) {
    const name = jit ? `${tier} compiled` : 'interpreter';
    it(`${name}: F/D and FP CSRs are illegal at their pc under rv64imac, and run under rv64gc`, () => {
      for (const insn of OUTSIDE_IMAC) {
        const got = run(insn, 'rv64imac', tier, jit);
        expect(got, insn).toMatchObject({ kind: 'illegal', pc: AT, instret: BEFORE });
        expect(got.kind === 'illegal' && got.message, insn).toMatch(/^illegal instruction \(.*: no [FD] in rv64imac\) 0x[0-9a-f]+ at pc 0x10014$/);
        // The +1 is the instruction itself; the ebreak that gnu-as.ts appends does not retire.
        expect(run(insn, 'rv64gc', tier, jit), insn).toEqual({ kind: 'ebreak', instret: BEFORE + 1 });
      }
    });
    it(`${name}: counters, M, A and compressed integer ops stay legal under rv64imac`, () => {
      for (const insn of INSIDE_IMAC) expect(run(insn, 'rv64imac', tier, jit), insn).toEqual({ kind: 'ebreak', instret: BEFORE + 1 });
    });
  }
});

describe('AT_HWCAP of a profile', () => {
  it("bit (letter - 'a') per single-letter extension", () => {
    const bits = (letters: string) => [...letters].reduce((m, c) => m | (1 << (c.charCodeAt(0) - 97)), 0);
    expect(hwcapOf('rv64gc')).toBe(bits('imafdc'));
    expect(hwcapOf('rv64imac')).toBe(bits('imac'));
    expect(hwcapOf('rv64imac')).toBe(0x1105);
  });
});

// The decoded-code arena (layout.ts) holds DECODED_PAGES pages: one more starts it over, and
// every page decodes again, with the same result, as it runs.
describe('the decoded-code arena', () => {
  it('when full, drops every decoded page and goes on from a fresh arena', () => {
    const m = new Memory();
    const pages = DECODED_PAGES + 1;
    m.map(CODE, pages * 4096, PROT_READ | PROT_EXEC);
    // Each page starts with `addi a0, a0, 1` (0x00150513).
    for (let p = 0; p < pages; p++) m.writeUnchecked(CODE + p * 4096, new Uint8Array([0x13, 0x05, 0x15, 0x00]));
    const cache = new DecodeCache(m);
    const first = cache.page(CODE);
    expect(cache.fill(first, 0, CODE)).toBe(first.op[0]);
    let dropped = 0;
    cache.onDrop = (pageNo) => void (pageNo === -1 && dropped++);
    for (let p = 1; p < DECODED_PAGES; p++) cache.page(CODE + p * 4096);
    expect([dropped, cache.holds(first)]).toEqual([0, true]);
    const last = cache.page(CODE + DECODED_PAGES * 4096); // the arena is full: it starts over
    expect([dropped, cache.holds(first), cache.holds(last)]).toEqual([1, false, true]);
    const again = cache.page(CODE);
    expect(again).not.toBe(first);
    expect(again.op[0]).toBe(0); // not decoded yet: its slot was cleared
    expect(cache.fill(again, 0, CODE)).toBe(first.op[0]);
    m.dispose();
  });
});
