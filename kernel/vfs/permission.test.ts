// Discretionary access control once the guest drops privileges (permission.ts). Expected
// values: a static riscv64 program making these calls in this order, each scenario in a
// fresh directory (root-owned, 0755) of the build machine's ext4, run under qemu-riscv64
// as root (qemu passes the calls to the host kernel, Linux 6.18, whose fs/namei.c
// generic_permission() / may_open() / may_delete() / check_sticky(), fs/attr.c
// setattr_prepare(), fs/open.c do_faccessat() and fs/utimes.c decide as Linux 6.1's do);
// the one exception, marked, is what qemu itself changes (open flags 3) and is Linux's
// answer instead. Here the same steps run in /tmp/w, a root-owned 0755 tmpfs directory.
// Every scenario that drops privileges first calls setgroups([5]) and setresgid(1000 x 3).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT } from '../test-support.ts';
import { AT_FDCWD, BUF, vfsFixture, type VfsFixture } from './vfs-test-util.ts';
import { AT_EACCESS, AT_EMPTY_PATH, AT_REMOVEDIR, AT_SYMLINK_NOFOLLOW, AF_UNIX, F_OK, O_CREAT, O_DIRECTORY, O_EXCL, O_NOATIME, O_PATH, O_RDONLY, O_RDWR, O_TMPFILE, O_TRUNC, O_WRONLY, R_OK, SOCK_STREAM, UTIME_NOW, UTIME_OMIT, W_OK, X_OK } from '../abi.ts';
import { Credentials, CAP } from '../process/credentials.ts';
import { accessCreds, genericPermission, MAY_EXEC, MAY_READ, MAY_WRITE } from './permission.ts';

const SCRATCH = LAYOUT.data + 0x6000;
const EACCES = -E.EACCES;
const EPERM = -E.EPERM;
const ENOENT = -E.ENOENT;

/** A fixture working in /tmp/w (root's, 0755), umask 022. */
function fixture(): VfsFixture {
  const f = vfsFixture({ vfs: { cwd: '/tmp' } });
  f.sys('umask', 0o022);
  expect(f.sys('mkdirat', AT_FDCWD, 'w', 0o755)).toBe(0);
  expect(f.sys('chdir', 'w')).toBe(0);
  return f;
}

function own(f: VfsFixture, path: string, mode: number, uid: number, gid: number): void {
  expect(f.sys('fchownat', AT_FDCWD, path, uid, gid, 0)).toBe(0);
  expect(f.sys('fchmodat', AT_FDCWD, path, mode)).toBe(0);
}
/** A file (as root) with this mode and owner. */
function mk(f: VfsFixture, path: string, mode: number, uid = 0, gid = 0): void {
  const fd = f.open(path, O_CREAT | O_WRONLY, 0o600);
  expect(fd).toBeGreaterThanOrEqual(0);
  f.sys('close', fd);
  own(f, path, mode, uid, gid);
}
/** A directory (as root) with this mode and owner. */
function md(f: VfsFixture, path: string, mode: number, uid = 0, gid = 0): void {
  expect(f.sys('mkdirat', AT_FDCWD, path, 0o700)).toBe(0);
  own(f, path, mode, uid, gid);
}
/** setgroups([5]), setresgid(1000, 1000, 1000), setresuid(ruid, euid, suid). */
function drop(f: VfsFixture, ruid = 1000, euid = 1000, suid = 1000): void {
  f.mem.write(SCRATCH, new Uint8Array(Uint32Array.from([5]).buffer));
  expect(f.sys('setgroups', 1, SCRATCH)).toBe(0);
  expect(f.sys('setresgid', 1000, 1000, 1000)).toBe(0);
  expect(f.sys('setresuid', ruid, euid, suid)).toBe(0);
}
/** capset: effective = permitted = these capabilities (low word), the uid unchanged. */
function caps(f: VfsFixture, ...list: number[]): void {
  const set = list.reduce((m, c) => m | (1 << c), 0);
  f.mem.write(SCRATCH, new Uint8Array(Uint32Array.from([0x20080522, 0, set, set, 0, 0, 0, 0]).buffer));
  expect(f.sys('capset', SCRATCH, SCRATCH + 8)).toBe(0);
}
/** openat, closing what it opened: 0 or -errno. */
function open(f: VfsFixture, path: string, flags: number): number {
  const fd = f.open(path, flags, 0o644);
  if (fd >= 0) f.sys('close', fd);
  return Math.min(fd, 0);
}
const stat = (f: VfsFixture, path: string, flags = 0) => f.sys('newfstatat', AT_FDCWD, path, BUF, flags);
const perm = (f: VfsFixture, path: string) => {
  expect(stat(f, path, AT_SYMLINK_NOFOLLOW)).toBe(0);
  return new DataView(f.bytes(128).slice().buffer).getUint32(16, true) & 0o7777;
};
const access = (f: VfsFixture, path: string, mode: number) => f.sys('faccessat', AT_FDCWD, path, mode);
const access2 = (f: VfsFixture, path: string, mode: number, flags: number) => f.sys('faccessat2', AT_FDCWD, path, mode, flags);

