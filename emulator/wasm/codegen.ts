// One region (region.ts) -> one wasm function `(room, entry, retired) -> retired | -1`.
//
// Guest integer registers live in i64 locals, loaded at entry and stored back at the one
// shared exit, so a loop inside the region touches memory only for its own loads and
// stores. A transfer to another block of the region happens only while the budget `room`
// allows the whole block, exactly as the interpreter and the JS block compiler count.
//
// Loads and stores go through the TLB in guest memory (layout.ts): the page base as tag (an
// access not aligned to its size misses), an addend to the frame. A miss, a misaligned
// access, or a store to a page holding decoded code (kept out of the write TLB) leaves the
// region right before the instruction (sideExit), and the run loop's entry runs that one
// instruction the interpreter's way (which fills the TLB, or raises the fault with the
// interpreter's address). A call into JavaScript that traps (CSRs, atomics off their fast
// path and float ops outside theirs, which run the interpreter's own code on the registers
// in memory) does not throw through wasm: it records the trap (with the instruction's pc
// and retired count, passed as arguments) and returns 1, and the code branches to the
// shared fault exit, which stores every register back and returns -1; the run loop then
// raises the trap with the state of the faulting instruction.

import { CodeWriter, F64, I32, I64, Op, type Bytes } from './encoder.ts';
import { HELPER, HELPER_COUNT } from './helpers.ts';
import { F, FP } from './fp-helpers.ts';
import { FFLAG_NX } from '../cpu/state.ts';
import { CSR_FCSR, CSR_FFLAGS, CSR_FRM } from '../cpu/csr.ts';
import { BRANCHES, isReturnSite, type Insn, type Region, type RegionBlock } from './region.ts';
import { JUMP_CACHE, JUMP_ENTRIES, JUMP_ENTRY_BYTES, STATE_F, STATE_FFLAGS, STATE_FRM, STATE_NPC, STATE_REGION_BASE, STATE_RESERVATION, STATE_RESERVED_VALUE, STATE_STEP, STATE_X, TLB_ENTRIES, TLB_READ, TLB_WRITE } from '../layout.ts';

/**
 * Imported JavaScript functions, by index (compiler.ts has their bodies). Those that may trap
 * take the retired count before the instruction and its pc's offset from the region's
 * page last, and return 1 when they trapped (recorded), else 0.
 */
export const IMPORT = {
  /** (op id, rd, rs1, rs2, rs3, imm, done, off) -> status: the FPU op on the registers in memory. */
  fpu: 0,
  /** (rs1 lo, rs1 hi, imm) -> f64: a jalr target the interpreter's way (at or above 2^53). */
  farTarget: 1,
  /** (op id, rd, rs1, rs2, rs3, imm, done, off) -> status: the op's interpreter fragment (CSRs, atomics). */
  exec: 2,
} as const;
export const IMPORT_COUNT = 3;


// Params: room (0), entry/current block (1), instructions retired so far (2: the running
// count from the dispatcher's start, so a trap's count and the result are cumulative).
// Locals: registers x0..x31 at 3..34; then temps.
const ROOM = 0;
const BI = 1;
const DONE = 2;
const X = (r: number) => 3 + r;
const ADDR = 35;
const PAGE = 36;
const ENT = 37;
const OFF = 38;
const T0 = 39;
const T1 = 40;
const FR = 41;
const COND = 42;
/** The next pc as an i64 at the exit (for the jump-cache lookup that chains to the next region). */
const NEXT = 43;
/** A side exit's instruction index in its block and pc offset (sideExit, $side). */
const SIDE_J = 44;
const SIDE_OFF = 45;
/** Scratch for a value on its way to a register that lives in memory (setReg). */
const SPILL = 46;
export const REGION_PARAMS = [I32, I32, I32];
export const REGION_TYPE = { params: REGION_PARAMS, results: [I32] };
export const LOCALS = [...Array(32).fill(I64), I64, I64, I32, I32, I64, I64, F64, I32, I64, I32, I32, I64];

/** The floating-point CSRs compiled code reads and writes itself. */
const FP_CSRS = new Set([CSR_FFLAGS, CSR_FRM, CSR_FCSR]);
/** Zicsr ops: write, set or clear; an immediate (uimm in rs1) or a register source. */
const CSR_OPS: Record<string, { op: 'w' | 's' | 'c'; imm: boolean }> = {
  csrrw: { op: 'w', imm: false },
  csrrs: { op: 's', imm: false },
  csrrc: { op: 'c', imm: false },
  csrrwi: { op: 'w', imm: true },
  csrrsi: { op: 's', imm: true },
  csrrci: { op: 'c', imm: true },
};

/** Double ops with a compiled round-to-nearest-even fast path: FP helper, operands, negations. */
const FP_ARITH: Record<string, { fn: number; args: number; negA?: boolean; negC?: boolean; negB?: boolean }> = {
  'fadd.d': { fn: FP.add, args: 2 },
  'fsub.d': { fn: FP.add, args: 2, negB: true },
  'fmul.d': { fn: FP.mul, args: 2 },
  'fdiv.d': { fn: FP.div, args: 2 },
  'fsqrt.d': { fn: FP.sqrt, args: 1 },
  'fmadd.d': { fn: FP.fma, args: 3 },
  'fmsub.d': { fn: FP.fma, args: 3, negC: true },
  'fnmsub.d': { fn: FP.fma, args: 3, negA: true },
  'fnmadd.d': { fn: FP.fma, args: 3, negA: true, negC: true },
};
const SIGN64 = -(1n << 63n);
/** The upper word of a NaN-boxed single (all ones). */
const BOX32 = -(1n << 32n);

export const LOADS: Record<string, { size: number; op: number }> = {
  lb: { size: 1, op: Op.i64_load8_s },
  lh: { size: 2, op: Op.i64_load16_s },
  lw: { size: 4, op: Op.i64_load32_s },
  lbu: { size: 1, op: Op.i64_load8_u },
  lhu: { size: 2, op: Op.i64_load16_u },
  lwu: { size: 4, op: Op.i64_load32_u },
  ld: { size: 8, op: Op.i64_load },
  flw: { size: 4, op: Op.i64_load32_u },
  fld: { size: 8, op: Op.i64_load },
};
export const STORES: Record<string, { size: number; op: number }> = {
  sb: { size: 1, op: Op.i64_store8 },
  sh: { size: 2, op: Op.i64_store16 },
  sw: { size: 4, op: Op.i64_store32 },
  sd: { size: 8, op: Op.i64_store },
  fsw: { size: 4, op: Op.i64_store32 },
  fsd: { size: 8, op: Op.i64_store },
};

