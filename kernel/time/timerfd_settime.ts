// timerfd_settime(2), as Linux 6.1 fs/timerfd.c SYSCALL_DEFINE4(timerfd_settime): the new
// setting is copied in first (get_itimerspec64: EFAULT); do_timerfd_settime() then checks
// the flags (only TFD_TIMER_ABSTIME | TFD_TIMER_CANCEL_ON_SET) and both timespecs
// (itimerspec64_valid: tv_sec >= 0, 0 <= tv_nsec < 10^9) — EINVAL — before the fd
// (timerfd_fget: EBADF, EINVAL when not a timerfd), EPERM for an alarm timer without
// CAP_WAKE_ALARM; the timer is set, and only then the old setting is copied out (EFAULT, the
// new setting stays). The timer: timerfd.ts.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CAP_WAKE_ALARM, CLOCK_BOOTTIME_ALARM, CLOCK_REALTIME_ALARM } from '../abi.ts';
import { getItimerspec, putItimerspec, timespecValid } from './timer-spec.ts';
import { TFD_SETTIME_FLAGS, timerfdOf } from './timerfd.ts';
import { ktimeSet } from './timers.ts';

// SYSCALL_DEFINE4(timerfd_settime, int, ufd, int, flags,
//   const struct __kernel_itimerspec __user *, utmr, struct __kernel_itimerspec __user *, otmr)
export function timerfd_settime(k: SyscallContext): number {
  const flags = k.i32(1);
  const otmr = k.addr(3);
  const next = getItimerspec(k, k.addr(2));
  if (flags & ~TFD_SETTIME_FLAGS || !timespecValid(next.value) || !timespecValid(next.interval)) return -E.EINVAL;
  const timer = timerfdOf(k, k.i32(0));
  const alarm = timer.clockid === CLOCK_REALTIME_ALARM || timer.clockid === CLOCK_BOOTTIME_ALARM;
  if (alarm && !k.state.proc.creds.capable(CAP_WAKE_ALARM)) return -E.EPERM;
  // timespec64_to_ktime(): seconds at or past KTIME_SEC_MAX saturate to KTIME_MAX.
  const old = timer.set(flags, ktimeSet(next.value.sec, next.value.nsec), ktimeSet(next.interval.sec, next.interval.nsec));
  if (otmr) putItimerspec(k, otmr, old);
  return 0;
}
