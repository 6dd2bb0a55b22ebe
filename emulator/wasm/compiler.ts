// The wasm tier: turns hot block starts into compiled regions (region.ts, codegen.ts), a
// batch of regions per WebAssembly module, instantiated over the guest's own memory, and
// registers an entry for every block of each region in its decoded page (where the wasm
// interpreter, interpreter.ts, enters it) and in the jump cache (where regions chaining to
// each other find it).

import { OP_BY_NAME } from '../decode/opcodes.ts';
import { handlerFor } from '../cpu/handlers.ts';
import type { DecodeCache, DecodedPage } from '../cpu/decode-cache.ts';
import type { CpuState } from '../cpu/state.ts';
import type { FpuOp } from '../fpu/index.ts';
import { PAGE_SIZE, type Memory } from '../memory.ts';
import { JUMP_CACHE, JUMP_ENTRIES, STATE_REGION_BASE } from '../layout.ts';
import { Bytes, encodeModule, F64, I32, typeIndexOf, type ImportedFunc } from './encoder.ts';
import { helperFuncs } from './helpers.ts';
import { IMPORT_COUNT, LOCALS, REGION_TYPE, regionCode, usesFpHelpers } from './codegen.ts';
import { discoverRegion, type Region } from './region.ts';
import type { TargetMemo } from '../cpu/jalr-targets.ts';

const i32s = (n: number) => Array<number>(n).fill(I32);
const IMPORTS: ImportedFunc[] = [
  { module: 'm', name: 'fpu', type: { params: i32s(8), results: [I32] } },
  { module: 'm', name: 'far', type: { params: i32s(3), results: [F64] } },
  { module: 'm', name: 'exec', type: { params: i32s(8), results: [I32] } },
];

if (IMPORTS.length !== IMPORT_COUNT) throw new Error('wasm imports out of step with codegen');

/** Regions compiled together in one module. */
const BATCH = 16;
/** A batch is compiled early at this many re-hot queued starts (compile()). */
const REHOT = 8;

/** Where a compiled region is registered: entries in the decoded pages (and the jump cache by pc). */
interface RegionRecord {
  fnIndex: number;
  entries: { dp: DecodedPage; slot: number; pc: number }[];
}

/** Jump-cache slot of a pc (pcs are even). */
export function jumpSlot(pc: number): number {
  return Math.floor(pc / 2) & (JUMP_ENTRIES - 1);
}

interface Queued {
  dp: DecodedPage;
  slot: number;
  region: Region;
}

/** Table slots grow by this many at a time. */
const TABLE_CHUNK = 256;

