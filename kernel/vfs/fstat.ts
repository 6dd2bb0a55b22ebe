// fstat(2): EBADF if fd is not open (O_PATH descriptors work), EFAULT if statbuf is not
// writable.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut } from '../user-memory.ts';
import { encodeStat } from './stat.ts';

export function fstat(k: SyscallContext): number {
  const file = k.state.fds.getRaw(k.u32(0));
  if (!file) return -E.EBADF;
  copyOut(k.mem, k.addr(1), encodeStat(file.stat()));
  return 0;
}
