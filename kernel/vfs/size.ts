// truncate(2), ftruncate(2), fallocate(2) (fs/open.c).
//   truncate: length < 0 → EINVAL; the lookup (following); a directory EISDIR; not a
//     regular file EINVAL; a read-only filesystem EROFS; no write permission EACCES
//     (vfs_truncate(): inode_permission(MAY_WRITE), permission.ts); a file a process runs
//     ETXTBSY (get_write_access()).
//   ftruncate: length < 0 → EINVAL; EBADF; not a regular file or not open for writing →
//     EINVAL.
//   fallocate: EBADF; offset < 0 or len <= 0 → EINVAL; unsupported mode bits EOPNOTSUPP
//     (tmpfs's set: KEEP_SIZE and PUNCH_HOLE|KEEP_SIZE); not writable EBADF; a pipe
//     ESPIPE, a directory EISDIR, anything else not regular ENODEV, offset + len past
//     s_maxbytes EFBIG. Mode 0 extends the size (without reserving host blocks),
//     PUNCH_HOLE frees tmpfs pages and writes zeros into host files (at most
//     MAX_ZERO_FILL bytes: Node cannot punch holes, and zeros over a sparse host file of
//     terabytes would fill the host's disk; more stops).
// Past s_maxbytes (MAX_FILE_SIZE, open-files.ts) a new size is EFBIG (inode_newsize_ok),
// after the checks above; before that, growing a file past RLIMIT_FSIZE sends SIGXFSZ and
// is EFBIG (inode_newsize_ok, fsize.ts): for truncate and ftruncate (setattr_prepare), and
// for fallocate without PUNCH_HOLE — on tmpfs and memfds whatever KEEP_SIZE says
// (shmem_fallocate: "We need to check rlimit even when FALLOC_FL_KEEP_SIZE"), on host
// mounts only without KEEP_SIZE (ext4_fallocate, the reference's filesystem). truncate and ftruncate clear S_ISUID / S_ISGID as do_truncate()
// does for a caller without CAP_FSETID (permission.ts removePrivs).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { S_IFDIR, S_IFIFO, S_IFMT, S_IFREG } from './constants.ts';
import { fileOf, pathArg } from './fd-util.ts';
import type { OpenFile } from './file.ts';
import { lookupAt } from './lookup.ts';
import type { Vnode } from './node.ts';
import { fsizeNewSize } from './fsize.ts';
import { MAX_FILE_SIZE, RegularFile } from './open-files.ts';
import { credsOf, inodePermission, MAY_WRITE, removePrivs } from './permission.ts';

export function truncate(k: SyscallContext): number {
  const length = k.off(1);
  if (length < 0) return -E.EINVAL;
  const { loc } = lookupAt(k, -100, pathArg(k, 0), 0);
  const node = loc!.node;
  if (node.type === 'dir') return -E.EISDIR;
  if (node.type !== 'reg') return -E.EINVAL;
  if (node.fs.readOnly) return -E.EROFS;
  const denied = inodePermission(credsOf(k), node, MAY_WRITE);
  if (denied) return denied;
  // vfs_truncate(): get_write_access() (ETXTBSY while a process runs the file), held
  // across do_truncate().
  node.getWriteAccess();
  try {
    return truncateNode(k, node, length);
  } finally {
    node.putWriteAccess();
  }
}

function truncateNode(k: SyscallContext, node: Vnode, length: number): number {
  const big = fsizeNewSize(k, node.stat().size, length);
  if (big) return big;
  if (length > MAX_FILE_SIZE) return -E.EFBIG;
  node.truncate(length);
  removePrivs(credsOf(k), node); // do_truncate(): S_ISUID / S_ISGID go without CAP_FSETID
  return 0;
}

export function ftruncate(k: SyscallContext): number {
  const length = k.off(1);
  if (length < 0) return -E.EINVAL;
  const file = fileOf(k, k.i32(0));
  if ((file.stat().mode & S_IFMT) !== S_IFREG || !file.writable) return -E.EINVAL;
  const big = fsizeNewSize(k, file.stat().size, length);
  if (big) return big;
  if (length > MAX_FILE_SIZE) return -E.EFBIG;
  file.truncate(length);
  if (file.loc) removePrivs(credsOf(k), file.loc.node);
  return 0;
}

const FALLOC_FL_KEEP_SIZE = 1;
const FALLOC_FL_PUNCH_HOLE = 2;

export function fallocate(k: SyscallContext): number {
  const file = fileOf(k, k.i32(0));
  const mode = k.i32(1);
  const offset = k.off(2);
  const len = k.off(3);
  if (offset < 0 || len <= 0) return -E.EINVAL;
  if (mode & ~(FALLOC_FL_KEEP_SIZE | FALLOC_FL_PUNCH_HOLE)) return -E.EOPNOTSUPP;
  if (mode & FALLOC_FL_PUNCH_HOLE && !(mode & FALLOC_FL_KEEP_SIZE)) return -E.EOPNOTSUPP;
  if (!file.writable) return -E.EBADF;
  const type = file.stat().mode & S_IFMT;
  if (type === S_IFIFO) return -E.ESPIPE;
  if (type === S_IFDIR) return -E.EISDIR;
  if (type !== S_IFREG) return -E.ENODEV;
  if (offset + len > MAX_FILE_SIZE) return -E.EFBIG;
  const size = file.stat().size;
  // inode_newsize_ok(inode, offset + len): shmem_fallocate always (but not for a hole),
  // ext4_fallocate only when the size is to change.
  const host = file.loc?.node.fs.fsType === 'hostfs' || !(file instanceof RegularFile);
  if (!(mode & FALLOC_FL_PUNCH_HOLE) && !(host && mode & FALLOC_FL_KEEP_SIZE)) {
    const big = fsizeNewSize(k, size, offset + len);
    if (big) return big;
  }
  if (mode & FALLOC_FL_PUNCH_HOLE) {
    const end = Math.min(offset + len, size);
    if (end > offset) punchHole(k, file, offset, end - offset);
  } else if (!(mode & FALLOC_FL_KEEP_SIZE) && offset + len > size) {
    file.truncate(offset + len);
  }
  return 0;
}

const MAX_ZERO_FILL = 64 * 1024 * 1024;
const ZERO_CHUNK = 1024 * 1024;

function punchHole(k: SyscallContext, file: OpenFile, offset: number, len: number): void {
  const data = file instanceof RegularFile ? file.data : undefined;
  if (data?.punch) return data.punch(offset, len);
  if (len > MAX_ZERO_FILL) k.unsupported(`FALLOC_FL_PUNCH_HOLE over ${len} bytes of a host file (at most ${MAX_ZERO_FILL})`);
  const zeros = new Uint8Array(Math.min(len, ZERO_CHUNK));
  for (let done = 0; done < len; done += zeros.length) {
    const part = zeros.subarray(0, Math.min(zeros.length, len - done));
    if (data) data.writeAt(offset + done, part);
    else file.pwrite(part, offset + done);
  }
}
