// signalfd4(2) and reading, polling and waiting on a signalfd. Expected values follow Linux 6.1
// fs/signalfd.c (SYSCALL_DEFINE4(signalfd4), do_signalfd4, signalfd_read, signalfd_dequeue,
// signalfd_copyinfo, signalfd_poll), kernel/signal.c (dequeue_signal: the thread's queue
// before the process's, lowest number first; siginfo_layout; signalfd_notify in
// __send_signal_locked and send_sigqueue) and signalfd(2). struct signalfd_siginfo
// (<linux/signalfd.h>, 128 bytes): ssi_signo @0, ssi_errno @4, ssi_code @8, ssi_pid @12,
// ssi_uid @16, ssi_fd @20, ssi_tid @24, ssi_band @28, ssi_overrun @32, ssi_trapno @36,
// ssi_status @40, ssi_int @44, ssi_ptr @48, ssi_utime @56, ssi_stime @64, ssi_addr @72.
// The guest is pid 1000, uid 0 (process/identity.ts); si_code values from <asm-generic/siginfo.h>:
// SI_USER 0, SI_KERNEL 0x80, SI_QUEUE -1, SI_TIMER -2, SI_TKILL -6; CLD_EXITED 1.

import { describe, expect, it } from 'vitest';
import { ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { SA_RESTART, SIG_BLOCK } from '../abi.ts';
import { LAYOUT, err, makeFixture, type Fixture } from '../test-support.ts';
import { GLIBC_THREAD_FLAGS, SP, STACK_TOP, makeThreadsFixture, type ThreadsFixture } from '../sched/test-threads.ts';
import { siginfoLayout } from './siginfo.ts';
import { SignalFd } from './signalfd.ts';

const D = LAYOUT.data;
const MASK = D + 0x10;
const BUF = D + 0x1000; // room for 8 records
const HANDLER = 0x40000;
const [SIGKILL, SIGUSR1, SIGUSR2, SIGALRM, SIGSTOP, SIGCHLD, SIGRTMIN] = [9, 10, 12, 14, 19, 17, 32];
const SFD_NONBLOCK = 0o4000;
const SFD_CLOEXEC = 0o2000000;
const POLLIN = 1;
const [SI_USER, SI_KERNEL, SI_QUEUE, SI_TIMER, SI_TKILL] = [0, 0x80, -1, -2, -6];
const bit = (sig: number) => 1n << BigInt(sig - 1);
const bits = (...sigs: number[]) => sigs.reduce((m, s) => m | bit(s), 0n);

type AnyFixture = Fixture | ThreadsFixture;

function putMask(f: AnyFixture, mask: bigint, at = MASK): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, mask, true);
  f.mem.write(at, new Uint8Array(v.buffer));
  return at;
}
function block(f: Fixture, ...sigs: number[]): void {
  expect(f.call('rt_sigprocmask', SIG_BLOCK, putMask(f, bits(...sigs), D + 0x20), 0, 8)).toBe(0n);
}
function create(f: Fixture, mask: bigint, flags = SFD_NONBLOCK): number {
  const fd = f.call('signalfd4', -1, putMask(f, mask), 8, flags);
  expect(fd).toBeGreaterThan(2n);
  return Number(fd);
}
/** rt_sigqueueinfo(pid, sig, {si_code, si_pid, si_uid, sival}) and friends: the 128-byte siginfo at D + 0x100. */
function siginfo(f: AnyFixture, code: number, words: [number, number, bigint, ...bigint[]]): number {
  const v = new DataView(new ArrayBuffer(128));
  v.setInt32(8, code, true);
  v.setInt32(16, words[0], true);
  v.setUint32(20, words[1], true);
  words.slice(2).forEach((w, i) => v.setBigUint64(24 + 8 * i, BigInt.asUintN(64, w as bigint), true));
  f.mem.write(D + 0x100, new Uint8Array(v.buffer));
  return D + 0x100;
}

