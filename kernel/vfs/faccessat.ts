// faccessat(2) / faccessat2(2), as Linux 6.1 fs/open.c do_faccessat(): mode beyond R|W|X →
// EINVAL, unknown flags → EINVAL; then, unless AT_EACCESS, the check runs as the real ids
// (access_override_creds(): fsuid = uid, fsgid = gid, no effective capability for a
// non-root real uid, the permitted set for real uid 0) — the path walk's search
// permission included; then inode_permission() (permission.ts): writing a file, directory
// or symlink on a read-only filesystem EROFS, the mode bits and the DAC capabilities
// (EACCES: root too may not execute a file with no x bit); a granted W_OK on a read-only
// mount is still EROFS unless the object is a device, FIFO or socket.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { AT_EACCESS, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW } from './at.ts';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, typeOfMode } from './constants.ts';
import { pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';
import { accessCreds, credsOf, inodePermission, type Inode } from './permission.ts';
import { R_OK, W_OK, X_OK } from '../abi.ts';

function access(k: SyscallContext, flags: number): number {
  const mode = k.i32(2);
  if (mode & ~(R_OK | W_OK | X_OK)) return -E.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const creds = flags & AT_EACCESS ? credsOf(k) : accessCreds(credsOf(k));
  const target = lookupAt(k, k.i32(0), pathArg(k, 1), flags, !(flags & AT_SYMLINK_NOFOLLOW), creds);
  // An open file without a place (AT_EMPTY_PATH on a pipe) is checked by its own stat.
  const inode: Inode = target.loc?.node ?? {
    type: typeOfMode(target.stat().mode) ?? 'chr',
    fs: { readOnly: false },
    stat: () => target.stat(),
  };
  const denied = inodePermission(creds, inode, mode);
  if (denied || !(mode & W_OK)) return denied;
  const type = target.stat().mode & S_IFMT;
  if (inode.fs.readOnly && (type === S_IFREG || type === S_IFDIR || type === S_IFLNK)) return -E.EROFS;
  return 0;
}

export const faccessat = (k: SyscallContext) => access(k, 0);
export const faccessat2 = (k: SyscallContext) => access(k, k.i32(3));
