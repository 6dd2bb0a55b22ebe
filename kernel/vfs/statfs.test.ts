// statfs(2) / fstatfs(2): the values Linux 6.1 reports (fs/statfs.c, mm/shmem.c shmem_statfs,
// fs/libfs.c simple_statfs), with the magic numbers of <linux/magic.h> written out here as
// the man page lists them (statfs(2): TMPFS_MAGIC 0x01021994, PROC_SUPER_MAGIC 0x9fa0,
// SYSFS_MAGIC 0x62656572, PIPEFS_MAGIC 0x50495045, SOCKFS_MAGIC 0x534f434b,
// ANON_INODE_FS_MAGIC 0x09041934) and f_flags as include/linux/statfs.h defines them
// (ST_RDONLY 1, ST_VALID 0x20, ST_RELATIME 0x1000). qemu-riscv64 on the build machine shows
// the same f_type, f_bsize, f_namelen, f_frsize and zero counts for /proc, /sys, pipes,
// eventfds and sockets, and f_flags 0x20 for pipes, eventfds and sockets.

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { O_CREAT, O_PATH, O_RDWR } from '../abi.ts';
import { LAYOUT } from '../test-support.ts';
import { AT_FDCWD, BUF, vfsFixture, type VfsFixture } from './vfs-test-util.ts';


interface Statfs {
  type: bigint;
  bsize: bigint;
  blocks: bigint;
  bfree: bigint;
  bavail: bigint;
  files: bigint;
  ffree: bigint;
  fsid: [number, number];
  namelen: bigint;
  frsize: bigint;
  flags: bigint;
  spare: bigint[];
}

/** struct statfs at BUF (asm-generic/statfs.h on riscv64: 120 bytes, __statfs_word = long). */
function decode(f: VfsFixture): Statfs {
  const v = new DataView(f.bytes(120).slice().buffer);
  const w = (i: number) => v.getBigUint64(i * 8, true);
  return {
    type: w(0),
    bsize: w(1),
    blocks: w(2),
    bfree: w(3),
    bavail: w(4),
    files: w(5),
    ffree: w(6),
    fsid: [v.getUint32(56, true), v.getUint32(60, true)],
    namelen: w(8),
    frsize: w(9),
    flags: w(10),
    spare: [w(11), w(12), w(13), w(14)],
  };
}

function statfs(f: VfsFixture, path: string): Statfs | number {
  f.put(new Uint8Array(120).fill(0xaa));
  const r = f.sys('statfs', path, BUF);
  return r < 0 ? r : decode(f);
}
function fstatfs(f: VfsFixture, fd: number): Statfs | number {
  f.put(new Uint8Array(120).fill(0xaa));
  const r = f.sys('fstatfs', fd, BUF);
  return r < 0 ? r : decode(f);
}

const TMPFS = 0x01021994n;
const ST_VALID = 0x20n;
const ST_RELATIME = 0x1000n;
/** --mem defaults to 4 GiB: shmem's default size is half of RAM's pages, for blocks and inodes. */
const HALF_RAM_PAGES = (4n << 30n) / 2n / 4096n;

