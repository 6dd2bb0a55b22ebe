// shmdt(2), as Linux 6.1 ipc/shm.c ksys_shmdt(): an address off a page EINVAL; then, from the
// first mapping ending above addr (find_vma), the first piece of a System V segment that
// starts where an attachment at addr would have it — (vm_start - addr) / PAGE_SIZE == vm_pgoff,
// so addr itself for an intact attachment, or further on for one whose head was unmapped —
// is unmapped, and with it every later piece of the same segment that satisfies the same
// rule and ends within the segment's page-rounded size from addr; none found EINVAL. Each
// unmapping writes the frames out first (unmapRange) and tells the segment (shm_close:
// shm_nattch, shm_dtim, shm_lprid; destroyed at the last detach once removed).

import { PAGE_SIZE, USER_TOP } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { unmapRange } from '../memory/munmap.ts';
import type { SharedObject } from '../memory/shared.ts';
import { segments, type Segment } from '../memory/vm.ts';
import { isShmObject } from './shm.ts';

/** The segment a piece maps when it lies where an attachment at addr puts it (vm_pgoff matches), else undefined. */
function attachedAt(s: Segment, addr: number): SharedObject | undefined {
  const b = s.attrs.backing;
  if (b.kind !== 'shared' || !isShmObject(b.obj)) return undefined;
  return s.start >= addr && s.start - addr === b.offset ? b.obj : undefined;
}

export function shmdt(k: SyscallContext): number {
  const addr = k.addr(0);
  if (addr % PAGE_SIZE !== 0) return -E.EINVAL;
  if (addr >= USER_TOP) return -E.EINVAL; // no mapping ends above it
  const pieces = segments(k, addr, USER_TOP).filter((s) => s.end > addr);
  const first = pieces.findIndex((s) => attachedAt(s, addr) !== undefined);
  if (first < 0) return -E.EINVAL;
  const obj = attachedAt(pieces[first], addr)!;
  // size = PAGE_ALIGN(i_size_read(file_inode(vma->vm_file))): the segment's size.
  const size = Math.ceil((obj.size ?? 0) / PAGE_SIZE) * PAGE_SIZE;
  const doomed = [pieces[first]];
  for (const s of pieces.slice(first + 1)) {
    if (s.end - addr > size) break;
    if (attachedAt(s, addr) === obj) doomed.push(s);
  }
  for (const s of doomed) unmapRange(k, s.start, s.end);
  return 0;
}
