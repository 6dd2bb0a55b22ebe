// writev(2): the segments' bytes gathered in order up to the first unreadable byte and
// written (in passes, iovec-io.ts); the result is what the file took. Checks as Linux vfs_writev: EBADF
// unless open for writing, then the iovec import errors; EFAULT only if not even the first
// byte is readable. RLIMIT_FSIZE (fsize.ts) shortens the segments of a write to a regular
// file (generic_write_checks(): iov_iter_truncate) or refuses it.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { importIovec } from './iovec.ts';
import { gatherWrite, totalLength, truncateSegments } from './iovec-io.ts';
import { fsizeLimited, fsizeWriteCount } from './fsize.ts';
import type { OpenFile } from './file.ts';
import { StdioFile } from './stdio-file.ts';

/** Files that take whatever they are given (short of an error), so a write may go in passes. */
export const writesWhole = (file: OpenFile): boolean => file.positional || file instanceof StdioFile;

export function writev(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  if (!file?.writable) return -E.EBADF;
  let segs = importIovec(k.mem, k.addr(1), k.u32(2));
  if (totalLength(segs) === 0) return 0;
  if (fsizeLimited(k, file)) {
    const n = fsizeWriteCount(k, file, file.writePos(), totalLength(segs));
    if (n < 0) return n;
    segs = truncateSegments(segs, n);
  }
  return gatherWrite(k.mem, segs, writesWhole(file), (len) => file.writeBound(len), (data) => file.write(data));
}