describe('generic_permission()', () => {
  const nobody = (): Credentials => {
    const c = new Credentials();
    Object.assign(c.uid, { r: 1000, e: 1000, s: 1000, fs: 1000 });
    Object.assign(c.gid, { r: 1000, e: 1000, s: 1000, fs: 1000 });
    c.groups = [5];
    c.effective = 0n;
    return c;
  };
  const reg = (mode: number, uid: number, gid: number) => ({ mode: 0o100000 | mode, uid, gid });
  const dir = (mode: number, uid: number, gid: number) => ({ mode: 0o40000 | mode, uid, gid });

  it('one class decides: the owner\'s bits for the owner, the group\'s for a member, else the others\'', () => {
    const c = nobody();
    expect(genericPermission(c, reg(0o066, 1000, 0), MAY_READ)).toBe(EACCES);
    expect(genericPermission(c, reg(0o400, 1000, 0), MAY_READ)).toBe(0);
    expect(genericPermission(c, reg(0o604, 0, 5), MAY_READ)).toBe(EACCES); // member: group bits
    expect(genericPermission(c, reg(0o640, 0, 5), MAY_READ)).toBe(0);
    expect(genericPermission(c, reg(0o640, 0, 1000), MAY_READ)).toBe(0); // the fsgid counts too
    expect(genericPermission(c, reg(0o604, 0, 7), MAY_READ)).toBe(0);
    expect(genericPermission(c, reg(0o644, 0, 7), MAY_READ | MAY_WRITE)).toBe(EACCES);
    expect(genericPermission(c, reg(0o606, 0, 7), MAY_READ | MAY_WRITE)).toBe(0);
  });

  it('the capability overrides: DAC_READ_SEARCH reads and searches, DAC_OVERRIDE does all but execute a file with no x bit', () => {
    const c = nobody();
    c.effective = 1n << BigInt(CAP.DAC_READ_SEARCH);
    expect(genericPermission(c, reg(0, 0, 0), MAY_READ)).toBe(0);
    expect(genericPermission(c, reg(0, 0, 0), MAY_READ | MAY_WRITE)).toBe(EACCES);
    expect(genericPermission(c, reg(0o110, 0, 0), MAY_EXEC)).toBe(EACCES); // x for owner and group, not for others
    expect(genericPermission(c, dir(0, 0, 0), MAY_READ | MAY_EXEC)).toBe(0);
    expect(genericPermission(c, dir(0, 0, 0), MAY_WRITE | MAY_EXEC)).toBe(EACCES);
    c.effective = 1n << BigInt(CAP.DAC_OVERRIDE);
    expect(genericPermission(c, reg(0, 0, 0), MAY_READ | MAY_WRITE)).toBe(0);
    expect(genericPermission(c, reg(0o644, 0, 0), MAY_EXEC)).toBe(EACCES);
    expect(genericPermission(c, reg(0o001, 0, 0), MAY_EXEC)).toBe(0);
    expect(genericPermission(c, dir(0, 0, 0), MAY_WRITE | MAY_EXEC)).toBe(0);
  });

  it('access_override_creds(): the real ids, and no capability for a non-root real uid', () => {
    const c = new Credentials();
    Object.assign(c.uid, { r: 1000, e: 0, s: 0, fs: 0 });
    const o = accessCreds(c);
    expect([o.uid.fs, o.gid.fs, o.effective]).toEqual([1000, 0, 0n]);
    Object.assign(c.uid, { r: 0, e: 1000, s: 0, fs: 1000 });
    c.effective = 0n;
    expect(accessCreds(c).effective).toBe(c.permitted);
    expect(accessCreds(c).uid.fs).toBe(0);
  });
});