/** Simple register-register and register-immediate ops: [wasm op, immediate form, 32-bit form]. */
export const ALU: Record<string, { op: number; imm?: boolean; w?: boolean; call?: number }> = {
  add: { op: Op.i64_add },
  sub: { op: Op.i64_sub },
  sll: { op: Op.i64_shl },
  srl: { op: Op.i64_shr_u },
  sra: { op: Op.i64_shr_s },
  xor: { op: Op.i64_xor },
  or: { op: Op.i64_or },
  and: { op: Op.i64_and },
  addi: { op: Op.i64_add, imm: true },
  xori: { op: Op.i64_xor, imm: true },
  ori: { op: Op.i64_or, imm: true },
  andi: { op: Op.i64_and, imm: true },
  slli: { op: Op.i64_shl, imm: true },
  srli: { op: Op.i64_shr_u, imm: true },
  srai: { op: Op.i64_shr_s, imm: true },
  mul: { op: Op.i64_mul },
  mulh: { op: -1, call: HELPER.mulh },
  mulhsu: { op: -1, call: HELPER.mulhsu },
  mulhu: { op: -1, call: HELPER.mulhu },
  div: { op: -1, call: HELPER.div },
  divu: { op: -1, call: HELPER.divu },
  rem: { op: -1, call: HELPER.rem },
  remu: { op: -1, call: HELPER.remu },
  addiw: { op: Op.i32_add, imm: true, w: true },
  slliw: { op: Op.i32_shl, imm: true, w: true },
  srliw: { op: Op.i32_shr_u, imm: true, w: true },
  sraiw: { op: Op.i32_shr_s, imm: true, w: true },
  addw: { op: Op.i32_add, w: true },
  subw: { op: Op.i32_sub, w: true },
  sllw: { op: Op.i32_shl, w: true },
  srlw: { op: Op.i32_shr_u, w: true },
  sraw: { op: Op.i32_shr_s, w: true },
  mulw: { op: Op.i32_mul, w: true },
  divw: { op: -1, w: true, call: HELPER.divw },
  divuw: { op: -1, w: true, call: HELPER.divuw },
  remw: { op: -1, w: true, call: HELPER.remw },
  remuw: { op: -1, w: true, call: HELPER.remuw },
};

export const COMPARE: Record<string, { op: number; imm?: boolean }> = {
  slt: { op: Op.i64_lt_s },
  sltu: { op: Op.i64_lt_u },
  slti: { op: Op.i64_lt_s, imm: true },
  sltiu: { op: Op.i64_lt_u, imm: true },
};

export const BRANCH_OP: Record<string, number> = {
  beq: Op.i64_eq,
  bne: Op.i64_ne,
  blt: Op.i64_lt_s,
  bge: Op.i64_ge_s,
  bltu: Op.i64_lt_u,
  bgeu: Op.i64_ge_u,
};

/** Integer register number of an 'x' operand field (slot 2*r; the sink 64 is x0 as a destination). */
const xreg = (field: number) => (field >> 1) & 31;

class FunctionWriter extends CodeWriter {
  /** Labels enclosing the current code, above the dispatcher's: if/else nesting. */
  depth = 0;
  /** Labels between the current block's code and the dispatcher loop. */
  loopDepth = 0;
  /** The block being written, and the page of the region (pc offsets are relative to it). */
  private block: RegionBlock | undefined;

  /** Block index by start pc, and the blocks a return may land on. */
  private readonly indexOf: Map<number, number>;
  private readonly returnSites: number[];
  /** Registers kept in wasm locals (the rest are read and written in memory): registerLocals(). */
  inLocals: Set<number> = new Set();

  constructor(
    private readonly region: Region,
    private readonly pageBase: number,
    private readonly fpuIndex: (name: string) => number,
    private readonly helperBase: number,
  ) {
    super();
    this.indexOf = new Map(region.blocks.map((b, k) => [b.pc, k]));
    this.returnSites = region.blocks.flatMap((b, k) => (isReturnSite(region, b) ? [k] : []));
  }

  i64(v: bigint | number): this {
    // Small constants (the common case) skip BigInt: their LEB128 is the same as an i32's.
    // Others (pcs at or above 2^31) must not be cut to 32 bits.
    if (typeof v === 'number' && v === (v | 0)) this.c.byte(Op.i64_const).s32(v);
    else this.c.byte(Op.i64_const).s64(BigInt(v));
    return this;
  }
  if(type: number): this {
    this.c.byte(Op.if).byte(type);
    this.depth++;
    return this;
  }
  end(): this {
    this.c.byte(Op.end);
    this.depth--;
    return this;
  }

