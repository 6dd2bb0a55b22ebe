// timer_gettime(2), Linux 6.1 kernel/time/posix-timers.c SYSCALL_DEFINE2(timer_gettime):
// EINVAL for an unknown timer, then the setting (common_timer_get / posix_cpu_timer_get,
// posix-timers.ts: the time left, 1 ns once expired with the signal not yet delivered, 0 for
// a disarmed or spent one-shot timer; the interval) is written (EFAULT).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { commonTimerGet, posixCpuTimerGet } from './posix-timers.ts';
import { putItimerspec } from './timer-spec.ts';

export function timer_gettime(k: SyscallContext): number {
  // (timer_t timer_id, struct __kernel_itimerspec __user *setting)
  const t = k.state.timers.posix.get(k.i32(0));
  if (!t) return -E.EINVAL;
  const cur = { interval: 0n, value: 0n };
  if (t.clock.kind === 'cpu') posixCpuTimerGet(k.state, t, cur);
  else commonTimerGet(k.state, t, cur);
  putItimerspec(k, k.addr(1), cur);
  return 0;
}
