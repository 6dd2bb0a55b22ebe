// getgid(2): the real group id (0 at start, changed by the set*gid calls).

import type { SyscallContext } from '../context.ts';

export function getgid(k: SyscallContext): number {
  return k.state.proc.creds.gid.r;
}
