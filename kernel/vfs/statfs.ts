// statfs(2), and what a filesystem answers to it (fstatfs.ts shares it), as Linux 6.1
// fs/statfs.c does:
//
//   SYSCALL_DEFINE2(statfs) -> user_statfs(): user_path_at(AT_FDCWD, LOOKUP_FOLLOW |
//   LOOKUP_AUTOMOUNT) — the string (EFAULT, ENAMETOOLONG), "" ENOENT (no LOOKUP_EMPTY), the walk
//   (ENOENT, ENOTDIR, ELOOP, ENAMETOOLONG) — then vfs_statfs(): statfs_by_dentry() (memset 0,
//   the filesystem's ->statfs, `if (retval == 0 && buf->f_frsize == 0) buf->f_frsize =
//   buf->f_bsize;`) and `buf->f_flags = calculate_f_flags(path->mnt)`; do_statfs_native()
//   copies the 120-byte struct statfs out (EFAULT; on 64-bit it is struct kstatfs as is).
//
// What each filesystem's ->statfs answers:
//   tmpfs (/, /tmp) and devtmpfs (/dev, which 6.1 backs with shmem: drivers/base/devtmpfs.c
//     internal_fs_type) — mm/shmem.c shmem_statfs(): TMPFS_MAGIC, f_bsize PAGE_SIZE, f_namelen
//     NAME_MAX; a sized mount (max_blocks / max_inodes: shmem_default_max_blocks() and
//     shmem_default_max_inodes(), half of RAM's pages each, RAM being --mem) reports f_blocks =
//     max_blocks, f_bfree = f_bavail = max_blocks - used_blocks, f_files = max_inodes, f_ffree =
//     free_inodes (shmem_reserve_inode(): one per inode, the root included, and one more per
//     extra hard link, shmem_link()); an unsized one leaves them 0 (as memfds' internal
//     SB_KERNMOUNT mount). f_fsid is uuid_to_fsid(s_uuid), a random uuid per mount on Linux:
//     here the mount's device number, fixed per mount.
//   proc, sysfs (kernfs), pipefs, sockfs, anon_inodefs (eventfd, epoll, timerfd), devpts —
//     fs/libfs.c simple_statfs(): the magic, f_bsize PAGE_SIZE, f_namelen NAME_MAX, every count
//     0; 6.1 sets no f_fsid (later kernels put s_dev there, as the build machine's 6.18 shows).
//   a host mount: the host filesystem's f_type and f_bsize (as Linux shows a bind mount), f_frsize
//     = f_bsize, f_namelen NAME_MAX (the names the walk allows); its block and inode counts are
//     reported as 0, like a filesystem that keeps none: the host's free space changes with
//     whatever else runs on the host, and a run must not depend on it.
// f_flags (calculate_f_flags: ST_VALID | flags_by_mnt | flags_by_sb): a mount made without
// options gets MNT_RELATIME (fs/namespace.c path_mount(): "Default to relatime unless
// overriden"), so ST_VALID | ST_RELATIME, with ST_RDONLY for a read-only filesystem (sysfs
// here); the kernel-internal mounts (pipefs, sockfs, anon_inodefs, shm) have no mount flags.
//
// Not modelled: files unlinked while open still hold their tmpfs inode on Linux until closed
// (they are not counted here), and the mount options of the build machine (nosuid, nodev, ...).

import { statfsSync } from 'node:fs';
import type { SyscallContext } from '../context.ts';
import { fail } from '../errors.ts';
import { copyOut, StructBuilder } from '../user-memory.ts';
import { STATFS } from '../abi-structs.ts';
import {
  ANON_INODE_FS_MAGIC,
  DEVPTS_SUPER_MAGIC,
  PIPEFS_MAGIC,
  PROC_SUPER_MAGIC,
  SOCKFS_MAGIC,
  ST_RDONLY,
  ST_RELATIME,
  SYSFS_MAGIC,
  TMPFS_MAGIC,
} from '../abi.ts';
import { AnonFile } from './anon.ts';
import { AT_FDCWD } from './at.ts';
import { NAME_MAX, S_IFCHR, S_IFIFO, S_IFMT, S_IFSOCK } from './constants.ts';
import { pathArg } from './fd-util.ts';
import type { OpenFile } from './file.ts';
import { HostFs } from './hostfs.ts';
import { lookupAt } from './lookup.ts';
import { isMemfd } from './memfd.ts';
import type { Loc } from './namespace.ts';
import type { Filesystem } from './node.ts';
import { ProcFs } from './procfs.ts';
import { devMajor, makedev } from './stat.ts';
import { TmpFs, type TmpNode } from './tmpfs.ts';

