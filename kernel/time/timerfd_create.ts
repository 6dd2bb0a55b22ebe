// timerfd_create(2), as Linux 6.1 fs/timerfd.c SYSCALL_DEFINE2(timerfd_create): flags other
// than TFD_CLOEXEC | TFD_NONBLOCK, or a clock other than MONOTONIC, REALTIME, REALTIME_ALARM,
// BOOTTIME, BOOTTIME_ALARM, are EINVAL; an alarm clock without CAP_WAKE_ALARM is EPERM; then
// anon_inode_getfd("[timerfd]", ..., O_RDWR | (flags & TFD_SHARED_FCNTL_FLAGS)): the lowest
// free fd (EMFILE), close-on-exec with TFD_CLOEXEC, F_GETFL O_RDWR plus O_NONBLOCK.
// The timer: timerfd.ts.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CAP_WAKE_ALARM, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM, CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM, TFD_CLOEXEC, TFD_NONBLOCK } from '../abi.ts';
import { O_CLOEXEC, O_NONBLOCK, O_RDWR } from '../vfs/constants.ts';
import { nofileLimit } from '../vfs/fd-util.ts';
import { TimerFd } from './timerfd.ts';

/** include/linux/timerfd.h: TFD_SHARED_FCNTL_FLAGS, which is also TFD_CREATE_FLAGS. */
const TFD_CREATE_FLAGS = TFD_CLOEXEC | TFD_NONBLOCK;
const CLOCKS = [CLOCK_MONOTONIC, CLOCK_REALTIME, CLOCK_REALTIME_ALARM, CLOCK_BOOTTIME, CLOCK_BOOTTIME_ALARM];

// SYSCALL_DEFINE2(timerfd_create, int, clockid, int, flags)
export function timerfd_create(k: SyscallContext): number {
  const clockid = k.i32(0);
  const flags = k.i32(1);
  if (flags & ~TFD_CREATE_FLAGS || !CLOCKS.includes(clockid)) return -E.EINVAL;
  if ((clockid === CLOCK_REALTIME_ALARM || clockid === CLOCK_BOOTTIME_ALARM) && !k.state.proc.creds.capable(CAP_WAKE_ALARM)) return -E.EPERM;
  const file = new TimerFd(k.state, clockid, O_RDWR | (flags & O_NONBLOCK));
  return k.state.fds.allocate(file, nofileLimit(k), (flags & O_CLOEXEC) !== 0);
}
