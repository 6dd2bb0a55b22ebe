// munmap(2), as Linux 6.1 do_mas_munmap(): EINVAL for an unaligned address, a zero length,
// or a range leaving the user half; unmapping nothing is fine.

import { USER_TOP, roundUp } from '../../emulator/memory.ts';
import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';

export function munmap(k: SyscallContext): number {
  const addr = k.u(0);
  const len = k.u(1);
  if (addr % 4096 !== 0 || addr > USER_TOP || len > USER_TOP - addr) return -E.EINVAL;
  const size = roundUp(len);
  if (size === 0) return -E.EINVAL;
  k.mem.unmap(addr, size);
  return 0;
}
