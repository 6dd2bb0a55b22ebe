// writev(2): the segments' bytes gathered in order up to the first unreadable byte and
// written (in passes, iovec-io.ts); the result is what the file took. Checks as Linux vfs_writev: EBADF
// unless open for writing, then the iovec import errors; EFAULT only if not even the first
// byte is readable.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { importIovec } from './iovec.ts';
import { gatherWrite, totalLength } from './iovec-io.ts';
import type { OpenFile } from './file.ts';
import { StdioFile } from './stdio-file.ts';

/** Files that take whatever they are given (short of an error), so a write may go in passes. */
export const writesWhole = (file: OpenFile): boolean => file.positional || file instanceof StdioFile;

export function writev(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  if (!file?.writable) return -E.EBADF;
  const segs = importIovec(k.mem, k.addr(1), k.u32(2));
  if (totalLength(segs) === 0) return 0;
  return gatherWrite(k.mem, segs, writesWhole(file), (len) => file.writeBound(len), (data) => file.write(data));
}