export class WasmCompiler {
  /** Regions compiled, their instructions, host ms spent (for --stats). */
  readonly stats = { regions: 0, insns: 0, ms: 0 };
  private readonly imports: WebAssembly.Imports;
  /** A trap a JavaScript helper caught for compiled code, raised once the wasm call has returned -1. */
  private pending: unknown = undefined;
  private pendingPc = 0;
  private pendingDone = 0;
  /** Every compiled region's function, by the index the jump cache names. */
  private readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: TABLE_CHUNK });
  private tableUsed = 0;
  /** Jump cache as int32 words: [pc lo, pc hi, table index, entry | len << 16] per entry. */
  private readonly jumps: Int32Array;
  /** Compiled regions by each code page they were built from, to drop when that code changes. */
  private readonly regionsByPage = new Map<number, RegionRecord[]>();

  /** Instructions retired before the current entry from the run loop (CSR reads of instret). */
  private icount0 = 0;
  /** Regions per module (tests use 1 to compile each region as soon as it is hot). */
  batch = BATCH;
  /** Hot regions waiting for their batch. */
  private queue: Queued[] = [];
  /** Times a queued start became hot again since the last batch (REHOT). */
  private rehot = 0;

  constructor(
    s: CpuState,
    m: Memory,
    private readonly F: FpuOp[],
    private readonly H: unknown,
  ) {
    if (s.x.buffer !== m.buffer) throw new Error('wasm engine: the CPU state must live in the guest memory (new CpuState(mem.buffer))');
    const regionBase = new Float64Array(m.buffer, STATE_REGION_BASE, 1);
    this.jumps = new Int32Array(m.buffer, JUMP_CACHE, JUMP_ENTRIES * 4);
    this.clearJumps();
    // The interpreter's address arithmetic (a double), so a fault names the same address.
    const addr = (lo: number, hi: number, imm: number) => hi * 4294967296 + (lo >>> 0) + imm;
    /** Record a trap of the instruction at page offset off, after `done` retired instructions. */
    const trapped = (e: unknown, done: number, off: number): number => {
      this.pending = e;
      this.pendingDone = done;
      this.pendingPc = regionBase[0] + off;
      return 1;
    };
    this.imports = {
      m: {
        mem: m.wasm,
        table: this.table,
        fpu: (id: number, rd: number, rs1: number, rs2: number, rs3: number, imm: number, done: number, off: number): number => {
          try {
            s.pc = regionBase[0] + off;
            this.F[id](s, rd, rs1, rs2, rs3, imm);
            return 0;
          } catch (e) {
            return trapped(e, done, off);
          }
        },
        exec: (id: number, rd: number, rs1: number, rs2: number, rs3: number, imm: number, done: number, off: number): number => {
          try {
            const f = handlerFor(id);
            const pc = regionBase[0] + off;
            s.pc = pc;
            // These ops (CSRs, atomics) have no compressed form, and their fragments never jump.
            f(s, s.x, s.fi, m, H, this.F, rd, rs1, rs2, rs3, imm, pc, 4, this.icount0 + done, 0);
            return 0;
          } catch (e) {
            return trapped(e, done, off);
          }
        },
        far(lo: number, hi: number, imm: number): number {
          const t = addr(lo, hi, imm);
          return t - (t % 2 === 0 ? 0 : 1);
        },
      },
    };
  }

  /**
   * A block start became hot: queue its region. Regions are compiled in batches, one module
   * each, because a module costs about half a millisecond whatever its size; a batch is
   * compiled when it is full or when a queued start becomes hot again (a busy loop does not
   * wait long for its batch). When that happens changes only the speed, never a result.
   */
  compile(cache: DecodeCache, dp: DecodedPage, slot: number, pc: number): void {
    // A start already queued, or inside a queued region, became hot again: its code is
    // waiting. The batch is compiled at the REHOT-th such event, not the first: a module
    // of one or two regions costs as much V8 memory as one of sixteen (each instance keeps
    // its own copy of the region table's dispatch entries, about 28 KiB at 1,000 regions),
    // and compiling at the first event made 600 modules of 1.6 regions for math/big's tests.
    // Since the interpreter is wasm too (interpreter.ts), waiting costs less: 8 measured
    // better than 3 everywhere (sort 0.63 -> 0.60 s, compress/flate 3.15 -> 2.99 s, the C
    // benchmarks 2-7%), at the same peak memory.
    if (this.queue.some((q) => q.dp === dp && q.region.blocks.some((b) => b.pc === pc))) {
      if (++this.rehot >= REHOT) return this.flush(cache);
      dp.hits[slot] = 0; // counts up to the threshold again
      return;
    }
    const t0 = performance.now();
    // Blocks run at least 1/32 as often as the threshold count as warm enough to include.
    const H = this.H as { hot: number; targets?: TargetMemo };
    const region = discoverRegion(cache, dp, pc, Math.max(1, H.hot >> 5), H.targets);
    this.stats.ms += performance.now() - t0;
    if (!region) {
      dp.entryFn[slot] = -1; // never compiled: the interpreter stops counting there
      return;
    }
    this.queue.push({ dp, slot, region });
    dp.hits[slot] = 0; // counts up to the threshold again
    if (this.queue.length >= this.batch) this.flush(cache);
  }

  /** Compile the queued regions whose pages are all still live into one module and register their blocks. */
  private flush(cache: DecodeCache): void {
    const t0 = performance.now();
    this.rehot = 0;
    const batch = this.queue.filter((q) => q.region.blocks.every((b) => cache.holds(b.dp)));
    this.queue = [];
    if (batch.length === 0) return;
    const fpuIndex = (name: string) => OP_BY_NAME.get(name)!.id;
    const helpers = helperFuncs(IMPORT_COUNT, batch.some((q) => usesFpHelpers(q.region)));
    // Regions tail-call each other through the table (codegen.ts, chainToNext): their type's index.
    const regionType = typeIndexOf(IMPORTS, [...helpers, { type: REGION_TYPE, locals: [], code: new Bytes() }], REGION_TYPE);
    const regions = batch.map((q, i) => ({
      type: REGION_TYPE,
      locals: LOCALS,
      code: regionCode(q.region, q.dp.base, fpuIndex, IMPORT_COUNT, regionType),
      export: `r${i}`,
    }));
    const instance = new WebAssembly.Instance(new WebAssembly.Module(encodeModule(IMPORTS, [...helpers, ...regions], { table: true })), this.imports);
    batch.forEach(({ dp, slot, region }, i) => {
      const fnIndex = this.tableSlot();
      this.table.set(fnIndex, instance.exports[`r${i}`] as () => number);
      const record: RegionRecord = { fnIndex, entries: [] };
      region.blocks.forEach((b, k) => {
        const s = (b.pc - b.dp.base) >> 1;
        // The block the region was compiled for always gets it; other starts keep what they have.
        if (!(b.dp === dp && s === slot) && b.dp.entryFn[s] !== 0) return;
        b.dp.entryFn[s] = fnIndex + 1;
        b.dp.entryKL[s] = k | (b.insns.length << 16);
        this.setJump(b.pc, fnIndex, k, b.insns.length);
        record.entries.push({ dp: b.dp, slot: s, pc: b.pc });
      });
      for (const pageNo of new Set(region.blocks.map((b) => Math.floor(b.dp.base / PAGE_SIZE)))) {
        let list = this.regionsByPage.get(pageNo);
        if (!list) this.regionsByPage.set(pageNo, (list = []));
        list.push(record);
      }
      this.stats.regions++;
      this.stats.insns += region.blocks.reduce((sum, b) => sum + b.insns.length, 0);
    });
    // Host time only feeds --stats; it never reaches the guest.
    this.stats.ms += performance.now() - t0;
  }

  private tableSlot(): number {
    if (this.tableUsed === this.table.length) this.table.grow(TABLE_CHUNK);
    return this.tableUsed++;
  }

  private setJump(pc: number, fnIndex: number, entry: number, len: number): void {
    const i = 4 * jumpSlot(pc);
    this.jumps[i] = pc % 4294967296 | 0;
    this.jumps[i + 1] = Math.floor(pc / 4294967296);
    this.jumps[i + 2] = fnIndex;
    this.jumps[i + 3] = entry | (len << 16);
  }

  /**
   * The decode cache dropped a page (pageNo) or everything (-1): no region built from its code
   * may be entered again, from the run loop (entries in other pages' decode caches) or from
   * a region chaining to it (jump cache).
   */
  dropped(pageNo: number): void {
    if (pageNo < 0) {
      this.regionsByPage.clear();
      return this.clearJumps();
    }
    const records = this.regionsByPage.get(pageNo);
    if (!records) return;
    this.regionsByPage.delete(pageNo);
    for (const r of records) {
      for (const e of r.entries) {
        if (e.dp.entryFn[e.slot] === r.fnIndex + 1) e.dp.entryFn[e.slot] = 0;
        const i = 4 * jumpSlot(e.pc);
        if (this.jumps[i + 2] === r.fnIndex && this.jumps[i] === (e.pc % 4294967296 | 0)) {
          this.jumps[i] = 1; // an odd tag: never a pc
          this.jumps[i + 1] = 0;
        }
      }
      r.entries = [];
    }
  }

  private clearJumps(): void {
    // Every word 1: each tag reads 2^32 + 1, odd, so never a pc and never found.
    this.jumps.fill(1);
  }

  /**
   * The run-loop side of a region's trap (the wasm interpreter saw -1): the error, the pc of
   * the trapping instruction and the instructions retired before it (cumulative).
   */
  takeTrap(): { error: unknown; pc: number; done: number } {
    const t = { error: this.pending, pc: this.pendingPc, done: this.pendingDone };
    this.pending = undefined;
    return t;
  }

  /** The table of compiled regions (the wasm interpreter enters them through it). */
  get regionTable(): WebAssembly.Table {
    return this.table;
  }

  /** Instructions retired before the wasm interpreter's current entry (CSR reads of instret in regions). */
  set retiredBefore(icount: number) {
    this.icount0 = icount;
  }
}
