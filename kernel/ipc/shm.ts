// System V shared memory: the segments (Linux 6.1 ipc/shm.c). The syscalls are shmget.ts,
// shmat.ts, shmdt.ts and shmctl.ts.
//
// A segment is a shmem object: a SharedObject with anonymous pages (kernel/memory/shared.ts),
// mapped MAP_SHARED by shmat as an anonymous shared mmap is, so the pages are kept in step
// between processes the same way. Attachments are counted as Linux counts them: shm_nattch is
// the number of VMAs mapping the segment in every address space (shm_open at attach, fork and
// a split; shm_close at munmap, exit and exec). Here each process's MmState tells the segment
// (its MappingObserver) whenever the number of its attribute entries backed by the segment
// changes — record (shmat, MAP_FIXED over it), forget (munmap, shmdt), clone (fork) — and
// exitShm() drops an address space's attachments when its last user exits or execs.
// Differences: an mprotect that splits an attachment does not count as a second VMA here
// (attributes do not split on protection), so shm_nattch stays 1 where Linux shows 2.

import { PAGE_SIZE } from '../../emulator/memory.ts';
import type { Memory } from '../../emulator/memory.ts';
import { SHMMIN, SHMMNI, SHM_HUGETLB, SHM_NORESERVE } from '../abi.ts';
import { E } from '../errno.ts';
import { AnonPages, SharedObject, syncOut } from '../memory/shared.ts';
import type { Credentials } from '../process/credentials.ts';
import type { Process, ProcessTable } from '../process/process-table.ts';
import type { KernelState } from '../state.ts';
import { IpcIds, ipcNamespace, newPerm, type IpcNamespace, type KernIpcPerm } from './namespace.ts';
import { realSeconds } from './msg.ts';

/** include/uapi/linux/shm.h: SHMMAX and SHMALL, ULONG_MAX - (1UL << 24) (bytes; pages), the boot defaults of kernel.shmmax/shmall. */
export const SHMMAX = (1n << 64n) - 1n - (1n << 24n);
export const SHMALL = SHMMAX;
/** include/asm-generic/shmparam.h (riscv has no asm/shmparam.h of its own): SHMLBA = PAGE_SIZE. */
export const SHMLBA = PAGE_SIZE;
/** ipc/shm.c: the shm_mode upper byte flags. */
export const SHM_DEST = 0o1000;
export const SHM_LOCKED = 0o2000;
/** MAX_LFS_FILESIZE on 64-bit (LLONG_MAX): __shmem_file_setup() refuses larger sizes (EINVAL). */
const MAX_LFS_FILESIZE = (1n << 63n) - 1n;
const PAGE_SHIFT = 12n;

/** The boot defaults (shm_init_ns); the kernel.shm* sysctls cannot be changed here. */
export const SHM_LIMITS = { ctlmax: SHMMAX, ctlall: SHMALL, ctlmni: SHMMNI } as const;

/** struct shmid_kernel. */
export class ShmSegment {
  atime = 0n;
  dtime = 0n;
  /** shm_lprid: the last process to attach or detach (0: none yet). */
  lprid = 0;
  nattch = 0;
  /** The user charged for SHM_LOCK (mlock_user), undefined when unlocked. */
  mlockUser?: number;
  constructor(
    readonly perm: KernIpcPerm,
    /** shm_segsz (size_t). */
    readonly segsz: bigint,
    readonly obj: SharedObject,
    public ctime: bigint,
    readonly cprid: number,
    /** The key it was made with (perm.key becomes IPC_PRIVATE at IPC_RMID; the shmem file keeps its name). */
    readonly key: number,
  ) {}

  /** Pages the segment counts in shm_tot: (shm_segsz + PAGE_SIZE - 1) >> PAGE_SHIFT. */
  get pages(): bigint {
    return (this.segsz + BigInt(PAGE_SIZE) - 1n) >> PAGE_SHIFT;
  }

  /** What its mappings show in /proc/PID/maps: the deleted shmem file "SYSV%08x" of newseg's key. */
  get mapName(): string {
    return shmMapName(this.key);
  }
}

/** The shared-memory part of the namespace: ids, shm_tot, and the SHM_LOCK charges per user. */
export class ShmState {
  readonly ids = new IpcIds<ShmSegment>();
  /** shm_tot: pages of all segments. */
  tot = 0n;
  /** Pages locked with SHM_LOCK per uid (user_shm_lock's UCOUNT_RLIMIT_MEMLOCK count). */
  readonly lockedPages = new Map<number, bigint>();
  /**
   * The process whose address space is changing when it is not the running one (exitShm for
   * a process killed by another): shm_lprid is the tgid of the task doing shm_open/shm_close.
   */
  actor?: number;
}

export function shmState(ns: IpcNamespace): ShmState {
  return ns.kind('shm', () => new ShmState());
}

export function shmStateOf(state: KernelState): ShmState {
  return shmState(ipcNamespace(state.procs));
}

/** "/SYSV%08x (deleted)": what Linux's /proc/PID/maps shows for an attachment (an unlinked shmem file named by the key). */
export function shmMapName(key: number): string {
  return `/SYSV${(key >>> 0).toString(16).padStart(8, '0')} (deleted)`;
}