  /** Push integer register r (x0 reads 0). */
  reg(r: number): this {
    if (r === 0) return this.i64(0);
    return this.inLocals.has(r) ? this.get(X(r)) : this.i32(0).mem(Op.i64_load, STATE_X + 8 * r);
  }
  /** Pop into register r (x0 discards). */
  setReg(r: number): this {
    if (r === 0) return this.op(Op.drop);
    if (this.inLocals.has(r)) return this.set(X(r));
    return this.set(SPILL).i32(0).get(SPILL).mem(Op.i64_store, STATE_X + 8 * r);
  }
  /** Store register r's local to memory (before JavaScript reads it there). */
  storeReg(r: number): this {
    if (r === 0 || !this.inLocals.has(r)) return this;
    return this.i32(0).get(X(r)).mem(Op.i64_store, STATE_X + 8 * r);
  }
  /** Reload register r's local after JavaScript wrote it in memory. */
  loadReg(r: number): this {
    if (r === 0 || !this.inLocals.has(r)) return this;
    return this.i32(0).mem(Op.i64_load, STATE_X + 8 * r).set(X(r));
  }
  /** Arguments every trapping import takes last: retired count before instruction j, its pc offset. */
  trapArgs(i: Insn, j: number): this {
    this.get(DONE);
    if (j !== 0) this.i32(j).op(Op.i32_add);
    return this.i32(i.pc - this.pageBase);
  }
  // The labels around the dispatch loop, outward (regionCode): $toNext, $side, $exit, $fault.
  /** After a trapping call (status on the stack): to the fault exit when it trapped. */
  orFault(): this {
    this.c.byte(Op.br_if).u32(this.loopDepth + 4 + this.depth);
    return this;
  }
  /** Leave through the shared exit (npc already stored). */
  exit(): this {
    this.c.byte(Op.br).u32(this.loopDepth + 3 + this.depth);
    return this;
  }
  /** Low and high 32 bits of register r, as two i32 on the stack. */
  halves(r: number): this {
    this.reg(r).op(Op.i32_wrap_i64);
    return this.reg(r).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64);
  }

  /**
   * Host address of a guest access: leaves the TLB-hit condition on the stack and the entry
   * (ENT) and in-page offset (OFF) in locals.
   */
  tlbCheck(rs1: number, imm: number, size: number, tlb: number): this {
    this.reg(rs1).i64(imm).op(Op.i64_add).tee(ADDR);
    this.op(Op.i32_wrap_i64).i32(12).op(Op.i32_shr_u).i32(TLB_ENTRIES - 1).op(Op.i32_and).i32(4).op(Op.i32_shl).tee(ENT);
    // The tag is the page's base address, compared with the page of the access's last byte
    // (as qemu's softmmu does): a hit means the whole access lies in the entry's page, aligned
    // or not (user-mode RISC-V allows misaligned loads and stores; Go's memmove stores 8 bytes
    // at a time to wherever the destination starts, and each of those used to leave the
    // region). An access crossing into the next page misses and takes the slow path.
    this.mem(Op.i64_load, tlb).get(ADDR);
    if (size > 1) this.i64(size - 1).op(Op.i64_add);
    return this.i64(-4096).op(Op.i64_and).op(Op.i64_eq);
  }
  /** Host address: the entry's addend (frame offset less the page base, mod 2^32) plus the address. */
  hostAddr(tlb: number): this {
    return this.get(ENT).mem(Op.i32_load, tlb + 8).get(ADDR).op(Op.i32_wrap_i64).op(Op.i32_add);
  }

  load(i: Insn, j: number): void {
    const name = i.o.name;
    const { size, op } = LOADS[name];
    const isF = name === 'flw' || name === 'fld';
    const rs1 = xreg(i.rs1);
    if (isF) this.i32(0); // address of the float register, under the value
    this.tlbCheck(rs1, i.imm, size, TLB_READ).if(I64);
    this.hostAddr(TLB_READ).mem(op, 0);
    this.c.byte(Op.else);
    this.sideExit(i, j);
    this.end();
    if (name === 'flw') this.i64(-(1n << 32n)).op(Op.i64_or); // NaN-box
    if (isF) this.mem(Op.i64_store, STATE_F + 8 * i.rd);
    else this.setReg(xreg(i.rd));
  }

  store(i: Insn, j: number): void {
    const name = i.o.name;
    const { size, op } = STORES[name];
    const isF = name === 'fsw' || name === 'fsd';
    const rs1 = xreg(i.rs1);
    const value = () => (isF ? this.i32(0).mem(Op.i64_load, STATE_F + 8 * i.rs2) : this.reg(xreg(i.rs2)));
    this.tlbCheck(rs1, i.imm, size, TLB_WRITE).if(0x40);
    this.hostAddr(TLB_WRITE);
    value();
    this.mem(op, 0);
    this.c.byte(Op.else);
    this.sideExit(i, j);
    this.end();
  }

  /**
   * Leave the region before instruction j of the block (a load or store that missed the TLB,
   * is misaligned, or writes a page holding code): its registers stored, pc at the
   * instruction, STATE_STEP set so the run loop's entry runs that one instruction the
   * interpreter's way (compiler.ts) before anything else. No call stays in the code: V8
   * must keep every live guest register in the stack across a call, so a slow path that
   * called into JavaScript made every fast path pay for spills. The exit never chains.
   */
  sideExit(i: Insn, j: number): void {
    // The exit's code is shared by the region ($side, regionCode): only j and the pc here,
    // which keeps each load and store about half as long (less for V8 to compile).
    this.i32(j).set(SIDE_J).i32(i.pc - this.pageBase).set(SIDE_OFF);
    this.c.byte(Op.br).u32(this.loopDepth + 2 + this.depth);
  }

  /** The JavaScript FPU op on the registers in memory (every case, every rounding mode). */
  fpuCall(i: Insn, j: number): void {
    if (i.o.rs1 === 'X') this.storeReg(i.rs1);
    this.i32(this.fpuIndex(i.o.name)).i32(i.rd).i32(i.rs1).i32(i.rs2).i32(i.rs3).i32(i.imm);
    this.trapArgs(i, j).call(IMPORT.fpu).orFault();
    // An integer destination was written in memory (x0 is the sink 32): reload its local.
    if (i.o.rd === 'X' && i.rd !== 32) this.loadReg(i.rd);
  }

  fload(r: number): this {
    return this.i32(0).mem(Op.f64_load, STATE_F + 8 * r);
  }
  fbits(r: number): this {
    return this.i32(0).mem(Op.i64_load, STATE_F + 8 * r);
  }
  /** Push the single in the low word of f register r (meaningful when boxedS(r)). */
  fload32(r: number): this {
    return this.i32(0).mem(Op.f32_load, STATE_F + 8 * r);
  }
  /** Push whether f register r holds a properly NaN-boxed single (upper word all ones). */
  boxedS(r: number): this {
    return this.fbits(r).i64(32).op(Op.i64_shr_u).i64(0xffffffff).op(Op.i64_eq);
  }
  /** Pop an i32 (the bits of a single) into f register rd, NaN-boxed. */
  storeBoxedS(rd: number, pushBits: () => void): this {
    this.i32(0);
    pushBits();
    return this.op(Op.i64_extend_i32_u).i64(BOX32).op(Op.i64_or).mem(Op.i64_store, STATE_F + 8 * rd);
  }
  /** fflags |= NX. */
  raiseInexact(): this {
    return this.i32(0).i32(0).mem(Op.i32_load, STATE_FFLAGS).i32(FFLAG_NX).op(Op.i32_or).mem(Op.i32_store, STATE_FFLAGS);
  }
  /** Push whether the instruction's rounding mode is RNE (static 0, or dynamic with frm 0). */
  roundsToNearestEven(rm: number): boolean {
    if (rm === 7) {
      this.i32(0).mem(Op.i32_load, STATE_FRM).op(Op.i32_eqz);
      return true;
    }
    if (rm === 0) {
      this.i32(1);
      return true;
    }
    return false;
  }

  fpu(i: Insn, index: number): void {
    const helperBase = this.helperBase + HELPER_COUNT;
    const name = i.o.name;
    const arith = FP_ARITH[name];
    if (arith && this.roundsToNearestEven(i.imm)) {
      // Fast path when RNE and the helper handled it (a non-NaN result), else the JS op.
      this.if(F64);
      const regs = [i.rs1, i.rs2, i.rs3].slice(0, arith.args);
      regs.forEach((r, k) => {
        this.fload(r);
        if ((k === 0 && arith.negA) || (k === 1 && arith.negB) || (k === 2 && arith.negC)) this.op(F.neg);
      });
      this.c.byte(Op.call).u32(helperBase + arith.fn);
      this.c.byte(Op.else);
      this.c.byte(Op.f64_const).f64(NaN);
      this.end();
      this.tee(FR).get(FR).op(F.eq).if(0x40);
      this.i32(0).get(FR).mem(Op.f64_store, STATE_F + 8 * i.rd);
      this.c.byte(Op.else);
      this.fpuCall(i, index);
      this.end();
      return;
    }
    switch (name) {
      case 'fmv.x.d':
        this.fbits(i.rs1).setXDest(i.rd);
        return;
      case 'fmv.d.x':
        this.i32(0).reg(i.rs1).mem(Op.i64_store, STATE_F + 8 * i.rd);
        return;
      case 'fsgnj.d':
      case 'fsgnjn.d':
      case 'fsgnjx.d': {
        this.i32(0);
        if (name === 'fsgnjx.d') this.fbits(i.rs1).fbits(i.rs2).i64(SIGN64).op(Op.i64_and).op(Op.i64_xor);
        else {
          this.fbits(i.rs1).i64(~SIGN64).op(Op.i64_and).fbits(i.rs2);
          if (name === 'fsgnjn.d') this.i64(-1n).op(Op.i64_xor);
          this.i64(SIGN64).op(Op.i64_and).op(Op.i64_or);
        }
        this.mem(Op.i64_store, STATE_F + 8 * i.rd);
        return;
      }
      case 'feq.d':
      case 'flt.d':
      case 'fle.d':
      case 'fmin.d':
      case 'fmax.d': {
        // Without a NaN operand: no flags, the wasm comparison or min/max (which orders -0 < +0 as RISC-V does).
        this.fload(i.rs1).fload(i.rs1).op(F.eq).fload(i.rs2).fload(i.rs2).op(F.eq).op(Op.i32_and).if(0x40);
        if (name === 'fmin.d' || name === 'fmax.d') {
          this.i32(0).fload(i.rs1).fload(i.rs2).op(name === 'fmin.d' ? F.min : F.max).mem(Op.f64_store, STATE_F + 8 * i.rd);
        } else {
          this.fload(i.rs1).fload(i.rs2).op(name === 'feq.d' ? F.eq : name === 'flt.d' ? F.lt : F.le).op(Op.i64_extend_i32_u);
          this.setXDest(i.rd);
        }
        this.c.byte(Op.else);
        this.fpuCall(i, index);
        this.end();
        return;
      }
      case 'fmv.w.x':
        // The low word, NaN-boxed; no flags (Go's float32 constants and comparisons).
        this.storeBoxedS(i.rd, () => this.reg(i.rs1).op(Op.i32_wrap_i64));
        return;
      case 'feq.s':
      case 'flt.s':
      case 'fle.s':
        // Both operands NaN-boxed and not NaN: no flags, the f32 comparison; else the JS op
        // (an unboxed operand reads as the canonical NaN; NaNs set NV as each op says).
        this.boxedS(i.rs1).boxedS(i.rs2).op(Op.i32_and);
        this.fload32(i.rs1).fload32(i.rs1).op(F.f32_eq, Op.i32_and);
        this.fload32(i.rs2).fload32(i.rs2).op(F.f32_eq, Op.i32_and).if(0x40);
        this.fload32(i.rs1).fload32(i.rs2).op(name === 'feq.s' ? F.f32_eq : name === 'flt.s' ? F.f32_lt : F.f32_le, Op.i64_extend_i32_u);
        this.setXDest(i.rd);
        this.c.byte(Op.else);
        this.fpuCall(i, index);
        this.end();
        return;
      case 'fcvt.s.d': {
        // RNE, with an input of magnitude at least 2^-126 whose rounded result is finite (so
        // neither tiny, whichever way tininess is detected, nor overflowing), or a zero: wasm's
        // demotion (correctly rounded, to nearest even), NX when it changed the value. NaNs,
        // infinities, tiny inputs and overflows take the JS op.
        if (!this.roundsToNearestEven(i.imm)) break;
        this.if(I32);
        this.fload(i.rs1).op(F.f32_demote_f64, F.f64_promote_f32).set(FR);
        this.fload(i.rs1).op(F.abs).c.byte(Op.f64_const).f64(2 ** -126);
        this.op(F.ge).get(FR).op(F.abs).c.byte(Op.f64_const).f64(Infinity);
        this.op(F.lt, Op.i32_and).fload(i.rs1).c.byte(Op.f64_const).f64(0);
        this.op(F.eq, Op.i32_or);
        this.c.byte(Op.else);
        this.i32(0);
        this.end();
        this.if(0x40);
        this.get(FR).fload(i.rs1).op(F.ne).if(0x40).raiseInexact().end(); // before rd (it may be rs1) is written
        this.storeBoxedS(i.rd, () => this.get(FR).op(F.f32_demote_f64, F.i32_reinterpret_f32));
        this.c.byte(Op.else);
        this.fpuCall(i, index);
        this.end();
        return;
      }
      case 'fcvt.d.w':
      case 'fcvt.d.wu':
        // Exact in every rounding mode; a reserved mode must still trap, so only valid static ones.
        if (i.imm === 5 || i.imm === 6) break;
        if (i.imm === 7) this.i32(0).mem(Op.i32_load, STATE_FRM).i32(4).op(Op.i32_le_u).if(0x40);
        this.i32(0).reg(i.rs1).op(Op.i32_wrap_i64).op(name === 'fcvt.d.w' ? F.convert_i32_s : F.convert_i32_u);
        this.mem(Op.f64_store, STATE_F + 8 * i.rd);
        if (i.imm === 7) {
          this.c.byte(Op.else);
          this.fpuCall(i, index);
          this.end();
        }
        return;
      case 'fcvt.d.l':
      case 'fcvt.d.lu': {
        // wasm's conversion rounds to nearest even; NX unless the double converts back to the
        // same integer (2^63 or 2^64 itself is never the value of an i64 or u64).
        if (!this.roundsToNearestEven(i.imm)) break;
        const signed = name === 'fcvt.d.l';
        this.if(0x40);
        this.reg(i.rs1).op(signed ? F.convert_i64_s : F.convert_i64_u).set(FR);
        this.i32(0).get(FR).mem(Op.f64_store, STATE_F + 8 * i.rd);
        this.get(FR).c.byte(Op.f64_const).f64(signed ? 2 ** 63 : 2 ** 64);
        this.op(F.lt).if(I32);
        this.get(FR).op(signed ? F.i64_trunc_s : F.i64_trunc_u).reg(i.rs1).op(Op.i64_eq);
        this.c.byte(Op.else);
        this.i32(0);
        this.end();
        this.op(Op.i32_eqz).if(0x40);
        this.i32(0).i32(0).mem(Op.i32_load, STATE_FFLAGS).i32(FFLAG_NX).op(Op.i32_or).mem(Op.i32_store, STATE_FFLAGS);
        this.end();
        this.c.byte(Op.else);
        this.fpuCall(i, index);
        this.end();
        return;
      }
      case 'fcvt.w.d':
      case 'fcvt.l.d': {
        // Round toward zero (C casts): in range, the truncation; NX when it dropped a fraction.
        if (i.imm !== 1) break;
        const lim = name === 'fcvt.w.d' ? 2 ** 31 : 2 ** 63;
        this.fload(i.rs1).c.byte(Op.f64_const).f64(-lim - (name === 'fcvt.w.d' ? 1 : 0));
        this.op(F.gt).fload(i.rs1).c.byte(Op.f64_const).f64(lim);
        this.op(F.lt).op(Op.i32_and).if(0x40);
        this.fload(i.rs1).fload(i.rs1).op(F.trunc).op(F.ne).if(0x40);
        this.i32(0).i32(0).mem(Op.i32_load, STATE_FFLAGS).i32(FFLAG_NX).op(Op.i32_or).mem(Op.i32_store, STATE_FFLAGS);
        this.end();
        if (name === 'fcvt.w.d') this.fload(i.rs1).op(F.i32_trunc_s).op(Op.i64_extend_i32_s);
        else this.fload(i.rs1).op(F.i64_trunc_s);
        this.setXDest(i.rd);
        this.c.byte(Op.else);
        this.fpuCall(i, index);
        this.end();
        return;
      }
    }
    this.fpuCall(i, index);
  }

  /** Pop into the integer destination of an FPU op (register number; 32 is x0). */
  setXDest(rd: number): this {
    return this.setReg(rd === 32 ? 0 : rd);
  }

  /** Straight-line instruction (not the block's final branch or jump). */
  insn(i: Insn, index: number): void {
    const name = i.o.name;
    if (i.o.fpu) return this.fpu(i, index);
    if (name in LOADS) return this.load(i, index);
    if (i.o.ext === 'A') return this.atomic(i, index);
    if (name in STORES) return this.store(i, index);
    const rd = xreg(i.rd);
    const rs1 = xreg(i.rs1);
    const rs2 = xreg(i.rs2);
    const alu = ALU[name];
    if (alu) {
      if (alu.w) {
        this.reg(rs1).op(Op.i32_wrap_i64);
        if (alu.imm) this.i32(i.imm);
        else this.reg(rs2).op(Op.i32_wrap_i64);
        if (alu.call !== undefined) this.call(this.helperBase + alu.call);
        else this.op(alu.op);
        this.op(Op.i64_extend_i32_s);
      } else {
        this.reg(rs1);
        if (alu.imm) this.i64(i.imm);
        else this.reg(rs2);
        if (alu.call !== undefined) this.call(this.helperBase + alu.call);
        else this.op(alu.op);
      }
      this.setReg(rd);
      return;
    }
    const cmp = COMPARE[name];
    if (cmp) {
      this.reg(rs1);
      if (cmp.imm) this.i64(i.imm);
      else this.reg(rs2);
      this.op(cmp.op).op(Op.i64_extend_i32_u).setReg(rd);
      return;
    }
    switch (name) {
      case 'lui':
        this.i64(i.imm).setReg(rd);
        return;
      case 'auipc':
        this.i64(BigInt(i.pc) + BigInt(i.imm)).setReg(rd);
        return;
      case 'fence':
        return;
    }
    if (name in CSR_OPS && FP_CSRS.has(i.imm)) return this.fpCsr(i);
    this.execCall(i, index);
  }

  /**
   * csrrw/s/c(i) on fflags, frm or fcsr (libm saves, clears and restores them around most
   * calls): on the words in memory, as the interpreter's csrAccess does; the counters
   * (cycle, time, instret) and unknown CSRs still go to the interpreter's code.
   */
  fpCsr(i: Insn): void {
    const { op, imm: uimm } = CSR_OPS[i.o.name];
    const csr = i.imm;
    const rd = xreg(i.rd);
    // The source, read before rd is written (rd may be rs1): uimm, or rs1's low 32 bits.
    if (uimm) this.i32(i.rs1);
    else this.reg(xreg(i.rs1)).op(Op.i32_wrap_i64);
    this.set(COND);
    // old value -> OFF
    if (csr === CSR_FCSR) this.i32(0).mem(Op.i32_load, STATE_FRM).i32(5).op(Op.i32_shl).i32(0).mem(Op.i32_load, STATE_FFLAGS).op(Op.i32_or);
    else this.i32(0).mem(Op.i32_load, csr === CSR_FFLAGS ? STATE_FFLAGS : STATE_FRM);
    this.set(OFF);
    // csrrs/csrrc with x0 (or uimm 0) read only.
    const writes = op === 'w' || (uimm ? i.rs1 !== 0 : xreg(i.rs1) !== 0);
    if (writes) {
      if (op === 'w') this.get(COND);
      else if (op === 's') this.get(OFF).get(COND).op(Op.i32_or);
      else this.get(OFF).get(COND).i32(-1).op(Op.i32_xor).op(Op.i32_and);
      this.set(COND);
      if (csr !== CSR_FRM) this.i32(0).get(COND).i32(0x1f).op(Op.i32_and).mem(Op.i32_store, STATE_FFLAGS);
      if (csr === CSR_FRM) this.i32(0).get(COND).i32(7).op(Op.i32_and).mem(Op.i32_store, STATE_FRM);
      if (csr === CSR_FCSR) this.i32(0).get(COND).i32(5).op(Op.i32_shr_u).i32(7).op(Op.i32_and).mem(Op.i32_store, STATE_FRM);
    }
    if (rd !== 0) this.get(OFF).op(Op.i64_extend_i32_u).setReg(rd);
  }

  /**
   * LR, SC and AMOs natively when the address is aligned and both TLBs hit (the page is
   * readable and writable, holds no decoded code); otherwise, and for every fault, the
   * interpreter's fragment. Semantics as semantics.ts (qemu's compare-and-swap SC).
   */
  atomic(i: Insn, j: number): void {
    const name = i.o.name;
    const wide = name.endsWith('.d');
    const size = wide ? 8 : 4;
    const rs1 = xreg(i.rs1);
    const rs2 = xreg(i.rs2);
    const rd = xreg(i.rd);
    const op = name.slice(0, name.indexOf('.'));
    // ADDR, ENT; condition: aligned, read tag and write tag both match.
    // The masked address keeps misaligned low bits, so it matches a tag only when aligned.
    this.reg(rs1).tee(ADDR).i64(-4096 | (size - 1)).op(Op.i64_and).set(PAGE);
    this.get(ADDR).op(Op.i32_wrap_i64).i32(12).op(Op.i32_shr_u).i32(TLB_ENTRIES - 1).op(Op.i32_and).i32(4).op(Op.i32_shl).tee(ENT);
    this.mem(Op.i64_load, TLB_READ).get(PAGE).op(Op.i64_eq);
    this.get(ENT).mem(Op.i64_load, TLB_WRITE).get(PAGE).op(Op.i64_eq).op(Op.i32_and);
    this.if(0x40);
    // Host address of the word (from the write entry: the same frame).
    this.hostAddr(TLB_WRITE).set(OFF);
    const loadOld = () => (wide ? this.get(OFF).mem(Op.i64_load, 0) : this.get(OFF).mem(Op.i64_load32_s, 0));
    const reservedHere = () => this.i32(0).mem(Op.f64_load, STATE_RESERVATION).get(ADDR).op(Op.f64_convert_i64_u).op(F.eq);
    const dropReservation = () => {
      this.i32(0).c.byte(Op.f64_const).f64(-1);
      this.mem(Op.f64_store, STATE_RESERVATION);
    };
    if (op === 'lr') {
      loadOld().set(T0);
      this.i32(0).get(ADDR).op(Op.f64_convert_i64_u).mem(Op.f64_store, STATE_RESERVATION);
      this.i32(0).get(T0).mem(Op.i64_store, STATE_RESERVED_VALUE);
      this.get(T0).setReg(rd);
    } else if (op === 'sc') {
      reservedHere().set(COND);
      dropReservation();
      this.get(COND).if(I64);
      loadOld().set(T0); // old value (lr.w's sign-extended form for the .w compare)
      if (wide) {
        this.get(T0).i32(0).mem(Op.i64_load, STATE_RESERVED_VALUE).op(Op.i64_eq).set(COND);
        this.get(OFF).reg(rs2).get(T0).get(COND).op(Op.select).mem(Op.i64_store, 0);
        this.i64(0).i64(1).get(COND).op(Op.select);
      } else {
        // Store when the low words match; success needs the sign-extended word to match too.
        this.get(T0).op(Op.i32_wrap_i64).i32(0).mem(Op.i32_load, STATE_RESERVED_VALUE).op(Op.i32_eq).set(COND);
        this.get(OFF).reg(rs2).get(T0).get(COND).op(Op.select).mem(Op.i64_store32, 0);
        this.i64(0).i64(1).get(T0).i32(0).mem(Op.i64_load, STATE_RESERVED_VALUE).op(Op.i64_eq).get(COND).op(Op.i32_and).op(Op.select);
      }
      this.c.byte(Op.else);
      this.i64(1);
      this.end();
      this.setReg(rd);
    } else {
      loadOld().set(T0);
      this.get(OFF);
      const b = () => this.reg(rs2);
      const old = () => this.get(T0);
      const pick = (cmp: number) => {
        // (b cmp old) ? b : old, compared at the access width
        b();
        old();
        if (wide) b().get(T0).op(cmp);
        else b().op(Op.i32_wrap_i64).get(T0).op(Op.i32_wrap_i64).op(cmp);
        this.op(Op.select);
      };
      switch (op) {
        case 'amoswap':
          b();
          break;
        case 'amoadd':
          old();
          b().op(Op.i64_add);
          break;
        case 'amoxor':
          old();
          b().op(Op.i64_xor);
          break;
        case 'amoand':
          old();
          b().op(Op.i64_and);
          break;
        case 'amoor':
          old();
          b().op(Op.i64_or);
          break;
        case 'amomin':
          pick(wide ? Op.i64_lt_s : Op.i32_lt_s);
          break;
        case 'amomax':
          pick(wide ? Op.i64_gt_s : Op.i32_gt_s);
          break;
        case 'amominu':
          pick(wide ? Op.i64_lt_u : Op.i32_lt_u);
          break;
        case 'amomaxu':
          pick(wide ? Op.i64_gt_u : Op.i32_gt_u);
          break;
        default:
          throw new Error(`wasm codegen: no translation for ${name}`);
      }
      this.mem(wide ? Op.i64_store : Op.i64_store32, 0);
      this.get(T0).setReg(rd);
    }
    this.c.byte(Op.else);
    this.execCall(i, j);
    this.end();
  }

  /**
   * An op without a wasm translation (CSR access, LR/SC and AMOs): its interpreter fragment,
   * on the registers in memory; then its integer destination is reloaded.
   */
  execCall(i: Insn, j: number): void {
    if (i.o.rs1 === 'x' && i.o.fmt !== 'CSRI') this.storeReg(xreg(i.rs1));
    if (i.o.rs2 === 'x') this.storeReg(xreg(i.rs2));
    this.i32(i.o.id).i32(i.rd).i32(i.rs1).i32(i.rs2).i32(i.rs3).i32(i.imm);
    this.trapArgs(i, j).call(IMPORT.exec).orFault();
    if (i.o.rd === 'x') this.loadReg(xreg(i.rd));
  }

  /** Leave the region: next pc `npc` (a constant), retired count in DONE. */
  exitTo(npc: number): void {
    // $toNext (regionCode) stores NEXT as STATE_NPC: exact, |pc| is below 2^53.
    this.i64(npc).set(NEXT);
    this.c.byte(Op.br).u32(this.loopDepth + 1 + this.depth);
  }

  /** Go on at pc: to its block in this region while the budget allows it, else leave. */
  transfer(pc: number): void {
    const k = this.indexOf.get(pc) ?? -1;
    if (k >= 0 && k === this.current + 1 && this.depth === 0 && !this.selfLoop) {
      // The next block in the layout: fall into its code (past its block's end) if the budget allows.
      this.get(DONE).i32(this.region.blocks[k].insns.length).op(Op.i32_add).get(ROOM).op(Op.i32_gt_u).if(0x40);
      this.exitTo(pc);
      this.end();
      return;
    }
    if (k >= 0) {
      this.get(DONE).i32(this.region.blocks[k].insns.length).op(Op.i32_add).get(ROOM).op(Op.i32_le_u).if(0x40);
      // Back to the block itself: its own loop label, not the dispatcher's br_table.
      if (this.selfLoop && pc === this.block!.pc) this.c.byte(Op.br).u32(this.depth);
      else this.branchTo(k);
      this.end();
    }
    this.exitTo(pc);
  }

  /**
   * Jump to block k of the region. Block m's code starts where the wasm block $b(m) ends,
   * and the code being written sits inside $b(current+1) .. $b(n-1): a later block is one
   * direct `br` away; an earlier one (or this one) goes round the loop through the br_table.
   */
  branchTo(k: number): void {
    if (k > this.current) this.c.byte(Op.br).u32(this.loopDepth + this.depth - (this.region.blocks.length - k));
    else this.i32(k).set(BI).c.byte(Op.br).u32(this.loopDepth + this.depth);
  }

  /** Whether the block being written is wrapped in a loop of its own (it can jump to itself). */
  private selfLoop = false;

  /** Close the block's own loop, if it has one (its code always ends in a branch or exit). */
  closeBlock(): void {
    if (this.selfLoop) this.c.byte(Op.end);
    this.selfLoop = false;
  }

  /** The code of block b; it ends in a transfer or an exit. */
  /** Index of the block being written. */
  private current = 0;

  writeBlock(b: RegionBlock, loopDepth: number): void {
    this.block = b;
    this.current = this.indexOf.get(b.pc)!;
    this.loopDepth = loopDepth;
    this.depth = 0;
    const n = b.insns.length;
    const last = b.insns[n - 1];
    // A block that branches or jumps to its own start (a tight loop) gets a loop label.
    const self = (BRANCHES.has(last.o.name) || last.o.name === 'jal') && last.pc + last.imm === b.pc;
    this.selfLoop = self;
    if (self) {
      this.c.byte(Op.loop).byte(0x40);
      this.loopDepth++;
    }
    const endsInJump = BRANCHES.has(last.o.name) || last.o.name === 'jal' || last.o.name === 'jalr';
    const body = endsInJump ? b.insns.slice(0, -1) : b.insns;
    body.forEach((i, j) => this.insn(i, j));
    const name = last.o.name;
    const retire = () => this.get(DONE).i32(n).op(Op.i32_add).set(DONE);
    if (!endsInJump) {
      retire();
      this.transfer(b.nextPc);
      return;
    }
    const rd = xreg(last.rd);
    const rs1 = xreg(last.rs1);
    if (BRANCHES.has(name)) {
      this.reg(rs1).reg(xreg(last.rs2)).op(BRANCH_OP[name]);
      retire();
      this.if(0x40);
      this.transfer(last.pc + last.imm);
      this.end();
      this.transfer(b.nextPc);
      return;
    }
    if (name === 'jal') {
      this.i64(last.pc + last.len).setReg(rd);
      retire();
      this.transfer(last.pc + last.imm);
      return;
    }
    // jalr: target from the old rs1 (rd may be rs1), then the link.
    this.reg(rs1).tee(T1).i64(last.imm).op(Op.i64_add).i64(-2).op(Op.i64_and).set(T0);
    this.i64(last.pc + last.len).setReg(rd);
    retire();
    // An indirect jump or call to where it went when the region was made, or a return to a
    // call site inside the region, stays in it (the budget permitting).
    const followed = b.target !== undefined ? this.indexOf.get(b.target) : undefined;
    const candidates = followed === undefined ? this.returnSites : [followed, ...this.returnSites.filter((k) => k !== followed)];
    candidates.forEach((k) => {
      const c = this.region.blocks[k];
      this.get(T0).i64(c.pc).op(Op.i64_eq).if(0x40);
      this.get(DONE).i32(c.insns.length).op(Op.i32_add).get(ROOM).op(Op.i32_le_u).if(0x40);
      this.branchTo(k);
      this.end();
      this.end();
    });
    // Below 2^53 the target is exact as a double; above, compute it as the interpreter does
    // (no compiled block lies there, so the jump cache never matches it).
    this.get(T0).set(NEXT);
    this.i32(0);
    this.get(T0).i64(53).op(Op.i64_shr_u).op(Op.i64_eqz).if(F64);
    this.get(T0).op(Op.f64_convert_i64_u);
    this.c.byte(Op.else);
    this.get(T1).op(Op.i32_wrap_i64).get(T1).i64(32).op(Op.i64_shr_u).op(Op.i32_wrap_i64).i32(last.imm);
    this.call(IMPORT.farTarget);
    this.end();
    this.mem(Op.f64_store, STATE_NPC).exit();
  }
}

