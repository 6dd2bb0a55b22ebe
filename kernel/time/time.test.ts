// Expected behaviour: man 2 clock_gettime / gettimeofday; clock ids from <linux/time.h>,
// CPU-clock ids as glibc's clock_getcpuclockid builds them (posix-timers.h encoding).
// EINVAL for ids 8, 10 and 12 also matches qemu-riscv64 7.2 on the build machine.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';

const D = LAYOUT.data;
const ts = (f: ReturnType<typeof makeFixture>) => [...new BigInt64Array(f.mem.read(D, 16).buffer)];
/** MAKE_PROCESS_CPUCLOCK(pid, CPUCLOCK_SCHED) and MAKE_THREAD_CPUCLOCK(tid, CPUCLOCK_SCHED). */
const processClock = (pid: number) => (~pid << 3) | 2;
const threadClock = (tid: number) => (~tid << 3) | 2 | 4;

describe('clock_gettime', () => {
  it('REALTIME = epoch + instret ns; MONOTONIC starts at 1 s', () => {
    const f = makeFixture();
    f.cpu.instret = 2_500_000_123;
    expect(f.call('clock_gettime', 0, D)).toBe(0n);
    expect(ts(f)).toEqual([1_700_000_002n, 500_000_123n]);
    expect(f.call('clock_gettime', 1, D)).toBe(0n);
    expect(ts(f)).toEqual([3n, 500_000_123n]);
    expect(f.call('clock_gettime', 2, D)).toBe(0n);
    expect(ts(f)).toEqual([2n, 500_000_123n]);
  });

  it('uses KernelOptions.epochNs', () => {
    const f = makeFixture({ epochNs: 5n * 1_000_000_000n + 7n });
    f.call('clock_gettime', 0, D);
    expect(ts(f)).toEqual([5n, 7n]);
  });

  it('every valid clock id answers; others are EINVAL', () => {
    const f = makeFixture();
    for (const id of [0, 1, 2, 3, 4, 5, 6, 7, 11]) expect(f.call('clock_gettime', id, D), `clock ${id}`).toBe(0n);
    for (const id of [8, 9, 10, 12, 1000]) expect(f.call('clock_gettime', id, D), `clock ${id}`).toBe(err(E.EINVAL));
  });

  it('CPU clocks of this process/thread work, of others are EINVAL', () => {
    const f = makeFixture();
    f.cpu.instret = 42;
    expect(f.call('clock_gettime', processClock(0), D)).toBe(0n);
    expect(ts(f)).toEqual([0n, 42n]);
    expect(f.call('clock_gettime', processClock(1000), D)).toBe(0n);
    expect(f.call('clock_gettime', threadClock(1000), D)).toBe(0n);
    expect(f.call('clock_gettime', processClock(1), D)).toBe(err(E.EINVAL));
    expect(f.call('clock_gettime', (~3 << 3) | 3, D)).toBe(err(E.EINVAL)); // a clock fd
  });

  it('EFAULT for a bad pointer', () => {
    expect(makeFixture().call('clock_gettime', 0, LAYOUT.ro)).toBe(err(E.EFAULT));
  });
});

describe('gettimeofday', () => {
  it('seconds and truncated microseconds; zero timezone', () => {
    const f = makeFixture();
    f.cpu.instret = 1_999_999;
    f.mem.write(D + 0x100, new Uint8Array(8).fill(0xff));
    expect(f.call('gettimeofday', D, D + 0x100)).toBe(0n);
    expect(ts(f)).toEqual([1_700_000_000n, 1999n]);
    expect([...f.mem.read(D + 0x100, 8)]).toEqual([0, 0, 0, 0, 0, 0, 0, 0]);
    expect(f.call('gettimeofday', 0, 0)).toBe(0n);
    expect(f.call('gettimeofday', LAYOUT.ro, 0)).toBe(err(E.EFAULT));
    expect(f.call('gettimeofday', D, LAYOUT.ro)).toBe(err(E.EFAULT));
  });
});

