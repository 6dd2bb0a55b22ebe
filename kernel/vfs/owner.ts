// Who owns a new object, by the caller's credentials (process/credentials.ts: filesystem
// ids, effective capabilities), as Linux 6.1.20 fs/inode.c decides. Who may do what to an
// existing object, chown included, is permission.ts.

import type { SyscallContext } from '../context.ts';
import { S_ISGID, S_IXGRP } from '../abi.ts';
import type { Vnode } from './node.ts';
import { credsOf, inGroupOrCapable } from './permission.ts';

/**
 * fs/inode.c mode_strip_sgid() (vfs_prepare_mode() of open(O_CREAT), O_TMPFILE, mknod):
 * a group-executable set-group-ID file made in a set-group-ID directory keeps the bit only
 * if the caller is in the directory's group or has CAP_FSETID.
 */
export function stripSgid(k: SyscallContext, dir: Vnode, mode: number): number {
  if ((mode & (S_ISGID | S_IXGRP)) !== (S_ISGID | S_IXGRP)) return mode;
  const d = dir.stat();
  if (!(d.mode & S_ISGID)) return mode;
  return inGroupOrCapable(credsOf(k), d.gid) ? mode : mode & ~S_ISGID;
}

/**
 * fs/inode.c inode_init_owner(): a new object belongs to the caller's fsuid; its group is
 * the directory's when the directory is set-group-ID (and a new directory inherits the
 * bit), else the caller's fsgid. `dir` undefined: an object without a directory (memfd).
 */
export function initOwner(k: SyscallContext, dir: Vnode | undefined, node: Vnode): void {
  const c = credsOf(k);
  const d = dir?.stat();
  let gid = c.gid.fs;
  if (d && d.mode & S_ISGID) {
    gid = d.gid;
    const perm = node.stat().mode & 0o7777;
    if (node.type === 'dir' && !(perm & S_ISGID)) node.chmod(perm | S_ISGID);
  }
  const st = node.stat();
  if (st.uid !== c.uid.fs || st.gid !== gid) node.chown(c.uid.fs, gid);
}
