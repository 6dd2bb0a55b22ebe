// timerfd_create(2) / timerfd_settime(2) / timerfd_gettime(2) and reading a timerfd, with
// what Linux 6.1 fs/timerfd.c does and the man page says: a read returns the expirations
// since the last read (8 bytes), EAGAIN without one under TFD_NONBLOCK, EINVAL for fewer
// than 8 bytes; poll shows POLLIN once it expired; a periodic timer counts the intervals
// that passed (hrtimer_forward). The clock is driven by hand here (1 ns per instruction:
// instret), so every value is exact. Constants as <linux/timerfd.h> and <linux/time.h>
// define them: TFD_TIMER_ABSTIME 1, TFD_TIMER_CANCEL_ON_SET 2, TFD_NONBLOCK 0o4000,
// TFD_CLOEXEC 0o2000000; CLOCK_REALTIME 0, MONOTONIC 1, BOOTTIME 7, REALTIME_ALARM 8,
// BOOTTIME_ALARM 9.

import { describe, expect, it } from 'vitest';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture, type Fixture } from '../test-support.ts';
import { makeThreadsFixture } from '../sched/test-threads.ts';

const D = LAYOUT.data;
const NEW = D + 0x100;
const OLD = D + 0x200;
const BUF = D + 0x300;
const MS = 1_000_000n;
const SEC = 1_000_000_000n;
const ABSTIME = 1;
const CANCEL_ON_SET = 2;
const NONBLOCK = 0o4000;
const CLOEXEC = 0o2000000;
const [REALTIME, MONOTONIC, BOOTTIME, REALTIME_ALARM, BOOTTIME_ALARM] = [0, 1, 7, 8, 9];
const POLLIN = 1;
/** The virtual clock: MONOTONIC starts at 1 s, REALTIME at the default epoch, 1 ns per instruction. */
const MONO0 = SEC;
const EPOCH = 1_700_000_000n * SEC;

/** struct __kernel_itimerspec { it_interval, it_value } at addr, in ns. */
function putSpec(f: Fixture, addr: number, interval: bigint, value: bigint): number {
  const v = new DataView(new ArrayBuffer(32));
  v.setBigInt64(0, interval / SEC, true);
  v.setBigInt64(8, interval % SEC, true);
  v.setBigInt64(16, value / SEC, true);
  v.setBigInt64(24, value % SEC, true);
  f.mem.write(addr, new Uint8Array(v.buffer));
  return addr;
}
function rawSpec(f: Fixture, addr: number, words: bigint[]): number {
  const v = new DataView(new ArrayBuffer(32));
  words.forEach((w, i) => v.setBigInt64(i * 8, w, true));
  f.mem.write(addr, new Uint8Array(v.buffer));
  return addr;
}
/** [interval, value] in ns from the itimerspec at addr. */
function getSpec(f: Fixture, addr: number): [bigint, bigint] {
  const v = new DataView(f.mem.read(addr, 32).slice().buffer);
  const ns = (o: number) => v.getBigInt64(o, true) * SEC + v.getBigInt64(o + 8, true);
  return [ns(0), ns(16)];
}
function gettime(f: Fixture, fd: number): [bigint, bigint] {
  expect(f.call('timerfd_gettime', fd, OLD)).toBe(0n);
  return getSpec(f, OLD);
}
function settime(f: Fixture, fd: number, flags: number, interval: bigint, value: bigint): bigint {
  return f.call('timerfd_settime', fd, flags, putSpec(f, NEW, interval, value), OLD);
}
/** read(fd, 8 bytes): the u64 count, or the -errno. */
function readTicks(f: Fixture, fd: number, len = 8): bigint {
  const r = f.call('read', fd, BUF, len);
  if (r < 0n) return r;
  expect(r).toBe(8n);
  return new DataView(f.mem.read(BUF, 8).slice().buffer).getBigUint64(0, true);
}
function poll(f: Fixture, fd: number): number {
  f.mem.write(D, new Uint8Array([fd, 0, 0, 0, POLLIN, 0, 0, 0]));
  rawSpec(f, D + 0x40, [0n, 0n]); // zero timeout
  expect(f.call('ppoll', D, 1, D + 0x40, 0, 8) >= 0n).toBe(true);
  return f.mem.read(D + 6, 1)[0];
}

