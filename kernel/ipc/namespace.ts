// The System V IPC namespace of a run (Linux 6.1 ipc/util.c, ipc/util.h, include/linux/ipc_namespace.h):
// one per run, shared by every guest process (the guest never unshares CLONE_NEWIPC), holding
// one id table per kind — message queues, semaphore sets and shared memory segments (IpcIds is
// generic: a kind is a table of objects that start with a kern_ipc_perm).
//
// Ids are Linux's: ipc_idr_alloc() takes the lowest free index at or after the last one given
// (idr_alloc_cyclic over [0, max(in_use * 3 / 2, ipc_min_cycle))), bumps the table's sequence
// number when the index wraps (idx <= last_idx), and the id is seq << IPCMNI_SHIFT | idx
// (ipc_buildid). A fresh namespace starts at seq 0, last_idx -1 (ipc_init_ids), so the first
// id of each kind is 0, then 1, 2, ...; after 64 creations (ipc_min_cycle = RADIX_TREE_MAP_SIZE)
// with few alive the index wraps and the ids continue at 32768, 32769, ...
//
// The kernel-internal constants below are not UAPI (ipc/util.h, ipc/ipc_sysctl.c without
// ipcmni_extend); everything user memory sees comes from kernel/abi.ts and kernel/abi-structs.ts.

import type { Credentials } from '../process/credentials.ts';
import { CAP } from '../process/credentials.ts';
import type { ProcessTable } from '../process/process-table.ts';
import { IPC_CREAT, IPC_EXCL, IPC_PRIVATE, MSGMAX, MSGMNB, MSGMNI, SEMMNI, SEMMNS, SEMMSL, SEMOPM } from '../abi.ts';
import { IPC64_PERM } from '../abi-structs.ts';
import { E } from '../errno.ts';
import type { StructBuilder } from '../user-memory.ts';

/** ipc/util.h: IPCMNI_SHIFT (15) and IPCMNI (32768): ids are seq << 15 | idx. */
export const IPCMNI_SHIFT = 15;
export const IPCMNI = 1 << IPCMNI_SHIFT;
/** ipc/ipc_sysctl.c: ipc_min_cycle = RADIX_TREE_MAP_SIZE (1 << 6 with CONFIG_BASE_SMALL=0). */
export const IPC_MIN_CYCLE = 64;
/** ipc/util.h ipcid_seq_max(): INT_MAX >> ipcmni_seq_shift(). */
export const IPCID_SEQ_MAX = 0x7fffffff >> IPCMNI_SHIFT;
/** S_IRWXUGO, S_IRUGO, S_IWUGO (include/linux/stat.h). */
export const S_IRWXUGO = 0o777;
export const S_IRUGO = 0o444;
export const S_IWUGO = 0o222;

/** struct kern_ipc_perm (include/linux/ipc.h): what every IPC object starts with. */
export interface KernIpcPerm {
  key: number;
  uid: number;
  gid: number;
  cuid: number;
  cgid: number;
  mode: number;
  seq: number;
  id: number;
  deleted: boolean;
}

export interface IpcObject {
  readonly perm: KernIpcPerm;
}

/** A fresh kern_ipc_perm for newque/newary/newseg: mode = flg & S_IRWXUGO; ids and seq are set by IpcIds.add. */
export function newPerm(key: number, flg: number): KernIpcPerm {
  return { key, uid: 0, gid: 0, cuid: 0, cgid: 0, mode: flg & S_IRWXUGO, seq: 0, id: -1, deleted: false };
}

export const ipcidToIdx = (id: number) => id & (IPCMNI - 1);
export const ipcidToSeqx = (id: number) => id >>> IPCMNI_SHIFT;

/** struct ipc_ids: one kind's table. */
export class IpcIds<T extends IpcObject> {
  inUse = 0;
  seq = 0;
  lastIdx = -1;
  maxIdx = -1;
  /** The idr's cyclic cursor (idr->idr_next). */
  private idrNext = 0;
  private readonly byIdx = new Map<number, T>();
  private readonly byKey = new Map<number, T>();

