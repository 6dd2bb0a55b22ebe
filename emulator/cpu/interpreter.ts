// The interpreter: decode once per instruction address, cache the decoded fields per code
// page (structure of arrays, as libriscv's decoder cache), then dispatch through one
// generated switch whose cases are the fragments from semantics.ts.

import { OPS, type OpSpec } from '../decode/opcodes.ts';
import { decode, type Decoded } from '../decode/decoder.ts';
import { expandCompressed } from '../decode/compressed.ts';
import { PAGE_SIZE, type Memory } from '../memory.ts';
import { fpuOps, type FpuOp } from '../fpu/index.ts';
import { SEMANTICS, fpuFragment } from './semantics.ts';
import * as int64 from './int64.ts';
import { IllegalInstruction, MisalignedAtomic } from './traps.ts';
import type { CpuState } from './state.ts';

/** Why Interpreter.run returned. */
export const STOP_BUDGET = 0;
export const STOP_ECALL = 1;
export const STOP_EBREAK = 2;

const SLOTS = PAGE_SIZE / 2;

/** Decoded instructions of one code page, indexed by (pc % PAGE_SIZE) / 2. */
class DecodedPage {
  readonly op = new Uint16Array(SLOTS);
  readonly len = new Uint8Array(SLOTS);
  readonly rd = new Uint8Array(SLOTS);
  readonly rs1 = new Uint8Array(SLOTS);
  readonly rs2 = new Uint8Array(SLOTS);
  readonly rs3 = new Uint8Array(SLOTS);
  readonly imm = new Int32Array(SLOTS);
}

export class DecodeCache {
  private pages = new Map<number, DecodedPage>();
  private scratch: Decoded = { op: undefined, rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0 };
  /** Raw instruction bits per decoded slot are not kept; tools re-read memory. */

  constructor(private mem: Memory) {
    mem.onCodeInvalidate = (pageNo) => {
      this.pages.delete(pageNo);
      // An instruction at the end of the previous page may straddle into this one.
      this.pages.delete(pageNo - 1);
    };
  }

  page(pc: number): DecodedPage {
    const pageNo = Math.floor(pc / PAGE_SIZE);
    let dp = this.pages.get(pageNo);
    if (!dp) {
      this.mem.fetch16(pc); // faults (exec) before we allocate anything
      dp = new DecodedPage();
      this.pages.set(pageNo, dp);
      this.mem.markCode(pageNo);
    }
    return dp;
  }

  /** Decode the instruction at pc into dp; returns its op id or throws IllegalInstruction. */
  fill(dp: DecodedPage, slot: number, pc: number): number {
    const lo = this.mem.fetch16(pc);
    let word: number;
    let len: number;
    if ((lo & 3) !== 3) {
      word = expandCompressed(lo);
      len = 2;
      if (word === -1) throw new IllegalInstruction(pc, lo);
    } else {
      const hi = this.mem.fetch16(pc + 2);
      if ((pc + 2) % PAGE_SIZE === 0) this.mem.markCode(Math.floor((pc + 2) / PAGE_SIZE));
      word = lo | (hi << 16);
      len = 4;
    }
    const d = decode(word, this.scratch);
    if (!d.op) throw new IllegalInstruction(pc, len === 2 ? lo : word);
    dp.len[slot] = len;
    dp.rd[slot] = d.rd;
    dp.rs1[slot] = d.rs1;
    dp.rs2[slot] = d.rs2;
    dp.rs3[slot] = d.rs3;
    dp.imm[slot] = d.imm;
    dp.op[slot] = d.op.id;
    return d.op.id;
  }

  clear(): void {
    this.pages.clear();
  }
}

/** Helpers the fragments call (H in semantics.ts). */
export interface Helpers {
  mul: typeof int64.mul;
  mulh: typeof int64.mulh;
  mulhsu: typeof int64.mulhsu;
  mulhu: typeof int64.mulhu;
  divrem: typeof int64.divrem;
  aligned(addr: number, size: number, pc: number): void;
  csr(s: CpuState, op: number, csr: number, rd: number, val: number, write: boolean, pc: number, icount: number): void;
  fenceI(): void;
  /** Scratch for 64-bit AMOs. */
  t: Int32Array;
}

export const CSR_FFLAGS = 0x001;
export const CSR_FRM = 0x002;
export const CSR_FCSR = 0x003;
export const CSR_CYCLE = 0xc00;
export const CSR_TIME = 0xc01;
export const CSR_INSTRET = 0xc02;
/** rdtime ticks at 10 MHz of virtual time; virtual time is 1 ns per retired instruction. */
export const INSNS_PER_TIME_TICK = 100;

