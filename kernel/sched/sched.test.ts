// Expected behaviour: man 2 futex / set_tid_address / set_robust_list / sched_getaffinity
// and Linux 6.1 kernel/futex/ (cited in futex.ts). EAGAIN / EINVAL (unaligned) for futex
// and EINVAL for sched_getaffinity(len 4 or 9) also match qemu-riscv64 7.2.

import { describe, expect, it } from 'vitest';
import { ZerosysStop } from '../api.ts';
import { E } from '../errno.ts';
import { LAYOUT, err, makeFixture } from '../test-support.ts';
import { makeThreadsFixture } from './test-threads.ts';
import { FUTEX_CMP_REQUEUE, FUTEX_CMP_REQUEUE_PI, FUTEX_FD, FUTEX_REQUEUE, FUTEX_WAIT, FUTEX_WAIT_BITSET, FUTEX_WAIT_REQUEUE_PI, FUTEX_WAKE, FUTEX_WAKE_BITSET, FUTEX_WAKE_OP } from '../abi.ts';

const D = LAYOUT.data;
const PRIVATE = 128;
const CLOCK_REALTIME_FLAG = 256;

function timespec(f: { mem: ReturnType<typeof makeFixture>['mem'] }, at: number, sec: bigint, nsec: bigint): number {
  f.mem.write(at, new Uint8Array(new BigInt64Array([sec, nsec]).buffer));
  return at;
}

describe('futex', () => {
  it('WAKE with no waiters wakes 0', () => {
    const f = makeFixture();
    expect(f.call('futex', D, FUTEX_WAKE | PRIVATE, 1)).toBe(0n);
    expect(f.call('futex', D, FUTEX_WAKE, 1)).toBe(0n);
    expect(f.call('futex', D, FUTEX_WAKE_BITSET | PRIVATE, 1, 0, 0, 0xffffffff)).toBe(0n);
  });

  it('WAIT with a changed word fails with EAGAIN', () => {
    const f = makeFixture();
    f.mem.st32(D, 5);
    expect(f.call('futex', D, FUTEX_WAIT | PRIVATE, 4)).toBe(err(E.EAGAIN));
    expect(f.call('futex', D, FUTEX_WAIT_BITSET | PRIVATE, 4, 0, 0, 1)).toBe(err(E.EAGAIN));
  });

  it('a WAIT that nothing can end is reported as a deadlock', () => {
    const f = makeThreadsFixture();
    f.mem.st32(D, 4);
    expect(() => f.sys('futex', [D, FUTEX_WAIT | PRIVATE, 4])).toThrowError(
      new ZerosysStop('deadlock: every thread is blocked and none can be woken (tid 1000: futex wait on 0x200000 at pc 0x10078)'),
    );
  });

  it('a timed WAIT sleeps on the virtual clock and returns ETIMEDOUT', () => {
    const f = makeThreadsFixture();
    const clock = f.kernel.state.clock;
    f.mem.st32(D, 4);
    const ts = timespec(f, D + 0x100, 2n, 500n);
    const t0 = clock.monotonicNs();
    f.sys('futex', [D, FUTEX_WAIT | PRIVATE, 4, ts]);
    // The only thread sleeps: the clock jumps to its deadline and it re-executes the ecall.
    expect(f.cpu.pc).toBe(LAYOUT.pc);
    f.ecall();
    expect(f.a0()).toBe(err(E.ETIMEDOUT));
    expect(clock.monotonicNs() - t0).toBe(2_000_000_500n + 1n); // + the ecall's own 1 ns
    // Absolute MONOTONIC deadline already passed: no sleep.
    const past = timespec(f, D + 0x200, 0n, 0n);
    const t1 = clock.monotonicNs();
    f.sys('futex', [D, FUTEX_WAIT_BITSET | PRIVATE, 4, past, 0, 0xffffffff]);
    expect(f.a0()).toBe(err(E.ETIMEDOUT));
    expect(clock.monotonicNs() - t1).toBe(1n);
    // Absolute REALTIME deadline 1 s ahead.
    const rt = clock.realtimeNs() + 1_000_000_000n;
    const abs = timespec(f, D + 0x300, rt / 1_000_000_000n, rt % 1_000_000_000n);
    f.sys('futex', [D, FUTEX_WAIT_BITSET | PRIVATE | CLOCK_REALTIME_FLAG, 4, abs, 0, 1]);
    f.ecall();
    expect(f.a0()).toBe(err(E.ETIMEDOUT));
    expect(clock.realtimeNs()).toBe(rt + 1n);
  });

  it('argument errors', () => {
    const f = makeFixture();
    expect(f.call('futex', D + 1, FUTEX_WAIT | PRIVATE, 0)).toBe(err(E.EINVAL)); // unaligned
    expect(f.call('futex', D + 2, FUTEX_WAKE | PRIVATE, 1)).toBe(err(E.EINVAL));
    expect(f.call('futex', LAYOUT.unmapped, FUTEX_WAIT | PRIVATE, 0)).toBe(err(E.EFAULT));
    expect(f.call('futex', LAYOUT.unmapped, FUTEX_WAKE, 1)).toBe(err(E.EFAULT)); // shared key needs the page
    expect(f.call('futex', LAYOUT.unmapped, FUTEX_WAKE | PRIVATE, 1)).toBe(0n); // private key does not
    expect(f.call('futex', D, FUTEX_WAIT_BITSET | PRIVATE, 0, 0, 0, 0)).toBe(err(E.EINVAL)); // bitset 0
    expect(f.call('futex', D, FUTEX_WAKE_BITSET | PRIVATE, 1, 0, 0, 0)).toBe(err(E.EINVAL));
    expect(f.call('futex', D, FUTEX_WAIT | PRIVATE, 0, timespec(f, D + 0x100, 0n, 1_000_000_000n))).toBe(err(E.EINVAL));
    expect(f.call('futex', D, FUTEX_WAIT | PRIVATE, 0, timespec(f, D + 0x100, -1n, 0n))).toBe(err(E.EINVAL));
    expect(f.call('futex', D, FUTEX_WAIT | PRIVATE, 0, LAYOUT.unmapped)).toBe(err(E.EFAULT));
    expect(f.call('futex', D, FUTEX_WAKE | CLOCK_REALTIME_FLAG, 1)).toBe(err(E.ENOSYS));
    expect(f.call('futex', D, FUTEX_FD, 0)).toBe(err(E.ENOSYS));
    expect(f.call('futex', D, 14, 0)).toBe(err(E.ENOSYS));
  });

  it('REQUEUE / CMP_REQUEUE', () => {
    const f = makeFixture();
    f.mem.st32(D, 7);
    expect(f.call('futex', D, FUTEX_REQUEUE | PRIVATE, 1, 1, D + 4)).toBe(0n);
    expect(f.call('futex', D, FUTEX_CMP_REQUEUE | PRIVATE, 1, 1, D + 4, 7)).toBe(0n);
    expect(f.call('futex', D, FUTEX_CMP_REQUEUE | PRIVATE, 1, 1, D + 4, 8)).toBe(err(E.EAGAIN));
    expect(f.call('futex', D, FUTEX_REQUEUE | PRIVATE, -1, 1, D + 4)).toBe(err(E.EINVAL));
    expect(f.call('futex', D, FUTEX_REQUEUE | PRIVATE, 1, -1, D + 4)).toBe(err(E.EINVAL));
    expect(f.call('futex', D, FUTEX_REQUEUE | PRIVATE, 1, 1, D + 6)).toBe(err(E.EINVAL));
  });

  it('WAKE_OP applies the operation to *uaddr2 and compares the old value (man 2 futex)', () => {
    const f = makeFixture();
    f.mem.st32(D + 4, 5);
    // FUTEX_OP(FUTEX_OP_ADD, 10, FUTEX_OP_CMP_EQ, 5) = (1 << 28) | (0 << 24) | (10 << 12) | 5
    expect(f.call('futex', D, FUTEX_WAKE_OP | PRIVATE, 1, 1, D + 4, (1 << 28) | (10 << 12) | 5)).toBe(0n);
    expect(f.mem.readU32(D + 4)).toBe(15);
    // FUTEX_OP_OPARG_SHIFT: OR with 1 << 4.
    expect(f.call('futex', D, FUTEX_WAKE_OP | PRIVATE, 1, 1, D + 4, (8 << 28) | (2 << 28) | (4 << 12))).toBe(0n);
    expect(f.mem.readU32(D + 4)).toBe(31);
    expect(f.call('futex', D, FUTEX_WAKE_OP | PRIVATE, 1, 1, D + 4, 6 << 28)).toBe(err(E.ENOSYS)); // op 6
    expect(f.call('futex', D, FUTEX_WAKE_OP | PRIVATE, 1, 1, LAYOUT.ro, 0)).toBe(err(E.EFAULT)); // uaddr2 read-only
  });

  it('stops on the requeue-PI operations (the lock ones are in futex-pi.test.ts)', () => {
    const f = makeFixture();
    expect(() => f.call('futex', D, FUTEX_WAIT_REQUEUE_PI | PRIVATE, 0, 0, D + 4)).toThrowError('unsupported op FUTEX_WAIT_REQUEUE_PI (11)');
    expect(() => f.call('futex', D, FUTEX_CMP_REQUEUE_PI | PRIVATE, 1, 0, D + 4, 0)).toThrowError('unsupported op FUTEX_CMP_REQUEUE_PI (12)');
  });
});

