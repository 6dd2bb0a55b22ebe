// One small function per op: its fragment (semantics.ts) with the operands as arguments,
// returning the next pc. The wasm engine runs these for what its interpreter leaves to
// JavaScript (wasm/tier0.ts: float ops, CSRs, atomics, accesses that miss the TLB), and its
// compiled code calls them for the ops it does not translate (CSRs, atomics off their fast
// path). Ops that leave the run loop (ecall, ebreak, fence.i) have none.

import { OPS } from '../decode/opcodes.ts';
import type { FpuOp } from '../fpu/index.ts';
import type { Memory } from '../memory.ts';
import { fragmentFor } from './semantics.ts';
import type { CpuState } from './state.ts';

export type Handler = (
  s: CpuState,
  x: Int32Array,
  fi: Int32Array,
  m: Memory,
  H: unknown,
  F: FpuOp[],
  rd: number,
  rs1: number,
  rs2: number,
  rs3: number,
  imm: number,
  pc: number,
  len: number,
  base: number,
  n: number,
) => number;

/** Handlers by op id, made on an op's first use (start-up pays only for the ops a guest runs). */
export const HANDLERS: (Handler | undefined)[] = [];

export function makeHandler(id: number): Handler {
  // jalr notes where it went (Helpers.targets), so a region can follow the indirect jump.
  const note = OPS[id - 1].name === 'jalr' ? 'if (H.targets !== undefined) H.targets.set(pc, npc);' : '';
  const body = `let npc = pc + len; ${fragmentFor(OPS[id - 1])} ${note} return npc;`;
  return (HANDLERS[id] = new Function('s', 'x', 'fi', 'm', 'H', 'F', 'rd', 'rs1', 'rs2', 'rs3', 'imm', 'pc', 'len', 'base', 'n', body) as Handler);
}

export function handlerFor(id: number): Handler {
  return HANDLERS[id] ?? makeHandler(id);
}
