// Files by path, driven through the syscalls, in a tmpfs working directory (/tmp).
// Expected values: man 2 open/lseek/pread/rename/unlink/mkdir/getdents64/stat/statx/
// utimensat/truncate, the Linux sources named in the handlers (shmem's BOGO_DIRENT_SIZE
// directory sizes, O_APPEND pwrite quirk), and the corpus programs' qemu-riscv64 output.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { AT_FDCWD, BUF, vfsFixture } from './vfs-test-util.ts';
import { AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, O_APPEND, O_CLOEXEC, O_CREAT, O_DIRECTORY, O_EXCL, O_NOFOLLOW, O_PATH, O_RDWR, O_TMPFILE, O_TRUNC, O_WRONLY, S_IFDIR, S_IFLNK, S_IFREG } from '../abi.ts';

const tmp = () => vfsFixture({ vfs: { cwd: '/tmp' } });
type Stat = Exclude<ReturnType<ReturnType<typeof tmp>['stat']>, number>;
const st = (s: ReturnType<ReturnType<typeof tmp>['stat']>): Stat => {
  if (typeof s === 'number') throw new Error(`stat failed: ${s}`);
  return s;
};

describe('openat / read / write / lseek', () => {
  it('creates with mode & ~umask, reads back, seeks', () => {
    const f = tmp();
    const fd = f.open('a', O_CREAT | O_RDWR, 0o666);
    expect(fd).toBe(3);
    expect(f.write(fd, 'hello, world')).toBe(12);
    expect(f.sys('lseek', fd, 7, 0)).toBe(7);
    expect(f.read(fd, 100)).toBe('world');
    expect(f.read(fd, 100)).toBe('');
    expect(f.sys('lseek', fd, -5, 2)).toBe(7);
    expect(f.sys('lseek', fd, -1, 0)).toBe(-E.EINVAL);
    expect(f.sys('lseek', fd, 0, 5)).toBe(-E.EINVAL);
    expect(st(f.stat('a'))).toMatchObject({ mode: S_IFREG | 0o644, size: 12, nlink: 1, blksize: 4096, blocks: 8 });
  });

  it('a write past the end leaves a hole of zeros; SEEK_DATA/SEEK_HOLE see no holes', () => {
    const f = tmp();
    const fd = f.open('h', O_CREAT | O_RDWR, 0o600);
    f.sys('lseek', fd, 10000, 0);
    f.write(fd, 'x');
    expect(f.sys('pread64', fd, BUF, 4, 9998)).toBe(3);
    expect([...f.bytes(3)]).toEqual([0, 0, 0x78]);
    // Only the written page counts as allocated (shmem allocates pages on write).
    expect(st(f.stat('h'))).toMatchObject({ size: 10001, blocks: 8 });
    expect(f.sys('lseek', fd, 5, 3)).toBe(5); // SEEK_DATA
    expect(f.sys('lseek', fd, 5, 4)).toBe(10001); // SEEK_HOLE
    expect(f.sys('lseek', fd, 10001, 3)).toBe(-E.ENXIO);
  });

  it('O_EXCL, O_TRUNC, O_APPEND (also for pwrite, the Linux quirk)', () => {
    const f = tmp();
    const fd = f.open('x', O_CREAT | O_WRONLY, 0o644);
    f.write(fd, 'abcdef');
    expect(f.open('x', O_CREAT | O_EXCL | O_WRONLY, 0o644)).toBe(-E.EEXIST);
    const app = f.open('x', O_WRONLY | O_APPEND);
    f.sys('lseek', app, 0, 0);
    f.write(app, 'G');
    expect(f.sys('lseek', app, 0, 1)).toBe(7);
    f.sys('pwrite64', app, f.put('H', BUF + 0x100), 1, 0);
    const r = f.open('x', 0);
    expect(f.read(r, 100)).toBe('abcdefGH');
    // F_GETFL shows O_LARGEFILE too: openat forces it on 64-bit (fs/open.c, force_o_largefile()).
    expect(f.sys('fcntl', app, 3)).toBe(O_WRONLY | O_APPEND | 0o100000);
    const t = f.open('x', O_WRONLY | O_TRUNC);
    expect(t).toBeGreaterThan(0);
    expect(st(f.stat('x')).size).toBe(0);
  });

  it('open errors follow do_open / may_open', () => {
    const f = tmp();
    f.sys('mkdirat', AT_FDCWD, 'd', 0o755);
    f.sys('close', f.open('file', O_CREAT | O_WRONLY, 0o644));
    f.sys('symlinkat', 'file', AT_FDCWD, 'ln');
    expect(f.open('missing')).toBe(-E.ENOENT);
    expect(f.open('')).toBe(-E.ENOENT);
    expect(f.open('file/x')).toBe(-E.ENOTDIR);
    expect(f.open('file/')).toBe(-E.ENOTDIR);
    expect(f.open('d', O_WRONLY)).toBe(-E.EISDIR);
    expect(f.open('d', O_TRUNC)).toBe(-E.EISDIR);
    expect(f.open('d', O_CREAT, 0o644)).toBe(-E.EISDIR);
    expect(f.open('new/', O_CREAT, 0o644)).toBe(-E.EISDIR);
    expect(f.open('file', O_DIRECTORY)).toBe(-E.ENOTDIR);
    expect(f.open('ln', O_NOFOLLOW)).toBe(-E.ELOOP);
    expect(f.open('ln', O_CREAT | O_EXCL, 0o644)).toBe(-E.EEXIST);
    expect(f.open('x', O_CREAT | O_DIRECTORY, 0o644)).toBe(-E.EINVAL);
    expect(f.open('a'.repeat(256), O_CREAT, 0o644)).toBe(-E.ENAMETOOLONG);
    expect(f.open('/proc/nope', O_CREAT, 0o644)).toBe(-E.EACCES);
    expect(f.sys('openat', 99, 'file', 0)).toBe(-E.EBADF);
    expect(f.sys('openat', 99, '/tmp/file', 0)).toBeGreaterThan(0); // absolute: dirfd ignored
  });

  it('a dangling symlink with O_CREAT creates its target', () => {
    const f = tmp();
    f.sys('symlinkat', 'target', AT_FDCWD, 'dangling');
    expect(f.open('dangling')).toBe(-E.ENOENT);
    expect(f.open('dangling', O_CREAT | O_WRONLY, 0o640)).toBeGreaterThan(0);
    expect(st(f.stat('target')).mode).toBe(S_IFREG | 0o640);
  });

  it('O_PATH: fstat and dirfd work, read is EBADF; F_GETFL shows O_PATH', () => {
    const f = tmp();
    f.sys('mkdirat', AT_FDCWD, 'd', 0o755);
    const p = f.open('d', O_PATH);
    expect(f.sys('fcntl', p, 3)).toBe(O_PATH);
    expect(f.sys('read', p, BUF, 1)).toBe(-E.EBADF);
    expect(f.sys('fstat', p, BUF)).toBe(0);
    expect(f.sys('mkdirat', p, 'sub', 0o700)).toBe(0);
    expect(st(f.stat('d/sub')).mode).toBe(S_IFDIR | 0o700);
  });

  it('umask applies to creation, O_CLOEXEC to the descriptor', () => {
    const f = tmp();
    expect(f.sys('umask', 0o077)).toBe(0o022);
    const fd = f.open('p', O_CREAT | O_WRONLY | O_CLOEXEC, 0o666);
    expect(st(f.stat('p')).mode).toBe(S_IFREG | 0o600);
    expect(f.sys('fcntl', fd, 1)).toBe(1);
    expect(f.sys('umask', 0o1777)).toBe(0o077); // the old mask; the new one is & 0777
    expect(f.sys('umask', 0)).toBe(0o777);
  });

  it('O_TMPFILE makes a nameless file in tmpfs', () => {
    const f = tmp();
    const fd = f.open('.', O_TMPFILE | O_RDWR, 0o600);
    expect(fd).toBeGreaterThan(0);
    expect(f.write(fd, 'scratch')).toBe(7);
    expect(f.list('.')).toEqual(['.', '..']);
    expect(f.open('.', O_TMPFILE, 0o600)).toBe(-E.EINVAL); // needs write access
  });
});

