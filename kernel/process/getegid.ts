// getegid(2): the effective group id.

import type { SyscallContext } from '../context.ts';

export function getegid(k: SyscallContext): number {
  return k.state.proc.creds.gid.e;
}
