// membarrier(2), as Linux 6.1 kernel/sched/membarrier.c on a one-CPU riscv64 machine without
// CONFIG_RSEQ (rseq answers ENOSYS here) and without membarrier SYNC_CORE support (riscv
// gained it after 6.1). With one CPU every barrier is already implied: the commands just
// succeed — except PRIVATE_EXPEDITED before its registration (EPERM).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import * as abi from '../abi.ts';

const CMD = {
  QUERY: abi.MEMBARRIER_CMD_QUERY,
  GLOBAL: abi.MEMBARRIER_CMD_GLOBAL,
  GLOBAL_EXPEDITED: abi.MEMBARRIER_CMD_GLOBAL_EXPEDITED,
  REGISTER_GLOBAL_EXPEDITED: abi.MEMBARRIER_CMD_REGISTER_GLOBAL_EXPEDITED,
  PRIVATE_EXPEDITED: abi.MEMBARRIER_CMD_PRIVATE_EXPEDITED,
  REGISTER_PRIVATE_EXPEDITED: abi.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED,
  PRIVATE_EXPEDITED_SYNC_CORE: abi.MEMBARRIER_CMD_PRIVATE_EXPEDITED_SYNC_CORE,
  REGISTER_PRIVATE_EXPEDITED_SYNC_CORE: abi.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_SYNC_CORE,
  PRIVATE_EXPEDITED_RSEQ: abi.MEMBARRIER_CMD_PRIVATE_EXPEDITED_RSEQ,
  REGISTER_PRIVATE_EXPEDITED_RSEQ: abi.MEMBARRIER_CMD_REGISTER_PRIVATE_EXPEDITED_RSEQ,
} as const;
const FLAG_CPU = abi.MEMBARRIER_CMD_FLAG_CPU;

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
