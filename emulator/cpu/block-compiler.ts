// Block compiler: a hot run of straight-line code (up to a branch or jump, inside one
// page) becomes one JavaScript function built from the same fragments the interpreter
// switch uses, with every operand a literal, so V8 compiles guest code to machine code.
//
// ecall, ebreak and fence.i end a block before them: they leave the run loop, which only
// the interpreter does. A trap inside a block reports the index of the faulting
// instruction through H.k, so pc and the retired count are exact at every fault.

import { OPS, type OpSpec } from '../decode/opcodes.ts';
import type { DecodeCache, DecodedPage } from './decode-cache.ts';
import { fragmentFor } from './semantics.ts';
import { PAGE_SIZE } from '../memory.ts';
import type { CpuState } from './state.ts';
import type { Memory } from '../memory.ts';
import type { FpuOp } from '../fpu/index.ts';

/**
 * Runs the block (possibly several passes when it loops onto itself, never more than
 * `room` instructions) and returns the next pc; H.n = instructions retired. On a trap,
 * H.n = instructions of completed passes and H.k = index of the faulting instruction.
 */
export type BlockFn = (
  s: CpuState,
  x: Int32Array,
  fi: Int32Array,
  m: Memory,
  H: { k: number; n: number },
  F: FpuOp[],
  icount: number,
  room: number,
) => number;

export interface Block {
  fn: BlockFn;
  /** Instructions in the block. */
  len: number;
  /** pc of each instruction (for traps). */
  pcs: number[];
}

/** Placeholder for a block start that cannot be compiled (first instruction leaves the loop). */
export const NO_BLOCK: Block = { fn: () => NaN, len: Infinity, pcs: [] };

export const MAX_BLOCK_INSNS = 128;

const INTERPRETER_ONLY = new Set(['ecall', 'ebreak', 'fence.i']);
const ENDS_BLOCK = new Set(['beq', 'bne', 'blt', 'bge', 'bltu', 'bgeu', 'jal', 'jalr']);

/** Per op id: 1 if the op transfers control (ends a block), for the interpreter loop. */
export const BLOCK_END: Uint8Array = (() => {
  const t = new Uint8Array(OPS.length + 1);
  for (const o of OPS) if (ENDS_BLOCK.has(o.name) || INTERPRETER_ONLY.has(o.name)) t[o.id] = 1;
  return t;
})();

