// newfstatat(2) (fstatat on riscv64), as Linux vfs_fstatat/vfs_statx: EINVAL for unknown
// flags, then the path's EFAULT / ENAMETOOLONG, "" → ENOENT unless AT_EMPTY_PATH (then
// dirfd itself, any open file), EBADF / ENOTDIR for a relative path against a bad /
// non-directory dirfd, then the walk (AT_SYMLINK_NOFOLLOW stats a final symlink itself).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut } from '../user-memory.ts';
import { AT_EMPTY_PATH, AT_NO_AUTOMOUNT, AT_STATX_SYNC_TYPE, AT_SYMLINK_NOFOLLOW } from './at.ts';
import { pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';
import { encodeStat } from './stat.ts';

const VALID_FLAGS = AT_SYMLINK_NOFOLLOW | AT_NO_AUTOMOUNT | AT_EMPTY_PATH | AT_STATX_SYNC_TYPE;

export function newfstatat(k: SyscallContext): number {
  const flags = k.i32(3);
  if (flags & ~VALID_FLAGS) return -E.EINVAL;
  const target = lookupAt(k, k.i32(0), pathArg(k, 1), flags);
  copyOut(k.mem, k.addr(2), encodeStat(target.stat()));
  return 0;
}
