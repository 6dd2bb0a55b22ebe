// setitimer(2) / getitimer(2) and their expiry on the virtual clock. Expected values follow
// Linux 6.1 kernel/time/itimer.c (do_setitimer, get_cpu_itimer, set_cpu_itimer,
// itimer_get_remtime), kernel/signal.c dequeue_signal() (the ITIMER_REAL re-arm) and
// kernel/time/posix-cpu-timers.c check_cpu_itimer(), with the clock's definition (clock.ts):
// CLOCK_MONOTONIC = 1 s + retired instructions + time blocked, CPU time = retired
// instructions, a tick every 4 ms (HZ = 250). struct itimerval is four 64-bit words
// { interval.sec, interval.usec, value.sec, value.usec } (<linux/time_types.h>).

import { describe, expect, it } from 'vitest';
import { GuestKilled, ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { LAYOUT, err } from '../test-support.ts';
import { SP, makeThreadsFixture, type ThreadsFixture } from '../sched/test-threads.ts';
import { ITIMER_PROF, ITIMER_REAL, ITIMER_VIRTUAL, SA_RESTART, SIGALRM, SIGVTALRM, SI_KERNEL, SIG_BLOCK } from '../abi.ts';
import { timerBudget } from './timers.ts';

const D = LAYOUT.data;
const HANDLER = 0x40000;
const bit = (sig: number) => 1n << BigInt(sig - 1);
const START = 1_000_000_000n; // CLOCK_MONOTONIC at the first instruction

function itv(f: ThreadsFixture, at: number, isec: bigint, iusec: bigint, vsec: bigint, vusec: bigint): number {
  f.mem.write(at, new Uint8Array(new BigInt64Array([isec, iusec, vsec, vusec]).buffer));
  return at;
}
const read4 = (f: ThreadsFixture, at: number) => [...new BigInt64Array(f.mem.read(at, 32).slice().buffer)];

function sigaction(f: ThreadsFixture, sig: number, handler: number, flags = 0n): void {
  f.mem.write(D + 0x800, new Uint8Array(new BigUint64Array([BigInt(handler), flags, 0n]).buffer));
  f.sys('rt_sigaction', [sig, D + 0x800, 0, 8]);
  expect(f.a0()).toBe(0n);
}

/** The interrupted context's a0 and pc in the signal frame the handler was entered with. */
function frame(f: ThreadsFixture): { a0: bigint; pc: bigint; signo: number; code: number } {
  const sp = f.cpu.getU(SP);
  const gregs = sp + 128 + 176;
  return {
    a0: BigInt.asIntN(64, f.mem.readBig64(gregs + 8 * 10)),
    pc: BigInt.asUintN(64, f.mem.readBig64(gregs)),
    signo: f.mem.readU32(sp),
    code: f.mem.readU32(sp + 8) | 0,
  };
}

describe('setitimer and getitimer', () => {
  it('ITIMER_REAL: the time left to the microsecond (truncated), the interval exactly', () => {
    const f = makeThreadsFixture();
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 0n, 250_000n, 1n, 500n), D + 0x40]);
    expect(f.a0()).toBe(0n);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 0n]); // nothing was armed
    f.cpu.instret += 1234;
    f.sys('getitimer', [ITIMER_REAL, D + 0x40]);
    // 1.0005 s after the setitimer, 1 + 1234 instructions later: 1_000_498_765 ns left.
    expect(read4(f, D + 0x40)).toEqual([0n, 250_000n, 1n, 498n]);
  });

  it('the old value comes back; a zero value disarms and zeroes the interval; a NULL one disarms too', () => {
    const f = makeThreadsFixture();
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 3n, 0n, 100n, 0n), 0]);
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 9n, 0n, 0n, 0n), D + 0x40]);
    expect(read4(f, D + 0x40).slice(0, 3)).toEqual([3n, 0n, 99n]);
    f.sys('getitimer', [ITIMER_REAL, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 0n]);
    f.sys('setitimer', [ITIMER_PROF, itv(f, D, 0n, 7n, 5n, 0n), 0]);
    f.sys('setitimer', [ITIMER_PROF, 0, D + 0x40]);
    expect(read4(f, D + 0x40).slice(0, 3)).toEqual([0n, 7n, 5n]);
    f.sys('getitimer', [ITIMER_PROF, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 0n]);
  });

  it('checks the new value (EFAULT, EINVAL) before which, and writes the old one last', () => {
    const f = makeThreadsFixture();
    f.sys('setitimer', [3, LAYOUT.unmapped, 0]);
    expect(f.a0()).toBe(err(E.EFAULT));
    f.sys('setitimer', [3, itv(f, D, 0n, 0n, 0n, 0n), 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    for (const [a, b, c, d] of [[0n, 1_000_000n, 0n, 0n], [0n, 0n, 0n, -1n], [-1n, 0n, 0n, 0n]]) {
      f.sys('setitimer', [ITIMER_REAL, itv(f, D, a, b, c, d), 0]);
      expect(f.a0()).toBe(err(E.EINVAL));
    }
    // EFAULT for the old value, but the new one is in force.
    f.sys('setitimer', [ITIMER_VIRTUAL, itv(f, D, 0n, 0n, 2n, 0n), LAYOUT.ro]);
    expect(f.a0()).toBe(err(E.EFAULT));
    f.sys('getitimer', [ITIMER_VIRTUAL, D + 0x40]);
    expect(read4(f, D + 0x40).slice(0, 3)).toEqual([0n, 0n, 2n]);
    // getitimer: which first, then the copy (NULL included).
    f.sys('getitimer', [-1, 0]);
    expect(f.a0()).toBe(err(E.EINVAL));
    f.sys('getitimer', [ITIMER_REAL, 0]);
    expect(f.a0()).toBe(err(E.EFAULT));
    // which is an int: 2^32 is ITIMER_REAL.
    f.sys('getitimer', [0x1_0000_0000, D + 0x40]);
    expect(f.a0()).toBe(0n);
  });

  it('seconds at or past KTIME_SEC_MAX saturate to KTIME_MAX ns', () => {
    const f = makeThreadsFixture();
    for (const which of [ITIMER_REAL, ITIMER_VIRTUAL]) {
      f.sys('setitimer', [which, itv(f, D, (1n << 63n) - 1n, 0n, 100n, 0n), 0]);
      f.sys('getitimer', [which, D + 0x40]);
      expect(read4(f, D + 0x40).slice(0, 2)).toEqual([9_223_372_036n, 854_775n]); // 2^63 - 1 ns
    }
  });

  it('CPU timers: one tick is added to the value; once reached but not yet seen by a tick it reads one tick', () => {
    const f = makeThreadsFixture();
    f.sys('setitimer', [ITIMER_VIRTUAL, itv(f, D, 0n, 0n, 0n, 500_000n), D + 0x40]);
    f.sys('getitimer', [ITIMER_VIRTUAL, D + 0x40]);
    // expires = 0.5 s + 4 ms of CPU time after the call; one instruction ran since.
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 503_999n]);
    f.cpu.instret = 504_000_001; // past the expiry, not on a tick (1.504000001 s)
    f.sys('getitimer', [ITIMER_VIRTUAL, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 4000n]);
    // The old value of a CPU timer that is due is one tick too (set_process_cpu_timer).
    f.sys('setitimer', [ITIMER_VIRTUAL, itv(f, D, 0n, 0n, 0n, 0n), D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([0n, 0n, 0n, 4000n]);
  });
});