interface Record {
  signo: number;
  errno: number;
  code: number;
  pid: number;
  uid: number;
  fd: number;
  tid: number;
  band: number;
  overrun: number;
  trapno: number;
  status: number;
  int: number;
  ptr: bigint;
  utime: bigint;
  stime: bigint;
  addr: bigint;
  rest: number[];
}
function records(f: AnyFixture, n: number, at = BUF): Record[] {
  const v = new DataView(f.mem.read(at, n * 128).slice().buffer);
  return Array.from({ length: n }, (_, i) => {
    const o = i * 128;
    return {
      signo: v.getUint32(o, true),
      errno: v.getInt32(o + 4, true),
      code: v.getInt32(o + 8, true),
      pid: v.getUint32(o + 12, true),
      uid: v.getUint32(o + 16, true),
      fd: v.getInt32(o + 20, true),
      tid: v.getUint32(o + 24, true),
      band: v.getUint32(o + 28, true),
      overrun: v.getUint32(o + 32, true),
      trapno: v.getUint32(o + 36, true),
      status: v.getInt32(o + 40, true),
      int: v.getInt32(o + 44, true),
      ptr: v.getBigUint64(o + 48, true),
      utime: v.getBigUint64(o + 56, true),
      stime: v.getBigUint64(o + 64, true),
      addr: v.getBigUint64(o + 72, true),
      rest: [...new Uint8Array(v.buffer, o + 80, 48)],
    };
  });
}
const zeros = { errno: 0, pid: 0, uid: 0, fd: 0, tid: 0, band: 0, overrun: 0, trapno: 0, status: 0, int: 0, ptr: 0n, utime: 0n, stime: 0n, addr: 0n, rest: new Array(48).fill(0) };
function pending(f: Fixture): bigint {
  expect(f.call('rt_sigpending', D + 0x30, 8)).toBe(0n);
  return new DataView(f.mem.read(D + 0x30, 8).slice().buffer).getBigUint64(0, true);
}
function poll(f: AnyFixture, fd: number): number {
  const v = new DataView(new ArrayBuffer(8));
  v.setInt32(0, fd, true);
  v.setInt16(4, POLLIN | 4 /* POLLOUT */, true);
  f.mem.write(D + 0x40, new Uint8Array(v.buffer));
  f.mem.write(D + 0x50, new Uint8Array(16)); // zero timeout
  if ('sys' in f) f.sys('ppoll', [D + 0x40, 1, D + 0x50, 0, 8]);
  else f.call('ppoll', D + 0x40, 1, D + 0x50, 0, 8);
  return new DataView(f.mem.read(D + 0x46, 2).slice().buffer).getInt16(0, true);
}

describe('siginfo_layout (kernel/signal.c)', () => {
  it('maps si_code to the union member as Linux 6.1 does', () => {
    const cases: [number, number, string][] = [
      [SIGUSR1, SI_USER, 'kill'],
      [SIGUSR1, SI_KERNEL, 'kill'],
      [SIGUSR1, SI_TKILL, 'rt'],
      [SIGUSR1, SI_QUEUE, 'rt'],
      [SIGUSR1, -3 /* SI_MESGQ */, 'rt'],
      [SIGRTMIN, SI_TIMER, 'timer'],
      [SIGUSR1, -5 /* SI_SIGIO */, 'poll'],
      [SIGUSR1, 6 /* NSIGPOLL */, 'poll'],
      [SIGUSR1, 7, 'kill'],
      [4 /* SIGILL */, 11 /* NSIGILL */, 'fault'],
      [4, 12, 'kill'], // past NSIGILL and NSIGPOLL
      [4, 3, 'fault'],
      [11 /* SIGSEGV */, 3 /* SEGV_BNDERR */, 'fault-bnderr'],
      [11, 4 /* SEGV_PKUERR */, 'fault-pkuerr'],
      [7 /* SIGBUS */, 5 /* BUS_MCEERR_AO */, 'fault-mceerr'],
      [5 /* SIGTRAP */, 6 /* TRAP_PERF */, 'fault-perf-event'],
      [SIGCHLD, 6 /* CLD_CONTINUED */, 'chld'],
      [SIGCHLD, 7, 'kill'],
      [29 /* SIGPOLL */, 1, 'poll'],
      [31 /* SIGSYS */, 1, 'sys'],
      // past sig_sicodes[SIGSYS].limit (NSIGSYS, 2): `else if (si_code <= NSIGPOLL) layout = SIL_POLL`
      [31, 3, 'poll'],
    ];
    for (const [sig, code, layout] of cases) expect(siginfoLayout(sig, code), `${sig}/${code}`).toBe(layout);
  });
});

