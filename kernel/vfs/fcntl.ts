// fcntl(2), as Linux 6.1 fs/fcntl.c for one process:
//   O_PATH descriptors allow only F_DUPFD(_CLOEXEC), F_GETFD, F_SETFD, F_GETFL (else EBADF);
//   F_DUPFD(_CLOEXEC): lowest free fd >= arg (arg >= RLIMIT_NOFILE → EINVAL, none → EMFILE);
//   F_GETFD/F_SETFD: FD_CLOEXEC; F_GETFL: the status flags; F_SETFL changes O_APPEND,
//   O_NONBLOCK, O_DIRECT, O_NOATIME (O_ASYNC stops: no signal-driven I/O);
//   record locks F_GETLK/F_SETLK/F_SETLKW: checked as flock_to_posix_lock does (l_type,
//   l_whence, range: EINVAL/EOVERFLOW; F_SETLK of a read/write lock needs read/write
//   access: EBADF) — and then always granted: a process never conflicts with its own
//   locks, and there is no other process. F_GETLK answers F_UNLCK.
//   F_GETPIPE_SZ/F_SETPIPE_SZ on pipes (EBADF otherwise); F_GETOWN/F_GETSIG: 0;
//   F_GET_SEALS/F_ADD_SEALS: memfds are F_SEAL_SEAL'ed (EPERM to add), other files EINVAL
//   (F_ADD_SEALS checks its argument first, mm/memfd.c);
//   other commands EINVAL.
// Partial: OFD locks, F_SETOWN(_EX), F_SETSIG, leases and F_NOTIFY stop the guest.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyIn, copyOut } from '../user-memory.ts';
import { O_ASYNC, SEEK_CUR, SEEK_END, SEEK_SET, SETFL_MASK } from './constants.ts';
import { nofileLimit, rawFileOf } from './fd-util.ts';
import type { OpenFile } from './file.ts';
import { isMemfd } from './memfd.ts';
import { PIPE_MAX_SIZE, PipeEnd } from './pipe.ts';
import { FD_CLOEXEC, F_RDLCK, F_SEAL_FUTURE_WRITE, F_SEAL_GROW, F_SEAL_SEAL, F_SEAL_SHRINK, F_SEAL_WRITE, F_UNLCK, F_WRLCK } from '../abi.ts';
import { FLOCK } from '../abi-structs.ts';
import { prefixed } from '../abi-prefixed.ts';

const F = prefixed('F_');
const OFFSET_MAX = 2n ** 63n - 1n;

/** F_ALL_SEALS of Linux 6.1 mm/memfd.c (F_SEAL_EXEC came in 6.3). */
const F_ALL_SEALS = BigInt(F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE | F_SEAL_FUTURE_WRITE);

const PATH_OK = new Set<number>([F.DUPFD, F.DUPFD_CLOEXEC, F.GETFD, F.SETFD, F.GETFL]);

