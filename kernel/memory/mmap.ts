// mmap(2) for anonymous memory, following the checks of Linux 6.1 in their order:
// riscv_sys_mmap → ksys_mmap_pgoff → do_mmap → get_unmapped_area.
//
// Placement: MAP_FIXED replaces whatever is there; MAP_FIXED_NOREPLACE fails with EEXIST
// instead; a free, page-rounded hint is honoured; otherwise the highest free gap below the
// stack (top-down, like Linux's default layout, above MMAP_MIN_ADDR). MAP_SHARED anonymous
// memory behaves like MAP_PRIVATE: with one process nobody else can see it either way.

import { USER_TOP, roundUp } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import {
  MAP_ANONYMOUS,
  MAP_FIXED,
  MAP_FIXED_NOREPLACE,
  MAP_GROWSDOWN,
  MAP_HUGETLB,
  MAP_PRIVATE,
  MAP_SHARED,
  MAP_TYPE,
  MMAP_MIN_ADDR,
  PROT_READ,
  PROT_WRITE,
  pagePerms,
} from './mman.ts';

export function mmap(k: SyscallContext): number {
  let addr = k.u(0);
  const len = k.u(1);
  const prot = k.u32(2);
  let flags = k.u32(3);
  const fd = k.u32(4);
  const offset = k.big(5);

  // riscv_sys_mmap: page-aligned offset; Linux 6.0-6.5 reject write-without-read because
  // the page tables cannot express it (commit 2139619bcad7).
  if (offset & 0xfffn) return -E.EINVAL;
  if (prot & PROT_WRITE && !(prot & PROT_READ)) return -E.EINVAL;

  // ksys_mmap_pgoff
  if (!(flags & MAP_ANONYMOUS)) {
    const file = k.state.fds.get(fd);
    if (!file) return -E.EBADF;
    k.unsupported(`file-backed mapping of fd ${fd} (${file.label})`);
  }
  if (flags & MAP_HUGETLB) k.unsupported('flag MAP_HUGETLB');

  // do_mmap
  if (len === 0) return -E.EINVAL;
  if (flags & MAP_FIXED_NOREPLACE) flags |= MAP_FIXED;
  if (!(flags & MAP_FIXED) && addr !== 0 && addr < MMAP_MIN_ADDR) addr = MMAP_MIN_ADDR;
  if (len > USER_TOP) return -E.ENOMEM; // PAGE_ALIGN overflow or longer than the address space
  const size = roundUp(len);

  // get_unmapped_area
  let start: number;
  if (flags & MAP_FIXED) {
    if (addr > USER_TOP - size) return -E.ENOMEM;
    if (addr % 4096 !== 0) return -E.EINVAL;
    start = addr;
  } else {
    const hint = roundUp(addr);
    if (hint !== 0 && hint <= USER_TOP - size && k.mem.isFree(hint, hint + size)) start = hint;
    else {
      start = k.mem.findFreeTopDown(size, k.image.stackLow, MMAP_MIN_ADDR);
      if (start < 0) return -E.ENOMEM;
    }
  }
  if (flags & MAP_FIXED_NOREPLACE && !k.mem.isFree(start, start + size)) return -E.EEXIST;

  const type = flags & MAP_TYPE;
  if (type !== MAP_SHARED && type !== MAP_PRIVATE) return -E.EINVAL;
  if (flags & MAP_GROWSDOWN) {
    if (type === MAP_SHARED) return -E.EINVAL;
    k.unsupported('flag MAP_GROWSDOWN');
  }

  k.mem.map(start, size, pagePerms(prot), '');
  return start;
}
