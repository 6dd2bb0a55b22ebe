// getuid(2): the real user id (0 at start, changed by the set*uid calls).

import type { SyscallContext } from '../context.ts';

export function getuid(k: SyscallContext): number {
  return k.state.proc.creds.uid.r;
}
