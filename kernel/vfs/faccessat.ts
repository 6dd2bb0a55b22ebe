// faccessat(2) / faccessat2(2) for the guest, who is root (fsuid 0, every capability):
// reading and writing are always allowed — except writing a file, directory or symlink on
// a read-only filesystem (EROFS) — and executing needs a directory or some x bit (EACCES).
// Checks first: mode beyond R|W|X → EINVAL, unknown flags → EINVAL; then the lookup.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { AT_EACCESS, AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW } from './at.ts';
import { S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './constants.ts';
import { pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';
import { R_OK, W_OK, X_OK } from '../abi.ts';

function access(k: SyscallContext, flags: number): number {
  const mode = k.i32(2);
  if (mode & ~(R_OK | W_OK | X_OK)) return -E.EINVAL;
  if (flags & ~(AT_EACCESS | AT_SYMLINK_NOFOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const target = lookupAt(k, k.i32(0), pathArg(k, 1), flags);
  const st = target.stat();
  const type = st.mode & S_IFMT;
  const readOnly = target.loc?.node.fs.readOnly ?? false;
  if (mode & W_OK && readOnly && (type === S_IFREG || type === S_IFDIR || type === S_IFLNK)) return -E.EROFS;
  if (mode & X_OK && type !== S_IFDIR && !(st.mode & 0o111)) return -E.EACCES;
  return 0;
}

export const faccessat = (k: SyscallContext) => access(k, 0);
export const faccessat2 = (k: SyscallContext) => access(k, k.i32(3));
