// The dispatcher: the run loop's way into compiled code, one small wasm function that calls
// a region by its table index. Regions chain to each other themselves (codegen.ts,
// chainToNext: a tail call while the next pc has a compiled entry in the jump cache and the
// budget allows its whole block), so the call returns only when the chain ends: at a pc
// with no entry, or a spent budget, back to the run loop (which interprets, or compiles,
// from there), or with -1 after a trap.

import { Bytes, encodeModule, Op, typeIndexOf, type DefinedFunc } from './encoder.ts';
import { REGION_TYPE } from './codegen.ts';
import { JUMP_ENTRIES } from '../layout.ts';

/** (room, table index of the first region, its entry) -> instructions retired, or -1 after a trap. */
export type DispatchFn = (room: number, fn: number, entry: number) => number;

/** Jump-cache slot of a pc (pcs are even). */
export function jumpSlot(pc: number): number {
  return Math.floor(pc / 2) & (JUMP_ENTRIES - 1);
}

export function dispatcherModule(): Uint8Array<ArrayBuffer> {
  // params: room 0, fn 1, entry 2
  const c = new Bytes();
  const func: DefinedFunc = { type: REGION_TYPE, locals: [], code: c, export: 'dispatch' };
  const regionType = typeIndexOf([], [func], REGION_TYPE);
  const get = (i: number) => c.byte(Op.local_get).u32(i);
  // region(room, entry, retired so far = 0)
  get(0); get(2); c.byte(Op.i32_const).s32(0); get(1);
  c.byte(Op.call_indirect).u32(regionType).u32(0);
  c.byte(Op.end);
  return encodeModule([], [func], { table: true });
}
