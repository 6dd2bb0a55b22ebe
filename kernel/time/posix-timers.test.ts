// POSIX timers: timer_create(2), timer_settime(2), timer_gettime(2), timer_getoverrun(2),
// timer_delete(2). Expected values follow Linux 6.1 kernel/time/posix-timers.c
// (do_timer_create, good_sigevent, posix_timer_add, common_timer_set/get, posix_timer_fn,
// posixtimer_rearm via dequeue_signal) and posix-cpu-timers.c (posix_cpu_timer_set,
// cpu_timer_fire), on the virtual clock: CLOCK_MONOTONIC = 1 s + retired instructions + time
// blocked; CPU time = retired instructions, looked at on the 4 ms tick. Layouts from
// <asm-generic/siginfo.h> (sigevent: sigev_value @0, sigev_signo @8, sigev_notify @12, tid
// @16; siginfo _timer: si_tid @16, si_overrun @20, si_value @24) and <linux/time_types.h>
// (__kernel_itimerspec: interval, value; each { tv_sec, tv_nsec }).

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err } from '../test-support.ts';
import { GLIBC_THREAD_FLAGS, SP, STACK_TOP, makeThreadsFixture, type ThreadsFixture } from '../sched/test-threads.ts';
import {
  CLOCK_MONOTONIC,
  CLOCK_MONOTONIC_RAW,
  CLOCK_PROCESS_CPUTIME_ID,
  CLOCK_REALTIME,
  CLOCK_REALTIME_ALARM,
  CLOCK_THREAD_CPUTIME_ID,
  SA_SIGINFO,
  SIGALRM,
  SIGEV_NONE,
  SIGEV_SIGNAL,
  SIGEV_THREAD_ID,
  SIGUSR1,
  SIGUSR2,
  SIG_BLOCK,
  SI_TIMER,
  TIMER_ABSTIME,
} from '../abi.ts';
import { timerBudget } from './timers.ts';

const D = LAYOUT.data;
const HANDLER = 0x40000;
const ID = D + 0x300; // where timer_create writes the id
const bit = (sig: number) => 1n << BigInt(sig - 1);

function sigevent(f: ThreadsFixture, at: number, notify: number, signo: number, value = 0n, tid = 0): number {
  const b = new DataView(new ArrayBuffer(64));
  b.setBigUint64(0, value, true);
  b.setInt32(8, signo, true);
  b.setInt32(12, notify, true);
  b.setInt32(16, tid, true);
  f.mem.write(at, new Uint8Array(b.buffer));
  return at;
}
function spec(f: ThreadsFixture, at: number, isec: bigint, insec: bigint, vsec: bigint, vnsec: bigint): number {
  f.mem.write(at, new Uint8Array(new BigInt64Array([isec, insec, vsec, vnsec]).buffer));
  return at;
}
const read4 = (f: ThreadsFixture, at: number) => [...new BigInt64Array(f.mem.read(at, 32).slice().buffer)];

function create(f: ThreadsFixture, clock: number, sev = 0): number {
  f.sys('timer_create', [clock, sev, ID]);
  expect(f.a0()).toBe(0n);
  return f.mem.readU32(ID) | 0;
}
function sigaction(f: ThreadsFixture, sig: number, handler: number, flags = 0n): void {
  f.mem.write(D + 0x800, new Uint8Array(new BigUint64Array([BigInt(handler), flags, 0n]).buffer));
  f.sys('rt_sigaction', [sig, D + 0x800, 0, 8]);
}
function block(f: ThreadsFixture, ...sigs: number[]): void {
  f.mem.write(D + 0x880, new Uint8Array(new BigUint64Array([sigs.reduce((m, s) => m | bit(s), 0n)]).buffer));
  f.sys('rt_sigprocmask', [SIG_BLOCK, D + 0x880, 0, 8]);
}
/** rt_sigtimedwait for sig with a zero timeout, siginfo to D + 0x400. */
function take(f: ThreadsFixture, sig: number): bigint {
  f.mem.write(D + 0x8c0, new Uint8Array(new BigUint64Array([bit(sig), 0n, 0n]).buffer));
  f.sys('rt_sigtimedwait', [D + 0x8c0, D + 0x400, D + 0x8c8, 8]);
  return f.a0();
}
const si = (f: ThreadsFixture) => ({
  signo: f.mem.readU32(D + 0x400),
  code: f.mem.readU32(D + 0x408) | 0,
  tid: f.mem.readU32(D + 0x410) | 0,
  overrun: f.mem.readU32(D + 0x414) | 0,
  value: f.mem.readBig64(D + 0x418),
});

