// mmap/mprotect flags (values from the generated kernel/abi.ts, which takes them from
// <asm-generic/mman-common.h>, <asm-generic/mman.h>, <linux/mman.h>, <linux/personality.h>),
// plus how a PROT_* set becomes page permissions here.

import { PROT_READ as PAGE_READ, PROT_WRITE as PAGE_WRITE, PROT_EXEC as PAGE_EXEC } from '../../emulator/memory.ts';
import * as abi from '../abi.ts';
import {
  PROT_READ, PROT_WRITE, PROT_EXEC, PROT_SEM, MAP_SHARED, MAP_PRIVATE, MAP_FIXED, MAP_ANONYMOUS, MAP_DENYWRITE,
  MAP_EXECUTABLE, MAP_UNINITIALIZED, MAP_GROWSDOWN, MAP_LOCKED, MAP_NORESERVE, MAP_POPULATE, MAP_NONBLOCK, MAP_STACK,
  MAP_HUGETLB,
} from '../abi.ts';

export {
  PROT_NONE, PROT_READ, PROT_WRITE, PROT_EXEC,
  PROT_SEM,
  PROT_GROWSDOWN,
  PROT_GROWSUP,
  MAP_SHARED,
  MAP_PRIVATE,
  MAP_SHARED_VALIDATE,
  MAP_TYPE,
  MAP_FIXED,
  MAP_ANONYMOUS,
  MAP_GROWSDOWN,
  MAP_DENYWRITE,
  MAP_EXECUTABLE,
  MAP_LOCKED,
  MAP_NORESERVE,
  MAP_POPULATE,
  MAP_NONBLOCK,
  MAP_STACK,
  MAP_HUGETLB,
  MAP_SYNC,
  MAP_FIXED_NOREPLACE,
  MAP_UNINITIALIZED,
  MREMAP_MAYMOVE,
  MREMAP_FIXED,
  MREMAP_DONTUNMAP,
  MS_ASYNC,
  MS_INVALIDATE,
  MS_SYNC,
  MCL_CURRENT,
  MCL_FUTURE,
  MCL_ONFAULT,
  MLOCK_ONFAULT,
  READ_IMPLIES_EXEC,
} from '../abi.ts';

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
  let p = 0;
  if (prot & PROT_READ) p |= PAGE_READ;
  if (prot & PROT_WRITE) p |= PAGE_WRITE | PAGE_READ;
  if (prot & PROT_EXEC) p |= PAGE_EXEC;
  return p;
}

/** PROT_* bits mprotect accepts besides the GROWS flags (PROT_SEM is accepted and ignored). */
export const PROT_VALID = PROT_READ | PROT_WRITE | PROT_EXEC | PROT_SEM;

/** MAP_* flags Linux checks MAP_SHARED_VALIDATE file mappings against (LEGACY_MAP_MASK). */
export const LEGACY_MAP_MASK =
  MAP_SHARED | MAP_PRIVATE | MAP_FIXED | MAP_ANONYMOUS | MAP_DENYWRITE | MAP_EXECUTABLE | MAP_UNINITIALIZED |
  MAP_GROWSDOWN | MAP_LOCKED | MAP_NORESERVE | MAP_POPULATE | MAP_NONBLOCK | MAP_STACK | MAP_HUGETLB;

// madvise(2) advice, by name without the MADV_ prefix.
export const MADV = {
  NORMAL: abi.MADV_NORMAL,
  RANDOM: abi.MADV_RANDOM,
  SEQUENTIAL: abi.MADV_SEQUENTIAL,
  WILLNEED: abi.MADV_WILLNEED,
  DONTNEED: abi.MADV_DONTNEED,
  FREE: abi.MADV_FREE,
  REMOVE: abi.MADV_REMOVE,
  DONTFORK: abi.MADV_DONTFORK,
  DOFORK: abi.MADV_DOFORK,
  MERGEABLE: abi.MADV_MERGEABLE,
  UNMERGEABLE: abi.MADV_UNMERGEABLE,
  HUGEPAGE: abi.MADV_HUGEPAGE,
  NOHUGEPAGE: abi.MADV_NOHUGEPAGE,
  DONTDUMP: abi.MADV_DONTDUMP,
  DODUMP: abi.MADV_DODUMP,
  WIPEONFORK: abi.MADV_WIPEONFORK,
  KEEPONFORK: abi.MADV_KEEPONFORK,
  COLD: abi.MADV_COLD,
  PAGEOUT: abi.MADV_PAGEOUT,
  POPULATE_READ: abi.MADV_POPULATE_READ,
  POPULATE_WRITE: abi.MADV_POPULATE_WRITE,
  DONTNEED_LOCKED: abi.MADV_DONTNEED_LOCKED,
  COLLAPSE: abi.MADV_COLLAPSE,
  HWPOISON: abi.MADV_HWPOISON,
  SOFT_OFFLINE: abi.MADV_SOFT_OFFLINE,
} as const;

/** The PMD-sized huge page of riscv64 sv39 (MADV_COLLAPSE works on whole ones). */
export const HPAGE_PMD_SIZE = 2 * 1024 * 1024;
