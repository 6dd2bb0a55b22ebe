// Guest memory: 4 KiB pages with per-page R/W/X, little-endian, user addresses in
// [0, USER_TOP). Mappings (VMAs) are recorded eagerly, page frames are allocated on first
// touch, so a large PROT_NONE reservation costs nothing. A direct-mapped TLB per access
// kind keeps the hot path to a tag compare and a DataView access.
//
// Page frames live in one WebAssembly.Memory (layout.ts), which also holds the hart's
// registers and a second TLB in the layout compiled code reads (emulator/wasm): a hit
// there is a compare and one native load or store. The memory is created at its full
// 4 GiB so its buffer never moves (growing would detach every view); the host commits
// only the frames a guest touches.
//
// Every failed access throws MemoryFault (never a host exception): the CPU turns it into
// SIGSEGV with si_addr, the kernel into EFAULT.

export const PAGE_SIZE = 4096;
export const PAGE_SHIFT = 12;
export const PROT_NONE = 0;
export const PROT_READ = 1;
export const PROT_WRITE = 2;
export const PROT_EXEC = 4;
/** One past the highest user address (sv39 user half, as riscv64 Linux). */
export const USER_TOP = 2 ** 38;

export const SEGV_MAPERR = 1;
export const SEGV_ACCERR = 2;

export type Access = 'read' | 'write' | 'exec';

export class MemoryFault extends Error {
  constructor(
    readonly addr: number,
    readonly access: Access,
    /** SEGV_MAPERR (nothing mapped) or SEGV_ACCERR (mapped, permission denied); 0 with `bus`. */
    readonly code: number,
    /** A page of a file mapping past the file's end (Vma.bus): SIGBUS, not SIGSEGV. */
    readonly bus = false,
  ) {
    super(`${access} fault at 0x${addr.toString(16)} (${bus ? 'past the end of a mapped file' : code === SEGV_MAPERR ? 'unmapped' : 'permission'})`);
  }
}

/**
 * The guest touched more pages than the machine has (--mem, 4 GiB by default): Linux's OOM
 * killer would end it with SIGKILL. Host memory stays bounded whatever the guest maps.
 */
export class OutOfMemory extends Error {
  constructor(readonly limitPages: number) {
    super(`out of memory: the guest touched more than ${(limitPages * PAGE_SIZE) / 2 ** 20} MiB (--mem)`);
  }
}

import { DECODED_ARENA, FRAMES_START, STATE_X, TLB_ENTRIES, TLB_ENTRY_BYTES, TLB_READ, TLB_WRITE, WASM_PAGES } from './layout.ts';

export interface Vma {
  start: number; // page aligned
  end: number; // page aligned, exclusive
  prot: number;
  name: string;
  /** Pages of a file mapping past the file's end: an access the protection allows is SIGBUS (BUS_ADRERR). */
  bus?: boolean;
}

/**
 * A page frame: 4 KiB at `off` in the wasm memory, shared by `refs` page-table slots. No
 * Uint8Array view of its own: one per frame cost about 110 host bytes per guest page
 * (half the page table's overhead); the few byte copies use `u8` at `off`.
 */
class Page {
  refs = 0;
  constructor(readonly off: number) {}
}

const TLB_SIZE = TLB_ENTRIES;
const TLB_MASK = TLB_SIZE - 1;
/** Zeroed wasm memories given back by Memory.dispose(). */
const SPARE_MEMORIES: WebAssembly.Memory[] = [];
const MAX_SPARE_MEMORIES = 2;

/** Frames the wasm memory can hold. */
const FRAME_CAPACITY = (DECODED_ARENA - FRAMES_START) / PAGE_SIZE;

