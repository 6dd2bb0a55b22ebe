// mlock(2), mlock2(2), munlock(2), mlockall(2), munlockall(2), as Linux 6.1 mm/mlock.c.
//
// Locking marks the mappings VM_LOCKED and creates their pages (mincore shows them; with
// MLOCK_ONFAULT / MCL_ONFAULT they come on first touch, as always here). The range is
// rounded out to pages; a hole at its start is ENOMEM before anything changes, a later hole
// ENOMEM after the part before it is marked. Populating a PROT_NONE mapping fails: ENOMEM
// (the mapping stays marked, as on Linux). Without CAP_IPC_LOCK, RLIMIT_MEMLOCK applies
// (0 → EPERM, exceeded → ENOMEM). mlockall(MCL_FUTURE) locks later mmap/brk/mremap memory.

import { PROT_NONE, USER_TOP } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CAP } from '../process/credentials.ts';
import { RLIMIT, RLIM_INFINITY } from '../process/limits.ts';
import { MCL_CURRENT, MCL_FUTURE, MCL_ONFAULT, MLOCK_ONFAULT } from './mman.ts';
import { canDoMlock, segments } from './vm.ts';

const U64 = 1n << 64n;

export function mlock(k: SyscallContext): number {
  return doMlock(k, true, false);
}

export function mlock2(k: SyscallContext): number {
  const flags = k.i32(2);
  if (flags & ~MLOCK_ONFAULT) return -E.EINVAL;
  return doMlock(k, true, (flags & MLOCK_ONFAULT) !== 0);
}

export function munlock(k: SyscallContext): number {
  const r = pageRange(k);
  return applyLock(k, r.start, r.len, false, false);
}

export function mlockall(k: SyscallContext): number {
  const flags = k.i32(0);
  if (!flags || flags & ~(MCL_CURRENT | MCL_FUTURE | MCL_ONFAULT) || flags === MCL_ONFAULT) return -E.EINVAL;
  if (!canDoMlock(k)) return -E.EPERM;
  if (flags & MCL_CURRENT && !k.state.proc.creds.capable(CAP.IPC_LOCK) && k.mem.mappedBytes > lockLimit(k)) return -E.ENOMEM;
  applyLockAll(k, flags);
  if (flags & MCL_CURRENT && !(flags & MCL_ONFAULT)) {
    for (const v of k.mem.listVmas()) if (v.prot !== PROT_NONE) k.mem.populate(v.start, v.end - v.start);
  }
  return 0;
}

export function munlockall(k: SyscallContext): number {
  applyLockAll(k, 0);
  return 0;
}

function lockLimit(k: SyscallContext): number {
  const cur = k.state.limits[RLIMIT.MEMLOCK].cur;
  return cur >= RLIM_INFINITY ? Infinity : Number(cur);
}

/** start rounded down to a page, len grown by what that added and rounded up (size_t arithmetic). */
function pageRange(k: SyscallContext): { start: number; len: bigint } {
  const start = k.big(0);
  const off = start & 0xfffn;
  const len = (k.big(1) + off + 0xfffn) & ~0xfffn & (U64 - 1n);
  return { start: Number(start - off), len };
}

function doMlock(k: SyscallContext, locked: boolean, onFault: boolean): number {
  if (!canDoMlock(k)) return -E.EPERM;
  const { start, len } = pageRange(k);
  if (!k.state.proc.creds.capable(CAP.IPC_LOCK)) {
    // Pages already locked in the range do not count twice.
    const end = Math.min(start + Number(len), USER_TOP);
    let already = 0;
    for (const s of segments(k, start, end)) if (s.attrs.locked) already += s.end - s.start;
    if (k.state.mm.lockedBytes() + Number(len) - already > lockLimit(k)) return -E.ENOMEM;
  }
  const r = applyLock(k, start, len, locked, onFault);
  if (r < 0) return r;
  return populateLocked(k, start, start + Number(len));
}

/** apply_vma_lock_flags(): mark [start, start+len) locked or unlocked, mapping by mapping. */
function applyLock(k: SyscallContext, start: number, len: bigint, locked: boolean, onFault: boolean): number {
  if (BigInt(start) + len >= U64) return -E.EINVAL;
  if (len === 0n) return 0;
  const end = start + Number(len);
  if (!k.mem.findVma(start)) return -E.ENOMEM;
  let cur = start;
  for (const seg of segments(k, start, end)) {
    if (seg.start !== cur) return -E.ENOMEM;
    k.state.mm.record(seg.start, seg.end, { ...seg.attrs, locked, onFault: locked && onFault });
    cur = seg.end;
  }
  return cur < end ? -E.ENOMEM : 0;
}

/** __mm_populate() after mlock: create the pages of locked, accessible mappings; PROT_NONE fails (ENOMEM). */
function populateLocked(k: SyscallContext, start: number, end: number): number {
  for (const seg of segments(k, start, end)) {
    if (seg.attrs.onFault) continue;
    if (seg.prot === PROT_NONE) return -E.ENOMEM;
    k.mem.populate(seg.start, seg.end - seg.start);
  }
  return 0;
}

/** apply_mlockall_flags(): set the future default, and with MCL_CURRENT (or to unlock) every mapping. */
function applyLockAll(k: SyscallContext, flags: number): void {
  const mm = k.state.mm;
  mm.lockFuture = (flags & MCL_FUTURE) !== 0;
  mm.lockFutureOnFault = mm.lockFuture && (flags & MCL_ONFAULT) !== 0;
  if (flags & MCL_FUTURE && !(flags & MCL_CURRENT)) return;
  const locked = (flags & MCL_CURRENT) !== 0;
  const onFault = locked && (flags & MCL_ONFAULT) !== 0;
  for (const v of [...k.mem.listVmas()]) {
    for (const seg of segments(k, v.start, v.end)) mm.record(seg.start, seg.end, { ...seg.attrs, locked, onFault });
  }
}
