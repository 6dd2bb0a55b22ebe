// The set*id family, groups and capabilities. Expected behaviour: man 2 setuid / setreuid /
// setresuid / setfsuid / getgroups / setgroups, man 7 capabilities ("Effect of user ID
// changes on capabilities"), Linux 6.1 kernel/sys.c and security/commoncap.c. The
// sequences marked (x86) were run as root on the build machine with the same results.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture, type Fixture } from '../test-support.ts';
import { PR_GET_DUMPABLE, PR_SET_KEEPCAPS } from '../abi.ts';

const D = LAYOUT.data;

function res(f: Fixture, kind: 'uid' | 'gid'): number[] {
  expect(f.call(kind === 'uid' ? 'getresuid' : 'getresgid', D, D + 4, D + 8)).toBe(0n);
  return [...new Uint32Array(f.mem.read(D, 12).buffer)];
}

describe('user ids', () => {
  it('root setresuid, then the unprivileged rules (x86)', () => {
    const f = makeFixture();
    expect(f.call('setresuid', 1000, 1001, 0)).toBe(0n); // root keeps saved uid 0
    expect(res(f, 'uid')).toEqual([1000, 1001, 0]);
    expect(f.call('geteuid')).toBe(1001n);
    expect(f.call('setresuid', -1, 0, -1)).toBe(0n); // back to euid 0 via the saved id
    expect(f.call('setresuid', 2000, 2000, 2000)).toBe(0n); // privileged again: anything
    expect(f.call('setuid', 0)).toBe(err(E.EPERM)); // all capabilities gone
    expect(f.call('setresuid', 2000, 3000, -1)).toBe(err(E.EPERM));
    expect(f.call('setresuid', -1, -1, -1)).toBe(0n);
  });

  it('setuid as root sets all ids; unprivileged only the effective one to real/saved', () => {
    const f = makeFixture();
    expect(f.call('setreuid', 1000, 1001)).toBe(0n); // saved becomes the new euid
    expect(res(f, 'uid')).toEqual([1000, 1001, 1001]);
    expect(f.call('setuid', 1000)).toBe(0n);
    expect(res(f, 'uid')).toEqual([1000, 1000, 1001]);
    expect(f.call('setuid', 1001)).toBe(0n);
    expect(f.call('setuid', 5)).toBe(err(E.EPERM));
    expect(f.call('setuid', -1)).toBe(err(E.EINVAL));
    const g = makeFixture();
    expect(g.call('setuid', 7)).toBe(0n);
    expect(res(g, 'uid')).toEqual([7, 7, 7]);
  });

  it('setfsuid returns the previous fsuid; getresuid faults in order', () => {
    const f = makeFixture();
    expect(f.call('setfsuid', 55)).toBe(0n);
    expect(f.call('setfsuid', -1)).toBe(55n);
    expect(f.call('setfsuid', 0)).toBe(55n);
    expect(f.call('getresuid', D, LAYOUT.ro, D + 8)).toBe(err(E.EFAULT));
    expect(f.call('getresuid', 0, D, D)).toBe(err(E.EFAULT));
  });

  it('a changed effective id makes the process non-dumpable', () => {
    const f = makeFixture();
    expect(f.call('prctl', PR_GET_DUMPABLE)).toBe(1n);
    expect(f.call('setresuid', 0, 0, 0)).toBe(0n); // no-op
    expect(f.call('prctl', PR_GET_DUMPABLE)).toBe(1n);
    expect(f.call('setresuid', -1, 1000, -1)).toBe(0n);
    expect(f.call('prctl', PR_GET_DUMPABLE)).toBe(0n);
  });

  it('PR_SET_KEEPCAPS keeps the permitted set when every uid leaves 0; capset raises it again', () => {
    const f = makeFixture();
    const caps = () => {
      f.mem.write(D, new Uint8Array(new Uint32Array([0x20080522, 0]).buffer));
      expect(f.call('capget', D, D + 8)).toBe(0n);
      return [...new Uint32Array(f.mem.read(D + 8, 24).buffer)]; // eff, perm, inh for words 0 and 1
    };
    expect(caps()).toEqual([0xffffffff, 0xffffffff, 0, 0x1ff, 0x1ff, 0]); // 41 capabilities (6.1)
    expect(f.call('prctl', PR_SET_KEEPCAPS, 1)).toBe(0n);
    expect(f.call('setresuid', 1000, 1000, 1000)).toBe(0n);
    expect(caps()).toEqual([0, 0xffffffff, 0, 0, 0x1ff, 0]);
    expect(f.call('setresuid', 0, 0, 0)).toBe(err(E.EPERM)); // nothing effective
    f.mem.write(D, new Uint8Array(new Uint32Array([0x20080522, 0, 1 << 7, 1 << 7, 0, 0, 0, 0]).buffer));
    expect(f.call('capset', D, D + 8)).toBe(0n); // CAP_SETUID effective again
    expect(f.call('setresuid', 0, 0, 0)).toBe(0n);
    const g = makeFixture();
    expect(g.call('setresuid', 1000, 1000, 1000)).toBe(0n);
    g.mem.write(D, new Uint8Array(new Uint32Array([0x20080522, 0]).buffer));
    expect(g.call('capget', D, D + 8)).toBe(0n);
    expect([...new Uint32Array(g.mem.read(D + 8, 24).buffer)]).toEqual([0, 0, 0, 0, 0, 0]);
  });

  it('capget/capset versions and errors', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(new Uint32Array([1, 0]).buffer));
    expect(f.call('capget', D, 0)).toBe(0n); // a version probe
    expect(f.mem.readU32(D)).toBe(0x20080522);
    f.mem.write(D, new Uint8Array(new Uint32Array([1, 0]).buffer));
    expect(f.call('capget', D, D + 8)).toBe(err(E.EINVAL));
    f.mem.write(D, new Uint8Array(new Uint32Array([0x19980330, 0]).buffer));
    expect(f.call('capget', D, D + 8)).toBe(0n);
    f.mem.write(D, new Uint8Array(new Uint32Array([0x20080522, 5]).buffer));
    expect(f.call('capget', D, D + 8)).toBe(err(E.ESRCH));
    expect(f.call('capset', D, D + 8)).toBe(err(E.EPERM));
    expect(f.call('capget', LAYOUT.unmapped, D)).toBe(err(E.EFAULT));
  });

});

