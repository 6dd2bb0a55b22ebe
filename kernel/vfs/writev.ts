// writev(2): the segments' bytes gathered in order up to the first unreadable byte and
// written at once; the result is what the file took. Checks as Linux vfs_writev: EBADF
// unless open for writing, then the iovec import errors; EFAULT only if not even the first
// byte is readable.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { importIovec } from './iovec.ts';
import { gatherWrite, totalLength } from './iovec-io.ts';

export function writev(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  if (!file?.writable) return -E.EBADF;
  const segs = importIovec(k.mem, k.u(1), k.u32(2));
  if (totalLength(segs) === 0) return 0;
  return gatherWrite(k.mem, segs, (data) => file.write(data));
}
