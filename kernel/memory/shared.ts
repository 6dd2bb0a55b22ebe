// MAP_SHARED memory between processes: shmem objects (MAP_SHARED|MAP_ANONYMOUS, /dev/zero
// shared, System V segments) and tmpfs files (/dev/shm, /tmp, memfd) mapped shared.
//
// Every process has a WebAssembly memory of its own, so two processes cannot point at one
// frame. Each process's frames of a shared mapping are a copy of the object's pages, kept
// exact the way one CPU allows: only one process runs at a time, so
//   - when the CPU leaves a process for another address space, its frames of shared
//     mappings are written to the objects (syncOut), and the process switched in copies the
//     objects' pages into its frames (syncIn) — what it reads is what the others last wrote;
//   - a mapping that goes away (munmap, MAP_FIXED over it, exit, exec) is written out first;
//   - a tmpfs file's own reads see the running process's mapped frames, and its writes,
//     truncations and punched holes reach them (TmpNode.mapped hooks), as read(2) and a
//     shared mapping see one page cache on Linux.
// Inside one process, two mappings of one object share frames (Memory.share), so a write
// through one is seen through the other at once.

import { PAGE_SIZE, type Memory } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import type { OpenFile } from '../vfs/fd-table.ts';
import { TmpNode } from '../vfs/tmpfs.ts';
import { HostNode } from '../vfs/hostfs.ts';
import type { MmState } from './mm-state.ts';

/** Pages of a shared object by page index (offset / PAGE_SIZE); a missing page reads as zeros. */
export interface PageStore {
  get(p: number): Uint8Array | undefined;
  /** Write a page's contents (a frame written out). */
  put(p: number, bytes: Uint8Array): void;
  /** Drop the page (a hole again: MADV_REMOVE). */
  drop(p: number): void;
}

/** Anonymous shared memory's pages (shmem without a name). */
export class AnonPages implements PageStore {
  private readonly pages = new Map<number, Uint8Array>();
  get(p: number): Uint8Array | undefined {
    return this.pages.get(p);
  }
  put(p: number, bytes: Uint8Array): void {
    this.take(p).set(bytes);
  }
  private take(p: number): Uint8Array {
    let page = this.pages.get(p);
    if (!page) this.pages.set(p, (page = new Uint8Array(PAGE_SIZE)));
    return page;
  }
  drop(p: number): void {
    this.pages.delete(p);
  }
  /** Pages present (shmem's nrpages: SHM_INFO's shm_rss). */
  get count(): number {
    return this.pages.size;
  }
}

let nextObjectId = 1;

/**
 * Told when the number of an address space's mappings of an object changes (MmState counts
 * its attribute entries backed by the object): a System V segment counts its attachments so,
 * as Linux's shm_open/shm_close (vm_ops open at fork and split, close at munmap, exit, exec).
 */
export interface MappingObserver {
  mapped(delta: number): void;
}

/** One shared memory object: what MAP_SHARED mappings of it (in any process) show. */
export class SharedObject {
  readonly id = nextObjectId++;
  /** Set for System V segments (kernel/ipc/shm.ts). */
  observer?: MappingObserver;
  /** @param size its size in bytes where it has one of its own (a System V segment's shm_segsz) */
  constructor(
    readonly store: PageStore,
    readonly size?: number,
  ) {}
}

/** A process's view of its memory for syncing: its page frames and mapping attributes. */
export interface AddressSpace {
  mem: Memory;
  mm: MmState;
}

/** Which shared pages a sync covers: an object's (all of them, or the object pages [first, last)), or those mapped in [start, end). */
export interface SyncScope {
  obj?: SharedObject;
  first?: number;
  last?: number;
  start?: number;
  end?: number;
}

/** The shared mappings of `as` in the scope, page by page: fn(addr, object, page index in the object). */
function eachSharedPage(as: AddressSpace, scope: SyncScope, fn: (addr: number, obj: SharedObject, p: number) => void): void {
  if (as.mm.sharedMappings === 0) return;
  const { obj, first = 0, last = Infinity, start = 0, end = Infinity } = scope;
  for (const e of as.mm.attrs.all()) {
    const b = e.value.backing;
    if (b.kind !== 'shared' || (obj && b.obj !== obj) || e.end <= start || e.start >= end) continue;
    for (let a = Math.max(e.start, start); a < Math.min(e.end, end); a += PAGE_SIZE) {
      const p = (b.offset + (a - e.start)) / PAGE_SIZE;
      if (p >= first && p < last) fn(a, b.obj, p);
    }
  }
}

