// mmap/mprotect flags, <asm-generic/mman-common.h> and <asm-generic/mman.h> (riscv64 uses
// the generic values), plus how a PROT_* set becomes page permissions here.

import { PROT_READ, PROT_WRITE, PROT_EXEC } from '../../emulator/memory.ts';

export { PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC } from '../../emulator/memory.ts';
export const PROT_SEM = 0x8;
export const PROT_GROWSDOWN = 0x01000000;
export const PROT_GROWSUP = 0x02000000;

export const MAP_SHARED = 0x01;
export const MAP_PRIVATE = 0x02;
export const MAP_SHARED_VALIDATE = 0x03;
export const MAP_TYPE = 0x0f;
export const MAP_FIXED = 0x10;
export const MAP_ANONYMOUS = 0x20;
export const MAP_GROWSDOWN = 0x0100;
export const MAP_DENYWRITE = 0x0800;
export const MAP_EXECUTABLE = 0x1000;
export const MAP_LOCKED = 0x2000;
export const MAP_NORESERVE = 0x4000;
export const MAP_POPULATE = 0x008000;
export const MAP_NONBLOCK = 0x010000;
export const MAP_STACK = 0x020000;
export const MAP_HUGETLB = 0x040000;
export const MAP_SYNC = 0x080000;
export const MAP_FIXED_NOREPLACE = 0x100000;
export const MAP_UNINITIALIZED = 0x4000000;

/**
 * Hint addresses below this are raised to it (Linux vm.mmap_min_addr, 65536 on Debian) and
 * top-down placement never goes below it.
 */
export const MMAP_MIN_ADDR = 65536;

/**
 * Page permissions for a PROT_* set. RISC-V page tables cannot express write-only, so
 * Linux 6.1 maps PROT_WRITE pages readable too (protection_map[VM_WRITE] is a read-only
 * copy-on-write PTE that becomes RW on the first store).
 */
export function pagePerms(prot: number): number {
  let p = prot & (PROT_READ | PROT_WRITE | PROT_EXEC);
  if (p & PROT_WRITE) p |= PROT_READ;
  return p;
}

/** PROT_* bits mprotect accepts besides the GROWS flags (PROT_SEM is accepted and ignored). */
export const PROT_VALID = PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM;

/** MAP_* flags Linux checks MAP_SHARED_VALIDATE file mappings against (LEGACY_MAP_MASK). */
export const LEGACY_MAP_MASK =
  MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED |
  MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB;

// mremap(2), <linux/mman.h>
export const MREMAP_MAYMOVE = 1;
export const MREMAP_FIXED = 2;
export const MREMAP_DONTUNMAP = 4;

// msync(2)
export const MS_ASYNC = 1;
export const MS_INVALIDATE = 2;
export const MS_SYNC = 4;

// mlockall(2), mlock2(2)
export const MCL_CURRENT = 1;
export const MCL_FUTURE = 2;
export const MCL_ONFAULT = 4;
export const MLOCK_ONFAULT = 1;

/** personality(2) flag that makes PROT_READ imply PROT_EXEC (<linux/personality.h>). */
export const READ_IMPLIES_EXEC = 0x0400000;

// madvise(2) advice, <asm-generic/mman-common.h>
export const MADV = {
  NORMAL: 0,
  RANDOM: 1,
  SEQUENTIAL: 2,
  WILLNEED: 3,
  DONTNEED: 4,
  FREE: 8,
  REMOVE: 9,
  DONTFORK: 10,
  DOFORK: 11,
  MERGEABLE: 12,
  UNMERGEABLE: 13,
  HUGEPAGE: 14,
  NOHUGEPAGE: 15,
  DONTDUMP: 16,
  DODUMP: 17,
  WIPEONFORK: 18,
  KEEPONFORK: 19,
  COLD: 20,
  PAGEOUT: 21,
  POPULATE_READ: 22,
  POPULATE_WRITE: 23,
  DONTNEED_LOCKED: 24,
  COLLAPSE: 25,
  HWPOISON: 100,
  SOFT_OFFLINE: 101,
} as const;

/** The PMD-sized huge page of riscv64 sv39 (MADV_COLLAPSE works on whole ones). */
export const HPAGE_PMD_SIZE = 2 * 1024 * 1024;
