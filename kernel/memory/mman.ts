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
