// RLIMIT_FSIZE, as Linux 6.1 enforces it on regular files:
//
//   - generic_write_check_limits() (fs/read_write.c), reached from generic_write_checks() by
//     every filesystem's ->write_iter here (shmem: generic_file_write_iter; ext4, the host
//     mounts' filesystem under the reference) and from generic_copy_file_checks(): a write
//     of a non-zero count (generic_write_checks_count() returns first for 0) starting at or
//     past the limit sends SIGXFSZ to the writer (send_sig(SIGXFSZ, current, 0): SI_USER
//     from the writer's own process, to the calling thread) and fails with EFBIG; one that
//     crosses it is shortened to end at it. The position is the file's, or its size under
//     O_APPEND / RWF_APPEND / pwrite's O_APPEND quirk (IOCB_APPEND: ki_pos = i_size).
//     Pipes, sockets, terminals, character devices and procfs files have their own write
//     methods, which never call it: only regular files of tmpfs, memfd and host mounts count.
//   - inode_newsize_ok() (fs/attr.c), reached from setattr_prepare() (truncate, ftruncate)
//     and shmem_fallocate()/ext4_fallocate(): growing a file past the limit (a new size
//     strictly above it) sends SIGXFSZ and fails with EFBIG.
//
// The limit is the calling process's (rlimit(RLIMIT_FSIZE) of current): inherited by fork
// (copy_process copies signal->rlim), kept across execve.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { SIGXFSZ, SI_USER } from '../abi.ts';
import { RLIMIT, RLIM_INFINITY } from '../process/limits.ts';
import { sendSignal } from '../signal/send.ts';
import { SigInfo } from '../signal/siginfo.ts';
import type { OpenFile } from './file.ts';
import { RegularFile } from './open-files.ts';

/**
 * Whether a write to `file` can meet RLIMIT_FSIZE: a regular file of a filesystem that goes
 * through generic_write_checks() (not procfs), and a finite limit (the usual case, infinite,
 * needs no write position: on a host file with O_APPEND that would cost an fstat per write).
 */
export function fsizeLimited(k: SyscallContext, file: OpenFile): file is RegularFile {
  return file instanceof RegularFile && file.loc.node.fs.fsType !== 'proc' && k.state.limits[RLIMIT.FSIZE].cur !== RLIM_INFINITY;
}

/**
 * send_sig(SIGXFSZ, current, 0): to the calling thread, SI_USER with the caller's pid. At its
 * default action (core) it ends the process once the call has returned EFBIG (send.ts).
 */
function sendSigxfsz(k: SyscallContext): void {
  const state = k.state;
  sendSignal(state, SigInfo.fromProcess(SIGXFSZ, SI_USER, state.pid), state.thread.current, false, true);
}

/** A size or position as a bigint; SyscallContext.off() saturates those past 2^53 (to ±Infinity): past any limit below 2^63. */
const exact = (n: number): bigint => (Number.isSafeInteger(n) ? BigInt(n) : n > 0 ? (1n << 63n) - 1n : -(1n << 63n));

/**
 * generic_write_check_limits()'s RLIMIT_FSIZE part for a write of `count` (> 0) bytes at
 * `pos` to a regular file: the count allowed (shortened to end at the limit), or -EFBIG
 * after SIGXFSZ when pos is at or past it. Files that are not limited pass unchanged.
 */
export function fsizeWriteCount(k: SyscallContext, file: OpenFile, pos: number, count: number): number {
  if (count === 0 || !fsizeLimited(k, file)) return count; // generic_write_checks_count(): `if (!*count) return 0`
  const at = exact(pos);
  const n = fsizeCheckLimits(k, at, BigInt(count));
  return n === undefined ? -E.EFBIG : Number(n);
}

/**
 * generic_write_check_limits() itself (loff_t pos, u64 count), as generic_copy_file_checks()
 * calls it — even for a count of 0: the count allowed, or undefined (EFBIG) after SIGXFSZ.
 */
export function fsizeCheckLimits(k: SyscallContext, pos: bigint, count: bigint): bigint | undefined {
  const cur = k.state.limits[RLIMIT.FSIZE].cur;
  if (cur === RLIM_INFINITY) return count;
  // `loff_t limit = rlimit(RLIMIT_FSIZE)`: a finite limit of 2^63 or more is negative there,
  // so every position is past it.
  const limit = BigInt.asIntN(64, cur);
  if (pos >= limit) {
    sendSigxfsz(k);
    return undefined;
  }
  return count > limit - pos ? limit - pos : count;
}

/**
 * inode_newsize_ok()'s RLIMIT_FSIZE part: 0, or -EFBIG after SIGXFSZ when `newSize` grows the
 * file (beyond `size`) past the limit.
 */
export function fsizeNewSize(k: SyscallContext, size: number, newSize: number): number {
  if (newSize <= size) return 0;
  const limit = k.state.limits[RLIMIT.FSIZE].cur;
  if (limit === RLIM_INFINITY || exact(newSize) <= limit) return 0;
  sendSigxfsz(k);
  return -E.EFBIG;
}
