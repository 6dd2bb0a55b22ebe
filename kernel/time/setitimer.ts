// setitimer(2), Linux 6.1 kernel/time/itimer.c SYSCALL_DEFINE3(setitimer), in its order:
//   1. a non-NULL new value is copied in (EFAULT) and checked (get_itimerval: tv_sec >= 0,
//      0 <= tv_usec < 10^6 in both timevals, else EINVAL) — before `which` is looked at;
//      a NULL one disarms (memset 0: the "misfeature" Linux still supports);
//   2. do_setitimer(): EINVAL for a `which` other than ITIMER_REAL/VIRTUAL/PROF; the timer
//      is set (itimer.ts);
//   3. the old setting is written last (put_itimerval, EFAULT) — the new one stays in force.
// A timer's expiry sends SIGALRM / SIGVTALRM / SIGPROF to the process (timers.ts).

import type { SyscallContext } from '../context.ts';
import { DISARM, doSetitimer, getItimerval, putItimerval } from './itimer.ts';

export function setitimer(k: SyscallContext): number {
  // (int which, struct __kernel_old_itimerval __user *value, struct __kernel_old_itimerval __user *ovalue)
  const which = k.i32(0);
  const value = k.addr(1);
  const ovalue = k.addr(2);
  const set = value ? getItimerval(k, value) : DISARM;
  if (typeof set === 'number') return set;
  const old = doSetitimer(k.state, which, set);
  if (typeof old === 'number') return old;
  if (ovalue) putItimerval(k, ovalue, old);
  return 0;
}
