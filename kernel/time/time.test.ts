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
