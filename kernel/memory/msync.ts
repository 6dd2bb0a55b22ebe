// msync(2), as Linux 6.1 mm/msync.c: EINVAL for unknown flags, an unaligned start, or
// MS_ASYNC with MS_SYNC; a length that wraps when rounded to pages is ENOMEM, unless it
// wraps to exactly 0 (then there is nothing to do: 0). Holes make the result ENOMEM
// (MS_ASYNC alone stops at the first one); MS_INVALIDATE on mlocked memory is EBUSY.
// Shared mappings are kept in step with read(2) and other processes (shared.ts); MS_SYNC
// writes the caller's frames of the range to their objects (a host file's pages reach the
// file then, rather than at the next switch, munmap or the end of the run).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { MS_ASYNC, MS_INVALIDATE, MS_SYNC } from './mman.ts';
import { segments } from './vm.ts';
import { syncOut } from './shared.ts';

const U64 = 1n << 64n;

export function msync(k: SyscallContext): number {
  const start = k.addr(0); // exact alignment: a -errno as start is EINVAL, not ENOMEM
  const lenArg = k.big(1);
  const flags = k.i32(2);
  if (flags & ~(MS_ASYNC | MS_INVALIDATE | MS_SYNC)) return -E.EINVAL;
  if (start % 4096 !== 0) return -E.EINVAL;
  if (flags & MS_ASYNC && flags & MS_SYNC) return -E.EINVAL;
  const len = (lenArg + 0xfffn) & ~0xfffn & (U64 - 1n);
  if (k.big(0) + len >= U64) return -E.ENOMEM;
  if (len === 0n) return 0;
  const end = start + Number(len);

  let unmapped = 0;
  let cur = start;
  for (const seg of segments(k, start, end)) {
    if (seg.start > cur) {
      if (flags === MS_ASYNC) return -E.ENOMEM;
      unmapped = -E.ENOMEM;
    }
    if (flags & MS_INVALIDATE && seg.attrs.locked) return -E.EBUSY;
    cur = seg.end;
  }
  if (flags & MS_SYNC) syncOut({ mem: k.mem, mm: k.state.mm }, { start, end });
  return cur < end ? -E.ENOMEM : unmapped;
}