  /**
   * ipc_addid(): -ENOSPC past `limit` (capped at IPCMNI) or when no index is free, else the
   * new index with perm.id/seq/uid/gid/cuid/cgid set from the creator's effective ids.
   */
  add(obj: T, limit: number, creds: Credentials): number {
    if (limit > IPCMNI) limit = IPCMNI;
    if (this.inUse >= limit) return -E.ENOSPC;
    const p = obj.perm;
    p.cuid = p.uid = creds.uid.e;
    p.gid = p.cgid = creds.gid.e;
    p.deleted = false;
    // ipc_idr_alloc(): idr_alloc_cyclic(&ids->ipcs_idr, NULL, 0, max_idx)
    const maxIdx = Math.min(Math.max(Math.floor((this.inUse * 3) / 2), IPC_MIN_CYCLE), IPCMNI);
    let idx = this.freeFrom(this.idrNext, maxIdx);
    if (idx < 0 && this.idrNext > 0) idx = this.freeFrom(0, maxIdx);
    if (idx < 0) return -E.ENOSPC;
    this.idrNext = idx + 1;
    if (idx <= this.lastIdx) {
      this.seq++;
      if (this.seq >= IPCID_SEQ_MAX) this.seq = 0;
    }
    this.lastIdx = idx;
    p.seq = this.seq;
    p.id = (p.seq << IPCMNI_SHIFT) + idx;
    this.byIdx.set(idx, obj);
    if (p.key !== IPC_PRIVATE) this.byKey.set(p.key, obj);
    this.inUse++;
    if (idx > this.maxIdx) this.maxIdx = idx;
    return idx;
  }

  private freeFrom(start: number, end: number): number {
    for (let i = start; i < end; i++) if (!this.byIdx.has(i)) return i;
    return -1;
  }

  /** ipc_rmid(): out of the idr and the key table; max_idx recomputed (ipc_search_maxidx). */
  rmid(obj: T): void {
    const idx = ipcidToIdx(obj.perm.id);
    this.byIdx.delete(idx);
    if (obj.perm.key !== IPC_PRIVATE) this.byKey.delete(obj.perm.key);
    this.inUse--;
    obj.perm.deleted = true;
    if (idx === this.maxIdx) {
      let m = -1;
      for (const i of this.byIdx.keys()) if (i > m) m = i;
      this.maxIdx = m;
    }
  }

  /** ipc_set_key_private(): out of the key table, its key IPC_PRIVATE (a segment removed while attached). */
  setKeyPrivate(obj: T): void {
    if (obj.perm.key !== IPC_PRIVATE && this.byKey.get(obj.perm.key) === obj) this.byKey.delete(obj.perm.key);
    obj.perm.key = IPC_PRIVATE;
  }

  /** ipc_obtain_object_idr(): by index alone (MSG_STAT, SEM_STAT), or -EINVAL. */
  obtain(id: number): T | number {
    return this.byIdx.get(ipcidToIdx(id)) ?? -E.EINVAL;
  }

  /** ipc_obtain_object_check(): the index and then the sequence number (ipc_checkid), or -EINVAL. */
  obtainCheck(id: number): T | number {
    const o = this.obtain(id);
    if (typeof o === 'number') return o;
    return ipcidToSeqx(id) !== o.perm.seq ? -E.EINVAL : o;
  }

  findKey(key: number): T | undefined {
    return this.byKey.get(key);
  }

  /** ipc_get_maxidx() (ipc/util.h): -1 when empty. */
  getMaxIdx(): number {
    if (this.inUse === 0) return -1;
    if (this.inUse === IPCMNI) return IPCMNI - 1;
    return this.maxIdx;
  }

  /** Every object, in index order. */
  all(): T[] {
    return [...this.byIdx.entries()].sort((a, b) => a[0] - b[0]).map(([, o]) => o);
  }
}

/**
 * ipcperms(): 0 when `flag` (S_IRUGO / S_IWUGO, or msgget's mode bits) is granted to the
 * caller — owner bits when its euid is the owner or creator, group bits when it is in either
 * group, else the other bits — or with CAP_IPC_OWNER; -1 otherwise.
 */
export function ipcperms(creds: Credentials, perm: KernIpcPerm, flag: number): number {
  const requested = (flag >> 6) | (flag >> 3) | flag;
  let granted = perm.mode;
  const euid = creds.uid.e;
  if (euid === perm.cuid || euid === perm.uid) granted >>= 6;
  else if (creds.inGroup(perm.cgid) || creds.inGroup(perm.gid)) granted >>= 3;
  if (requested & ~granted & 0o7 && !creds.capable(CAP.IPC_OWNER)) return -1;
  return 0;
}

export interface IpcOps<T extends IpcObject> {
  /** newque/newary/newseg: the new object's id, or -errno. */
  getnew(): number;
  /** sem_more_checks/shm_more_checks on an existing object: 0 or -errno. */
  moreChecks?(obj: T): number;
}

/**
 * ipcget(): IPC_PRIVATE always creates (ipcget_new); another key finds its object or, with
 * IPC_CREAT, creates one (ipcget_public: ENOENT without IPC_CREAT, EEXIST with IPC_EXCL,
 * then more_checks, then ipcperms(flg) -> EACCES, else the object's id).
 */
