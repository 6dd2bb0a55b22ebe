// geteuid(2): the effective user id.

import type { SyscallContext } from '../context.ts';

export function geteuid(k: SyscallContext): number {
  return k.state.proc.creds.uid.e;
}
