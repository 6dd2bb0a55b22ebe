// Instruction families on the interpreter. Code is assembled by GNU as (with compression
// on, so RVC expansions run too); expected register values are worked out from the ISA
// manual's definitions and written down literally.

import { describe, expect, it } from 'vitest';
import { CpuState } from './state.ts';
import { Memory, MemoryFault, PROT_EXEC, PROT_READ, PROT_WRITE, SEGV_ACCERR, SEGV_MAPERR } from '../memory.ts';
import { Interpreter, STOP_EBREAK, STOP_ECALL } from './interpreter.ts';
import { IllegalInstruction, MisalignedAtomic } from './traps.ts';
import { assemble as assembleAt, assemblerMissing } from '../testing/gnu-as.ts';

// The skip reporter counts names with "[SKIPPED: reason]" (test/skips.ts; a leaf may not import it).
const missing = assemblerMissing ? ` [SKIPPED: ${assemblerMissing}]` : '';
if (missing) console.warn(`interpreter.test.ts${missing}`);

const CODE = 0x10000;
const DATA = 0x20000;

// Linked at CODE so pc-relative pairs (la) are resolved; no relaxation keeps the code as written.
const assemble = (src: string, rvc = true) => assembleAt(src, CODE, rvc);

interface Run {
  s: CpuState;
  m: Memory;
  stop: number;
}

function run(src: string, init: Record<number, bigint> = {}, rvc = true): Run {
  const s = new CpuState();
  const m = new Memory();
  m.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  m.writeUnchecked(CODE, assemble(src, rvc));
  m.map(DATA, 0x2000, PROT_READ | PROT_WRITE);
  m.map(DATA + 0x2000, 0x1000, PROT_READ);
  for (const [r, v] of Object.entries(init)) s.setX(Number(r), v);
  s.pc = CODE;
  const stop = new Interpreter(s, m).run(10_000);
  return { s, m, stop };
}

const hex = (v: bigint) => '0x' + BigInt.asUintN(64, v).toString(16);
const X = (r: Run, i: number) => hex(r.s.getX(i));