describe('group ids and supplementary groups', () => {
  it('setresgid / setregid / setgid follow the uid rules with CAP_SETGID', () => {
    const f = makeFixture();
    expect(f.call('setregid', 10, 20)).toBe(0n);
    expect(res(f, 'gid')).toEqual([10, 20, 20]);
    expect(f.call('setgid', 30)).toBe(0n); // root: all three
    expect(res(f, 'gid')).toEqual([30, 30, 30]);
    expect(f.call('setresuid', 1000, 1000, 1000)).toBe(0n);
    expect(f.call('setgid', 31)).toBe(err(E.EPERM));
    expect(f.call('setresgid', -1, 30, -1)).toBe(0n);
    expect(f.call('setfsgid', 31)).toBe(30n);
    expect(f.call('setfsgid', -1)).toBe(30n); // unchanged: not permitted
  });

  it('groups start empty; setgroups sorts; size rules (x86)', () => {
    const f = makeFixture();
    expect(f.call('getgroups', 0, 0)).toBe(0n);
    f.mem.write(D, new Uint8Array(Uint32Array.from([30, 10, 20]).buffer));
    expect(f.call('setgroups', 3, D)).toBe(0n);
    expect(f.call('getgroups', 0, 0)).toBe(3n);
    expect(f.call('getgroups', 2, D + 0x100)).toBe(err(E.EINVAL));
    expect(f.call('getgroups', -1, D + 0x100)).toBe(err(E.EINVAL));
    expect(f.call('getgroups', 8, D + 0x100)).toBe(3n);
    expect([...new Uint32Array(f.mem.read(D + 0x100, 12).buffer)]).toEqual([10, 20, 30]);
    expect(f.call('getgroups', 8, LAYOUT.ro)).toBe(err(E.EFAULT));
    expect(f.call('setgroups', 65537, D)).toBe(err(E.EINVAL));
    expect(f.call('setgroups', 1, LAYOUT.unmapped)).toBe(err(E.EFAULT));
    f.mem.write(D, new Uint8Array(Uint32Array.from([0xffffffff]).buffer));
    expect(f.call('setgroups', 1, D)).toBe(err(E.EINVAL));
    expect(f.call('setgroups', 0, 0)).toBe(0n);
    expect(f.call('getgroups', 0, 0)).toBe(0n);
    f.call('setresuid', 1, 1, 1);
    expect(f.call('setgroups', 0, 0)).toBe(err(E.EPERM));
  });
});
