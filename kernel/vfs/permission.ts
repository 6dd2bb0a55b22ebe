// Discretionary access control: who may search, read, write or execute an object, add or
// remove names in a directory, change a mode or times, by the caller's credentials
// (process/credentials.ts: fsuid, fsgid, supplementary groups, effective capabilities), as
// Linux 6.1 decides in fs/namei.c, fs/attr.c, fs/open.c and fs/utimes.c. Every permission
// check of the vfs goes through here:
//
//   path walks     may_lookup(): search (x) on every directory a walk passes, before each
//                  component, "." and ".." included, the last one too (namespace.ts step)
//   open           may_open() (openat.ts), may_o_create() / vfs_tmpfile() for a new file
//   mkdir, symlink, link, bind(AF_UNIX): may_create()
//   unlink, rmdir, rename: may_delete() with check_sticky(), rename's ".." rule
//   chmod          setattr_prepare(ATTR_MODE) (attrs.ts)
//   utimensat      may_setattr(ATTR_TOUCH) / setattr_prepare(ATTR_TIMES_SET) (attrs.ts)
//   faccessat(2)   access_override_creds(), then inode_permission() (faccessat.ts)
//   chdir, fchdir, truncate, connect(AF_UNIX): inode_permission()
//   chown          chown_ok(), chgrp_ok(), inode_owner_or_capable() (attrs.ts)
//   write, truncate  file_remove_privs() / do_truncate(): S_ISUID and S_ISGID go without
//                  CAP_FSETID (open-files.ts RegularFile, size.ts, openat.ts, memfd.ts)
//   /proc/<pid>/fd proc_fd_permission() (procfs.ts, a Vnode's own `permission`)
//
// Who owns a new object is owner.ts. Where a check falls in a syscall's order of errors is
// the syscall's file (each cites its Linux function).
//
// The guest starts as root with every capability: CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH and
// CAP_FOWNER pass every check here except executing a file with no x bit at all and writing
// on a read-only filesystem, as for root on Linux; and for such a caller the checks look at
// no inode (no host lstat per path component). Not modelled, as none exists here: POSIX
// ACLs (no object has one, so acl_permission_check() reads the mode bits only), immutable and
// append-only inodes, noexec/nodev mounts, LSMs, idmapped mounts (capable_wrt_inode_uidgid()
// is capable(): every id is mapped in the one user namespace). The fs.protected_* sysctls
// are at Linux's defaults (0, fs/namei.c), so may_follow_link(), may_linkat() and
// may_create_in_sticky() check nothing (distributions often set protected_hardlinks and
// protected_symlinks to 1).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { fail, SyscallErrno } from '../errors.ts';
import { Credentials, CAP } from '../process/credentials.ts';
import { O_NOATIME, R_OK, S_ISGID, S_ISUID, S_ISVTX, S_IXGRP, S_IXOTH, S_IXUSR, SECURE_NO_SETUID_FIXUP, W_OK, X_OK } from '../abi.ts';
import { O_ACCMODE, O_TRUNC, S_IFDIR, S_IFMT, type FileType } from './constants.ts';
import type { Walk } from './namespace.ts';
import type { Vnode } from './node.ts';
import type { StatInfo } from './stat.ts';

/**
 * include/linux/fs.h MAY_EXEC 0x1, MAY_WRITE 0x2, MAY_READ 0x4 (kernel-internal; the same
 * bits as access(2)'s X_OK, W_OK, R_OK, which do_faccessat() passes on as they are). The
 * other MAY_* bits (MAY_APPEND, MAY_ACCESS, MAY_OPEN, MAY_CHDIR) change no DAC decision.
 */
export const MAY_EXEC = X_OK;
export const MAY_WRITE = W_OK;
export const MAY_READ = R_OK;
const MAY_RWX = MAY_READ | MAY_WRITE | MAY_EXEC;
/** S_IXUGO (include/linux/stat.h). */
const S_IXUGO = S_IXUSR | S_IXGRP | S_IXOTH;

/** What a check reads of an object: a Vnode, or an open file without a place (a pipe). */
export interface Inode {
  readonly type: FileType;
  readonly fs: { readonly readOnly: boolean };
  stat(): StatInfo;
  /** i_op->permission (node.ts). */
  permission?(c: Credentials, mask: number): number;
}

/** The caller's credentials, as every check of a syscall uses them. */
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

/** A path walk made for the caller: may_lookup() with these credentials at every directory. */
export const walkAs = (c: Credentials): Walk => ({ links: 0, creds: c });

/** A walk with the caller's credentials. */
export const walkOf = (k: SyscallContext): Walk => walkAs(credsOf(k));

/** Throw a check's -errno (0: allowed). */
export function must(ret: number): void {
  if (ret < 0) throw new SyscallErrno(-ret);
}

/**
 * fs/namei.c acl_permission_check() without ACLs: the owner class when the fsuid owns the
 * object, else the group class when the group's bits differ from the others' in what is
 * asked and the caller is in the object's group (fsgid or a supplementary group), else the
 * others' bits.
 */
