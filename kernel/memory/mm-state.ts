// The memory module's part of the kernel state (Linux's mm_struct beyond the page tables).
//
// emulator/memory.ts keeps mappings (start, end, prot, name) and page frames. What Linux
// also knows about a mapping and the syscalls here need — what backs it, whether it is
// mlocked — is kept in `attrs`, a range map beside it. No entry means private anonymous
// and unlocked, which is what the loader's segments, the stack and the heap are.

import type { OpenFile } from '../vfs/fd-table.ts';
import { RangeMap } from './range-map.ts';
import { AnonPages, SharedObject } from './shared.ts';

export type Backing =
  /** Private anonymous memory (also ELF segments, stack, heap). */
  | { kind: 'anon' }
  /**
   * MAP_SHARED: a shmem object (one per anonymous mmap) or a tmpfs file's pages (shared.ts);
   * `offset` of the range start in it; `file` for a file (held by the mapping, as vm_file).
   */
  | { kind: 'shared'; obj: SharedObject; offset: number; file?: OpenFile }
  /** MAP_PRIVATE of a file: `offset` of the range start in the file. */
  | { kind: 'file'; file: OpenFile; offset: number };

export interface MapAttrs {
  backing: Backing;
  /** VM_LOCKED (mlock, MAP_LOCKED, mlockall). */
  locked: boolean;
  /** VM_LOCKONFAULT (mlock2(MLOCK_ONFAULT), mlockall(MCL_ONFAULT)): locked but not populated. */
  onFault: boolean;
}

export const ANON: Backing = { kind: 'anon' };

/** The open file a mapping keeps alive. */
function heldFile(b: Backing): OpenFile | undefined {
  return b.kind === 'file' || b.kind === 'shared' ? b.file : undefined;
}
export const PLAIN: MapAttrs = { backing: ANON, locked: false, onFault: false };

function backingAt(b: Backing, delta: number): Backing {
  return b.kind === 'anon' ? b : { ...b, offset: b.offset + delta };
}

/** Attributes of the memory `delta` bytes further on in the same mapping (file/shm offsets advance). */
export function shifted(a: MapAttrs, delta: number): MapAttrs {
  return a.backing.kind === 'anon' || delta === 0 ? a : { ...a, backing: backingAt(a.backing, delta) };
}

function continues(a: Backing, b: Backing, len: number): boolean {
  if (a.kind === 'anon' || b.kind === 'anon') return a.kind === b.kind;
  if (a.kind === 'shared' && b.kind === 'shared') return a.obj === b.obj && b.offset === a.offset + len;
  if (a.kind === 'file' && b.kind === 'file') return a.file === b.file && b.offset === a.offset + len;
  return false;
}

/** Default machine memory when --mem is not given: what sysinfo and _SC_PHYS_PAGES report. */
export const DEFAULT_RAM_BYTES = 4 * 1024 ** 3;

export class MmState {
  readonly attrs = new RangeMap<MapAttrs>({
    at: shifted,
    joins: (a, b, len) => a.locked === b.locked && a.onFault === b.onFault && continues(a.backing, b.backing, len),
  });
  /** --mem: the machine's memory, and a cap on mapped bytes (ENOMEM past it, like RLIMIT_AS). */
  ramBytes = DEFAULT_RAM_BYTES;
  limitBytes = Infinity;
  /** mlockall(MCL_FUTURE [| MCL_ONFAULT]): mm->def_flags VM_LOCKED [| VM_LOCKONFAULT]. */
  lockFuture = false;
  lockFutureOnFault = false;
  /** Mappings of shared memory (shared.ts syncs nothing in a process without any). */
  sharedMappings = 0;
  /** Files that mappings refer to, each held once (the mapping keeps the description alive). */
  private readonly held = new Set<OpenFile>();
  /** Mappings (attribute entries) of each object with an observer (System V segments), as last told. */
  private observed = new Map<SharedObject, number>();

  /** --mem: the machine has `bytes` of memory, and the guest may map no more than that. */
  setMachineMemory(bytes: number): void {
    this.ramBytes = bytes;
    this.limitBytes = bytes;
  }

