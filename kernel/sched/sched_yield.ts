// sched_yield(2): the caller goes to the back of the line — the runtime switches to the
// next runnable thread in tid order after this syscall (or carries on if there is none).

import type { SyscallContext } from '../context.ts';

export function sched_yield(k: SyscallContext): number {
  k.state.thread.current.yieldRequested = true;
  return 0;
}
