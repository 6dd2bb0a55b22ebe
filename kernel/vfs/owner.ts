// Who may change an object's owner, and who owns a new object, by the caller's credentials
// (process/credentials.ts: filesystem ids, supplementary groups, effective capabilities), as
// Linux 6.1.20 fs/attr.c and fs/inode.c decide. The guest starts as root with every
// capability, for whom every check here passes; they matter once it drops privileges
// (setresuid, setfsuid, capset).

import type { SyscallContext } from '../context.ts';
import type { Credentials } from '../process/credentials.ts';
import { CAP } from '../process/credentials.ts';
import { S_ISGID, S_IXGRP } from '../abi.ts';
import type { Vnode } from './node.ts';

export const credsOf = (k: SyscallContext): Credentials => k.state.proc.creds;

/** capable_wrt_inode_uidgid(): every id is mapped in the one user namespace, so capable(). */
const capable = (c: Credentials, cap: number) => c.capable(cap);

/** fs/inode.c in_group_or_capable(): in group gid, or CAP_FSETID. */
export function inGroupOrCapable(c: Credentials, gid: number): boolean {
  return c.inGroup(gid) || capable(c, CAP.FSETID);
}

/** fs/inode.c inode_owner_or_capable(): fsuid owns the object, or CAP_FOWNER. */
export function ownerOrCapable(c: Credentials, ownerUid: number): boolean {
  return c.uid.fs === ownerUid || capable(c, CAP.FOWNER);
}

/** fs/attr.c chown_ok(): the owner may "change" the uid to itself; else CAP_CHOWN. */
export function chownOk(c: Credentials, owner: { uid: number }, uid: number): boolean {
  if (c.uid.fs === owner.uid && uid === owner.uid) return true;
  return capable(c, CAP.CHOWN);
}

/** fs/attr.c chgrp_ok(): the owner may set its file's group to the same one or to one of its groups; else CAP_CHOWN. */
export function chgrpOk(c: Credentials, owner: { uid: number; gid: number }, gid: number): boolean {
  if (c.uid.fs === owner.uid && (gid === owner.gid || c.inGroup(gid))) return true;
  return capable(c, CAP.CHOWN);
}

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
