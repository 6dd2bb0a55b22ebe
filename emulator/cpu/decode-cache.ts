// Decode once: the decoded fields of every executed instruction, per code page, as a
// structure of arrays (as libriscv's decoder cache), plus the compiled blocks that start
// in the page. A store into a page holding decoded code drops the page (memory.ts keeps
// such pages out of the write TLB so the store is seen).

import { decode, type Decoded } from '../decode/decoder.ts';
import { expandCompressed } from '../decode/compressed.ts';
import { PAGE_SIZE, type Memory } from '../memory.ts';
import { IllegalInstruction } from './traps.ts';
import type { Block } from './block-compiler.ts';
import { OPS } from '../decode/opcodes.ts';
import { CSR_EXTENSION, DEFAULT_ISA, isaExtensions, type IsaName } from '../isa.ts';
import { DECODED_ARENA, DECODED_PAGE_BYTES, DECODED_PAGES, DP_ENTRY, DP_ENTRY_KL, DP_HITS, DP_IMM, DP_LEN, DP_OP, DP_RD, DP_RS1, DP_RS2, DP_RS3, DPAGE_ENTRIES, DPAGE_TLB } from '../layout.ts';

const SLOTS = PAGE_SIZE / 2;

/**
 * Decoded instructions of one code page, indexed by (pc % PAGE_SIZE) / 2: views of its part
 * of the decoded-code arena in the guest's wasm memory (layout.ts), which the wasm
 * interpreter reads too.
 */
export class DecodedPage {
  readonly op: Uint16Array;
  readonly len: Uint8Array;
  readonly rd: Uint8Array;
  readonly rs1: Uint8Array;
  readonly rs2: Uint8Array;
  readonly rs3: Uint8Array;
  readonly imm: Int32Array;
  /** Compiled block starting at each slot (NO_BLOCK when it cannot be compiled). */
  readonly blocks: (Block | undefined)[] = new Array(SLOTS);
  /** Times execution entered a block start here without a compiled block (wraps at 65536). */
  readonly hits: Uint16Array;
  /** The wasm tier's entry at each slot for the wasm interpreter: table index + 1 (0 none, -1 not compilable). */
  readonly entryFn: Int32Array;
  /** ... and its entry in the region | its block's length << 16. */
  readonly entryKL: Uint32Array;
  constructor(
    readonly base: number,
    buffer: ArrayBuffer,
    /** Byte offset of its arena slot (all zero: a slot never used, or cleared for reuse). */
    readonly off: number,
  ) {
    this.op = new Uint16Array(buffer, off + DP_OP, SLOTS);
    this.len = new Uint8Array(buffer, off + DP_LEN, SLOTS);
    this.rd = new Uint8Array(buffer, off + DP_RD, SLOTS);
    this.rs1 = new Uint8Array(buffer, off + DP_RS1, SLOTS);
    this.rs2 = new Uint8Array(buffer, off + DP_RS2, SLOTS);
    this.rs3 = new Uint8Array(buffer, off + DP_RS3, SLOTS);
    this.imm = new Int32Array(buffer, off + DP_IMM, SLOTS);
    this.hits = new Uint16Array(buffer, off + DP_HITS, SLOTS);
    this.entryFn = new Int32Array(buffer, off + DP_ENTRY, SLOTS);
    this.entryKL = new Uint32Array(buffer, off + DP_ENTRY_KL, SLOTS);
  }
}

/** Recently used pages, direct-mapped by page number, in front of the Map. */
const RECENT = 64;

export class DecodeCache {
  private pages = new Map<number, DecodedPage>();
  /** Arena slots given back by dropped pages (the next never used one: Memory.arenaBytesUsed). */
  private freeSlots: number[] = [];
  /** The wasm interpreter's page lookup (layout.ts DPAGE_TLB) as int32 words: [base lo, base hi, arena offset, 0]. */
  private readonly dtlb: Int32Array;
  /**
   * The run loop looks a page up whenever control leaves the current one, which big programs
   * (Go's) do every few dozen instructions: a Map lookup each time showed in profiles.
   */
  private readonly recent: (DecodedPage | undefined)[] = new Array(RECENT).fill(undefined);
  private scratch: Decoded = { op: undefined, rd: 0, rs1: 0, rs2: 0, rs3: 0, imm: 0 };

