// The run loop. At each block start it calls the compiled block if there is one (see
// block-compiler.ts); otherwise it interprets, instruction by instruction through one
// generated switch whose cases are the fragments from semantics.ts, up to the end of
// the block, and compiles the block once it has been entered HOT times. Both paths count
// retired instructions exactly, so a budget stops at the same instruction either way.
// That is the js engine; the wasm engine runs the same way with its interpreter and run
// loop in wasm/ (tier0.ts), over the same decode cache and helpers.

import { CSR_CYCLE, CSR_FCSR, CSR_FFLAGS, CSR_FRM, CSR_INSTRET, CSR_TIME } from './csr.ts';
import { OPS } from '../decode/opcodes.ts';
import { PAGE_SIZE, type Memory } from '../memory.ts';
import { fpuOps, type FpuOp } from '../fpu/index.ts';
import { fragmentFor } from './semantics.ts';
import * as int64 from './int64.ts';
import { IllegalInstruction, MisalignedAtomic } from './traps.ts';
import type { CpuState } from './state.ts';
import { DecodeCache, type DecodedPage } from './decode-cache.ts';
import { BLOCK_END, compileBlock } from './block-compiler.ts';
import { warmUp } from './warm-up.ts';
import { WasmCompiler } from '../wasm/compiler.ts';
import { WasmTier0 } from '../wasm/tier0.ts';
import { JalrTargets, type TargetMemo } from './jalr-targets.ts';
import { DEFAULT_ISA, type IsaName } from '../isa.ts';

/** How hot blocks are compiled: to JavaScript functions, or to WebAssembly regions. */
export type Tier = 'js' | 'wasm';

export { DecodeCache } from './decode-cache.ts';

/**
 * Entries into an uncompiled block start before it is compiled. A compiled JavaScript block
 * costs about 0.3 ms up front (source, V8's parse, then its own tier-up from V8's bytecode
 * interpreter), which the warmed-up switch repays only after thousands of entries: measured
 * on Go test binaries and the corpus, 2048 beats 16 by 15-35% (sort, libm, strings) and ties
 * on tight loops (bench). A wasm region is cheaper per instruction once batched, and the
 * interpreter without its warm-up is slower: 512 measured best there (text, STL, strconv).
 * ZEROSYS_HOT overrides both for experiments; tests set it per interpreter.
 */
const hotFromEnv = (fallback: number) => Math.min(Math.max(Number(process.env.ZEROSYS_HOT ?? fallback) | 0, 1), 65535);
export const DEFAULT_HOT = hotFromEnv(2048);
export const DEFAULT_HOT_WASM = hotFromEnv(512);

/** Why Interpreter.run returned. */
export const STOP_BUDGET = 0;
export const STOP_ECALL = 1;
export const STOP_EBREAK = 2;

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
  /** Index of the faulting instruction inside a compiled block. */
  k: number;
  /** Instructions a compiled block retired. */
  n: number;
  /** Compile the block starting at pc (or mark it NO_BLOCK). */
  compile(dp: DecodedPage, slot: number, pc: number): void;
  /** Whether blocks are compiled at all (--no-jit turns it off). */
  jit: boolean;
  /** Entries before a block is compiled (1..65535: hits are 16-bit). */
  hot: number;
  /** BLOCK_END table. */
  end: Uint8Array;
  /**
   * The last target each interpreted jalr went to, by the jalr's pc (the wasm tier only: a
   * region follows an indirect call or jump to where it went, checked at run time).
   */
  targets?: TargetMemo;
}

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

/**
 * Build the js engine's run loop: one switch with a literal case per op id. (The wasm
 * engine's run loop is wasm/tier0.ts, its interpreter WebAssembly.)
 */
function generateRun(): RunFn {
  const cases = OPS.map((o) => {
    const body = fragmentFor(o)
      .replace(/EXIT_AFTER\((\d+)\)/g, '{ s.pc = npc; s.instret = base + n + 1; return $1; }')
      .replace(/EXIT\((\d+)\)/g, '{ s.pc = pc; s.instret = base + n; return $1; }');
    return `case ${o.id}: /* ${o.name} */ ${body} break;`;
  }).join('\n');
  const otherwise = "throw new Error('bad op id ' + op);";
  const src = `
    const x = s.x, fi = s.fi;
    const END = H.end;
    let pc = s.pc;
    const base = s.instret;
    let n = 0;
    let dp = null;
    let pageBase = NaN;
    let cur = null; // the compiled block being run, for trap bookkeeping
    try {
      outer: while (n < budget) {
        let off = pc - pageBase;
        if (!(off >= 0 && off < ${PAGE_SIZE})) {
          dp = cache.page(pc);
          pageBase = dp.base;
          off = pc - pageBase;
        }
        let slot = off >> 1;
        const b = dp.blocks[slot];
        if (b !== undefined) {
          if (b.len <= budget - n) {
            cur = b;
            pc = b.fn(s, x, fi, m, H, F, base + n, budget - n);
            cur = null;
            n += H.n;
            continue;
          }
        } else if (H.jit && ++dp.hits[slot] === H.hot) {
          H.compile(dp, slot, pc);
          continue;
        }
        for (;;) {
          let op = dp.op[slot];
          if (op === 0) op = cache.fill(dp, slot, pc);
          const rd = dp.rd[slot], rs1 = dp.rs1[slot], rs2 = dp.rs2[slot], rs3 = dp.rs3[slot], imm = dp.imm[slot], len = dp.len[slot];
          let npc = pc + len;
          switch (op) {
${cases}
            default: ${otherwise}
          }
          pc = npc;
          n++;
          if (END[op] === 1 || n >= budget) continue outer;
          off = pc - pageBase;
          if (!(off >= 0 && off < ${PAGE_SIZE})) continue outer;
          slot = off >> 1;
        }
      }
    } catch (e) {
      if (cur !== null) {
        s.pc = cur.pcs[H.k];
        s.instret = base + n + H.n + H.k;
      } else {
        s.pc = pc;
        s.instret = base + n;
      }
      throw e;
    }
    s.pc = pc;
    s.instret = base + n;
    return ${STOP_BUDGET};`;
  return new Function('s', 'm', 'H', 'F', 'cache', 'budget', src) as RunFn;
}

