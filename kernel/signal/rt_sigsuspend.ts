// rt_sigsuspend(2): replace the mask, sleep until a signal is pending, and return
// -ERESTARTNOHAND (EINTR once the handler has run; the old mask comes back with the
// handler's sigreturn — or right away if no handler runs and the call restarts).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { sleep } from '../sched/wait.ts';
import { copyIn } from '../user-memory.ts';
import { ERESTARTNOHAND } from './restart.ts';
import { setBlocked } from './send.ts';
import { SIGSET_SIZE } from './signal-state.ts';

export function rt_sigsuspend(k: SyscallContext): number {
  const t = k.state.thread.current;
  if (!t.wake) {
    // (sigset_t __user *unewset, size_t sigsetsize), kernel/signal.c: exact size first (EINVAL).
    if (k.size(1) !== SIGSET_SIZE) return -E.EINVAL;
    const mask = copyIn(k.mem, k.addr(0), SIGSET_SIZE).getBigUint64(0, true);
    t.savedMask = t.blocked;
    setBlocked(k.state, t, mask);
  }
  if (!t.sigpending) sleep(k.state.thread, { what: 'rt_sigsuspend', cancel: () => {} });
  return -ERESTARTNOHAND;
}
