// truncate(2), ftruncate(2), fallocate(2) (fs/open.c).
//   truncate: length < 0 → EINVAL; the lookup (following); a directory EISDIR; not a
//     regular file EINVAL; a read-only filesystem EROFS.
//   ftruncate: length < 0 → EINVAL; EBADF; not a regular file or not open for writing →
//     EINVAL.
//   fallocate: EBADF; offset < 0 or len <= 0 → EINVAL; unsupported mode bits EOPNOTSUPP
//     (tmpfs's set: KEEP_SIZE and PUNCH_HOLE|KEEP_SIZE); not writable EBADF; a pipe
//     ESPIPE, a directory EISDIR, anything else not regular ENODEV. Mode 0 extends the size
//     (without reserving host blocks), PUNCH_HOLE writes zeros over the range.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { S_IFDIR, S_IFIFO, S_IFMT, S_IFREG } from './constants.ts';
import { fileOf, pathArg } from './fd-util.ts';
import { lookupAt } from './lookup.ts';

export function truncate(k: SyscallContext): number {
  const length = k.s(1);
  if (length < 0) return -E.EINVAL;
  const { loc } = lookupAt(k, -100, pathArg(k, 0), 0);
  const node = loc!.node;
  if (node.type === 'dir') return -E.EISDIR;
  if (node.type !== 'reg') return -E.EINVAL;
  if (node.fs.readOnly) return -E.EROFS;
  node.truncate(length);
  return 0;
}

export function ftruncate(k: SyscallContext): number {
  const length = k.s(1);
  if (length < 0) return -E.EINVAL;
  const file = fileOf(k, k.i32(0));
  if ((file.stat().mode & S_IFMT) !== S_IFREG || !file.writable) return -E.EINVAL;
  file.truncate(length);
  return 0;
}

const FALLOC_FL_KEEP_SIZE = 1;
const FALLOC_FL_PUNCH_HOLE = 2;

export function fallocate(k: SyscallContext): number {
  const file = fileOf(k, k.i32(0));
  const mode = k.i32(1);
  const offset = k.s(2);
  const len = k.s(3);
  if (offset < 0 || len <= 0) return -E.EINVAL;
  if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) return -E.EOPNOTSUPP;
  if (mode & FALLOC_FL_PUNCH_HOLE && !(mode & FALLOC_FL_KEEP_SIZE)) return -E.EOPNOTSUPP;
  if (!file.writable) return -E.EBADF;
  const type = file.stat().mode & S_IFMT;
  if (type === S_IFIFO) return -E.ESPIPE;
  if (type === S_IFDIR) return -E.EISDIR;
  if (type !== S_IFREG) return -E.ENODEV;
  const size = file.stat().size;
  if (mode & FALLOC_FL_PUNCH_HOLE) {
    const end = Math.min(offset + len, size);
    if (end > offset) file.pwrite(new Uint8Array(end - offset), offset);
  } else if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > size) {
    file.truncate(offset + len);
  }
  return 0;
}