export class Memory {
  /**
   * Frames, hart state and the compiled code's TLB (layout.ts). A memory given back by
   * dispose() is reused: V8 counts each new 4 GiB memory as external memory and collects
   * the whole heap for it, which made a run of hundreds of short in-process guests slow.
   */
  readonly wasm = SPARE_MEMORIES.pop() ?? new WebAssembly.Memory({ initial: WASM_PAGES, maximum: WASM_PAGES });
  readonly buffer: ArrayBuffer = this.wasm.buffer;
  private readonly dv = new DataView(this.buffer);
  private readonly u8 = new Uint8Array(this.buffer);
  /** The compiled code's TLB entries as int32 words: [page base lo, page base hi, addend, pad] (setWasmEntry). */
  private readonly wasmTlbR = new Int32Array(this.buffer, TLB_READ, TLB_SIZE * (TLB_ENTRY_BYTES / 4));
  private readonly wasmTlbW = new Int32Array(this.buffer, TLB_WRITE, TLB_SIZE * (TLB_ENTRY_BYTES / 4));
  /** Frame offsets given back by the guest, reused (zeroed) before fresh ones. */
  private freeFrames: number[] = [];
  private nextFrame = FRAMES_START;
  /** Sorted, non-overlapping. */
  private vmas: Vma[] = [];
  private pages = new Map<number, Page>();
  private rTag = new Float64Array(TLB_SIZE).fill(NaN);
  private rOff = new Int32Array(TLB_SIZE);
  private wTag = new Float64Array(TLB_SIZE).fill(NaN);
  private wOff = new Int32Array(TLB_SIZE);

  /** Bytes of the decoded-code arena ever handed out (cpu/decode-cache.ts), zeroed by dispose(). */
  arenaBytesUsed = 0;

  constructor() {
    this.wasmTlbR.fill(-1);
    this.wasmTlbW.fill(-1);
  }

  /**
   * Zero what this memory used and keep it for the next Memory; this one (and every view of
   * its buffer, the CpuState's registers included) must not be used afterwards.
   */
  dispose(): void {
    new Uint8Array(this.buffer, 0, this.nextFrame).fill(0);
    new Uint8Array(this.buffer, DECODED_ARENA, this.arenaBytesUsed).fill(0);
    if (SPARE_MEMORIES.length < MAX_SPARE_MEMORIES) SPARE_MEMORIES.push(this.wasm);
  }

  /** Byte offset of the hart state (layout.ts) in `buffer`, for CpuState. */
  get stateOffset(): number {
    return STATE_X;
  }
  /** Pages holding decoded code: kept out of the write TLB so stores can invalidate. */
  private codePages = new Set<number>();
  /** Called when a store hits a page with decoded code, or a mapping changes. */
  onCodeInvalidate: (pageNo: number) => void = () => {};
  /** Total bytes mapped (RLIMIT_AS accounting). */
  mappedBytes = 0;

  // ---------- mappings ----------

  /** Map [addr, addr+len) with prot, replacing whatever was there (MAP_FIXED semantics). */
  map(addr: number, len: number, prot: number, name = '', bus = false): void {
    const start = addr;
    const end = addr + roundUp(len);
    this.unmap(start, end - start);
    const vma: Vma = bus ? { start, end, prot, name, bus } : { start, end, prot, name };
    const i = this.vmaIndexAfter(start);
    this.vmas.splice(i, 0, vma);
    this.mappedBytes += end - start;
    this.mergeAround(i);
  }

  /** Remove mappings in [addr, addr+len); their contents are dropped. */
  unmap(addr: number, len: number): void {
    const end = addr + roundUp(len);
    this.splitAt(addr);
    this.splitAt(end);
    const kept: Vma[] = [];
    // Only an accessible mapping can have TLB entries (protect() flushes when access is taken
    // away). Go reserves its arenas PROT_NONE and maps and unmaps them by the dozen at start:
    // flushing both 16384-entry TLBs for each of those cost esbuild --version 15 ms.
    let accessible = false;
    for (const v of this.vmas) {
      if (v.end <= addr || v.start >= end) kept.push(v);
      else {
        this.mappedBytes -= v.end - v.start;
        this.dropPages(v.start, v.end);
        if (v.prot !== PROT_NONE) accessible = true;
      }
    }
    this.vmas = kept;
    if (accessible) this.flushTlb();
  }