function mayTrap(fragment: string): boolean {
  return /\bm\.|\bH\.|\bF\[/.test(fragment);
}

/** One decoded instruction with its pc and operand fields as the decode cache stores them. */
export interface Insn {
  o: OpSpec;
  pc: number;
  len: number;
  rd: number;
  rs1: number;
  rs2: number;
  rs3: number;
  imm: number;
}

/** Fragments whose helper reads or writes the register array itself (x, s.x). */
const PASSES_X = /\bx,|\bF\[|\bH\.csr\(/;

/**
 * Integer registers live in JS locals (r20 = x[20]) inside a block: loaded at entry,
 * written back at every exit, before any helper that reads x, and in the trap handler
 * (they hold the architectural state of the faulting instruction, which wrote nothing).
 */
function withRegisterLocals(i: Insn, frag: string, used: Set<number>, written: Set<number>): string | undefined {
  const slots: Record<string, number> = { rd: i.rd, rs1: i.rs1, rs2: i.rs2 };
  let text = frag.replace(/\bx\[(rd|rs1|rs2)( \+ 1)?\]/g, (_m, r: string, plus: string | undefined) => `x[${slots[r] + (plus ? 1 : 0)}]`);
  if (/\bx\[(?!\d+\])/.test(text)) return undefined; // an x access we cannot name: no caching
  // A store into the Int32Array wraps to int32; a local must wrap the same way.
  text = text.replace(/\bx\[(\d+)\] = ([^;]+);/g, (_m, n: string, value: string) => `x[${n}] = (${value}) | 0;`);
  text = text.replace(/\bx\[(\d+)\](\s*=(?!=))?/g, (_m, n: string, assign: string | undefined) => {
    used.add(Number(n));
    if (assign) written.add(Number(n));
    return `r${n}${assign ?? ''}`;
  });
  if (!PASSES_X.test(text)) return text;
  // FPU ops on float registers only never touch x: nothing to sync.
  if (i.o.fpu && i.o.rd !== 'X' && i.o.rs1 !== 'X') return text;
  // The helper reads x and may write the destination register: sync around the call.
  const dest = i.o.rd === 'x' ? i.rd : i.o.rd === 'X' ? 2 * i.rd : -1;
  const reads = [i.rs1, i.rs2].filter((_, k) => (k === 0 ? i.o.rs1 === 'x' : i.o.rs2 === 'x'));
  if (i.o.rs1 === 'X') reads.push(2 * i.rs1);
  for (const r of reads) used.add(r).add(r + 1);
  if (dest >= 0) {
    used.add(dest).add(dest + 1);
    written.add(dest).add(dest + 1);
  }
  return `FLUSH; ${text}${dest >= 0 ? ` r${dest} = x[${dest}]; r${dest + 1} = x[${dest + 1}];` : ''}`;
}

/**
 * The block at startPc as decoded instructions: up to a branch or jump (included), an op
 * only the interpreter runs (excluded), the end of the page, or MAX_BLOCK_INSNS. Both block
 * compilers (this one, and wasm regions) read blocks this way.
 */
export function readStraightLine(cache: DecodeCache, dp: DecodedPage, startPc: number): { insns: Insn[]; endPc: number; ended: boolean } {
  const insns: Insn[] = [];
  let pc = startPc;
  let ended = false;
  while (insns.length < MAX_BLOCK_INSNS) {
    const off = pc - dp.base;
    if (off < 0 || off >= PAGE_SIZE) break;
    const slot = off >> 1;
    let id = dp.op[slot];
    if (id === 0) {
      try {
        id = cache.fill(dp, slot, pc);
      } catch {
        break; // let the interpreter raise the trap when (if) execution gets there
      }
    }
    const o: OpSpec = OPS[id - 1];
    if (INTERPRETER_ONLY.has(o.name)) break;
    const len = dp.len[slot];
    insns.push({ o, pc, len, rd: dp.rd[slot], rs1: dp.rs1[slot], rs2: dp.rs2[slot], rs3: dp.rs3[slot], imm: dp.imm[slot] });
    pc += len;
    if (ENDS_BLOCK.has(o.name)) {
      ended = true;
      break;
    }
    if (off + len > PAGE_SIZE) break; // straddles into the next page
  }
  return { insns, endPc: pc, ended };
}

export function compileBlock(cache: DecodeCache, dp: DecodedPage, startPc: number): Block {
  const { insns, endPc: pc, ended } = readStraightLine(cache, dp, startPc);
  if (insns.length === 0) return NO_BLOCK;
  const fn = generate(insns, startPc, pc, ended, true) ?? generate(insns, startPc, pc, ended, false)!;
  return { fn, len: insns.length, pcs: insns.map((i) => i.pc) };
}

function generate(insns: Insn[], startPc: number, endPc: number, ended: boolean, locals: boolean): BlockFn | undefined {
  const used = new Set<number>();
  const written = new Set<number>();
  const parts: string[] = [];
  for (let j = 0; j < insns.length; j++) {
    const i = insns[j];
    let frag: string | undefined = fragmentFor(i.o);
    const trap = mayTrap(frag);
    if (locals) {
      frag = withRegisterLocals(i, frag, used, written);
      if (frag === undefined) return undefined;
    }
    const exit = ENDS_BLOCK.has(i.o.name)
      ? ` done += ${j + 1}; if (npc !== ${startPc} || done + ${j + 1} > room) { FLUSH; H.n = done; return npc; }`
      : '';
    parts.push(
      `{ const pc = ${i.pc}, len = ${i.len}, rd = ${i.rd}, rs1 = ${i.rs1}, rs2 = ${i.rs2}, rs3 = ${i.rs3}, imm = ${i.imm}, ` +
        `base = icount + done, n = ${j}; let npc = pc + len;${trap ? ` k = ${j};` : ''} /* ${i.o.name} */ ${frag}${exit} }`,
    );
  }
  // x0 reads as zero and the sink slot is never read back: neither needs a write-back.
  written.delete(0);
  written.delete(1);
  const flush = [...written].map((n) => `x[${n}] = r${n};`).join(' ');
  const load = [...used].map((n) => `r${n} = x[${n}]`).join(', ');
  const code = parts.join('\n').replace(/FLUSH;/g, flush);
  const src = [
    'let k = 0, done = 0;',
    load ? `let ${load};` : '',
    'try {',
    // A block whose last jump can land on its own start (a tight loop) iterates inside
    // the function while the run loop's budget allows another full pass.
    ended ? `for (;;) {\n${code}\n}` : `${code}\n${flush} H.n = ${insns.length}; return ${endPc};`,
    `} catch (e) { ${flush} H.k = k; H.n = done; throw e; }`,
  ].join('\n');
  return new Function('s', 'x', 'fi', 'm', 'H', 'F', 'icount', 'room', src) as BlockFn;
}
