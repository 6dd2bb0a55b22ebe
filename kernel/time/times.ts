// times(2): struct tms { utime, stime, cutime, cstime } in clock ticks (USER_HZ = 100) —
// the process's CPU time as user time, no system time, no children — written only when
// buf is non-NULL (EFAULT if not writable). Returns the tick count since boot in clock_t,
// counted like Linux's jiffies, which start at INITIAL_JIFFIES (5 minutes before wrapping
// 32 bits) so that uptime 0 is 2^32 - 300*HZ.

import type { SyscallContext } from '../context.ts';
import { StructBuilder, copyOut } from '../user-memory.ts';
import { HZ, NS_PER_SEC, TICK_NSEC, USER_HZ } from './clock.ts';
import { processCpuNs } from './cpu-time.ts';

const INITIAL_JIFFIES = (1n << 32n) - 300n * HZ;

/** nsec_to_clock_t(). */
export function nsToClockT(ns: bigint): bigint {
  return ns / (NS_PER_SEC / USER_HZ);
}

export function times(k: SyscallContext): bigint {
  const buf = k.addr(0); // struct tms __user *tbuf
  if (buf) copyOut(k.mem, buf, new StructBuilder(32).u64(0, nsToClockT(processCpuNs(k))));
  const jiffies = INITIAL_JIFFIES + k.state.clock.monotonicNs() / TICK_NSEC;
  // jiffies_64_to_clock_t() for HZ=250, USER_HZ=100 (TICK_NSEC not a multiple of 10 ms).
  return (jiffies * TICK_NSEC) / (NS_PER_SEC / USER_HZ);
}
