// sysinfo, rlimits, personality, prctl, getcpu, membarrier, sessions, wait, host names.
// Expected behaviour: man 2 sysinfo / getrlimit / personality / prctl / getcpu / membarrier /
// setpgid / setsid / wait4 / waitid / sethostname and Linux 6.1 kernel/sys.c,
// kernel/sched/membarrier.c, kernel/exit.c; struct layouts from the riscv64 headers
// (sysinfo: 112 bytes, procs at 80, mem_unit at 104 — riscv64-linux-gnu-gcc offsetof).

import { describe, expect, it } from 'vitest';
import { ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { LAYOUT, cString, err, makeFixture } from '../test-support.ts';

const D = LAYOUT.data;
const INF = (1n << 64n) - 1n;
const RLIMIT = { CPU: 0, FSIZE: 1, STACK: 3, CORE: 4, NPROC: 6, NOFILE: 7 };
const PR = { SET_PDEATHSIG: 1, GET_PDEATHSIG: 2, GET_DUMPABLE: 3, SET_DUMPABLE: 4, GET_UNALIGN: 5, GET_KEEPCAPS: 7, SET_NAME: 15, GET_NAME: 16, GET_SECCOMP: 21, SET_SECCOMP: 22, CAPBSET_READ: 23, GET_TIMERSLACK: 30, SET_TIMERSLACK: 29, SET_NO_NEW_PRIVS: 38, GET_NO_NEW_PRIVS: 39, SET_THP_DISABLE: 41, GET_THP_DISABLE: 42, GET_TID_ADDRESS: 40, MCE_KILL_GET: 34 };

const u64s = (f: ReturnType<typeof makeFixture>, at: number, n: number) => [...new BigUint64Array(f.mem.read(at, 8 * n).buffer)];

describe('sysinfo', () => {
  it('a 4 GiB machine without swap, uptime rounded up, one thread', () => {
    const f = makeFixture();
    f.cpu.instret = 500_000_000; // monotonic 1.5 s
    f.mem.write(D, new Uint8Array(120).fill(0xaa));
    expect(f.call('sysinfo', D)).toBe(0n);
    const v = new DataView(f.mem.read(D, 120).buffer);
    expect(v.getBigInt64(0, true)).toBe(2n); // uptime
    expect([1, 2, 3].map((i) => v.getBigUint64(8 * i, true))).toEqual([0n, 0n, 0n]); // loads
    expect(v.getBigUint64(32, true)).toBe(4n << 30n); // totalram
    const free = v.getBigUint64(40, true);
    expect(free > 0n && free < 4n << 30n).toBe(true);
    expect([v.getBigUint64(64, true), v.getBigUint64(72, true)]).toEqual([0n, 0n]); // swap
    expect(v.getUint16(80, true)).toBe(1);
    expect(v.getUint32(104, true)).toBe(1); // mem_unit
    expect(v.getUint8(112)).toBe(0xaa); // nothing past the struct
    expect(f.call('sysinfo', LAYOUT.ro)).toBe(err(E.EFAULT));
  });

  it('--mem sets totalram and the thread limits', () => {
    const f = makeFixture({ memBytes: 1 << 30 });
    f.call('sysinfo', D);
    expect(u64s(f, D + 32, 1)).toEqual([1n << 30n]);
    f.call('getrlimit', RLIMIT.NPROC, D);
    expect(u64s(f, D, 2)).toEqual([4096n, 4096n]); // 2^30 / 4096 / 32 / 2
  });
});

describe('getrlimit / setrlimit', () => {
  it('defaults, round trip, errors', () => {
    const f = makeFixture();
    expect(f.call('getrlimit', RLIMIT.STACK, D)).toBe(0n);
    expect(u64s(f, D, 2)).toEqual([8n << 20n, INF]);
    expect(f.call('getrlimit', RLIMIT.NPROC, D)).toBe(0n);
    expect(u64s(f, D, 2)).toEqual([16384n, 16384n]);
    f.mem.write(D, new Uint8Array(new BigUint64Array([10n, 20n]).buffer));
    expect(f.call('setrlimit', RLIMIT.CORE, D)).toBe(0n);
    expect(f.call('getrlimit', RLIMIT.CORE, D + 0x20)).toBe(0n);
    expect(u64s(f, D + 0x20, 2)).toEqual([10n, 20n]);
    expect(f.call('getrlimit', 16, D)).toBe(err(E.EINVAL));
    expect(f.call('getrlimit', RLIMIT.CORE, LAYOUT.ro)).toBe(err(E.EFAULT));
    expect(f.call('setrlimit', RLIMIT.CORE, LAYOUT.unmapped)).toBe(err(E.EFAULT));
    f.mem.write(D, new Uint8Array(new BigUint64Array([30n, 20n]).buffer));
    expect(f.call('setrlimit', RLIMIT.CORE, D)).toBe(err(E.EINVAL));
  });

  it('raising a hard limit needs CAP_SYS_RESOURCE', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(new BigUint64Array([10n, 20n]).buffer));
    f.call('setrlimit', RLIMIT.CORE, D);
    f.call('setresuid', 1, 1, 1);
    f.mem.write(D, new Uint8Array(new BigUint64Array([10n, 21n]).buffer));
    expect(f.call('setrlimit', RLIMIT.CORE, D)).toBe(err(E.EPERM));
    f.mem.write(D, new Uint8Array(new BigUint64Array([5n, 15n]).buffer));
    expect(f.call('setrlimit', RLIMIT.CORE, D)).toBe(0n);
  });

  it('a finite RLIMIT_CPU is taken (SIGXCPU and SIGKILL come from the CPU-time check: corpus cpu-limit), and a finite RLIMIT_FSIZE (vfs/fsize.test.ts)', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(new BigUint64Array([INF, INF]).buffer));
    expect(f.call('setrlimit', RLIMIT.CPU, D)).toBe(0n);
    f.mem.write(D, new Uint8Array(new BigUint64Array([5n, INF]).buffer));
    expect(f.call('setrlimit', RLIMIT.CPU, D)).toBe(0n);
    expect(f.kernel.state.limits[RLIMIT.CPU]).toEqual({ cur: 5n, max: INF });
    expect(f.call('setrlimit', RLIMIT.FSIZE, D)).toBe(0n);
    expect(f.kernel.state.limits[RLIMIT.FSIZE]).toEqual({ cur: 5n, max: INF });
  });
});

