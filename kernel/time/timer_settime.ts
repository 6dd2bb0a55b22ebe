// timer_settime(2), Linux 6.1 kernel/time/posix-timers.c SYSCALL_DEFINE4(timer_settime) and
// do_timer_settime(), in their order: a NULL new value is EINVAL; it is copied in (EFAULT);
// both timespecs must be valid (EINVAL); the timer must exist (EINVAL); the clock's
// timer_set (posix-timers.ts: common_timer_set, or posix_cpu_timer_set — ESRCH when the
// thread whose CPU clock it runs on is gone); then the old setting is written (EFAULT).
// `flags` is not checked: only TIMER_ABSTIME means anything.

import { TIMER_ABSTIME } from '../abi.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { commonTimerSet, posixCpuTimerSet } from './posix-timers.ts';
import { getItimerspec, putItimerspec, timespecValid } from './timer-spec.ts';
import { ktimeSet } from './timers.ts';

export function timer_settime(k: SyscallContext): number {
  // (timer_t timer_id, int flags, const struct __kernel_itimerspec __user *new_setting,
  //  struct __kernel_itimerspec __user *old_setting)
  const id = k.i32(0);
  const abs = (k.i32(1) & TIMER_ABSTIME) !== 0;
  const newp = k.addr(2);
  const oldp = k.addr(3);
  if (!newp) return -E.EINVAL;
  const spec = getItimerspec(k, newp);
  if (!timespecValid(spec.interval) || !timespecValid(spec.value)) return -E.EINVAL;
  const t = k.state.timers.posix.get(id);
  if (!t) return -E.EINVAL;
  const old = oldp ? { interval: 0n, value: 0n } : undefined;
  // timespec64_to_ktime(): seconds past KTIME_SEC_MAX saturate.
  const value = ktimeSet(spec.value.sec, spec.value.nsec);
  const interval = ktimeSet(spec.interval.sec, spec.interval.nsec);
  if (t.clock.kind === 'cpu') {
    if (posixCpuTimerSet(k.state, t, abs, value, interval, old) === undefined) return -E.ESRCH;
  } else commonTimerSet(k.state, t, abs, value, interval, old);
  if (old) putItimerspec(k, oldp, old);
  return 0;
}
