// getitimer(2), Linux 6.1 kernel/time/itimer.c SYSCALL_DEFINE2(getitimer): do_getitimer()
// first (EINVAL for a `which` other than ITIMER_REAL/VIRTUAL/PROF), then put_itimerval()
// (EFAULT, a NULL pointer included — qemu-riscv64 7.2 skips the copy for NULL and returns 0:
// qemu deviation getitimer-null-succeeds). What the values mean: itimer.ts.

import type { SyscallContext } from '../context.ts';
import { doGetitimer, putItimerval } from './itimer.ts';

export function getitimer(k: SyscallContext): number {
  // (int which, struct __kernel_old_itimerval __user *value)
  const cur = doGetitimer(k.state, k.i32(0));
  if (typeof cur === 'number') return cur;
  putItimerval(k, k.addr(1), cur);
  return 0;
}
