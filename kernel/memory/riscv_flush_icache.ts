// riscv_flush_icache(start, end, flags): only flag bit 0 (SYS_RISCV_FLUSH_ICACHE_LOCAL) is
// defined, other bits are EINVAL (arch/riscv/kernel/sys_riscv.c). The emulator invalidates
// decoded code on every store to a code page, so there is nothing left to flush.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';

const SYS_RISCV_FLUSH_ICACHE_ALL = 1n;

export function riscv_flush_icache(k: SyscallContext): number {
  return k.big(2) & ~SYS_RISCV_FLUSH_ICACHE_ALL ? -E.EINVAL : 0;
}