describe('personality', () => {
  it('returns the old persona; 0xffffffff only queries', () => {
    const f = makeFixture();
    expect(f.call('personality', 0xffffffff)).toBe(0n);
    expect(f.call('personality', 0x0040000)).toBe(0n); // ADDR_NO_RANDOMIZE
    expect(f.call('personality', 0xffffffff)).toBe(0x0040000n);
    expect(f.call('personality', 0)).toBe(0x0040000n);
  });
});

describe('prctl', () => {
  it('PR_SET_NAME / PR_GET_NAME: at most 15 bytes, per thread; starts as the program name', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(16).fill(0xff));
    expect(f.call('prctl', PR.GET_NAME, D)).toBe(0n);
    expect(Buffer.from(f.mem.read(D, 16)).toString('latin1')).toBe('hello' + '\0'.repeat(11));
    cString(f.mem, D + 0x40, 'a-very-long-thread-name');
    expect(f.call('prctl', PR.SET_NAME, D + 0x40)).toBe(0n);
    expect(f.call('prctl', PR.GET_NAME, D)).toBe(0n);
    expect(Buffer.from(f.mem.read(D, 16)).toString('latin1')).toBe('a-very-long-thr\0');
    expect(f.call('prctl', PR.SET_NAME, LAYOUT.unmapped)).toBe(err(E.EFAULT));
    expect(f.call('prctl', PR.GET_NAME, LAYOUT.ro)).toBe(err(E.EFAULT));
  });

  it('dumpable, pdeathsig, keepcaps, seccomp, no_new_privs, THP, timer slack, MCE', () => {
    const f = makeFixture();
    expect(f.call('prctl', PR.GET_DUMPABLE)).toBe(1n);
    expect(f.call('prctl', PR.SET_DUMPABLE, 2)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR.SET_DUMPABLE, 0)).toBe(0n);
    expect(f.call('prctl', PR.GET_DUMPABLE)).toBe(0n);
    expect(f.call('prctl', PR.SET_PDEATHSIG, 65)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR.SET_PDEATHSIG, 9)).toBe(0n);
    expect(f.call('prctl', PR.GET_PDEATHSIG, D)).toBe(0n);
    expect(f.mem.readU32(D)).toBe(9);
    expect(f.call('prctl', PR.GET_KEEPCAPS)).toBe(0n);
    expect(f.call('prctl', PR.GET_SECCOMP)).toBe(0n);
    expect(() => f.call('prctl', PR.SET_SECCOMP, 1)).toThrow(ZerosysStop);
    expect(f.call('prctl', PR.SET_NO_NEW_PRIVS, 2)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR.SET_NO_NEW_PRIVS, 1)).toBe(0n);
    expect(f.call('prctl', PR.GET_NO_NEW_PRIVS)).toBe(1n);
    expect(f.call('prctl', PR.GET_THP_DISABLE)).toBe(0n);
    expect(f.call('prctl', PR.SET_THP_DISABLE, 1)).toBe(0n);
    expect(f.call('prctl', PR.GET_THP_DISABLE)).toBe(1n);
    expect(f.call('prctl', PR.GET_TIMERSLACK)).toBe(50000n);
    expect(f.call('prctl', PR.SET_TIMERSLACK, 7)).toBe(0n);
    expect(f.call('prctl', PR.GET_TIMERSLACK)).toBe(7n);
    expect(f.call('prctl', PR.SET_TIMERSLACK, 0)).toBe(0n);
    expect(f.call('prctl', PR.GET_TIMERSLACK)).toBe(50000n);
    expect(f.call('prctl', PR.MCE_KILL_GET)).toBe(2n);
    expect(f.call('prctl', PR.CAPBSET_READ, 40)).toBe(1n);
    expect(f.call('prctl', PR.CAPBSET_READ, 41)).toBe(err(E.EINVAL));
    expect(f.call('prctl', PR.GET_UNALIGN, D)).toBe(err(E.EINVAL)); // not on riscv64 6.1
    expect(f.call('prctl', 1000)).toBe(err(E.EINVAL));
  });

  it('PR_GET_TID_ADDRESS reports set_tid_address', () => {
    const f = makeFixture();
    f.call('set_tid_address', D + 0x80);
    expect(f.call('prctl', PR.GET_TID_ADDRESS, D)).toBe(0n);
    expect(u64s(f, D, 1)).toEqual([BigInt(D + 0x80)]);
  });
});

