// membarrier(2), as Linux 6.1 kernel/sched/membarrier.c on a one-CPU riscv64 machine without
// CONFIG_RSEQ (rseq answers ENOSYS here) and without membarrier SYNC_CORE support (riscv
// gained it after 6.1). With one CPU every barrier is already implied: the commands just
// succeed — except PRIVATE_EXPEDITED before its registration (EPERM).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';

const CMD = {
  QUERY: 0,
  GLOBAL: 1,
  GLOBAL_EXPEDITED: 2,
  REGISTER_GLOBAL_EXPEDITED: 4,
  PRIVATE_EXPEDITED: 8,
  REGISTER_PRIVATE_EXPEDITED: 16,
  PRIVATE_EXPEDITED_SYNC_CORE: 32,
  REGISTER_PRIVATE_EXPEDITED_SYNC_CORE: 64,
  PRIVATE_EXPEDITED_RSEQ: 128,
  REGISTER_PRIVATE_EXPEDITED_RSEQ: 256,
} as const;
const FLAG_CPU = 1;

/** What MEMBARRIER_CMD_QUERY reports: the commands above that work here. */
export const MEMBARRIER_SUPPORTED =
  CMD.GLOBAL | CMD.GLOBAL_EXPEDITED | CMD.REGISTER_GLOBAL_EXPEDITED | CMD.PRIVATE_EXPEDITED | CMD.REGISTER_PRIVATE_EXPEDITED;

export function membarrier(k: SyscallContext): number {
  const cmd = k.i32(0);
  const flags = k.u32(1);
  if (cmd === CMD.PRIVATE_EXPEDITED_RSEQ ? flags && flags !== FLAG_CPU : flags) return -E.EINVAL;
  const proc = k.state.proc;
  switch (cmd) {
    case CMD.QUERY:
      return MEMBARRIER_SUPPORTED;
    case CMD.GLOBAL:
    case CMD.GLOBAL_EXPEDITED:
      return 0;
    case CMD.REGISTER_GLOBAL_EXPEDITED:
      proc.membarrierGlobalExpedited = true;
      return 0;
    case CMD.PRIVATE_EXPEDITED:
      return proc.membarrierPrivateExpedited ? 0 : -E.EPERM;
    case CMD.REGISTER_PRIVATE_EXPEDITED:
      proc.membarrierPrivateExpedited = true;
      return 0;
    default:
      // SYNC_CORE and RSEQ variants: not available in this configuration.
      return -E.EINVAL;
  }
}
