// timer_delete(2), Linux 6.1 kernel/time/posix-timers.c SYSCALL_DEFINE1(timer_delete): EINVAL
// for an unknown timer; else it is disarmed and forgotten (its id is not given out again until
// the ids wrap). A signal it already queued stays queued and is delivered, but re-arms nothing
// (sigqueue_free: the entry is no longer SIGQUEUE_PREALLOC).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { deleteTimer } from './posix-timers.ts';

export function timer_delete(k: SyscallContext): number {
  const t = k.state.timers.posix.get(k.i32(0)); // (timer_t timer_id)
  if (!t) return -E.EINVAL;
  deleteTimer(k.state, t);
  return 0;
}