function aclPermissionCheck(c: Credentials, st: Pick<StatInfo, 'mode' | 'uid' | 'gid'>, mask: number): boolean {
  let mode = st.mode;
  mask &= MAY_RWX;
  if (st.uid === c.uid.fs) return (mask & ~(mode >> 6)) === 0;
  if (mask & (mode ^ (mode >> 3)) && c.inGroup(st.gid)) mode >>= 3;
  return (mask & ~mode) === 0;
}

/**
 * fs/namei.c generic_permission(): the mode bits, then the overrides: a directory may be
 * read and searched with CAP_DAC_READ_SEARCH, and anything with CAP_DAC_OVERRIDE; a file may
 * be read with CAP_DAC_READ_SEARCH, read and written with CAP_DAC_OVERRIDE, and executed
 * with it only when at least one x bit is set. 0 or -EACCES.
 */
export function genericPermission(c: Credentials, st: Pick<StatInfo, 'mode' | 'uid' | 'gid'>, mask: number): number {
  if (aclPermissionCheck(c, st, mask)) return 0;
  if ((st.mode & S_IFMT) === S_IFDIR) {
    if (!(mask & MAY_WRITE) && capable(c, CAP.DAC_READ_SEARCH)) return 0;
    if (capable(c, CAP.DAC_OVERRIDE)) return 0;
    return -E.EACCES;
  }
  mask &= MAY_RWX;
  if (mask === MAY_READ && capable(c, CAP.DAC_READ_SEARCH)) return 0;
  if ((!(mask & MAY_EXEC) || st.mode & S_IXUGO) && capable(c, CAP.DAC_OVERRIDE)) return 0;
  return -E.EACCES;
}

/** What generic_permission() grants whatever the mode and owner are, by capability alone. */
function grantedByCapability(c: Credentials, type: FileType, mask: number): boolean {
  if (type === 'dir') return capable(c, CAP.DAC_OVERRIDE) || (!(mask & MAY_WRITE) && capable(c, CAP.DAC_READ_SEARCH));
  if ((mask & MAY_RWX) === MAY_READ && capable(c, CAP.DAC_READ_SEARCH)) return true;
  return !(mask & MAY_EXEC) && capable(c, CAP.DAC_OVERRIDE);
}

/**
 * fs/namei.c inode_permission(): sb_permission() first (nobody writes a regular file,
 * directory or symlink of a read-only filesystem: EROFS), then the filesystem's own rule
 * (i_op->permission) or generic_permission(). 0 or -errno.
 */
export function inodePermission(c: Credentials, node: Inode, mask: number): number {
  if (mask & MAY_WRITE && node.fs.readOnly && (node.type === 'reg' || node.type === 'dir' || node.type === 'lnk')) return -E.EROFS;
  if (node.permission) return node.permission(c, mask);
  if (grantedByCapability(c, node.type, mask)) return 0;
  return genericPermission(c, node.stat(), mask);
}

/** fs/namei.c may_lookup(): search permission on a directory a walk goes through (EACCES). */
export function mayLookup(c: Credentials, dir: Inode): void {
  must(inodePermission(c, dir, MAY_EXEC));
}

/**
 * The access open(2) asks for (fs/open.c build_open_flags(): ACC_MODE() of O_ACCMODE, where
 * 3 asks for both; O_TRUNC adds MAY_WRITE), and none for a file it has just created
 * (fs/namei.c do_open(): "Don't check for write permission, don't truncate").
 */
export function openAccess(flags: number, created: boolean): number {
  if (created) return 0;
  const acc = flags & O_ACCMODE;
  let mask = acc === 0 ? MAY_READ : acc === 1 ? MAY_WRITE : MAY_READ | MAY_WRITE;
  if (flags & O_TRUNC) mask |= MAY_WRITE;
  return mask;
}

/**
 * fs/namei.c may_open(): a symlink ELOOP; a directory EISDIR for writing (EACCES for
 * executing); then inode_permission() for the access asked (EROFS, EACCES); O_NOATIME only
 * for the owner or CAP_FOWNER (EPERM). Devices, FIFOs and sockets: no nodev mounts here.
 */
export function mayOpen(c: Credentials, node: Vnode, mask: number, flags: number): void {
  if (node.type === 'lnk') fail('ELOOP');
  if (node.type === 'dir') {
    if (mask & MAY_WRITE) fail('EISDIR');
    if (mask & MAY_EXEC) fail('EACCES');
  }
  must(inodePermission(c, node, mask));
  if (flags & O_NOATIME && !ownerOrCapable(c, node.stat().uid)) fail('EPERM');
}

