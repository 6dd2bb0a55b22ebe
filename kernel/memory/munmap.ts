// munmap(2), as Linux 6.1 do_mas_munmap(): EINVAL for an unaligned address, a zero length,
// or a range leaving the user half; unmapping nothing is fine; ENOMEM when punching a hole
// into a mapping would exceed vm.max_map_count.

import { USER_TOP, roundUp } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MAX_MAP_COUNT, mapCount } from './vm.ts';
import { syncOut } from './shared.ts';

export function munmap(k: SyscallContext): number {
  const addr = k.addr(0);
  const len = k.size(1);
  if (addr % 4096 !== 0 || addr > USER_TOP || len > USER_TOP - addr) return -E.EINVAL;
  const size = roundUp(len);
  if (size === 0) return -E.EINVAL;
  return unmapRange(k, addr, addr + size);
}

/** Unmap [start, end) (page aligned): 0, or -ENOMEM if a split would exceed the mapping count. */
export function unmapRange(k: SyscallContext, start: number, end: number): number {
  const v = k.mem.findVma(start);
  if (v && v.start < start && end < v.end && mapCount(k) >= MAX_MAP_COUNT) return -E.ENOMEM;
  syncOut({ mem: k.mem, mm: k.state.mm }, { start, end }); // what was written to shared memory stays in it
  k.mem.unmap(start, end - start);
  k.state.mm.forget(start, end);
  return 0;
}
