// A host directory mounted into the guest: confinement (nothing outside it is reachable
// through "..", absolute paths, symlinks or hard links made by the guest — the guest gets
// ENOENT, as a Linux process whose namespace holds only these mounts would), changes
// reaching the host, and guest-side values that do not depend on the host (inode numbers,
// devices, times, listing order).

import { linkSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { AT_FDCWD, BUF, vfsFixture } from './vfs-test-util.ts';
import { AT_SYMLINK_NOFOLLOW, O_CREAT, O_DIRECTORY, O_RDONLY, O_RDWR, O_TRUNC, O_WRONLY } from '../abi.ts';

const made: string[] = [];
afterAll(() => {
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

/** <tmp>/outside/secret, <tmp>/inside/{...} mounted at /work/inside (cwd). */
function setup() {
  const base = mkdtempSync(join(tmpdir(), 'zerosys-hostfs-'));
  made.push(base);
  const inside = join(base, 'inside');
  mkdirSync(join(base, 'outside'));
  mkdirSync(inside);
  writeFileSync(join(base, 'outside', 'secret'), 'host secret\n');
  writeFileSync(join(inside, 'hello.txt'), 'hi from the host\n');
  mkdirSync(join(inside, 'sub'));
  symlinkSync('/etc/passwd', join(inside, 'abs-link'));
  symlinkSync('../outside/secret', join(inside, 'rel-link'));
  symlinkSync('../../outside', join(inside, 'sub', 'up-link'));
  symlinkSync(join(base, 'outside'), join(inside, 'dir-link'));
  const f = vfsFixture({ vfs: { mounts: [{ guest: '/work/inside', host: inside }], cwd: '/work/inside' } });
  return { f, base, inside };
}

describe('host mount: confinement', () => {
  it('absolute paths, ".." past the mount and symlinks pointing out all end in the guest namespace', () => {
    const { f } = setup();
    expect(f.open('/etc/passwd')).toBe(-E.ENOENT);
    expect(f.open('../../etc/passwd')).toBe(-E.ENOENT);
    expect(f.open('../outside/secret')).toBe(-E.ENOENT);
    expect(f.open('../../../../../../../etc/passwd')).toBe(-E.ENOENT);
    expect(f.open('abs-link')).toBe(-E.ENOENT);
    expect(f.open('rel-link')).toBe(-E.ENOENT);
    expect(f.open('sub/up-link/secret')).toBe(-E.ENOENT);
    expect(f.open('dir-link/secret')).toBe(-E.ENOENT);
    expect(f.stat('rel-link')).toBe(-E.ENOENT);
    expect(f.sys('chdir', 'dir-link')).toBe(-E.ENOENT);
    // The links themselves are visible, with their text.
    expect(f.sys('readlinkat', AT_FDCWD, 'abs-link', BUF, 100)).toBe(11);
    expect(f.text(11)).toBe('/etc/passwd');
    // ".." from the mount root is the guest's /work, a tmpfs directory.
    expect(f.list('..')).toEqual(['.', '..', 'inside']);
    expect(f.list('/')).toEqual(['.', '..', 'dev', 'proc', 'sys', 'tmp', 'work']);
  });

  it('a symlink that points out is followed inside the guest when the guest made that path', () => {
    const { f } = setup();
    // /etc/passwd in the guest is whatever the guest puts there (here: nothing, then a tmpfs file).
    expect(f.sys('mkdirat', AT_FDCWD, '/etc', 0o755)).toBe(0);
    const fd = f.open('/etc/passwd', O_CREAT | O_WRONLY, 0o644);
    f.write(fd, 'guest\n');
    const r = f.open('abs-link');
    expect(f.read(r, 100)).toBe('guest\n');
  });

  it('symlinks and hard links the guest creates stay interpreted in the guest', () => {
    const { f, inside, base } = setup();
    expect(f.sys('symlinkat', '/work/inside/hello.txt', AT_FDCWD, 'mine')).toBe(0);
    expect(f.read(f.open('mine'), 100)).toBe('hi from the host\n');
    expect(f.sys('linkat', AT_FDCWD, '/tmp', AT_FDCWD, 'x', 0)).toBe(-E.EXDEV); // another mount first
    expect(f.sys('linkat', AT_FDCWD, 'sub', AT_FDCWD, 'x', 0)).toBe(-E.EPERM); // a directory
    f.sys('close', f.open('/tmp/t', O_CREAT | O_WRONLY, 0o644));
    expect(f.sys('linkat', AT_FDCWD, '/tmp/t', AT_FDCWD, 'x', 0)).toBe(-E.EXDEV);
    expect(f.sys('renameat2', AT_FDCWD, 'hello.txt', AT_FDCWD, '/tmp/h', 0)).toBe(-E.EXDEV);
    expect(f.sys('linkat', AT_FDCWD, 'hello.txt', AT_FDCWD, 'hard', 0)).toBe(0);
    expect(statSync(join(inside, 'hard')).ino).toBe(statSync(join(inside, 'hello.txt')).ino);
    expect(existsSync(join(base, 'outside', 'hard'))).toBe(false);
  });
});

describe('host mount: changes reach the host', () => {
  it('create, write, mkdir, rename, unlink, chmod', () => {
    const { f, inside } = setup();
    const fd = f.open('new.txt', O_CREAT | O_RDWR, 0o640);
    expect(f.write(fd, 'written by the guest')).toBe(20);
    expect(readFileSync(join(inside, 'new.txt'), 'latin1')).toBe('written by the guest');
    expect(statSync(join(inside, 'new.txt')).mode & 0o777).toBe(0o640); // not the host umask
    expect(f.sys('mkdirat', AT_FDCWD, 'dir', 0o700)).toBe(0);
    expect(statSync(join(inside, 'dir')).isDirectory()).toBe(true);
    expect(f.sys('renameat2', AT_FDCWD, 'new.txt', AT_FDCWD, 'dir/moved.txt', 0)).toBe(0);
    expect(readFileSync(join(inside, 'dir', 'moved.txt'), 'latin1')).toBe('written by the guest');
    expect(f.sys('fchmodat', AT_FDCWD, 'dir/moved.txt', 0o600)).toBe(0);
    expect(statSync(join(inside, 'dir', 'moved.txt')).mode & 0o777).toBe(0o600);
    expect(f.sys('unlinkat', AT_FDCWD, 'dir', 0x200)).toBe(-E.ENOTEMPTY);
    expect(f.sys('unlinkat', AT_FDCWD, 'dir/moved.txt', 0)).toBe(0);
    expect(f.sys('unlinkat', AT_FDCWD, 'dir', 0x200)).toBe(0);
    expect(existsSync(join(inside, 'dir'))).toBe(false);
    // The descriptor still works after the unlink, as on Linux.
    expect(f.sys('pread64', fd, BUF, 7, 0)).toBe(7);
    expect(f.text(7)).toBe('written');
  });

  it('fstat of an open file whose name was removed: its size still grows, nlink is 0', () => {
    const { f } = setup();
    const fd = f.open('doomed', O_CREAT | O_RDWR, 0o644);
    f.write(fd, 'abc');
    expect(f.sys('unlinkat', AT_FDCWD, 'doomed', 0)).toBe(0);
    f.write(fd, 'defg');
    expect(f.sys('fstat', fd, BUF)).toBe(0);
    const v = new DataView(f.bytes(128).slice().buffer);
    expect([v.getUint32(20, true), Number(v.getBigInt64(48, true))]).toEqual([0, 7]);
  });

  it('rename with RENAME_EXCHANGE swaps two host files', () => {
    const { f, inside } = setup();
    writeFileSync(join(inside, 'a'), 'A');
    writeFileSync(join(inside, 'b'), 'B');
    expect(f.sys('renameat2', AT_FDCWD, 'a', AT_FDCWD, 'b', 2)).toBe(0);
    expect(readFileSync(join(inside, 'a'), 'latin1')).toBe('B');
    expect(readFileSync(join(inside, 'b'), 'latin1')).toBe('A');
    expect(f.list('.').filter((n) => n.startsWith('.zerosys'))).toEqual([]);
  });
});

describe('host mount: deterministic view', () => {
  it('sorted listings, guest inode numbers in order of discovery, hard links share one', () => {
    const { f, inside } = setup();
    writeFileSync(join(inside, 'b'), '');
    writeFileSync(join(inside, 'a'), '');
    linkSync(join(inside, 'a'), join(inside, 'a2'));
    expect(f.list('.')).toEqual(['.', '..', 'a', 'a2', 'abs-link', 'b', 'dir-link', 'hello.txt', 'rel-link', 'sub']);
    const a = f.stat('a');
    const a2 = f.stat('a2');
    const b = f.stat('b');
    if (typeof a === 'number' || typeof a2 === 'number' || typeof b === 'number') throw new Error('stat failed');
    expect(a.ino).toBe(a2.ino);
    expect(a.nlink).toBe(2);
    expect(b.ino).toBe(a.ino + 2); // a/a2, then abs-link, then b: the sorted listing's order
    expect(a.ino).toBeLessThan(100);
  });

  it('the same tree gives the same stat in two runs, with times from the virtual clock', () => {
    const one = setup();
    const two = setup();
    const s1 = one.f.stat('hello.txt');
    const s2 = two.f.stat('hello.txt');
    expect(s1).toEqual(s2);
    if (typeof s1 === 'number') throw new Error('stat failed');
    expect(s1.mtime).toBe(1_700_000_000n * 1_000_000_000n); // the clock's start: existed before the guest
    expect(s1.size).toBe(17);
    expect(s1.dev).toBe((254 << 8) | 1);
    expect(one.f.stat('abs-link', AT_SYMLINK_NOFOLLOW)).toMatchObject({ size: 11, mode: 0o120777 });
  });

  it('a file the guest writes gets the time of the write', () => {
    const { f } = setup();
    f.cpu.instret += 123_456;
    const fd = f.open('w', O_CREAT | O_WRONLY, 0o644);
    f.write(fd, 'x');
    const s = f.stat('w');
    if (typeof s === 'number') throw new Error('stat failed');
    expect(s.mtime).toBe(f.kernel.state.clock.realtimeNs());
    expect(f.open('sub', O_DIRECTORY)).toBeGreaterThan(0);
  });
});

// Found by kernel/fuzz.test.ts: offsets and sizes past 2^53 reached Node's fs calls, which
// throw a host RangeError for them. They stop at the guest's s_maxbytes (2^53 - 1, see
// open-files.ts MAX_FILE_SIZE) with Linux's errno: EFBIG to grow a file past it
// (inode_newsize_ok, generic_write_check_limits, vfs_fallocate), 0 bytes to read there
// (filemap_read). Host files are never read or written there.
// Found by kernel/fuzz.test.ts: O_RDONLY|O_TRUNC truncated through the read-only host fd,
// failed with EINVAL and left that host fd open. Linux (fs/namei.c do_open, handle_truncate)
// truncates whatever the access mode (O_TRUNC asks for MAY_WRITE, which root has).
describe('host mount: O_TRUNC', () => {
  it('O_RDONLY|O_TRUNC empties the host file and leaks no host descriptor', () => {
    const { f, inside } = setup();
    const hostFds = readdirSync('/proc/self/fd').length;
    const fd = f.open('hello.txt', O_RDONLY | O_TRUNC);
    expect(fd).toBeGreaterThanOrEqual(3);
    expect(readFileSync(join(inside, 'hello.txt'), 'latin1')).toBe('');
    expect(f.sys('close', fd)).toBe(0);
    expect(readdirSync('/proc/self/fd').length).toBe(hostFds);
  });
});

describe('host mount: offsets past 2^53', () => {
  it('truncate, ftruncate, pwrite and fallocate are EFBIG; pread reads nothing', () => {
    const { f, inside } = setup();
    const fd = f.open('hello.txt', O_RDWR);
    expect(f.sys('ftruncate', fd, 2n ** 63n - 1n)).toBe(-E.EFBIG);
    expect(f.sys('ftruncate', fd, 2 ** 53)).toBe(-E.EFBIG);
    expect(f.sys('truncate', 'hello.txt', 0x5e5b1ec84a037f2cn)).toBe(-E.EFBIG);
    expect(f.sys('pread64', fd, BUF, 5, 0x784807e95f65953cn)).toBe(0);
    expect(f.sys('preadv2', fd, BUF, 0, 2n ** 60n, 0, 0)).toBe(0);
    f.put('abcd');
    expect(f.sys('pwrite64', fd, BUF, 4, 2n ** 60n)).toBe(-E.EFBIG);
    expect(f.sys('fallocate', fd, 0, 2n ** 60n, 1)).toBe(-E.EFBIG);
    expect(readFileSync(join(inside, 'hello.txt'), 'latin1')).toBe('hi from the host\n');
  });

  it('a hole punched in a host file is written as zeros; over more than 64 MiB the guest stops', () => {
    const { f, inside } = setup();
    const fd = f.open('hello.txt', O_RDWR);
    expect(f.sys('fallocate', fd, 3, 3, 5)).toBe(0); // PUNCH_HOLE|KEEP_SIZE
    expect(readFileSync(join(inside, 'hello.txt'), 'latin1')).toBe('hi \0\0\0\0\0the host\n');
    expect(f.sys('ftruncate', fd, 2 ** 30)).toBe(0);
    expect(() => f.sys('fallocate', fd, 3, 0, 2 ** 30)).toThrow(ZerosysStop);
  });
});