describe('timerfd_create', () => {
  it('accepts the five clocks of fs/timerfd.c and nothing else', () => {
    const f = makeFixture();
    for (const clock of [REALTIME, MONOTONIC, BOOTTIME, REALTIME_ALARM, BOOTTIME_ALARM]) expect(f.call('timerfd_create', clock, 0), `clock ${clock}`).toBeGreaterThan(2n);
    // PROCESS_CPUTIME_ID, THREAD_CPUTIME_ID, MONOTONIC_RAW, the coarse clocks, TAI, unknown ids
    for (const clock of [2, 3, 4, 5, 6, 11, 12, -1, 99]) expect(f.call('timerfd_create', clock, 0), `clock ${clock}`).toBe(err(E.EINVAL));
  });

  it('flags: TFD_NONBLOCK and TFD_CLOEXEC; any other bit is EINVAL', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK | CLOEXEC));
    expect(f.call('fcntl', fd, 1 /* F_GETFD */)).toBe(1n); // FD_CLOEXEC
    expect(f.call('fcntl', fd, 3 /* F_GETFL */)).toBe(BigInt(0o2 | NONBLOCK)); // O_RDWR | O_NONBLOCK
    const plain = Number(f.call('timerfd_create', MONOTONIC, 0));
    expect(f.call('fcntl', plain, 1)).toBe(0n);
    expect(f.call('fcntl', plain, 3)).toBe(2n);
    for (const flags of [ABSTIME, CANCEL_ON_SET, 0o2000 /* O_APPEND */, 1 << 30]) expect(f.call('timerfd_create', MONOTONIC, flags)).toBe(err(E.EINVAL));
    // EINVAL for the flags comes before the clock check's EPERM
    expect(f.call('timerfd_create', 99, 0o2000)).toBe(err(E.EINVAL));
  });

  it('an alarm clock needs CAP_WAKE_ALARM (35): EPERM after dropping it', () => {
    const f = makeFixture();
    const creds = f.kernel.state.proc.creds;
    creds.effective &= ~(1n << 35n);
    expect(f.call('timerfd_create', REALTIME_ALARM, 0)).toBe(err(E.EPERM));
    expect(f.call('timerfd_create', BOOTTIME_ALARM, 0)).toBe(err(E.EPERM));
    expect(f.call('timerfd_create', MONOTONIC, 0)).toBe(3n);
    expect(f.call('timerfd_create', 99, 0)).toBe(err(E.EINVAL));
  });

  it('is an anonymous inode: /proc/self/fd/N reads anon_inode:[timerfd]', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, 0));
    const path = Buffer.from(`/proc/self/fd/${fd}\0`);
    f.mem.write(D + 0x800, path);
    const n = Number(f.call('readlinkat', -100, D + 0x800, BUF, 100));
    expect(Buffer.from(f.mem.read(BUF, n)).toString()).toBe('anon_inode:[timerfd]');
  });
});