describe.skipIf(!!missing)(`RV64I/M/A/Zicsr on the interpreter${missing}`, () => {
  it('x0 stays zero and ebreak stops', () => {
    const r = run('li x0, 5\naddi x0, x0, 1\nadd a0, x0, x0');
    expect(r.stop).toBe(STOP_EBREAK);
    expect(X(r, 0)).toBe('0x0');
    expect(X(r, 10)).toBe('0x0');
  });

  it('add/sub carry and borrow across the 32-bit halves', () => {
    const r = run('add a0, a1, a2\nsub a3, a4, a5\naddi a6, a1, 1\naddw a7, a1, a2', {
      11: 0xffffffffn,
      12: 1n,
      14: 0x100000000n,
      15: 1n,
    });
    expect(X(r, 10)).toBe('0x100000000');
    expect(X(r, 13)).toBe('0xffffffff');
    expect(X(r, 16)).toBe('0x100000000');
    expect(X(r, 17)).toBe('0x0'); // 32-bit wrap, sign-extended
  });

  it('W forms sign-extend bit 31', () => {
    const r = run('addiw a0, a1, 1\nsllw a2, a3, a4\nsrlw a5, a3, a4\nsraw a6, a3, a4\nsubw a7, x0, a3', {
      11: 0x7fffffffn,
      13: 0x80000001n,
      14: 33n, // only the low 5 bits count: shift by 1
    });
    expect(X(r, 10)).toBe('0xffffffff80000000');
    expect(X(r, 12)).toBe('0x2');
    expect(X(r, 15)).toBe('0x40000000');
    expect(X(r, 16)).toBe('0xffffffffc0000000');
    expect(X(r, 17)).toBe('0x7fffffff');
  });

  it('64-bit shifts use 6 bits of the amount', () => {
    const r = run('sll a0, a1, a2\nsrl a3, a1, a2\nsra a4, a1, a2\nslli a5, a1, 63\nsrai a6, a1, 4\nsrli a7, a1, 36', {
      11: 0x8000000000000001n,
      12: 64n + 33n,
    });
    expect(X(r, 10)).toBe('0x200000000');
    expect(X(r, 13)).toBe('0x40000000');
    expect(X(r, 14)).toBe('0xffffffffc0000000');
    expect(X(r, 15)).toBe('0x8000000000000000');
    expect(X(r, 16)).toBe('0xf800000000000000');
    expect(X(r, 17)).toBe('0x8000000');
  });

  it('set-less-than signed and unsigned', () => {
    const r = run('slt a0, a1, a2\nsltu a3, a1, a2\nslti a4, a1, -1\nsltiu a5, a2, -1', { 11: -1n, 12: 1n });
    expect([X(r, 10), X(r, 13), X(r, 14), X(r, 15)]).toEqual(['0x1', '0x0', '0x0', '0x1']);
  });

  it('lui/auipc/jal/jalr', () => {
    const r = run('lui a0, 0x80000\nauipc a1, 0\njal a2, 1f\nnop\n1: la a3, 2f\njalr a4, 1(a3)\nli a5, 7\n2: li a6, 9');
    expect(X(r, 10)).toBe('0xffffffff80000000');
    expect(X(r, 11)).toBe(hex(BigInt(CODE + 4)));
    expect(r.s.getX(12)).toBe(BigInt(CODE + 12));
    expect(X(r, 15)).toBe('0x0'); // skipped: jalr cleared bit 0 of the target
    expect(X(r, 16)).toBe('0x9');
  });

  it('branches compare signed and unsigned 64-bit values', () => {
    const src = ['blt a1, a2, 1f', 'li a0, 1', '1: bltu a1, a2, 2f', 'li a3, 1', '2: bge a2, a1, 3f', 'li a4, 1', '3: beq a5, a6, 4f', 'li a7, 1', '4:'].join('\n');
    const r = run(src, { 11: -1n, 12: 0x100000000n, 15: 0x100000000n, 16: 0n });
    expect([X(r, 10), X(r, 13), X(r, 14), X(r, 17)]).toEqual(['0x0', '0x1', '0x0', '0x1']);
  });

  it('loads sign- or zero-extend; stores are little-endian; misaligned works', () => {
    const src = 'sd a1, 0(a0)\nlb a2, 7(a0)\nlbu a3, 7(a0)\nlh a4, 6(a0)\nlhu a5, 6(a0)\nlw a6, 4(a0)\nlwu a7, 4(a0)\nsd a1, 9(a0)\nld t0, 9(a0)\nlw t1, 10(a0)';
    const r = run(src, { 10: BigInt(DATA), 11: 0x8182838485868788n });
    expect(X(r, 12)).toBe('0xffffffffffffff81');
    expect(X(r, 13)).toBe('0x81');
    expect(X(r, 14)).toBe('0xffffffffffff8182');
    expect(X(r, 15)).toBe('0x8182');
    expect(X(r, 16)).toBe('0xffffffff81828384');
    expect(X(r, 17)).toBe('0x81828384');
    expect(X(r, 5)).toBe('0x8182838485868788');
    expect(X(r, 6)).toBe('0xffffffff84858687');
  });

  it('M: mul/mulh/div/rem including the division table', () => {
    const src = 'mul a0, a1, a2\nmulh a3, a1, a2\nmulhu a4, a1, a2\ndiv a5, a1, x0\nrem a6, a1, x0\ndivw a7, a1, a2\nremuw t0, a2, a1';
    const r = run(src, { 11: -7n, 12: 2n });
    expect(X(r, 10)).toBe('0xfffffffffffffff2');
    expect(X(r, 13)).toBe('0xffffffffffffffff');
    expect(X(r, 14)).toBe('0x1');
    expect(X(r, 15)).toBe('0xffffffffffffffff');
    expect(X(r, 16)).toBe('0xfffffffffffffff9');
    expect(X(r, 17)).toBe('0xfffffffffffffffd'); // -7/2 = -3 (truncating)
    expect(X(r, 5)).toBe('0x2'); // 2 % 0xfffffff9 = 2
  });

  it('A: lr/sc succeed on the reserved address and fail otherwise; AMOs return the old value', () => {
    const src = [
      'lr.d a2, (a0)',
      'sc.d a3, a1, (a0)', // succeeds: 0
      'sc.d a4, a1, (a0)', // no reservation: 1
      'ld a5, 0(a0)',
      'li t0, -5',
      'amoadd.w a6, t0, (a0)',
      'lw a7, 0(a0)',
      'amominu.d t1, x0, (a0)',
      'amomax.w t2, t0, 8(a0)',
    ].join('\n');
    const r = run(src.replace('8(a0)', '(a0)'), { 10: BigInt(DATA), 11: 0x1_0000_0003n });
    expect(X(r, 12)).toBe('0x0');
    expect(X(r, 13)).toBe('0x0');
    expect(X(r, 14)).toBe('0x1');
    expect(X(r, 15)).toBe('0x100000003');
    expect(X(r, 16)).toBe('0x3'); // old low word
    expect(X(r, 17)).toBe('0xfffffffffffffffe'); // 3 + -5 sign-extended
    expect(X(r, 6)).toBe('0x1fffffffe');
    expect(X(r, 7)).toBe('0x0'); // amominu.d stored 0
  });

  it('misaligned atomics trap (SIGBUS); plain faults carry address and kind', () => {
    expect(() => run('amoadd.w a1, a1, (a0)', { 10: BigInt(DATA + 2) })).toThrow(MisalignedAtomic);
    try {
      run('sd a1, 0(a0)', { 10: BigInt(DATA + 0x2000) });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(MemoryFault);
      expect((e as MemoryFault).code).toBe(SEGV_ACCERR);
      expect((e as MemoryFault).addr).toBe(DATA + 0x2000);
    }
    try {
      run('ld a1, 0(a0)', { 10: -8n });
      expect.unreachable();
    } catch (e) {
      expect((e as MemoryFault).code).toBe(SEGV_MAPERR);
    }
  });

  it('ecall stops at the ecall; instret counts retired instructions', () => {
    const r = run('nop\nnop\necall');
    expect(r.stop).toBe(STOP_ECALL);
    expect(r.s.pc).toBe(CODE + 4);
    expect(r.s.instret).toBe(2);
  });

  it('Zicsr: fcsr fields and counters', () => {
    const r = run('csrwi fcsr, 0x1f\ncsrr a0, fflags\ncsrwi frm, 3\ncsrr a1, fcsr\ncsrrci a2, fflags, 1\ncsrr a3, fflags\nrdinstret a4\nrdcycle a5');
    expect([X(r, 10), X(r, 11), X(r, 12), X(r, 13), X(r, 14), X(r, 15)]).toEqual(['0x1f', '0x7f', '0x1f', '0x1e', '0x6', '0x7']);
  });

  it('writes to read-only counters and unknown CSRs are illegal', () => {
    expect(() => run('csrw cycle, a0')).toThrow(IllegalInstruction);
    expect(() => run('csrr a0, mstatus')).toThrow(IllegalInstruction);
    expect(() => run('.word 0')).toThrow(IllegalInstruction);
  });

  it('fence.i makes freshly written code take effect', () => {
    // Code page made writable: patch the instruction at `2:` from "li a0,1" to "li a0,2".
    const s = new CpuState();
    const m = new Memory();
    // The instruction at 2: runs (and is decoded) once before it is patched.
    const code = assemble('li s1, 2\n2: addi a0, x0, 1\naddi s1, s1, -1\nbeqz s1, 3f\nla t0, 2b\nlw t1, 0(a1)\nsw t1, 0(t0)\nfence.i\nj 2b\n3:', false);
    const patch = assemble('addi a0, x0, 2', false).subarray(0, 4);
    m.map(CODE, 0x1000, PROT_READ | PROT_WRITE | PROT_EXEC);
    m.writeUnchecked(CODE, code);
    m.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
    m.writeUnchecked(DATA, patch);
    s.setX(11, BigInt(DATA));
    s.pc = CODE;
    const it = new Interpreter(s, m);
    while (it.run(1000) !== STOP_EBREAK);
    expect(s.getX(10)).toBe(2n);
  });

  it('is deterministic: same code, same state and count', () => {
    const src = 'li t0, 1000\n1: mul a0, a0, t0\naddi a0, a0, 7\naddi t0, t0, -1\nbnez t0, 1b';
    const a = run(src, { 10: 3n });
    const b = run(src, { 10: 3n });
    expect(a.s.getX(10)).toBe(b.s.getX(10));
    expect(a.s.instret).toBe(b.s.instret);
    expect(a.s.instret).toBe(1 + 4 * 1000); // li t0,1000 is one addi; ebreak does not retire
  });
});