/** Whether a region calls the FP helpers (and so its module must define them). */
export function usesFpHelpers(region: Region): boolean {
  return region.blocks.some((b) => b.insns.some((i) => i.o.name in FP_ARITH));
}

/** Registers a region reads or writes (loaded into locals at entry). */
function registersOf(region: Region): Set<number> {
  const used = new Set<number>();
  for (const b of region.blocks) for (const i of b.insns) for (const r of registersIn(i)) used.add(r);
  used.delete(0);
  return used;
}

/**
 * How many registers a region keeps in locals (ZEROSYS_REG_LOCALS overrides it for
 * experiments). Measured against all of them (31): bench-text 1.10 -> 0.99 s, bench-stl
 * 0.88 -> 0.83 s at 8; 4 and 6 about the same; the tight loops (bench, sieve, hash, matmul,
 * libm) and the Go programs unchanged.
 */
const REG_LOCALS = Math.max(0, Math.min(31, Number(process.env.ZEROSYS_REG_LOCALS ?? 8) | 0));

/**
 * The registers a region keeps in wasm locals: the most used ones (uses in a block that loops
 * on itself count 16 times). The others are read and written in the state memory where they
 * are used. Every local is loaded at entry and the written ones stored at exit, and V8 keeps
 * only about a dozen values in host registers: a region of Go or libc code names 25-30 guest
 * registers, and loading all of them spilled most straight to V8's stack, on every transfer.
 */
