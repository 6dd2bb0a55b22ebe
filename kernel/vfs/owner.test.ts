// chown by an unprivileged caller, and who owns what it creates. Expected values: a static
// riscv64 program making these calls in this order, run under qemu-riscv64 as root on the
// build machine (qemu passes them to the host kernel, Linux 6.18), where they match Linux
// 6.1.20 fs/attr.c chown_ok() / chgrp_ok() / setattr_prepare() and fs/inode.c
// inode_init_owner() / mode_strip_sgid().

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT } from '../test-support.ts';
import { AT_FDCWD, BUF, vfsFixture, type VfsFixture } from './vfs-test-util.ts';
import { O_CREAT, O_WRONLY } from '../abi.ts';

const tmp = () => vfsFixture({ vfs: { cwd: '/tmp' } });
const GROUPS = LAYOUT.data + 0x6000;

/** [mode, uid, gid] of path (lstat). */
function owner(f: VfsFixture, path: string): number[] {
  expect(f.sys('newfstatat', AT_FDCWD, path, BUF, 0x100)).toBe(0);
  const v = new DataView(f.bytes(128).slice().buffer);
  return [v.getUint32(16, true), v.getUint32(24, true), v.getUint32(28, true)];
}

function create(f: VfsFixture, path: string, mode: number): void {
  const fd = f.open(path, O_CREAT | O_WRONLY, mode);
  expect(fd).toBeGreaterThanOrEqual(0);
  f.sys('close', fd);
}

/** As root: files a (0644), s (04755), o (0644, uid 1000), m (02644, uid 1000), x (06755, uid 1000), directory g (02777, gid 5). */
function layOut(f: VfsFixture): void {
  f.sys('umask', 0o022);
  f.sys('mkdirat', AT_FDCWD, 'g', 0o777);
  f.sys('fchmodat', AT_FDCWD, 'g', 0o2777);
  f.sys('fchownat', AT_FDCWD, 'g', -1, 5, 0);
  create(f, 'a', 0o644);
  create(f, 's', 0o644);
  f.sys('fchmodat', AT_FDCWD, 's', 0o4755);
  for (const [name, mode] of [['o', 0o644], ['m', 0o2644], ['x', 0o6755]] as const) {
    create(f, name, 0o644);
    expect(f.sys('fchownat', AT_FDCWD, name, 1000, 0, 0)).toBe(0);
    f.sys('fchmodat', AT_FDCWD, name, mode);
  }
}

/** setgroups(groups), setresgid(1000, 1000, 1000), setresuid(1000, 1000, 1000). */
function dropTo1000(f: VfsFixture, groups: number[]): void {
  f.mem.write(GROUPS, new Uint8Array(Uint32Array.from(groups).buffer));
  expect(f.sys('setgroups', groups.length, GROUPS)).toBe(0);
  expect(f.sys('setresgid', 1000, 1000, 1000)).toBe(0);
  expect(f.sys('setresuid', 1000, 1000, 1000)).toBe(0);
}