describe('as root (every capability): as before', () => {
  it('mode bits do not stop it, but a file with no x bit does not execute', () => {
    const f = fixture();
    mk(f, 'f', 0, 1000, 1000);
    md(f, 'd', 0, 1000, 1000);
    expect(open(f, 'f', O_RDWR)).toBe(0);
    expect(access(f, 'f', R_OK | W_OK)).toBe(0);
    expect(access(f, 'f', X_OK)).toBe(EACCES);
    expect(stat(f, 'd/x')).toBe(ENOENT);
    expect(f.sys('mkdirat', AT_FDCWD, 'd/y', 0o755)).toBe(0);
    expect(f.sys('fchmodat', AT_FDCWD, 'f', 0o644)).toBe(0);
    expect(f.sys('unlinkat', AT_FDCWD, 'd/y', AT_REMOVEDIR)).toBe(0);
  });
});

describe('path walks need search permission on every directory (may_lookup)', () => {
  it('before each component, "." and ".." too; symlinks are walked as the caller', () => {
    const f = fixture();
    md(f, 'd', 0o700);
    mk(f, 'd/f', 0o644);
    md(f, 'e', 0o711);
    mk(f, 'e/f', 0o644);
    expect(f.sys('symlinkat', 'd/f', AT_FDCWD, 'l')).toBe(0);
    expect(f.sys('symlinkat', 'e/f', AT_FDCWD, 'm')).toBe(0);
    drop(f);
    expect(stat(f, 'd/f')).toBe(EACCES);
    expect(stat(f, 'd')).toBe(0);
    expect(stat(f, 'd/.')).toBe(EACCES);
    expect(stat(f, 'd/..')).toBe(EACCES);
    expect(stat(f, 'd/missing')).toBe(EACCES);
    expect(stat(f, 'e/f')).toBe(0);
    expect(open(f, 'e', O_RDONLY | O_DIRECTORY)).toBe(EACCES); // x but no r: no listing
    expect(open(f, 'e/f', O_RDONLY)).toBe(0);
    expect(stat(f, 'l')).toBe(EACCES);
    expect(stat(f, 'l', AT_SYMLINK_NOFOLLOW)).toBe(0);
    expect(stat(f, 'm')).toBe(0);
    expect(f.sys('chdir', 'd')).toBe(EACCES);
    expect(f.sys('chdir', 'e')).toBe(0);
  });

  it('the process may always list its own /proc/self/fd; root\'s 0400 environ is closed to it', () => {
    const f = fixture();
    drop(f);
    expect(open(f, '/proc/self/fd', O_RDONLY | O_DIRECTORY)).toBe(0);
    expect(open(f, '/proc/self/environ', O_RDONLY)).toBe(EACCES);
    expect(open(f, '/proc/self/status', O_RDONLY)).toBe(0);
  });

  it('reopening through /proc/self/fd checks the object: a pipe is its creator\'s (get_pipe_inode())', () => {
    const f = fixture();
    expect(f.sys('pipe2', SCRATCH, 0)).toBe(0);
    const before = f.mem.readU32(SCRATCH + 4);
    mk(f, 'f', 0o644);
    const ffd = f.open('f', O_RDWR);
    drop(f);
    expect(f.sys('pipe2', SCRATCH, 0)).toBe(0);
    const after = f.mem.readU32(SCRATCH + 4);
    expect(f.sys('fstat', after, BUF)).toBe(0);
    const v = new DataView(f.bytes(128).slice().buffer);
    expect([v.getUint32(16, true), v.getUint32(24, true), v.getUint32(28, true)]).toEqual([0o10600, 1000, 1000]);
    expect(open(f, `/proc/self/fd/${after}`, O_WRONLY)).toBe(0);
    expect(open(f, `/proc/self/fd/${before}`, O_WRONLY)).toBe(EACCES);
    expect(open(f, `/proc/self/fd/${ffd}`, O_WRONLY)).toBe(EACCES);
    expect(open(f, `/proc/self/fd/${ffd}`, O_RDONLY)).toBe(0);
  });
});