  /** Told when a page's decoded code (and so its compiled blocks) is dropped; -1: all of it. */
  onDrop: (pageNo: number) => void = () => {};

  /**
   * Whether the ISA profile has each op (by op id) and compressed parcels: an op outside it
   * is an illegal instruction, refused here like an unknown encoding, so no tier ever
   * executes or compiles it (emulator/isa.ts).
   */
  private readonly hasOp: Uint8Array;
  private readonly hasC: boolean;
  private readonly exts: ReadonlySet<string>;

  constructor(
    readonly mem: Memory,
    readonly isa: IsaName = DEFAULT_ISA,
  ) {
    const exts = isaExtensions(isa);
    this.exts = exts;
    this.hasC = exts.has('C');
    this.hasOp = new Uint8Array(OPS.length + 1);
    for (const o of OPS) this.hasOp[o.id] = exts.has(o.ext) ? 1 : 0;
    this.dtlb = new Int32Array(mem.buffer, DPAGE_TLB, DPAGE_ENTRIES * 4);
    this.dtlb.fill(1); // every tag odd: never a page
    mem.onCodeInvalidate = (pageNo) => {
      this.forget(pageNo);
      // An instruction at the end of the previous page may straddle into this one.
      this.forget(pageNo - 1);
      this.onDrop(pageNo);
      this.onDrop(pageNo - 1);
    };
  }

  page(pc: number): DecodedPage {
    const pageNo = Math.floor(pc / PAGE_SIZE);
    const i = pageNo & (RECENT - 1);
    let dp = this.recent[i];
    if (dp !== undefined && dp.base === pageNo * PAGE_SIZE) return dp;
    dp = this.pages.get(pageNo);
    if (!dp) {
      this.mem.fetch16(pc); // faults (exec) before we allocate anything
      // A full arena starts over: every page is decoded again as it runs (speed only).
      if (this.freeSlots.length === 0 && this.mem.arenaBytesUsed === DECODED_PAGES * DECODED_PAGE_BYTES) this.clear();
      // A slot given back is cleared; one never used is still zero (a new memory is, and
      // Memory.dispose clears what a guest used before the memory is reused): zeroing it
      // would cost time and commit 44 KiB of host memory for every page of code.
      const reused = this.freeSlots.pop();
      const slot = reused ?? this.mem.arenaBytesUsed / DECODED_PAGE_BYTES;
      const off = DECODED_ARENA + slot * DECODED_PAGE_BYTES;
      if (reused !== undefined) new Uint8Array(this.mem.buffer, off, DECODED_PAGE_BYTES).fill(0);
      else this.mem.arenaBytesUsed += DECODED_PAGE_BYTES;
      dp = new DecodedPage(pageNo * PAGE_SIZE, this.mem.buffer, off);
      this.pages.set(pageNo, dp);
      this.mem.markCode(pageNo);
    }
    this.recent[i] = dp;
    return dp;
  }

  /** page(pc), entered in the wasm interpreter's page lookup. */
  pageForWasm(pc: number): DecodedPage {
    const dp = this.page(pc);
    const pageNo = dp.base / PAGE_SIZE;
    const t = 4 * (pageNo & (DPAGE_ENTRIES - 1));
    this.dtlb[t] = dp.base % 4294967296 | 0;
    this.dtlb[t + 1] = Math.floor(dp.base / 4294967296);
    this.dtlb[t + 2] = dp.off | 0;
    return dp;
  }

  private forget(pageNo: number): void {
    const dp = this.pages.get(pageNo);
    if (!dp) return;
    this.pages.delete(pageNo);
    this.freeSlots.push((dp.off - DECODED_ARENA) / DECODED_PAGE_BYTES);
    const i = pageNo & (RECENT - 1);
    if (this.recent[i]?.base === pageNo * PAGE_SIZE) this.recent[i] = undefined;
    const t = 4 * (pageNo & (DPAGE_ENTRIES - 1));
    if (this.dtlb[t + 2] === (dp.off | 0)) this.dtlb[t] = 1;
  }

  /** Decode the instruction at pc into dp; returns its op id or throws IllegalInstruction. */
  fill(dp: DecodedPage, slot: number, pc: number): number {
    const lo = this.mem.fetch16(pc);
    let hi = 0;
    if ((lo & 3) === 3) {
      hi = this.mem.fetch16(pc + 2);
      if ((pc + 2) % PAGE_SIZE === 0) this.mem.markCode(Math.floor((pc + 2) / PAGE_SIZE));
    }
    return this.decodeInto(dp, slot, pc, lo, hi, true);
  }

