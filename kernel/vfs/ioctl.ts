// ioctl(2) on the standard streams. Supported: TCGETS and TIOCGWINSZ (a fresh terminal's
// termios, a fixed 24x80 window; ENOTTY when the stream is not a terminal). Any other
// request on a non-terminal is ENOTTY, which is what Linux answers for pipes and files —
// except the requests Linux serves for every fd or for pipes/files (FIOCLEX, FIONBIO,
// FIONREAD, ...), and every other terminal request: those stop the guest (partial).

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { copyOut } from '../user-memory.ts';
import { TCGETS, TIOCGWINSZ, defaultTermios, defaultWinsize } from './termios.ts';

/**
 * Requests do_vfs_ioctl() or pipe/regular-file ioctls handle. Values from <asm-generic/ioctls.h>,
 * <linux/fs.h>, <linux/fiemap.h>, printed by a riscv64 program built against those headers.
 */
const GENERIC_REQUESTS: Record<number, string> = {
  0x5450: 'FIONCLEX',
  0x5451: 'FIOCLEX',
  0x5421: 'FIONBIO',
  0x5452: 'FIOASYNC',
  0x5460: 'FIOQSIZE',
  0x541b: 'FIONREAD',
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
  const arg = k.u(2);
  const file = k.state.fds.get(fd);
  if (!file) return -E.EBADF;
  const hex = `0x${request.toString(16)}`;
  if (GENERIC_REQUESTS[request]) k.unsupported(`request ${GENERIC_REQUESTS[request]} (${hex}) on fd ${fd}`);
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
