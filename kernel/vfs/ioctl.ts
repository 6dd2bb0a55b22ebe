// ioctl(2), in the order of Linux do_vfs_ioctl: EBADF (O_PATH too); the requests every
// file answers — FIOCLEX / FIONCLEX (close-on-exec), FIONBIO (O_NONBLOCK from an int),
// FIOQSIZE (size of a regular file, directory or symlink, else ENOTTY), FIONREAD (bytes
// left before the end of a regular file; otherwise the file's own count: a pipe's buffered
// bytes, ENOTTY where there is none) — then the terminal requests TCGETS and TIOCGWINSZ
// (a fresh terminal's termios, a fixed 24x80 window; ENOTTY unless the file is a
// terminal), and TFD_IOC_SET_TICKS on a timerfd. Any other request on a non-terminal is
// ENOTTY, as Linux answers for pipes, files and directories. On a socket FIONREAD and every
// request do_vfs_ioctl leaves to the file go to sock_ioctl (kernel/net/ioctl.ts).
// Partial: FIOASYNC, the filesystem requests (FIFREEZE, FS_IOC_*, FICLONE, ...), FIONREAD
// on a standard stream and other terminal requests stop the guest.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyIn, copyOut, StructBuilder } from '../user-memory.ts';
import { O_NONBLOCK, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG } from './constants.ts';
import { StdioFile } from './stdio-file.ts';
import { TCGETS, TIOCGWINSZ, defaultTermios, defaultWinsize } from './termios.ts';
import { FIOASYNC, FIOCLEX, FIONBIO, FIONCLEX, FIONREAD, FIOQSIZE, TFD_IOC_SET_TICKS } from '../abi.ts';
import { TimerFd } from '../time/timerfd.ts';
import { sockIoctl } from '../net/ioctl.ts';
import { SocketFile } from '../net/unix.ts';

/**
 * Filesystem requests do_vfs_ioctl() or regular-file ioctls handle. Values from
 * <linux/fs.h>, <linux/fiemap.h>, printed by a riscv64 program built against those headers.
 */
const UNSUPPORTED_REQUESTS: Record<number, string> = {
  [FIOASYNC]: 'FIOASYNC',
  0xc0045877: 'FIFREEZE',
  0xc0045878: 'FITHAW',
  0xc020660b: 'FS_IOC_FIEMAP',
  0x00000002: 'FIGETBSZ',
  0x40049409: 'FICLONE',
  0x4020940d: 'FICLONERANGE',
  0xc0189436: 'FIDEDUPERANGE',
  0x80086601: 'FS_IOC_GETFLAGS',
  0x40086602: 'FS_IOC_SETFLAGS',
};

export function ioctl(k: SyscallContext): number {
  const fd = k.u32(0);
  const request = k.u32(1);
  // unsigned long arg: a pointer for every request handled here (do_vfs_ioctl's argp).
  const arg = k.addr(2);
  const file = k.state.fds.get(fd);
  if (!file) return -E.EBADF;
  const hex = `0x${request.toString(16)}`;
  const name = UNSUPPORTED_REQUESTS[request];
  if (name) k.unsupported(`request ${name} (${hex}) on fd ${fd}`);
  switch (request) {
    case FIOCLEX:
    case FIONCLEX:
      k.state.fds.setCloexec(fd, request === FIOCLEX);
      return 0;
    case FIONBIO: {
      const on = copyIn(k.mem, arg, 4).getInt32(0, true) !== 0;
      file.statusFlags = on ? file.statusFlags | O_NONBLOCK : file.statusFlags & ~O_NONBLOCK;
      return 0;
    }
    case FIOQSIZE: {
      const st = file.stat();
      const type = st.mode & S_IFMT;
      if (type !== S_IFREG && type !== S_IFDIR && type !== S_IFLNK) return -E.ENOTTY;
      copyOut(k.mem, arg, new StructBuilder(8).u64(0, st.size));
      return 0;
    }
    case FIONREAD: {
      // do_vfs_ioctl: `if (!S_ISREG(inode->i_mode)) return vfs_ioctl(filp, cmd, arg);` (sock_ioctl for a socket).
      if (file instanceof SocketFile) return sockIoctl(k, file, request, arg);
      if (file instanceof StdioFile) k.unsupported(`request FIONREAD (${hex}) on fd ${fd}`);
      const n = file.available();
      if (n === undefined) return -E.ENOTTY;
      copyOut(k.mem, arg, new StructBuilder(4).u32(0, n));
      return 0;
    }
  }
  // vfs_ioctl → sock_ioctl.
  if (file instanceof SocketFile) return sockIoctl(k, file, request, arg);
  // fs/timerfd.c timerfd_ioctl() (CONFIG_CHECKPOINT_RESTORE, as Debian builds 6.1): the ticks
  // the next read returns (EFAULT, 0 EINVAL); other requests on a timerfd are ENOTTY.
  if (request === TFD_IOC_SET_TICKS && file instanceof TimerFd) {
    file.setTicks(copyIn(k.mem, arg, 8).getBigUint64(0, true));
    return 0;
  }
  const tty = file.isatty();
  switch (request) {
    case TCGETS:
      if (!tty) return -E.ENOTTY;
      copyOut(k.mem, arg, defaultTermios());
      return 0;
    case TIOCGWINSZ:
      if (!tty) return -E.ENOTTY;
      copyOut(k.mem, arg, defaultWinsize());
      return 0;
  }
  if (!tty) return -E.ENOTTY;
  k.unsupported(`terminal request ${hex} on fd ${fd}`);
}
