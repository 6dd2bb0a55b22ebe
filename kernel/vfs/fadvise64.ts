// fadvise64(2): advice only, so nothing changes; the checks are generic_fadvise's: EBADF,
// a pipe ESPIPE, len < 0 or an unknown advice (beyond POSIX_FADV_NOREUSE = 5) EINVAL.

import type { SyscallContext } from '../context.ts';
import { E } from '../errno.ts';
import { S_IFIFO, S_IFMT } from './constants.ts';
import { fileOf } from './fd-util.ts';

const POSIX_FADV_NOREUSE = 5;

export function fadvise64(k: SyscallContext): number {
  const file = fileOf(k, k.i32(0));
  // riscv64's fadvise64 is sys_fadvise64_64(int fd, loff_t offset, loff_t len, int advice)
  // (asm-generic unistd.h __NR3264_fadvise64; mm/fadvise.c): len is signed, `len < 0` EINVAL.
  const len = k.off(2);
  const advice = k.i32(3);
  if ((file.stat().mode & S_IFMT) === S_IFIFO) return -E.ESPIPE;
  if (len < 0 || advice < 0 || advice > POSIX_FADV_NOREUSE) return -E.EINVAL;
  return 0;
}