describe('pread / pwrite / preadv / pwritev', () => {
  it('use the given offset and leave the file offset alone', () => {
    const f = tmp();
    const fd = f.open('v', O_CREAT | O_RDWR, 0o644);
    f.write(fd, '0123456789');
    expect(f.sys('pread64', fd, BUF, 3, 4)).toBe(3);
    expect(f.text(3)).toBe('456');
    expect(f.sys('lseek', fd, 0, 1)).toBe(10);
    expect(f.sys('pread64', fd, BUF, 3, -1)).toBe(-E.EINVAL);
    expect(f.sys('pread64', fd, BUF, 3, 100)).toBe(0);
    // struct iovec[2] at BUF+0x200 pointing at "ab" and "cd"
    f.put('ab', BUF + 0x300);
    f.put('cd', BUF + 0x310);
    const iov = new DataView(new ArrayBuffer(32));
    iov.setBigUint64(0, BigInt(BUF + 0x300), true);
    iov.setBigUint64(8, 2n, true);
    iov.setBigUint64(16, BigInt(BUF + 0x310), true);
    iov.setBigUint64(24, 2n, true);
    f.put(new Uint8Array(iov.buffer), BUF + 0x200);
    expect(f.sys('pwritev', fd, BUF + 0x200, 2, 1, 0)).toBe(4);
    expect(f.sys('pread64', fd, BUF, 10, 0)).toBe(10);
    expect(f.text(10)).toBe('0abcd56789');
    expect(f.sys('preadv', fd, BUF + 0x200, 2, 6, 0)).toBe(4);
    expect(f.text(2, BUF + 0x300) + f.text(2, BUF + 0x310)).toBe('6789');
  });

  it('ESPIPE on a pipe, EBADF for the wrong access mode', () => {
    const f = tmp();
    f.sys('pipe2', BUF, 0);
    const [r] = new Int32Array(f.bytes(8).slice().buffer);
    expect(f.sys('pread64', r, BUF, 1, 0)).toBe(-E.ESPIPE);
    const w = f.open('w', O_CREAT | O_WRONLY, 0o644);
    expect(f.sys('pread64', w, BUF, 1, 0)).toBe(-E.EBADF);
  });
});