function csrAccess(s: CpuState, op: number, csr: number, rd: number, val: number, write: boolean, pc: number, icount: number): void {
  let old: number;
  switch (csr) {
    case CSR_FFLAGS:
      old = s.fflags;
      break;
    case CSR_FRM:
      old = s.frm;
      break;
    case CSR_FCSR:
      old = s.fcsr;
      break;
    case CSR_CYCLE:
    case CSR_INSTRET:
    case CSR_TIME: {
      if (write) throw new IllegalInstruction(pc, 0, `write to read-only CSR 0x${csr.toString(16)}`);
      const v = csr === CSR_TIME ? Math.floor(icount / INSNS_PER_TIME_TICK) : icount;
      s.x[rd] = v % 4294967296;
      s.x[rd + 1] = Math.floor(v / 4294967296);
      return;
    }
    default:
      throw new IllegalInstruction(pc, 0, `unknown CSR 0x${csr.toString(16)}`);
  }
  if (write) {
    const nv = op === 0 ? val : op === 1 ? old | val : old & ~val;
    if (csr === CSR_FFLAGS) s.fflags = nv & 0x1f;
    else if (csr === CSR_FRM) s.frm = nv & 7;
    else s.fcsr = nv & 0xff;
  }
  s.x[rd] = old;
  s.x[rd + 1] = 0;
}

type RunFn = (s: CpuState, m: Memory, H: Helpers, F: FpuOp[], cache: DecodeCache, budget: number) => number;

function fragmentFor(o: OpSpec): string {
  if (o.fpu) return fpuFragment(o.id);
  const f = SEMANTICS[o.name];
  if (f === undefined) throw new Error(`no semantics for ${o.name}`);
  return f;
}

/** Build the run loop: one switch with a literal case per op id. */
function generateRun(): RunFn {
  const cases = OPS.map((o) => {
    const body = fragmentFor(o)
      .replace(/EXIT_AFTER\((\d+)\)/g, '{ s.pc = npc; s.instret = base + n + 1; return $1; }')
      .replace(/EXIT\((\d+)\)/g, '{ s.pc = pc; s.instret = base + n; return $1; }');
    return `case ${o.id}: /* ${o.name} */ ${body} break;`;
  }).join('\n');
  const src = `
    const x = s.x, fi = s.fi;
    let pc = s.pc;
    const base = s.instret;
    let n = 0;
    let dp = null;
    let pageBase = NaN;
    try {
      for (; n < budget; n++) {
        let off = pc - pageBase;
        if (!(off >= 0 && off < ${PAGE_SIZE})) {
          dp = cache.page(pc);
          pageBase = pc - (pc % ${PAGE_SIZE});
          off = pc - pageBase;
        }
        const slot = off >> 1;
        let op = dp.op[slot];
        if (op === 0) op = cache.fill(dp, slot, pc);
        const rd = dp.rd[slot], rs1 = dp.rs1[slot], rs2 = dp.rs2[slot], rs3 = dp.rs3[slot], imm = dp.imm[slot], len = dp.len[slot];
        let npc = pc + len;
        switch (op) {
${cases}
          default: throw new Error('bad op id ' + op);
        }
        pc = npc;
      }
    } catch (e) {
      s.pc = pc;
      s.instret = base + n;
      throw e;
    }
    s.pc = pc;
    s.instret = base + n;
    return ${STOP_BUDGET};`;
  return new Function('s', 'm', 'H', 'F', 'cache', 'budget', src) as RunFn;
}

const runGenerated = generateRun();

export class Interpreter {
  readonly cache: DecodeCache;
  private readonly helpers: Helpers;
  private readonly fpu: FpuOp[];

  constructor(
    private readonly s: CpuState,
    private readonly mem: Memory,
  ) {
    this.cache = new DecodeCache(mem);
    this.helpers = {
      ...int64,
      aligned(addr, size, pc) {
        if (addr % size !== 0) throw new MisalignedAtomic(pc, addr);
      },
      csr: csrAccess,
      fenceI: () => this.cache.clear(),
      t: new Int32Array(2),
    };
    this.fpu = [];
    for (const o of OPS) {
      if (!o.fpu) continue;
      const f = fpuOps[o.name];
      if (!f) throw new Error(`FPU does not implement ${o.name}`);
      this.fpu[o.id] = f;
    }
  }

  /** Execute up to budget instructions; returns a STOP_* code, throws on traps. */
  run(budget: number): number {
    return runGenerated(this.s, this.mem, this.helpers, this.fpu, this.cache, budget);
  }
}