describe('a one-shot timer', () => {
  it('counts down, then reads 1 once; not armed again', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    expect(gettime(f, fd)).toEqual([0n, 0n]);
    expect(readTicks(f, fd)).toBe(err(E.EAGAIN));
    expect(settime(f, fd, 0, 0n, 10n * MS)).toBe(0n);
    expect(getSpec(f, OLD)).toEqual([0n, 0n]); // the old setting: disarmed
    expect(gettime(f, fd)).toEqual([0n, 10n * MS]);
    f.cpu.instret = 4_000_000;
    expect(gettime(f, fd)).toEqual([0n, 6n * MS]);
    expect(poll(f, fd)).toBe(0);
    expect(readTicks(f, fd)).toBe(err(E.EAGAIN));
    f.cpu.instret = 10_000_000; // the expiry, to the nanosecond
    expect(poll(f, fd)).toBe(POLLIN);
    expect(readTicks(f, fd)).toBe(1n);
    expect(readTicks(f, fd)).toBe(err(E.EAGAIN));
    expect(gettime(f, fd)).toEqual([0n, 0n]);
    f.cpu.instret = 100_000_000;
    expect(readTicks(f, fd)).toBe(err(E.EAGAIN));
  });

  it('a read needs 8 bytes: EINVAL before anything else, the tick stays', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    expect(readTicks(f, fd, 4)).toBe(err(E.EINVAL));
    settime(f, fd, 0, 0n, 1n);
    f.cpu.instret = 1;
    expect(readTicks(f, fd, 7)).toBe(err(E.EINVAL));
    expect(readTicks(f, fd, 64)).toBe(1n);
  });

  it('TFD_TIMER_ABSTIME: MONOTONIC and REALTIME expiries; one already past fires at once', () => {
    const f = makeFixture();
    const mono = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    expect(settime(f, mono, ABSTIME, 0n, MONO0 + 3n * MS)).toBe(0n);
    expect(gettime(f, mono)).toEqual([0n, 3n * MS]);
    const real = Number(f.call('timerfd_create', REALTIME, NONBLOCK));
    expect(settime(f, real, ABSTIME | CANCEL_ON_SET, 0n, EPOCH + 2n * MS)).toBe(0n);
    expect(gettime(f, real)).toEqual([0n, 2n * MS]);
    const past = Number(f.call('timerfd_create', REALTIME, NONBLOCK));
    expect(settime(f, past, ABSTIME, 0n, 1n)).toBe(0n);
    expect(poll(f, past)).toBe(POLLIN);
    expect(gettime(f, past)).toEqual([0n, 0n]);
    expect(readTicks(f, past)).toBe(1n);
    f.cpu.instret = 2_000_000;
    expect(readTicks(f, real)).toBe(1n);
    expect(readTicks(f, mono)).toBe(err(E.EAGAIN));
    f.cpu.instret = 3_000_000;
    expect(readTicks(f, mono)).toBe(1n);
  });

  it('settime reports the old setting, and a new setting drops ticks not yet read', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', BOOTTIME, NONBLOCK));
    settime(f, fd, 0, 7n * MS, 5n * MS);
    f.cpu.instret = 1_000_000;
    expect(settime(f, fd, 0, 0n, 0n)).toBe(0n); // disarm
    expect(getSpec(f, OLD)).toEqual([7n * MS, 4n * MS]);
    expect(gettime(f, fd)).toEqual([0n, 0n]);
    settime(f, fd, ABSTIME, 0n, 1n); // already expired
    expect(poll(f, fd)).toBe(POLLIN);
    settime(f, fd, 0, 2n * SEC, 0n); // disarmed, interval kept
    expect(readTicks(f, fd)).toBe(err(E.EAGAIN));
    expect(gettime(f, fd)).toEqual([2n * SEC, 0n]);
  });

  it('a value past KTIME_SEC_MAX saturates at KTIME_MAX (timespec64_to_ktime, ktime_add_safe)', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    expect(f.call('timerfd_settime', fd, 0, rawSpec(f, NEW, [0n, 0n, 1n << 62n, 0n]), 0)).toBe(0n);
    // KTIME_MAX = 2^63 - 1 ns, less CLOCK_MONOTONIC now (1 s)
    expect(gettime(f, fd)).toEqual([0n, (1n << 63n) - 1n - MONO0]);
  });
});

describe('a periodic timer', () => {
  it('counts every interval that passed (hrtimer_forward_now) and runs on', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    settime(f, fd, 0, 1n * MS, 1n * MS);
    f.cpu.instret = 3_500_000; // expiries at 1, 2 and 3 ms
    expect(readTicks(f, fd)).toBe(3n);
    expect(gettime(f, fd)).toEqual([1n * MS, 500_000n]);
    f.cpu.instret = 4_000_000;
    expect(readTicks(f, fd)).toBe(1n);
    expect(readTicks(f, fd)).toBe(err(E.EAGAIN));
    f.cpu.instret = 4_999_999;
    expect(readTicks(f, fd)).toBe(err(E.EAGAIN));
  });

  it('gettime moves an expired timer on and keeps the count for read', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', REALTIME, NONBLOCK));
    settime(f, fd, 0, 10n * MS, 10n * MS);
    f.cpu.instret = 25_000_000;
    expect(gettime(f, fd)).toEqual([10n * MS, 5n * MS]);
    f.cpu.instret = 26_000_000;
    expect(readTicks(f, fd)).toBe(2n);
    f.cpu.instret = 30_000_000;
    expect(readTicks(f, fd)).toBe(1n);
  });

  it('settime of an expired periodic timer reports its next expiry', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    settime(f, fd, 0, 4n * MS, 4n * MS);
    f.cpu.instret = 9_000_000; // expired at 4 and 8 ms; next at 12
    expect(settime(f, fd, 0, 0n, 0n)).toBe(0n);
    expect(getSpec(f, OLD)).toEqual([4n * MS, 3n * MS]);
  });
});

