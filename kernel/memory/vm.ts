// Address-space helpers shared by the memory syscalls: Linux 6.1 mm/mmap.c's limits
// (may_expand_vm, mlock_future_check), placement (get_unmapped_area) and VMA extents.

import { PAGE_SIZE, PROT_WRITE, USER_TOP } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CAP } from '../process/credentials.ts';
import { RLIMIT, RLIM_INFINITY, STK_LIM } from '../process/limits.ts';
import { type MapAttrs } from './mm-state.ts';
import { MAP_FIXED, MMAP_MIN_ADDR } from './mman.ts';

/** Linux vm.max_map_count default (DEFAULT_MAX_MAP_COUNT). */
export const MAX_MAP_COUNT = 65530;

const STACK_NAME = '[stack]';

function limitBytes(k: SyscallContext, resource: number): number {
  const cur = k.state.limits[resource].cur;
  return cur >= RLIM_INFINITY ? Infinity : Number(cur);
}

/** Bytes of private writable mappings other than the stack (mm->data_vm). */
function dataBytes(k: SyscallContext): number {
  let n = 0;
  for (const v of k.mem.listVmas()) {
    if (!(v.prot & PROT_WRITE) || v.name === STACK_NAME) continue;
    for (const e of k.state.mm.attrs.within(v.start, v.end)) if (e.value.backing.kind === 'shared') n -= e.end - e.start;
    n += v.end - v.start;
  }
  return n;
}

/**
 * may_expand_vm(): can `bytes` more be mapped? Total mapped bytes stay within RLIMIT_AS and
 * the --mem cap; a private writable mapping (`data`) also within RLIMIT_DATA.
 */
export function mayExpand(k: SyscallContext, bytes: number, data: boolean): boolean {
  const total = k.mem.mappedBytes + bytes;
  if (total > Math.min(limitBytes(k, RLIMIT.AS), k.state.mm.limitBytes)) return false;
  const dataLimit = limitBytes(k, RLIMIT.DATA);
  if (data && dataLimit !== Infinity && dataBytes(k) + bytes > dataLimit) {
    // Linux's workaround for Valgrind: a soft limit of 0 lets the hard limit count.
    const max = k.state.limits[RLIMIT.DATA].max;
    if (!(dataLimit === 0 && (max >= RLIM_INFINITY || dataBytes(k) + bytes <= Number(max)))) return false;
  }
  return true;
}

/** can_do_mlock(): CAP_IPC_LOCK, or a non-zero RLIMIT_MEMLOCK. */
export function canDoMlock(k: SyscallContext): boolean {
  return k.state.proc.creds.capable(CAP.IPC_LOCK) || k.state.limits[RLIMIT.MEMLOCK].cur !== 0n;
}

/** Whether locking `bytes` more stays within RLIMIT_MEMLOCK (or the caller has CAP_IPC_LOCK). */
export function mayLock(k: SyscallContext, bytes: number): boolean {
  if (k.state.proc.creds.capable(CAP.IPC_LOCK)) return true;
  return k.state.mm.lockedBytes() + bytes <= limitBytes(k, RLIMIT.MEMLOCK);
}

/** riscv64 (sv39) STACK_TOP = TASK_SIZE, and TASK_UNMAPPED_BASE = PAGE_ALIGN(TASK_SIZE / 3). */
const STACK_TOP = USER_TOP;
const TASK_UNMAPPED_BASE = Math.ceil(USER_TOP / 3 / PAGE_SIZE) * PAGE_SIZE;
/** mm/mmap.c stack_guard_gap default: 256 pages. */
const STACK_GUARD_GAP = 256 * PAGE_SIZE;

/**
 * mm/util.c mmap_base() without randomisation (zerosys has no ASLR): the top-down area
 * starts below a gap of RLIMIT_STACK + stack_guard_gap, at least 128 MiB and at most 5/6
 * of STACK_TOP, so mappings do not abut the stack. Linux takes the limit at exec, which
 * here is always the default _STK_LIM (never RLIM_INFINITY, so never the legacy layout).
 */
export function mmapBase(stackLimit: number): number {
  const gap = Math.min(Math.max(stackLimit + STACK_GUARD_GAP, 128 * 1024 * 1024), Math.floor(STACK_TOP / 6) * 5);
  return Math.ceil((STACK_TOP - gap) / PAGE_SIZE) * PAGE_SIZE;
}

export const MMAP_BASE = mmapBase(Number(STK_LIM));