/** Write the frames of `as`'s shared mappings in the scope to their objects. */
export function syncOut(as: AddressSpace, scope: SyncScope = {}): void {
  eachSharedPage(as, scope, (addr, o, p) => {
    const frame = as.mem.frameView(addr);
    if (frame) o.store.put(p, frame);
  });
}

/** Copy the objects' pages into the frames of `as`'s shared mappings in the scope; holes read as zeros. */
export function syncIn(as: AddressSpace, scope: SyncScope = {}): void {
  eachSharedPage(as, scope, (addr, o, p) => {
    const page = o.store.get(p);
    if (page) as.mem.writeUnchecked(addr, page);
    else if (as.mem.isResident(addr)) as.mem.zero(addr, PAGE_SIZE);
  });
}

/**
 * The CPU moves from one address space to another: what the first wrote to shared memory
 * becomes what the second sees.
 */
export function switchAddressSpace(from: AddressSpace, to: AddressSpace): void {
  syncOut(from);
  syncIn(to);
}

/**
 * The page range [start, end) of a new shared mapping of obj at `offset`: pages of obj that
 * the process already maps elsewhere share those frames (as one page cache page would be
 * mapped twice), so a write through either mapping is seen through both at once.
 */
export function shareWithExisting(as: AddressSpace, obj: SharedObject, offset: number, start: number, end: number): void {
  for (const e of as.mm.attrs.all()) {
    const b = e.value.backing;
    if (b.kind !== 'shared' || b.obj !== obj || (e.start < end && e.end > start)) continue;
    // Object bytes both mappings show: [lo, hi).
    const lo = Math.max(b.offset, offset);
    const hi = Math.min(b.offset + (e.end - e.start), offset + (end - start));
    if (lo < hi) as.mem.share(e.start + (lo - b.offset), start + (lo - offset), hi - lo);
  }
}

/** Each tmpfs file's shared object, made when it is first mapped MAP_SHARED. */
const fileObjects = new WeakMap<TmpNode | HostNode, SharedObject>();

/**
 * The shared object of a file mapped MAP_SHARED: a tmpfs file's pages, or a host file's
 * (read and written through descriptors of the object's own), whose reads and changes from
 * then on keep the running process's frames in step; undefined for files zerosys cannot map
 * shared (/proc, devices).
 */
export function sharedObjectOf(k: SyscallContext, file: OpenFile): SharedObject | undefined {
  const node = file.loc?.node;
  if (!(node instanceof TmpNode) && !(node instanceof HostNode)) return undefined;
  let obj = fileObjects.get(node);
  if (obj) return obj;
  const store = node.pageStore();
  const o = new SharedObject(store);
  fileObjects.set(node, o);
  const procs = k.state.procs;
  if (node instanceof HostNode) {
    const host = store as ReturnType<HostNode['pageStore']>;
    procs.onEnd(() => {
      host.close(); // the host descriptors go with the run, and the object with them
      fileObjects.delete(node);
      node.mapped = undefined;
    });
  }
  const running = (): AddressSpace => ({ mem: procs.current.machine.mem, mm: procs.current.state.mm });
  // The stores read and write the file's pages directly (a host file's through descriptors
  // of their own), never through these hooks, so a sync never starts another.
  node.mapped = {
    beforeAccess: (offset, len) => syncOut(running(), { obj: o, ...pageRange(offset, len) }),
    afterChange: (offset, len) => syncIn(running(), { obj: o, ...pageRange(offset, len) }),
  };
  return o;
}

/** File bytes [offset, offset+len) as the object's pages [first, last) (len may be Infinity: every page from offset). */
function pageRange(offset: number, len: number): { first: number; last: number } {
  return { first: Math.floor(offset / PAGE_SIZE), last: len === Infinity ? Infinity : Math.ceil((offset + len) / PAGE_SIZE) };
}

/**
 * The run is over: every live process's frames of shared mappings are written to their
 * objects, so a host file mapped MAP_SHARED holds what the guest wrote through the mapping
 * (Linux writes dirty pages back; nothing of the guest outlives the run otherwise).
 */
export function flushSharedMappings(spaces: AddressSpace[]): void {
  for (const as of spaces) syncOut(as);
}