describe('timerfd_settime and timerfd_gettime errors, in Linux order', () => {
  it('EFAULT for the new value first, then EINVAL for flags and timespecs, then the fd', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    expect(f.call('timerfd_settime', 99, 4, LAYOUT.unmapped, 0)).toBe(err(E.EFAULT));
    expect(f.call('timerfd_settime', 99, 4, putSpec(f, NEW, 0n, 1n), 0)).toBe(err(E.EINVAL));
    expect(f.call('timerfd_settime', fd, 0, rawSpec(f, NEW, [0n, 0n, 0n, SEC]), 0)).toBe(err(E.EINVAL));
    expect(f.call('timerfd_settime', fd, 0, rawSpec(f, NEW, [0n, -1n, 0n, 1n]), 0)).toBe(err(E.EINVAL));
    expect(f.call('timerfd_settime', fd, 0, rawSpec(f, NEW, [0n, 0n, -1n, 0n]), 0)).toBe(err(E.EINVAL));
    expect(f.call('timerfd_settime', 99, 0, putSpec(f, NEW, 0n, 1n), 0)).toBe(err(E.EBADF));
    const efd = f.call('eventfd2', 0, 0);
    expect(f.call('timerfd_settime', efd, 0, putSpec(f, NEW, 0n, 1n), 0)).toBe(err(E.EINVAL));
    expect(f.call('timerfd_gettime', 99, OLD)).toBe(err(E.EBADF));
    expect(f.call('timerfd_gettime', 99, LAYOUT.unmapped)).toBe(err(E.EBADF)); // the fd first (qemu: EFAULT)
    expect(f.call('timerfd_gettime', efd, OLD)).toBe(err(E.EINVAL));
    expect(f.call('timerfd_gettime', fd, LAYOUT.ro)).toBe(err(E.EFAULT));
  });

  it('an unwritable old value is EFAULT after the timer was set', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    expect(f.call('timerfd_settime', fd, 0, putSpec(f, NEW, 0n, 5n * MS), LAYOUT.ro)).toBe(err(E.EFAULT));
    expect(gettime(f, fd)).toEqual([0n, 5n * MS]);
    // a NULL old value is not written
    expect(f.call('timerfd_settime', fd, 0, putSpec(f, NEW, 0n, 6n * MS), 0)).toBe(0n);
  });

  it('an alarm timer needs CAP_WAKE_ALARM to be set (EPERM after the fd checks)', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', BOOTTIME_ALARM, NONBLOCK));
    f.kernel.state.proc.creds.effective &= ~(1n << 35n);
    expect(f.call('timerfd_settime', fd, 0, putSpec(f, NEW, 0n, 1n), 0)).toBe(err(E.EPERM));
    expect(f.call('timerfd_settime', 99, 0, putSpec(f, NEW, 0n, 1n), 0)).toBe(err(E.EBADF));
    expect(f.call('timerfd_gettime', fd, OLD)).toBe(0n);
  });
});

