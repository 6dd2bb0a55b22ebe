// The wasm tier: turns a hot block start into a compiled region (region.ts, codegen.ts),
// one WebAssembly module per region, instantiated over the guest's own memory, and
// registers an entry for every block of the region in the decode cache, where the run
// loop finds it exactly as it finds a JavaScript-compiled block.

import { OP_BY_NAME } from '../decode/opcodes.ts';
import type { DecodeCache, DecodedPage } from '../cpu/decode-cache.ts';
import type { Block } from '../cpu/block-compiler.ts';
import { NO_BLOCK } from '../cpu/block-compiler.ts';
import type { CpuState } from '../cpu/state.ts';
import type { FpuOp } from '../fpu/index.ts';
import { PAGE_SIZE, type Memory } from '../memory.ts';
import { JUMP_CACHE, JUMP_ENTRIES, STATE_FAULT_DONE, STATE_FAULT_PC, STATE_NPC, STATE_SCRATCH } from '../layout.ts';
import { encodeModule, F64, I32, type ImportedFunc } from './encoder.ts';
import { helperFuncs } from './helpers.ts';
import { IMPORT_COUNT, LOCALS, REGION_PARAMS, regionCode } from './codegen.ts';
import { discoverRegion } from './region.ts';
import { dispatcherModule, jumpSlot, type DispatchFn } from './dispatcher.ts';

/** What a trap inside compiled code leaves for the run loop. */
export interface TrapInfo {
  /** Instructions retired by the call before the trapping one. */
  n: number;
  k: number;
  /** pc of the trapping instruction. */
  fpc: number;
}

const IMPORTS: ImportedFunc[] = [
  { module: 'm', name: 'load', type: { params: [I32, I32, I32, I32], results: [I32] } },
  { module: 'm', name: 'store', type: { params: [I32, I32, I32, I32, I32, I32], results: [] } },
  { module: 'm', name: 'fpu', type: { params: [I32, I32, I32, I32, I32, I32, F64], results: [] } },
  { module: 'm', name: 'far', type: { params: [I32, I32, I32], results: [F64] } },
];
if (IMPORTS.length !== IMPORT_COUNT) throw new Error('wasm imports out of step with codegen');

/** Table slots grow by this many at a time. */
const TABLE_CHUNK = 256;

export class WasmCompiler {
  /** Regions compiled, their instructions, host ms spent (for --stats). */
  readonly stats = { regions: 0, insns: 0, ms: 0 };
  private readonly imports: WebAssembly.Imports;
  private readonly npc: Float64Array;
  private readonly faultPc: Float64Array;
  private readonly faultDone: Int32Array;
  /** Every compiled region's function, by the index the jump cache names. */
  private readonly table = new WebAssembly.Table({ element: 'anyfunc', initial: TABLE_CHUNK });
  private tableUsed = 0;
  private readonly dispatch: DispatchFn;
  /** Jump cache as int32 words: [pc lo, pc hi, table index, entry | len << 16] per entry. */
  private readonly jumps: Int32Array;
  /** Jump-cache slots filled for each code page, to clear when its code is dropped. */
  private readonly jumpsByPage = new Map<number, number[]>();

  constructor(
    s: CpuState,
    m: Memory,
    private readonly F: FpuOp[],
  ) {
    if (s.x.buffer !== m.buffer) throw new Error('wasm engine: the CPU state must live in the guest memory (new CpuState(mem.buffer))');
    this.npc = new Float64Array(m.buffer, STATE_NPC, 1);
    this.faultPc = new Float64Array(m.buffer, STATE_FAULT_PC, 1);
    this.faultDone = new Int32Array(m.buffer, STATE_FAULT_DONE, 1);
    const scratch = new Int32Array(m.buffer, STATE_SCRATCH, 2);
    this.jumps = new Int32Array(m.buffer, JUMP_CACHE, JUMP_ENTRIES * 4);
    this.clearJumps();
    const dispatcher = new WebAssembly.Instance(new WebAssembly.Module(dispatcherModule()), { m: { mem: m.wasm, table: this.table } });
    this.dispatch = dispatcher.exports.dispatch as DispatchFn;
    // The interpreter's address arithmetic (a double), so a fault names the same address.
    const addr = (lo: number, hi: number, imm: number) => hi * 4294967296 + (lo >>> 0) + imm;
    this.imports = {
      m: {
        mem: m.wasm,
        load(kind: number, lo: number, hi: number, imm: number): number {
          const a = addr(lo, hi, imm);
          switch (kind) {
            case 0:
              return m.ld8(a);
            case 1:
              return m.ld16(a);
            case 2:
            case 5:
              return m.ld32(a);
            case 3:
              return m.ld8u(a);
            case 4:
              return m.ld16u(a);
            default:
              m.ld64(a, scratch, 0);
              return 0;
          }
        },
        store(kind: number, lo: number, hi: number, imm: number, vlo: number, vhi: number): void {
          const a = addr(lo, hi, imm);
          switch (kind) {
            case 0:
              return m.st8(a, vlo);
            case 1:
              return m.st16(a, vlo);
            case 2:
              return m.st32(a, vlo);
            default:
              return m.st64(a, vlo, vhi);
          }
        },
        fpu: (id: number, rd: number, rs1: number, rs2: number, rs3: number, imm: number, pc: number): void => {
          s.pc = pc;
          this.F[id](s, rd, rs1, rs2, rs3, imm);
        },
        far(lo: number, hi: number, imm: number): number {
          const t = addr(lo, hi, imm);
          return t - (t % 2 === 0 ? 0 : 1);
        },
      },
    };
  }

