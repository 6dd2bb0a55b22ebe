// Interval timers, as Linux 6.1 kernel/time/itimer.c: do_getitimer() / do_setitimer() and the
// conversions to and from struct __kernel_old_itimerval (get_itimerval, put_itimerval).
// setitimer.ts and getitimer.ts are the syscalls; timers.ts fires the timers.
//
// Rounding, as Linux:
//   - ITIMER_REAL is an hrtimer on CLOCK_MONOTONIC with 1 ns resolution: it expires exactly
//     `value` after the call; the time left is reported to the microsecond, truncated
//     (put_itimerval: tv_nsec / NSEC_PER_USEC), and 1 µs while an expired timer is still
//     queued (itimer_get_remtime);
//   - ITIMER_VIRTUAL and ITIMER_PROF are sampled on the tick, so set_cpu_itimer() adds one
//     tick (TICK_NSEC, 4 ms at HZ = 250) to a non-zero value: getitimer right after
//     setitimer({1 s}) reads 1.004000 s; the time left of one that expired but has not been
//     seen by a tick yet reads one tick ("about to fire").
//   - Seconds at or past KTIME_SEC_MAX saturate to KTIME_MAX (ktime_set, timespec64_to_ns):
//     an interval of 2^63 - 1 s reads back as 9223372036.854775 s.

import { ITIMER_PROF, ITIMER_REAL, ITIMER_VIRTUAL } from '../abi.ts';
import { ITIMERVAL, TIMEVAL } from '../abi-structs.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import type { KernelState } from '../state.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { TICK_NSEC } from './clock.ts';
import { cpuItimer, ktimeAddSafe, ktimeSet, nsToTimespec64, processCpuTime, timespec64ToNs, u64, type Timespec64 } from './timers.ts';

export { ITIMER_PROF, ITIMER_REAL, ITIMER_VIRTUAL } from '../abi.ts';

const NSEC_PER_USEC = 1000n;
const USEC_PER_SEC = 1_000_000n;

/** struct itimerspec64: what do_setitimer/do_getitimer pass around. */
export interface Itimerspec64 {
  interval: Timespec64;
  value: Timespec64;
}

const ZERO: Itimerspec64 = { interval: { sec: 0n, nsec: 0n }, value: { sec: 0n, nsec: 0n } };

/** timeval_valid(): tv_sec >= 0 and (unsigned long)tv_usec < USEC_PER_SEC. */
const timevalValid = (sec: bigint, usec: bigint) => sec >= 0n && BigInt.asUintN(64, usec) < USEC_PER_SEC;

/**
 * get_itimerval(): copy the struct in (EFAULT), then both timevals must be canonical (EINVAL);
 * microseconds become nanoseconds. Returns -errno on failure.
 */
export function getItimerval(k: SyscallContext, addr: number): Itimerspec64 | number {
  const v = copyIn(k.mem, addr, ITIMERVAL.SIZE);
  const read = (at: number) => ({ sec: v.getBigInt64(at + TIMEVAL.tv_sec, true), usec: v.getBigInt64(at + TIMEVAL.tv_usec, true) });
  const interval = read(ITIMERVAL.it_interval);
  const value = read(ITIMERVAL.it_value);
  if (!timevalValid(value.sec, value.usec) || !timevalValid(interval.sec, interval.usec)) return -E.EINVAL;
  return {
    interval: { sec: interval.sec, nsec: interval.usec * NSEC_PER_USEC },
    value: { sec: value.sec, nsec: value.usec * NSEC_PER_USEC },
  };
}

/** put_itimerval(): nanoseconds truncated to microseconds; EFAULT (MemoryFault) if not writable. */
export function putItimerval(k: SyscallContext, addr: number, it: Itimerspec64): void {
  const b = new StructBuilder(ITIMERVAL.SIZE);
  for (const [off, ts] of [[ITIMERVAL.it_interval, it.interval], [ITIMERVAL.it_value, it.value]] as const) {
    b.u64(off + TIMEVAL.tv_sec, ts.sec).u64(off + TIMEVAL.tv_usec, ts.nsec / NSEC_PER_USEC);
  }
  copyOut(k.mem, addr, b);
}

