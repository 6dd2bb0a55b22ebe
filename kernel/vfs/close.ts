// close(2): EBADF if fd is not open; afterwards every use of fd is EBADF.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';

export function close(k: SyscallContext): number {
  return k.state.fds.close(k.u32(0)) ? 0 : -E.EBADF;
}