/**
 * get_unmapped_area() for anonymous and file mappings: MAP_FIXED takes addr as it is; a
 * free hint (page-rounded) is honoured; otherwise the highest free gap below mmap_base
 * (arch_get_unmapped_area_topdown, above mmap_min_addr), falling back to the lowest free
 * gap from TASK_UNMAPPED_BASE up to the stack when that fails. Below mmap_min_addr needs
 * CAP_SYS_RAWIO (EPERM). Returns the address or -errno.
 */
export function getUnmappedArea(k: SyscallContext, addr: number, size: number, flags: number, fixedErr?: number): number {
  if (size > USER_TOP - MMAP_MIN_ADDR) return -E.ENOMEM; // longer than the address space
  if (flags & MAP_FIXED && fixedErr !== undefined) return fixedErr; // IS_ERR_VALUE(addr): the result as it is
  let start: number;
  if (flags & MAP_FIXED) start = addr;
  else {
    const hint = Math.ceil(addr / PAGE_SIZE) * PAGE_SIZE;
    if (hint !== 0 && hint <= USER_TOP - size && hint >= MMAP_MIN_ADDR && k.mem.isFree(hint, hint + size)) start = hint;
    else {
      start = k.mem.findFreeTopDown(size, Math.min(MMAP_BASE, k.image.stackLow), MMAP_MIN_ADDR);
      if (start < 0) start = findFreeBottomUp(k, size, TASK_UNMAPPED_BASE, k.image.stackLow);
      if (start < 0) return -E.ENOMEM;
    }
  }
  if (start > USER_TOP - size) return -E.ENOMEM;
  if (start % PAGE_SIZE !== 0) return -E.EINVAL;
  // security_mmap_addr(): below mmap_min_addr only with CAP_SYS_RAWIO.
  if (start < MMAP_MIN_ADDR && !k.state.proc.creds.capable(CAP.SYS_RAWIO)) return -E.EPERM;
  return start;
}

/** Lowest free gap of size bytes (page-rounded) within [low, high), or -1. */
function findFreeBottomUp(k: SyscallContext, size: number, low: number, high: number): number {
  const len = Math.ceil(size / PAGE_SIZE) * PAGE_SIZE;
  let floor = low;
  for (const v of k.mem.listVmas()) {
    if (v.end <= floor) continue;
    if (v.start >= floor + len) break;
    floor = v.end;
  }
  return floor + len <= high ? floor : -1;
}

/** The Linux VMA around addr: a mapping of the page tables cut where the recorded attributes change. */
export function vmaAt(k: SyscallContext, addr: number): { start: number; end: number; prot: number; attrs: MapAttrs } | undefined {
  const v = k.mem.findVma(addr);
  if (!v) return undefined;
  let { start, end } = v;
  const entry = k.state.mm.attrs.find(addr);
  if (entry) {
    start = Math.max(start, entry.start);
    end = Math.min(end, entry.end);
  } else {
    for (const e of k.state.mm.attrs.within(v.start, v.end)) {
      if (e.end <= addr) start = Math.max(start, e.end);
      else if (e.start > addr) {
        end = Math.min(end, e.start);
        break;
      }
    }
  }
  return { start, end, prot: v.prot, attrs: k.state.mm.at(addr) };
}

export interface Segment {
  start: number;
  end: number;
  prot: number;
  name: string;
  /** Attributes of the memory starting at `start`. */
  attrs: MapAttrs;
}

/**
 * The mapped pieces of [start, end) in address order, cut where the mapping or its
 * recorded attributes change (so each piece lies in one Linux VMA). Gaps are holes.
 */
export function segments(k: SyscallContext, start: number, end: number): Segment[] {
  const out: Segment[] = [];
  for (const v of k.mem.listVmas()) {
    if (v.end <= start) continue;
    if (v.start >= end) break;
    const s = Math.max(v.start, start);
    const e = Math.min(v.end, end);
    const cuts = new Set([s, e]);
    for (const a of k.state.mm.attrs.within(s, e)) cuts.add(a.start).add(a.end);
    const points = [...cuts].sort((x, y) => x - y);
    for (let i = 0; i + 1 < points.length; i++) {
      out.push({ start: points[i], end: points[i + 1], prot: v.prot, name: v.name, attrs: k.state.mm.at(points[i]) });
    }
  }
  return out;
}

/** Number of mappings (mm->map_count). */
export function mapCount(k: SyscallContext): number {
  return k.mem.listVmas().length;
}

/** Page-align up, or -1 if that leaves the 64-bit range (len is exact below 2^53; above, it is far too big anyway). */
export function pageAlign(len: number): number {
  const r = Math.ceil(len / PAGE_SIZE) * PAGE_SIZE;
  return r >= 2 ** 64 ? -1 : r;
}
