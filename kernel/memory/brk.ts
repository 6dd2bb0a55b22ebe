// brk(2), as Linux 6.1 mm/mmap.c: brk(addr) moves the break to addr and returns the new
// break; on any failure it returns the old break (never -ENOMEM). brk(0) therefore reports
// the current break. Growing maps zero-filled '[heap]' pages (RW); shrinking unmaps whole
// pages above the new break. Growth must leave a one-page gap before the next mapping.

import { PAGE_SIZE, PROT_READ, PROT_WRITE, USER_TOP, roundUp } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';

export const HEAP_NAME = '[heap]';

export function brk(k: SyscallContext): number {
  const pb = k.state.brk;
  const want = k.u(0);
  const old = pb.current;
  if (want < pb.start || want > USER_TOP) return old;

  const newEnd = roundUp(want);
  const oldEnd = roundUp(old);
  if (newEnd === oldEnd || want <= old) {
    if (newEnd < oldEnd) k.mem.unmap(newEnd, oldEnd - newEnd);
    pb.current = want;
    return want;
  }
  const guardEnd = Math.min(newEnd + PAGE_SIZE, USER_TOP);
  if (!k.mem.isFree(oldEnd, guardEnd)) return old;
  k.mem.map(oldEnd, newEnd - oldEnd, PROT_READ | PROT_WRITE, HEAP_NAME);
  pb.current = want;
  return want;
}