describe('thread bookkeeping', () => {
  it('set_tid_address returns the tid and records the pointer', () => {
    const f = makeFixture();
    expect(f.call('set_tid_address', D + 8)).toBe(1000n);
    expect(f.kernel.state.thread.clearChildTid).toBe(BigInt(D + 8));
  });

  it('set_robust_list: 0 for sizeof(struct robust_list_head) = 24, EINVAL otherwise', () => {
    const f = makeFixture();
    expect(f.call('set_robust_list', D, 24)).toBe(0n);
    expect(f.kernel.state.thread.robustListHead).toBe(BigInt(D));
    expect(f.call('set_robust_list', D, 23)).toBe(err(E.EINVAL));
  });
});

describe('sched_getaffinity', () => {
  it('one CPU, an 8-byte mask', () => {
    const f = makeFixture();
    f.mem.write(D, new Uint8Array(16).fill(0xff));
    expect(f.call('sched_getaffinity', 0, 128, D)).toBe(8n);
    expect([...f.mem.read(D, 9)]).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 0xff]);
    expect(f.call('sched_getaffinity', 1000, 8, D)).toBe(8n);
  });

  it('EINVAL for a size not a multiple of 8 or 0, ESRCH for another pid, EFAULT', () => {
    const f = makeFixture();
    expect(f.call('sched_getaffinity', 0, 4, D)).toBe(err(E.EINVAL));
    expect(f.call('sched_getaffinity', 0, 9, D)).toBe(err(E.EINVAL));
    expect(f.call('sched_getaffinity', 0, 0, D)).toBe(err(E.EINVAL));
    expect(f.call('sched_getaffinity', 1, 8, D)).toBe(err(E.ESRCH));
    expect(f.call('sched_getaffinity', 0, 8, LAYOUT.ro)).toBe(err(E.EFAULT));
  });
});
