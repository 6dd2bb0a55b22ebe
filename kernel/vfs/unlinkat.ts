// unlinkat(2), as Linux 6.1 do_unlinkat / do_rmdir, then vfs_unlink / vfs_rmdir.
//   unlink: "." ".." "/" → EISDIR; EROFS; a missing name ENOENT; a trailing slash: a
//     directory EISDIR, anything else ENOTDIR; may_delete() (permission.ts): write and
//     search permission on the directory (EACCES), the sticky rule (EPERM), a directory
//     EISDIR.
//   AT_REMOVEDIR: ".." → ENOTEMPTY, "." → EINVAL, "/" → EBUSY; EROFS; missing ENOENT;
//     may_delete(): EACCES, EPERM, not a directory ENOTDIR; a mount point EBUSY; not empty
//     ENOTEMPTY.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { AT_REMOVEDIR } from './at.ts';
import { pathArg } from './fd-util.ts';
import { parentOf } from './names.ts';
import { credsOf, mayDelete } from './permission.ts';

export function unlinkat(k: SyscallContext): number {
  const flags = k.i32(2);
  if (flags & ~AT_REMOVEDIR) return -E.EINVAL;
  const path = pathArg(k, 1);
  const p = parentOf(k, k.i32(0), path);
  const ns = k.state.vfs.ns;
  if (flags & AT_REMOVEDIR) {
    if (p.kind === 'dotdot') return -E.ENOTEMPTY;
    if (p.kind === 'dot') return -E.EINVAL;
    if (p.kind === 'root') return -E.EBUSY;
    if (p.dir.node.fs.readOnly) return -E.EROFS;
    const victim = ns.child(p.dir, p.name);
    if (!victim) return -E.ENOENT;
    mayDelete(credsOf(k), p.dir.node, victim.node, true);
    if (ns.isMountBoundary(victim.node)) return -E.EBUSY;
    if (!victim.node.isEmpty()) return -E.ENOTEMPTY;
    p.dir.node.rmdir(p.name);
    return 0;
  }
  if (p.kind !== 'norm') return -E.EISDIR;
  if (p.dir.node.fs.readOnly) return -E.EROFS;
  const victim = ns.child(p.dir, p.name);
  if (!victim) return -E.ENOENT;
  if (p.trailingSlash) return victim.node.type === 'dir' ? -E.EISDIR : -E.ENOTDIR;
  mayDelete(credsOf(k), p.dir.node, victim.node, false);
  p.dir.node.unlink(p.name);
  return 0;
}