describe('signalfd4 arguments', () => {
  it('checks sizemask, then the mask pointer, then the flags, then the descriptor', () => {
    const f = makeFixture();
    putMask(f, bit(SIGUSR1));
    for (const size of [0, 4, 7, 16, 128]) expect(f.call('signalfd4', -1, MASK, size, 0), `size ${size}`).toBe(err(E.EINVAL));
    expect(f.call('signalfd4', -1, LAYOUT.unmapped, 16, 0)).toBe(err(E.EINVAL)); // sizemask first
    expect(f.call('signalfd4', -1, LAYOUT.unmapped, 8, 0)).toBe(err(E.EFAULT));
    expect(f.call('signalfd4', -1, 0, 8, 0)).toBe(err(E.EFAULT));
    expect(f.call('signalfd4', -1, LAYOUT.unmapped, 8, 1)).toBe(err(E.EFAULT)); // copy_from_user before the flags
    for (const flags of [1, 2, 0o2000 /* O_APPEND */, 0o40000, 1 << 30, -1]) expect(f.call('signalfd4', -1, MASK, 8, flags), `flags ${flags}`).toBe(err(E.EINVAL));
    expect(f.call('signalfd4', 99, MASK, 8, 0o2000)).toBe(err(E.EINVAL)); // the flags before fdget
    expect(f.call('signalfd4', 99, MASK, 8, 0)).toBe(err(E.EBADF));
    expect(f.call('signalfd4', -2, MASK, 8, 0)).toBe(err(E.EBADF)); // only -1 creates
    const efd = Number(f.call('eventfd2', 0, 0));
    expect(f.call('signalfd4', efd, MASK, 8, 0)).toBe(err(E.EINVAL));
    expect(f.call('signalfd4', 1, MASK, 8, 0)).toBe(err(E.EINVAL)); // stdout is not a signalfd either
  });

  it('creates an anonymous [signalfd] inode, O_RDWR with O_NONBLOCK and FD_CLOEXEC as asked', () => {
    const f = makeFixture();
    const fd = Number(f.call('signalfd4', -1, putMask(f, bit(SIGUSR1)), 8, SFD_NONBLOCK | SFD_CLOEXEC));
    expect(fd).toBe(3);
    expect(f.call('fcntl', fd, 1 /* F_GETFD */)).toBe(1n);
    expect(f.call('fcntl', fd, 3 /* F_GETFL */)).toBe(BigInt(0o2 | SFD_NONBLOCK));
    const plain = Number(f.call('signalfd4', -1, MASK, 8, 0));
    expect(plain).toBe(4);
    expect(f.call('fcntl', plain, 1)).toBe(0n);
    expect(f.call('fcntl', plain, 3)).toBe(2n);
    f.mem.write(D + 0x800, Buffer.from(`/proc/self/fd/${fd}\0`));
    const n = Number(f.call('readlinkat', -100, D + 0x800, BUF, 100));
    expect(Buffer.from(f.mem.read(BUF, n)).toString()).toBe('anon_inode:[signalfd]');
    // fstat: the anon_inodefs inode, mode 0600 without a file type
    expect(f.call('fstat', fd, BUF)).toBe(0n);
    expect(new DataView(f.mem.read(BUF + 16, 4).slice().buffer).getUint32(0, true)).toBe(0o600);
  });

  it('drops SIGKILL and SIGSTOP from the mask; an update replaces the mask and ignores the flags', () => {
    const f = makeFixture();
    const fd = Number(f.call('signalfd4', -1, putMask(f, (1n << 64n) - 1n), 8, 0));
    const sfd = f.kernel.state.fds.get(fd) as SignalFd;
    expect(sfd.mask).toBe(((1n << 64n) - 1n) & ~bits(SIGKILL, SIGSTOP));
    expect(f.call('signalfd4', fd, putMask(f, bits(SIGUSR2, SIGKILL)), 8, SFD_NONBLOCK | SFD_CLOEXEC)).toBe(BigInt(fd));
    expect(sfd.mask).toBe(bit(SIGUSR2));
    expect(f.call('fcntl', fd, 3)).toBe(2n); // still blocking: flags only act on creation
    expect(f.call('fcntl', fd, 1)).toBe(0n);
    expect(f.call('signalfd4', fd, putMask(f, 0n), 8, 0o2000)).toBe(err(E.EINVAL)); // bad flags on update too
    expect(sfd.mask).toBe(bit(SIGUSR2));
  });
});