function registerLocals(region: Region, used: Set<number>): Set<number> {
  if (used.size <= REG_LOCALS) return used;
  const weight = new Map<number, number>();
  for (const b of region.blocks) {
    const last = b.insns[b.insns.length - 1];
    const loops = (BRANCHES.has(last.o.name) || last.o.name === 'jal') && last.pc + last.imm === b.pc;
    for (const i of b.insns) {
      for (const r of registersIn(i)) if (used.has(r)) weight.set(r, (weight.get(r) ?? 0) + (loops ? 16 : 1));
    }
  }
  return new Set([...weight].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, REG_LOCALS).map(([r]) => r));
}

/** Integer registers an instruction names (x0 included; callers filter). FPU ops name them by number ('X'), x0 as a destination being the sink 32. */
function registersIn(i: Insn): number[] {
  if (i.o.fpu) return [...(i.o.rd === 'X' && i.rd !== 32 ? [i.rd] : []), ...(i.o.rs1 === 'X' ? [i.rs1] : [])];
  return [...(i.o.rd === 'x' ? [xreg(i.rd)] : []), ...(i.o.rs1 === 'x' ? [xreg(i.rs1)] : []), ...(i.o.rs2 === 'x' ? [xreg(i.rs2)] : [])];
}

/** Registers a region writes (stored back at its exit). */
function writtenBy(region: Region): Set<number> {
  const out = new Set<number>();
  for (const b of region.blocks) {
    for (const i of b.insns) {
      if (i.o.fpu) {
        if (i.o.rd === 'X' && i.rd !== 32) out.add(i.rd);
      } else if (i.o.rd === 'x') out.add(xreg(i.rd));
    }
  }
  out.delete(0);
  return out;
}

