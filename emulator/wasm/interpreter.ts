// Tier 0 of the wasm engine: an interpreter written in WebAssembly (generated here, once per
// process), over the decoded-code arena (layout.ts, cpu/decode-cache.ts) and the registers in
// guest memory. It runs the integer instructions, loads and stores that hit the TLB, branches
// and jumps itself, counts block entries for the compiler and enters compiled regions
// through the same table they chain through; everything else it hands back to JavaScript
// (tier0.ts) one instruction at a time, with why in STATE_WHY:
//
//   BUDGET  the budget is spent          STEP    run the instruction at pc in JavaScript
//   PAGE    pc's decoded page is not in  DECODE  the instruction at pc is not decoded yet
//           the page lookup              HOT     the block start at pc became hot: compile
//   TRAP    a region trapped (compiler.ts holds the trap)
//   SIDE    a region left before a load or store it does not do itself: run that one
//
// It retires exactly what the JavaScript interpreter retires (same budget checks, same
// block-entry rule for regions), so the retired-instruction count, the virtual clock and
// every result are the same with either: only the speed differs (V8 runs the switch of
// JavaScript handlers at about 20-40 ns per instruction, this at a few).
//
// The fields the semantics tables of codegen.ts give (ALU, COMPARE, LOADS, STORES,
// BRANCH_OP) drive both this and the region compiler.

import { OPS } from '../decode/opcodes.ts';
import {
  DP_ENTRY,
  DP_ENTRY_KL,
  DP_HITS,
  DP_IMM,
  DP_LEN,
  DP_OP,
  DP_RD,
  DP_RS1,
  DP_RS2,
  DPAGE_TLB,
  JALR_TARGET_ENTRIES,
  JALR_TARGETS,
  STATE_BLOCK_START,
  STATE_F,
  STATE_HOT,
  STATE_NPC,
  STATE_STEP,
  STATE_WHY,
  STATE_X,
  TLB_ENTRIES,
  TLB_READ,
  TLB_WRITE,
  DPAGE_ENTRIES,
} from '../layout.ts';
import { CodeWriter, encodeModule, I32, I64, Op, typeIndexOf, type DefinedFunc } from './encoder.ts';
import { F } from './fp-helpers.ts';
import { helperFuncs } from './helpers.ts';
import { ALU, BRANCH_OP, COMPARE, LOADS, REGION_TYPE, STORES } from './codegen.ts';

export const WHY = { BUDGET: 0, STEP: 1, PAGE: 2, DECODE: 3, HOT: 4, TRAP: 5, SIDE: 6 } as const;

/** (room, retired so far, at a block start) -> retired so far; pc in STATE_NPC both ways. */
export type InterpretFn = (room: number, n: number, blockStart: number) => number;

// Params and locals.
const ROOM = 0;
const N = 1;
const BS = 2;
const PC = 3; // i64
const DP = 4; // i32: the arena offset of pc's decoded page
const CUR = 5; // i64: that page's base (-1: look it up)
const SLOT = 6; // i32
const OPV = 7; // i32
const RD = 8; // i32: rd's decoded field
const A = 9; // i64: x[rs1]
const B = 10; // i64: x[rs2]
const IMM = 11; // i64
const LEN = 12; // i32
const ADDR = 13; // i64
const ENT = 14; // i32
const T = 15; // i32
const LOCAL_TYPES = [I64, I32, I64, I32, I32, I32, I64, I64, I64, I32, I64, I32, I32];

/** 2^53: a jalr target at or above it (or below 0) is the JavaScript handler's to compute, as a double. */
const TWO53 = 2n ** 53n;

class Writer extends CodeWriter {
  i64(v: bigint | number): this {
    this.c.byte(Op.i64_const).s64(BigInt(v));
    return this;
  }
  /** Set STATE_WHY. */
  why(w: number): this {
    return this.i32(0).i32(w).mem(Op.i32_store, STATE_WHY);
  }
  br(depth: number): this {
    this.c.byte(Op.br).u32(depth);
    return this;
  }
  brIf(depth: number): this {
    this.c.byte(Op.br_if).u32(depth);
    return this;
  }
  if(type = 0x40): this {
    this.c.byte(Op.if).byte(type);
    return this;
  }
  else(): this {
    this.c.byte(Op.else);
    return this;
  }
  end(): this {
    this.c.byte(Op.end);
    return this;
  }
  /** Address of byte `scale`-sized slot entry: dp + slot * scale (the field's offset goes in the memarg). */
  slotAddr(scale: number): this {
    this.get(DP).get(SLOT);
    if (scale > 1) this.i32(Math.log2(scale)).op(Op.i32_shl);
    return this.op(Op.i32_add);
  }
  /** Push x[field] for a decoded register field (2r; x0 reads 0, the sink 64 is never read). */
  xAt(fieldOffset: number): this {
    this.slotAddr(1).mem(Op.i32_load8_u, fieldOffset).i32(2).op(Op.i32_shl);
    return this.mem(Op.i64_load, STATE_X);
  }
  /** The address of x[rd] for a store of the value pushed after it. */
  rdAddr(): this {
    return this.get(RD).i32(2).op(Op.i32_shl);
  }
  /** The address of f[rd] (float ops hold register numbers). */
  fdAddr(): this {
    return this.get(RD).i32(3).op(Op.i32_shl);
  }
}