describe('open (may_open, may_o_create)', () => {
  it('read and write permission by the access mode; O_TRUNC asks for write; creating needs a writable directory', () => {
    const f = fixture();
    mk(f, 'o', 0o066, 1000, 0);
    mk(f, 'g', 0o604, 0, 5);
    mk(f, 'h', 0o640, 0, 5);
    mk(f, 'p', 0o604, 0, 7);
    mk(f, 'w', 0o644);
    mk(f, 'o2', 0o600, 1000, 0);
    mk(f, 'w2', 0o666);
    drop(f);
    expect(open(f, 'o', O_RDONLY)).toBe(EACCES);
    expect(open(f, 'g', O_RDONLY)).toBe(EACCES);
    expect(open(f, 'h', O_RDONLY)).toBe(0);
    expect(open(f, 'p', O_RDONLY)).toBe(0);
    expect(open(f, 'w', O_WRONLY)).toBe(EACCES);
    expect(open(f, 'w', O_RDONLY | O_TRUNC)).toBe(EACCES);
    // Linux: ACC_MODE(3) is read and write (qemu turns flags 3 into O_RDONLY: success there).
    expect(open(f, 'p', 3)).toBe(EACCES);
    expect(open(f, 'w', O_RDONLY | O_NOATIME)).toBe(EPERM);
    expect(open(f, 'o2', O_RDONLY | O_NOATIME)).toBe(0);
    expect(open(f, 'new', O_CREAT | O_WRONLY)).toBe(EACCES);
    expect(open(f, 'w2', O_CREAT | O_WRONLY)).toBe(0);
    expect(open(f, 'w2', O_CREAT | O_EXCL | O_WRONLY)).toBe(-E.EEXIST);
    expect(open(f, '.', O_TMPFILE | O_WRONLY)).toBe(EACCES);
    expect(open(f, 'w', O_PATH)).toBe(0);
    expect(f.sys('truncate', 'w', 0)).toBe(EACCES);
    expect(f.sys('truncate', 'w2', 0)).toBe(0);
  });

  it('a file created now opens for writing whatever its mode', () => {
    const f = fixture();
    md(f, 'd', 0o777);
    drop(f);
    expect(open(f, 'd/n', O_CREAT | O_RDWR | O_EXCL)).toBe(0);
    expect(perm(f, 'd/n')).toBe(0o644);
    const fd = f.open('d/z', O_CREAT | O_RDWR, 0);
    expect(fd).toBeGreaterThanOrEqual(0);
    expect(f.write(fd, 'x')).toBe(1);
    expect(open(f, 'd/z', O_RDONLY)).toBe(EACCES);
  });
});