/**
 * Chaining, as qemu chains translated blocks: when the next pc has a compiled entry in the
 * jump cache (layout.ts) and the budget allows that whole block, the region tail-calls it
 * (return_call_indirect through the table), so a transfer between regions neither returns
 * to the dispatcher nor converts the pc from its double; the stack does not grow. Otherwise
 * the region returns, and the run loop goes on from STATE_NPC.
 */
function chainToNext(w: FunctionWriter, regionType: number): void {
  const c = w.c;
  // slot byte offset = ((next >> 1) & (entries - 1)) * 16, kept in ENT
  w.get(NEXT).op(Op.i32_wrap_i64).i32(1).op(Op.i32_shr_u).i32(JUMP_ENTRIES - 1).op(Op.i32_and).i32(Math.log2(JUMP_ENTRY_BYTES)).op(Op.i32_shl).set(ENT);
  w.get(ENT).mem(Op.i64_load, JUMP_CACHE).get(NEXT).op(Op.i64_eq).if(0x40);
  // word 3: entry | length << 16; the whole entry block must fit the budget, as in the run loop.
  w.get(ENT).mem(Op.i32_load, JUMP_CACHE + 12).set(OFF);
  w.get(OFF).i32(16).op(Op.i32_shr_u).get(DONE).op(Op.i32_add).get(ROOM).op(Op.i32_le_u).if(0x40);
  w.get(ROOM).get(OFF).i32(0xffff).op(Op.i32_and).get(DONE);
  w.get(ENT).mem(Op.i32_load, JUMP_CACHE + 8);
  c.byte(Op.return_call_indirect).u32(regionType).u32(0);
  w.end();
  w.end();
}

