// readv(2): one read of up to the buffers' total size, scattered over the segments in order.
// Checks as Linux vfs_readv: EBADF unless open for reading, then the iovec import errors;
// a total of 0 reads nothing; the segments are filled
// up to the first unwritable byte (EFAULT if that is the very first byte).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { importIovec } from './iovec.ts';
import { scatterRead, totalLength } from './iovec-io.ts';

export function readv(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  if (!file?.readable) return -E.EBADF;
  const segs = importIovec(k.mem, k.addr(1), k.u32(2));
  if (totalLength(segs) === 0) return 0;
  return scatterRead(k.mem, segs, file.positional, (len) => file.read(len));
}
