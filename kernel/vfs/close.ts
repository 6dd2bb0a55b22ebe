// close(2): EBADF if fd is not open; afterwards every use of fd is EBADF.
// close_range(2): flags beyond CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC → EINVAL,
// first > last → EINVAL; closes (or marks close-on-exec) every open fd in the range.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { CLOSE_RANGE_CLOEXEC, CLOSE_RANGE_UNSHARE } from '../abi.ts';

export function close(k: SyscallContext): number {
  return k.state.fds.close(k.u32(0)) ? 0 : -E.EBADF;
}

export function close_range(k: SyscallContext): number {
  const first = k.u32(0);
  const last = k.u32(1);
  const flags = k.u32(2);
  if (flags & ~(CLOSE_RANGE_UNSHARE | CLOSE_RANGE_CLOEXEC)) return -E.EINVAL;
  if (first > last) return -E.EINVAL;
  const fds = k.state.fds;
  for (const fd of fds.fds()) {
    if (fd < first || fd > last) continue;
    if (flags & CLOSE_RANGE_CLOEXEC) fds.setCloexec(fd, true);
    else fds.close(fd);
  }
  return 0;
}
