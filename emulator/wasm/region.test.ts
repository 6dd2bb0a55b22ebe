// Regions that follow indirect jumps: a jalr's last target seen by the interpreter is part of
// the region, behind a run-time check. A call through a function pointer whose target
// changes, a return to the call site, and a jump table must give what the interpreter alone
// gives (registers, memory, retired count), and the region must really contain the target.

import { JalrTargets } from '../cpu/jalr-targets.ts';
import { describe, expect, it } from 'vitest';
import { CpuState } from '../cpu/state.ts';
import { Interpreter, STOP_EBREAK } from '../cpu/interpreter.ts';
import { Memory, PROT_EXEC, PROT_READ, PROT_WRITE } from '../memory.ts';
import { assemble, assemblerMissing } from '../testing/gnu-as.ts';
import { discoverRegion } from './region.ts';

const CODE = 0x10000;
const DATA = 0x20000;
const HOT = 8;
// The emulator is a leaf (leaf.test.ts): the skip tag test/skips.ts counts is written out here.
const skipped = assemblerMissing ? ` [SKIPPED: ${assemblerMissing}]` : '';

// A loop of 300 rounds: a call through a0 (a function pointer that is `twice` for the first
// 200 rounds, then `thrice`), the callee returning with `ret`; then a jump through a table
// indexed by the round's low two bits. s0 accumulates, s1 counts rounds, memory at DATA is
// bumped by the callees.
const PROGRAM = `
  li s0, 0
  li s1, 0
  li s2, 300
  la s3, table
loop:
  la a0, twice
  li t0, 200
  blt s1, t0, 1f
  la a0, thrice
1:
  mv a1, s1
  jalr ra, 0(a0)
  add s0, s0, a1
  andi t1, s1, 3
  slli t1, t1, 3
  add t1, t1, s3
  ld t1, 0(t1)
  jr t1
case0:
  addi s0, s0, 1
  j next
case1:
  addi s0, s0, 10
  j next
case2:
  xori s0, s0, 5
  j next
case3:
  slli s0, s0, 1
next:
  addi s1, s1, 1
  blt s1, s2, loop
  j done
twice:
  slli a1, a1, 1
  li t2, ${DATA}
  ld t3, 0(t2)
  addi t3, t3, 1
  sd t3, 0(t2)
  ret
thrice:
  slli t4, a1, 1
  add a1, a1, t4
  li t2, ${DATA}
  ld t3, 8(t2)
  addi t3, t3, 1
  sd t3, 8(t2)
  ret
  .balign 8
table:
  .dword case0, case1, case2, case3
done:
`;

interface Result {
  regs: bigint[];
  data: bigint[];
  instret: number;
  stop: number;
  interp: Interpreter;
  m: Memory;
}

function run(code: Uint8Array, jit: boolean, at = CODE, prepare?: (interp: Interpreter) => void): Result {
  const m = new Memory();
  const s = new CpuState(m.buffer);
  m.map(at, 0x1000, PROT_READ | PROT_EXEC);
  m.writeUnchecked(at, code);
  m.map(DATA, 0x2000, PROT_READ | PROT_WRITE);
  const interp = new Interpreter(s, m, 'wasm');
  interp.jit = jit;
  interp.hot = HOT;
  if (interp.wasm) interp.wasm.batch = 1;
  prepare?.(interp);
  s.pc = at;
  let stop = 0;
  // Small budgets: the run loop re-enters compiled regions many times, mid-loop too.
  for (let i = 0; i < 10_000 && stop !== STOP_EBREAK; i++) stop = interp.run(97);
  const regs = Array.from({ length: 32 }, (_, r) => s.getX(r));
  const data = [0, 8].map((o) => new DataView(m.read(DATA + o, 8).buffer).getBigUint64(0, true));
  return { regs, data, instret: s.instret, stop, interp, m };
}

/** Compiled regions ran, and left what the interpreter alone leaves: registers, memory, count. */
function expectSameAsInterpreter(got: Result, ref: Result): void {
  expect(got.stop).toBe(STOP_EBREAK);
  expect(got.regs).toEqual(ref.regs);
  expect(got.data).toEqual(ref.data);
  expect(got.instret).toBe(ref.instret);
  expect(got.interp.wasm!.stats.regions).toBeGreaterThan(0);
  ref.m.dispose();
  got.m.dispose();
}