describe('names in a directory (may_create, may_delete, check_sticky)', () => {
  it('write and search permission on the directory, before the kind of the victim; the sticky rule', () => {
    const f = fixture();
    mk(f, 'w', 0o644);
    md(f, 'sub', 0o755);
    md(f, 't', 0o1777);
    mk(f, 't/rootfile', 0o644);
    mk(f, 't/rootfile2', 0o644);
    mk(f, 't/mine', 0o644, 1000, 1000);
    md(f, 't/rootdir', 0o755);
    md(f, 'u', 0o1777, 1000, 1000);
    mk(f, 'u/rootfile', 0o644);
    md(f, 'v', 0o777);
    mk(f, 'v/rootfile', 0);
    md(f, 'a1', 0o777);
    md(f, 'a2', 0o777);
    md(f, 'a1/dir', 0o755);
    mk(f, 'a1/file', 0o644);
    md(f, 'a1/mydir', 0o755, 1000, 1000);
    mk(f, 'a1/x', 0o644);
    drop(f);
    const rename = (a: string, b: string) => f.sys('renameat2', AT_FDCWD, a, AT_FDCWD, b, 0);
    expect(f.sys('unlinkat', AT_FDCWD, 'w', 0)).toBe(EACCES);
    expect(f.sys('unlinkat', AT_FDCWD, 'sub', 0)).toBe(EACCES); // not EISDIR
    expect(f.sys('unlinkat', AT_FDCWD, 'w', AT_REMOVEDIR)).toBe(EACCES); // not ENOTDIR
    expect(f.sys('unlinkat', AT_FDCWD, 't/rootfile', 0)).toBe(EPERM);
    expect(f.sys('unlinkat', AT_FDCWD, 't/rootdir', AT_REMOVEDIR)).toBe(EPERM);
    expect(rename('t/rootfile', 't/xx')).toBe(EPERM);
    expect(rename('t/mine', 't/rootfile2')).toBe(EPERM);
    expect(f.sys('unlinkat', AT_FDCWD, 't/mine', 0)).toBe(0);
    expect(f.sys('unlinkat', AT_FDCWD, 'u/rootfile', 0)).toBe(0); // the sticky directory's owner
    expect(f.sys('unlinkat', AT_FDCWD, 'v/rootfile', 0)).toBe(0);
    expect(rename('a1/dir', 'a2/dir')).toBe(EACCES); // its ".." would change: write on itself
    expect(rename('a1/dir', 'a1/dir2')).toBe(0);
    expect(rename('a1/file', 'a2/file')).toBe(0);
    expect(rename('a1/mydir', 'a2/mydir')).toBe(0);
    expect(rename('a1/x', 'x')).toBe(EACCES);
    expect(f.sys('mkdirat', AT_FDCWD, 'nd', 0o755)).toBe(EACCES);
    expect(f.sys('mkdirat', AT_FDCWD, 'v/nd', 0o755)).toBe(0);
    expect(f.sys('symlinkat', 'w', AT_FDCWD, 'ln')).toBe(EACCES);
  });

  it('linkat: may_create in the new directory; AT_EMPTY_PATH needs CAP_DAC_READ_SEARCH (ENOENT); fchdir needs search', () => {
    const f = fixture();
    mk(f, 'mine', 0o644);
    md(f, 'v', 0o777);
    md(f, 'nx', 0o744);
    const fd = f.open('mine', O_RDONLY);
    const dfd = f.open('nx', O_RDONLY);
    drop(f);
    expect(f.sys('linkat', fd, '', AT_FDCWD, 'v/l', AT_EMPTY_PATH)).toBe(ENOENT);
    expect(f.sys('fchdir', dfd)).toBe(EACCES);
    expect(open(f, 'v/own', O_CREAT | O_WRONLY)).toBe(0);
    expect(f.sys('linkat', AT_FDCWD, 'v/own', AT_FDCWD, 'l2', 0)).toBe(EACCES);
    expect(f.sys('linkat', AT_FDCWD, 'v/own', AT_FDCWD, 'v/l2', 0)).toBe(0);
  });

  it('AF_UNIX: connect needs write permission on the socket, bind a writable directory', () => {
    const f = fixture();
    md(f, 'd', 0o755);
    const a = f.sys('socket', AF_UNIX, SOCK_STREAM, 0);
    const b = f.sys('socket', AF_UNIX, SOCK_STREAM, 0);
    const c = f.sys('socket', AF_UNIX, SOCK_STREAM, 0);
    const addr = (path: string) => {
      const bytes = new Uint8Array(110);
      new DataView(bytes.buffer).setUint16(0, AF_UNIX, true);
      bytes.set(Buffer.from(path, 'latin1'), 2);
      f.mem.write(SCRATCH, bytes);
      return SCRATCH;
    };
    expect(f.sys('bind', a, addr('s'), 110)).toBe(0);
    expect(f.sys('listen', a, 1)).toBe(0);
    expect(perm(f, 's')).toBe(0o755);
    drop(f);
    expect(f.sys('connect', b, addr('s'), 110)).toBe(EACCES);
    expect(f.sys('bind', c, addr('d/s2'), 110)).toBe(EACCES);
  });
});

