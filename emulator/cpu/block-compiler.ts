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

export function compileBlock(cache: DecodeCache, dp: DecodedPage, startPc: number): Block {
  const parts: string[] = [];
  const pcs: number[] = [];
  let pc = startPc;
  let ended = false;
  while (pcs.length < MAX_BLOCK_INSNS) {
    const off = pc - dp.base;
    if (off >= PAGE_SIZE) break;
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
    const frag = fragmentFor(o);
    const j = pcs.length;
    pcs.push(pc);
    parts.push(
      `{ const pc = ${pc}, len = ${len}, rd = ${dp.rd[slot]}, rs1 = ${dp.rs1[slot]}, rs2 = ${dp.rs2[slot]}, ` +
        `rs3 = ${dp.rs3[slot]}, imm = ${dp.imm[slot]}, base = icount + done, n = ${j}; let npc = pc + len;` +
        `${mayTrap(frag) ? ` k = ${j};` : ''} /* ${o.name} */ ${frag}` +
        (ENDS_BLOCK.has(o.name) ? ` done += ${j + 1}; if (npc !== ${startPc} || done + ${j + 1} > room) { H.n = done; return npc; } }` : ' }'),
    );
    pc += len;
    if (ENDS_BLOCK.has(o.name)) {
      ended = true;
      break;
    }
    if (off + len > PAGE_SIZE) break; // straddles into the next page
  }
  if (pcs.length === 0) return NO_BLOCK;
  const len = pcs.length;
  // A block whose last jump can land on its own start (a tight loop) iterates inside
  // the function while the run loop's budget allows another full pass.
  const body = `for (;;) {\n${parts.join('\n')}\n}`;
  const src = [
    'let k = 0, done = 0;',
    'try {',
    ended ? body : `${parts.join('\n')}\nH.n = ${len}; return ${pc};`,
    '} catch (e) { H.k = k; H.n = done; throw e; }',
  ].join('\n');
  const fn = new Function('s', 'x', 'fi', 'm', 'H', 'F', 'icount', 'room', src) as BlockFn;
  return { fn, len: pcs.length, pcs };
}