describe('coarse clocks', () => {
  it('lag to the last 4 ms tick of monotonic time', () => {
    const f = makeFixture();
    f.cpu.instret = 10_000_123; // monotonic 1.010000123 s: the last tick was at 1.008 s
    f.call('clock_gettime', 6, D);
    expect(ts(f)).toEqual([1n, 8_000_000n]);
    f.call('clock_gettime', 5, D);
    expect(ts(f)).toEqual([1_700_000_000n, 8_000_000n]);
  });
});

describe('clock_getres', () => {
  it('1 ns for the high-resolution clocks, a 4 ms tick (HZ=250) for the coarse ones', () => {
    // The same values qemu-riscv64 and Linux 6.18 printed on the build machine.
    const f = makeFixture();
    for (const id of [0, 1, 2, 3, 4, 7, 11]) {
      f.mem.write(D, new Uint8Array(16).fill(0xff));
      expect(f.call('clock_getres', id, D), `clock ${id}`).toBe(0n);
      expect(ts(f), `clock ${id}`).toEqual([0n, 1n]);
    }
    for (const id of [5, 6]) {
      f.call('clock_getres', id, D);
      expect(ts(f)).toEqual([0n, 4_000_000n]);
    }
    for (const id of [8, 9, 10, 12]) expect(f.call('clock_getres', id, D)).toBe(err(E.EINVAL));
    expect(f.call('clock_getres', 0, 0)).toBe(0n);
    expect(f.call('clock_getres', 0, LAYOUT.ro)).toBe(err(E.EFAULT));
  });

  it('CPU clocks: 1 ns for CPUCLOCK_SCHED, a tick for PROF/VIRT; other pids EINVAL', () => {
    const f = makeFixture();
    expect(f.call('clock_getres', processClock(0), D)).toBe(0n);
    expect(ts(f)).toEqual([0n, 1n]);
    expect(f.call('clock_getres', ~0 << 3, D)).toBe(0n); // PROF of this process
    expect(ts(f)).toEqual([0n, 4_000_000n]);
    expect(f.call('clock_getres', processClock(77), D)).toBe(err(E.EINVAL));
  });
});

describe('times', () => {
  it('CPU time in 10 ms ticks; the return value counts jiffies from INITIAL_JIFFIES', () => {
    const f = makeFixture();
    f.cpu.instret = 123_456_789; // 0.123 s of CPU; monotonic 1.123456789 s
    f.mem.write(D, new Uint8Array(32).fill(0xff));
    // jiffies = 2^32 - 300 * 250 + floor(1.123456789 s / 4 ms) = 4294892296 + 280; as clock_t: * 0.4
    expect(f.call('times', D)).toBe(((4294892296n + 280n) * 4n) / 10n);
    expect(u64(f, 4)).toEqual([12n, 0n, 0n, 0n]);
    expect(f.call('times', 0) > 0n).toBe(true);
    expect(f.call('times', LAYOUT.ro)).toBe(err(E.EFAULT));
  });
});

describe('getrusage', () => {
  it('user time and maxrss for SELF and THREAD; zeros for CHILDREN; EINVAL otherwise', () => {
    const f = makeFixture();
    f.cpu.instret = 2_345_678_901;
    f.mem.st8(LAYOUT.data, 1); // one resident page
    expect(f.call('getrusage', 0, D)).toBe(0n);
    const r = u64(f, 18);
    expect(r.slice(0, 4)).toEqual([2n, 345_678n, 0n, 0n]); // utime, stime
    expect(r[4]).toBe(BigInt(f.mem.peakResidentPages * 4)); // maxrss in KiB
    expect(r[4] >= 4n).toBe(true);
    expect(f.call('getrusage', 1, D)).toBe(0n);
    expect(u64(f, 2)).toEqual([2n, 345_678n]);
    expect(f.call('getrusage', -1, D)).toBe(0n);
    expect(u64(f, 18).every((x) => x === 0n)).toBe(true);
    expect(f.call('getrusage', 2, D)).toBe(err(E.EINVAL));
    expect(f.call('getrusage', 0, LAYOUT.ro)).toBe(err(E.EFAULT));
  });
});

function u64(f: ReturnType<typeof makeFixture>, n: number): bigint[] {
  return [...new BigUint64Array(f.mem.read(D, 8 * n).buffer)];
}