  /** Change protection on [addr, addr+len). Returns false if part of it is unmapped. */
  protect(addr: number, len: number, prot: number): boolean {
    const end = addr + roundUp(len);
    if (!this.isFullyMapped(addr, end)) return false;
    this.splitAt(addr);
    this.splitAt(end);
    for (const v of this.vmas) if (v.start >= addr && v.end <= end) v.prot = prot;
    for (let i = 0; i < this.vmas.length; i++) this.mergeAround(i);
    this.flushTlb();
    this.invalidateCodeIn(addr / PAGE_SIZE, end / PAGE_SIZE);
    return true;
  }

  /** Drop decoded code of pages [first, last): walks whichever is smaller, the range or the code pages. */
  private invalidateCodeIn(first: number, last: number): void {
    if (last - first < this.codePages.size) {
      for (let p = first; p < last; p++) if (this.codePages.has(p)) this.invalidateCode(p);
    } else {
      for (const p of [...this.codePages]) if (p >= first && p < last) this.invalidateCode(p);
    }
  }

  /** Zero the pages of [addr, addr+len) that exist (MADV_DONTNEED on private anonymous memory). */
  discard(addr: number, len: number): void {
    this.dropPages(addr, addr + roundUp(len));
    this.flushTlb();
  }

  // ---------- page frames: moving, sharing, residency (mremap, shared memory, mincore) ----------

  /**
   * Move the mappings and page frames of [from, from+len) to [to, to+len) without copying
   * (mremap). The destination must be unmapped and must not overlap the source.
   */
  move(from: number, to: number, len: number): void {
    const end = from + roundUp(len);
    const delta = to - from;
    this.splitAt(from);
    this.splitAt(end);
    const moved = this.vmas.filter((v) => v.start >= from && v.end <= end);
    this.vmas = this.vmas.filter((v) => v.end <= from || v.start >= end);
    for (const v of moved) {
      const i = this.vmaIndexAfter(v.start + delta);
      this.vmas.splice(i, 0, { ...v, start: v.start + delta, end: v.end + delta });
      this.mergeAround(i);
    }
    const pageDelta = delta / PAGE_SIZE;
    for (const [p, page] of this.takePages(from, end)) {
      this.pages.set(p + pageDelta, page);
      if (this.codePages.has(p + pageDelta)) this.invalidateCode(p + pageDelta);
    }
    this.flushTlb();
  }

  /**
   * Make [to, to+len) show the same page frames as [from, from+len) (one shared memory
   * object mapped twice): frames are created for the source first. Both ranges must be mapped.
   */
  share(from: number, to: number, len: number): void {
    this.populate(from, len);
    const pageDelta = (to - from) / PAGE_SIZE;
    for (let p = from / PAGE_SIZE; p < (from + roundUp(len)) / PAGE_SIZE; p++) {
      const page = this.pages.get(p)!;
      page.refs++;
      this.release(this.pages.get(p + pageDelta));
      this.pages.set(p + pageDelta, page);
      if (this.codePages.has(p + pageDelta)) this.invalidateCode(p + pageDelta);
    }
    this.flushTlb();
  }

  /**
   * Give `child` (an empty memory) a copy of this one: the same mappings and a copy of every
   * page frame (fork's dup_mmap, copied now rather than on write). Pages that share a frame
   * here share one in the child too.
   */
  copyInto(child: Memory): void {
    child.vmas = this.vmas.map((v) => ({ ...v }));
    child.mappedBytes = this.mappedBytes;
    child.frameLimit = this.frameLimit;
    const copies = new Map<Page, Page>();
    for (const [p, page] of this.pages) {
      let copy = copies.get(page);
      if (copy) copy.refs++;
      else {
        copy = child.newFrame();
        child.u8.set(this.u8.subarray(page.off, page.off + PAGE_SIZE), copy.off);
        copies.set(page, copy);
      }
      child.pages.set(p, copy);
    }
    child.flushTlb();
  }