describe('chmod and utimensat', () => {
  it('chmod: the owner only; S_ISGID goes unless the caller is in the group', () => {
    const f = fixture();
    mk(f, 'w', 0o644);
    mk(f, 'o3', 0o644, 1000, 0);
    mk(f, 'o4', 0o644, 1000, 5);
    md(f, 'od', 0o755, 1000, 0);
    drop(f);
    expect(f.sys('fchmodat', AT_FDCWD, 'w', 0o666)).toBe(EPERM);
    expect(f.sys('fchmodat', AT_FDCWD, 'o3', 0o2755)).toBe(0);
    expect(perm(f, 'o3')).toBe(0o755);
    expect(f.sys('fchmodat', AT_FDCWD, 'o4', 0o2755)).toBe(0);
    expect(perm(f, 'o4')).toBe(0o2755);
    expect(f.sys('fchmodat', AT_FDCWD, 'od', 0o2755)).toBe(0);
    expect(perm(f, 'od')).toBe(0o755);
  });

  it('utimensat: now with write permission, explicit times only for the owner', () => {
    const f = fixture();
    mk(f, 'rw', 0o666);
    mk(f, 'r', 0o644);
    mk(f, 'mine', 0o444, 1000, 0);
    drop(f);
    const T = SCRATCH + 0x100;
    const times = (a: [number, number], m: [number, number]) => {
      f.mem.write(T, new Uint8Array(BigInt64Array.from([BigInt(a[0]), BigInt(a[1]), BigInt(m[0]), BigInt(m[1])]).buffer));
      return T;
    };
    const ut = (path: string, t: number) => f.sys('utimensat', AT_FDCWD, path, t, 0);
    expect(ut('rw', 0)).toBe(0);
    expect(ut('r', 0)).toBe(EACCES);
    expect(ut('rw', times([1, 0], [2, 0]))).toBe(EPERM);
    expect(ut('r', times([0, UTIME_NOW], [0, UTIME_NOW]))).toBe(EACCES);
    expect(ut('rw', times([0, UTIME_NOW], [0, UTIME_NOW]))).toBe(0);
    expect(ut('rw', times([0, UTIME_NOW], [0, UTIME_OMIT]))).toBe(EPERM);
    expect(ut('mine', times([1, 0], [2, 0]))).toBe(0);
  });
});

