// struct stat for riscv64: <asm-generic/stat.h> (128 bytes; 64-bit architectures use `stat`).
// Offsets checked with riscv64-linux-gnu-gcc offsetof(): uid 24, rdev 32, size 48,
// blksize 56, blocks 64, atime 72, mtime 88, ctime 104.

import { StructBuilder } from '../user-memory.ts';
import { NS_PER_SEC } from '../time/clock.ts';

export const STAT_SIZE = 128;

// File type bits of st_mode (<linux/stat.h>).
export const S_IFMT = 0o170000;
export const S_IFIFO = 0o010000;
export const S_IFCHR = 0o020000;
export const S_IFDIR = 0o040000;
export const S_IFREG = 0o100000;

export interface StatInfo {
  dev: number;
  ino: number;
  mode: number;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  blksize: number;
  blocks: number;
  /** atime = mtime = ctime, in ns since the epoch. */
  timeNs: bigint;
}

/** Kernel new_encode_dev(): the dev_t layout glibc's major()/minor() decode. */
export function makedev(major: number, minor: number): number {
  return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12);
}

export function encodeStat(s: StatInfo): StructBuilder {
  const sec = s.timeNs / NS_PER_SEC;
  const nsec = s.timeNs % NS_PER_SEC;
  const b = new StructBuilder(STAT_SIZE)
    .u64(0, s.dev)
    .u64(8, s.ino)
    .u32(16, s.mode)
    .u32(20, s.nlink)
    .u32(24, s.uid)
    .u32(28, s.gid)
    .u64(32, s.rdev)
    .u64(48, s.size)
    .u32(56, s.blksize)
    .u64(64, s.blocks);
  for (const off of [72, 88, 104]) b.u64(off, sec).u64(off + 8, nsec);
  return b;
}