describe('statfs on tmpfs (shmem_statfs)', () => {
  it('a fresh /tmp: half of RAM in blocks and inodes, the root inode in use', () => {
    const f = vfsFixture();
    const s = statfs(f, '/tmp') as Statfs;
    expect(s).toMatchObject({ type: TMPFS, bsize: 4096n, namelen: 255n, frsize: 4096n, flags: ST_VALID | ST_RELATIME });
    expect(s.blocks).toBe(HALF_RAM_PAGES);
    expect(s.bfree).toBe(HALF_RAM_PAGES);
    expect(s.bavail).toBe(HALF_RAM_PAGES);
    expect(s.files).toBe(HALF_RAM_PAGES);
    expect(s.ffree).toBe(HALF_RAM_PAGES - 1n);
    expect(s.spare).toEqual([0n, 0n, 0n, 0n]);
  });

  it('follows --mem: 512 MiB of RAM, a 256 MiB tmpfs of 65536 pages and inodes', () => {
    const f = vfsFixture({ memBytes: 512 * 1024 * 1024 });
    const s = statfs(f, '/tmp') as Statfs;
    expect(s.blocks).toBe(65536n);
    expect(s.files).toBe(65536n);
    expect(s.ffree).toBe(65535n);
  });

  it('counts pages written and inodes created, one more per extra hard link (shmem_link)', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' } });
    const fd = f.open('a', O_CREAT | O_RDWR, 0o644);
    f.write(fd, 'x'.repeat(5000)); // two pages
    expect(f.sys('mkdirat', AT_FDCWD, 'd', 0o755)).toBe(0);
    expect(f.sys('linkat', AT_FDCWD, 'a', AT_FDCWD, 'd/b', 0)).toBe(0);
    let s = statfs(f, '.') as Statfs;
    expect(s.bfree).toBe(HALF_RAM_PAGES - 2n);
    expect(s.bavail).toBe(HALF_RAM_PAGES - 2n);
    expect(s.ffree).toBe(HALF_RAM_PAGES - 1n - 3n); // root, a, d, and the link d/b
    // shmem_unlink(): an extra link gives its inode back
    expect(f.sys('unlinkat', AT_FDCWD, 'd/b', 0)).toBe(0);
    s = statfs(f, 'd') as Statfs;
    expect(s.ffree).toBe(HALF_RAM_PAGES - 1n - 2n);
    // a symlink target longer than SHORT_SYMLINK_LEN (128) takes a page
    expect(f.sys('symlinkat', 'y'.repeat(200), AT_FDCWD, 'long')).toBe(0);
    s = statfs(f, '/tmp') as Statfs;
    expect(s.bfree).toBe(HALF_RAM_PAGES - 3n);
    expect(s.ffree).toBe(HALF_RAM_PAGES - 1n - 3n);
  });

  it('/dev is devtmpfs, which 6.1 backs with shmem; /dev/null lies in it', () => {
    const f = vfsFixture();
    const dev = statfs(f, '/dev') as Statfs;
    expect(dev.type).toBe(TMPFS);
    expect(statfs(f, '/dev/null')).toEqual(dev);
    expect(statfs(f, '/dev/shm')).toEqual(dev);
  });

  it('the root and /tmp are different mounts (f_fsid)', () => {
    const f = vfsFixture();
    const root = statfs(f, '/') as Statfs;
    const tmp = statfs(f, '/tmp') as Statfs;
    expect(root.type).toBe(TMPFS);
    expect(root.fsid).not.toEqual(tmp.fsid);
  });
});

describe('statfs on simple_statfs filesystems', () => {
  it('/proc and /sys: the magic, page-sized blocks, NAME_MAX, no counts and (6.1) no f_fsid', () => {
    const f = vfsFixture();
    expect(statfs(f, '/proc')).toEqual({
      type: 0x9fa0n, bsize: 4096n, blocks: 0n, bfree: 0n, bavail: 0n, files: 0n, ffree: 0n,
      fsid: [0, 0], namelen: 255n, frsize: 4096n, flags: ST_VALID | ST_RELATIME, spare: [0n, 0n, 0n, 0n],
    });
    expect(statfs(f, '/proc/self/status')).toMatchObject({ type: 0x9fa0n });
    // zerosys's /sys refuses writes (EROFS): a read-only mount
    expect(statfs(f, '/sys/devices')).toMatchObject({ type: 0x62656572n, blocks: 0n, flags: ST_VALID | ST_RELATIME | 1n });
  });

  it('fstatfs of a pipe, an eventfd, a socket: their internal mounts, f_flags ST_VALID only', () => {
    const f = vfsFixture();
    expect(f.sys('pipe2', LAYOUT.data + 0x3000, 0)).toBe(0);
    const pipeFd = new DataView(f.bytes(4, LAYOUT.data + 0x3000).slice().buffer).getInt32(0, true);
    expect(fstatfs(f, pipeFd)).toMatchObject({ type: 0x50495045n, bsize: 4096n, namelen: 255n, frsize: 4096n, files: 0n, flags: ST_VALID, fsid: [0, 0] });
    const efd = f.sys('eventfd2', 0, 0);
    expect(fstatfs(f, efd)).toMatchObject({ type: 0x09041934n, flags: ST_VALID });
    expect(f.sys('socketpair', 1, 1, 0, LAYOUT.data + 0x3000)).toBe(0);
    const sock = new DataView(f.bytes(4, LAYOUT.data + 0x3000).slice().buffer).getInt32(0, true);
    expect(fstatfs(f, sock)).toMatchObject({ type: 0x534f434bn, flags: ST_VALID });
    // statfs through /proc/self/fd/N reaches the pipe itself
    expect(statfs(f, `/proc/self/fd/${pipeFd}`)).toMatchObject({ type: 0x50495045n });
  });

  it('fstatfs of a memfd: the internal shm mount has no size (counts 0) and no mount flags', () => {
    const f = vfsFixture();
    const fd = f.sys('memfd_create', 'm', 0);
    expect(fstatfs(f, fd)).toMatchObject({ type: TMPFS, blocks: 0n, bfree: 0n, files: 0n, ffree: 0n, flags: ST_VALID });
  });

  it('fstatfs of standard streams: a pipe is pipefs', () => {
    const f = vfsFixture();
    expect(fstatfs(f, 1)).toMatchObject({ type: 0x50495045n, flags: ST_VALID });
  });
});