/**
 * The body of `interpret`. Layout (labels outward): each op's case, $step, $advance, the loop
 * $next, $exit. A case ends with `br $advance` (pc += len), `br $next` (pc set: a jump, taken
 * or not), or `br $step` (JavaScript runs it).
 */
function body(helperBase: number, regionType: number): Writer {
  const w = new Writer();
  const implemented = OPS.filter((o) => isImplemented(o.name));
  const caseOf = new Map(implemented.map((o, i) => [o.id, i]));
  const cases = implemented.length;

  w.i32(0).mem(Op.f64_load, STATE_NPC).op(F.i64_trunc_s).set(PC);
  w.i64(-1).set(CUR);
  w.c.byte(Op.block).byte(0x40); // $exit
  w.c.byte(Op.loop).byte(0x40); // $next
  // Depths from the loop's top level: $next 0, $exit 1.
  // The budget: stop before an instruction that does not fit (as the JavaScript loop does).
  w.get(N).get(ROOM).op(Op.i32_ge_u).if().why(WHY.BUDGET).br(2).end();
  // The decoded page of pc: through the page lookup when pc left the current page, which
  // also starts a block (as the JavaScript loop starts one on entering a page).
  w.get(PC).i64(-4096).op(Op.i64_and).get(CUR).op(Op.i64_ne).if();
  {
    w.get(PC).op(Op.i32_wrap_i64).i32(12).op(Op.i32_shr_u).i32(DPAGE_ENTRIES - 1).op(Op.i32_and).i32(4).op(Op.i32_shl).set(ENT);
    w.get(ENT).mem(Op.i64_load, DPAGE_TLB).get(PC).i64(-4096).op(Op.i64_and).op(Op.i64_ne).if().why(WHY.PAGE).br(3).end();
    w.get(ENT).mem(Op.i32_load, DPAGE_TLB + 8).set(DP);
    // Crossing into another page starts a block; the first lookup of a call keeps the caller's word.
    w.get(CUR).i64(-1).op(Op.i64_ne).if().i32(1).set(BS).end();
    w.get(PC).i64(-4096).op(Op.i64_and).set(CUR);
  }
  w.end();
  w.get(PC).op(Op.i32_wrap_i64).i32(4095).op(Op.i32_and).i32(1).op(Op.i32_shr_u).set(SLOT);
  // A block start: enter its compiled region if it has one whose entry block fits the
  // budget, else count the entry (at the threshold, JavaScript compiles it).
  w.get(BS).if();
  {
    w.slotAddr(4).mem(Op.i32_load, DP_ENTRY).set(ENT);
    w.get(ENT).i32(0).op(Op.i32_gt_s).if();
    {
      w.slotAddr(4).mem(Op.i32_load, DP_ENTRY_KL).set(T);
      w.get(N).get(T).i32(16).op(Op.i32_shr_u).op(Op.i32_add).get(ROOM).op(Op.i32_le_u).if();
      {
        w.get(ROOM).get(T).i32(0xffff).op(Op.i32_and).get(N).get(ENT).i32(1).op(Op.i32_sub);
        w.c.byte(Op.call_indirect).u32(regionType).u32(0);
        w.set(T);
        w.get(T).i32(0).op(Op.i32_lt_s).if().why(WHY.TRAP).br(5).end();
        w.get(T).set(N);
        w.i32(0).mem(Op.f64_load, STATE_NPC).op(F.i64_trunc_s).set(PC);
        w.i32(0).mem(Op.i32_load, STATE_STEP).if().why(WHY.SIDE).br(5).end();
        w.i64(-1).set(CUR);
        w.br(3); // $next (inside the three ifs), still at a block start
      }
      w.end();
    }
    w.else();
    {
      w.get(ENT).op(Op.i32_eqz).if();
      {
        w.slotAddr(2).slotAddr(2).mem(Op.i32_load16_u, DP_HITS).i32(1).op(Op.i32_add).tee(T).mem(Op.i32_store16, DP_HITS);
        w.get(T).i32(0).mem(Op.i32_load, STATE_HOT).op(Op.i32_eq).if().why(WHY.HOT).br(5).end();
      }
      w.end();
    }
    w.end();
  }
  w.end();
  w.slotAddr(2).mem(Op.i32_load16_u, DP_OP).tee(OPV).op(Op.i32_eqz).if().why(WHY.DECODE).br(2).end();
  w.i32(0).set(BS);
  w.slotAddr(1).mem(Op.i32_load8_u, DP_RD).set(RD);
  w.xAt(DP_RS1).set(A);
  w.xAt(DP_RS2).set(B);
  w.slotAddr(4).mem(Op.i32_load, DP_IMM).op(Op.i64_extend_i32_s).set(IMM);
  w.slotAddr(1).mem(Op.i32_load8_u, DP_LEN).set(LEN);

  w.c.byte(Op.block).byte(0x40); // $advance
  w.c.byte(Op.block).byte(0x40); // $step
  for (let k = 0; k < cases; k++) w.c.byte(Op.block).byte(0x40);
  // br_table: op id -> its case, or $step.
  w.get(OPV).c.byte(Op.br_table).u32(OPS.length + 1);
  for (let id = 0; id <= OPS.length; id++) w.c.u32(caseOf.has(id) ? caseOf.get(id)! : cases);
  w.c.u32(cases);
  implemented.forEach((o, k) => {
    w.end(); // case k's block: its code follows, inside blocks k+1.. and $step, $advance, $next, $exit
    const inner = cases - 1 - k; // blocks still open above this case's code
    const depth = { step: inner, advance: inner + 1, next: inner + 2, exit: inner + 3 };
    emitCase(w, o.name, depth, helperBase);
  });
  w.end(); // $step
  w.why(WHY.STEP).br(2); // $exit (inside $advance, $next)
  w.end(); // $advance
  w.get(PC).get(LEN).op(Op.i64_extend_i32_u).op(Op.i64_add).set(PC);
  w.get(N).i32(1).op(Op.i32_add).set(N);
  w.br(0);
  w.end(); // $next
  w.end(); // $exit
  w.i32(0).get(PC).op(F.convert_i64_s).mem(Op.f64_store, STATE_NPC);
  w.i32(0).get(BS).mem(Op.i32_store, STATE_BLOCK_START);
  w.get(N);
  w.end();
  return w;
}