describe('reading a signalfd', () => {
  it('a blocked signal sent with kill reads as SI_USER with the sender pid and uid, and is consumed', () => {
    const f = makeFixture();
    block(f, SIGUSR1);
    const fd = create(f, bit(SIGUSR1));
    expect(f.call('kill', 1000, SIGUSR1)).toBe(0n);
    expect(pending(f)).toBe(bit(SIGUSR1));
    expect(f.call('read', fd, BUF, 128)).toBe(128n);
    expect(records(f, 1)[0]).toEqual({ ...zeros, signo: SIGUSR1, code: SI_USER, pid: 1000, uid: 0 });
    expect(pending(f)).toBe(0n);
    expect(f.call('read', fd, BUF, 128)).toBe(err(E.EAGAIN));
  });

  it('a buffer smaller than one record is EINVAL and leaves the signal pending; a partial second record is not filled', () => {
    const f = makeFixture();
    block(f, SIGUSR1, SIGUSR2);
    const fd = create(f, bits(SIGUSR1, SIGUSR2));
    expect(f.call('read', fd, BUF, 127)).toBe(err(E.EINVAL)); // count /= 128 before any dequeue
    expect(f.call('read', fd, BUF, 0)).toBe(err(E.EINVAL));
    f.call('kill', 1000, SIGUSR1);
    f.call('kill', 1000, SIGUSR2);
    expect(f.call('read', fd, BUF, 100)).toBe(err(E.EINVAL));
    expect(pending(f)).toBe(bits(SIGUSR1, SIGUSR2));
    expect(f.call('read', fd, BUF, 255)).toBe(128n); // one record fits
    expect(records(f, 1)[0].signo).toBe(SIGUSR1); // lowest number first
    expect(pending(f)).toBe(bit(SIGUSR2));
  });

  it('EAGAIN with nothing of its mask pending under SFD_NONBLOCK; other pending signals stay', () => {
    const f = makeFixture();
    block(f, SIGUSR1, SIGUSR2);
    const fd = create(f, bit(SIGUSR1));
    expect(f.call('read', fd, BUF, 128)).toBe(err(E.EAGAIN));
    f.call('kill', 1000, SIGUSR2);
    expect(f.call('read', fd, BUF, 128)).toBe(err(E.EAGAIN));
    expect(pending(f)).toBe(bit(SIGUSR2));
    // F_SETFL O_NONBLOCK off: now the read would wait, and with one thread that never ends
    expect(f.call('fcntl', fd, 4 /* F_SETFL */, 0)).toBe(0n);
    expect(() => f.call('read', fd, BUF, 128)).toThrow(ZerosysStop);
  });

  it('the thread\'s own queue before the process\'s: tgkill SIGUSR2 reads before kill SIGUSR1', () => {
    const f = makeFixture();
    block(f, SIGUSR1, SIGUSR2);
    const fd = create(f, bits(SIGUSR1, SIGUSR2));
    f.call('kill', 1000, SIGUSR1);
    f.call('tgkill', 1000, 1000, SIGUSR2);
    expect(f.call('read', fd, BUF, 8 * 128)).toBe(256n);
    const [a, b] = records(f, 2);
    expect(a).toEqual({ ...zeros, signo: SIGUSR2, code: SI_TKILL, pid: 1000, uid: 0 });
    expect(b).toEqual({ ...zeros, signo: SIGUSR1, code: SI_USER, pid: 1000, uid: 0 });
  });

  it('SI_QUEUE from rt_sigqueueinfo carries pid, uid, sival_int and sival_ptr; real-time signals queue each instance in order', () => {
    const f = makeFixture();
    block(f, SIGRTMIN, SIGRTMIN + 1);
    const fd = create(f, bits(SIGRTMIN, SIGRTMIN + 1));
    const big = 0x1234_5678_0000_002an; // sival_ptr; sival_int is its low half, 42
    expect(f.call('rt_sigqueueinfo', 1000, SIGRTMIN + 1, siginfo(f, SI_QUEUE, [77, 5, big]))).toBe(0n);
    expect(f.call('rt_sigqueueinfo', 1000, SIGRTMIN, siginfo(f, SI_QUEUE, [1000, 0, 7n]))).toBe(0n);
    expect(f.call('rt_sigqueueinfo', 1000, SIGRTMIN, siginfo(f, SI_QUEUE, [1000, 0, -3n]))).toBe(0n);
    expect(f.call('read', fd, BUF, 8 * 128)).toBe(3n * 128n);
    const r = records(f, 3);
    expect(r[0]).toEqual({ ...zeros, signo: SIGRTMIN, code: SI_QUEUE, pid: 1000, uid: 0, int: 7, ptr: 7n });
    expect(r[1]).toEqual({ ...zeros, signo: SIGRTMIN, code: SI_QUEUE, pid: 1000, uid: 0, int: -3, ptr: (1n << 64n) - 3n });
    expect(r[2]).toEqual({ ...zeros, signo: SIGRTMIN + 1, code: SI_QUEUE, pid: 77, uid: 5, int: 42, ptr: big });
  });

  it('SIGCHLD with a CLD_* code has the _sigchld layout: status, utime, stime', () => {
    const f = makeFixture();
    block(f, SIGCHLD);
    const fd = create(f, bit(SIGCHLD));
    // si_pid 4242, si_uid 7, si_status 3, si_utime 11, si_stime 12 (a code >= 0 to oneself is allowed)
    expect(f.call('rt_sigqueueinfo', 1000, SIGCHLD, siginfo(f, 1 /* CLD_EXITED */, [4242, 7, 3n, 11n, 12n]))).toBe(0n);
    expect(f.call('read', fd, BUF, 128)).toBe(128n);
    expect(records(f, 1)[0]).toEqual({ ...zeros, signo: SIGCHLD, code: 1, pid: 4242, uid: 7, status: 3, utime: 11n, stime: 12n });
  });

  it('fills only the fields of the layout: SIGUSR1 with SI_KERNEL is _kill, a SIGSEGV code is _sigfault, a SIGPOLL-style code _sigpoll', () => {
    const f = makeFixture();
    block(f, SIGUSR1, 11, 29);
    const fd = create(f, bits(SIGUSR1, 11, 29));
    f.call('rt_sigqueueinfo', 1000, SIGUSR1, siginfo(f, SI_KERNEL, [5, 6, 9n]));
    f.call('rt_sigqueueinfo', 1000, 11, siginfo(f, 1 /* SEGV_MAPERR */, [0x1000, 0x2, 9n])); // si_addr = 0x2_00001000
    f.call('rt_sigqueueinfo', 1000, 29, siginfo(f, 2 /* POLL_OUT */, [0x10, 0, 4n])); // si_band 0x10, si_fd 4
    expect(f.call('read', fd, BUF, 8 * 128)).toBe(384n);
    // next_signal(): the synchronous signals (SIGSEGV among them) before lower-numbered ones
    const [segv, usr1, poll] = records(f, 3);
    expect(usr1).toEqual({ ...zeros, signo: SIGUSR1, code: SI_KERNEL, pid: 5, uid: 6 });
    expect(segv).toEqual({ ...zeros, signo: 11, code: 1, addr: 0x2_0000_1000n });
    expect(poll).toEqual({ ...zeros, signo: 29, code: 2, band: 0x10, fd: 4 });
  });

  it('SIGUSR1 with a positive code up to NSIGPOLL is _sigpoll too (siginfo_layout), one past it _kill', () => {
    const f = makeFixture();
    block(f, SIGUSR1, SIGUSR2);
    const fd = create(f, bits(SIGUSR1, SIGUSR2));
    f.call('rt_sigqueueinfo', 1000, SIGUSR1, siginfo(f, 6, [0x33, 0, 8n]));
    f.call('rt_sigqueueinfo', 1000, SIGUSR2, siginfo(f, 7, [0x33, 0x44, 0n]));
    expect(f.call('read', fd, BUF, 256)).toBe(256n);
    const [a, b] = records(f, 2);
    expect(a).toEqual({ ...zeros, signo: SIGUSR1, code: 6, band: 0x33, fd: 8 });
    expect(b).toEqual({ ...zeros, signo: SIGUSR2, code: 7, pid: 0x33, uid: 0x44 });
  });

  it('SIGSYS SYS_SECCOMP is _sigsys (call_addr, syscall, arch); SIGBUS BUS_MCEERR_AR is _sigfault with addr_lsb', () => {
    const f = makeFixture();
    block(f, 31, 7);
    const fd = create(f, bits(31, 7));
    // _sigsys: _call_addr @16 (0x55_00001234), _syscall @24 (93), _arch @28 (0xc00000f3, AUDIT_ARCH_RISCV64)
    f.call('rt_sigqueueinfo', 1000, 31, siginfo(f, 1 /* SYS_SECCOMP */, [0x1234, 0x55, 93n | (0xc00000f3n << 32n)]));
    // _sigfault: _addr @16, _addr_lsb @24 (a short: 12)
    f.call('rt_sigqueueinfo', 1000, 7, siginfo(f, 4 /* BUS_MCEERR_AR */, [0x3000, 0, 12n]));
    expect(f.call('read', fd, BUF, 256)).toBe(256n);
    const v = new DataView(f.mem.read(BUF, 256).slice().buffer);
    // SIGBUS (7) is synchronous: first. ssi_addr @72, ssi_addr_lsb @80
    expect([v.getUint32(0, true), v.getInt32(8, true), v.getBigUint64(72, true), v.getUint16(80, true)]).toEqual([7, 4, 0x3000n, 12]);
    // ssi_syscall @84, ssi_call_addr @88, ssi_arch @96
    expect([v.getUint32(128, true), v.getInt32(136, true), v.getInt32(128 + 84, true), v.getBigUint64(128 + 88, true), v.getUint32(128 + 96, true)]).toEqual([
      31, 1, 93, 0x55_0000_1234n, 0xc00000f3,
    ]);
    expect(records(f, 1, BUF + 128)[0]).toMatchObject({ pid: 0, uid: 0, addr: 0n, int: 0 });
  });

  it('poll: POLLIN (and nothing else) while a signal of the mask is pending', () => {
    const f = makeFixture();
    block(f, SIGUSR1, SIGUSR2);
    const fd = create(f, bit(SIGUSR1));
    expect(poll(f, fd)).toBe(0);
    f.call('kill', 1000, SIGUSR2);
    expect(poll(f, fd)).toBe(0);
    f.call('kill', 1000, SIGUSR1);
    expect(poll(f, fd)).toBe(POLLIN);
    f.call('read', fd, BUF, 128);
    expect(poll(f, fd)).toBe(0);
    // a mask update changes what it shows at once
    f.call('signalfd4', fd, putMask(f, bit(SIGUSR2)), 8, 0);
    expect(poll(f, fd)).toBe(POLLIN);
  });
});

