// struct stat for riscv64: <asm-generic/stat.h> (64-bit architectures use `stat`), and
// struct statx: <linux/stat.h>. Sizes and offsets come from the headers (abi-structs.ts).

import { StructBuilder } from '../user-memory.ts';
import { STAT, STATX, STATX_TIMESTAMP } from '../abi-structs.ts';
import { NS_PER_SEC } from '../time/clock.ts';
import { STATX_BASIC_STATS, STATX_MNT_ID, STATX_MODE, STATX_TYPE, STATX__RESERVED } from '../abi.ts';
export { STATX_BASIC_STATS, STATX_MNT_ID, STATX_MODE, STATX_TYPE, STATX__RESERVED } from '../abi.ts';

export { S_IFMT, S_IFIFO, S_IFCHR, S_IFDIR, S_IFREG, S_IFLNK } from './constants.ts';

export const STAT_SIZE = STAT.SIZE;
export const STATX_SIZE = STATX.SIZE;

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
    .u64(STAT.st_dev, s.dev)
    .u64(STAT.st_ino, s.ino)
    .u32(STAT.st_mode, s.mode)
    .u32(STAT.st_nlink, s.nlink)
    .u32(STAT.st_uid, s.uid)
    .u32(STAT.st_gid, s.gid)
    .u64(STAT.st_rdev, s.rdev)
    .u64(STAT.st_size, s.size)
    .u32(STAT.st_blksize, s.blksize)
    .u64(STAT.st_blocks, s.blocks);
  const times: [number, number, bigint][] = [
    [STAT.st_atime, STAT.st_atime_nsec, s.atimeNs],
    [STAT.st_mtime, STAT.st_mtime_nsec, s.mtimeNs],
    [STAT.st_ctime, STAT.st_ctime_nsec, s.ctimeNs],
  ];
  for (const [sec, nsec, ns] of times) b.u64(sec, ns / NS_PER_SEC).u64(nsec, ns % NS_PER_SEC);
  return b;
}

/** struct statx with every basic field and the mount id filled (no btime: not recorded). */
export function encodeStatx(s: StatInfo, mntId: number): StructBuilder {
  const b = new StructBuilder(STATX_SIZE)
    .u32(STATX.stx_mask, STATX_BASIC_STATS | STATX_MNT_ID)
    .u32(STATX.stx_blksize, s.blksize)
    .u64(STATX.stx_attributes, 0)
    .u32(STATX.stx_nlink, s.nlink)
    .u32(STATX.stx_uid, s.uid)
    .u32(STATX.stx_gid, s.gid)
    .u16(STATX.stx_mode, s.mode)
    .u64(STATX.stx_ino, s.ino)
    .u64(STATX.stx_size, s.size)
    .u64(STATX.stx_blocks, s.blocks)
    .u64(STATX.stx_attributes_mask, 0);
  const times: [number, bigint][] = [
    [STATX.stx_atime, s.atimeNs],
    [STATX.stx_ctime, s.ctimeNs],
    [STATX.stx_mtime, s.mtimeNs],
  ];
  for (const [off, ns] of times) b.u64(off + STATX_TIMESTAMP.tv_sec, ns / NS_PER_SEC).u32(off + STATX_TIMESTAMP.tv_nsec, Number(ns % NS_PER_SEC));
  return b
    .u32(STATX.stx_rdev_major, devMajor(s.rdev))
    .u32(STATX.stx_rdev_minor, devMinor(s.rdev))
    .u32(STATX.stx_dev_major, devMajor(s.dev))
    .u32(STATX.stx_dev_minor, devMinor(s.dev))
    .u64(STATX.stx_mnt_id, mntId);
}
