// The engine contract, for every registered engine: each way of stopping is reported as a
// value (never thrown), with pc at the instruction concerned and instret counting what
// retired before it. Instructions are hand-encoded so the test needs no assembler.

import { describe, expect, it } from 'vitest';
import { Machine } from './machine.ts';
import { ENGINE_NAMES, type EngineName } from './engines.ts';
import { PROT_EXEC, PROT_READ, PROT_WRITE, SEGV_ACCERR, SEGV_MAPERR } from './memory.ts';
import type { EngineOptions, StopReason } from './engine.ts';

const CODE = 0x10000;
const DATA = 0x20000;
const RO = 0x21000;

const NOP = 0x00000013; // addi x0, x0, 0
const ECALL = 0x00000073;
const EBREAK = 0x00100073;
const LOOP = 0x0000006f; // jal x0, 0
const LD_A1_A0 = 0x00053583; // ld a1, 0(a0)
const SD_A1_A0 = 0x00b53023; // sd a1, 0(a0)
const AMOADD_W = 0x00b525af; // amoadd.w a1, a1, (a0)
const RESERVED = 0x00000000; // all-zero parcel: defined illegal

function machineWith(engine: EngineName, words: number[], a0 = 0, opts: EngineOptions = {}): Machine {
  const m = new Machine({ engine, ...opts });
  m.mem.map(CODE, 0x1000, PROT_READ | PROT_EXEC);
  m.mem.writeUnchecked(CODE, new Uint8Array(new Uint32Array(words).buffer));
  m.mem.map(DATA, 0x1000, PROT_READ | PROT_WRITE);
  m.mem.map(RO, 0x1000, PROT_READ);
  m.cpu.pc = CODE;
  m.cpu.setNum(10, a0);
  return m;
}

function stopOf(engine: EngineName, words: number[], a0 = 0, budget = 1000): { why: StopReason; m: Machine } {
  const m = machineWith(engine, words, a0);
  return { why: m.engine.run(budget), m };
}

describe.each(ENGINE_NAMES)('engine %s', (engine) => {
  it('ecall and ebreak stop at the instruction, after what retired before it', () => {
    const e = stopOf(engine, [NOP, NOP, ECALL]);
    expect([e.why.kind, e.m.cpu.pc, e.m.cpu.instret]).toEqual(['ecall', CODE + 8, 2]);
    const b = stopOf(engine, [NOP, EBREAK]);
    expect([b.why.kind, b.m.cpu.pc, b.m.cpu.instret]).toEqual(['ebreak', CODE + 4, 1]);
  });

  it('a spent budget stops after exactly that many instructions', () => {
    const { why, m } = stopOf(engine, [LOOP], 0, 777);
    expect([why.kind, m.cpu.pc, m.cpu.instret]).toEqual(['budget', CODE, 777]);
  });

  it('load and store faults carry access, address and SEGV code', () => {
    const unmapped = stopOf(engine, [NOP, LD_A1_A0], 0x500000);
    expect(unmapped.why).toEqual({ kind: 'fault', access: 'read', addr: 0x500000, code: SEGV_MAPERR });
    expect([unmapped.m.cpu.pc, unmapped.m.cpu.instret]).toEqual([CODE + 4, 1]);
    const readOnly = stopOf(engine, [SD_A1_A0], RO + 8);
    expect(readOnly.why).toEqual({ kind: 'fault', access: 'write', addr: RO + 8, code: SEGV_ACCERR });
  });

  it('a fetch from unmapped memory is an exec fault at that pc', () => {
    const m = machineWith(engine, [NOP]);
    m.cpu.pc = 0x700000;
    expect(m.engine.run(10)).toEqual({ kind: 'fault', access: 'exec', addr: 0x700000, code: SEGV_MAPERR });
  });

  it('an illegal instruction carries its bits; a misaligned atomic its address', () => {
    const ill = stopOf(engine, [NOP, RESERVED]);
    expect(ill.why).toMatchObject({ kind: 'illegal', bits: RESERVED });
    expect(ill.m.cpu.pc).toBe(CODE + 4);
    expect(ill.why.kind === 'illegal' && ill.why.detail).toMatch(/at pc 0x10004/);
    const mis = stopOf(engine, [AMOADD_W], DATA + 2);
    expect(mis.why).toMatchObject({ kind: 'misaligned', addr: DATA + 2 });
  });

  it('touching a page past the frame limit is out of memory, not a fault', () => {
    const m = machineWith(engine, [SD_A1_A0], DATA);
    m.mem.frameLimit = m.mem.residentPages; // the code page only
    expect(m.engine.run(10)).toMatchObject({ kind: 'oom' });
    expect([m.cpu.pc, m.cpu.instret]).toEqual([CODE, 0]);
  });

  it('interpreting only or compiling early gives the same stops and counts', () => {
    const runs = [{ jit: false }, { hot: 1 }].map((opts) => {
      const m = machineWith(engine, [NOP, NOP, LOOP], 0, opts);
      const why = [m.engine.run(5), m.engine.run(100)];
      return { why, pc: m.cpu.pc, instret: m.cpu.instret };
    });
    expect(runs[0]).toEqual(runs[1]);
    expect(runs[0].instret).toBe(105);
  });
});
