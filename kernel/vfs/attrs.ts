// Metadata changes: fchmod, fchmodat, fchown, fchownat, utimensat (fs/open.c, fs/utimes.c).
// Each follows the caller's credentials as permission.ts says: chown (chown_ok, chgrp_ok),
// chmod and utimensat (the owner or CAP_FOWNER; S_ISGID kept only in the file's group or with
// CAP_FSETID; touching both times also with write permission). A read-only filesystem
// answers EROFS first.
// fchmod/fchown take a non-O_PATH fd (else EBADF); the *at forms follow symlinks unless
// AT_SYMLINK_NOFOLLOW (fchownat) and accept AT_EMPTY_PATH.
// On host mounts chmod changes the host file; chown and utimensat change what the guest
// sees (hostfs.ts): the host file keeps its owner and times.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { copyIn } from '../user-memory.ts';
import { AT_EMPTY_PATH, AT_FDCWD, AT_SYMLINK_NOFOLLOW } from './at.ts';
import { fileOf, pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';
import type { Vnode } from './node.ts';
import { UTIME_NOW, UTIME_OMIT } from '../abi.ts';
import { S_ISGID, S_ISUID, S_IXGRP } from '../abi.ts';
import { NO_ID } from '../process/credentials.ts';
import { chgrpOk, chmodMode, chownOk, credsOf, inGroupOrCapable, mayUtimes, ownerOrCapable } from './permission.ts';

/** The object behind a non-O_PATH descriptor (a stream or pipe has none here: stop). */
function nodeOfFd(k: SyscallContext, fd: number): Vnode {
  const file = fileOf(k, fd);
  const node = file.loc?.node;
  if (!node) k.unsupported(`changing attributes of ${file.label}`);
  return node;
}

/** fs/open.c chmod_common(): EROFS (mnt_want_write()), then setattr_prepare() (permission.ts chmodMode). */
function chmod(k: SyscallContext, node: Vnode, mode: number): number {
  if (node.fs.readOnly) return -E.EROFS;
  node.chmod(chmodMode(credsOf(k), node, mode & 0o7777));
  return 0;
}

/**
 * chown(2) of an object: fs/open.c chown_common() -> fs/attr.c notify_change() ->
 * setattr_prepare() -> setattr_copy() (Linux 6.1.20), in that order of checks:
 * - chown_common(): a non-directory gets ATTR_KILL_SUID, and ATTR_KILL_SGID from
 *   setattr_should_drop_sgid() (set-group-ID and group-executable, or the caller neither in
 *   the file's group nor holding CAP_FSETID), even when no id changes;
 * - notify_change(): a kill bit whose mode bit is set turns into a mode change (ATTR_MODE);
 * - setattr_prepare(): ATTR_UID needs chown_ok(), ATTR_GID chgrp_ok(), ATTR_MODE
 *   inode_owner_or_capable(), each else EPERM; with ATTR_MODE, S_ISGID also goes unless the
 *   caller is in the (new) group or has CAP_FSETID (the same test setattr_copy() repeats).
 * `user`/`group` are the 32-bit ids, (uid_t)-1 leaving one unchanged.
 */
function chown(k: SyscallContext, node: Vnode, user: number, group: number): number {
  if (node.fs.readOnly) return -E.EROFS;
  const creds = credsOf(k);
  const st = node.stat();
  const perm = st.mode & 0o7777;
  let kill = 0;
  if (node.type !== 'dir') {
    if (perm & S_ISUID) kill |= S_ISUID;
    if (perm & S_ISGID && (perm & S_IXGRP || !inGroupOrCapable(creds, st.gid))) kill |= S_ISGID;
  }
  if (user !== NO_ID && !chownOk(creds, st, user)) return -E.EPERM;
  if (group !== NO_ID && !chgrpOk(creds, st, group)) return -E.EPERM;
  let mode = perm & ~kill;
  if (kill) {
    if (!ownerOrCapable(creds, st.uid)) return -E.EPERM;
    if (!inGroupOrCapable(creds, group !== NO_ID ? group : st.gid)) mode &= ~S_ISGID;
  }
  node.chown(user === NO_ID ? -1 : user, group === NO_ID ? -1 : group);
  if (mode !== perm) node.chmod(mode);
  return 0;
}

export function fchmod(k: SyscallContext): number {
  return chmod(k, nodeOfFd(k, k.i32(0)), k.u32(1));
}

export function fchmodat(k: SyscallContext): number {
  const target = lookupAt(k, k.i32(0), pathArg(k, 1), 0);
  return chmod(k, target.loc!.node, k.u32(2));
}

export function fchown(k: SyscallContext): number {
  return chown(k, nodeOfFd(k, k.i32(0)), k.u32(1), k.u32(2));
}

export function fchownat(k: SyscallContext): number {
  const flags = k.i32(4);
  if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const target = lookupAt(k, k.i32(0), pathArg(k, 1), flags);
  const node = target.loc?.node;
  if (!node) k.unsupported(`changing attributes of ${target.file?.label}`);
  return chown(k, node, k.u32(2), k.u32(3));
}

export function utimensat(k: SyscallContext): number {
  const dirfd = k.i32(0);
  const pathAddr = k.addr(1); // const char __user *filename
  const timesAddr = k.addr(2); // struct __kernel_timespec __user *utimes
  const flags = k.i32(3);
  let times: { sec: bigint; nsec: number }[] | undefined;
  if (timesAddr) {
    const raw = copyIn(k.mem, timesAddr, 32);
    times = [0, 16].map((off) => ({ sec: raw.getBigInt64(off, true), nsec: Number(raw.getBigInt64(off + 8, true)) }));
    if (times[0].nsec === UTIME_OMIT && times[1].nsec === UTIME_OMIT) return 0;
  }
  let node: Vnode | undefined;
  if (!pathAddr && dirfd !== AT_FDCWD) {
    if (flags) return -E.EINVAL;
    node = nodeOfFd(k, dirfd);
  } else {
    if (flags & ~(AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
    const target = lookupAt(k, dirfd, pathArg(k, 1), flags);
    node = target.loc?.node;
    if (!node) k.unsupported(`changing times of ${target.file?.label}`);
  }
  const valid = (n: number) => n === UTIME_NOW || n === UTIME_OMIT || (n >= 0 && n < 1e9);
  if (times && !times.every((t) => valid(t.nsec))) return -E.EINVAL;
  if (node.fs.readOnly) return -E.EROFS;
  // vfs_utimes(): NULL or both UTIME_NOW is ATTR_TOUCH, anything else ATTR_TIMES_SET.
  mayUtimes(credsOf(k), node, !times || (times[0].nsec === UTIME_NOW && times[1].nsec === UTIME_NOW));
  const now = k.state.clock.realtimeNs();
  const pick = (t?: { sec: bigint; nsec: number }): bigint | undefined => {
    if (!t || t.nsec === UTIME_NOW) return now;
    if (t.nsec === UTIME_OMIT) return undefined;
    return t.sec * NS_PER_SEC + BigInt(t.nsec);
  };
  node.setTimes(pick(times?.[0]), pick(times?.[1]));
  return 0;
}

