// rt_sigpending(2): signals pending for the thread or the process that the thread blocks.
// sigsetsize may be smaller than sigset_t (that many bytes are copied), not larger (EINVAL).
// (sigset_t __user *uset, size_t sigsetsize), kernel/signal.c: `if (sigsetsize > sizeof(sigset_t))
// return -EINVAL;` on the exact size_t (k.size: HUGE above 2^53, still > 8).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { SIGSET_SIZE } from './signal-state.ts';

export function rt_sigpending(k: SyscallContext): number {
  const size = k.size(1);
  if (size > SIGSET_SIZE) return -E.EINVAL;
  const t = k.state.thread.current;
  const set = (t.pending.set | k.state.signals.shared.set) & t.blocked;
  copyOut(k.mem, k.addr(0), new StructBuilder(SIGSET_SIZE).u64(0, set).bytes.subarray(0, size));
  return 0;
}