describe('statfs on a host mount', () => {
  let dir: string | undefined;
  afterEach(() => {
    if (dir) rmSync(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it('shows the host filesystem type and block size, no counts', async () => {
    dir = mkdtempSync(join(tmpdir(), 'zerosys-statfs-'));
    const { statfsSync } = await import('node:fs');
    const host = statfsSync(dir);
    const f = vfsFixture({ vfs: { mounts: [{ guest: '/work', host: dir }], cwd: '/work' } });
    const s = statfs(f, '.') as Statfs;
    expect(s).toMatchObject({ type: BigInt(host.type), bsize: BigInt(host.bsize), frsize: BigInt(host.bsize), namelen: 255n, blocks: 0n, bfree: 0n, files: 0n, ffree: 0n });
    expect(s.flags).toBe(ST_VALID | ST_RELATIME);
  });
});

describe('errors, in Linux order', () => {
  it('statfs: EFAULT and ENAMETOOLONG for the string, then the walk', () => {
    const f = vfsFixture({ vfs: { cwd: '/tmp' } });
    expect(f.call('statfs', LAYOUT.unmapped, BUF)).toBe(BigInt(-E.EFAULT));
    expect(f.sys('statfs', 'a'.repeat(4096), BUF)).toBe(-E.ENAMETOOLONG);
    expect(f.sys('statfs', 'b'.repeat(256), BUF)).toBe(-E.ENAMETOOLONG);
    expect(f.sys('statfs', '', BUF)).toBe(-E.ENOENT); // no LOOKUP_EMPTY
    expect(f.sys('statfs', 'nope', BUF)).toBe(-E.ENOENT);
    const fd = f.open('file', O_CREAT | O_RDWR, 0o644);
    expect(fd).toBeGreaterThan(2);
    expect(f.sys('statfs', 'file/x', BUF)).toBe(-E.ENOTDIR);
    expect(f.sys('symlinkat', 'loop', AT_FDCWD, 'loop')).toBe(0);
    expect(f.sys('statfs', 'loop', BUF)).toBe(-E.ELOOP);
    // the buffer is written last
    expect(f.sys('statfs', 'file', LAYOUT.ro)).toBe(-E.EFAULT);
    expect(f.sys('statfs', 'nope', LAYOUT.ro)).toBe(-E.ENOENT);
  });

  it('fstatfs: EBADF for a closed fd, O_PATH works (fdget_raw), EFAULT for the buffer', () => {
    const f = vfsFixture();
    expect(f.sys('fstatfs', 99, BUF)).toBe(-E.EBADF);
    const fd = f.open('/proc', O_PATH);
    expect(fstatfs(f, fd)).toMatchObject({ type: 0x9fa0n });
    expect(f.sys('fstatfs', fd, LAYOUT.ro)).toBe(-E.EFAULT);
    expect(f.sys('fstatfs', 99, LAYOUT.ro)).toBe(-E.EBADF);
  });
});