/** include/linux/statfs.h: "f_flags support is implemented" (kernel-internal, not in the UAPI or libc headers). */
export const ST_VALID = 0x0020;
/** PAGE_SIZE: f_bsize of shmem and of simple_statfs(). */
const PAGE = 4096;
/** include/linux/shmem_fs.h SHORT_SYMLINK_LEN: a longer tmpfs symlink target takes a page. */
const SHORT_SYMLINK_LEN = 128;
/** DEVPTS_MAJOR... UNIX98_PTY_SLAVE_MAJOR (include/linux/major.h): where /dev/pts/N lives. */
const PTS_MAJOR = 136;

/** A struct kstatfs; counts are u64 (BigInt), the rest fits a number. */
export interface StatfsInfo {
  type: number;
  bsize: number;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  fsid: [number, number];
  namelen: number;
  frsize: number;
  flags: number;
}

/** A mount made without options (MNT_RELATIME), read-only when the filesystem is. */
const userMountFlags = (readOnly: boolean): number => ST_VALID | ST_RELATIME | (readOnly ? ST_RDONLY : 0);

/** simple_statfs() on a mount with these f_flags. */
function simple(type: number, flags: number): StatfsInfo {
  return { type, bsize: PAGE, blocks: 0n, bfree: 0n, bavail: 0n, files: 0n, ffree: 0n, fsid: [0, 0], namelen: NAME_MAX, frsize: PAGE, flags };
}

/** Inodes a tmpfs holds (the root, then one per directory entry: hard links count again) and pages its long symlinks take. */
function tmpfsUsage(fs: TmpFs): { inodes: bigint; symlinkPages: bigint } {
  let inodes = 1n;
  let symlinkPages = 0n;
  const dirs: TmpNode[] = [fs.root];
  for (let dir = dirs.pop(); dir; dir = dirs.pop()) {
    for (const child of dir.children!.values()) {
      inodes++;
      if (child.type === 'dir') dirs.push(child);
      else if (child.type === 'lnk' && Buffer.byteLength(child.target, 'latin1') > SHORT_SYMLINK_LEN) symlinkPages++;
    }
  }
  return { inodes, symlinkPages };
}

/** shmem_statfs() of a tmpfs mount; `sized` false for the internal (unlimited) mount. */
function shmem(fs: TmpFs, flags: number, sized: boolean): StatfsInfo {
  const info: StatfsInfo = { ...simple(TMPFS_MAGIC, flags), fsid: [fs.dev, 0] };
  const max = fs.maxPages();
  if (!sized || !Number.isFinite(max)) return info;
  const maxPages = BigInt(max);
  const { inodes, symlinkPages } = tmpfsUsage(fs);
  const used = BigInt(fs.usedPages) + symlinkPages;
  const free = maxPages > used ? maxPages - used : 0n;
  // shmem_default_max_inodes() = min(nr_pages - totalhigh_pages(), nr_pages / 2): the same half of RAM.
  const ffree = maxPages > inodes ? maxPages - inodes : 0n;
  return { ...info, blocks: maxPages, bfree: free, bavail: free, files: maxPages, ffree };
}

/** The host filesystem's f_type and f_bsize at `path` (counts left 0: see the header). */
function host(path: string, dev: number, flags: number): StatfsInfo {
  let st: { type: number; bsize: number };
  try {
    st = statfsSync(path);
  } catch {
    fail('EIO');
  }
  return { ...simple(st.type, flags), bsize: st.bsize, frsize: st.bsize, fsid: [dev, 0] };
}

