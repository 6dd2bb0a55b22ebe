// getcwd(2), chdir(2), fchdir(2), umask(2).
//   getcwd: ENOENT if the working directory was removed; ERANGE if the path and its NUL do
//     not fit in size; EFAULT; returns the length including the NUL.
//   chdir: the lookup (following), ENOTDIR for a non-directory, then search permission
//     on it (path_permission(MAY_EXEC | MAY_CHDIR): EACCES). fchdir: EBADF (O_PATH
//     allowed), ENOTDIR, then the same permission (file_permission()).
//   umask: sets mask & 0777, returns the old one.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut, latin1Bytes } from '../user-memory.ts';
import { AT_FDCWD } from './at.ts';
import { pathArg, rawFileOf, startOf } from './fd-util.ts';
import { credsOf, inodePermission, MAY_EXEC, walkOf } from './permission.ts';

export function getcwd(k: SyscallContext): number {
  const cwd = k.state.vfs.cwd;
  if (cwd.node.unlinked) return -E.ENOENT;
  const bytes = latin1Bytes(cwd.path() + '\0');
  if (bytes.length > k.size(1)) return -E.ERANGE;
  copyOut(k.mem, k.addr(0), bytes);
  return bytes.length;
}

export function chdir(k: SyscallContext): number {
  const path = pathArg(k, 0);
  const vfs = k.state.vfs;
  const loc = vfs.ns.resolve(startOf(k, AT_FDCWD, path), path, true, walkOf(k));
  if (loc.node.type !== 'dir') return -E.ENOTDIR;
  const denied = inodePermission(credsOf(k), loc.node, MAY_EXEC);
  if (denied) return denied;
  vfs.cwd = loc;
  return 0;
}

export function fchdir(k: SyscallContext): number {
  const loc = rawFileOf(k, k.i32(0)).loc;
  if (!loc || loc.node.type !== 'dir') return -E.ENOTDIR;
  const denied = inodePermission(credsOf(k), loc.node, MAY_EXEC);
  if (denied) return denied;
  k.state.vfs.cwd = loc;
  return 0;
}

export function umask(k: SyscallContext): number {
  const vfs = k.state.vfs;
  const old = vfs.umask;
  vfs.umask = k.u32(0) & 0o777;
  return old;
}
