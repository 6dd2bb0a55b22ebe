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

/** Returns the pc after the block. */
export type BlockFn = (s: CpuState, x: Int32Array, fi: Int32Array, m: Memory, H: { k: number }, F: FpuOp[], icount: number) => number;

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
        `rs3 = ${dp.rs3[slot]}, imm = ${dp.imm[slot]}, base = icount, n = ${j}; let npc = pc + len;` +
        `${mayTrap(frag) ? ` k = ${j};` : ''} /* ${o.name} */ ${frag}` +
        (ENDS_BLOCK.has(o.name) ? ' return npc; }' : ' }'),
    );
    pc += len;
    if (ENDS_BLOCK.has(o.name)) {
      ended = true;
      break;
    }
    if (off + len > PAGE_SIZE) break; // straddles into the next page
  }
  if (pcs.length === 0) return NO_BLOCK;
  const src = `let k = 0;\ntry {\n${parts.join('\n')}\n} catch (e) { H.k = k; throw e; }\n${ended ? '' : `return ${pc};`}`;
  const fn = new Function('s', 'x', 'fi', 'm', 'H', 'F', 'icount', src) as BlockFn;
  return { fn, len: pcs.length, pcs };
}