export function ipcget<T extends IpcObject>(ids: IpcIds<T>, creds: Credentials, key: number, flg: number, ops: IpcOps<T>): number {
  if (key === IPC_PRIVATE) return ops.getnew();
  const found = ids.findKey(key);
  if (!found) return flg & IPC_CREAT ? ops.getnew() : -E.ENOENT;
  if (flg & IPC_CREAT && flg & IPC_EXCL) return -E.EEXIST;
  const err = ops.moreChecks?.(found) ?? 0;
  if (err) return err;
  if (ipcperms(creds, found.perm, flg)) return -E.EACCES;
  return found.perm.id;
}

/**
 * ipcctl_obtain_check() (IPC_SET, IPC_RMID): the object by checked id, then EPERM unless the
 * caller's euid is the owner's or the creator's, or it has CAP_SYS_ADMIN.
 */
export function ipcctlObtainCheck<T extends IpcObject>(ids: IpcIds<T>, creds: Credentials, id: number): T | number {
  const o = ids.obtainCheck(id);
  if (typeof o === 'number') return o;
  const euid = creds.uid.e;
  if (euid === o.perm.cuid || euid === o.perm.uid || creds.capable(CAP.SYS_ADMIN)) return o;
  return -E.EPERM;
}

/** What IPC_SET reads of a struct ipc64_perm. */
export interface PermUpdate {
  uid: number;
  gid: number;
  mode: number;
}

/** Reads uid, gid and mode of the struct ipc64_perm at `off` of an IPC_SET buffer. */
export function readPermUpdate(view: DataView, off: number): PermUpdate {
  return { uid: view.getUint32(off + IPC64_PERM.uid, true), gid: view.getUint32(off + IPC64_PERM.gid, true), mode: view.getUint32(off + IPC64_PERM.mode, true) };
}

/** ipc_update_perm(): -EINVAL for an invalid uid or gid ((uid_t)-1, make_kuid's INVALID_UID), else owner and mode bits set. */
export function ipcUpdatePerm(update: PermUpdate, perm: KernIpcPerm): number {
  if (update.uid === 0xffffffff || update.gid === 0xffffffff) return -E.EINVAL;
  perm.uid = update.uid;
  perm.gid = update.gid;
  perm.mode = (perm.mode & ~S_IRWXUGO) | (update.mode & S_IRWXUGO);
  return 0;
}

/** kernel_to_ipc64_perm() into a struct at `off` of `b`. */
export function putIpc64Perm(b: StructBuilder, off: number, perm: KernIpcPerm): void {
  b.u32(off + IPC64_PERM.key, perm.key)
    .u32(off + IPC64_PERM.uid, perm.uid)
    .u32(off + IPC64_PERM.gid, perm.gid)
    .u32(off + IPC64_PERM.cuid, perm.cuid)
    .u32(off + IPC64_PERM.cgid, perm.cgid)
    .u32(off + IPC64_PERM.mode, perm.mode)
    .u16(off + IPC64_PERM.seq, perm.seq);
}

/** The namespace's tunables, Linux's boot defaults (msg_init_ns, sem_init_ns; the sysctls are not writable here). */
export const MSG_LIMITS = { ctlmax: MSGMAX, ctlmnb: MSGMNB, ctlmni: MSGMNI } as const;
export const SEM_LIMITS = { semmsl: SEMMSL, semmns: SEMMNS, semopm: SEMOPM, semmni: SEMMNI } as const;

/**
 * struct ipc_namespace. Kinds are filled in by their modules (msg.ts, sem.ts, shm.ts) on first
 * use through `kind()`, so a new kind adds its table without touching this file.
 */
export class IpcNamespace {
  private readonly kinds = new Map<string, unknown>();

  /** The per-kind state (ids table and counters), created by `make` the first time. */
  kind<S>(name: 'msg' | 'sem' | 'shm', make: () => S): S {
    let s = this.kinds.get(name) as S | undefined;
    if (s === undefined) {
      s = make();
      this.kinds.set(name, s);
    }
    return s;
  }
}

const NAMESPACES = new WeakMap<ProcessTable, IpcNamespace>();

/** The run's IPC namespace: one per process table, i.e. shared by every process of the guest. */
export function ipcNamespace(procs: ProcessTable): IpcNamespace {
  let ns = NAMESPACES.get(procs);
  if (!ns) {
    ns = new IpcNamespace();
    NAMESPACES.set(procs, ns);
  }
  return ns;
}