describe('faccessat: the real ids unless AT_EACCESS', () => {
  const layOut = (f: VfsFixture) => {
    mk(f, 'f', 0o600);
    md(f, 'd', 0o700);
    mk(f, 'd/f', 0o644);
  };

  it('real uid 1000, effective 0: access refuses what open allows, the walk included', () => {
    const f = fixture();
    layOut(f);
    drop(f, 1000, 0, 0);
    expect(access(f, 'f', R_OK)).toBe(EACCES);
    expect(access2(f, 'f', R_OK, AT_EACCESS)).toBe(0);
    expect(open(f, 'f', O_RDONLY)).toBe(0);
    expect(access(f, 'd/f', F_OK)).toBe(EACCES);
    expect(access2(f, 'd/f', F_OK, AT_EACCESS)).toBe(0);
  });

  it('real uid 0, effective 1000: access allows what open refuses', () => {
    const f = fixture();
    layOut(f);
    drop(f, 0, 1000, 0);
    expect(access(f, 'f', R_OK)).toBe(0);
    expect(access2(f, 'f', R_OK, AT_EACCESS)).toBe(EACCES);
    expect(open(f, 'f', O_RDONLY)).toBe(EACCES);
    expect(access(f, 'd/f', F_OK)).toBe(0);
    expect(access2(f, 'd/f', F_OK, AT_EACCESS)).toBe(EACCES);
  });
});

describe('capabilities count, not the uid', () => {
  it('uid 0 with CAP_DAC_READ_SEARCH alone reads and searches, writes nothing of others', () => {
    const f = fixture();
    mk(f, 'f', 0, 1000, 1000);
    md(f, 'd', 0, 1000, 1000);
    caps(f, CAP.DAC_READ_SEARCH);
    expect(open(f, 'f', O_RDONLY)).toBe(0);
    expect(open(f, 'f', O_WRONLY)).toBe(EACCES);
    expect(stat(f, 'd/x')).toBe(ENOENT);
    expect(f.sys('mkdirat', AT_FDCWD, 'd/y', 0o755)).toBe(EACCES);
    expect(open(f, 'd', O_RDONLY | O_DIRECTORY)).toBe(0);
    expect(access(f, 'f', R_OK)).toBe(0); // real uid 0: the permitted set
    expect(access(f, 'f', W_OK)).toBe(EACCES);
  });

  it('CAP_DAC_OVERRIDE alone: read and write anything, execute only with some x bit; no chmod of others\' files', () => {
    const f = fixture();
    mk(f, 'f', 0, 1000, 1000);
    mk(f, 'f2', 0o010, 1000, 1000);
    caps(f, CAP.DAC_OVERRIDE);
    expect(open(f, 'f', O_RDWR)).toBe(0);
    expect(access(f, 'f', X_OK)).toBe(EACCES);
    expect(access(f, 'f2', X_OK)).toBe(0);
    expect(f.sys('fchmodat', AT_FDCWD, 'f', 0o644)).toBe(EPERM);
  });

  it('uid 0 with no capability is an ordinary owner', () => {
    const f = fixture();
    mk(f, 'rootf', 0o600);
    mk(f, 'userf', 0o600, 1000, 1000);
    mk(f, 'del', 0o600, 1000, 1000);
    caps(f);
    expect(open(f, 'rootf', O_RDWR)).toBe(0);
    expect(open(f, 'userf', O_RDONLY)).toBe(EACCES);
    expect(f.sys('fchmodat', AT_FDCWD, 'userf', 0o644)).toBe(EPERM);
    expect(f.sys('unlinkat', AT_FDCWD, 'del', 0)).toBe(0); // /tmp/w is root's
  });

  it('CAP_FOWNER: chmod and the sticky rule; S_ISGID stays only with CAP_FSETID', () => {
    for (const [extra, mode] of [[[], 0o755], [[CAP.FSETID], 0o2755]] as const) {
      const f = fixture();
      mk(f, 'userf', 0o644, 1000, 1000);
      md(f, 't', 0o1777, 1000, 1000);
      mk(f, 't/uf', 0o644, 1000, 1000);
      caps(f, CAP.FOWNER, ...extra);
      expect(f.sys('fchmodat', AT_FDCWD, 'userf', 0o2755)).toBe(0);
      expect(perm(f, 'userf')).toBe(mode);
      expect(f.sys('unlinkat', AT_FDCWD, 't/uf', 0)).toBe(0);
    }
  });

  it('setfsuid(1000) as root: the fsuid decides and the filesystem capabilities go; access still uses the real uid', () => {
    const f = fixture();
    mk(f, 'rootf', 0o600);
    mk(f, 'userf', 0o600, 1000, 1000);
    expect(f.sys('setfsuid', 1000)).toBe(0);
    expect(open(f, 'rootf', O_RDONLY)).toBe(EACCES);
    expect(open(f, 'userf', O_RDONLY)).toBe(0);
    expect(access(f, 'rootf', R_OK)).toBe(0);
  });
});