  /** Create the missing page frames of the mapped range [addr, addr+len) (MAP_POPULATE, mlock). */
  populate(addr: number, len: number): void {
    for (let p = addr / PAGE_SIZE; p < (addr + roundUp(len)) / PAGE_SIZE; p++) {
      if (!this.pages.has(p) && this.findVma(p * PAGE_SIZE)) this.pages.set(p, this.newFrame());
    }
  }

  /** Drop one reference to a frame; the last one gives it back for reuse. */
  private release(page: Page | undefined): void {
    if (page && --page.refs === 0) this.freeFrames.push(page.off);
  }

  /** Clear the existing frames of [addr, addr+len) in place: every mapping sharing them sees zeros. */
  zero(addr: number, len: number): void {
    for (const [p, page] of this.framesIn(addr, addr + roundUp(len))) {
      this.u8.fill(0, page.off, page.off + PAGE_SIZE);
      if (this.codePages.has(p)) this.invalidateCode(p);
    }
  }

  /** The frame of the page holding addr, as a view (no copy), or undefined when it has none. */
  frameView(addr: number): Uint8Array | undefined {
    const page = this.pages.get(Math.floor(addr / PAGE_SIZE));
    return page && this.u8.subarray(page.off, page.off + PAGE_SIZE);
  }

  /** Whether the page holding addr has a frame (mincore's "resident"). */
  isResident(addr: number): boolean {
    return this.pages.has(Math.floor(addr / PAGE_SIZE));
  }

  /** Page frames in [addr, addr+len). */
  countResident(addr: number, len: number): number {
    return this.framesIn(addr, addr + roundUp(len)).length;
  }

  /** Most page frames the guest may have (the machine's memory); OutOfMemory past it. */
  frameLimit = Infinity;

  /** A zeroed frame for a page that has none yet. */
  private newFrame(): Page {
    if (this.pages.size >= this.frameLimit) throw new OutOfMemory(this.frameLimit);
    let off = this.freeFrames.pop();
    if (off !== undefined) this.u8.fill(0, off, off + PAGE_SIZE);
    else {
      // The wasm memory is the host's hard bound (4 GiB less the state area).
      if (this.nextFrame + PAGE_SIZE > DECODED_ARENA) throw new OutOfMemory(Math.min(this.frameLimit, FRAME_CAPACITY));
      off = this.nextFrame;
      this.nextFrame += PAGE_SIZE;
    }
    const page = new Page(off);
    page.refs = 1;
    return page;
  }

  /** Page frames in use now (resident set). */
  get residentPages(): number {
    return this.pages.size;
  }

  /** Most page frames ever in use at once (ru_maxrss). */
  get peakResidentPages(): number {
    return Math.max(this.peakPages, this.pages.size);
  }
  private peakPages = 0;

  /** Give the (mapped) range [addr, addr+len) a new name, splitting and merging mappings. */
  rename(addr: number, len: number, name: string): void {
    const end = addr + roundUp(len);
    this.splitAt(addr);
    this.splitAt(end);
    for (const v of this.vmas) if (v.start >= addr && v.end <= end) v.name = name;
    for (let i = 0; i < this.vmas.length; i++) this.mergeAround(i);
  }

  /** Existing frames with page numbers in [start, end) / PAGE_SIZE. */
  private framesIn(start: number, end: number): [number, Page][] {
    const first = start / PAGE_SIZE;
    const last = end / PAGE_SIZE;
    const out: [number, Page][] = [];
    if (last - first < this.pages.size) {
      for (let p = first; p < last; p++) {
        const page = this.pages.get(p);
        if (page) out.push([p, page]);
      }
    } else {
      this.pages.forEach((page, p) => {
        if (p >= first && p < last) out.push([p, page]);
      });
    }
    return out;
  }

  /** Remove and return the frames of [start, end). */
  private takePages(start: number, end: number): [number, Page][] {
    this.peakPages = this.peakResidentPages;
    const frames = this.framesIn(start, end);
    for (const [p] of frames) {
      this.pages.delete(p);
      if (this.codePages.has(p)) this.invalidateCode(p);
    }
    return frames;
  }

