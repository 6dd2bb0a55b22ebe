// Descriptor and path-argument helpers shared by the vfs handlers.

import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import { RLIMIT } from '../process/limits.ts';
import { readPath } from '../user-memory.ts';
import { AT_FDCWD } from './at.ts';
import type { OpenFile } from './file.ts';
import type { Loc } from './namespace.ts';

/** RLIMIT_NOFILE soft limit: descriptors must stay below it. */
export function nofileLimit(k: SyscallContext): number {
  const cur = k.state.limits[RLIMIT.NOFILE].cur;
  return cur > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(cur);
}

/** fdget(): the open (non-O_PATH) file, or EBADF. */
export function fileOf(k: SyscallContext, fd: number): OpenFile {
  const file = k.state.fds.get(fd);
  if (!file) fail('EBADF');
  return file;
}

/** fdget_raw(): the open file, O_PATH included, or EBADF. */
export function rawFileOf(k: SyscallContext, fd: number): OpenFile {
  const file = k.state.fds.getRaw(fd);
  if (!file) fail('EBADF');
  return file;
}

/**
 * Where a relative path starts (path_init): the working directory for AT_FDCWD, else the
 * directory open at dirfd (EBADF if none, ENOTDIR if not a directory). Absolute paths
 * ignore dirfd entirely.
 */
export function startOf(k: SyscallContext, dirfd: number, path: string): Loc {
  const vfs = k.state.vfs;
  if (path.startsWith('/')) return vfs.ns.root;
  if (dirfd === AT_FDCWD) return vfs.cwd;
  const loc = rawFileOf(k, dirfd).loc;
  if (!loc || loc.node.type !== 'dir') fail('ENOTDIR');
  return loc;
}

/** The place an AT_EMPTY_PATH call names: dirfd itself (any open file), or the cwd. */
export function emptyPathTarget(k: SyscallContext, dirfd: number): { loc?: Loc; file?: OpenFile } {
  if (dirfd === AT_FDCWD) return { loc: k.state.vfs.cwd };
  const file = rawFileOf(k, dirfd);
  return { loc: file.loc, file };
}

/** Read a path argument (`const char __user *`: EFAULT / ENAMETOOLONG) */
export function pathArg(k: SyscallContext, i: number): string {
  return readPath(k.mem, k.addr(i));
}