describe('timer expiry on the virtual clock', () => {
  it('ITIMER_REAL interrupts the running thread at the exact instruction (SI_KERNEL)', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGALRM, HANDLER);
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 0n, 0n, 0n, 1n), 0]); // 1 µs
    expect(f.rt.budget()).toBe(999); // the ecall retired 1 of the 1000 ns
    f.cpu.pc = 0x5000;
    f.cpu.instret += 998;
    f.rt.sliceDone();
    expect(f.cpu.pc).toBe(0x5000);
    expect(f.rt.budget()).toBe(1);
    f.cpu.instret += 1;
    f.rt.sliceDone();
    expect(f.cpu.pc).toBe(HANDLER);
    expect(frame(f)).toMatchObject({ pc: 0x5000n, signo: SIGALRM, code: SI_KERNEL });
  });

  it('a periodic ITIMER_REAL is re-armed when SIGALRM is taken, one interval after the expiry', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGALRM, HANDLER);
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 0n, 3n, 0n, 1n), 0]); // 1 µs, then every 3 µs
    f.cpu.instret += 999;
    f.rt.sliceDone();
    expect(f.cpu.pc).toBe(HANDLER);
    expect(f.rt.budget()).toBe(3000);
  });

  it('with SIGALRM blocked a periodic timer fires once and is re-armed only when the signal is taken', () => {
    const f = makeThreadsFixture();
    const clock = f.kernel.state.clock;
    f.mem.write(D + 0x100, new Uint8Array(new BigUint64Array([bit(SIGALRM)]).buffer));
    f.sys('rt_sigprocmask', [SIG_BLOCK, D + 0x100, 0, 8]);
    const set = clock.monotonicNs();
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 1n, 0n, 0n, 1n), 0]); // 1 µs, then every second
    f.cpu.instret += 999;
    f.rt.sliceDone();
    expect(f.kernel.state.signals.shared.has(SIGALRM)).toBe(true);
    expect(timerBudget(f.kernel.state)).toBeUndefined(); // not queued again
    f.cpu.instret += 50_000;
    f.sys('getitimer', [ITIMER_REAL, D + 0x40]);
    expect(read4(f, D + 0x40)).toEqual([1n, 0n, 0n, 0n]);
    f.mem.write(D + 0x200, new Uint8Array(16));
    f.sys('rt_sigtimedwait', [D + 0x100, 0, D + 0x200, 8]);
    expect(f.a0()).toBe(BigInt(SIGALRM));
    const now = clock.monotonicNs();
    f.sys('getitimer', [ITIMER_REAL, D + 0x40]);
    const left = set + 1000n + 1_000_000_000n - now; // forwarded by one interval past the expiry
    expect(read4(f, D + 0x40)).toEqual([1n, 0n, left / 1_000_000_000n, (left % 1_000_000_000n) / 1000n]);
  });

  it('a signal from ITIMER_REAL ends nanosleep with EINTR and the time left', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGALRM, HANDLER);
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 0n, 0n, 0n, 10_000n), 0]); // 10 ms
    f.mem.write(D + 0x60, new Uint8Array(new BigInt64Array([1n, 0n]).buffer));
    f.sys('nanosleep', [D + 0x60, D + 0x70], 0x1000); // sleeps; the clock moves to the expiry
    f.ecall(); // woken by SIGALRM: the call ends, the handler runs
    expect(f.cpu.pc).toBe(HANDLER);
    expect(frame(f).a0).toBe(err(E.EINTR));
    // Asked for 1 s one instruction after the timer was set for 10 ms: 0.99 s + 1 ns left.
    expect(read4(f, D + 0x60).slice(2, 4)).toEqual([0n, 990_000_001n]);
  });

  it('ppoll (pause) ends with EINTR even when the handler asks for SA_RESTART', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGALRM, HANDLER, BigInt(SA_RESTART));
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 0n, 0n, 0n, 1000n), 0]);
    f.sys('ppoll', [0, 0, 0, 0, 8], 0x1000);
    f.ecall();
    expect(f.cpu.pc).toBe(HANDLER);
    expect(frame(f)).toMatchObject({ a0: err(E.EINTR), pc: 0x1004n });
  });

  it('SIGALRM with its default action ends the guest when the timer expires during a sleep', () => {
    const f = makeThreadsFixture();
    f.sys('setitimer', [ITIMER_REAL, itv(f, D, 0n, 0n, 0n, 1000n), 0]);
    f.mem.write(D + 0x60, new Uint8Array(new BigInt64Array([5n, 0n]).buffer));
    let stop: unknown;
    try {
      f.sys('nanosleep', [D + 0x60, 0]);
    } catch (e) {
      stop = e;
    }
    expect(stop).toBeInstanceOf(GuestKilled);
    expect((stop as GuestKilled).status).toBe(128 + SIGALRM);
    expect(f.kernel.state.clock.monotonicNs()).toBe(START + 1_000_000n); // the clock went to the expiry
  });

  it('ITIMER_VIRTUAL fires on the first tick at which the CPU time has reached it', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGVTALRM, HANDLER);
    const at = f.cpu.instret; // CPU time when the timer is set
    f.sys('setitimer', [ITIMER_VIRTUAL, itv(f, D, 0n, 0n, 0n, 1n), 0]); // 1 µs + a tick
    const expires = BigInt(at) + 1000n + 4_000_000n;
    const mono = START + BigInt(f.cpu.instret);
    const tick = ((START + expires + 3_999_999n) / 4_000_000n) * 4_000_000n;
    expect(timerBudget(f.kernel.state)).toBe(tick - mono);
    f.cpu.pc = 0x6000;
    f.cpu.instret = Number(tick - START) - 1; // reached, but between ticks
    f.rt.sliceDone();
    expect(f.cpu.pc).toBe(0x6000);
    f.cpu.instret += 1; // the tick (and the slice's end: the same thread goes on)
    f.rt.sliceDone();
    expect(f.cpu.pc).toBe(HANDLER);
    expect(frame(f)).toMatchObject({ signo: SIGVTALRM, code: SI_KERNEL, pc: 0x6000n });
  });

  it('a CPU timer cannot expire while every thread waits: pause is a deadlock', () => {
    const f = makeThreadsFixture();
    sigaction(f, SIGVTALRM, HANDLER);
    f.sys('setitimer', [ITIMER_VIRTUAL, itv(f, D, 0n, 0n, 0n, 1n), 0]);
    expect(() => f.sys('ppoll', [0, 0, 0, 0, 8])).toThrow(ZerosysStop);
  });

  it('the same run gives the same instruction count at every expiry', () => {
    const counts = () => {
      const f = makeThreadsFixture();
      sigaction(f, SIGALRM, HANDLER);
      f.sys('setitimer', [ITIMER_REAL, itv(f, D, 0n, 7n, 0n, 3n), 0]);
      const seen: number[] = [];
      for (let i = 0; i < 5; i++) {
        f.cpu.pc = 0x7000;
        f.cpu.instret += f.rt.budget();
        f.rt.sliceDone();
        if (f.cpu.pc === HANDLER) {
          seen.push(f.cpu.instret);
          f.sys('rt_sigreturn', [], f.cpu.getU(1) + 4);
        }
      }
      return seen;
    };
    const a = counts();
    expect(a.length).toBe(5);
    // 3 µs after the call, then every 7 µs (+ the sigreturn's instruction before the next).
    expect(a[1] - a[0]).toBe(7000);
    expect(counts()).toEqual(a);
  });
});
