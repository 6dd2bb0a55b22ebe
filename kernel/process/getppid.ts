// getppid(2): the parent's pid; PPID (identity.ts) for the first process and for an orphan,
// whose parent is outside the guest.

import type { SyscallContext } from '../context.ts';

export function getppid(k: SyscallContext): number {
  return k.state.procs.byPid(k.state.pid)?.ppid ?? 0;
}
