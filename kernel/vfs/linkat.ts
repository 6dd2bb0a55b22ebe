// linkat(2) and symlinkat(2) (fs/namei.c).
//   linkat: unknown flags → EINVAL; AT_EMPTY_PATH without CAP_DAC_READ_SEARCH → ENOENT
//     (6.1 do_linkat(), before the paths are read; 6.10 also lets the opener of the fd
//     in); the old path (followed only with AT_SYMLINK_FOLLOW; AT_EMPTY_PATH: olddirfd
//     itself); filename_create for the new one; another filesystem → EXDEV; vfs_link():
//     may_create() (EACCES, permission.ts); a directory → EPERM; a removed file → ENOENT.
//   symlinkat: the target string ("" → ENOENT, stored verbatim, never checked), then
//     filename_create and may_create().

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { readPath } from '../user-memory.ts';
import { AT_EMPTY_PATH, AT_SYMLINK_FOLLOW } from './at.ts';
import { pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';
import { filenameCreate } from './names.ts';
import { initOwner } from './owner.ts';
import { credsOf, mayCreate } from './permission.ts';
import { CAP } from '../process/credentials.ts';

export function linkat(k: SyscallContext): number {
  const flags = k.i32(4);
  if (flags & ~(AT_SYMLINK_FOLLOW | AT_EMPTY_PATH)) return -E.EINVAL;
  const creds = credsOf(k);
  if (flags & AT_EMPTY_PATH && !creds.capable(CAP.DAC_READ_SEARCH)) return -E.ENOENT;
  const old = lookupAt(k, k.i32(0), pathArg(k, 1), flags, (flags & AT_SYMLINK_FOLLOW) !== 0);
  const { dir, name } = filenameCreate(k, k.i32(2), pathArg(k, 3), false);
  const node = old.loc?.node;
  if (!node) return -E.EXDEV; // a standard stream or pipe has no filesystem here
  if (node.fs !== dir.node.fs) return -E.EXDEV;
  mayCreate(creds, dir.node);
  if (node.type === 'dir') return -E.EPERM;
  if (node.unlinked) return -E.ENOENT;
  dir.node.link(name, node);
  return 0;
}

export function symlinkat(k: SyscallContext): number {
  const target = readPath(k.mem, k.addr(0));
  if (target === '') return -E.ENOENT;
  const { dir, name } = filenameCreate(k, k.i32(1), pathArg(k, 2), false);
  mayCreate(credsOf(k), dir.node);
  initOwner(k, dir.node, dir.node.symlink(name, target));
  return 0;
}
