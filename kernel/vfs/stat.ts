// struct stat for riscv64: <asm-generic/stat.h> (128 bytes; 64-bit architectures use `stat`).
// Offsets checked with riscv64-linux-gnu-gcc offsetof(): uid 24, rdev 32, size 48,
// blksize 56, blocks 64, atime 72, mtime 88, ctime 104.
// struct statx: <linux/stat.h> (256 bytes; stx_mnt_id at 0x90).

import { StructBuilder } from '../user-memory.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { STATX_BASIC_STATS, STATX_MNT_ID, STATX_MODE, STATX_TYPE, STATX__RESERVED } from '../abi.ts';
export { STATX_BASIC_STATS, STATX_MNT_ID, STATX_MODE, STATX_TYPE, STATX__RESERVED } from '../abi.ts';

export { S_IFMT, S_IFIFO, S_IFCHR, S_IFDIR, S_IFREG, S_IFLNK } from './constants.ts';

export const STAT_SIZE = 128;
export const STATX_SIZE = 256;

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
  /** ns since the epoch (virtual clock). */
  atimeNs: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

/** Kernel new_encode_dev(): the dev_t layout glibc's major()/minor() decode. */
export function makedev(major: number, minor: number): number {
  return (minor & 0xff) | ((major & 0xfff) << 8) | ((minor & ~0xff) << 12);
}
export const devMajor = (dev: number): number => (dev >>> 8) & 0xfff;
export const devMinor = (dev: number): number => (dev & 0xff) | ((dev >>> 12) & ~0xff);

/** 512-byte blocks of a file of `size` bytes allocated in 4 KiB blocks (no holes). */
export const blocksFor = (size: number): number => Math.ceil(size / 4096) * 8;

export function encodeStat(s: StatInfo): StructBuilder {
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
  const times: [number, bigint][] = [
    [72, s.atimeNs],
    [88, s.mtimeNs],
    [104, s.ctimeNs],
  ];
  for (const [off, ns] of times) b.u64(off, ns / NS_PER_SEC).u64(off + 8, ns % NS_PER_SEC);
  return b;
}

/** struct statx with every basic field and the mount id filled (no btime: not recorded). */
export function encodeStatx(s: StatInfo, mntId: number): StructBuilder {
  const b = new StructBuilder(STATX_SIZE)
    .u32(0, STATX_BASIC_STATS | STATX_MNT_ID)
    .u32(4, s.blksize)
    .u64(8, 0) // stx_attributes
    .u32(16, s.nlink)
    .u32(20, s.uid)
    .u32(24, s.gid)
    .u16(28, s.mode)
    .u64(32, s.ino)
    .u64(40, s.size)
    .u64(48, s.blocks)
    .u64(56, 0); // stx_attributes_mask
  const times: [number, bigint][] = [
    [64, s.atimeNs],
    [96, s.ctimeNs],
    [112, s.mtimeNs],
  ];
  for (const [off, ns] of times) b.u64(off, ns / NS_PER_SEC).u32(off + 8, Number(ns % NS_PER_SEC));
  return b
    .u32(128, devMajor(s.rdev))
    .u32(132, devMinor(s.rdev))
    .u32(136, devMajor(s.dev))
    .u32(140, devMinor(s.dev))
    .u64(144, mntId);
}