  /** Attributes of the memory starting at addr (PLAIN where nothing is recorded). */
  at(addr: number): MapAttrs {
    const e = this.attrs.find(addr);
    return e ? shifted(e.value, addr - e.start) : PLAIN;
  }

  /** Record a new mapping's attributes over [start, end). */
  record(start: number, end: number, attrs: MapAttrs): void {
    const file = heldFile(attrs.backing);
    if (file && !this.held.has(file)) {
      file.hold();
      this.held.add(file);
    }
    this.attrs.set(start, end, isPlain(attrs) ? undefined : attrs);
    this.releaseUnmapped();
  }

  /** Forget [start, end) (munmap). */
  forget(start: number, end: number): void {
    this.attrs.set(start, end, undefined);
    this.releaseUnmapped();
  }

  move(from: number, to: number, len: number): void {
    this.attrs.move(from, to, len);
    this.releaseUnmapped();
  }

  /**
   * dup_mmap() for fork: the same mapping attributes (each file held again), mlocks not
   * inherited (VM_LOCKED is cleared in the child, as mlock(2) says) and no mlockall(MCL_FUTURE).
   */
  clone(): MmState {
    const m = new MmState();
    m.ramBytes = this.ramBytes;
    m.limitBytes = this.limitBytes;
    for (const e of this.attrs.all()) m.record(e.start, e.end, { ...e.value, locked: false, onFault: false });
    return m;
  }

  /** A new shmem object (MAP_SHARED|MAP_ANONYMOUS, shared /dev/zero). */
  newShm(): SharedObject {
    return new SharedObject(new AnonPages());
  }

  /** Bytes mlocked (mm->locked_vm). */
  lockedBytes(): number {
    let n = 0;
    for (const e of this.attrs.all()) if (e.value.locked) n += e.end - e.start;
    return n;
  }

  /** Defaults for a new mapping: locked when mlockall(MCL_FUTURE) is in force. */
  fresh(backing: Backing): MapAttrs {
    return { backing, locked: this.lockFuture, onFault: this.lockFuture && this.lockFutureOnFault };
  }

  private releaseUnmapped(): void {
    this.sharedMappings = this.attrs.all().filter((e) => e.value.backing.kind === 'shared').length;
    this.notifyObservers();
    if (this.held.size === 0) return;
    const inUse = new Set<OpenFile>();
    for (const e of this.attrs.all()) {
      const file = heldFile(e.value.backing);
      if (file) inUse.add(file);
    }
    for (const f of this.held) {
      if (!inUse.has(f)) {
        this.held.delete(f);
        f.unhold();
      }
    }
  }

  /** Tell each observed object how many of its mappings came or went (shared.ts MappingObserver). */
  private notifyObservers(): void {
    const counts = new Map<SharedObject, number>();
    if (this.sharedMappings > 0) {
      for (const e of this.attrs.all()) {
        const b = e.value.backing;
        if (b.kind === 'shared' && b.obj.observer) counts.set(b.obj, (counts.get(b.obj) ?? 0) + 1);
      }
    }
    if (counts.size === 0 && this.observed.size === 0) return;
    const before = this.observed;
    this.observed = counts;
    for (const [obj, n] of before) if (!counts.has(obj)) obj.observer!.mapped(-n);
    for (const [obj, n] of counts) {
      const d = n - (before.get(obj) ?? 0);
      if (d !== 0) obj.observer!.mapped(d);
    }
  }
}

function isPlain(a: MapAttrs): boolean {
  return a.backing.kind === 'anon' && !a.locked && !a.onFault;
}

/** Parse a --mem size: bytes, or a number with K/M/G/T (binary units). */
export function parseMemSize(text: string): number | undefined {
  const m = /^(\d+(?:\.\d+)?)([KMGT]?)i?B?$/i.exec(text.trim());
  if (!m) return undefined;
  const unit = { '': 1, K: 2 ** 10, M: 2 ** 20, G: 2 ** 30, T: 2 ** 40 }[m[2].toUpperCase() as '' | 'K' | 'M' | 'G' | 'T'];
  const bytes = Math.floor(Number(m[1]) * unit);
  return bytes > 0 && Number.isSafeInteger(bytes) ? bytes : undefined;
}
