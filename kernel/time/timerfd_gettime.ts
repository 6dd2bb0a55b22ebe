// timerfd_gettime(2), as Linux 6.1 fs/timerfd.c: timerfd_fget() (EBADF for a closed or
// O_PATH fd, EINVAL for a file that is not a timerfd), do_timerfd_gettime() (an expired
// periodic timer is moved past now, its skipped intervals added to the ticks read will
// return), then put_itimerspec64 (EFAULT): it_value the time left, it_interval the period.

import type { SyscallContext } from '../context.ts';
import { putItimerspec } from './timer-spec.ts';
import { timerfdOf } from './timerfd.ts';

// SYSCALL_DEFINE2(timerfd_gettime, int, ufd, struct __kernel_itimerspec __user *, otmr)
export function timerfd_gettime(k: SyscallContext): number {
  const cur = timerfdOf(k, k.i32(0)).get();
  putItimerspec(k, k.addr(1), cur);
  return 0;
}
