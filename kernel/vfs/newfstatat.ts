// newfstatat(2) (fstatat on riscv64). Supported: an empty path with AT_EMPTY_PATH, which
// stats dirfd like fstat. Errors as Linux vfs_statx: EINVAL for unknown flags, then the
// path's EFAULT / ENAMETOOLONG, ENOENT for an empty path without AT_EMPTY_PATH, EBADF /
// ENOTDIR for a relative path against a bad / non-directory dirfd.
// Partial: there is no filesystem yet, so any other path lookup stops the guest.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut, readPath } from '../user-memory.ts';
import { AT_EMPTY_PATH, AT_FDCWD, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_SYMLINK_NOFOLLOW } from './at.ts';
import { encodeStat } from './stat.ts';

const VALID_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;

export function newfstatat(k: SyscallContext): number {
  const dirfd = k.i32(0);
  const flags = k.i32(3);
  if (flags & ~VALID_FLAGS) return -E.EINVAL;
  const path = readPath(k.mem, k.u(1));
  if (path === '') {
    if (!(flags & AT_EMPTY_PATH)) return -E.ENOENT;
    if (dirfd === AT_FDCWD) k.unsupported('stat of the working directory (no filesystem yet)');
    const file = k.state.fds.get(dirfd);
    if (!file) return -E.EBADF;
    copyOut(k.mem, k.u(2), encodeStat(file.stat()));
    return 0;
  }
  if (!path.startsWith('/') && dirfd !== AT_FDCWD) {
    if (!k.state.fds.get(dirfd)) return -E.EBADF;
    return -E.ENOTDIR; // the only open files are the standard streams
  }
  k.unsupported(`path lookup of '${path}' (no filesystem yet)`);
}