describe('getcpu / membarrier', () => {
  it('CPU 0, node 0; EFAULT after trying both', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(8).fill(0xff));
    expect(f.call('getcpu', D, D + 4, 0)).toBe(0n);
    expect(u64s(f, D, 1)).toEqual([0n]);
    expect(f.call('getcpu', 0, 0, 0)).toBe(0n);
    f.mem.write(D, new Uint8Array(8).fill(0xff));
    expect(f.call('getcpu', LAYOUT.ro, D, 0)).toBe(err(E.EFAULT));
    expect(f.mem.readU32(D)).toBe(0);
  });

  it('QUERY, registration before PRIVATE_EXPEDITED, unsupported commands', () => {
    const f = makeFixture();
    expect(f.call('membarrier', 0, 0, 0)).toBe(31n);
    expect(f.call('membarrier', 0, 1, 0)).toBe(err(E.EINVAL)); // flags
    expect(f.call('membarrier', 1, 0, 0)).toBe(0n);
    expect(f.call('membarrier', 8, 0, 0)).toBe(err(E.EPERM));
    expect(f.call('membarrier', 16, 0, 0)).toBe(0n);
    expect(f.call('membarrier', 8, 0, 0)).toBe(0n);
    expect(f.call('membarrier', 32, 0, 0)).toBe(err(E.EINVAL)); // SYNC_CORE
    expect(f.call('membarrier', 128, 1, 0)).toBe(err(E.EINVAL)); // RSEQ
    expect(f.call('membarrier', 3, 0, 0)).toBe(err(E.EINVAL));
  });
});