describe('timer_create', () => {
  it('hands out ids 0, 1, 2, ...; one is used up by a bad sigevent or an unwritable id, not by a bad clock', () => {
    const f = makeThreadsFixture();
    expect(create(f, CLOCK_MONOTONIC)).toBe(0);
    expect(create(f, CLOCK_REALTIME)).toBe(1);
    f.sys('timer_create', [CLOCK_MONOTONIC, sigevent(f, D, 99, SIGUSR1), ID]);
    expect(f.a0()).toBe(err(E.EINVAL)); // id 2 taken
    f.sys('timer_create', [CLOCK_MONOTONIC, 0, LAYOUT.ro]);
    expect(f.a0()).toBe(err(E.EFAULT)); // id 3 taken
    f.sys('timer_create', [10, 0, ID]); // CLOCK_SGI_CYCLE: no clock
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('timer_create', [CLOCK_MONOTONIC_RAW, 0, ID]); // a clock without timers
    expect(f.a0()).toBe(err(E.EOPNOTSUPP));
    f.sys('timer_create', [CLOCK_REALTIME_ALARM, 0, ID]); // no RTC: after the id is taken (4)
    expect(f.a0()).toBe(err(E.EOPNOTSUPP));
    expect(create(f, CLOCK_MONOTONIC)).toBe(5);
    f.sys('timer_delete', [0]);
    expect(create(f, CLOCK_MONOTONIC)).toBe(6); // not reused
  });

  it('checks the sigevent: the copy first (EFAULT), signals 1..64, a thread of this process', () => {
    const f = makeThreadsFixture();
    f.sys('timer_create', [10, LAYOUT.unmapped, ID]);
    expect(f.a0()).toBe(err(E.EFAULT)); // before the clock
    for (const [notify, signo, tid] of [[SIGEV_SIGNAL, 0, 0], [SIGEV_SIGNAL, 65, 0], [SIGEV_THREAD_ID, SIGUSR1, 0], [SIGEV_THREAD_ID, SIGUSR1, 999], [SIGEV_THREAD_ID, 0, 1000], [SIGEV_THREAD_ID | SIGEV_NONE, SIGUSR1, 1000]]) {
      f.sys('timer_create', [CLOCK_MONOTONIC, sigevent(f, D, notify, signo, 0n, tid), ID]);
      expect(f.a0(), `notify ${notify} signo ${signo} tid ${tid}`).toBe(err(E.EINVAL));
    }
    f.sys('timer_create', [CLOCK_MONOTONIC, sigevent(f, D, SIGEV_NONE, 0), ID]); // no signal needed
    expect(f.a0()).toBe(0n);
    f.sys('timer_create', [CLOCK_MONOTONIC, sigevent(f, D, SIGEV_THREAD_ID, SIGUSR1, 0n, 1000), ID]);
    expect(f.a0()).toBe(0n);
    // A CPU clock must name this process or one of its threads.
    f.sys('timer_create', [(~1234 << 3) | 2, 0, ID]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('timer_create', [(~1000 << 3) | 2, 0, ID]);
    expect(f.a0()).toBe(0n);
  });
});

describe('timer_settime, timer_gettime, timer_getoverrun, timer_delete', () => {
  it('without a sigevent: SIGALRM, SI_TIMER, si_tid and si_value the id, at the exact expiry', () => {
    const f = makeThreadsFixture();
    create(f, CLOCK_MONOTONIC);
    const id = create(f, CLOCK_MONOTONIC); // 1
    block(f, SIGALRM);
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 0n, 0n, 500n), 0]);
    expect(f.rt.budget()).toBe(499);
    f.cpu.instret += 499;
    f.rt.sliceDone();
    expect(take(f, SIGALRM)).toBe(BigInt(SIGALRM));
    expect(si(f)).toEqual({ signo: SIGALRM, code: SI_TIMER, tid: 1, overrun: 0, value: 1n });
    f.sys('timer_gettime', [id, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 0n]); // a spent one-shot timer
  });

  it('counts overruns while its signal waits, and re-arms when the signal is taken', () => {
    const f = makeThreadsFixture();
    const id = create(f, CLOCK_MONOTONIC, sigevent(f, D + 0x100, SIGEV_SIGNAL, SIGUSR1, 0x1234n));
    block(f, SIGUSR1);
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 1000n, 0n, 1000n), 0]); // every µs
    f.cpu.instret += 999;
    f.rt.sliceDone(); // fires once; not queued again while its signal waits
    f.cpu.instret += 5499; // 5.499 µs after the expiry
    f.sys('timer_gettime', [id, D + 0x40]);
    // Requeue pending: forwarded past now by 6 intervals (5 overruns counted), 501 ns left.
    expect(read4(f, D + 0x40)).toEqual([0n, 1000n, 0n, 501n]);
    expect(take(f, SIGUSR1)).toBe(BigInt(SIGUSR1));
    expect(si(f)).toMatchObject({ code: SI_TIMER, tid: id, overrun: 5, value: 0x1234n });
    f.sys('timer_getoverrun', [id]);
    expect(f.a0()).toBe(5n);
    expect(f.rt.budget()).toBe(498); // re-armed for the next microsecond
  });

  it('the old setting, ABSTIME on CLOCK_REALTIME, and a zero value disarming', () => {
    const f = makeThreadsFixture();
    const clock = f.kernel.state.clock;
    const id = create(f, CLOCK_REALTIME, sigevent(f, D + 0x100, SIGEV_SIGNAL, SIGUSR1));
    block(f, SIGUSR1);
    const real = clock.realtimeNs() + 2_000_000_000n;
    f.sys('timer_settime', [id, TIMER_ABSTIME, spec(f, D, 3n, 0n, real / 1_000_000_000n, real % 1_000_000_000n), D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 0n]);
    f.cpu.instret += 9;
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 0n, 0n, 0n), D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([3n, 0n, 1n, 999_999_990n]); // 2 s less the 10 instructions since
    f.sys('timer_gettime', [id, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 0n]);
    expect(f.rt.budget()).toBe(100_000 - f.cpu.instret); // nothing armed: the slice's end
  });

  it('SIGEV_NONE: never signals, timer_gettime counts down to 0 (one-shot) or forwards (periodic)', () => {
    const f = makeThreadsFixture();
    const once = create(f, CLOCK_MONOTONIC, sigevent(f, D + 0x100, SIGEV_NONE, 0));
    const every = create(f, CLOCK_MONOTONIC, sigevent(f, D + 0x100, SIGEV_NONE, 0));
    f.sys('timer_settime', [once, 0, spec(f, D, 0n, 0n, 0n, 2000n), 0]);
    f.sys('timer_settime', [every, 0, spec(f, D, 0n, 3000n, 0n, 2000n), 0]);
    expect(f.rt.budget()).toBe(100_000 - f.cpu.instret); // nothing queued
    f.cpu.instret += 4999;
    f.sys('timer_gettime', [once, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 0n]);
    f.sys('timer_gettime', [every, D + 0x40]);
    // Due 2000 ns after the settime, read 5001 ns after it: forwarded twice, to 8000 ns: 2999 ns left.
    expect(read4(f, D + 0x40)).toEqual([0n, 3000n, 0n, 2999n]);
    expect(f.kernel.state.signals.shared.set).toBe(0n);
  });

  it('SIGEV_THREAD_ID queues the signal for that thread', () => {
    const f = makeThreadsFixture();
    block(f, SIGUSR2); // inherited by the thread
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0, D + 0x48]);
    expect(f.a0()).toBe(1001n);
    const id = create(f, CLOCK_MONOTONIC, sigevent(f, D + 0x100, SIGEV_THREAD_ID, SIGUSR2, 0n, 1001));
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 0n, 0n, 100n), 0]);
    f.cpu.instret += 99;
    f.rt.sliceDone();
    const child = f.kernel.state.thread.find(1001)!;
    expect(child.pending.has(SIGUSR2)).toBe(true);
    expect(f.kernel.state.signals.shared.has(SIGUSR2)).toBe(false);
  });

  it('a deleted timer\'s queued signal is still delivered and re-arms nothing; its id is gone', () => {
    const f = makeThreadsFixture();
    const id = create(f, CLOCK_MONOTONIC, sigevent(f, D + 0x100, SIGEV_SIGNAL, SIGUSR1));
    block(f, SIGUSR1);
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 1000n, 0n, 1000n), 0]);
    f.cpu.instret += 999;
    f.rt.sliceDone();
    f.sys('timer_delete', [id]);
    expect(f.a0()).toBe(0n);
    expect(take(f, SIGUSR1)).toBe(BigInt(SIGUSR1));
    expect(si(f)).toMatchObject({ code: SI_TIMER, tid: id, overrun: 0 });
    for (const call of ['timer_delete', 'timer_getoverrun'] as const) {
      f.sys(call, [id]);
      expect(f.a0()).toBe(err(E.EINVAL));
    }
    f.sys('timer_gettime', [id, D + 0x40]);
    expect(f.a0()).toBe(err(E.EINVAL));
    expect(f.kernel.state.timers.armed()).toBe(false);
  });

  it('timer_settime checks in Linux\'s order: NULL, the copy, the timespecs, then the id', () => {
    const f = makeThreadsFixture();
    const id = create(f, CLOCK_MONOTONIC);
    f.sys('timer_settime', [id, 0, 0, 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('timer_settime', [77, 0, LAYOUT.unmapped, 0]);
    expect(f.a0()).toBe(err(E.EFAULT));
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 1_000_000_000n, 1n, 0n), 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 0n, -1n, 0n), 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('timer_settime', [77, 0, spec(f, D, 0n, 0n, 1n, 0n), 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 0n, 1n, 0n), LAYOUT.ro]);
    expect(f.a0()).toBe(err(E.EFAULT)); // the old setting, after the new one is in force
    f.sys('timer_gettime', [id, D + 0x40]);
    expect(read4(f, D + 0x40).slice(0, 3)).toEqual([0n, 0n, 0n]);
    f.sys('timer_gettime', [id, LAYOUT.ro]);
    expect(f.a0()).toBe(err(E.EFAULT));
  });

  it('a periodic timer whose signal is ignored re-arms itself at least a tick ahead', () => {
    const f = makeThreadsFixture();
    const id = create(f, CLOCK_MONOTONIC, sigevent(f, D + 0x100, SIGEV_SIGNAL, SIGUSR1));
    sigaction(f, SIGUSR1, 1); // SIG_IGN
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 1000n, 0n, 1000n), 0]);
    f.cpu.instret += 999;
    f.rt.sliceDone();
    // posix_timer_fn: hrtimer_forward(now + TICK_NSEC): 4001 intervals later.
    expect(timerBudget(f.kernel.state)).toBe(4_001_000n);
    f.sys('timer_getoverrun', [id]);
    expect(f.a0()).toBe(0n); // counted in it_overrun, reported only after a delivery
  });
});

