// readlinkat(2), as Linux do_readlinkat: EINVAL for bufsiz <= 0, then the path's EFAULT /
// ENAMETOOLONG, EBADF / ENOTDIR for a relative path against a bad / non-directory dirfd,
// the walk (a final symlink is not followed); not a symlink → EINVAL (an empty path naming
// dirfd: ENOENT). The target is copied without NUL, cut at bufsiz; the count is returned.
// /proc/self/exe reads as the executable's resolved path.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut, latin1Bytes } from '../user-memory.ts';
import { AT_EMPTY_PATH } from './at.ts';
import { pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';

export function readlinkat(k: SyscallContext): number {
  const bufsiz = k.i32(3);
  if (bufsiz <= 0) return -E.EINVAL;
  const target = lookupAt(k, k.i32(0), pathArg(k, 1), AT_EMPTY_PATH, false);
  const node = target.loc?.node;
  if (!node || node.type !== 'lnk') return target.empty ? -E.ENOENT : -E.EINVAL;
  const bytes = latin1Bytes(node.readlink()).subarray(0, bufsiz);
  copyOut(k.mem, k.addr(2), bytes);
  return bytes.length;
}
