// Path lookups as the *at() syscalls make them (filename_lookup with LOOKUP_EMPTY /
// LOOKUP_FOLLOW), shared by stat, access, chmod, chown, utimes, readlink, link. The walk
// checks search permission with the caller's credentials (faccessat: its override).

import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import type { Credentials } from '../process/credentials.ts';
import { AT_EMPTY_PATH, AT_SYMLINK_NOFOLLOW } from './at.ts';
import { emptyPathTarget, startOf } from './fd-util.ts';
import type { OpenFile } from './file.ts';
import type { Loc } from './namespace.ts';
import { credsOf, walkAs } from './permission.ts';
import type { StatInfo } from './stat.ts';

/** What a path argument named: a place, or (AT_EMPTY_PATH on a non-path fd) just a file. */
export interface Target {
  loc?: Loc;
  file?: OpenFile;
  /** The path was empty (AT_EMPTY_PATH). */
  empty: boolean;
  stat(): StatInfo;
}

/**
 * Resolve (dirfd, path) with *at flags: AT_SYMLINK_NOFOLLOW leaves a final symlink as is,
 * AT_EMPTY_PATH lets "" name dirfd itself (any open file, O_PATH included).
 */
export function lookupAt(
  k: SyscallContext,
  dirfd: number,
  path: string,
  flags: number,
  follow = !(flags & AT_SYMLINK_NOFOLLOW),
  creds: Credentials = credsOf(k),
): Target {
  if (path === '') {
    if (!(flags & AT_EMPTY_PATH)) fail('ENOENT');
    const { loc, file } = emptyPathTarget(k, dirfd);
    return { loc, file, empty: true, stat: () => (file ? file.stat() : loc!.node.stat()) };
  }
  const loc = k.state.vfs.ns.resolve(startOf(k, dirfd, path), path, follow, walkAs(creds));
  return { loc, empty: false, stat: () => loc.node.stat() };
}