/** The interrupted context's a0 and pc in the signal frame the handler was entered with. */
function frame(f: ThreadsFixture): { a0: bigint; pc: bigint } {
  const gregs = f.cpu.getU(SP) + 128 + 176;
  return { a0: BigInt.asIntN(64, f.mem.readBig64(gregs + 8 * 10)), pc: BigInt.asUintN(64, f.mem.readBig64(gregs)) };
}
function sigaction(f: ThreadsFixture, sig: number, handler: number, flags = 0): void {
  f.mem.write(D + 0x800, new Uint8Array(new BigUint64Array([BigInt(handler), BigInt(flags), 0n]).buffer));
  f.sys('rt_sigaction', [sig, D + 0x800, 0, 8]);
  expect(f.a0()).toBe(0n);
}
/** setitimer(ITIMER_REAL, { 0, usec }): SIGALRM (SI_KERNEL) to the process usec from now. */
function alarmIn(f: ThreadsFixture, usec: bigint): void {
  f.mem.write(D + 0x900, new Uint8Array(new BigInt64Array([0n, 0n, 0n, usec]).buffer));
  f.sys('setitimer', [0, D + 0x900, 0]);
  expect(f.a0()).toBe(0n);
}
function tblock(f: ThreadsFixture, ...sigs: number[]): void {
  f.sys('rt_sigprocmask', [SIG_BLOCK, putMask(f, bits(...sigs), D + 0x20), 0, 8]);
  expect(f.a0()).toBe(0n);
}
function tcreate(f: ThreadsFixture, mask: bigint, flags = 0): number {
  f.sys('signalfd4', [-1, putMask(f, mask), 8, flags]);
  return Number(f.a0());
}