describe('CPU-time timers', () => {
  it('CLOCK_PROCESS_CPUTIME_ID fires on the first tick after the CPU time is reached; a passed ABSTIME fires at once', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGUSR1, HANDLER, BigInt(SA_SIGINFO));
    const id = create(f, CLOCK_PROCESS_CPUTIME_ID, sigevent(f, D + 0x100, SIGEV_SIGNAL, SIGUSR1));
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 0n, 0n, 1000n), 0]);
    // Reached after 1000 ns of CPU time (no tick added, unlike setitimer), checked at the next tick.
    f.cpu.pc = 0x6000;
    f.cpu.instret = 3_999_999;
    f.rt.sliceDone();
    expect(f.cpu.pc).toBe(0x6000);
    f.sys('timer_gettime', [id, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 1n]); // about to expire
    f.cpu.instret = 4_000_000;
    f.rt.sliceDone();
    expect(f.cpu.pc).toBe(HANDLER);
    const sp = f.cpu.getU(SP);
    expect([f.mem.readU32(sp), f.mem.readU32(sp + 8) | 0, f.mem.readU32(sp + 16)]).toEqual([SIGUSR1, SI_TIMER, id]);
    // An absolute CPU time already passed: cpu_timer_fire() from timer_settime itself.
    block(f, SIGUSR2);
    const id2 = create(f, CLOCK_THREAD_CPUTIME_ID, sigevent(f, D + 0x100, SIGEV_SIGNAL, SIGUSR2));
    f.sys('timer_settime', [id2, TIMER_ABSTIME, spec(f, D, 0n, 0n, 0n, 5n), 0]);
    expect(f.kernel.state.signals.shared.has(SIGUSR2)).toBe(true);
  });

  it('a thread CPU clock only advances while that thread runs', () => {
    const f = makeThreadsFixture();
    block(f, SIGUSR1);
    const id = create(f, CLOCK_THREAD_CPUTIME_ID, sigevent(f, D + 0x100, SIGEV_SIGNAL, SIGUSR1));
    f.sys('timer_settime', [id, 0, spec(f, D, 0n, 0n, 0n, 10_000_000n), 0]); // 10 ms of this thread
    f.sys('clone', [GLIBC_THREAD_FLAGS, STACK_TOP - 0x100000, D + 0x40, 0, D + 0x48]);
    f.mem.write(D + 0x60, new Uint8Array(new BigInt64Array([1n, 0n]).buffer));
    f.sys('nanosleep', [D + 0x60, 0], 0x1000); // main sleeps; the child runs
    expect(f.tid()).toBe(1001);
    f.sys('timer_gettime', [id, D + 0x40]);
    const before = read4(f, D + 0x40)[3];
    f.cpu.instret += 20_000; // the child's time, not main's
    f.sys('timer_gettime', [id, D + 0x40]);
    expect(read4(f, D + 0x40)[3]).toBe(before);
  });
});