// Generated on first use: a process running the wasm engine never builds it.
let runGenerated: RunFn | undefined;
let warmedUp = false;
const WARM_UP_HOT = 4; // the warm-up compiles its blocks early, so compiled-block calls get feedback too

export class Interpreter {
  readonly cache: DecodeCache;
  /** Blocks compiled, their instructions, and the host milliseconds spent compiling. */
  readonly jitStats = { blocks: 0, insns: 0, ms: 0 };
  private readonly helpers: Helpers;
  private readonly fpu: FpuOp[];

  /** The wasm tier, when this interpreter compiles to WebAssembly. */
  readonly wasm: WasmCompiler | undefined;
  /** The wasm tier's run loop: its interpreter is in WebAssembly too (wasm/tier0.ts). */
  readonly tier0: WasmTier0 | undefined;

  constructor(
    private readonly s: CpuState,
    private readonly mem: Memory,
    tier: Tier = 'js',
    /** The ISA profile: ops outside it never decode (isa.ts). */
    isa: IsaName = DEFAULT_ISA,
  ) {
    this.cache = new DecodeCache(mem, isa);
    this.helpers = {
      ...int64,
      aligned(addr, size, pc) {
        if (addr % size !== 0) throw new MisalignedAtomic(pc, addr);
      },
      csr: csrAccess,
      fenceI: () => this.cache.clear(),
      t: new Int32Array(2),
      k: 0,
      n: 0,
      compile: (dp, slot, pc) => {
        if (this.wasm) return this.wasm.compile(this.cache, dp, slot, pc);
        const t0 = performance.now();
        const block = compileBlock(this.cache, dp, pc);
        dp.blocks[slot] = block;
        // Host time only feeds --stats; it never reaches the guest.
        this.jitStats.ms += performance.now() - t0;
        if (block.len !== Infinity) {
          this.jitStats.blocks++;
          this.jitStats.insns += block.len;
        }
      },
      jit: true,
      hot: tier === 'wasm' ? DEFAULT_HOT_WASM : DEFAULT_HOT,
      end: BLOCK_END,
      ...(tier === 'wasm' ? { targets: new JalrTargets(mem.buffer) } : {}),
    };
    this.fpu = [];
    for (const o of OPS) {
      if (!o.fpu) continue;
      const f = fpuOps[o.name];
      if (!f) throw new Error(`FPU does not implement ${o.name}`);
      this.fpu[o.id] = f;
    }
    this.wasm = tier === 'wasm' ? new WasmCompiler(s, mem, this.fpu, this.helpers) : undefined;
    if (this.wasm) {
      const wasm = this.wasm;
      this.cache.onDrop = (pageNo) => wasm.dropped(pageNo);
      this.tier0 = new WasmTier0(s, mem, this.cache, this.helpers, this.fpu, wasm, { budget: STOP_BUDGET, ecall: STOP_ECALL, ebreak: STOP_EBREAK });
    }
    if (!warmedUp && (tier === 'js' || process.env.ZEROSYS_WARM_UP === '1')) {
      warmedUp = true; // before the call: warmUp builds interpreters of its own
      warmUp((s, m) => {
        const hart = new Interpreter(s, m);
        hart.hot = WARM_UP_HOT;
        return hart;
      }, WARM_UP_HOT);
    }
  }

  /** Compile hot blocks (default) or only interpret. */
  set jit(on: boolean) {
    this.helpers.jit = on;
  }

  /** Entries into a block start before it is compiled (tests use small values). */
  set hot(entries: number) {
    if (!Number.isInteger(entries) || entries < 1 || entries > 65535) throw new RangeError(`hot threshold ${entries}: expected 1..65535`);
    this.helpers.hot = entries;
  }

  /** Execute up to budget instructions; returns a STOP_* code, throws on traps. */
  run(budget: number): number {
    if (this.tier0) return this.tier0.run(budget);
    const run = (runGenerated ??= generateRun());
    return run(this.s, this.mem, this.helpers, this.fpu, this.cache, budget);
  }
}
