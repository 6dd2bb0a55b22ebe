// mincore(2), as Linux 6.1 mm/mincore.c: EINVAL for an unaligned start, ENOMEM if the range
// leaves user space, EFAULT if the vector does; then one byte per page — 1 where the page
// has a frame (it was touched, populated, or holds file data), else 0 — written mapping by
// mapping (at most 4096 pages at a time), so a hole ends the call with ENOMEM after the
// bytes for the pages before it were stored.

import { PAGE_SIZE, USER_TOP } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { accessOk } from '../user-memory.ts';
import { vmaAt } from './vm.ts';

const CHUNK_PAGES = PAGE_SIZE;

export function mincore(k: SyscallContext): number {
  let start = k.addr(0); // exact alignment even at 2^64 - 22: EINVAL before access_ok's ENOMEM
  const len = k.size(1);
  let vec = k.addr(2);
  if (start % PAGE_SIZE !== 0) return -E.EINVAL;
  if (!accessOk(start, len)) return -E.ENOMEM;
  let pages = Math.ceil(len / PAGE_SIZE);
  if (!accessOk(vec, pages)) return -E.EFAULT;

  while (pages > 0) {
    const vma = vmaAt(k, start);
    if (!vma || start >= USER_TOP) return -E.ENOMEM;
    const end = Math.min(vma.end, start + Math.min(pages, CHUNK_PAGES) * PAGE_SIZE);
    const n = (end - start) / PAGE_SIZE;
    const bytes = new Uint8Array(n);
    for (let i = 0; i < n; i++) bytes[i] = k.mem.isResident(start + i * PAGE_SIZE) ? 1 : 0;
    k.mem.write(vec, bytes);
    pages -= n;
    vec += n;
    start = end;
  }
  return 0;
}
