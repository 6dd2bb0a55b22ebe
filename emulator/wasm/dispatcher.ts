// The dispatcher: one small wasm function that runs a compiled region, then, while the next
// pc has a compiled entry in the jump cache (layout.ts) and the budget allows that whole
// block, calls that region too, so calls, returns and jumps between pages stay in wasm
// instead of going back to the JavaScript run loop after every region. A pc with no entry,
// or a spent budget, returns to the run loop (which interprets, or compiles, from there).

import { Bytes, encodeModule, I32, I64, Op, PREFIX_FC, TRUNC_SAT_F64_U_I64, typeIndexOf, type DefinedFunc } from './encoder.ts';
import { REGION_PARAMS } from './codegen.ts';
import { JUMP_CACHE, JUMP_ENTRIES, JUMP_ENTRY_BYTES, STATE_NPC } from '../layout.ts';

/** (room, table index of the first region, its entry) -> instructions retired. */
export type DispatchFn = (room: number, fn: number, entry: number) => number;

/** Jump-cache slot of a pc (pcs are even). */
export function jumpSlot(pc: number): number {
  return Math.floor(pc / 2) & (JUMP_ENTRIES - 1);
}

const REGION_TYPE = { params: REGION_PARAMS, results: [I32] };

export function dispatcherModule(): Uint8Array<ArrayBuffer> {
  // params: room 0, fn 1, entry 2; locals: done 3 (i32), pc 4 (i64), slot 5 (i32), word 6 (i32)
  const c = new Bytes();
  const get = (i: number) => c.byte(Op.local_get).u32(i);
  const set = (i: number) => c.byte(Op.local_set).u32(i);
  const tee = (i: number) => c.byte(Op.local_tee).u32(i);
  const i32 = (v: number) => c.byte(Op.i32_const).s32(v);
  const mem = (op: number, offset: number) => c.byte(op).u32(0).u32(offset);
  const func: DefinedFunc = { type: REGION_TYPE, locals: [I32, I64, I32, I32], code: c, export: 'dispatch' };
  const regionType = typeIndexOf([], [func], REGION_TYPE);
  const callRegion = () => c.byte(Op.call_indirect).u32(regionType).u32(0);

  // A region returns -1 when it trapped: straight back to JavaScript, which raises the trap.
  const returnIfTrapped = () => {
    get(3); i32(0); c.byte(Op.i32_lt_s).byte(Op.if).byte(0x40); get(3); c.byte(Op.return).byte(Op.end);
  };
  get(0); get(2); i32(0); get(1); callRegion(); set(3);
  returnIfTrapped();
  c.byte(Op.loop).byte(0x40);
  // pc = next pc (saturating: a wild value simply finds no entry)
  i32(0); mem(Op.f64_load, STATE_NPC); c.byte(PREFIX_FC).u32(TRUNC_SAT_F64_U_I64); tee(4);
  c.byte(Op.i32_wrap_i64); i32(1); c.byte(Op.i32_shr_u); i32(JUMP_ENTRIES - 1); c.byte(Op.i32_and);
  i32(Math.log2(JUMP_ENTRY_BYTES)); c.byte(Op.i32_shl); tee(5);
  mem(Op.i64_load, JUMP_CACHE); get(4); c.byte(Op.i64_ne);
  c.byte(Op.if).byte(0x40); get(3); c.byte(Op.return); c.byte(Op.end);
  // Budget: the whole entry block must fit, as the run loop requires.
  get(5); mem(Op.i32_load, JUMP_CACHE + 12); tee(6);
  i32(16); c.byte(Op.i32_shr_u); get(3); c.byte(Op.i32_add); get(0); c.byte(Op.i32_gt_u);
  c.byte(Op.if).byte(0x40); get(3); c.byte(Op.return); c.byte(Op.end);
  get(0); get(6); i32(0xffff); c.byte(Op.i32_and); get(3);
  get(5); mem(Op.i32_load, JUMP_CACHE + 8);
  callRegion(); set(3);
  returnIfTrapped();
  c.byte(Op.br).u32(0);
  c.byte(Op.end);
  c.byte(Op.unreachable).byte(Op.end);
  return encodeModule([], [func], { table: true });
}
