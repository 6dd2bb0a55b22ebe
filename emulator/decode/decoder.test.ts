// Every row of the opcode table against GNU as: assemble one instance of each mnemonic
// with known operands and check that the decoder names it and extracts the operands the
// assembly text says. The reference is binutils, not the table.

import { describe, expect, it } from 'vitest';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { OPS, type OpSpec } from './opcodes.ts';
import { decode, type Decoded } from './decoder.ts';
import { X_SINK } from '../cpu/state.ts';

const AS = 'riscv64-linux-gnu-as';
const OBJCOPY = 'riscv64-linux-gnu-objcopy';

function haveTool(t: string): boolean {
  try {
    execFileSync(t, ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}
const missing = [AS, OBJCOPY].filter((t) => !haveTool(t));
// A skip names its reason as "[SKIPPED: reason]" (the convention of test/skips.ts, which this
// leaf may not import): the skip reporter counts those names.
const reason = missing.length ? ` [SKIPPED: ${missing.join(', ')} not installed]` : '';
if (reason) console.warn(`decoder.test.ts${reason}`);

interface Case {
  asm: string;
  rd?: number;
  rs1?: number;
  rs2?: number;
  rs3?: number;
  imm?: number;
}

/** One instance per mnemonic; a0=x10 a1=x11 a2=x12, fa0..fa3 = f10..f13. */
function instanceOf(o: OpSpec): Case {
  const n = o.name;
  const rm = 'rtz'; // rm field 1
  if (o.fpu) {
    if (o.fmt === 'R4') return { asm: `${n} fa0, fa1, fa2, fa3, ${rm}`, rd: 10, rs1: 11, rs2: 12, rs3: 13, imm: 1 };
    const noRm = /^(fsgnj|fmin|fmax|feq|flt|fle|fclass|fmv)/.test(n) || /^fcvt\.d\.(s|w|wu)$/.test(n);
    const r = (k: string, i: number) => (k === 'X' ? `a${i}` : `fa${i}`);
    const ops: string[] = [];
    if (o.rd) ops.push(r(o.rd, 0));
    if (o.rs1) ops.push(r(o.rs1, 1));
    if (o.rs2) ops.push(r(o.rs2, 2));
    if (!noRm) ops.push(rm);
    return { asm: `${n} ${ops.join(', ')}`, rd: 10, rs1: 11, ...(o.rs2 ? { rs2: 12 } : {}), ...(noRm ? {} : { imm: 1 }) };
  }
  if (n.startsWith('lr.')) return { asm: `${n} a0, (a1)`, rd: 20, rs1: 22 };
  if (o.ext === 'A') return { asm: `${n} a0, a2, (a1)`, rd: 20, rs1: 22, rs2: 24 };
  if (n === 'flw' || n === 'fld') return { asm: `${n} fa0, -12(a1)`, rd: 10, rs1: 22, imm: -12 };
  if (n === 'fsw' || n === 'fsd') return { asm: `${n} fa2, 2040(a1)`, rs1: 22, rs2: 12, imm: 2040 };
  switch (o.fmt) {
    case 'R':
      return { asm: `${n} a0, a1, a2`, rd: 20, rs1: 22, rs2: 24 };
    case 'I':
      if (/^l[bhwd]u?$/.test(n) || n === 'jalr') return { asm: `${n} a0, -2048(a1)`, rd: 20, rs1: 22, imm: -2048 };
      return { asm: `${n} a0, a1, -5`, rd: 20, rs1: 22, imm: -5 };
    case 'S':
      return { asm: `${n} a2, -7(a1)`, rs1: 22, rs2: 24, imm: -7 };
    case 'B':
      return { asm: `${n} a0, a1, .-4096`, rs1: 20, rs2: 22, imm: -4096 };
    case 'U':
      return { asm: `${n} a0, 0xfffff`, rd: 20, imm: 0xfffff000 | 0 };
    case 'J':
      return { asm: `${n} a0, .+1048574`, rd: 20, imm: 1048574 };
    case 'SH6':
      return { asm: `${n} a0, a1, 63`, rd: 20, rs1: 22, imm: 63 };
    case 'SH5':
      return { asm: `${n} a0, a1, 31`, rd: 20, rs1: 22, imm: 31 };
    case 'CSR':
      return { asm: `${n} a0, fcsr, a1`, rd: 20, rs1: 22, imm: 3 };
    case 'CSRI':
      return { asm: `${n} a0, frm, 17`, rd: 20, rs1: 17, imm: 2 };
    case 'FENCE':
      return { asm: `${n} rw, w` };
    default:
      return { asm: n };
  }
}

/** Assemble lines with GNU as (no compression) and return the 32-bit words. */
function assemble(lines: string[]): number[] {
  const dir = mkdtempSync(join(tmpdir(), 'zerosys-dec-'));
  writeFileSync(join(dir, 'a.s'), `.option norvc\n${lines.join('\n')}\n`);
  execFileSync(AS, ['-march=rv64gc', '-o', join(dir, 'a.o'), join(dir, 'a.s')]);
  execFileSync(OBJCOPY, ['-O', 'binary', '-j', '.text', join(dir, 'a.o'), join(dir, 'a.bin')]);
  const bin = readFileSync(join(dir, 'a.bin'));
  const words: number[] = [];
  for (let i = 0; i < bin.length; i += 4) words.push(bin.readInt32LE(i));
  return words;
}

describe.skipIf(missing.length > 0)(`decoder vs GNU as${reason}`, () => {
  const cases = OPS.map((o) => ({ o, c: instanceOf(o) }));
  const words = missing.length ? [] : assemble(cases.map((k) => k.c.asm));

  it('assembles one word per mnemonic', () => {
    expect(words.length).toBe(OPS.length);
  });

  it.each(cases.map((k, i) => [k.o.name, k, i] as const))('%s', (_name, k, i) => {
    const d = decode(words[i], { op: undefined, rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0 } as Decoded);
    expect(d.op?.name).toBe(k.o.name);
    const c = k.c;
    if (c.rd !== undefined) expect(d.rd).toBe(c.rd);
    if (c.rs1 !== undefined) expect(d.rs1).toBe(c.rs1);
    if (c.rs2 !== undefined) expect(d.rs2).toBe(c.rs2);
    if (c.rs3 !== undefined) expect(d.rs3).toBe(c.rs3);
    if (c.imm !== undefined) expect(d.imm).toBe(c.imm);
  });

  it('maps rd = x0 to the sink slot', () => {
    const [w] = assemble(['add zero, a1, a2']);
    expect(decode(w, {} as Decoded).rd).toBe(2 * X_SINK);
  });

  it('rejects words that are not RV64GC instructions', () => {
    // 0 is defined illegal; 0xffffffff has no row; c.f. ISA manual "illegal instruction".
    for (const w of [0, -1, 0x00007003 /* LOAD with funct3=7: no such load */]) {
      expect(decode(w, {} as Decoded).op).toBeUndefined();
    }
  });
});
