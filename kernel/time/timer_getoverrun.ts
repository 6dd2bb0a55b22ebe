// timer_getoverrun(2), Linux 6.1 kernel/time/posix-timers.c SYSCALL_DEFINE1(timer_getoverrun):
// EINVAL for an unknown timer; else the overruns counted when its last signal was delivered
// (it_overrun_last, clamped to INT_MAX).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { overrunToInt } from './posix-timers.ts';

export function timer_getoverrun(k: SyscallContext): number {
  const t = k.state.timers.posix.get(k.i32(0)); // (timer_t timer_id)
  return t ? overrunToInt(t, 0) : -E.EINVAL;
}