/**
 * fs/namei.c may_create() (mkdir, symlink, link, mknod/bind) and its kin for open(O_CREAT)
 * (lookup_open()'s IS_DEADDIR, may_o_create()) and O_TMPFILE (vfs_tmpfile()): a removed
 * directory takes no new name (ENOENT), else write and search permission on it (EROFS,
 * EACCES). The caller has made sure the name is free (EEXIST first).
 */
export function mayCreate(c: Credentials, dir: Vnode): void {
  if (dir.unlinked) fail('ENOENT');
  must(inodePermission(c, dir, MAY_WRITE | MAY_EXEC));
}

/**
 * fs/namei.c check_sticky(): in a sticky directory only the file's owner, the directory's
 * owner or CAP_FOWNER may remove or rename an entry. True when the caller may not.
 */
export function checkSticky(c: Credentials, dir: Vnode, victim: Vnode): boolean {
  if (capable(c, CAP.FOWNER)) return false; // __check_sticky()'s last test, first: no stat for root
  const d = dir.stat();
  if (!(d.mode & S_ISVTX)) return false;
  return victim.stat().uid !== c.uid.fs && d.uid !== c.uid.fs;
}

/**
 * fs/namei.c may_delete() (unlink, rmdir, rename's source and target), in its order: write
 * and search permission on the directory (EACCES), the sticky rule (EPERM), then the kind:
 * removing a directory needs one (ENOTDIR), removing a non-directory must not meet one
 * (EISDIR); a removed directory ENOENT.
 */
export function mayDelete(c: Credentials, dir: Vnode, victim: Vnode, isDir: boolean): void {
  must(inodePermission(c, dir, MAY_WRITE | MAY_EXEC));
  if (checkSticky(c, dir, victim)) fail('EPERM');
  if (isDir) {
    if (victim.type !== 'dir') fail('ENOTDIR');
  } else if (victim.type === 'dir') fail('EISDIR');
  if (dir.unlinked) fail('ENOENT');
}

/**
 * The mode chmod(2) sets (fs/open.c chmod_common() -> notify_change() -> setattr_prepare()
 * with ATTR_MODE): only the owner or CAP_FOWNER may (EPERM), and S_ISGID goes unless the
 * caller is in the file's group or has CAP_FSETID (setattr_prepare(), setattr_copy()).
 */
export function chmodMode(c: Credentials, node: Vnode, mode: number): number {
  const st = node.stat();
  if (!ownerOrCapable(c, st.uid)) fail('EPERM');
  return mode & S_ISGID && !inGroupOrCapable(c, st.gid) ? mode & ~S_ISGID : mode;
}

/**
 * fs/utimes.c vfs_utimes() -> notify_change(): setting both times to now (times NULL or both
 * UTIME_NOW: ATTR_TOUCH) needs the owner, CAP_FOWNER or write permission (may_setattr():
 * EACCES); any explicit time (ATTR_TIMES_SET, even UTIME_NOW with UTIME_OMIT) needs the
 * owner or CAP_FOWNER (setattr_prepare(): EPERM).
 */
export function mayUtimes(c: Credentials, node: Vnode, touch: boolean): void {
  if (ownerOrCapable(c, node.stat().uid)) return;
  if (!touch) fail('EPERM');
  must(inodePermission(c, node, MAY_WRITE));
}

/**
 * fs/inode.c file_remove_privs() (a write that changes a regular file's contents) and
 * fs/open.c do_truncate() (truncate, ftruncate, open with O_TRUNC) -> fs/attr.c
 * setattr_should_drop_suidgid() (6.1.y): without CAP_FSETID the caller's change clears
 * S_ISUID, and S_ISGID when it is group-executable or the caller is not in the file's
 * group (a set-group-ID bit without x stays for a member).
 */
export function removePrivs(c: Credentials, node: Vnode): void {
  if (node.type !== 'reg' || capable(c, CAP.FSETID)) return;
  const st = node.stat();
  let kill = st.mode & S_ISUID;
  if (st.mode & S_ISGID && (st.mode & S_IXGRP || !c.inGroup(st.gid))) kill |= S_ISGID;
  if (kill) node.chmod(st.mode & 0o7777 & ~kill);
}

/**
 * fs/open.c access_override_creds(): faccessat(2) without AT_EACCESS checks as the real ids:
 * fsuid = uid, fsgid = gid, and (unless SECURE_NO_SETUID_FIXUP) no effective capability for
 * a non-root real uid, the permitted ones for real uid 0. The path walk uses them too.
 */
export function accessCreds(c: Credentials): Credentials {
  const o = new Credentials();
  Object.assign(o.uid, c.uid, { fs: c.uid.r });
  Object.assign(o.gid, c.gid, { fs: c.gid.r });
  o.groups = c.groups;
  o.permitted = c.permitted;
  o.inheritable = c.inheritable;
  o.bounding = c.bounding;
  o.ambient = c.ambient;
  o.securebits = c.securebits;
  o.effective = c.issecure(SECURE_NO_SETUID_FIXUP) ? c.effective : c.uid.r !== 0 ? 0n : c.permitted;
  return o;
}