describe('truncate / ftruncate / fallocate', () => {
  it('shrink and grow; errors as do_sys_ftruncate', () => {
    const f = tmp();
    const fd = f.open('t', O_CREAT | O_RDWR, 0o644);
    f.write(fd, 'abcdef');
    expect(f.sys('ftruncate', fd, 2)).toBe(0);
    expect(f.sys('pread64', fd, BUF, 10, 0)).toBe(2);
    expect(f.sys('ftruncate', fd, 5000)).toBe(0);
    expect(st(f.stat('t'))).toMatchObject({ size: 5000 });
    expect(f.sys('pread64', fd, BUF, 4, 2)).toBe(4);
    expect([...f.bytes(4)]).toEqual([0, 0, 0, 0]);
    expect(f.sys('ftruncate', fd, -1)).toBe(-E.EINVAL);
    expect(f.sys('ftruncate', f.open('t'), 0)).toBe(-E.EINVAL); // read-only
    expect(f.sys('truncate', 't', 1)).toBe(0);
    expect(st(f.stat('t')).size).toBe(1);
    f.sys('mkdirat', AT_FDCWD, 'd', 0o755);
    expect(f.sys('truncate', 'd', 0)).toBe(-E.EISDIR);
    expect(f.sys('fallocate', fd, 0, 0, 100)).toBe(0);
    expect(st(f.stat('t')).size).toBe(100);
    expect(f.sys('fallocate', fd, 1, 0, 1000)).toBe(0); // KEEP_SIZE
    expect(st(f.stat('t')).size).toBe(100);
    expect(f.sys('fallocate', fd, 2, 0, 10)).toBe(-E.EOPNOTSUPP); // PUNCH_HOLE without KEEP_SIZE
    expect(f.sys('fallocate', fd, 0, -1, 10)).toBe(-E.EINVAL);
  });
});