export function fcntl(k: SyscallContext): number {
  const fd = k.i32(0);
  const cmd = k.i32(1);
  const file = rawFileOf(k, fd);
  if (file.isPath && !PATH_OK.has(cmd)) return -E.EBADF;
  const fds = k.state.fds;
  switch (cmd) {
    case F.DUPFD:
    case F.DUPFD_CLOEXEC: {
      const min = k.u32(2); // f_dupfd(unsigned int from, ...)
      const limit = nofileLimit(k);
      if (min >= limit) return -E.EINVAL;
      return fds.allocate(file, limit, cmd === F.DUPFD_CLOEXEC, min);
    }
    case F.GETFD:
      return fds.getCloexec(fd) ? FD_CLOEXEC : 0;
    case F.SETFD:
      fds.setCloexec(fd, (k.i32(2) & FD_CLOEXEC) !== 0);
      return 0;
    case F.GETFL:
      return file.statusFlags;
    case F.SETFL: {
      const arg = k.i32(2);
      if ((arg ^ file.statusFlags) & O_ASYNC) k.unsupported('O_ASYNC (signal-driven I/O)');
      file.statusFlags = (arg & SETFL_MASK) | (file.statusFlags & ~SETFL_MASK);
      return 0;
    }
    case F.GETLK:
    case F.SETLK:
    case F.SETLKW:
      return recordLock(k, file, cmd);
    case F.GETOWN:
    case F.GETSIG:
      return 0;
    case F.SETPIPE_SZ:
    case F.GETPIPE_SZ: {
      if (!(file instanceof PipeEnd)) return -E.EBADF;
      if (cmd === F.GETPIPE_SZ) return file.pipe.maxUsage * 4096;
      // Linux 6.1 do_fcntl() passes the whole unsigned long arg to pipe_fcntl() (later kernels
      // cast it to int first); fs/pipe.c pipe_set_size(): round_pipe_size() is 0 above
      // 1U << 31, so `!nr_slots` is EINVAL, before the pipe_max_size check (EPERM).
      const size = k.size(2);
      if (size > 0x80000000) return -E.EINVAL;
      if (size > PIPE_MAX_SIZE && k.state.vfs.uid !== 0) return -E.EPERM;
      return file.pipe.resize(size);
    }
    case F.ADD_SEALS: {
      // mm/memfd.c memfd_fcntl(): "disallow upper 32bit" (arg > UINT_MAX: EINVAL); then
      // memfd_add_seals(): not open for writing EPERM, unknown seals EINVAL, not a shmem file
      // EINVAL, F_SEAL_SEAL set EPERM. Only memfds take seals here; ours are made without
      // MFD_ALLOW_SEALING, so F_SEAL_SEAL is set.
      const seals = k.big(2);
      if (seals > 0xffffffffn) return -E.EINVAL;
      if (!file.writable) return -E.EPERM;
      if (seals & ~F_ALL_SEALS) return -E.EINVAL;
      return isMemfd(file) ? -E.EPERM : -E.EINVAL;
    }
    case F.GET_SEALS:
      return isMemfd(file) ? F_SEAL_SEAL : -E.EINVAL;
    case F.SETOWN:
    case F.SETOWN_EX:
    case F.GETOWN_EX:
    case F.SETSIG:
    case F.OFD_GETLK:
    case F.OFD_SETLK:
    case F.OFD_SETLKW:
    case F.SETLEASE:
    case F.GETLEASE:
    case F.NOTIFY:
      k.unsupported(`command ${cmd}`);
    default:
      return -E.EINVAL;
  }
}

/** The file offset, for l_whence = SEEK_CUR (0 where there is none). */
function offsetOf(file: OpenFile): bigint {
  try {
    return BigInt(file.seek(0, SEEK_CUR));
  } catch {
    return 0n;
  }
}

function recordLock(k: SyscallContext, file: OpenFile, cmd: number): number {
  const addr = k.addr(2); // do_fcntl's argp = (void __user *)arg
  const raw = copyIn(k.mem, addr, FLOCK.SIZE);
  const type = raw.getInt16(0, true);
  const whence = raw.getInt16(2, true);
  const start = raw.getBigInt64(8, true);
  const len = raw.getBigInt64(16, true);
  if (cmd === F.GETLK && type !== F_RDLCK && type !== F_WRLCK) return -E.EINVAL;
  // flock_to_posix_lock
  let base: bigint;
  if (whence === SEEK_SET) base = 0n;
  else if (whence === SEEK_CUR) base = offsetOf(file);
  else if (whence === SEEK_END) base = BigInt(file.stat().size);
  else return -E.EINVAL;
  if (start > OFFSET_MAX - base) return -E.EOVERFLOW;
  const first = base + start;
  if (first < 0n) return -E.EINVAL;
  if (len > 0n && len - 1n > OFFSET_MAX - first) return -E.EOVERFLOW;
  if (len < 0n && first + len < 0n) return -E.EINVAL;
  if (type !== F_RDLCK && type !== F_WRLCK && type !== F_UNLCK) return -E.EINVAL;
  if (cmd === F.GETLK) {
    copyOut(k.mem, addr, new Uint8Array([F_UNLCK, 0]));
    return 0;
  }
  if (type === F_RDLCK && !file.readable) return -E.EBADF;
  if (type === F_WRLCK && !file.writable) return -E.EBADF;
  return 0;
}
