// personality(2): returns the previous persona and sets the new one, unless it is
// 0xffffffff (query). Any value is accepted, as on Linux; READ_IMPLIES_EXEC is the only
// flag that changes anything here (mmap/mprotect add PROT_EXEC to PROT_READ).

import type { SyscallContext } from '../context.ts';

const QUERY = 0xffffffff;

export function personality(k: SyscallContext): number {
  const proc = k.state.proc;
  const old = proc.personality;
  const next = k.u32(0);
  if (next !== QUERY) proc.personality = next;
  return old;
}