/**
 * newseg(), in its order: size < SHMMIN or > shm_ctlmax EINVAL; numpages overflowing or shm_tot
 * past shm_ctlall ENOSPC; SHM_HUGETLB stops (no hugetlbfs); __shmem_file_setup(): a size past
 * MAX_LFS_FILESIZE EINVAL, then shmem_acct_size() unless SHM_NORESERVE — __vm_enough_memory()
 * in the default heuristic mode (OVERCOMMIT_GUESS): more pages than the machine's RAM (no swap)
 * ENOMEM; then ipc_addid() (ENOSPC past SHMMNI); the id.
 */
export function newseg(ss: ShmState, state: KernelState, creds: Credentials, key: number, size: bigint, shmflg: number, unsupported: (what: string) => never): number {
  if (size < BigInt(SHMMIN) || size > SHM_LIMITS.ctlmax) return -E.EINVAL;
  const numpages = (size + BigInt(PAGE_SIZE) - 1n) >> PAGE_SHIFT;
  if (numpages << PAGE_SHIFT < size) return -E.ENOSPC;
  if (ss.tot + numpages > SHM_LIMITS.ctlall) return -E.ENOSPC;
  if (shmflg & SHM_HUGETLB) unsupported('flag SHM_HUGETLB (no hugetlbfs)');
  if (size > MAX_LFS_FILESIZE) return -E.EINVAL;
  if (!(shmflg & SHM_NORESERVE) && numpages > BigInt(Math.floor(state.mm.ramBytes / PAGE_SIZE))) return -E.ENOMEM;
  const obj = new SharedObject(new AnonPages(), size <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(size) : Number.MAX_SAFE_INTEGER);
  const seg = new ShmSegment(newPerm(key, shmflg), size, obj, realSeconds(state), state.pid, key);
  const idx = ss.ids.add(seg, SHM_LIMITS.ctlmni, creds);
  if (idx < 0) return idx;
  ss.tot += numpages;
  const procs = state.procs;
  obj.observer = { mapped: (delta) => shmMapped(ss, seg, delta, procs) };
  return seg.perm.id;
}

/**
 * shm_open() (delta > 0: shmat's mapping, a fork's copy, a split) and shm_close() (delta < 0):
 * shm_atim or shm_dtim now, shm_lprid the acting process, shm_nattch; the segment goes at its
 * last detach once IPC_RMID marked it SHM_DEST (shm_may_destroy, with shm_rmid_forced 0).
 */
function shmMapped(ss: ShmState, seg: ShmSegment, delta: number, procs: ProcessTable): void {
  if (seg.perm.deleted) return;
  const now = realSeconds(procs.current.state);
  if (delta > 0) seg.atime = now;
  else seg.dtime = now;
  seg.lprid = ss.actor ?? procs.current.pid;
  seg.nattch += delta;
  if (seg.nattch <= 0 && seg.perm.mode & SHM_DEST) shmDestroy(ss, seg);
}

/** shm_destroy(): out of the ids, its pages out of shm_tot, an SHM_LOCK charge given back. */
export function shmDestroy(ss: ShmState, seg: ShmSegment): void {
  ss.tot -= seg.pages;
  ss.ids.rmid(seg);
  unlockCharge(ss, seg);
}

/** do_shm_rmid(): attached, it is marked SHM_DEST and its key becomes IPC_PRIVATE (ipc_set_key_private); else destroyed now. */
export function doShmRmid(ss: ShmState, seg: ShmSegment): void {
  if (seg.nattch > 0) {
    seg.perm.mode |= SHM_DEST;
    ss.ids.setKeyPrivate(seg);
  } else shmDestroy(ss, seg);
}

/** user_shm_unlock() through shmem_lock(file, 0, mlock_user). */
export function unlockCharge(ss: ShmState, seg: ShmSegment): void {
  if (seg.mlockUser === undefined) return;
  const left = (ss.lockedPages.get(seg.mlockUser) ?? 0n) - seg.pages;
  if (left > 0n) ss.lockedPages.set(seg.mlockUser, left);
  else ss.lockedPages.delete(seg.mlockUser);
  seg.mlockUser = undefined;
  seg.perm.mode &= ~SHM_LOCKED;
}

/** The segment whose pages obj is, if it is one. */
export function isShmObject(obj: SharedObject): boolean {
  return obj.observer !== undefined;
}

/**
 * exit_mm() / exec_mmap() -> mmput(): when no other live process uses the address space
 * (a vfork child shares its parent's), its System V attachments go — each a shm_close() with
 * shm_lprid the exiting process — their frames written out first when it is the running one
 * (it was the last to run, so they hold what it wrote).
 */
export function exitShm(procs: ProcessTable, proc: Process, state: KernelState, mem: Memory): void {
  const mm = state.mm;
  if (mm.sharedMappings === 0) return;
  const attached = mm.attrs.all().filter((e) => e.value.backing.kind === 'shared' && isShmObject(e.value.backing.obj));
  if (attached.length === 0) return;
  if (procs.list.some((p) => p !== proc && !p.exit && p.state.mm === mm)) return;
  if (proc === procs.current) for (const e of attached) syncOut({ mem, mm }, { start: e.start, end: e.end });
  const ss = shmState(ipcNamespace(procs));
  ss.actor = proc.pid;
  try {
    for (const e of attached) mm.forget(e.start, e.end);
  } finally {
    ss.actor = undefined;
  }
}
