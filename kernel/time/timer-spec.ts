// struct __kernel_itimerspec in and out (get_itimerspec64 / put_itimerspec64), shared by
// timer_settime.ts and timer_gettime.ts.

import { ITIMERSPEC, TIMESPEC } from '../abi-structs.ts';
import type { SyscallContext } from '../context.ts';
import { StructBuilder, copyIn, copyOut } from '../user-memory.ts';
import { NS_PER_SEC } from './clock.ts';
import { nsToTimespec64, type Timespec64 } from './timers.ts';

/** get_itimerspec64(): both timespecs as they are (64-bit tv_nsec: no compat truncation). */
export function getItimerspec(k: SyscallContext, addr: number): { interval: Timespec64; value: Timespec64 } {
  const v = copyIn(k.mem, addr, ITIMERSPEC.SIZE);
  const read = (at: number) => ({ sec: v.getBigInt64(at + TIMESPEC.tv_sec, true), nsec: v.getBigInt64(at + TIMESPEC.tv_nsec, true) });
  return { interval: read(ITIMERSPEC.it_interval), value: read(ITIMERSPEC.it_value) };
}

/** timespec64_valid(): tv_sec >= 0 and (unsigned long)tv_nsec < NSEC_PER_SEC. */
export const timespecValid = (ts: Timespec64) => ts.sec >= 0n && BigInt.asUintN(64, ts.nsec) < NS_PER_SEC;

/** put_itimerspec64() of a setting in ns (ktime_to_timespec64 / ns_to_timespec64 of each). */
export function putItimerspec(k: SyscallContext, addr: number, cur: { interval: bigint; value: bigint }): void {
  const b = new StructBuilder(ITIMERSPEC.SIZE);
  for (const [off, ns] of [[ITIMERSPEC.it_interval, cur.interval], [ITIMERSPEC.it_value, cur.value]] as const) {
    const ts = nsToTimespec64(ns);
    b.u64(off + TIMESPEC.tv_sec, ts.sec).u64(off + TIMESPEC.tv_nsec, ts.nsec);
  }
  copyOut(k.mem, addr, b);
}