/** itimer_get_remtime(): the time left of ITIMER_REAL; 1 µs if it expired but is still queued, 0 if not queued. */
function realRemaining(state: KernelState): bigint {
  const t = state.timers;
  if (!t.realQueued) return 0n;
  const rem = t.realExpires - state.clock.monotonicNs();
  return rem <= 0n ? NSEC_PER_USEC : rem;
}

/** get_cpu_itimer(): the CPU time left (one tick once due), and the reload. */
function getCpuItimer(state: KernelState, which: number): Itimerspec64 {
  const it = cpuItimer(state, which);
  let val = it.expires;
  if (val) {
    const t = processCpuTime(state);
    val = val < t ? TICK_NSEC : val - t; // "about to fire"
  }
  return { value: nsToTimespec64(val), interval: nsToTimespec64(it.incr) };
}

/** do_getitimer(): the timer's state, or -EINVAL for an unknown `which`. */
export function doGetitimer(state: KernelState, which: number): Itimerspec64 | number {
  switch (which) {
    case ITIMER_REAL:
      return { value: nsToTimespec64(realRemaining(state)), interval: nsToTimespec64(state.timers.realIncr) };
    case ITIMER_VIRTUAL:
    case ITIMER_PROF:
      return getCpuItimer(state, which);
    default:
      return -E.EINVAL;
  }
}

/**
 * set_cpu_itimer() with set_process_cpu_timer(): the new value becomes an absolute CPU time
 * one tick later than asked; the old one is reported relative to now (one tick if due).
 */
function setCpuItimer(state: KernelState, which: number, value: Itimerspec64): Itimerspec64 {
  const it = cpuItimer(state, which);
  let nval = u64(timespec64ToNs(value.value.sec, value.value.nsec));
  const ninterval = u64(timespec64ToNs(value.interval.sec, value.interval.nsec));
  let oval = it.expires;
  const ointerval = it.incr;
  if (oval || nval) {
    if (nval > 0n) nval += TICK_NSEC;
    const now = processCpuTime(state);
    if (oval) oval = oval <= now ? TICK_NSEC : oval - now; // "just about to fire"
    if (nval) nval = u64(nval + now);
  }
  it.expires = nval;
  it.incr = ninterval;
  return { value: nsToTimespec64(oval), interval: nsToTimespec64(ointerval) };
}

/**
 * do_setitimer(): the old setting (always computed; the caller writes it only if asked),
 * or -EINVAL for an unknown `which`. ITIMER_REAL: cancel, then a non-zero value starts the
 * hrtimer `value` from now (HRTIMER_MODE_REL: ktime_add_safe) with the new interval; a zero
 * value leaves it stopped and the interval 0.
 */
export function doSetitimer(state: KernelState, which: number, value: Itimerspec64): Itimerspec64 | number {
  switch (which) {
    case ITIMER_REAL: {
      const t = state.timers;
      const old = { value: nsToTimespec64(realRemaining(state)), interval: nsToTimespec64(t.realIncr) };
      t.realQueued = false; // hrtimer_try_to_cancel()
      const expires = ktimeSet(value.value.sec, value.value.nsec);
      if (expires !== 0n) {
        t.realIncr = ktimeSet(value.interval.sec, value.interval.nsec);
        t.realExpires = ktimeAddSafe(expires, state.clock.monotonicNs());
        t.realQueued = true;
      } else t.realIncr = 0n;
      return old;
    }
    case ITIMER_VIRTUAL:
    case ITIMER_PROF:
      return setCpuItimer(state, which, value);
    default:
      return -E.EINVAL;
  }
}

/** The disarming setting setitimer(which, NULL, ...) applies (the "misfeature" Linux keeps). */
export const DISARM: Itimerspec64 = ZERO;