describe('file_remove_privs(): a change of contents clears set-id bits without CAP_FSETID', () => {
  const layOut = (f: VfsFixture) => {
    for (const [name, mode, uid, gid] of [
      ['s1', 0o4755, 1000, 1000],
      ['s2', 0o2755, 1000, 0],
      ['s3', 0o2644, 1000, 0],
      ['s4', 0o2644, 1000, 1000],
      ['s5', 0o4666, 0, 0],
      ['s6', 0o4766, 0, 0],
      ['s7', 0o4646, 0, 0],
      ['s8', 0o4666, 0, 0],
      ['s9', 0o4666, 0, 0],
      ['s10', 0o6777, 0, 0],
    ] as const) {
      mk(f, name, mode, uid, gid);
    }
  };
  const writeOne = (f: VfsFixture, name: string) => {
    const fd = f.open(name, O_WRONLY);
    expect(f.write(fd, 'x')).toBe(1);
    f.sys('close', fd);
    return perm(f, name);
  };

  it('write, ftruncate, truncate, O_TRUNC; an empty write changes nothing', () => {
    const f = fixture();
    layOut(f);
    f.mem.write(SCRATCH, new Uint8Array(Uint32Array.from([7]).buffer));
    expect(f.sys('setgroups', 1, SCRATCH)).toBe(0);
    expect(f.sys('setresgid', 1000, 1000, 1000)).toBe(0);
    expect(f.sys('setresuid', 1000, 1000, 1000)).toBe(0);
    expect(['s1', 's2', 's3', 's4', 's5'].map((n) => writeOne(f, n))).toEqual([0o755, 0o755, 0o644, 0o2644, 0o666]);
    const fd = f.open('s6', O_WRONLY);
    expect(f.sys('ftruncate', fd, 0)).toBe(0);
    expect(perm(f, 's6')).toBe(0o766);
    expect(f.sys('truncate', 's7', 5)).toBe(0);
    expect(perm(f, 's7')).toBe(0o646);
    expect(open(f, 's8', O_WRONLY | O_TRUNC)).toBe(0);
    expect(perm(f, 's8')).toBe(0o666);
    const fd9 = f.open('s9', O_WRONLY);
    expect(f.write(fd9, '')).toBe(0);
    expect(perm(f, 's9')).toBe(0o4666);
    expect(f.sys('pwrite64', fd9, f.put('y', BUF + 0x100), 1, 3)).toBe(1);
    expect(perm(f, 's9')).toBe(0o666);
    expect(writeOne(f, 's10')).toBe(0o777);
  });

  it('root keeps them; uid 0 without CAP_FSETID does not', () => {
    const f = fixture();
    layOut(f);
    expect(['s1', 's2', 's3', 's4', 's5', 's10'].map((n) => writeOne(f, n))).toEqual([0o4755, 0o2755, 0o2644, 0o2644, 0o4666, 0o6777]);
    caps(f, CAP.FOWNER);
    expect(writeOne(f, 's5')).toBe(0o666); // root's own file
  });
});