describe('chown without CAP_CHOWN', () => {
  it('only the owner, only to its own uid and its groups; non-owners may chown(-1, -1) unless a mode bit must go', () => {
    const f = tmp();
    layOut(f);
    dropTo1000(f, [5]);
    expect(f.sys('fchownat', AT_FDCWD, 'a', 1000, -1, 0)).toBe(-E.EPERM);
    expect(f.sys('fchownat', AT_FDCWD, 'a', -1, -1, 0)).toBe(0);
    expect(f.sys('fchownat', AT_FDCWD, 's', -1, -1, 0)).toBe(-E.EPERM); // ATTR_KILL_SUID needs the owner
    expect(owner(f, 's')).toEqual([0o104755, 0, 0]);
    expect(f.sys('fchownat', AT_FDCWD, 'o', 2000, -1, 0)).toBe(-E.EPERM);
    expect(f.sys('fchownat', AT_FDCWD, 'o', 1000, -1, 0)).toBe(0);
    expect(f.sys('fchownat', AT_FDCWD, 'o', -1, 7, 0)).toBe(-E.EPERM);
    expect(f.sys('fchownat', AT_FDCWD, 'o', -1, 5, 0)).toBe(0); // a supplementary group
    expect(owner(f, 'o')).toEqual([0o100644, 1000, 5]);
    expect(f.sys('fchownat', AT_FDCWD, 'o', -1, 1000, 0)).toBe(0); // the fsgid
    expect(owner(f, 'o')).toEqual([0o100644, 1000, 1000]);
    // Set-group-ID without group execute, the owner not in the file's group 0: dropped.
    expect(f.sys('fchownat', AT_FDCWD, 'm', -1, -1, 0)).toBe(0);
    expect(owner(f, 'm')).toEqual([0o100644, 1000, 0]);
    expect(f.sys('fchownat', AT_FDCWD, 'x', -1, 5, 0)).toBe(0);
    expect(owner(f, 'x')).toEqual([0o100755, 1000, 5]);
  });

  it('a group the caller is not in is EPERM, and the file keeps its bits', () => {
    const f = tmp();
    layOut(f);
    dropTo1000(f, []);
    expect(f.sys('fchownat', AT_FDCWD, 'o', -1, 5, 0)).toBe(-E.EPERM);
    expect(f.sys('fchownat', AT_FDCWD, 'x', -1, 5, 0)).toBe(-E.EPERM);
    expect(owner(f, 'x')).toEqual([0o106755, 1000, 0]);
  });

  it('setfsuid(1000) as root drops CAP_CHOWN; the fsuid is the owner that counts', () => {
    const f = tmp();
    layOut(f);
    expect(f.sys('setfsuid', 1000)).toBe(0);
    expect(f.sys('fchownat', AT_FDCWD, 'a', 1000, -1, 0)).toBe(-E.EPERM);
    expect(f.sys('fchownat', AT_FDCWD, 'o', 1000, -1, 0)).toBe(0);
    expect(f.sys('fchownat', AT_FDCWD, 'o', -1, 0, 0)).toBe(0); // fsgid 0
    expect(f.sys('setfsuid', 0)).toBe(1000);
    expect(f.sys('fchownat', AT_FDCWD, 'a', 1000, -1, 0)).toBe(0);
  });
});

describe('owner of new objects (inode_init_owner)', () => {
  it('root: uid 0 and gid 0, or the set-group-ID directory\'s group (and its bit for a directory)', () => {
    const f = tmp();
    layOut(f);
    expect(owner(f, 'g')).toEqual([0o42777, 0, 5]);
    expect(f.sys('mkdirat', AT_FDCWD, 'g/rootdir', 0o755)).toBe(0);
    expect(owner(f, 'g/rootdir')).toEqual([0o42755, 0, 5]);
    create(f, 'g/rootsgid', 0o2755);
    expect(owner(f, 'g/rootsgid')).toEqual([0o102755, 0, 5]);
    expect(owner(f, 'a')).toEqual([0o100644, 0, 0]);
  });

  it('the fsuid and fsgid, or the directory\'s group; S_ISGID kept only for a member of it', () => {
    const f = tmp();
    layOut(f);
    dropTo1000(f, [5]);
    create(f, 'new', 0o644);
    expect(owner(f, 'new')).toEqual([0o100644, 1000, 1000]);
    create(f, 'g/new', 0o644);
    expect(owner(f, 'g/new')).toEqual([0o100644, 1000, 5]);
    create(f, 'g/sg', 0o2755);
    expect(owner(f, 'g/sg')).toEqual([0o102755, 1000, 5]);
    expect(f.sys('mkdirat', AT_FDCWD, 'g/dir', 0o755)).toBe(0);
    expect(owner(f, 'g/dir')).toEqual([0o42755, 1000, 5]);
    expect(f.sys('symlinkat', 'x', AT_FDCWD, 'g/ln')).toBe(0);
    expect(owner(f, 'g/ln')).toEqual([0o120777, 1000, 5]);
    const mfd = f.sys('memfd_create', 'm', 0);
    expect(f.sys('fstat', mfd, BUF)).toBe(0);
    const v = new DataView(f.bytes(128).slice().buffer);
    expect([v.getUint32(24, true), v.getUint32(28, true)]).toEqual([1000, 1000]);
  });

  it('not in the directory\'s group: a new group-executable file loses S_ISGID (mode_strip_sgid)', () => {
    const f = tmp();
    layOut(f);
    dropTo1000(f, []);
    create(f, 'g/sg', 0o2755);
    expect(owner(f, 'g/sg')).toEqual([0o100755, 1000, 5]);
  });
});