const isImplemented = (name: string) =>
  name in ALU || name in COMPARE || name in LOADS || name in STORES || name in BRANCH_OP || ['lui', 'auipc', 'fence', 'jal', 'jalr'].includes(name);

interface Depths {
  step: number;
  advance: number;
  next: number;
  exit: number;
}

/** The TLB check of a load or store of `size` bytes at ADDR (codegen.ts tlbCheck): the hit condition; ENT = the entry. */
function tlbHit(w: Writer, size: number, tlb: number): void {
  w.get(ADDR).op(Op.i32_wrap_i64).i32(12).op(Op.i32_shr_u).i32(TLB_ENTRIES - 1).op(Op.i32_and).i32(4).op(Op.i32_shl).tee(ENT);
  w.mem(Op.i64_load, tlb).get(ADDR);
  if (size > 1) w.i64(size - 1).op(Op.i64_add);
  w.i64(-4096).op(Op.i64_and).op(Op.i64_eq);
}

function emitCase(w: Writer, name: string, d: Depths, helperBase: number): void {
  const alu = ALU[name];
  if (alu) {
    w.rdAddr();
    if (alu.w) {
      w.get(A).op(Op.i32_wrap_i64);
      w.get(alu.imm ? IMM : B).op(Op.i32_wrap_i64);
    } else {
      w.get(A).get(alu.imm ? IMM : B);
    }
    if (alu.call !== undefined) w.call(helperBase + alu.call);
    else w.op(alu.op);
    if (alu.w) w.op(Op.i64_extend_i32_s);
    w.mem(Op.i64_store, STATE_X).br(d.advance);
    return;
  }
  const cmp = COMPARE[name];
  if (cmp) {
    w.rdAddr().get(A).get(cmp.imm ? IMM : B).op(cmp.op).op(Op.i64_extend_i32_u).mem(Op.i64_store, STATE_X).br(d.advance);
    return;
  }
  const load = LOADS[name];
  if (load) {
    const isF = name === 'flw' || name === 'fld';
    w.get(A).get(IMM).op(Op.i64_add).set(ADDR);
    tlbHit(w, load.size, TLB_READ);
    w.op(Op.i32_eqz).brIf(d.step);
    if (isF) w.fdAddr();
    else w.rdAddr();
    w.get(ENT).mem(Op.i32_load, TLB_READ + 8).get(ADDR).op(Op.i32_wrap_i64).op(Op.i32_add).mem(load.op, 0);
    if (name === 'flw') w.i64(-(1n << 32n)).op(Op.i64_or); // NaN-box
    w.mem(Op.i64_store, isF ? STATE_F : STATE_X).br(d.advance);
    return;
  }
  const store = STORES[name];
  if (store) {
    const isF = name === 'fsw' || name === 'fsd';
    w.get(A).get(IMM).op(Op.i64_add).set(ADDR);
    tlbHit(w, store.size, TLB_WRITE);
    w.op(Op.i32_eqz).brIf(d.step);
    w.get(ENT).mem(Op.i32_load, TLB_WRITE + 8).get(ADDR).op(Op.i32_wrap_i64).op(Op.i32_add);
    if (isF) w.slotAddr(1).mem(Op.i32_load8_u, DP_RS2).i32(3).op(Op.i32_shl).mem(Op.i64_load, STATE_F);
    else w.get(B);
    w.mem(store.op, 0).br(d.advance);
    return;
  }
  const branch = BRANCH_OP[name];
  if (branch !== undefined) {
    w.get(A).get(B).op(branch).if(I64);
    w.get(PC).get(IMM).op(Op.i64_add);
    w.else();
    w.get(PC).get(LEN).op(Op.i64_extend_i32_u).op(Op.i64_add);
    w.end().set(PC);
    retireJump(w, d);
    return;
  }
  switch (name) {
    case 'lui':
      w.rdAddr().get(IMM).mem(Op.i64_store, STATE_X).br(d.advance);
      return;
    case 'auipc':
      w.rdAddr().get(PC).get(IMM).op(Op.i64_add).mem(Op.i64_store, STATE_X).br(d.advance);
      return;
    case 'fence':
      w.br(d.advance);
      return;
    case 'jal':
      link(w);
      w.get(PC).get(IMM).op(Op.i64_add).set(PC);
      retireJump(w, d);
      return;
    case 'jalr':
      // The target, computed before rd is written (rd may be rs1): in range, or the handler's.
      w.get(A).get(IMM).op(Op.i64_add).i64(-2).op(Op.i64_and).set(ADDR);
      w.get(ADDR).i64(TWO53).op(Op.i64_ge_u).brIf(d.step);
      link(w);
      // Where it went, for region discovery (cpu/jalr-targets.ts).
      w.get(PC).op(Op.i32_wrap_i64).i32(1).op(Op.i32_shr_u).i32(JALR_TARGET_ENTRIES - 1).op(Op.i32_and).i32(4).op(Op.i32_shl).set(ENT);
      w.get(ENT).get(PC).mem(Op.i64_store, JALR_TARGETS);
      w.get(ENT).get(ADDR).mem(Op.i64_store, JALR_TARGETS + 8);
      w.get(ADDR).set(PC);
      retireJump(w, d);
      return;
  }
  throw new Error(`wasm interpreter: no case for ${name}`);
}

/** rd = pc + len (jal, jalr). */
function link(w: Writer): void {
  w.rdAddr().get(PC).get(LEN).op(Op.i64_extend_i32_u).op(Op.i64_add).mem(Op.i64_store, STATE_X);
}

/** After a branch or jump (pc already set): retire it, a block starts. */
function retireJump(w: Writer, d: Depths): void {
  w.get(N).i32(1).op(Op.i32_add).set(N);
  w.i32(1).set(BS);
  w.br(d.next);
}

let module: WebAssembly.Module | undefined;

/** The interpreter module (built once per process: it depends on nothing but the layout). */
export function interpreterModule(): WebAssembly.Module {
  if (module) return module;
  const helpers = helperFuncs(0, false);
  const regionType = typeIndexOf([], [...helpers, { type: REGION_TYPE, locals: [], code: new CodeWriter().c }], REGION_TYPE);
  const fn: DefinedFunc = {
    type: { params: [I32, I32, I32], results: [I32] },
    locals: LOCAL_TYPES,
    code: body(0, regionType).c,
    export: 'interpret',
  };
  module = new WebAssembly.Module(encodeModule([], [...helpers, fn], { table: true, extraTypes: [REGION_TYPE] }));
  return module;
}

