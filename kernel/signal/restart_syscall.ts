// restart_syscall(2): continues a sleep a signal interrupted when no handler ran (the
// interrupted call left its continuation in thread.restart); otherwise EINTR, as Linux's
// do_no_restart_syscall.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';

export function restart_syscall(k: SyscallContext): number {
  const fn = k.state.thread.current.restart;
  return fn ? fn(k) : -E.EINTR;
}