  /** Compile the region entered at pc and register its blocks in dp (the entry always gets one). */
  compile(cache: DecodeCache, dp: DecodedPage, slot: number, pc: number): void {
    const t0 = performance.now();
    const region = discoverRegion(cache, dp, pc);
    if (!region) {
      dp.blocks[slot] = NO_BLOCK;
      return;
    }
    const fpuIndex = (name: string) => OP_BY_NAME.get(name)!.id;
    const helpers = helperFuncs(IMPORT_COUNT);
    const code = regionCode(region, fpuIndex, IMPORT_COUNT);
    const bytes = encodeModule(IMPORTS, [...helpers, { type: { params: REGION_PARAMS, results: [I32] }, locals: LOCALS, code, export: 'r' }]);
    const instance = new WebAssembly.Instance(new WebAssembly.Module(bytes), this.imports);
    const fnIndex = this.tableSlot();
    this.table.set(fnIndex, instance.exports.r as () => number);
    const pageNo = Math.floor(dp.base / PAGE_SIZE);
    region.blocks.forEach((b, k) => {
      const s = (b.pc - dp.base) >> 1;
      if (s !== slot && dp.blocks[s] !== undefined) return;
      dp.blocks[s] = this.entry(fnIndex, k, b.insns.length);
      this.setJump(pageNo, b.pc, fnIndex, k, b.insns.length);
    });
    this.stats.regions++;
    this.stats.insns += region.blocks.reduce((sum, b) => sum + b.insns.length, 0);
    // Host time only feeds --stats; it never reaches the guest.
    this.stats.ms += performance.now() - t0;
  }

  private tableSlot(): number {
    if (this.tableUsed === this.table.length) this.table.grow(TABLE_CHUNK);
    return this.tableUsed++;
  }

  private setJump(pageNo: number, pc: number, fnIndex: number, entry: number, len: number): void {
    const i = 4 * jumpSlot(pc);
    this.jumps[i] = pc % 4294967296;
    this.jumps[i + 1] = Math.floor(pc / 4294967296);
    this.jumps[i + 2] = fnIndex;
    this.jumps[i + 3] = entry | (len << 16);
    let slots = this.jumpsByPage.get(pageNo);
    if (!slots) this.jumpsByPage.set(pageNo, (slots = []));
    slots.push(i);
  }

  /** The decode cache dropped a page (pageNo) or everything (-1): its entries must not be found. */
  dropped(pageNo: number): void {
    if (pageNo < 0) return this.clearJumps();
    const slots = this.jumpsByPage.get(pageNo);
    if (!slots) return;
    for (const i of slots) {
      // Only if the slot still holds a pc of this page (a later region may own it now).
      const pc = (this.jumps[i] >>> 0) + this.jumps[i + 1] * 4294967296;
      if (Math.floor(pc / PAGE_SIZE) === pageNo) {
        this.jumps[i] = 1;
        this.jumps[i + 1] = 0;
      }
    }
    this.jumpsByPage.delete(pageNo);
  }

  private clearJumps(): void {
    for (let i = 0; i < this.jumps.length; i += 4) {
      this.jumps[i] = 1; // pc 1: never a pc, so never found
      this.jumps[i + 1] = 0;
    }
    this.jumpsByPage.clear();
  }

  /** A run-loop block that enters the region at its block k (through the dispatcher). */
  private entry(fnIndex: number, k: number, len: number): Block {
    const { npc, faultPc, faultDone, dispatch } = this;
    const fn = (_s: unknown, _x: unknown, _fi: unknown, _m: unknown, H: TrapInfo, _F: unknown, _icount: number, room: number) => {
      try {
        H.n = dispatch(room > 0x7fffffff ? 0x7fffffff : room, fnIndex, k);
      } catch (e) {
        H.n = faultDone[0];
        H.k = 0;
        H.fpc = faultPc[0];
        throw e;
      }
      return npc[0];
    };
    return { fn: fn as unknown as Block['fn'], len, pcs: [] };
  }
}