// Offsets at the ends of loff_t, found by kernel/fuzz.test.ts. Linux (fs/read_write.c
// rw_verify_area, mm/filemap.c generic_write_check_limits and filemap_read, fs/attr.c
// inode_newsize_ok, fs/open.c vfs_fallocate) checks them against LLONG_MAX and the
// filesystem's s_maxbytes; ours is 2^53 - 1 for every filesystem (open-files.ts
// MAX_FILE_SIZE: offsets are JS numbers), where Linux tmpfs has 2^63 - 1.
describe('offsets at the limits', () => {
  const LLONG_MAX = 2n ** 63n - 1n;
  const MAX_FILE_SIZE = 2 ** 53 - 1;

  it('a range ending past LLONG_MAX is EINVAL (rw_verify_area), after EBADF/EFAULT', () => {
    const f = tmp();
    const fd = f.open('o', O_CREAT | O_RDWR, 0o644);
    f.write(fd, 'data');
    expect(f.sys('pread64', fd, BUF, 4, LLONG_MAX - 2n)).toBe(-E.EINVAL);
    expect(f.sys('pwrite64', fd, BUF, 4, LLONG_MAX - 2n)).toBe(-E.EINVAL);
    expect(f.sys('pread64', fd, BUF, 0, LLONG_MAX)).toBe(0); // pos + 0 does not overflow
    expect(f.sys('pread64', fd, 2n ** 40n, 4, LLONG_MAX - 2n)).toBe(-E.EFAULT); // access_ok comes first
    // An unmapped buffer passes access_ok: EINVAL on Linux (qemu-riscv64 7.2 checks the buffer first: EFAULT).
    expect(f.sys('pwrite64', fd, 0x500000, 4, LLONG_MAX - 2n)).toBe(-E.EINVAL);
    const iov = new DataView(new ArrayBuffer(16));
    iov.setBigUint64(0, BigInt(BUF), true);
    iov.setBigUint64(8, 2n, true);
    f.put(new Uint8Array(iov.buffer), BUF + 0x200);
    expect(f.sys('preadv', fd, BUF + 0x200, 1, LLONG_MAX - 1n, 0)).toBe(-E.EINVAL);
    expect(f.sys('pwritev2', fd, BUF + 0x200, 1, LLONG_MAX, 0, 0)).toBe(-E.EINVAL);
    expect(f.sys('preadv', fd, BUF + 0x200, 1, LLONG_MAX - 2n, 0)).toBe(0); // ends at LLONG_MAX: past EOF
  });

  it('reading at or past s_maxbytes reads nothing; writing there is EFBIG, a write across it is cut short', () => {
    const f = tmp();
    const fd = f.open('w', O_CREAT | O_RDWR, 0o644);
    expect(f.sys('pread64', fd, BUF, 4, 2n ** 60n)).toBe(0);
    f.put('abcd');
    expect(f.sys('pwrite64', fd, BUF, 4, 2n ** 60n)).toBe(-E.EFBIG);
    expect(f.sys('pwrite64', fd, BUF, 4, MAX_FILE_SIZE)).toBe(-E.EFBIG);
    expect(f.sys('pwrite64', fd, BUF, 4, MAX_FILE_SIZE - 1)).toBe(1);
    expect(st(f.stat('w'))).toMatchObject({ size: MAX_FILE_SIZE, blocks: 8 });
    expect(f.sys('pwrite64', fd, BUF, 0, 2n ** 60n)).toBe(0); // nothing to write, nothing checked
  });

  it('growing a file past s_maxbytes is EFBIG (inode_newsize_ok), after the checks before it', () => {
    const f = tmp();
    const fd = f.open('g', O_CREAT | O_RDWR, 0o644);
    expect(f.sys('ftruncate', fd, LLONG_MAX)).toBe(-E.EFBIG);
    expect(f.sys('ftruncate', fd, 2 ** 53)).toBe(-E.EFBIG);
    expect(f.sys('ftruncate', f.open('g'), LLONG_MAX)).toBe(-E.EINVAL); // read-only fd first
    expect(f.sys('truncate', 'g', 2n ** 60n)).toBe(-E.EFBIG);
    expect(f.sys('truncate', 'missing', 2n ** 60n)).toBe(-E.ENOENT); // the lookup first
    expect(f.sys('ftruncate', fd, MAX_FILE_SIZE)).toBe(0);
    expect(st(f.stat('g'))).toMatchObject({ size: MAX_FILE_SIZE, blocks: 0 });
    // vfs_fallocate: offset + len past s_maxbytes, or wrapping past LLONG_MAX, is EFBIG...
    expect(f.sys('fallocate', fd, 0, 2 ** 53, 1)).toBe(-E.EFBIG);
    expect(f.sys('fallocate', fd, 0, 2n ** 62n, 2n ** 62n)).toBe(-E.EFBIG);
    // ... after the mode and file checks (PUNCH_HOLE without KEEP_SIZE, a read-only fd).
    expect(f.sys('fallocate', fd, 2, 2n ** 62n, 2n ** 62n)).toBe(-E.EOPNOTSUPP);
    expect(f.sys('fallocate', f.open('g'), 0, 2n ** 62n, 2n ** 62n)).toBe(-E.EBADF);
  });

  it('punching a hole in a huge sparse file frees the pages inside it and zeroes the edges', () => {
    const f = tmp();
    const fd = f.open('p', O_CREAT | O_RDWR, 0o644);
    f.put('x'.repeat(3 * 4096));
    expect(f.sys('pwrite64', fd, BUF, 3 * 4096, 0)).toBe(3 * 4096);
    expect(f.sys('ftruncate', fd, 2 ** 50)).toBe(0);
    // FALLOC_FL_PUNCH_HOLE | FALLOC_FL_KEEP_SIZE over [100, 2^50): page 0 keeps 100 bytes.
    expect(f.sys('fallocate', fd, 3, 100, 2 ** 50)).toBe(0);
    expect(st(f.stat('p'))).toMatchObject({ size: 2 ** 50, blocks: 8 });
    expect(f.sys('pread64', fd, BUF, 4096, 0)).toBe(4096);
    expect(f.text(101)).toBe('x'.repeat(100) + '\0');
    expect(f.sys('pread64', fd, BUF, 8, 2 * 4096)).toBe(8);
    expect([...f.bytes(8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
  });
});

// Found by kernel/fuzz.test.ts: tmpfs had no size, so file data could take any amount of
// host memory, past --mem. Linux's tmpfs (Documentation/filesystems/tmpfs.rst, mm/shmem.c
// shmem_default_max_blocks) holds at most half of RAM by default; a write past it writes
// what fits and then fails with ENOSPC (man 2 write). Blocks come back when the data goes:
// truncate, or the last name and the last open description of the file.
describe('tmpfs size: half of --mem', () => {
  const CHUNK = 0x10000;
  const small = () => vfsFixture({ vfs: { cwd: '/tmp' }, memBytes: 1 << 20 }); // 512 KiB of tmpfs
  const fill = (f: ReturnType<typeof small>, fd: number, times: number) => {
    const got: number[] = [];
    for (let i = 0; i < times; i++) got.push(f.sys('write', fd, BUF, CHUNK));
    return got;
  };

  it('a write past the limit is short, then ENOSPC; truncating gives the pages back', () => {
    const f = small();
    const b = f.open('b', O_CREAT | O_RDWR, 0o644);
    expect(f.write(b, 'one page')).toBe(8);
    const a = f.open('a', O_CREAT | O_RDWR, 0o644);
    expect(f.sys('ftruncate', a, 2 ** 30)).toBe(0); // a sparse size takes no pages
    expect(fill(f, a, 9)).toEqual([...Array(7).fill(CHUNK), 15 * 4096, -E.ENOSPC]);
    expect(f.sys('ftruncate', a, 0)).toBe(0);
    expect(fill(f, a, 1)).toEqual([CHUNK]);
  });

  it('an unlinked file keeps its pages until its last descriptor closes', () => {
    const f = small();
    const a = f.open('a', O_CREAT | O_RDWR, 0o644);
    expect(fill(f, a, 8)).toEqual(Array(8).fill(CHUNK));
    expect(f.sys('unlinkat', AT_FDCWD, 'a', 0)).toBe(0);
    const c = f.open('c', O_CREAT | O_RDWR, 0o644);
    expect(f.write(c, 'x')).toBe(-E.ENOSPC);
    expect(f.sys('close', a)).toBe(0);
    expect(f.write(c, 'x')).toBe(1);
  });

  it('each mount counts its own pages; memfds too', () => {
    const f = small();
    expect(fill(f, f.open('a', O_CREAT | O_RDWR, 0o644), 9).at(-1)).toBe(-E.ENOSPC);
    const m = f.sys('memfd_create', 'm', 0);
    expect(fill(f, m, 9)).toEqual([...Array(8).fill(CHUNK), -E.ENOSPC]);
    expect(f.sys('mkdirat', AT_FDCWD, '/dev/shm', 0o777)).toBe(-E.EEXIST);
    expect(fill(f, f.open('/dev/shm/s', O_CREAT | O_RDWR, 0o644), 1)).toEqual([CHUNK]);
  });
});

describe('directories', () => {
  it('getdents64 lists ".", "..", then tmpfs entries in creation order, with d_type', () => {
    const f = tmp();
    f.sys('mkdirat', AT_FDCWD, 'd', 0o755);
    for (const name of ['zeta', 'alpha', 'mid']) f.sys('close', f.open(`d/${name}`, O_CREAT | O_WRONLY, 0o644));
    f.sys('mkdirat', AT_FDCWD, 'd/sub', 0o755);
    f.sys('symlinkat', 'zeta', AT_FDCWD, 'd/ln');
    expect(f.list('d')).toEqual(['.', '..', 'zeta', 'alpha', 'mid', 'sub', 'ln']);
    const fd = f.open('d', O_DIRECTORY);
    const n = f.sys('getdents64', fd, BUF, 4096);
    const v = new DataView(f.bytes(n).slice().buffer);
    // record 0: ".", d_ino = the directory's inode, d_off 1, reclen align8(19 + 1 + 1) = 24, DT_DIR
    expect(Number(v.getBigUint64(0, true))).toBe(st(f.stat('d')).ino);
    expect(Number(v.getBigInt64(8, true))).toBe(1);
    expect(v.getUint16(16, true)).toBe(24);
    expect(v.getUint8(18)).toBe(4);
    // the 'ln' entry (last) is DT_LNK
    let off = 0;
    let last = 0;
    while (off < n) {
      last = off;
      off += v.getUint16(off + 16, true);
    }
    expect(v.getUint8(last + 18)).toBe(10);
    expect(f.sys('getdents64', fd, BUF, 4096)).toBe(0);
    expect(f.sys('lseek', fd, 0, 0)).toBe(0);
    expect(f.sys('getdents64', fd, BUF, 10)).toBe(-E.EINVAL); // not even one entry fits
  });

  it('tmpfs directory sizes and link counts (shmem: 20 bytes per entry, 2 + subdirectories)', () => {
    const f = tmp();
    f.sys('mkdirat', AT_FDCWD, 'd', 0o755);
    expect(st(f.stat('d'))).toMatchObject({ size: 40, nlink: 2 });
    f.sys('mkdirat', AT_FDCWD, 'd/a', 0o755);
    f.sys('close', f.open('d/f', O_CREAT | O_WRONLY, 0o644));
    expect(st(f.stat('d'))).toMatchObject({ size: 80, nlink: 3 });
  });

  it('mkdir / rmdir / unlink errors (do_mkdirat, do_rmdir, do_unlinkat)', () => {
    const f = tmp();
    expect(f.sys('mkdirat', AT_FDCWD, 'd', 0o755)).toBe(0);
    expect(f.sys('mkdirat', AT_FDCWD, 'd', 0o755)).toBe(-E.EEXIST);
    expect(f.sys('mkdirat', AT_FDCWD, '.', 0o755)).toBe(-E.EEXIST);
    expect(f.sys('mkdirat', AT_FDCWD, 'x/y', 0o755)).toBe(-E.ENOENT);
    expect(f.sys('mkdirat', AT_FDCWD, 'd/e/', 0o755)).toBe(0);
    expect(f.sys('unlinkat', AT_FDCWD, 'd', AT_REMOVEDIR)).toBe(-E.ENOTEMPTY);
    expect(f.sys('unlinkat', AT_FDCWD, 'd', 0)).toBe(-E.EISDIR);
    expect(f.sys('unlinkat', AT_FDCWD, 'd/e/.', AT_REMOVEDIR)).toBe(-E.EINVAL);
    expect(f.sys('unlinkat', AT_FDCWD, 'd/..', AT_REMOVEDIR)).toBe(-E.ENOTEMPTY);
    expect(f.sys('unlinkat', AT_FDCWD, '/', AT_REMOVEDIR)).toBe(-E.EBUSY);
    expect(f.sys('unlinkat', '/', AT_FDCWD, AT_REMOVEDIR)).toBe(-E.EFAULT);
    expect(f.sys('unlinkat', AT_FDCWD, '/tmp', AT_REMOVEDIR)).toBe(-E.EBUSY); // a mount point
    expect(f.sys('unlinkat', AT_FDCWD, 'd', 0x1)).toBe(-E.EINVAL);
    f.sys('close', f.open('file', O_CREAT | O_WRONLY, 0o644));
    expect(f.sys('unlinkat', AT_FDCWD, 'file', AT_REMOVEDIR)).toBe(-E.ENOTDIR);
    expect(f.sys('unlinkat', AT_FDCWD, 'file/', 0)).toBe(-E.ENOTDIR);
    expect(f.sys('unlinkat', AT_FDCWD, 'gone', 0)).toBe(-E.ENOENT);
    expect(f.sys('unlinkat', AT_FDCWD, 'd/e', AT_REMOVEDIR)).toBe(0);
    expect(f.sys('unlinkat', AT_FDCWD, 'd', AT_REMOVEDIR)).toBe(0);
    expect(f.sys('unlinkat', AT_FDCWD, 'file', 0)).toBe(0);
    expect(f.list('.')).toEqual(['.', '..']);
  });

  it('getcwd / chdir / fchdir, and getcwd of a removed directory', () => {
    const f = tmp();
    expect(f.sys('getcwd', BUF, 100)).toBe(5);
    expect(f.text(5)).toBe('/tmp\0');
    expect(f.sys('getcwd', BUF, 4)).toBe(-E.ERANGE);
    f.sys('mkdirat', AT_FDCWD, 'a', 0o755);
    f.sys('mkdirat', AT_FDCWD, 'a/b', 0o755);
    f.sys('symlinkat', 'a/b', AT_FDCWD, 'l');
    expect(f.sys('chdir', 'l')).toBe(0);
    expect(f.sys('getcwd', BUF, 100)).toBe(9);
    expect(f.text(8)).toBe('/tmp/a/b'); // the walk's names, not the link's
    expect(f.sys('chdir', '../../../..')).toBe(0);
    f.sys('getcwd', BUF, 100);
    expect(f.text(2)).toBe('/\0');
    const d = f.open('/tmp/a/b', O_DIRECTORY);
    expect(f.sys('fchdir', d)).toBe(0);
    expect(f.sys('unlinkat', AT_FDCWD, '/tmp/a/b', AT_REMOVEDIR)).toBe(0);
    expect(f.sys('getcwd', BUF, 100)).toBe(-E.ENOENT);
    expect(f.open('new', O_CREAT, 0o644)).toBe(-E.ENOENT);
    expect(f.sys('fchdir', 0)).toBe(-E.ENOTDIR);
    expect(f.sys('chdir', '/tmp/a/x')).toBe(-E.ENOENT);
  });
});

describe('rename / link / symlink / readlink', () => {
  it('renameat2 rules', () => {
    const f = tmp();
    f.sys('mkdirat', AT_FDCWD, 'd', 0o755);
    f.sys('mkdirat', AT_FDCWD, 'd/sub', 0o755);
    f.sys('mkdirat', AT_FDCWD, 'full', 0o755);
    f.sys('close', f.open('full/x', O_CREAT | O_WRONLY, 0o644));
    f.sys('close', f.open('a', O_CREAT | O_WRONLY, 0o644));
    f.sys('close', f.open('b', O_CREAT | O_WRONLY, 0o644));
    const r = (a: string, b: string, flags = 0) => f.sys('renameat2', AT_FDCWD, a, AT_FDCWD, b, flags);
    expect(r('d', 'd/sub/x')).toBe(-E.EINVAL);
    expect(r('d/sub', 'd/sub/..')).toBe(-E.EBUSY); // target "..": EBUSY
    expect(r('d/sub', 'd/sub/..', 1)).toBe(-E.EEXIST); // ... EEXIST with NOREPLACE
    expect(r('d', 'a')).toBe(-E.ENOTDIR);
    expect(r('a', 'd')).toBe(-E.EISDIR);
    expect(r('d', 'full')).toBe(-E.ENOTEMPTY);
    expect(r('a', 'b/')).toBe(-E.ENOTDIR);
    expect(r('missing', 'x')).toBe(-E.ENOENT);
    expect(r('a', 'b', 1)).toBe(-E.EEXIST);
    expect(r('a', 'b', 3)).toBe(-E.EINVAL);
    expect(r('a', 'b', 8)).toBe(-E.EINVAL);
    expect(r('a', 'zz', 2)).toBe(-E.ENOENT); // EXCHANGE needs both
    expect(r('a', '/dev/a')).toBe(-E.EXDEV);
    const inoA = st(f.stat('a')).ino;
    expect(r('a', 'b')).toBe(0);
    expect(st(f.stat('b')).ino).toBe(inoA);
    expect(f.stat('a')).toBe(-E.ENOENT);
    expect(r('d', 'full', 2)).toBe(0); // exchange
    expect(f.list('d')).toEqual(['.', '..', 'x']);
    expect(f.list('full')).toEqual(['.', '..', 'sub']);
  });

  it('hard links share the inode; rename onto another link of it does nothing', () => {
    const f = tmp();
    f.sys('close', f.open('a', O_CREAT | O_WRONLY, 0o644));
    expect(f.sys('linkat', AT_FDCWD, 'a', AT_FDCWD, 'b', 0)).toBe(0);
    expect(st(f.stat('a')).nlink).toBe(2);
    expect(st(f.stat('b')).ino).toBe(st(f.stat('a')).ino);
    expect(f.sys('renameat2', AT_FDCWD, 'a', AT_FDCWD, 'b', 0)).toBe(0);
    expect(f.list('.')).toEqual(['.', '..', 'a', 'b']);
    expect(f.sys('linkat', AT_FDCWD, 'a', AT_FDCWD, 'b', 0)).toBe(-E.EEXIST);
    expect(f.sys('linkat', AT_FDCWD, '.', AT_FDCWD, 'c', 0)).toBe(-E.EPERM);
    expect(f.sys('linkat', AT_FDCWD, 'a', AT_FDCWD, 'c', 0x8)).toBe(-E.EINVAL);
    expect(f.sys('linkat', AT_FDCWD, 'a', AT_FDCWD, '/dev/c', 0)).toBe(-E.EXDEV);
  });

  it('symlinks: lstat vs stat, readlink, follow with AT_SYMLINK_FOLLOW, ELOOP', () => {
    const f = tmp();
    f.sys('close', f.open('target', O_CREAT | O_WRONLY, 0o644));
    expect(f.sys('symlinkat', 'target', AT_FDCWD, 's')).toBe(0);
    expect(f.sys('symlinkat', '', AT_FDCWD, 'e')).toBe(-E.ENOENT);
    expect(f.sys('symlinkat', 'x', AT_FDCWD, 's')).toBe(-E.EEXIST);
    expect(st(f.stat('s', AT_SYMLINK_NOFOLLOW))).toMatchObject({ mode: S_IFLNK | 0o777, size: 6 });
    expect(st(f.stat('s')).mode).toBe(S_IFREG | 0o644);
    expect(f.sys('readlinkat', AT_FDCWD, 's', BUF, 100)).toBe(6);
    expect(f.text(6)).toBe('target');
    expect(f.sys('readlinkat', AT_FDCWD, 's', BUF, 3)).toBe(3);
    expect(f.sys('readlinkat', AT_FDCWD, 'target', BUF, 100)).toBe(-E.EINVAL);
    expect(f.sys('readlinkat', AT_FDCWD, '', BUF, 100)).toBe(-E.ENOENT);
    expect(f.sys('linkat', AT_FDCWD, 's', AT_FDCWD, 'hl', 0x400)).toBe(0);
    expect(st(f.stat('hl', AT_SYMLINK_NOFOLLOW)).mode).toBe(S_IFREG | 0o644);
    expect(f.sys('linkat', AT_FDCWD, 's', AT_FDCWD, 'hl2', 0)).toBe(0);
    expect(st(f.stat('hl2', AT_SYMLINK_NOFOLLOW)).mode).toBe(S_IFLNK | 0o777);
    f.sys('symlinkat', 'loop2', AT_FDCWD, 'loop1');
    f.sys('symlinkat', 'loop1', AT_FDCWD, 'loop2');
    expect(f.open('loop1')).toBe(-E.ELOOP);
    // 40 links are followed, the 41st is ELOOP (MAXSYMLINKS)
    f.sys('symlinkat', 'target', AT_FDCWD, 'c0');
    for (let i = 1; i <= 40; i++) f.sys('symlinkat', `c${i - 1}`, AT_FDCWD, `c${i}`);
    expect(f.open('c39')).toBeGreaterThan(0);
    expect(f.open('c40')).toBe(-E.ELOOP);
  });
});

describe('stat family', () => {
  it('times come from the virtual clock and change with the file', () => {
    const f = tmp();
    const fd = f.open('t', O_CREAT | O_WRONLY, 0o644);
    const created = st(f.stat('t'));
    expect(created.mtime).toBe(created.ctime);
    expect(created.mtime).toBeGreaterThanOrEqual(1_700_000_000n * 1_000_000_000n);
    f.cpu.instret += 5000; // virtual time passes
    f.write(fd, 'x');
    const written = st(f.stat('t'));
    expect(written.mtime - created.mtime).toBeGreaterThanOrEqual(5000n);
    expect(written.atime).toBe(created.atime);
    // utimensat: explicit times, UTIME_OMIT keeps, UTIME_NOW = now
    const ts = new DataView(new ArrayBuffer(32));
    ts.setBigInt64(0, 1000n, true);
    ts.setBigInt64(8, 5n, true);
    ts.setBigInt64(16, 0n, true);
    ts.setBigInt64(24, 0x3ffffffen, true); // UTIME_OMIT
    f.put(new Uint8Array(ts.buffer), BUF + 0x800);
    expect(f.sys('utimensat', AT_FDCWD, 't', BUF + 0x800, 0)).toBe(0);
    const after = st(f.stat('t'));
    expect(after.atime).toBe(1000n * 1_000_000_000n + 5n);
    expect(after.mtime).toBe(written.mtime);
    ts.setBigInt64(8, 1_000_000_000n, true);
    f.put(new Uint8Array(ts.buffer), BUF + 0x800);
    expect(f.sys('utimensat', AT_FDCWD, 't', BUF + 0x800, 0)).toBe(-E.EINVAL);
  });

  it('statx fills the basic fields like stat', () => {
    const f = tmp();
    const fd = f.open('s', O_CREAT | O_WRONLY, 0o640);
    f.write(fd, 'hello');
    const s = st(f.stat('s'));
    expect(f.sys('statx', AT_FDCWD, 's', 0, 0x7ff, BUF + 0x1000)).toBe(0);
    const v = new DataView(f.bytes(256, BUF + 0x1000).slice().buffer);
    expect(v.getUint32(0, true) & 0x7ff).toBe(0x7ff);
    expect(v.getUint16(28, true)).toBe(S_IFREG | 0o640);
    expect(Number(v.getBigUint64(32, true))).toBe(s.ino);
    expect(Number(v.getBigUint64(40, true))).toBe(5);
    expect(v.getBigInt64(112, true) * 1_000_000_000n + BigInt(v.getUint32(120, true))).toBe(s.mtime);
    expect((v.getUint32(136, true) << 8) | v.getUint32(140, true)).toBe(s.dev); // major 0
    expect(f.sys('statx', AT_FDCWD, 's', 0x6000, 0x7ff, BUF)).toBe(-E.EINVAL);
    expect(f.sys('statx', AT_FDCWD, 's', 0, 0x80000000, BUF)).toBe(-E.EINVAL);
    expect(f.sys('statx', fd, '', AT_EMPTY_PATH, 0x7ff, BUF)).toBe(0);
  });

  it('inode numbers and devices do not depend on the host', () => {
    const a = tmp();
    const b = tmp();
    for (const f of [a, b]) {
      f.sys('mkdirat', AT_FDCWD, 'd', 0o755);
      f.sys('close', f.open('d/x', O_CREAT | O_WRONLY, 0o644));
    }
    expect(a.stat('d/x')).toEqual(b.stat('d/x'));
    expect(st(a.stat('/tmp')).dev).not.toBe(st(a.stat('/')).dev);
  });

  it('faccessat: the guest is root', () => {
    const f = tmp();
    f.sys('close', f.open('r', O_CREAT | O_WRONLY, 0o000));
    expect(f.sys('faccessat', AT_FDCWD, 'r', 4 | 2)).toBe(0);
    expect(f.sys('faccessat', AT_FDCWD, 'r', 1)).toBe(-E.EACCES);
    expect(f.sys('faccessat', AT_FDCWD, '.', 1)).toBe(0);
    expect(f.sys('faccessat', AT_FDCWD, 'r', 8)).toBe(-E.EINVAL);
    expect(f.sys('faccessat2', AT_FDCWD, 'r', 0, 0x8)).toBe(-E.EINVAL);
    expect(f.sys('faccessat', AT_FDCWD, '/sys/devices', 2)).toBe(-E.EROFS);
    expect(f.sys('faccessat', AT_FDCWD, 'nope', 0)).toBe(-E.ENOENT);
  });

  it('chmod / chown', () => {
    const f = tmp();
    const fd = f.open('c', O_CREAT | O_WRONLY, 0o644);
    expect(f.sys('fchmod', fd, 0o4751)).toBe(0);
    expect(st(f.stat('c')).mode).toBe(S_IFREG | 0o4751);
    expect(f.sys('fchmodat', AT_FDCWD, 'c', 0o600)).toBe(0);
    expect(st(f.stat('c')).mode).toBe(S_IFREG | 0o600);
    expect(f.sys('fchownat', AT_FDCWD, 'c', 5, -1, 0)).toBe(0);
    f.stat('c');
    const owner = new DataView(f.bytes(128).slice().buffer);
    expect([owner.getUint32(24, true), owner.getUint32(28, true)]).toEqual([5, 0]); // uid changed, gid kept
    expect(f.sys('fchmodat', AT_FDCWD, '/sys/devices', 0o777)).toBe(-E.EROFS);
    expect(f.sys('fchmod', f.open('c', O_PATH), 0o600)).toBe(-E.EBADF);
  });
});

describe('bad guest pointers are EFAULT (never a host exception), after the checks Linux makes first', () => {
  it('paths, result buffers, argument structs', () => {
    const f = tmp();
    const RO = 0x300000; // read-only page of the fixture
    const UNMAPPED = 0x500000;
    const fd = f.open('x', O_CREAT | O_RDWR, 0o644);
    f.write(fd, 'data');
    expect(f.sys('openat', AT_FDCWD, UNMAPPED, 0)).toBe(-E.EFAULT);
    expect(f.sys('mkdirat', AT_FDCWD, UNMAPPED, 0o755)).toBe(-E.EFAULT);
    expect(f.sys('newfstatat', AT_FDCWD, 'x', RO, 0)).toBe(-E.EFAULT);
    expect(f.sys('newfstatat', AT_FDCWD, 'missing', RO, 0)).toBe(-E.ENOENT); // the lookup comes first
    expect(f.sys('statx', AT_FDCWD, 'x', 0, 0x7ff, RO)).toBe(-E.EFAULT);
    expect(f.sys('fstat', fd, RO)).toBe(-E.EFAULT);
    expect(f.sys('getcwd', RO, 100)).toBe(-E.EFAULT);
    expect(f.sys('readlinkat', AT_FDCWD, '/proc/self', RO, 100)).toBe(-E.EFAULT);
    expect(f.sys('read', fd, RO, 4)).toBe(-E.EFAULT);
    expect(f.sys('pread64', fd, RO, 4, 0)).toBe(-E.EFAULT);
    expect(f.sys('write', fd, UNMAPPED, 4)).toBe(-E.EFAULT);
    const d = f.open('.', O_DIRECTORY);
    expect(f.sys('getdents64', d, RO, 4096)).toBe(-E.EFAULT);
    expect(f.sys('getdents64', d, 2 ** 40, 4096)).toBe(-E.EFAULT); // outside the user half: access_ok
    expect(f.sys('fcntl', fd, 5, UNMAPPED)).toBe(-E.EFAULT); // F_GETLK
    expect(f.sys('utimensat', AT_FDCWD, 'x', UNMAPPED, 0)).toBe(-E.EFAULT);
    expect(f.sys('ppoll', UNMAPPED, 1, 0, 0, 8)).toBe(-E.EFAULT);
    expect(f.sys('pselect6', 1, UNMAPPED, 0, 0, 0, 0)).toBe(-E.EFAULT);
    expect(f.sys('ioctl', fd, 0x5421, UNMAPPED)).toBe(-E.EFAULT); // FIONBIO reads an int
    // pipe2 into read-only memory: EFAULT and no descriptor left behind.
    expect(f.sys('pipe2', RO, 0)).toBe(-E.EFAULT);
    expect(f.sys('dup', 0)).toBe(d + 1);
  });

  it('a read into a buffer that becomes unwritable midway returns the bytes before the fault', () => {
    const f = tmp();
    const fd = f.open('y', O_CREAT | O_RDWR, 0o644);
    f.sys('ftruncate', fd, 100);
    const end = 0x200000 + 0x10000; // end of the fixture's data mapping
    expect(f.sys('pread64', fd, end - 10, 50, 0)).toBe(10);
  });
});