/**
 * The body of the region's function (locals LOCALS after the params):
 *
 *   load the registers it uses; note the region's page base (for trap pcs)
 *   block $fault
 *     block $exit
 *       loop $dispatch
 *         block $b(n-1) ... block $b0  br_table(entry)  end  code of block 0 ... end  code of block n-1
 *       end
 *       unreachable
 *     end              ;; $exit: store back what the region wrote, return the retired count
 *   end                ;; $fault: store back every register, return -1
 */
export function regionCode(region: Region, pageBase: number, fpuIndex: (name: string) => number, helperBase: number, regionType: number): Bytes {
  const w = new FunctionWriter(region, pageBase, fpuIndex, helperBase);
  const used = registersOf(region);
  w.inLocals = registerLocals(region, used);
  for (const r of used) w.loadReg(r);
  w.i32(0).c.byte(Op.f64_const).f64(pageBase);
  w.mem(Op.f64_store, STATE_REGION_BASE);
  const n = region.blocks.length;
  w.c.byte(Op.block).byte(0x40); // $fault
  w.c.byte(Op.block).byte(0x40); // $exit
  w.c.byte(Op.block).byte(0x40); // $side
  w.c.byte(Op.block).byte(0x40); // $toNext
  w.c.byte(Op.loop).byte(0x40);
  for (let k = 0; k < n; k++) w.c.byte(Op.block).byte(0x40);
  w.get(BI).c.byte(Op.br_table).u32(n);
  for (let k = 0; k < n; k++) w.c.u32(k);
  w.c.u32(n - 1);
  for (let k = 0; k < n; k++) {
    w.c.byte(Op.end); // block k closes: its code follows, inside blocks k+1..n-1 and the loop
    w.writeBlock(region.blocks[k], n - 1 - k);
    w.closeBlock();
  }
  w.c.byte(Op.end); // loop
  w.c.byte(Op.unreachable);
  w.c.byte(Op.end); // $toNext: a constant next pc in NEXT
  // Signed: a jump below 0 gives the negative double the interpreter computes (pc + imm).
  w.i32(0).get(NEXT).op(F.convert_i64_s).mem(Op.f64_store, STATE_NPC);
  w.c.byte(Op.br).u32(1); // $exit
  w.c.byte(Op.end); // $side: instruction SIDE_J of its block at pc offset SIDE_OFF (sideExit)
  w.get(DONE).get(SIDE_J).op(Op.i32_add).set(DONE);
  w.i32(0).i32(1).mem(Op.i32_store, STATE_STEP);
  w.i32(0).get(SIDE_OFF).op(F.convert_i32_s).c.byte(Op.f64_const).f64(pageBase);
  w.op(F.add).mem(Op.f64_store, STATE_NPC);
  w.i64(1).set(NEXT); // odd: never a pc in the jump cache
  w.c.byte(Op.end); // $exit
  for (const r of writtenBy(region)) w.storeReg(r);
  chainToNext(w, regionType);
  w.get(DONE).op(Op.return);
  w.c.byte(Op.end); // $fault
  for (const r of used) w.storeReg(r);
  w.i32(-1).c.byte(Op.end);
  return w.c;
}