  isFullyMapped(start: number, end: number): boolean {
    let cur = start;
    for (const v of this.vmas) {
      if (v.end <= cur) continue;
      if (v.start > cur) return false;
      cur = v.end;
      if (cur >= end) return true;
    }
    return cur >= end;
  }

  findVma(addr: number): Vma | undefined {
    let lo = 0;
    let hi = this.vmas.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const v = this.vmas[mid];
      if (addr < v.start) hi = mid - 1;
      else if (addr >= v.end) lo = mid + 1;
      else return v;
    }
    return undefined;
  }

  /** Mappings in address order (for /proc/self/maps and tests). */
  listVmas(): readonly Vma[] {
    return this.vmas;
  }

  /** Highest free gap of len bytes below `below`, or -1 (top-down like Linux's mmap). */
  findFreeTopDown(len: number, below: number, above = PAGE_SIZE * 16): number {
    len = roundUp(len);
    let ceiling = below;
    for (let i = this.vmas.length - 1; i >= -1; i--) {
      const v = i >= 0 ? this.vmas[i] : undefined;
      const floor = v ? v.end : above;
      if (v && v.start >= ceiling) continue;
      if (ceiling - Math.max(floor, above) >= len) return ceiling - len;
      if (!v) break;
      ceiling = Math.min(ceiling, v.start);
    }
    return -1;
  }

  isFree(start: number, end: number): boolean {
    for (const v of this.vmas) if (v.start < end && v.end > start) return false;
    return true;
  }

  private vmaIndexAfter(addr: number): number {
    let i = 0;
    while (i < this.vmas.length && this.vmas[i].start < addr) i++;
    return i;
  }

  private splitAt(addr: number): void {
    const v = this.findVma(addr);
    if (!v || v.start === addr) return;
    const i = this.vmas.indexOf(v);
    const tail: Vma = { ...v, start: addr, end: v.end };
    v.end = addr;
    this.vmas.splice(i + 1, 0, tail);
  }

  private mergeAround(i: number): void {
    const v = this.vmas[i];
    if (!v) return;
    const next = this.vmas[i + 1];
    if (next && next.start === v.end && next.prot === v.prot && next.name === v.name && next.bus === v.bus) {
      v.end = next.end;
      this.vmas.splice(i + 1, 1);
    }
    const prev = this.vmas[i - 1];
    if (prev && prev.end === v.start && prev.prot === v.prot && prev.name === v.name && prev.bus === v.bus) {
      prev.end = v.end;
      this.vmas.splice(i, 1);
    }
  }

  private dropPages(start: number, end: number): void {
    this.peakPages = this.peakResidentPages; // frames only ever disappear here and in takePages
    const first = start / PAGE_SIZE;
    const last = end / PAGE_SIZE;
    if (last - first < this.pages.size) {
      for (let p = first; p < last; p++) {
        this.release(this.pages.get(p));
        this.pages.delete(p);
        if (this.codePages.has(p)) this.invalidateCode(p);
      }
    } else {
      // Deleting the entry just visited is safe while iterating a Map; no copy of the whole
      // resident set (Go unmaps 64 MiB reservations by the dozen while 10 MB of it is
      // resident), and forEach, where for-of allocated an entry array per resident page.
      this.pages.forEach((page, p) => {
        if (p >= first && p < last) {
          this.release(page);
          this.pages.delete(p);
          if (this.codePages.has(p)) this.invalidateCode(p);
        }
      });
    }
  }

  /** Entries filled since the last flush (a flush clears just these), or -1 once that list overflowed. */
  private rFilled = new Int32Array(TLB_SIZE / 4);
  private rCount = 0;
  private wFilled = new Int32Array(TLB_SIZE / 4);
  private wCount = 0;

  flushTlb(): void {
    if (this.rCount < 0) {
      this.rTag.fill(NaN);
      this.wasmTlbR.fill(-1);
    } else for (let k = 0; k < this.rCount; k++) clearEntry(this.rTag, this.wasmTlbR, this.rFilled[k]);
    if (this.wCount < 0) {
      this.wTag.fill(NaN);
      this.wasmTlbW.fill(-1);
    } else for (let k = 0; k < this.wCount; k++) clearEntry(this.wTag, this.wasmTlbW, this.wFilled[k]);
    this.rCount = 0;
    this.wCount = 0;
  }

  // ---------- page resolution (slow path) ----------

  /** The page frame for pageNo if `prot` is allowed there; throws MemoryFault otherwise. */
  private frame(addr: number, prot: number, access: Access): Page {
    if (!(addr >= 0 && addr < USER_TOP)) throw new MemoryFault(addr, access, SEGV_MAPERR);
    const v = this.findVma(addr);
    if (!v) throw new MemoryFault(addr, access, SEGV_MAPERR);
    if ((v.prot & prot) !== prot) throw new MemoryFault(addr, access, SEGV_ACCERR);
    if (v.bus) throw new MemoryFault(addr, access, 0, true);
    const pageNo = Math.floor(addr / PAGE_SIZE);
    let page = this.pages.get(pageNo);
    if (!page) {
      page = this.newFrame();
      this.pages.set(pageNo, page);
    }
    return page;
  }

  /** Fill both read TLBs for addr's page; returns the frame's offset. */
  private fillR(addr: number): number {
    const page = this.frame(addr, PROT_READ, 'read');
    const pageNo = Math.floor(addr / PAGE_SIZE);
    const i = pageNo & TLB_MASK;
    this.rTag[i] = pageNo;
    this.rOff[i] = page.off;
    setWasmEntry(this.wasmTlbR, i, pageNo, page.off);
    if (this.rCount >= 0) this.rCount < this.rFilled.length ? (this.rFilled[this.rCount++] = i) : (this.rCount = -1);
    return page.off;
  }

  /** Fill both write TLBs for addr's page (a page with decoded code stays out of them). */
  private fillW(addr: number): number {
    const page = this.frame(addr, PROT_WRITE, 'write');
    const pageNo = Math.floor(addr / PAGE_SIZE);
    if (this.codePages.has(pageNo)) {
      this.invalidateCode(pageNo);
    }
    const i = pageNo & TLB_MASK;
    this.wTag[i] = pageNo;
    this.wOff[i] = page.off;
    setWasmEntry(this.wasmTlbW, i, pageNo, page.off);
    if (this.wCount >= 0) this.wCount < this.wFilled.length ? (this.wFilled[this.wCount++] = i) : (this.wCount = -1);
    return page.off;
  }

  private invalidateCode(pageNo: number): void {
    this.codePages.delete(pageNo);
    this.onCodeInvalidate(pageNo);
  }

  /** Mark a page as holding decoded code (called by the decode cache). */
  markCode(pageNo: number): void {
    this.codePages.add(pageNo);
    const i = pageNo & TLB_MASK;
    if (this.wTag[i] === pageNo) this.wTag[i] = NaN;
    if (wasmEntryHolds(this.wasmTlbW, i, pageNo)) this.wasmTlbW[4 * i] = this.wasmTlbW[4 * i + 1] = -1;
  }

  // ---------- CPU accessors (hot) ----------

  ld8(addr: number): number {
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = this.rTag[i] === p ? this.rOff[i] : this.fillR(addr);
    return this.dv.getInt8(o + (addr & 4095));
  }
  ld8u(addr: number): number {
    return this.ld8(addr) & 0xff;
  }
  ld16(addr: number): number {
    const off = addr & 4095;
    if (off > 4094) return (this.ld8u(addr) | (this.ld8(addr + 1) << 8));
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = this.rTag[i] === p ? this.rOff[i] : this.fillR(addr);
    return this.dv.getInt16(o + off, true);
  }
  ld16u(addr: number): number {
    return this.ld16(addr) & 0xffff;
  }
  ld32(addr: number): number {
    const off = addr & 4095;
    if (off > 4092) return this.ld32Slow(addr);
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = this.rTag[i] === p ? this.rOff[i] : this.fillR(addr);
    return this.dv.getInt32(o + off, true);
  }
  private ld32Slow(addr: number): number {
    return this.ld8u(addr) | (this.ld8u(addr + 1) << 8) | (this.ld8u(addr + 2) << 16) | (this.ld8u(addr + 3) << 24);
  }
  /** Load 64 bits into dst[slot] (low) and dst[slot+1] (high). */
  ld64(addr: number, dst: Int32Array, slot: number): void {
    const off = addr & 4095;
    if (off > 4088) {
      const lo = this.ld32(addr);
      dst[slot + 1] = this.ld32(addr + 4);
      dst[slot] = lo;
      return;
    }
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = (this.rTag[i] === p ? this.rOff[i] : this.fillR(addr)) + off;
    dst[slot] = this.dv.getInt32(o, true);
    dst[slot + 1] = this.dv.getInt32(o + 4, true);
  }

  st8(addr: number, val: number): void {
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = this.wTag[i] === p ? this.wOff[i] : this.fillW(addr);
    this.dv.setInt8(o + (addr & 4095), val);
  }
  st16(addr: number, val: number): void {
    const off = addr & 4095;
    if (off > 4094) {
      this.probeW(addr, 2);
      this.st8(addr, val);
      this.st8(addr + 1, val >> 8);
      return;
    }
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = this.wTag[i] === p ? this.wOff[i] : this.fillW(addr);
    this.dv.setInt16(o + off, val, true);
  }
  st32(addr: number, val: number): void {
    const off = addr & 4095;
    if (off > 4092) {
      this.probeW(addr, 4);
      for (let k = 0; k < 4; k++) this.st8(addr + k, val >> (8 * k));
      return;
    }
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = this.wTag[i] === p ? this.wOff[i] : this.fillW(addr);
    this.dv.setInt32(o + off, val, true);
  }
  st64(addr: number, lo: number, hi: number): void {
    const off = addr & 4095;
    if (off > 4088) {
      this.probeW(addr, 8);
      this.st32(addr, lo);
      this.st32(addr + 4, hi);
      return;
    }
    const p = Math.floor(addr / PAGE_SIZE);
    const i = p & TLB_MASK;
    const o = (this.wTag[i] === p ? this.wOff[i] : this.fillW(addr)) + off;
    this.dv.setInt32(o, lo, true);
    this.dv.setInt32(o + 4, hi, true);
  }
  /** Fault before a page-crossing store writes anything (stores are all-or-nothing). */
  private probeW(addr: number, len: number): void {
    this.fillW(addr);
    this.fillW(addr + len - 1);
  }

  /** The frame offset of an executable page (faults like a fetch): decoding reads a page's parcels with frameU16. */
  frameOffset(addr: number): number {
    return this.frame(addr, PROT_EXEC, 'exec').off;
  }
  frameU16(offset: number): number {
    return this.dv.getUint16(offset, true);
  }

  /** Instruction fetch of a 16-bit parcel (needs PROT_EXEC). */
  fetch16(addr: number): number {
    const page = this.frame(addr, PROT_EXEC, 'exec');
    return this.dv.getUint16(page.off + (addr & 4095), true);
  }

  // ---------- kernel accessors (bulk, permission-checked) ----------

  /** Throws MemoryFault unless every byte of [addr, addr+len) allows `prot`. */
  check(addr: number, len: number, prot: number): void {
    if (len <= 0) return;
    const access: Access = prot & PROT_WRITE ? 'write' : 'read';
    if (!(addr >= 0 && addr + len <= USER_TOP)) throw new MemoryFault(addr, access, SEGV_MAPERR);
    let a = addr;
    const end = addr + len;
    while (a < end) {
      const v = this.findVma(a);
      if (!v) throw new MemoryFault(a, access, SEGV_MAPERR);
      if ((v.prot & prot) !== prot) throw new MemoryFault(a, access, SEGV_ACCERR);
      if (v.bus) throw new MemoryFault(a, access, 0, true);
      a = v.end;
    }
  }

  /** Copy guest bytes out; throws MemoryFault if any byte is unreadable. */
  read(addr: number, len: number): Uint8Array {
    this.check(addr, len, PROT_READ);
    const out = new Uint8Array(len);
    let done = 0;
    while (done < len) {
      const a = addr + done;
      const off = a & 4095;
      const n = Math.min(len - done, PAGE_SIZE - off);
      const page = this.pages.get(Math.floor(a / PAGE_SIZE));
      if (page) out.set(this.u8.subarray(page.off + off, page.off + off + n), done);
      done += n;
    }
    return out;
  }

  /** Copy bytes into the guest; throws MemoryFault (before writing) if any byte is unwritable. */
  write(addr: number, data: Uint8Array): void {
    this.check(addr, data.length, PROT_WRITE);
    this.writeUnchecked(addr, data);
  }

  /** Write ignoring protection (loader, kernel-owned pages); the range must be mapped. */
  writeUnchecked(addr: number, data: Uint8Array): void {
    let done = 0;
    while (done < data.length) {
      const a = addr + done;
      const off = a & 4095;
      const n = Math.min(data.length - done, PAGE_SIZE - off);
      const pageNo = Math.floor(a / PAGE_SIZE);
      let page = this.pages.get(pageNo);
      if (!page) {
        if (!this.findVma(a)) throw new MemoryFault(a, 'write', SEGV_MAPERR);
        page = this.newFrame();
        this.pages.set(pageNo, page);
      }
      this.u8.set(data.subarray(done, done + n), page.off + off);
      if (this.codePages.has(pageNo)) this.invalidateCode(pageNo);
      done += n;
    }
  }

  /** NUL-terminated string of at most max bytes (without the NUL); throws MemoryFault. */
  readCString(addr: number, max = 4096): Uint8Array {
    const bytes: number[] = [];
    for (let a = addr; bytes.length < max; a++) {
      const b = this.ld8u(a);
      if (b === 0) return Uint8Array.from(bytes);
      bytes.push(b);
    }
    throw new StringTooLong(max);
  }

  readU32(addr: number): number {
    return this.ld32(addr) >>> 0;
  }
  /** 64-bit value as a number (exact below 2^53). */
  readU64(addr: number): number {
    const lo = this.ld32(addr) >>> 0;
    return (this.ld32(addr + 4) >>> 0) * 4294967296 + lo;
  }
  readBig64(addr: number): bigint {
    const lo = BigInt(this.ld32(addr) >>> 0);
    return (BigInt(this.ld32(addr + 4)) << 32n) | lo;
  }
}

