// lseek(2): EBADF, then whence beyond SEEK_HOLE is EINVAL (even on a pipe), then the file
// decides: pipes and terminals ESPIPE; regular files SEEK_SET/CUR/END, SEEK_DATA/HOLE with
// no holes (data up to the size, ENXIO at or past it); a negative result is EINVAL.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SEEK_HOLE } from './constants.ts';

export function lseek(k: SyscallContext): number {
  const file = k.state.fds.get(k.u32(0));
  if (!file) return -E.EBADF;
  const whence = k.u32(2);
  if (whence > SEEK_HOLE) return -E.EINVAL;
  return file.seek(k.off(1), whence);
}