  /**
   * After fill(pc): decode the straight line that follows it in the same page, up to `max`
   * instructions, the end of a block (`ends`, by op id), an instruction already decoded, one
   * that straddles into the next page, or one that cannot be decoded (left for fill() to
   * raise if execution ever gets there). Go's code makes the wasm interpreter stop for 50,000
   * undecoded instructions, each a fetch through the page table: one stop per straight line
   * instead. Nothing the guest sees changes: which slots are decoded is invisible, and a
   * store into the page drops all of them.
   */
  decodeAhead(dp: DecodedPage, pc: number, ends: Uint8Array, max: number): void {
    const frame = this.mem.frameOffset(dp.base); // the page was fetched from just now: executable
    let off = pc - dp.base;
    let id = dp.op[off >> 1];
    for (let k = 0; k < max && id !== 0 && ends[id] === 0; k++) {
      off += dp.len[off >> 1];
      if (off + 2 > PAGE_SIZE || dp.op[off >> 1] !== 0) return;
      const lo = this.mem.frameU16(frame + off);
      let hi = 0;
      if ((lo & 3) === 3) {
        if (off + 4 > PAGE_SIZE) return;
        hi = this.mem.frameU16(frame + off + 2);
      }
      id = this.decodeInto(dp, off >> 1, dp.base + off, lo, hi, false);
    }
  }

  /** Decode the parcels lo (and hi for a 32-bit instruction) at pc into dp; returns the op id, or 0 (raise: throws) when they are not an instruction of this ISA. */
  private decodeInto(dp: DecodedPage, slot: number, pc: number, lo: number, hi: number, raise: boolean): number {
    let word: number;
    let len: number;
    if ((lo & 3) !== 3) {
      word = expandCompressed(lo);
      len = 2;
      if (word === -1) {
        if (!raise) return 0;
        throw new IllegalInstruction(pc, lo);
      }
      if (!this.hasC) {
        if (!raise) return 0;
        throw new IllegalInstruction(pc, lo, `illegal instruction (compressed: no C in ${this.isa})`);
      }
    } else {
      word = lo | (hi << 16);
      len = 4;
    }
    const d = decode(word, this.scratch);
    if (!d.op) {
      if (!raise) return 0;
      throw new IllegalInstruction(pc, len === 2 ? lo : word);
    }
    if (this.hasOp[d.op.id] === 0) {
      if (!raise) return 0;
      throw this.outsideIsa(d.op.name, d.op.ext, pc, len === 2 ? lo : word);
    }
    if (d.op.fmt === 'CSR' || d.op.fmt === 'CSRI') {
      const ext = CSR_EXTENSION.get(d.imm);
      if (ext !== undefined && !this.exts.has(ext)) {
        if (!raise) return 0;
        throw this.outsideIsa(`${d.op.name} of CSR 0x${d.imm.toString(16)}`, ext, pc, word);
      }
    }
    dp.len[slot] = len;
    dp.rd[slot] = d.rd;
    dp.rs1[slot] = d.rs1;
    dp.rs2[slot] = d.rs2;
    dp.rs3[slot] = d.rs3;
    dp.imm[slot] = d.imm;
    dp.op[slot] = d.op.id;
    return d.op.id;
  }

  private outsideIsa(what: string, ext: string, pc: number, bits: number): IllegalInstruction {
    return new IllegalInstruction(pc, bits, `illegal instruction (${what}: no ${ext} in ${this.isa})`);
  }

  /** The decoded page holding pc if there is one (never decodes or faults). */
  peek(pc: number): DecodedPage | undefined {
    return this.pages.get(Math.floor(pc / PAGE_SIZE));
  }

  /** Whether dp is still the live decoded form of its page (not dropped since). */
  holds(dp: DecodedPage): boolean {
    return this.pages.get(Math.floor(dp.base / PAGE_SIZE)) === dp;
  }

  clear(): void {
    for (const dp of this.pages.values()) this.freeSlots.push((dp.off - DECODED_ARENA) / DECODED_PAGE_BYTES);
    this.pages.clear();
    this.recent.fill(undefined);
    this.dtlb.fill(1);
    this.onDrop(-1);
  }
}