describe(`wasm regions follow indirect jumps${skipped}`, () => {
  it.skipIf(!!skipped)('a call through a changing function pointer, its return and a jump table: same state as the interpreter alone', () => {
    const code = assemble(PROGRAM, CODE);
    const ref = run(code, false);
    const got = run(code, true);
    expect(ref.stop).toBe(STOP_EBREAK);
    // Worked out by hand: 200 rounds of twice, 100 of thrice.
    expect(ref.data).toEqual([200n, 100n]);
    expectSameAsInterpreter(got, ref);
  });

  it.skipIf(!!skipped)('the region holds the callee the pointer last went to and the last jump-table case', () => {
    const code = assemble(PROGRAM, CODE);
    const got = run(code, false); // interpreted only: the targets are recorded, nothing compiled
    const cache = got.interp.cache;
    const dp = cache.page(CODE);
    const targets = (got.interp as unknown as { helpers: { targets: JalrTargets } }).helpers.targets;
    expect(targets.entries().length).toBe(4); // the call, the two returns, the table jump
    const [call, jump] = targets.entries().map(([pc]) => pc).sort((a, b) => a - b); // program order: the call, the table jump, two returns
    // warm = 0: every block counts as warm, so only the targets decide what is followed.
    const pcs = (t?: JalrTargets) => new Set(discoverRegion(cache, dp, CODE, 0, t)!.blocks.map((b) => b.pc));
    const thrice = targets.get(call)!; // the last rounds called thrice
    const case3 = targets.get(jump)!; // round 299: 299 & 3 = 3
    expect(pcs().has(thrice)).toBe(false);
    expect(pcs().has(case3)).toBe(false);
    expect(pcs(targets).has(thrice)).toBe(true);
    expect(pcs(targets).has(case3)).toBe(true);
    got.m.dispose();
  });

  it.skipIf(!!skipped)('a new region does not copy blocks already compiled into another one', () => {
    const code = assemble(PROGRAM, CODE);
    const got = run(code, true);
    const dp = got.interp.cache.page(CODE);
    const compiled = new Set([...dp.entryFn].flatMap((e, slot) => (e > 0 ? [dp.base + 2 * slot] : [])));
    expect(compiled.size).toBeGreaterThan(3);
    const targets = (got.interp as unknown as { helpers: { targets: JalrTargets } }).helpers.targets;
    // From the program's start (every block warm): the blocks compiled since are left out.
    const region = discoverRegion(got.interp.cache, dp, CODE, 0, targets)!;
    expect(region.blocks[0].pc).toBe(CODE);
    expect(region.blocks.slice(1).filter((b) => compiled.has(b.pc))).toEqual([]);
    got.m.dispose();
  });

  it.skipIf(!!skipped)('code above 2^32: link values, returns and chained exits keep all 64 bits of the pc', () => {
    // Just below the top of the 2^38-byte user address space.
    const HIGH = 0x3f_f000_0000;
    const code = assemble(
      `li s1, 0
       li s2, 300
loop:  call bump
       addi s1, s1, 1
       blt s1, s2, loop
       j done
bump:  li t2, ${DATA}
       ld t3, 0(t2)
       add t3, t3, ra
       sd t3, 0(t2)
       ret
done:`,
      HIGH,
    );
    const ref = run(code, false, HIGH);
    const got = run(code, true, HIGH);
    expect(ref.stop).toBe(STOP_EBREAK);
    // ra is the pc after the call, above 2^32: 300 of them summed (mod 2^64).
    expect(ref.data[0] % 300n).toBe(0n);
    expect(ref.data[0] / 300n).toBeGreaterThan(0x3f_f000_0000n);
    expectSameAsInterpreter(got, ref);
  });

  it.skipIf(!!skipped)('misaligned loads and stores inside a page stay in compiled code; one crossing pages takes the slow path', () => {
    // 300 rounds: an 8-, 4- and 2-byte store and load at odd offsets inside the data page, and
    // an 8-byte store and load across the end of the page (DATA + 0xffd .. DATA + 0x1004).
    const code = assemble(
      `li s1, 0
       li s2, 300
       li s3, ${DATA}
       li s4, ${DATA + 0xffd}
loop:  add t0, s1, s1
       sd t0, 3(s3)
       ld t1, 3(s3)
       sw t1, 13(s3)
       lw t2, 13(s3)
       sh t2, 21(s3)
       lhu t3, 21(s3)
       add s0, s0, t3
       sd s1, 0(s4)
       ld t4, 0(s4)
       add s0, s0, t4
       addi s1, s1, 1
       blt s1, s2, loop`,
      CODE,
    );
    const ref = run(code, false);
    const got = run(code, true);
    expect(ref.regs[8]).toBe(BigInt(299 * 300 + (299 * 300) / 2)); // s0: sum of 2i (low 16 bits: i < 300 keeps 2i small) and of i
    expectSameAsInterpreter(got, ref);
  });

  it.skipIf(!!skipped)('counts: only the page-crossing accesses leave the region', () => {
    const code = assemble(
      `li s1, 0
       li s2, 300
       li s3, ${DATA}
       li s4, ${DATA + 0xffd}
loop:  sd s1, 3(s3)
       ld t1, 3(s3)
       sd s1, 0(s4)
       addi s1, s1, 1
       blt s1, s2, loop`,
      CODE,
    );
    const got = run(code, true, CODE);
    const stepped = got.interp.tier0!.stats.sideSteps;
    expect(got.stop).toBe(STOP_EBREAK);
    expect(got.interp.wasm!.stats.regions).toBeGreaterThan(0);
    // Once compiled, each round leaves only for the store across the page end: at most one
    // step per round, where 3 per round would mean every misaligned access left.
    expect(stepped).toBeGreaterThan(200);
    expect(stepped).toBeLessThanOrEqual(300);
    got.m.dispose();
  });
});
