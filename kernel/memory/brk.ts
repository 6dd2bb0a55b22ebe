// brk(2), as Linux 6.1 mm/mmap.c: brk(addr) moves the break to addr and returns the new
// break; on any failure it returns the old break (never -ENOMEM). brk(0) therefore reports
// the current break. Growing maps zero-filled '[heap]' pages (RW) and must leave a one-page
// gap before the next mapping and stay within RLIMIT_AS / --mem, RLIMIT_DATA and (after
// mlockall(MCL_FUTURE) without CAP_IPC_LOCK) RLIMIT_MEMLOCK. Shrinking unmaps whole pages
// above the new break, and fails if nothing of the heap is mapped there any more.

import { PAGE_SIZE, PROT_READ, PROT_WRITE, USER_TOP, roundUp } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { establish } from './establish.ts';
import { ANON } from './mm-state.ts';
import { mayExpand, mayLock } from './vm.ts';

export const HEAP_NAME = '[heap]';

export function brk(k: SyscallContext): number {
  const pb = k.state.brk;
  // SYSCALL_DEFINE1(brk, unsigned long, brk): above 2^53 k.addr gives FAR_ADDR + offset, past
  // USER_TOP like the real value, which Linux refuses the same way (the old break).
  const want = k.addr(0);
  const old = pb.current;
  if (want < pb.start || want > USER_TOP) return old;

  const newEnd = roundUp(want);
  const oldEnd = roundUp(old);
  if (newEnd === oldEnd) {
    pb.current = want;
    return want;
  }
  if (want <= old) {
    // Always allowed, as long as heap pages are still mapped in [newEnd, oldEnd).
    const heap = k.mem.listVmas().find((v) => v.end > newEnd && v.start < oldEnd);
    if (!heap) return old;
    k.mem.unmap(newEnd, oldEnd - newEnd);
    k.state.mm.forget(newEnd, oldEnd);
    pb.current = want;
    return want;
  }
  const grow = newEnd - oldEnd;
  const mm = k.state.mm;
  if (mm.lockFuture && !mayLock(k, grow)) return old;
  const guardEnd = Math.min(newEnd + PAGE_SIZE, USER_TOP);
  if (!k.mem.isFree(oldEnd, guardEnd)) return old;
  if (!mayExpand(k, grow, true)) return old;
  establish(k, oldEnd, grow, PROT_READ | PROT_WRITE, mm.fresh(ANON), HEAP_NAME);
  pb.current = want;
  return want;
}
