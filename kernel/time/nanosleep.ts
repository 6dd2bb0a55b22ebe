// nanosleep(2) and clock_nanosleep(2) on the virtual clock (kernel/time/hrtimer.c,
// posix-timers.c): the thread sleeps until the deadline — while others run, time advances
// with their instructions; when every thread sleeps, the clock jumps to the earliest
// deadline. A signal with a handler ends the sleep with EINTR and, for a relative sleep,
// the remaining time in *rem; an absolute sleep restarts (-ERESTARTNOHAND) if no handler
// runs, a relative one through restart_syscall(2). CPU-time clocks: cpu-nanosleep.ts.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { ERESTARTNOHAND, ERESTART_RESTARTBLOCK } from '../signal/restart.ts';
import { CLOCK, NS_PER_SEC } from './clock.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { PROCESS_CLOCK, cpuNanosleep } from './cpu-nanosleep.ts';
import { sleep } from '../sched/wait.ts';
import { TIMER_ABSTIME } from '../abi.ts';

/** struct __kernel_timespec at addr: ns, or -EINVAL/-EFAULT (timespec64_valid). */
function readTimespec(k: SyscallContext, addr: number): bigint | number {
  const ts = copyIn(k.mem, addr, 16);
  const sec = ts.getBigInt64(0, true);
  const nsec = ts.getBigInt64(8, true);
  if (sec < 0n || nsec < 0n || nsec >= NS_PER_SEC) return -E.EINVAL;
  return sec * NS_PER_SEC + nsec;
}

export function nanosleep(k: SyscallContext): number {
  const t = k.state.thread.current;
  // (struct __kernel_timespec __user *rqtp, struct __kernel_timespec __user *rmtp)
  if (t.wake) return finish(k, k.addr(1), false);
  const ns = readTimespec(k, k.addr(0));
  if (typeof ns === 'number') return ns;
  t.restart = undefined; // restart_block.fn = do_no_restart_syscall
  return sleepUntil(k, k.state.clock.monotonicNs() + ns, k.addr(1), false);
}

/** clockid_to_kclock(): how clock sleeps — an hrtimer, CPU time, an alarm — or why it cannot. */
function sleepKind(clock: number): 'hrtimer' | 'cpu' | 'alarm' | 'EINVAL' | 'EOPNOTSUPP' {
  // Negative: a clock fd (no nsleep) when the low bits are CLOCKFD (3), else a CPU clock.
  if (clock < 0) return (clock & 7) === 3 ? 'EOPNOTSUPP' : 'cpu';
  switch (clock) {
    case CLOCK.REALTIME:
    case CLOCK.MONOTONIC:
    case CLOCK.BOOTTIME:
    case CLOCK.TAI:
      return 'hrtimer';
    case CLOCK.PROCESS_CPUTIME_ID:
      return 'cpu';
    case CLOCK.REALTIME_ALARM:
    case CLOCK.BOOTTIME_ALARM:
      return 'alarm';
    case CLOCK.THREAD_CPUTIME_ID:
    case CLOCK.MONOTONIC_RAW:
    case CLOCK.REALTIME_COARSE:
    case CLOCK.MONOTONIC_COARSE:
      return 'EOPNOTSUPP'; // a k_clock without nsleep
    default:
      return 'EINVAL'; // SGI_CYCLE (removed) and unknown ids
  }
}

/**
 * SYSCALL_DEFINE4(clock_nanosleep): the clock (EINVAL, or EOPNOTSUPP when it cannot
 * sleep), then the request (EFAULT, EINVAL), then the clock's nsleep.
 */
export function clock_nanosleep(k: SyscallContext): number {
  const clock = k.i32(0);
  const abs = (k.i32(1) & TIMER_ABSTIME) !== 0;
  // (clockid_t which_clock, int flags, const struct __kernel_timespec __user *rqtp,
  //  struct __kernel_timespec __user *rmtp)
  const rem = abs ? 0 : k.addr(3);
  const t = k.state.thread.current;
  if (t.wake) return finish(k, rem, abs);

  const kind = sleepKind(clock);
  if (kind === 'EINVAL' || kind === 'EOPNOTSUPP') return -E[kind];
  const ns = readTimespec(k, k.addr(2));
  if (typeof ns === 'number') return ns;
  t.restart = undefined;
  if (kind === 'alarm') return -E.EOPNOTSUPP; // alarm_timer_nsleep(): there is no RTC device
  if (kind === 'cpu') return cpuNanosleep(k, clock === CLOCK.PROCESS_CPUTIME_ID ? PROCESS_CLOCK : clock, abs, ns);
  const c = k.state.clock;
  let deadline: bigint;
  if (!abs) deadline = c.monotonicNs() + ns;
  else if (clock === CLOCK.REALTIME || clock === CLOCK.TAI) deadline = ns - (c.realtimeNs() - c.monotonicNs());
  else deadline = ns; // MONOTONIC and BOOTTIME read the same here
  return sleepUntil(k, deadline, rem, abs);
}

function sleepUntil(k: SyscallContext, deadline: bigint, rem: number, abs: boolean): number {
  const t = k.state.thread.current;
  if (deadline <= k.state.clock.monotonicNs()) return 0;
  if (t.sigpending) return interrupted(k, deadline, rem, abs);
  sleep(k.state.thread, { what: abs ? 'clock_nanosleep' : 'nanosleep', deadline, cancel: () => {} });
}

/** The re-executed call after the thread was woken. */
function finish(k: SyscallContext, rem: number, abs: boolean): number {
  const t = k.state.thread.current;
  if (t.wake === 'timeout') return 0;
  return interrupted(k, t.deadline!, rem, abs);
}

/** do_nanosleep() after a signal: remaining time to *rem, then the restart code. */
function interrupted(k: SyscallContext, deadline: bigint, rem: number, abs: boolean): number {
  const left = deadline - k.state.clock.monotonicNs();
  if (left <= 0n) return 0;
  if (abs) return -ERESTARTNOHAND;
  if (rem) copyOut(k.mem, rem, new StructBuilder(16).u64(0, left / NS_PER_SEC).u64(8, left % NS_PER_SEC));
  // restart_syscall(2) sleeps on to the same deadline (hrtimer_nanosleep_restart).
  k.state.thread.current.restart = (rk) => (rk.state.thread.current.wake ? finish(rk, rem, false) : sleepUntil(rk, deadline, rem, false));
  return -ERESTART_RESTARTBLOCK;
}