/** What the filesystem a path lies in answers. */
export function statfsOfFs(k: SyscallContext, fs: Filesystem): StatfsInfo {
  const flags = userMountFlags(fs.readOnly);
  if (fs instanceof HostFs) return host(fs.rootPath, fs.dev, flags);
  if (fs instanceof ProcFs) return simple(PROC_SUPER_MAGIC, flags);
  if (fs instanceof TmpFs) {
    switch (fs.fsType) {
      case 'tmpfs':
      case 'devtmpfs':
        return shmem(fs, flags, true);
      case 'sysfs':
        return simple(SYSFS_MAGIC, flags);
      case 'exe':
        // /proc/self/exe opened: a copy of the program file, which lives on the host.
        return host(k.state.vfs.exePath(), fs.dev, userMountFlags(false));
    }
  }
  k.unsupported(`statfs of a ${fs.fsType} filesystem`);
}

/** The guest's /dev, where /dev/null lives. */
function devFs(k: SyscallContext): Filesystem {
  return k.state.vfs.ns.resolve(k.state.vfs.ns.root, '/dev', true).node.fs;
}

/**
 * What an object outside any path answers (a pipe, socket, anonymous inode, standard stream),
 * by what fstat shows of it.
 */
function statfsOfObject(k: SyscallContext, file: OpenFile | undefined, mode: number, rdev: number): StatfsInfo {
  if (file instanceof AnonFile) return simple(ANON_INODE_FS_MAGIC, ST_VALID);
  switch (mode & S_IFMT) {
    case S_IFIFO:
      return simple(PIPEFS_MAGIC, ST_VALID);
    case S_IFSOCK:
      return simple(SOCKFS_MAGIC, ST_VALID);
    case S_IFCHR:
      if (devMajor(rdev) === PTS_MAJOR) return simple(DEVPTS_SUPER_MAGIC, userMountFlags(false)); // a terminal on fd 0-2
      if (rdev === makedev(1, 3)) return statfsOfFs(k, devFs(k)); // fd 0-2 on /dev/null
  }
  k.unsupported(`statfs of ${file?.label ?? 'an object'} (its filesystem is the host's)`);
}

/** statfs of a place a walk found. */
export function statfsOfLoc(k: SyscallContext, loc: Loc): StatfsInfo {
  const { node } = loc;
  // /proc/self/fd/N of a pipe, socket or standard stream leads to the object itself.
  if (node.fs instanceof ProcFs && node.type !== 'dir' && node.type !== 'reg' && node.type !== 'lnk') {
    const st = node.stat();
    return statfsOfObject(k, undefined, st.mode, st.rdev);
  }
  return statfsOfFs(k, node.fs);
}

/** statfs of an open file (fstatfs: the file's f_path). */
export function statfsOfFile(k: SyscallContext, file: OpenFile): StatfsInfo {
  if (isMemfd(file)) {
    // shmem_file_setup() on the internal shm_mnt (kern_mount: SB_KERNMOUNT, no size, no mount flags).
    return shmem(file.loc!.node.fs as TmpFs, ST_VALID, false);
  }
  if (file.loc) return statfsOfLoc(k, file.loc);
  const st = file.stat();
  return statfsOfObject(k, file, st.mode, st.rdev);
}

/** struct statfs (asm-generic/statfs.h), f_spare zero. */
export function encodeStatfs(s: StatfsInfo): StructBuilder {
  return new StructBuilder(STATFS.SIZE)
    .u64(STATFS.f_type, s.type)
    .u64(STATFS.f_bsize, s.bsize)
    .u64(STATFS.f_blocks, s.blocks)
    .u64(STATFS.f_bfree, s.bfree)
    .u64(STATFS.f_bavail, s.bavail)
    .u64(STATFS.f_files, s.files)
    .u64(STATFS.f_ffree, s.ffree)
    .u32(STATFS.f_fsid, s.fsid[0])
    .u32(STATFS.f_fsid + 4, s.fsid[1])
    .u64(STATFS.f_namelen, s.namelen)
    .u64(STATFS.f_frsize, s.frsize)
    .u64(STATFS.f_flags, s.flags);
}

// SYSCALL_DEFINE2(statfs, const char __user *, pathname, struct statfs __user *, buf)
export function statfs(k: SyscallContext): number {
  const target = lookupAt(k, AT_FDCWD, pathArg(k, 0), 0);
  copyOut(k.mem, k.addr(1), encodeStatfs(statfsOfLoc(k, target.loc!)));
  return 0;
}