describe('waiting on a timerfd (the scheduler)', () => {
  it('a blocking read sleeps until the expiry, the clock moving there', () => {
    const f = makeThreadsFixture();
    f.sys('timerfd_create', [MONOTONIC, 0]);
    const fd = Number(f.a0());
    // The handler runs at the ecall's time; the ecall retires after it.
    const armedAt = f.kernel.state.clock.monotonicNs();
    f.sys('timerfd_settime', [fd, 0, putSpec(f, NEW, 0n, 5n * MS), 0]);
    expect(f.a0()).toBe(0n);
    f.sys('read', [fd, BUF, 8], 0x1000);
    // Suspended: the only thread waits, so the clock moved to the expiry and woke it.
    expect(f.cpu.pc).toBe(0x1000);
    expect(f.kernel.state.clock.monotonicNs()).toBe(armedAt + 5n * MS);
    f.ecall();
    expect(f.a0()).toBe(8n);
    expect(new DataView(f.mem.read(BUF, 8).slice().buffer).getBigUint64(0, true)).toBe(1n);
  });

  it('a read with nothing armed and no other thread is a deadlock stop', () => {
    const f = makeThreadsFixture();
    f.sys('timerfd_create', [MONOTONIC, 0]);
    expect(() => f.sys('read', [Number(f.a0()), BUF, 8])).toThrowError(/deadlock/);
  });

  it('epoll_pwait wakes when the timer fires; the event is EPOLLIN with the data', () => {
    const f = makeThreadsFixture();
    f.sys('timerfd_create', [REALTIME, NONBLOCK]);
    const fd = Number(f.a0());
    f.sys('epoll_create1', [0]);
    const ep = Number(f.a0());
    const ev = new DataView(new ArrayBuffer(16));
    ev.setUint32(0, POLLIN, true);
    ev.setBigUint64(8, 0x1234n, true);
    f.mem.write(D + 0x600, new Uint8Array(ev.buffer));
    f.sys('epoll_ctl', [ep, 1 /* EPOLL_CTL_ADD */, fd, D + 0x600]);
    expect(f.a0()).toBe(0n);
    const armedAt = f.kernel.state.clock.monotonicNs();
    f.sys('timerfd_settime', [fd, 0, putSpec(f, NEW, 0n, 2n * MS), 0]);
    f.sys('epoll_pwait', [ep, D + 0x700, 4, -1, 0, 8], 0x2000);
    expect(f.cpu.pc).toBe(0x2000);
    expect(f.kernel.state.clock.monotonicNs()).toBe(armedAt + 2n * MS);
    f.ecall();
    expect(f.a0()).toBe(1n);
    const out = new DataView(f.mem.read(D + 0x700, 16).slice().buffer);
    expect(out.getUint32(0, true)).toBe(POLLIN);
    expect(out.getBigUint64(8, true)).toBe(0x1234n);
  });

  it('an expiry already past wakes an epoll waiter through the hrtimer queue (no read first)', () => {
    const f = makeThreadsFixture();
    f.sys('timerfd_create', [MONOTONIC, NONBLOCK]);
    const fd = Number(f.a0());
    f.sys('epoll_create1', [0]);
    const ep = Number(f.a0());
    f.mem.write(D + 0x600, new Uint8Array([POLLIN, 0, 0, 0, 0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0]));
    f.sys('epoll_ctl', [ep, 1, fd, D + 0x600]);
    f.sys('epoll_pwait', [ep, D + 0x700, 4, 0, 0, 8]);
    expect(f.a0()).toBe(0n);
    f.sys('timerfd_settime', [fd, ABSTIME, putSpec(f, NEW, 0n, 1n), 0]);
    f.sys('epoll_pwait', [ep, D + 0x700, 4, 0, 0, 8]);
    expect(f.a0()).toBe(1n);
  });

  it('closing an armed timerfd takes its hrtimer off the queue', () => {
    const f = makeThreadsFixture();
    f.sys('timerfd_create', [MONOTONIC, 0]);
    const fd = Number(f.a0());
    f.sys('timerfd_settime', [fd, 0, putSpec(f, NEW, 0n, SEC), 0]);
    expect(f.kernel.state.timers.hrtimers.size).toBe(1);
    f.sys('close', [fd]);
    expect(f.kernel.state.timers.hrtimers.size).toBe(0);
  });
});

describe('TFD_IOC_SET_TICKS', () => {
  it('sets the count the next read returns; 0 is EINVAL', () => {
    const f = makeFixture();
    const fd = Number(f.call('timerfd_create', MONOTONIC, NONBLOCK));
    const TFD_IOC_SET_TICKS = 0x40085400; // _IOW('T', 0, __u64)
    f.mem.write(D + 0x900, new Uint8Array([5, 0, 0, 0, 0, 0, 0, 0]));
    expect(f.call('ioctl', fd, TFD_IOC_SET_TICKS, D + 0x900)).toBe(0n);
    expect(poll(f, fd)).toBe(POLLIN);
    expect(readTicks(f, fd)).toBe(5n);
    f.mem.write(D + 0x900, new Uint8Array(8));
    expect(f.call('ioctl', fd, TFD_IOC_SET_TICKS, D + 0x900)).toBe(err(E.EINVAL));
    expect(f.call('ioctl', fd, TFD_IOC_SET_TICKS, LAYOUT.unmapped)).toBe(err(E.EFAULT));
    expect(f.call('ioctl', fd, 0x5401 /* TCGETS */, D + 0x900)).toBe(err(E.ENOTTY));
  });
});
