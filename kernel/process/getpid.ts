// getpid(2): the calling process's id (the first process is PID from identity.ts; no host value reaches the guest).

import type { SyscallContext } from '../context.ts';

export function getpid(k: SyscallContext): number {
  return k.state.pid;
}