export class StringTooLong extends Error {
  constructor(readonly max: number) {
    super(`string longer than ${max} bytes`);
  }
}

function clearEntry(tag: Float64Array, wasmTlb: Int32Array, i: number): void {
  tag[i] = NaN;
  wasmTlb[4 * i] = wasmTlb[4 * i + 1] = -1;
}

/**
 * A compiled-code TLB entry: the page's base address as an i64 tag (pages are below 2^26, so
 * the high word is pageNo >> 20) and the addend that turns a guest address in the page into
 * the frame's host address (frame offset less the base, mod 2^32).
 */
function setWasmEntry(tlb: Int32Array, i: number, pageNo: number, off: number): void {
  const baseLo = (pageNo << 12) | 0;
  tlb[4 * i] = baseLo;
  tlb[4 * i + 1] = pageNo >>> 20;
  tlb[4 * i + 2] = (off - baseLo) | 0;
}

/** Whether a compiled-code TLB entry holds pageNo. */
function wasmEntryHolds(tlb: Int32Array, i: number, pageNo: number): boolean {
  return tlb[4 * i] === ((pageNo << 12) | 0) && tlb[4 * i + 1] === pageNo >>> 20;
}

export function roundUp(n: number): number {
  return Math.ceil(n / PAGE_SIZE) * PAGE_SIZE;
}