describe('waiting on a signalfd (the scheduler)', () => {
  it('a blocking read sleeps until a signal of its mask is queued (SIGALRM from ITIMER_REAL)', () => {
    const f = makeThreadsFixture();
    tblock(f, SIGALRM);
    const fd = tcreate(f, bit(SIGALRM));
    const start = f.kernel.state.clock.monotonicNs();
    alarmIn(f, 3000n);
    f.sys('read', [fd, BUF, 256], 0x1000);
    expect(f.cpu.pc).toBe(0x1000); // suspended, then woken by signalfd_notify once the clock got there
    expect(f.kernel.state.clock.monotonicNs()).toBeGreaterThanOrEqual(start + 3_000_000n);
    f.ecall();
    expect(f.a0()).toBe(128n);
    expect(records(f, 1)[0]).toEqual({ ...zeros, signo: SIGALRM, code: SI_KERNEL, pid: 0, uid: 0 });
    expect(f.cpu.pc).toBe(0x1004);
  });

  it('a POSIX timer\'s signal reads as SI_TIMER with the timer id, overrun and sigev_value', () => {
    const f = makeThreadsFixture();
    tblock(f, SIGRTMIN);
    const fd = tcreate(f, bit(SIGRTMIN));
    // struct sigevent { sigev_value 0x77, sigev_signo SIGRTMIN, sigev_notify SIGEV_SIGNAL }
    const ev = new DataView(new ArrayBuffer(64));
    ev.setBigUint64(0, 0x77n, true);
    ev.setInt32(8, SIGRTMIN, true);
    f.mem.write(D + 0xa00, new Uint8Array(ev.buffer));
    f.sys('timer_create', [1 /* CLOCK_MONOTONIC */, D + 0xa00, D + 0xa80]);
    expect(f.a0()).toBe(0n);
    const id = f.mem.readU32(D + 0xa80);
    f.mem.write(D + 0xb00, new Uint8Array(new BigInt64Array([0n, 0n, 0n, 2_000_000n]).buffer)); // 2 ms, one-shot
    f.sys('timer_settime', [id, 0, D + 0xb00, 0]);
    expect(f.a0()).toBe(0n);
    f.sys('read', [fd, BUF, 128], 0x1000);
    f.ecall();
    expect(f.a0()).toBe(128n);
    expect(records(f, 1)[0]).toEqual({ ...zeros, signo: SIGRTMIN, code: SI_TIMER, tid: id, overrun: 0, int: 0x77, ptr: 0x77n });
  });

  it('a signal outside the mask with a handler ends the wait: EINTR, or a restart under SA_RESTART', () => {
    for (const [flags, want] of [
      [0, { a0: err(E.EINTR), pc: 0x1004n }],
      [SA_RESTART, { pc: 0x1000n }],
    ] as const) {
      const f = makeThreadsFixture();
      tblock(f, SIGUSR1);
      const fd = tcreate(f, bit(SIGUSR1));
      sigaction(f, SIGALRM, HANDLER, flags);
      alarmIn(f, 1000n);
      f.sys('read', [fd, BUF, 128], 0x1000);
      f.ecall();
      expect(f.cpu.pc).toBe(HANDLER);
      expect(frame(f)).toMatchObject(want);
    }
  });

  it('a read in one thread sees only its own thread-directed signals and the process\'s; a mask update wakes it', () => {
    const f = makeThreadsFixture();
    tblock(f, SIGUSR1, SIGUSR2);
    const fd = tcreate(f, bit(SIGUSR1));
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0x7777, D + 0x48]);
    expect(f.a0()).toBe(1001n); // the child inherits the blocked mask
    f.sys('tgkill', [1000, 1001, SIGUSR1]); // pending on thread 1001 only
    expect(poll(f, fd)).toBe(0);
    f.sys('read', [fd, BUF, 128], 0x1000); // main waits: the SIGUSR1 is not its own
    expect(f.tid()).toBe(1001);
    expect(poll(f, fd)).toBe(POLLIN); // the child's view
    f.sys('kill', [1000, SIGUSR2]); // process-wide, outside the mask: signalfd_notify wakes main...
    f.sys('sched_yield', []);
    expect(f.tid()).toBe(1000);
    f.ecall(); // ... whose read finds nothing and sleeps again
    expect(f.tid()).toBe(1001);
    expect(f.kernel.state.thread.find(1000)!.state).toBe('blocked');
    f.sys('signalfd4', [fd, putMask(f, bit(SIGUSR2)), 8, 0]); // wake_up(&sighand->signalfd_wqh)
    expect(f.a0()).toBe(BigInt(fd));
    expect(f.kernel.state.thread.find(1000)!.state).toBe('runnable');
    f.sys('exit', [0]);
    expect(f.tid()).toBe(1000);
    f.ecall();
    expect(f.a0()).toBe(128n);
    expect(records(f, 1)[0]).toMatchObject({ signo: SIGUSR2, code: SI_USER });
  });

  it('epoll_pwait on a signalfd wakes when a signal of the mask is queued', () => {
    const f = makeThreadsFixture();
    tblock(f, SIGALRM);
    const fd = tcreate(f, bit(SIGALRM), SFD_NONBLOCK);
    f.sys('epoll_create1', [0]);
    const ep = Number(f.a0());
    const ev = new DataView(new ArrayBuffer(16));
    ev.setUint32(0, POLLIN, true);
    ev.setBigUint64(8, 0xabcn, true);
    f.mem.write(D + 0x600, new Uint8Array(ev.buffer));
    f.sys('epoll_ctl', [ep, 1 /* EPOLL_CTL_ADD */, fd, D + 0x600]);
    expect(f.a0()).toBe(0n);
    f.sys('epoll_pwait', [ep, D + 0x700, 4, 0, 0, 8]);
    expect(f.a0()).toBe(0n);
    alarmIn(f, 500n);
    f.sys('epoll_pwait', [ep, D + 0x700, 4, -1, 0, 8], 0x2000);
    expect(f.cpu.pc).toBe(0x2000);
    f.ecall();
    expect(f.a0()).toBe(1n);
    const out = new DataView(f.mem.read(D + 0x700, 16).slice().buffer);
    expect(out.getUint32(0, true)).toBe(POLLIN);
    expect(out.getBigUint64(8, true)).toBe(0xabcn);
    f.sys('read', [fd, BUF, 128]);
    expect(f.a0()).toBe(128n);
    f.sys('epoll_pwait', [ep, D + 0x700, 4, 0, 0, 8]); // level-triggered, but nothing pending now
    expect(f.a0()).toBe(0n);
  });
});

describe('epoll_pwait and epoll_pwait2 interrupted by a handler', () => {
  // fs/eventpoll.c ep_poll(): `if (signal_pending(current)) return -EINTR;` — never restarted,
  // SA_RESTART or not (signal(7): epoll_wait is among the interfaces never restarted).
  for (const name of ['epoll_pwait', 'epoll_pwait2'] as const) {
    it(`${name} returns EINTR even when the handler asks for SA_RESTART`, () => {
      const f = makeThreadsFixture();
      f.sys('epoll_create1', [0]);
      const ep = Number(f.a0());
      sigaction(f, SIGALRM, HANDLER, SA_RESTART);
      alarmIn(f, 1000n);
      f.sys(name, [ep, D + 0x700, 4, name === 'epoll_pwait' ? -1 : 0, 0, 8], 0x1000);
      f.ecall();
      expect(f.cpu.pc).toBe(HANDLER);
      expect(frame(f)).toEqual({ a0: err(E.EINTR), pc: 0x1004n });
    });
  }
});