describe('process groups and sessions', () => {
  it('starts in the shell\'s group and session; setsid makes a new one', () => {
    const f = makeFixture();
    expect(f.call('getpgid', 0)).toBe(999n);
    expect(f.call('getsid', 1000)).toBe(999n);
    expect(f.call('getpgid', 4242)).toBe(err(E.ESRCH));
    expect(f.call('setpgid', 0, -1)).toBe(err(E.EINVAL));
    expect(f.call('setpgid', 4242, 0)).toBe(err(E.ESRCH));
    expect(f.call('setpgid', 0, 0)).toBe(0n); // own group
    expect(f.call('getpgid', 0)).toBe(1000n);
    expect(f.call('setsid')).toBe(err(E.EPERM)); // a group leader
    expect(f.call('setpgid', 0, 999)).toBe(0n); // back to the shell's group
    expect(f.call('setsid')).toBe(1000n);
    expect([f.call('getsid', 0), f.call('getpgid', 0)]).toEqual([1000n, 1000n]);
    expect(f.call('setpgid', 0, 0)).toBe(err(E.EPERM)); // a session leader
  });
});

describe('wait4 / waitid', () => {
  it('ECHILD after the argument checks', () => {
    const f = makeFixture();
    expect(f.call('wait4', -1, 0, 0, 0)).toBe(err(E.ECHILD));
    expect(f.call('wait4', -1, 0, 0x100, 0)).toBe(err(E.EINVAL));
    expect(f.call('wait4', -(2 ** 31), 0, 0, 0)).toBe(err(E.ESRCH));
    expect(f.call('waitid', 0, 0, D, 4, 0)).toBe(err(E.ECHILD)); // P_ALL, WEXITED
    expect(f.call('waitid', 0, 0, D, 1, 0)).toBe(err(E.EINVAL)); // no WEXITED/WSTOPPED/WCONTINUED
    expect(f.call('waitid', 1, 0, D, 4, 0)).toBe(err(E.EINVAL)); // P_PID 0
    expect(f.call('waitid', 9, 0, D, 4, 0)).toBe(err(E.EINVAL));
  });
});

describe('sethostname / setdomainname', () => {
  it('changes what uname shows; EINVAL past 64 bytes; EPERM without CAP_SYS_ADMIN', () => {
    const f = makeFixture();
    f.mem.write(D, Uint8Array.from(Buffer.from('box')));
    expect(f.call('sethostname', D, 3)).toBe(0n);
    expect(f.call('setdomainname', D, 2)).toBe(0n);
    expect(f.call('uname', D + 0x100)).toBe(0n);
    const field = (i: number) => Buffer.from(f.mem.read(D + 0x100 + 65 * i, 65)).toString('latin1').split('\0')[0];
    expect([field(1), field(5)]).toEqual(['box', 'bo']);
    expect(f.call('sethostname', D, 65)).toBe(err(E.EINVAL));
    expect(f.call('sethostname', LAYOUT.unmapped, 3)).toBe(err(E.EFAULT));
    f.call('setresuid', 1, 1, 1);
    expect(f.call('sethostname', D, 3)).toBe(err(E.EPERM));
  });
});
