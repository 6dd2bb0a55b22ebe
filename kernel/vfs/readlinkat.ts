// readlinkat(2). Supported: /proc/self/exe (and /proc/<pid>/exe, /proc/thread-self/exe),
// which reads as ProcessImage.execPath: min(length, bufsiz) bytes, no NUL, count returned.
// Errors as Linux do_readlinkat: EINVAL for bufsiz <= 0, then the path's EFAULT /
// ENAMETOOLONG, ENOENT for an empty path, EBADF / ENOTDIR for a relative path against a
// bad / non-directory dirfd.
// Partial: there is no filesystem yet, so every other path is ENOENT.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { PID } from '../process/identity.ts';
import { copyOut, latin1Bytes, readPath } from '../user-memory.ts';
import { AT_FDCWD } from './at.ts';

const EXE_LINKS = new Set(['/proc/self/exe', '/proc/thread-self/exe', `/proc/${PID}/exe`, `/proc/${PID}/task/${PID}/exe`]);

export function readlinkat(k: SyscallContext): number {
  const dirfd = k.i32(0);
  const bufsiz = k.i32(3);
  if (bufsiz <= 0) return -E.EINVAL;
  const path = readPath(k.mem, k.u(1));
  if (path === '') return -E.ENOENT;
  if (EXE_LINKS.has(path)) {
    const target = latin1Bytes(k.image.exeLink ?? k.image.execPath).subarray(0, bufsiz);
    copyOut(k.mem, k.u(2), target);
    return target.length;
  }
  if (!path.startsWith('/') && dirfd !== AT_FDCWD) {
    if (!k.state.fds.get(dirfd)) return -E.EBADF;
    return -E.ENOTDIR;
  }
  return -E.ENOENT;
}
